"""Functions as values: lists and tuples of functions, and ``map``/``filter`` -> code srcad can
differentiate, by unrolling at lowering time.

Input: a list/tuple literal of functions (lambdas, nested defs, NumPy callables, module-level
functions), loops and comprehensions over it (or ``enumerate``/``zip`` of it), constant indexing,
``map(f, xs)``/``filter(f, xs)``. Output: `FnSeq` (a lowering-time value), loops over it unrolled
(one body per function: each call of a known function), ``map``/``filter`` as the comprehensions
they equal. Example::

    acts = [np.tanh, lambda z: z**2]          # FnSeq
    for a in acts: s = s + np.sum(a(x))       # s = s + sum(tanh(x)); s = s + sum(x**2)
    sum(map(lambda z: z * z, xs))             # sum([z * z for z in xs])

A loop body with ``break``/``continue``/``return`` is refused; a list of functions used any
other way is a runtime list (calling its elements: refused as an unknown callee).
"""

from __future__ import annotations

import copy
import types
from typing import Any

import gast

from srcad.frontend.resolve import prim_name
from srcad.lower import (
    dictobjs,
    factories,
    fnitems,
    fnlists,
    frozen,
    getattrs,
    iterfield,
    iterstate,
    mappedseq,
    methodpick,
    modattrs,
    numpy_fns,
    objseq,
    objtuples,
    unrollwrites,
)
from srcad.lower.objseq import FnSeq, Items
from srcad.lower.scope import CONT
from srcad.lower.starcomps import read_as
from srcad.lower.values import ItemRead, NestedFn, PrimRef, known_object, note_read
from srcad.ssa.core import Const, Operand


def literal(
    lw: Any, node: Any, kind: str, build: bool = True, calls: bool = False
) -> FnSeq | Operand | None:
    """A list/tuple literal of functions as a `FnSeq`; the literal built from the values already
    lowered when they are not all functions (with `build`; None without: the caller lowers it,
    or, with `calls`, undoes what was lowered: lower/objseq.attempt); None when `node` is not a
    candidate (lower it as usual)."""
    elts = node.elts
    forms = (gast.Lambda, gast.Name, gast.Attribute, gast.Call) if build or calls else _FORMS
    mixed = build and objtuples.candidate(node, kind)
    if not elts or not (mixed or all(isinstance(e, forms) for e in elts)):
        return None
    vals = [lw.expr(e) for e in elts]
    if all(objseq.function_like(lw, v) or objseq.object_like(lw, v) for v in vals) or (
        mixed and objtuples.known(lw, vals, kind)
    ):
        return FnSeq(tuple(vals), kind, node, objseq.depth(lw))
    if not build:
        return None
    ops = [lw.operand(v, e) for v, e in zip(vals, elts)]
    if kind == "tuple" and all(isinstance(v, Const) for v in ops):
        return Const(tuple(v.value for v in ops))
    lw.at(node)
    return lw.op(kind, ops)


_FORMS = (gast.Lambda, gast.Name, gast.Attribute)


def operand(lw: Any, seq: FnSeq, node: Any) -> Operand:
    """`seq` used as a value: a runtime list/tuple (when no element is a nested function)."""
    for v in seq.items:
        if isinstance(v, NestedFn):
            raise lw.error(
                node,
                f"a {seq.kind} of functions holding the nested function `{v.name}` is used as a "
                "value",
                "loop over it, index it with a constant, or move the function to module level",
            )
    objseq.materialize(lw, seq, node)
    vals = [lw.operand(v, node) for v in seq.items]
    if seq.kind == "dict":
        return lw.op("dict", [a for k, v in zip(seq.keys, vals) for a in (Const(k), v)])
    return lw.op(seq.kind, vals)


def item(lw: Any, seq: FnSeq, k: Operand, node: Any) -> Any:
    """``seq[k]`` of a constant index in range (an item) or a constant slice (a `FnSeq`); None
    for other indices (`seq` is then used as a run-time value)."""
    if seq.kind == "dict":
        v = fnitems.entry(seq, k.value) if isinstance(k, Const) else None
        if v is not None:
            objseq.check_known(lw, seq, node)
        return v
    if not isinstance(k, Const) or type(k.value) not in (int, slice):
        return None
    if type(k.value) is int and not -len(seq.items) <= k.value < len(seq.items):
        return None
    objseq.check_known(lw, seq, node)
    if type(k.value) is int:
        return seq.items[k.value]
    return FnSeq(seq.items[k.value], seq.kind, node, objseq.depth(lw))  # a new list/tuple


