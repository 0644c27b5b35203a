"""The shape rules of single operations, for `passes/shape_infer.py`.

Input: an `Op` and the facts of its operands (a `Shapes`). Output: the shape of its result, or None
when it is not known; plus the broadcasting, axis and index arithmetic on shapes (see
`shape_infer` for what a shape is).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy

from srcad.ssa.core import Const, Op

RT = "srcad.runtime."
Shape = tuple


class Bcast(frozenset):
    """A shape of unknown rank: the broadcast of the named parameters' shapes."""


ARITH = frozenset({"add", "sub", "mul", "truediv", "pow", RT + "add"})
BINARY = ARITH | {RT + "pow_dx", RT + "pow_d2"}
UNARY = frozenset({"neg", "pos"})
REDUCE = frozenset({"numpy.sum", "numpy.mean", "numpy.max", "numpy.min", "numpy.amax",
                     "numpy.amin", "numpy.prod"})  # fmt: skip
# runtime helpers whose result has the shape of one operand (its position)
LIKE_OPERAND = {RT + "sum_vjp": 1, RT + "mean_vjp": 1, RT + "expand_reduced": 1,
                RT + "ext_weights": 0, RT + "getitem_vjp": 1, RT + "slices_vjp": 1}  # fmt: skip
_SLICES_VJP = RT + "slices_vjp"
_MATMUL_LIKE = RT + "matmul_like"  # (the shape of ``a @ b``: rules/accumulate.py)
_CHECKED = RT + "matmul_vjp_checked"
# ... of which these keep it for a shape of unknown rank too (any array or number)
_LIKE_ANY = frozenset({RT + "sum_vjp", RT + "mean_vjp", RT + "expand_reduced", RT + "ext_weights",
                       RT + "zeros_like", RT + "shape_like"})  # fmt: skip


# an array of the operand's shape (the operand an array or a number)
LIKE_ARRAY = frozenset(
    {
        "method.copy",
        "srcad.runtime.entry_copy",
        "srcad.runtime.returned_arg",
        "numpy.zeros_like",
        "numpy.ones_like",
        "numpy.empty_like",
    }
)


# NumPy functions whose result is always one array or NumPy scalar
NUMPY_ARRAYS = frozenset(
    """concatenate stack hstack vstack outer dot reshape tile diff clip std
    var mean sum prod max min amax amin cumsum cumprod transpose expand_dims squeeze ravel zeros
    ones full arange linspace eye array asarray sort flip roll repeat linalg.norm trace einsum
    tensordot kron cross interp polyval zeros_like ones_like empty_like full_like""".split()
)


@functools.cache
def ufunc_nin(prim: str) -> int:
    if not prim.startswith("numpy.") or prim.count(".") != 1:
        return 0
    f = getattr(numpy, prim[6:], None)
    # elementwise ufuncs only: np.matmul, vecdot, matvec, vecmat are ufuncs with a core signature
    # (their result does not have the broadcast shape of the operands)
    ok = isinstance(f, numpy.ufunc) and f.nout == 1 and f.signature is None
    return f.nin if ok else 0


def broadcast(s1: Shape, s2: Shape) -> Shape | None:
    """The shape of an elementwise operation on operands of shapes `s1` and `s2`."""
    if isinstance(s1, Bcast) or isinstance(s2, Bcast):
        if s1 == ():
            return s2
        if s2 == ():
            return s1
        if isinstance(s1, Bcast) and isinstance(s2, Bcast):
            return Bcast(s1 | s2)
        return None
    n = max(len(s1), len(s2))
    a = (1,) * (n - len(s1)) + s1
    b = (1,) * (n - len(s2)) + s2
    out = []
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:  # which of the two is not 1 at run time: named by the set of dimensions met
            out.append(frozenset(_parts(x) | _parts(y)))
    return tuple(out)


def _parts(d: object) -> frozenset:
    return d if isinstance(d, frozenset) else frozenset((d,))


def axes_of(axis: object, rank: int) -> tuple[int, ...] | None:
    if axis is None:
        return tuple(range(rank))
    parts = (axis,) if type(axis) is int else axis
    if type(parts) is not tuple or any(type(a) is not int or not -rank <= a < rank for a in parts):
        return None
    return tuple(sorted({a % rank for a in parts}))


def _const(op: Op, pos: int, name: str, default: object) -> tuple[bool, object]:
    a = op.args[pos] if len(op.args) > pos else op.kwargs.get(name, Const(default))
    return (True, a.value) if isinstance(a, Const) else (False, None)


@functools.cache
def _has_rule(p: str) -> bool:
    """Some rule of `infer_shape` is about `p` (for the others it gives None: their operands'
    shapes need not be looked up)."""
    return bool(
        p in BINARY or p in UNARY or ufunc_nin(p) or p in _LIKE_ANY or p in LIKE_ARRAY
        or p in REDUCE or p in LIKE_OPERAND or p in _OTHERS
    )  # fmt: skip


