"""Which values are lists/tuples: ``+`` and ``*`` concatenate and repeat those, they do not add.

Input: a `Function` and what the call site knows of each parameter's kind (from the argument
values in the cache key, `value_kind`, or from a caller). Output: the kind of each Var
(`seq_kinds`) and the ``add``/``mul`` ops whose operands may be sequences (`dispatch_ops`); the
transforms give those the rules of the runtime helpers ``concat`` and ``mul``, whose derivatives
look at the actual values (a concatenation splits the cotangent, a repetition sums the copies,
anything else is NumPy broadcasting), so an operand whose kind is unknown is still right.

The kinds (a small lattice) and `value_kind` are `srcad.ad.kinds`.
"""

from __future__ import annotations

import functools
import types
from typing import Any

import numpy as np

from srcad.ad.callees import bind_user_call
from srcad.ad.kinds import (
    _MUL_NUMERIC,
    _NOSEQ,
    Kind,
    _cap,
    constant_kind,
    elem,
    is_noseq,
    is_seq,
    join,
    value_kind,
)
from srcad.lower.values import static_value
from srcad.rules import default_registry
from srcad.rules.facts import RT_FACTORS
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Var

# -- the analysis -----------------------------------------------------------------------------
_ARITH = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos", "abs",
                    "matmul"})  # fmt: skip
_INLINE = _ARITH  # (`seq_kinds` takes `_arith` itself: tests/ad/test_fast_paths25.py)
_INT_ARITH = frozenset({"add", "sub", "mul", "floordiv", "mod", "neg", "pos", "abs"})
_BOOLS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "is", "is_not", "in", "not_in", "not",
                    "invert", "bool", "isinstance", "lshift", "rshift", "bitor", "bitxor",
                    "bitand"})  # fmt: skip
_OR = ("bitor", "srcad.runtime.dict_or")
# NumPy functions whose result is float64 when an operand is (and no dtype is given)
_NP_FLOAT = frozenset({"sum", "mean", "prod", "dot", "matmul", "max", "min", "amax", "amin",
                       "std", "var", "cumsum", "cumprod", "clip", "concatenate", "stack",
                       "hstack", "vstack", "reshape", "transpose", "ravel", "squeeze",
                       "expand_dims", "outer", "inner", "tensordot", "einsum", "trace", "diag",
                       "tile", "repeat", "flip", "roll", "sort", "cross", "kron", "asarray",
                       "array", "copy", "linalg.norm", "linalg.det", "linalg.inv",
                       "linalg.solve", "linalg.cholesky", "median", "average", "abs",
                       "maximum", "minimum"})  # fmt: skip
_CAST = "srcad.runtime.inplace_cast"  # `t += x`: t's value in t's dtype (ad/inplace_dtypes)
_ATLEAST = frozenset({"numpy.atleast_1d", "numpy.atleast_2d", "numpy.atleast_3d"})
_NP_NEW_FLOAT = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.linspace",
                           "numpy.eye", "numpy.identity"})  # fmt: skip
_NP_METHODS = frozenset({"method.sum", "method.mean", "method.prod", "method.max", "method.min",
                         "method.std", "method.var", "method.dot", "method.reshape",
                         "method.ravel", "method.flatten", "method.transpose", "method.copy",
                         "srcad.runtime.entry_copy", "srcad.runtime.returned_arg",
                         "method.squeeze", "method.cumsum",
                         "method.cumprod", "method.clip",
                         "method.item", "attr.T", "method.astype"})  # fmt: skip
# runtime helpers of derivative rules whose result is a number or an array, never a sequence
_RT_NUMERIC = frozenset((*RT_FACTORS, "srcad.runtime.where_mask", "srcad.runtime.abs_jvp",
                         "srcad.runtime.abs_vjp", "srcad.runtime.abs_d2_vjp"))  # fmt: skip