def call_of_item(lw: Any, func: Any, node: gast.Call) -> Operand | None:
    """``np.vectorize(f)(x)`` (lower/numpy_fns), ``table[key](x)`` of a run-time key
    (lower/fnitems.switch); None for other calls (nothing lowered)."""
    out = numpy_fns.vectorize_call(lw, func, node)
    return out if out is not None else fnitems.switch(lw, func, node, _seq_of)


def special_call(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """Calls taking functions or sequences of them: NumPy's (``np.piecewise``, lower/numpy_fns),
    ``len(layers)`` (a constant: lower/objseq); None for others."""
    if isinstance(f, PrimRef) and frozen.is_distribution(f.obj):  # d = norm(mu, s)
        return frozen.make(lw, f.obj, node)
    out = _static_len(lw, f, node) or mappedseq.length(lw, node)
    if out is None and getattr(f, "name", None) in ("builtins.list", "builtins.tuple"):
        out = _static_copy(lw, f, node)
    if out is None:
        out = iterstate.call(lw, f, node)  # iter(xs) bound to a name, next(it)
    if out is None:  # getattr(obj, "name", default), hasattr(obj, "name"): lower/getattrs.py
        out = getattrs.decided(lw, f, node)
    if out is None:  # getattr(np, CFG["act"]): lower/modattrs.py
        out = modattrs.module_attr(lw, f, node)
    if out is None:  # getattr(self, "_step_" + method)(x): lower/methodpick.py
        out = methodpick.choice(lw, f, node)
    return out if out is not None else numpy_fns.function_call(lw, f, node)


def loop_items(lw: Any, s: gast.For) -> list | None:
    """The items of a ``for`` loop lowered unrolled: over functions (`static_items`), or over
    constants making functions (lower/fnlists.py); None: lowered as a loop."""
    items = static_items(lw, s.iter, s.body)
    return items if items is not None else fnlists.loop_items(lw, s)


def static_items(lw: Any, it: Any, body: list | None = None) -> list | None:
    """The items of ``for ... in it`` when `it` iterates a `FnSeq` (a name bound to one, a literal
    of functions, ``enumerate``/``zip`` of one, a model object iterating one of its lists:
    lower/iterfield.py), else None; `body`: the ``for``'s (None: a comprehension's)."""
    it = iterfield.iterable_args(lw, it)
    seq = _seq_of(lw, it) if not _built(it) else objseq.attempt(lw, lambda: _built_seq(lw, it))
    if seq is not None and seq.kind != "dict":  # (a dict iterates its keys)
        objseq.check_known(lw, seq, it)
        return list(seq.items)
    if seq is not None and (keys := dictobjs.keys_of(lw, seq, it, body)) is not None:
        return keys  # `for k in objs: objs[k].v = ...`
    if (
        seq is None and (listed := fnitems.dict_view(lw, it, _seq_of)) is not None
    ):  # d.values()/items()
        return listed
    objects = _object_items(lw, it, body)
    if objects is not None:
        return objects
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords):
        return None
    name = it.func.id
    if name not in ("enumerate", "zip", "reversed") or name in lw.env:
        return None
    if lw.ns.lookup(name)[0] != "builtin":
        return None
    if name == "reversed":
        seq = _seq_of(lw, it.args[0]) if len(it.args) == 1 else None
        if seq is not None:
            objseq.check_known(lw, seq, it)
        return None if seq is None else list(reversed(seq.items))
    seqs = [_seq_of(lw, a) or _objects_seq(lw, a) for a in it.args]
    if any(s is not None and s.kind == "dict" for s in seqs):
        return None
    if not any(s is not None for s in seqs) or (name == "enumerate" and len(it.args) != 1):
        return None
    for s in seqs:
        if s is not None:
            objseq.check_known(lw, s, it)
    n = min(len(s.items) for s in seqs if s is not None)
    if name == "enumerate":
        return [Items((Const(k), seqs[0].items[k])) for k in range(n)]  # type: ignore[union-attr]
    others = [None if s is not None else lw.value(a) for s, a in zip(seqs, it.args)]
    for o in others:  # unrolled n times: a shorter run-time argument would end zip earlier
        if o is not None:
            _at_least(lw, o, n)
    got = lambda s, o, k: s.items[k] if s is not None else lw.op("getitem", [o, Const(k)])  # noqa: E731
    return [Items(tuple(got(s, o, k) for s, o in zip(seqs, others))) for k in range(n)]