# the primitives `infer_shape` names besides those of the sets in `_has_rule`
_OTHERS = frozenset({RT + "unbroadcast", RT + "mul_vjp", "setitem", "getitem", "matmul",
                     "attr.ndim", "attr.size", "len", "attr.T", RT + "matmul_vjp",
                     RT + "matmul_like", _CHECKED})  # fmt: skip


def infer_shape(op: Op, sh: Any) -> Shape | None:
    p, args = op.prim, op.args
    if not _has_rule(p):
        return None
    ins = list(map(sh.shape, args))
    if p in BINARY or ufunc_nin(p) == 2:
        if len(args) == 2 and not op.kwargs and None not in ins:
            return broadcast(ins[0], ins[1])
        return None
    if p in UNARY or ufunc_nin(p) == 1:
        return ins[0] if len(args) == 1 and not op.kwargs else None
    if p == RT + "unbroadcast" and len(args) == 2 and not op.kwargs:
        # an array or NumPy scalar summed (or broadcast) to x's shape; a Python float unchanged
        ok = ins[1] is not None and (sh.arrayish(args[0]) or ins[0] == ins[1])
        return ins[1] if ok else None
    if p == RT + "mul_vjp" and len(args) == 4 and not op.kwargs:  # unbroadcast(g * other, a)
        ok = None not in ins[:3] and (sh.arrayish(args[0]) or sh.arrayish(args[2]))
        return ins[1] if ok and type(ins[1]) is tuple and ins[1] else None
    if p in _LIKE_ANY and len(args) > LIKE_OPERAND.get(p, 0):
        s = ins[LIKE_OPERAND.get(p, 0)]
        if isinstance(s, Bcast) or p in (RT + "zeros_like", RT + "shape_like"):
            return s
    if p in LIKE_ARRAY and len(args) == 1 and not op.kwargs and ins[0] is not None:
        if p != "method.copy" or (type(ins[0]) is tuple and ins[0]) or sh.arrayish(args[0]):
            return ins[0]  # (a Python number has no ``copy``; an array or NumPy scalar does)
    if p == "setitem" and len(args) == 3 and not op.kwargs and sh.arrayish(args[0]):
        return ins[0]  # ``x[i] = v`` keeps the shape of an array
    if p == _SLICES_VJP and len(args) == 4 and isinstance(ins[1], Bcast) and sh.arrayish(args[1]):
        return ins[1]  # the cotangent of a sliced array: `x`'s shape, whatever its rank
    if p in REDUCE and len(args) == 1 and not op.kwargs and isinstance(ins[0], Bcast):
        return ()  # over all axes: a NumPy scalar
    for s in ins:
        if isinstance(s, Bcast):
            return None  # the rules below need ranks
    if p in REDUCE and args and ins[0] is not None:
        if set(op.kwargs) - {"axis", "keepdims"} or len(args) > 2:
            return None
        ok1, axis = _const(op, 1, "axis", None)
        ok2, keep = _const(op, 2, "keepdims", False)
        axes = axes_of(axis, len(ins[0])) if ok1 and ok2 and type(keep) is bool else None
        if axes is None:
            return None
        s = ins[0]
        if keep:
            return tuple(1 if i in axes else d for i, d in enumerate(s))
        return tuple(d for i, d in enumerate(s) if i not in axes)
    if p == "getitem" and len(args) == 2 and ins[0] is not None and isinstance(args[1], Const):
        return index(ins[0], args[1].value)
    if (p == "matmul" or p == _MATMUL_LIKE) and len(args) == 2 and None not in ins:
        r0, r1 = len(ins[0]), len(ins[1])  # (1-D by 1-D: a NumPy scalar)
        if r0 in (1, 2) and r1 in (1, 2):
            return ins[0][:-1] + ins[1][1:]
        return None
    if p in ("attr.ndim", "attr.size", "len") and len(args) == 1 and ins[0] is not None:
        return ()  # a Python int
    if p == "attr.T" and len(args) == 1 and ins[0] is not None:
        return tuple(reversed(ins[0]))
    if p == RT + "matmul_vjp" and len(args) == 4 and isinstance(args[3], Const):
        which = args[3].value
        return ins[1 + which] if which in (0, 1) else None
    if p == _CHECKED and len(args) == 5:  # (its plain product's: rules/checked_products.py)
        return ins[0]
    if p in LIKE_OPERAND and len(args) > LIKE_OPERAND[p]:
        s = ins[LIKE_OPERAND[p]]
        # a cotangent of a Python number or a list is not an array of that shape
        return s if s else None
    return None


def index(s: Shape, idx: object) -> Shape | None:
    """Shape of ``x[idx]`` for basic indices of None, ``:`` and ints."""
    parts = idx if type(idx) is tuple else (idx,)
    out, i = [], 0
    for e in parts:
        if e is None:
            out.append(1)
        elif type(e) is slice and e == slice(None):
            if i >= len(s):
                return None
            out.append(s[i])
            i += 1
        elif type(e) is int:
            if i >= len(s):
                return None
            i += 1
        else:
            return None
    return (*out, *s[i:])