# helpers giving a cotangent or tangent the shape of their second operand, a number or array
# (a JVP's ``broadcast_like(dx, x - y)``, differentiated in reverse: ``dx * k`` is a product)
_RT_LIKE = ("srcad.runtime.unbroadcast", "srcad.runtime.broadcast_like")
# helpers returning their first operand (rules/root_at0.py's checks of a derivative)
_RT_SAME = ("srcad.runtime.root_d2_check", "srcad.runtime.root_adj_check")
_RT_REDUCED = tuple(f"srcad.runtime.{n}_vjp" for n in ("sum", "mean", "nanmean", "var", "nanvar"))
_MATH_NOT_FLOAT = frozenset({"math.floor", "math.ceil", "math.trunc", "math.factorial",
                             "math.comb", "math.perm", "math.gcd", "math.lcm", "math.isqrt",
                             "math.isnan", "math.isinf", "math.isfinite", "math.isclose"})  # fmt: skip


@functools.cache
def _ufunc(prim: str) -> tuple[bool, bool] | None:
    """(is a one-result ufunc, float64 in gives float64 out) for ``numpy.<name>``; None if no ufunc."""
    if not prim.startswith("numpy.") or prim.count(".") != 1:
        return None
    u = getattr(np, prim[6:], None)
    if not isinstance(u, np.ufunc):
        return None
    floaty = ("d->d" if u.nin == 1 else "dd->d") in u.types
    return u.nout == 1, floaty


def seq_kinds(
    fn: Function,
    seeds: dict[Var, Kind],
    known: dict | None = None,
    depth: int = 0,
    memo: dict | None = None,
) -> dict[Var, Kind]:
    """The kind of every Var of `fn` (missing: unknown), from the parameters' kinds `seeds`;
    `known`: parameters bound to functions; `memo`: return kinds of helpers already analyzed."""
    kinds: dict[Var, Kind] = dict(seeds)
    slices: set[Var] = set()
    memo = {} if memo is None else memo

    def k(a: object) -> Kind:
        if type(a) is Var:
            return kinds.get(a)
        if isinstance(a, Const):
            return value_kind(a.value)
        return kinds.get(a) if isinstance(a, Var) else None

    def visit(b: Block) -> None:
        for op in b.ops:
            p = op.prim
            if p == "if":
                for blk in op.blocks:
                    visit(blk)
                for j, r in enumerate(op.results):
                    out: Kind = "_"
                    for blk in op.blocks:
                        out = join(out, k(blk.yields[j]) if j < len(blk.yields) else None)
                    kinds[r] = None if out == "_" else out
            elif p == "for" or p == "while":
                _loop(op)
            elif len(op.results) == 1:
                r = op.results[0]
                if p in _INLINE and not op.kwargs:  # (`_transfer`'s first case, inline)
                    kd = _arith_kind(
                        p, tuple([kinds.get(a) if type(a) is Var else k(a) for a in op.args])
                    )
                elif p == "call":
                    kd = _call_kind(fn, op, k, known, depth, memo)
                elif p in ("global", "free"):
                    kd = _global_kind(fn, op)
                else:
                    if p == "slice":
                        slices.add(r)
                    kd = _cap(_transfer(op, k, slices))
                if kd is None:
                    kinds.pop(r, None)
                else:
                    kinds[r] = kd

    def _loop(op: Op) -> None:
        body = op.blocks[-1]
        off = 1 if op.prim == "for" else 0
        inits = op.args[3:] if op.prim == "for" else op.args
        n = min(len(op.results), len(inits))
        if op.prim == "for":
            kinds[body.params[0]] = "i"
        cur = [k(a) for a in inits[:n]]
        for it in range(12):
            for blk in op.blocks:
                o = off if blk is body else 0
                for j in range(n):
                    _set(blk.params[o + j], cur[j])
            for blk in op.blocks:
                visit(blk)
            new = [_cap(join(cur[j], k(body.yields[j]))) for j in range(n)]
            if new == cur:
                break
            cur = new if it < 10 else [None] * n
        for j, r in enumerate(op.results):
            _set(r, cur[j] if j < n else None)

    def _set(v: Var, kd: Kind) -> None:
        if kd is None or kd == "_":
            kinds.pop(v, None)
        else:
            kinds[v] = kd

    try:
        visit(fn.body)
    finally:
        visit = _loop = None  # type: ignore[assignment]
    return kinds