def _at_least(lw: Any, seq: Operand, n: int) -> None:
    """The run-time check that `seq` (zipped with a `FnSeq` of `n` items) has `n` items or more:
    the loop is unrolled `n` times; a shorter one (zip stops early) is refused when it runs."""
    msg = (
        f"zip() of a list of {n} functions or objects with a sequence of fewer items: srcad "
        f"unrolls the loop {n} times (hint: zip sequences of the same length, or slice the list)"
    )
    ok = lw.op("ge", [lw.op("len", [seq], hint="n"), Const(n)])
    lw.op("srcad.runtime.require", [ok, Const(msg)])


def _object_items(lw: Any, it: Any, body: list | None = None) -> list | None:
    """``seq[0], seq[1], ...`` when `it` is a global name (or attributes of one: ``model.layers``)
    bound to a non-empty list/tuple of user objects or Python functions (the layers of a model), so
    each call of an item resolves; the binding, the length and each item are recorded (a cache
    entry is re-made when one of them changes). None otherwise."""
    path, node = [], it
    while isinstance(node, gast.Attribute):
        path.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name) or node.id in lw.env:
        return None
    kind, obj = lw.ns.lookup(node.id)
    if kind not in ("global", "free"):  # (a closure cell's value: in the cache key itself)
        return None
    reads: list = [(lw.ns.globals, ItemRead(node.id), obj)] if kind == "global" else []
    for name in reversed(path):
        if isinstance(obj, types.ModuleType) or not hasattr(obj, name):
            return None
        reads.append((obj, name, getattr(obj, name)))
        obj = reads[-1][2]
    if type(obj) not in (list, tuple) or not obj:
        return None
    prims = [None if isinstance(e, types.FunctionType) else _library_callable(e) for e in obj]
    if not all(
        isinstance(e, types.FunctionType)
        or known_object(e)
        or p
        or fnitems.function_dict(e, body, _own_exits)
        for e, p in zip(obj, prims)
    ):
        return None
    reads.append((obj, ItemRead(length=True), len(obj)))
    reads.extend((obj, ItemRead(k), e) for k, e in enumerate(obj))
    for owner, key, value in reads:
        note_read(owner, key, value)
    seq = lw.value(it)
    return [  # NumPy/math functions (`[np.tanh, np.sin]`) as themselves: their rules apply
        PrimRef(p, e, _item_node(it, k)) if p else lw.op("getitem", [seq, Const(k)])
        for k, (e, p) in enumerate(zip(obj, prims))
    ]


def _library_callable(obj: Any) -> str | None:
    """The primitive name of a library function (not a class), None for anything else."""
    if isinstance(obj, type) or not callable(obj):
        return None
    return prim_name(obj)


def _item_node(seq: Any, k: int) -> gast.Subscript:
    """``seq[k]``, to read the item at run time where it is used as a value."""
    index = gast.Constant(value=k, kind=None)
    return gast.copy_location(gast.Subscript(value=seq, slice=index, ctx=gast.Load()), seq)


def _objects_seq(lw: Any, node: Any) -> FnSeq | None:
    items = _object_items(lw, node)
    return None if items is None else FnSeq(tuple(items), "list", node, local=False)


def _seq_of(lw: Any, node: Any) -> FnSeq | None:
    if isinstance(node, gast.Attribute):  # obj.layers of an object built here
        return objseq.field_seq(lw, node)
    if isinstance(node, gast.Subscript) and objseq.constant_slice(node.slice):  # layers[:-1]
        seq = _seq_of(lw, node.value)
        return None if seq is None else item(lw, seq, lw.index(node.slice), node)
    if isinstance(node, gast.Name):
        v = lw.env.get(node.id)
        return v if isinstance(v, FnSeq) else None
    if isinstance(node, (gast.List, gast.Tuple)):
        v = literal(lw, node, "list" if isinstance(node, gast.List) else "tuple", build=False)
        return v if isinstance(v, FnSeq) else None
    return None


def _built(node: Any) -> bool:
    """A list/tuple display some element of which is a call (``[Dense(a), Dense(b)]``)."""
    return isinstance(node, (gast.List, gast.Tuple)) and any(
        isinstance(e, gast.Call) for e in node.elts
    )


def _built_seq(lw: Any, node: Any) -> Any:
    """``for layer in [Dense(a), Dense(b)]``: the display's elements lowered, a `FnSeq` when they
    are all functions or objects (lower/objseq.attempt undoes the lowering otherwise)."""
    kind = "list" if isinstance(node, gast.List) else "tuple"
    return literal(lw, node, kind, build=False, calls=True)


