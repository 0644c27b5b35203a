"""Receivers of methods and subscripts: a NumPy rule, or a user object's own method?

Input: a `Transform` whose function is about to be analyzed (parameter facts known, activity not
yet). Output, on the transform: `types_of` gains the user classes found here (``o = C()``), the
`method.*` ops that call a user method although a NumPy rule of that name exists (`user_ops`), and
``obj[i]`` on an object whose class has its own ``__getitem__`` becomes ``method.__getitem__``.
After the activity analysis, `guard_receivers` makes the other uncertain cases safe. First,
`unroll_layouts` unrolls ``for layer in self.layers`` when the class of `self` tells the list's
length and items' classes (`values.layout_class`), checked again at run time (`ad/layouts.py`).

``o.sum(x)`` is NumPy's ``sum`` only when `o` is an array or a number: for an instance of a user
class it is that class's method, differentiated through its source (a rule would give a zero
derivative, `x` being the `axis` argument of ``ndarray.sum``). Likewise ``o[x]`` is plain indexing
(zero derivative in a float index: it selects) only for arrays and built-in containers, but a
function of `x` when ``type(o)`` defines ``__getitem__``. Every value gets a kind:

- ``DEEP``: neither it nor anything inside it is a user object (numbers, float arrays, what NumPy
  and arithmetic make of those, containers of those);
- ``PLAIN``: not itself a user object, but a container that may hold some (a list argument);
- a user class: an instance of it (typed arguments, ``C()``, a helper returning ``C()``);
- unknown (absent): anything else, e.g. ``fs[0]`` or the result of a call.

A rule applies to a receiver of kind DEEP or PLAIN. On an unknown receiver whose method or index
takes a varied operand, the receiver goes through ``_srcad.plain_receiver(o, name, line)``, which
raises `DiffError` at run time for a user object whose class defines `name`: refused, never a
silently wrong derivative, while the common ``xs[i].sum()`` on lists of arrays still works.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from srcad.ad.callees import bind_user_call
from srcad.ad.classmsg import not_plain as _not_plain
from srcad.ad.dispatch import CONVERSIONS, hook_refusal, reflected, resolve_super, subclass_reflects
from srcad.ad.layouts import unroll_layouts
from srcad.ad.objsumloop import loop_sums
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, classify, static_value, user_class, user_method
from srcad.passes.stdroots import GUARD as VAR_GUARD
from srcad.passes.stdroots import KEEP, RESTORE, var_roots
from srcad.ssa.core import Block, Const, Function, Op, Var
from srcad.trees import replaces_fields

DEEP, PLAIN = "deep", "plain"
GUARD = "srcad.runtime.plain_receiver"
_CONTAINERS = ("tuple", "list", "dict")
_RECORD = "srcad.runtime.record_replace"
_SPECIAL = {"global", "free", "getitem", "call", *_CONTAINERS, "setitem", "list_append", _RECORD}
_SIMPLE = frozenset((int, float, bool, complex, str, type(None), slice))
_DTYPES = frozenset((int, float, bool, complex, np.float64, np.float32, np.int64, np.int32,
                     np.complex128, np.bool_))  # fmt: skip


def value_kind(v: Any) -> Any:
    """The kind of a value known at transform time."""
    if type(v) in _SIMPLE:  # the common constants: no user class, no container
        return DEEP
    cls = user_class(v)
    if cls is not None:
        return cls
    if isinstance(v, np.ndarray):
        return PLAIN if v.dtype == object else DEEP
    if isinstance(v, (tuple, list)):
        return DEEP if len(v) <= 64 and all(value_kind(e) == DEEP for e in v) else PLAIN
    if isinstance(v, dict):
        return PLAIN
    if isinstance(v, np.dtype) or type(v) is type and v in _DTYPES:  # ``dtype=float``
        return DEEP
    return (
        DEEP
        if isinstance(v, (int, float, complex, str, bytes, np.generic, slice))
        or (v is None or v is Ellipsis)
        else PLAIN
    )


def object_kinds(
    fn: Function,
    seeds: dict[Var, Any],
    known: dict | None = None,
    depth: int = 0,
    memo: dict | None = None,
) -> dict[Var, Any]:
    """Kinds of the Vars of `fn` (unknown ones absent), from the parameters' `seeds`; `known`:
    parameters bound to functions; `memo`: return kinds of helpers already analyzed."""
    kinds: dict[Var, Any] = dict(seeds)
    statics: dict[Var, Any] = dict(known or {})  # known at transform time (static_value)
    memo = {} if memo is None else memo
    # lists/tuples built here whose items are all of one user class (``pts = [Pt(..), Pt(..)]``
    # of NamedTuples, which stay values): that class for an item read by a constant or a loop's
    # index (a slice's result is a list)
    items_of: dict[Var, type] = {}
    empty: set[Var] = set()  # (``[]``, and a loop's carry from it: appended to, `items_of`)
    indices: set[Var] = set()  # (ints: the index parameters of `for` loops, `key_pick`'s)
    defs: dict[Var, Op] = {}  # (the ops making single results: `decided`'s tests)

    def kind(a: Any) -> Any:  # (a Var's first)
        return kinds.get(a) if type(a) is Var or not isinstance(a, Const) else value_kind(a.value)

    def join(vals: list) -> Any:
        ks = [kind(a) for a in vals]
        return ks[0] if ks and all(k is not None and k == ks[0] for k in ks) else None

    def put(v: Var, k: Any) -> bool:
        if k is None:
            return kinds.pop(v, None) is not None
        old = kinds.get(v)
        kinds[v] = k
        return old != k

    def decided(cond: Any) -> bool | None:
        """``isinstance(v, C)`` (or its ``not``) of a `v` of a known user class: its truth."""
        d = defs.get(cond) if type(cond) is Var else None
        if d is None or d.kwargs or len(d.args) != (1 if d.prim == "not" else 2):
            return None
        if d.prim == "not":
            return None if (got := decided(d.args[0])) is None else not got
        k, c = kind(d.args[0]), d.args[1]
        t = defs.get(c) if type(c) is Var else None
        if t is not None and t.prim == "tuple" and not t.kwargs:  # ``(int, float)``
            c = tuple(a.value if isinstance(a, Const) else statics.get(a) for a in t.args)
        else:
            c = c.value if isinstance(c, Const) else statics.get(c)
        if d.prim != "isinstance" or type(k) is not type or _library(k):
            return None  # (a user class's instances are of it, or of its layout subclass)
        if isinstance(c, tuple) and all(type(e) is type for e in c) or type(c) is type:
            return issubclass(k, c)
        return None

    def visit(b: Block) -> None:
        for op in b.ops:
            if op.prim == "if":  # (a branch on the class of an object: the one taken)
                taken = decided(op.args[0]) if len(op.blocks) == 2 and op.args else None
                blks = op.blocks if taken is None else [op.blocks[0 if taken else 1]]
                for blk in blks:
                    visit(blk)
                ends = [b for b in blks if not _raises(b)] or blks  # (``if bad: raise E(..)``)
                for k, r in enumerate(op.results):
                    put(r, join([blk.yields[k] for blk in ends]))
            elif op.prim in ("for", "while"):
                loop(op)
            elif len(op.results) == 1:  # (`put`, inline)
                defs[op.results[0]] = op
                k, r = single(op), op.results[0]
                k = seeds.get(r) if k is None else k  # (seeded: an item checked when it runs)
                kinds.pop(r, None) if k is None else kinds.__setitem__(r, k)

    def loop(op: Op) -> None:
        body = op.blocks[-1]
        off = 1 if op.prim == "for" else 0
        inits = op.args[3:] if op.prim == "for" else op.args
        if op.prim == "for":
            kinds[body.params[0]] = DEEP
            indices.add(body.params[0])
        cur = [kind(a) for a in inits]
        for blk in op.blocks:  # ``acc = []; for ..: acc.append(Pt(..))``: a list of Pt
            o = off if blk is body else 0
            empty.update(blk.params[o + k] for k, a in enumerate(inits) if a in empty)
        for _ in range(len(cur) + 2):  # kinds only fall (to unknown): a few rounds settle
            for blk in op.blocks:
                o = off if blk is body else 0
                for k, c in enumerate(cur):
                    put(blk.params[o + k], c)
            for blk in op.blocks:
                visit(blk)
            new = [c if c is not None and kind(body.yields[k]) == c else None
                   for k, c in enumerate(cur)]  # fmt: skip
            if new == cur:
                break
            cur = new
        for k, r in enumerate(op.results):
            put(r, cur[k] if k < len(cur) else None)
            c = items_of.get(body.yields[k]) if k < len(inits) else None
            if c is not None and (inits[k] in empty or items_of.get(inits[k]) is c):
                items_of[r] = c  # (every round appends a `c`, to a list of `c` or empty)

    def single(op: Op) -> Any:
        p, res = op.prim, op.results[0]  # (`visit` asks of single-result ops only)
        items_of.pop(res, None)  # (a loop's next round: kinds only fall)
        if p not in _SPECIAL and not p.startswith("attr."):  # (most ops: `other`'s case)
            if p in _COPIES and op.args and op.args[0] in items_of:  # `min(pts, key=..)`'s
                items_of[res] = items_of[op.args[0]]
            elif p == _KEY_PICK:  # (the position of the item `min`/`max` with a key picks)
                indices.add(res)
            return other(op, p)
        if p in ("global", "free") and not op.params.get("generated") and fn.namespace:
            where, v = fn.namespace.lookup(op.params["name"])
            if where != "missing":
                statics[res] = v
                return value_kind(v)
        if p.startswith("attr.") and op.args[0] in statics and hasattr(statics[op.args[0]], p[5:]):
            statics[res] = v = getattr(statics[op.args[0]], p[5:])
            return value_kind(v)
        if p == "getitem" and op.args[0] in statics and isinstance(op.args[1], Const):
            ok, v = static_value(fn, res, known)  # `layers[k]`: a model's layer
            if ok:
                statics[res] = v
                return value_kind(v)
        if p == "call":
            return call_kind(op)
        if p == "getitem" and op.args[0] in items_of:
            i = op.args[1]
            if _int_index(i, indices):
                return items_of[op.args[0]]
            if isinstance(i, Const) and type(i.value) is slice:  # (a list of those items)
                items_of[res] = items_of[op.args[0]]
        if p == "list" and not op.args and not op.kwargs:
            empty.add(res)
        if p in ("list", "tuple") and op.args and not op.kwargs:
            first = kind(op.args[0])
            if isinstance(first, type) and all(kind(a) is first for a in op.args):
                items_of[res] = first
        if p in _CONTAINERS:
            return DEEP if all(kind(a) == DEEP for a in op.operands()) else PLAIN
        if p == _RECORD:  # a record of its argument's class, or refused
            k, how = kind(op.args[0]), op.args[1]
            return k if isinstance(k, type) and replaces_fields(k, how.value) else None
        if p == "list_append" and (x := op.args[0]) in empty | items_of.keys():
            if isinstance(c := kind(op.args[-1]), type) and items_of.get(x, c) is c:
                items_of[res] = c
        if p in ("setitem", "list_append"):
            x, v = op.args[0], op.args[-1]
            if kind(x) == DEEP and kind(v) == DEEP:
                return DEEP
            return PLAIN if kind(x) in (DEEP, PLAIN) else None
        return other(op, p)

    def other(op: Op, p: str) -> Any:
        xs = op.operands() if op.kwargs else op.args  # (no tuple made: most ops)
        ks = [kinds.get(a) if type(a) is Var else kind(a) for a in xs]  # (once each)
        recv, n, m = ks[0] if op.args else None, len(ks), p.startswith("method.")
        if isinstance(recv, type) and (m or p in _DUNDERS):  # `o.f()`, `o * x`: o.__mul__(x)
            return method_kind(op, recv, p[len("method.") :] if m else f"__{_DUNDERS[p]}__")
        if ks.count(DEEP) == n:  # (`all(k == DEEP ...)`, no generator)
            return DEEP
        return PLAIN if p in _DUNDERS and ks.count(DEEP) + ks.count(PLAIN) == n else None

    def method_kind(op: Op, cls: type, name: str) -> Any:
        meth = user_method(cls, name)
        if meth is None or depth >= 3:
            return None
        as_call = Op("call", [Const(None), *op.args], dict(op.kwargs))  # `self` bound first
        return return_kind(meth, as_call, kind, depth + 1, memo)

    def call_kind(op: Op) -> Any:
        f = op.args[0]
        obj = f.value if isinstance(f, Const) else statics.get(f)
        if isinstance(obj, type):
            mod = module_top(obj)
            return obj if mod not in LIBRARY_MODULES else None
        if isinstance(obj, types.FunctionType) and depth < 3:
            return return_kind(obj, op, kind, depth + 1, memo)
        return None

    visit(fn.body)
    # (recursive closures are reference cycles: unbound, they and what they hold go by refcount)
    visit = loop = single = other = method_kind = call_kind = decided = None  # type: ignore[assignment]  # noqa: F811
    return kinds


def _raises(b: Block) -> bool:
    """The block raises, always (a guard's ``raise``): it yields nothing the join would see."""
    return any(op.prim == "srcad.runtime.raise_" for op in b.ops)


_COPIES = ("builtins.list", "builtins.tuple", "srcad.runtime.as_sequence")  # (same items)
_KEY_PICK = "srcad.runtime.key_pick"


def _int_index(i: Any, indices: set) -> bool:
    """`i` is an int: a constant or a `for` loop's index (not a slice, whose read is a list)."""
    if isinstance(i, Const):
        return type(i.value) is int
    return i in indices


def return_kind(pyfunc: types.FunctionType, op: Op, kind: Any, depth: int, memo: dict) -> Any:
    """The kind of what a helper returns, from the kinds of the call's operands (`kind`):
    ``def make(): return C()`` returns a `C`, ``def sigmoid(z): return 1 / (1 + np.exp(-z))``
    something DEEP when `z` is."""
    hit = bind_user_call(
        pyfunc, op, lambda a: kind(a) if isinstance(a, (Var, Const)) else value_kind(a)
    )
    if hit is None:
        return None
    callee, seeds = hit
    out = callee.body.yields[0] if callee.body.yields else None
    if isinstance(out, Const):
        return value_kind(out.value)
    key = (id(callee), tuple(seeds.get(p) for p in callee.params))
    if key not in memo:
        memo[key] = None  # recursion: unknown
        memo[key] = object_kinds(callee, seeds, None, depth, memo).get(out)
        for guess in (DEEP, PLAIN) if memo[key] is None else ():  # kept when the result then
            got = object_kinds(callee, seeds, None, depth, memo | {key: guess}).get(out)
            if got == guess:  # is what was assumed (a fixpoint)
                memo[key] = got
                break
    return memo[key]


def seeds_of(tr: Any) -> dict[Var, Any]:
    """Parameter kinds: the caller's (`tr.param_kinds`, for a called helper), or for the function
    the user differentiates, what the cache key says of each argument: user classes, numbers and
    float arrays; any other argument is no user object (it would have its class in the key)."""
    fn = tr.fn
    out: dict[Var, Any] = {}
    pk = tr.param_kinds
    for i, p in enumerate(fn.params):
        if i in tr.param_types:
            out[p] = tr.param_types[i]
        elif pk is not None:
            if pk.get(i) is not None:
                out[p] = pk[i]
        elif i in tr.scalar_params or i in tr.param_ndims or tr.param_seqs is None:
            out[p] = DEEP  # (no argument values, `srcad.source(f)`: the version for arrays)
        else:
            out[p] = PLAIN
    return out


def entry_key_kinds(
    n: int, scalar_params: tuple, param_ndims: dict | None, param_types: dict | None
) -> tuple:
    """The kinds part of the `bind_callee` key under which a recursive call finds the function
    the user differentiates (its parameters' kinds, as `seeds_of` gives them)."""
    typed, ndims = param_types or {}, param_ndims or {}
    return tuple(
        (i, DEEP if i in scalar_params or i in ndims else PLAIN) for i in range(n) if i not in typed
    )


def resolve_receivers(tr: Any) -> None:
    """Before the activity analysis: kinds, classes of ``C()`` results, user methods that share
    a rule's name (`tr.user_ops`), user ``__getitem__`` calls, and the ops to refuse when one of
    their operands is varied (`tr.refused`)."""
    fn = tr.fn
    lists = {fn.params[i]: c for i, c in tr.param_items.items()}  # (`Spec.items`)
    items = unroll_layouts(fn, tr.types_of, lists, tr.table)  # (and fields' objects, functions)
    resolve_super(tr, seeds_of(tr))
    tr.user_ops = set()
    n, checked = -1, {}  # (the items ad/objsumloop's loops check the class of)
    while n != len(tr.user_ops):  # `2.0 * v` became a method call: its result's kind is known
        n = len(tr.user_ops)
        again = lambda: object_kinds(fn, {**seeds_of(tr), **items, **checked}, tr.known)  # noqa: E731
        _resolve(tr, loop_sums(tr, again(), again, object_kinds, checked), items)
    if var_roots(fn, lambda op: _var_root(tr, op)):  # `s.var()`'s root (passes/stdroots)
        _resolve(tr, tr.kinds, items)  # (the user's `var` restored: a user method)


def _var_root(tr: Any, op: Op) -> str:
    """``np.sqrt(s.var())``, written ``s.std()`` (`op`): kept for an array or a number, the user's
    ``var`` again for a user object, kept behind a run-time check for an unknown receiver."""
    s = op.args[0]
    k = value_kind(s.value) if isinstance(s, Const) else tr.kinds.get(s)
    if k in (DEEP, PLAIN):
        return KEEP
    if not isinstance(k, type):
        return VAR_GUARD
    tr.user_ops.discard(op)  # (`_resolve` took ``s.std()`` for the user's method)
    tr.refused.pop(op, None)
    return RESTORE


def _resolve(tr: Any, kinds: dict, items: dict) -> None:
    tr.kinds = kinds
    classes = False
    for v, k in kinds.items():
        if isinstance(k, type):
            classes = True
            if v not in tr.types_of:
                tr.types_of[v] = k
    tr.types_of.update(items)
    tr.refused = dict(tr.helper_refused)  # (ad/objsumloop.py's)
    if not classes:
        return  # no value of a user class: no operator, index or method of one to resolve
    for op in _walk(tr.fn.body):
        if op.prim in _DUNDERS:
            _operator(tr, op, kinds)
            continue
        if op.prim == "getitem":
            name = "__getitem__"
        elif op.prim.startswith("method.") or op.prim in CONVERSIONS:  # `round(o)`: __round__
            name = CONVERSIONS.get(op.prim) or op.prim[len("method.") :]
        else:
            hook_refusal(tr, op, kinds)  # `np.sum(o)`: NumPy reads `o` its own way
            continue
        cls = kinds.get(op.args[0]) if op.args and isinstance(op.args[0], Var) else None
        if not isinstance(cls, type):
            continue
        how = classify(cls, name)
        if how == "user":
            op.prim = "method." + name
            tr.user_ops.add(op)
        elif how == "refuse":
            tr.refused[op] = _not_plain(cls, name)


_DUNDERS = {
    "add": "add", "sub": "sub", "mul": "mul", "truediv": "truediv", "floordiv": "floordiv",
    "mod": "mod", "pow": "pow", "matmul": "matmul", "neg": "neg", "pos": "pos", "abs": "abs",
    "bitor": "or", "bitand": "and", "bitxor": "xor", "lshift": "lshift", "rshift": "rshift",
    "invert": "invert",
}  # fmt: skip


def _operator(tr: Any, op: Op, kinds: dict) -> None:
    """``o * x`` on an instance of a user class: its ``__mul__`` (a user call) when `o` is on the
    left; refused when another operand's class defines the operator (``x * o`` runs
    ``o.__rmul__`` or not, depending on `x`), or when the operator is not a plain method."""
    name = _DUNDERS[op.prim]
    for k, a in enumerate(op.args):
        cls = kinds.get(a) if isinstance(a, Var) else None
        if not isinstance(cls, type):
            continue
        if k == 0:
            iname = f"__i{name}__"  # `a += v`: Python runs a.__iadd__(v) when the class has one
            if op in tr.augmented and classify(cls, iname) != "rule":
                if classify(cls, iname) == "user":
                    op.prim = f"method.{iname}"
                    tr.user_ops.add(op)
                else:
                    tr.refused[op] = _not_plain(cls, iname)
                return
            how = classify(cls, f"__{name}__")
            if how == "user" and subclass_reflects(op, kinds, cls, name):
                tr.refused[op] = (
                    f"the right operand's class, a subclass of `{cls.__name__}`, defines its own "
                    f"`__r{name}__`, which Python runs first",
                    f"call the method explicitly, e.g. `b.__r{name}__(a)`",
                )
                return
            if how == "user":
                op.prim = f"method.__{name}__"
                tr.user_ops.add(op)
                return
            if how == "refuse":
                tr.refused[op] = _not_plain(cls, f"__{name}__")
                return
        elif reflected(tr, op, cls, name):
            return
        elif classify(cls, f"__r{name}__") != "rule":
            tr.refused[op] = (
                f"`{cls.__name__}` defines `__r{name}__`: which method this operator runs "
                "depends on the left operand's type at run time",
                f"call the method explicitly, e.g. `o.__r{name}__(x)`",
            )
            return


def _walk(b: Block) -> list[Op]:
    """Every op of `b` and its nested blocks, an op after the ops of its blocks (a list: the
    callers change no block while they read it)."""
    out: list[Op] = []

    def visit(b: Block) -> None:
        for op in b.ops:
            if op.blocks:
                for sub in op.blocks:
                    visit(sub)
            out.append(op)

    visit(b)
    return out


def operand_kinds(args: list, kinds: dict) -> dict[int, str]:
    """Positions of call operands known to be no user object (DEEP/PLAIN; classes go apart)."""
    out = {}
    for k, a in enumerate(args):
        kd = value_kind(a.value) if isinstance(a, Const) else kinds.get(a)
        if kd in (DEEP, PLAIN):
            out[k] = kd
    return out


def _library(cls: type) -> bool:
    return module_top(cls) in LIBRARY_MODULES


def deep(tr: Any, a: Any) -> bool:
    """`a` is a Var of kind DEEP in `tr.kinds`: neither it nor anything inside is a user object."""
    return type(a) is Var and getattr(tr, "kinds", {}).get(a) == DEEP