def _global_kind(fn: Function, op: Op) -> Kind:
    """A global or closure array or number (`kinds.constant_kind`: part of the cache key)."""
    name = op.params.get("name")
    if op.params.get("generated") or fn.namespace is None or not isinstance(name, str):
        return None
    kind, value = fn.namespace.lookup(name)
    return None if kind == "missing" else constant_kind(value)


def _call_kind(fn: Function, op: Op, k: Any, known: dict | None, depth: int, memo: dict) -> Kind:
    """What a call of a user function returns, from the kinds of the call's operands (its source
    analyzed like the caller's; unknown inside a recursion)."""
    if depth >= 3 or not op.args:
        return None
    ok, obj = static_value(fn, op.args[0], known)
    if not ok or not isinstance(obj, types.FunctionType):
        return None
    hit = bind_user_call(obj, op, lambda a: k(a) if isinstance(a, (Var, Const)) else value_kind(a))
    if hit is None:
        return None
    callee, seeds = hit
    if not callee.body.yields:
        return None
    out = callee.body.yields[0]
    key = (id(callee), tuple(seeds.get(p) for p in callee.params))
    if key not in memo:
        memo[key] = None  # recursion: unknown
        ks = seq_kinds(callee, seeds, None, depth + 1, memo)
        memo[key] = value_kind(out.value) if isinstance(out, Const) else ks.get(out)
    return memo[key]


def _transfer(op: Op, k: Any, slices: set[Var]) -> Kind:  # noqa: C901 - one case per prim family
    p, a = op.prim, op.args
    ks = list(map(k, op.operands()))
    if p in _ARITH:  # the common cases first (no case below matches these primitives)
        return _arith(p, ks)
    if p.startswith("numpy."):
        return _numpy(op, ks)
    if p in ("tuple", "list"):
        out: Kind = "_"
        for x in ks:
            out = join(out, x)
        return ("s", out)
    if p == "dict":
        out = "_"
        for x in a[1::2]:
            out = join(out, k(x))
        return ("d", out)
    if p == "list_append" and len(a) == 2:
        lst = k(a[0])
        return ("s", join(lst[1] if is_seq(lst) else None, k(a[1])))
    if p == "getitem" and len(a) == 2:
        return _getitem(k(a[0]), a[1], k(a[1]), slices)
    if p in ("setitem", "srcad.runtime.setitem") and len(a) == 3:
        x = k(a[0])
        if isinstance(x, tuple):
            return (x[0], join(x[1], k(a[2])))
        return x if x in ("f", "a", "n") else None  # an array stays one (a string raises)
    if p in _OR and len(ks) == 2:  # `a | b`: a merge of dicts, else a number/array/set
        if any(isinstance(x, tuple) and x[0] == "d" for x in ks):
            return ("d", join(elem(ks[0]), elem(ks[1])))
        return "n" if is_noseq(ks[0]) and is_noseq(ks[1]) else None
    if p in ("len", "int", "bool") or p in _BOOLS:
        return "i" if p in ("len", "int") else "n"
    if p == "float":
        return "f"
    if p == "round":
        return "i" if len(a) == 1 else "n"
    if p == "srcad.runtime.concat" and len(ks) == 2:
        if is_seq(ks[0]) and is_seq(ks[1]):
            return ("s", join(ks[0][1], ks[1][1]))
        return "n" if is_noseq(ks[0]) or is_noseq(ks[1]) else None
    if p == "srcad.runtime.seq_repeat" and ks:
        return ks[0] if is_seq(ks[0]) else None
    if p.startswith("scipy.special.") and _special_numeric(op):
        return "n"  # (``p * log_softmax(z)`` multiplies: ad/masks.py masks it under np.where)
    if p in ("srcad.runtime.entry_copy", "srcad.runtime.returned_arg", _CAST) and ks:  # argcopy
        return ks[0]
    if p == "srcad.runtime.plain_receiver" and ks:  # `x` itself, or a DiffError (ad/receivers)
        return ks[0]
    if p in ("srcad.runtime.shallow_copy", "method.copy", "srcad.runtime.as_sequence") and ks:
        copies = p != "srcad.runtime.as_sequence" and is_noseq(ks[0])  # an array's copy
        return ks[0] if is_seq(ks[0]) or ks[0] == "f" or copies else None
    if p in ("builtins.list", "builtins.tuple", "sorted") and a:
        x = k(a[0])
        if is_seq(x):
            return ("s", x[1])
        return ("s", "f" if x == "f" else "n" if x == "a" else None)
    if p == "srcad.runtime.dict_values" and a:
        x = k(a[0])
        return ("s", x[1] if isinstance(x, tuple) and x[0] == "d" else None)
    if p in ("min", "max") and len(a) == 2:
        return join(ks[0], ks[1]) if is_noseq(ks[0]) and is_noseq(ks[1]) else None
    if p == "sum" and len(a) == 1:
        e = elem(ks[0]) if is_seq(ks[0]) else None
        return "f" if e == "f" else "n" if is_noseq(e) else None
    if p.startswith("math."):
        if p in ("math.frexp", "math.modf"):
            return ("s", "n")
        return "n" if p in _MATH_NOT_FLOAT else "f"
    if p in _NP_METHODS and ks and ks[0] == "f":
        return "f"
    if p in _NP_METHODS and ks and is_noseq(ks[0]):  # `np.triu(x).astype(float).ravel()`
        return "n"  # (of an array or NumPy number: lists, tuples, dicts have no such method)
    if p in _RT_NUMERIC or p in _RT_LIKE and len(ks) == 2 and is_noseq(ks[1]):
        return "n"  # (a gradient's reverse sweep, differentiated again: its products are numeric)
    if p in _RT_SAME and ks and is_noseq(ks[0]):
        return ks[0]  # (``root_d2_check(dx * k, ..) + ..``: a sum of tangents, not a concatenation)
    if p in _RT_REDUCED and len(ks) >= 2 and is_noseq(ks[1]):
        return "n"  # (a reduction's cotangent, in the structure of its input `a`: `_like_input`)
    if p == "attr.shape":
        return ("s", "i") if ks and is_noseq(ks[0]) else None
    if p in ("attr.size", "attr.ndim"):
        return "i" if ks and is_noseq(ks[0]) else None
    return None