def assign(lw: Any, target: Any, item: Any, node: Any) -> None:
    """Bind one unrolled iteration's `item` to the loop's `target`."""
    if isinstance(item, FnSeq) and item.kind == "tuple" and isinstance(target, gast.Tuple):
        item = Items(item.items)  # `for i, s in [(0, Spring(...)), ...]`: the parts themselves
    if not isinstance(item, Items):
        lw.assign(target, item, node)
        return
    if isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == len(item.parts):
        for t, part in zip(target.elts, item.parts):
            assign(lw, t, part, node)
        return
    raise lw.error(
        node,
        "a pair or tuple holding functions can only be unpacked into names here",
        "unpack it where it is made (`for i, f in ...`, `init_fun, apply_fun = layer(...)`)",
    )


def unroll(lw: Any, target: Any, items: list, body: list, node: Any, run: Any) -> None:
    """Lower a loop over `items` (see `static_items`) as one copy of the body per item; `run()`
    lowers one copy. ``continue`` ends its copy (the loop flag, fresh per copy); ``break`` and
    ``return`` out of the loop are refused."""
    exits = unrollwrites.checked(lw, node, _own_exits(body))  # (no write into the items)
    for sub in exits:
        if not isinstance(sub, gast.Continue):
            raise lw.error(
                sub,
                "`break` and `return` in a loop over a list of functions are not supported "
                "(srcad unrolls such loops)",
                "compute a flag in the loop and act on it after the loop",
            )
    for item in items:
        assign(lw, target, item, node)
        if not exits:
            run()
            continue
        outer = lw.env.get(CONT)  # (of an enclosing loop)
        lw.env[CONT] = Const(False)
        run()
        if outer is None:
            lw.env.pop(CONT, None)
        else:
            lw.env[CONT] = outer


def _own_exits(body: list) -> list:
    """`break`/`continue`/`return` statements of `body` leaving this loop (not a nested loop's,
    nor in nested functions)."""
    out, todo = [], list(body)
    while todo:
        n = todo.pop()
        if isinstance(n, (gast.Break, gast.Continue, gast.Return)):
            out.append(n)
        elif isinstance(n, (gast.For, gast.While)):
            todo.extend(n.orelse)  # (its body's exits are its own; a nested def's its own)
            out += [sub for sub in fnlists.own_walk(n.body) if isinstance(sub, gast.Return)]
        elif not isinstance(n, (gast.FunctionDef, gast.Lambda, gast.ClassDef)):
            todo.extend(c for c in gast.iter_child_nodes(n) if isinstance(c, gast.AST))
    return out


def rewrite_map(node: gast.Call, pure_call: bool = False) -> Any | None:
    """``map(f, xs, ys)`` -> ``[f(a0, a1) for a0, a1 in zip(xs, ys)]`` and ``filter(f, xs)`` ->
    ``[a0 for a0 in xs if f(a0)]`` (`f` None: ``if a0``) when `f` is a name, attribute or lambda
    (evaluated once per item, as the comprehension does; `pure_call`: or a call the caller knows
    makes the same object each time, ``operator.itemgetter(0)``); None otherwise."""
    name = node.func.id if isinstance(node.func, gast.Name) else None
    if node.keywords or len(node.args) < 2 or name not in ("map", "filter"):
        return None
    f, its = node.args[0], node.args[1:]
    kinds = (gast.Name, gast.Attribute, gast.Lambda, *((gast.Call,) if pure_call else ()))
    bare = name == "filter" and isinstance(f, gast.Constant) and f.value is None
    if not (isinstance(f, kinds) or bare) or (name == "filter" and len(its) != 1):
        return None
    ids = [f"srcad_item_{k}" for k in range(len(its))]

    def load(n: str) -> gast.Name:
        return gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)

    call = gast.Call(func=f, args=[load(n) for n in ids], keywords=[])
    if len(its) == 1:
        target: Any = gast.Name(id=ids[0], ctx=gast.Store(), annotation=None, type_comment=None)
        it = its[0]
    else:
        target = gast.Tuple(
            elts=[gast.Name(id=n, ctx=gast.Store(), annotation=None, type_comment=None) for n in ids],
            ctx=gast.Store(),
        )  # fmt: skip
        it = gast.Call(func=load("zip"), args=list(its), keywords=[])
    ifs = [load(ids[0]) if bare else call] if name == "filter" else []
    gen = gast.comprehension(target=target, iter=it, ifs=ifs, is_async=0)
    out = gast.ListComp(elt=load(ids[0]) if name == "filter" else call, generators=[gen])
    out.srcad_origin = node  # (its uses are the call's: lower/mappedseq._only_looped)
    for sub in gast.walk(out):  # (a context, gast.Load/Store, is no gast.expr)
        if getattr(sub, "lineno", None) is None and isinstance(
            sub, (gast.expr, gast.comprehension)
        ):
            gast.copy_location(sub, node)
    return out