_SPECIAL_REDUCTIONS = ("scipy.special.softmax", "scipy.special.log_softmax")


def _special_numeric(op: Op) -> bool:
    """Is `op` a scipy.special function srcad has rules for that gives one NumPy number or
    array: an elementwise one, softmax, log_softmax, logsumexp without ``return_sign``?"""
    rec = default_registry().get(op.prim)
    if rec.elementwise and not rec.container:
        return True
    if op.prim == "scipy.special.logsumexp":
        return "return_sign" not in op.kwargs and len(op.args) < 5
    return op.prim in _SPECIAL_REDUCTIONS


def _getitem(x: Kind, idx: object, ki: Kind, slices: set[Var]) -> Kind:
    if x == "f":
        return "f"  # an element or a part of a float64 array
    if x == "a":
        return "n"
    if x == "n" and isinstance(idx, Const) and _slicing(idx.value):
        return "n"  # a part of an array (a string): `n[:, -2]`; `n[0]` may be an object's list
    if not isinstance(x, tuple):
        return None
    if x[0] == "d":
        return elem(x)
    is_slice = (isinstance(idx, Const) and isinstance(idx.value, slice)) or idx in slices
    if is_slice:
        return x
    return elem(x) if ki == "i" else None


def _slicing(v: object) -> bool:
    """The constant index `v` is a slice or a tuple holding one (a list raises for a tuple)."""
    return type(v) is slice or (type(v) is tuple and any(type(e) is slice for e in v))


@functools.lru_cache(maxsize=4096)
def _arith_kind(p: str, ks: tuple) -> Kind:
    """``_cap(_arith(p, ks))``, once per primitive and operand kinds (a small lattice: few
    combinations; `seq_kinds` asks for one per arithmetic op)."""
    return _cap(_arith(p, list(ks)))


def _arith(p: str, ks: list) -> Kind:
    if p == "add" and len(ks) == 2 and is_seq(ks[0]) and is_seq(ks[1]):
        return ("s", join(ks[0][1], ks[1][1]))
    if p == "mul" and len(ks) == 2:
        for s, n in ((ks[0], ks[1]), (ks[1], ks[0])):
            if is_seq(s) and n == "i":
                return s
    # (`is_noseq(x)` is ``x in _NOSEQ`` for the string kinds; other kinds are tuples or None)
    noseq = True
    for x in ks:
        if type(x) is not str or x not in _NOSEQ:
            noseq = False
            break
    if "f" in ks or "a" in ks:  # (`x in _MUL_NUMERIC` for some operand)
        # an array or float operand: arithmetic, or an error (a float times a list)
        if noseq and "f" in ks and "a" not in ks:
            return "f"
        return "a"
    if not noseq:
        return None
    if all(x == "i" for x in ks):
        return "i" if p in _INT_ARITH else "f" if p == "truediv" else "n"
    return "n"


def _numpy(op: Op, ks: list) -> Kind:
    p = op.prim
    if p == "numpy.where" and len(op.args) == 3 and not op.kwargs:
        return "f" if "f" in ks[1:] else "n"
    if p in _ATLEAST and len(op.args) == 1 and not op.kwargs:  # one array (of several: a tuple)
        return "f" if ks[0] == "f" else "n"
    if default_registry().get(p).container or "split" in p or p.startswith("numpy.random"):
        return None
    u = _ufunc(p)
    if u is not None:
        single, floaty = u
        if not single:
            return ("s", "n")
        return "f" if floaty and "f" in ks and "dtype" not in op.kwargs else "n"
    if "dtype" not in op.kwargs:
        if p in _NP_NEW_FLOAT:
            return "f"
        if p[6:] in _NP_FLOAT and "f" in ks:
            return "f"
    return "n"


def operand_seqs(args: list, kinds: dict[Var, Kind]) -> dict[int, Kind]:
    """The known kinds of a call's operands (passed on to the callee, part of its key)."""
    out = {}
    for j, a in enumerate(args):
        kd = value_kind(a.value) if isinstance(a, Const) else kinds.get(a)
        if kd is not None and kd != "_":
            out[j] = kd
    return out


# -- decisions --------------------------------------------------------------------------------
def dict_merges(fn: Function, kinds: dict[Var, Kind]) -> None:
    """``a | b`` ops whose operands may be dicts (neither kind rules it out) become calls of the
    runtime helper ``dict_or`` (srcad/rules/dictops.py): a merge carries the values' derivatives,
    which the zero rule of a bitwise or would drop."""
    for op in ops_of(fn.body):
        if op.prim != "bitor" or len(op.args) != 2 or op.kwargs:
            continue
        ks = [value_kind(a.value) if isinstance(a, Const) else kinds.get(a) for a in op.args]
        if not (is_noseq(ks[0]) and is_noseq(ks[1])):
            op.prim = _OR[1]


def dispatch_ops(fn: Function, kinds: dict[Var, Kind]) -> dict[Op, str]:
    """The ``add``/``mul`` ops whose operands may be lists/tuples: -> {op: runtime helper name}
    (``"concat"`` or ``"mul"``). An ``add`` with an operand that is certainly no sequence is
    arithmetic (or an error), so is a ``mul`` with an array or float operand or with no operand
    that may be a sequence."""

    def k(a: object) -> Kind:
        if isinstance(a, Const):
            return value_kind(a.value)
        return kinds.get(a) if isinstance(a, Var) else None

    out: dict[Op, str] = {}
    get = kinds.get
    for op in ops_of(fn.body):
        p = op.prim
        if (p != "add" and p != "mul") or len(op.args) != 2 or op.kwargs:
            continue
        x, y = op.args  # (`k` and `is_noseq`, inline for Vars)
        kx = get(x) if type(x) is Var else k(x)
        ky = get(y) if type(y) is Var else k(y)
        nx = isinstance(kx, str) and kx in _NOSEQ
        if p == "add":
            if not (nx or (isinstance(ky, str) and ky in _NOSEQ)):
                out[op] = "concat"
        elif not (
            kx in _MUL_NUMERIC
            or ky in _MUL_NUMERIC
            or (nx and isinstance(ky, str) and ky in _NOSEQ)
        ):
            out[op] = "mul"
    return out