def lambda_comprehension(lw: Any, node: gast.ListComp) -> FnSeq | None:
    """``[lambda x, k=k: x * k for k in <constants>]`` (one generator over ``range`` of
    constants or a literal of constants, no ``if``): a `FnSeq` of one lambda per value, its
    defaults evaluated with the target bound to that value. A body reading the target itself
    (``lambda x: x * k``) reads the comprehension's variable when called, which then holds the
    last value (Python's late binding): the lambda is copied with that constant in its place.
    None when `node` is not of this form (lowered as usual)."""
    if not isinstance(node.elt, (gast.Lambda, *objseq.MADE)) or len(node.generators) != 1:
        return None
    g = node.generators[0]
    if g.is_async or (g.ifs and not isinstance(node.elt, gast.Call)):
        return None
    if g.ifs:  # (the items kept known when it runs: lower/mappedseq.py)
        return mappedseq.make(lw, node)
    if isinstance(node.elt, objseq.MADE):  # [Dense(w) for w in (0.5, 1.5)]: lower/objseq.py
        named = isinstance(g.target, gast.Name)
        values = _constant_values(lw, g.iter) if named else None
        made = factories.made_over_display(lw, node)
        return objseq.constructed(lw, node, values, made) or mappedseq.make(lw, node)
    if not isinstance(g.target, gast.Name):
        return None
    values = _constant_values(lw, g.iter)
    if not values:
        return None
    target, lam = g.target.id, node.elt
    params = {a.id for a in lam.args.args + lam.args.posonlyargs + lam.args.kwonlyargs}
    reads_target = target not in params and any(
        isinstance(n, gast.Name) and n.id == target for n in gast.walk(lam.body)
    )
    if reads_target:
        if any(
            isinstance(
                n,
                (
                    gast.Lambda,
                    gast.ListComp,
                    gast.GeneratorExp,
                    gast.DictComp,
                    gast.SetComp,
                    gast.NamedExpr,
                ),
            )
            for n in gast.walk(lam.body)
        ):
            return None  # fmt: skip
        lam = _substituted(lam, target, values[-1])
    outer = lw.env
    items = []
    try:
        for v in values:
            lw.env = dict(outer)
            lw.env[target] = Const(v)
            items.append(NestedFn(lam, "<lambda>", [lw.value(d) for d in lam.args.defaults]))
    finally:
        lw.env = outer
    return FnSeq(tuple(items), "list", node, local=False)


def _constant_values(lw: Any, it: Any) -> list | None:
    """The values of ``range(<int constants>)`` or of a tuple/list literal of constants."""
    if isinstance(it, (gast.Tuple, gast.List)):
        if all(isinstance(e, gast.Constant) for e in it.elts):
            return [e.value for e in it.elts]
        return None
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords):
        return None
    if it.func.id in lw.env or lw.ns.lookup(it.func.id)[1] is not range:
        return None
    args = [lw.value(a) for a in it.args]
    if not args or not all(isinstance(a, Const) and type(a.value) is int for a in args):
        return None
    return list(range(*[a.value for a in args]))


def _substituted(lam: gast.Lambda, name: str, value: Any) -> gast.Lambda:
    """A copy of `lam` whose body reads the constant `value` where it read `name`."""
    new = copy.deepcopy(lam)
    new.body = read_as(new.body, name, value)
    return new


def _static_len(lw: Any, f: Any, node: gast.Call) -> Const | None:
    """``len(seq)`` of a sequence of functions or objects known here: a constant (the list is
    not used as a run-time value for it)."""
    if getattr(f, "name", None) != "len" or len(node.args) != 1 or node.keywords:
        return None
    a = node.args[0]
    seq = _seq_of(lw, a) if isinstance(a, (gast.Name, gast.Attribute)) else None
    if not isinstance(seq, FnSeq) or seq.escaped:
        return None
    objseq.check_known(lw, seq, node)
    return Const(len(seq.items))


def _static_copy(lw: Any, f: Any, node: gast.Call) -> FnSeq | None:
    """``list(layers)`` / ``tuple(layers)`` of a sequence of functions or objects known here: a
    new sequence of the same items (``Seq(*layers)`` storing ``list(layers)``)."""
    a = node.args[0] if len(node.args) == 1 and not node.keywords else None
    seq = _seq_of(lw, a) if isinstance(a, (gast.Name, gast.Attribute)) else None
    if not isinstance(seq, FnSeq) or seq.escaped or seq.kind == "dict":
        return None
    objseq.check_known(lw, seq, node)
    return FnSeq(seq.items, f.name.split(".")[1], node, objseq.depth(lw))
