"""Squares of a magnitude, ``np.abs(x) ** 2``, ``np.linalg.norm(x) ** 2`` and
``np.sqrt(s) ** 2`` of a sum of squares `s`: their derivative from `x` (from `s`).

Input: a function's IR. Output: ``{y: (x, kind, axis, keepdims)}`` for each ``y = a ** 2``
(also ``np.square(a)``, ``np.power(a, 2)``, ``math.pow(a, 2)``, ``a * a``) whose `a` is
``abs(x)``/``np.abs(x)``/``np.fabs(x)``/``math.fabs(x)`` (`kind` "abs": elementwise),
``np.linalg.norm(x, axis=..., keepdims=...)`` without `ord` ("norm": the 2-norm or the
Frobenius norm, ``np.sum(x * x, axis)`` squared back)
or ``np.sqrt(x)``/``math.sqrt(x)``/``x ** 0.5`` of a real sum of squares `x` ("root":
`fmasks.square_sums`, ``r = np.sqrt(np.sum(d ** 2))``; the square is `x` itself), or
``np.hypot(x, y)``/``math.hypot(x, y)`` ("hypot", `y` in the `axis` slot: ``x ** 2 + y ** 2``),
defined in the same block as `y` and read nowhere else. The reverse sweep (`ad/vjp.py`) gives `x` the
cotangent ``2 x g`` (`g` spread over the reduced axes; `g` itself for a root) directly; of a
complex `x` (``np.abs(psi) ** 2``, a state's probabilities: kind "cabs"; a norm's square,
"cnorm", summed), the tangent ``2 Re(conj(x) dx)`` and the cotangent ``2 Re(g) conj(x)`` (the
root and hypot of complex values keep their rules).

Why: the function is smooth (it is ``x * x``, summed), but the chain rule through the magnitude
is not at 0, where the magnitude's derivative takes the subgradient 0. The first derivative comes
out right there (``2 |x| * 0 = 0``), its derivative does not: forward over reverse gave a Hessian
of 0 where it is 2 (``np.linalg.norm(w) ** 2`` as a regulariser at the common starting point
``w = 0`` dropped out of Newton's step; ``np.exp(-r ** 2)`` of a distance ``r = np.sqrt(np.sum((x
- c) ** 2))`` had a Hessian of 0 at ``x = c`` where it is -2). ``2 x g`` is smooth, so every
order is right.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.fmasks import square_sums
from srcad.ad.softplus_tail import softplus_tails, tail_vjp
from srcad.ssa.census import ops_of
from srcad.ssa.core import (
    Const,
    Function,
    Op,
    Operand,
    Var,
    blocks_with_defs,
    shared_uses,
)

_ABS = frozenset({"abs", "numpy.absolute", "numpy.abs", "numpy.fabs", "math.fabs"})
_NORM = "numpy.linalg.norm"
_NORM_KWARGS = frozenset({"axis", "keepdims"})
_SQUARING = frozenset(
    {"pow", "numpy.power", "math.pow", "numpy.square", "mul"}
)  # what `_squared` reads
_SQRT = frozenset({"numpy.sqrt", "math.sqrt"})
_HYPOT = frozenset({"numpy.hypot", "math.hypot"})


def _two(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float) and a.value == 2


def _squared(op: Op) -> Operand | None:
    """`a` when `op` computes ``a ** 2`` (``np.square(a)``, ``np.power(a, 2)``, ``a * a``)."""
    if op.kwargs or len(op.results) != 1:
        return None
    args = op.args
    if op.prim in ("pow", "numpy.power", "math.pow") and len(args) == 2 and _two(args[1]):
        return args[0]
    if op.prim == "numpy.square" and len(args) == 1:
        return args[0]
    if op.prim == "mul" and len(args) == 2 and args[0] is args[1]:
        return args[0]
    return None


Square = tuple[Var, str, Operand, Operand]


def _roots(
    fn: Function, prims: set[str], cplx: Any, ranks: Any, memo: dict | None = None
) -> dict[Var, Var]:
    """``{r: s}`` for each square root ``r`` of a real sum of squares `s` (`square_sums`; not
    ``a @ a`` of an `a` not known to be a vector, `ranks` None or the float arrays' ranks: a
    matrix product may be negative)."""
    if prims.isdisjoint(_SQRT) and not prims & {"pow", "numpy.power", "numpy.float_power"}:
        return {}
    sums = square_sums(fn.body, cplx, ranks, prims, memo)
    out: dict[Var, Var] = {}
    if not sums:
        return out  # (no sum of squares: no root of one)
    for op in ops_of(fn.body):
        r = op.results[0] if len(op.results) == 1 else None
        if r not in sums or type(sums[r]) is not Var:
            continue
        if op.prim in _SQRT or (len(op.args) == 2 and _half(op.args[1])):
            out[r] = sums[r]
    return out


def _half(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) is float and a.value == 0.5


def squares(fn: Function, memo: dict | None = None, facts: tuple = ((), None)) -> dict[Var, Square]:
    """``{y: (x, kind, axis, keepdims)}`` for the squared magnitudes in `fn` (module docstring).
    `facts`: (the Vars that may be complex, the float arrays' ranks or None), for the roots."""
    found: dict[Var, Square] = {}
    prims = {op.prim for op in ops_of(fn.body)}
    roots = _roots(fn, prims, *facts, memo)
    if not roots and not any(p in _ABS or p in _HYPOT or p == _NORM for p in prims):
        return found
    counts = None  # the read counts, counted when a square of a magnitude is found

    for block, defs in blocks_with_defs(fn.body):
        for op in block.ops:
            if op.prim not in _SQUARING:  # (`_squared` is None)
                continue
            a = _squared(op)
            d = defs.get(a) if isinstance(a, Var) else None
            root = d is not None and a in roots
            hyp = d is not None and d.prim in _HYPOT and len(d.args) == 2 and not d.kwargs
            if (
                d is None
                or not (root or hyp)
                and (len(d.args) != 1 or not (d.prim in _ABS or d.prim == _NORM))
            ):
                continue
            if counts is None:
                counts = shared_uses(fn.body, memo)
            if counts.get(a) != (2 if op.prim == "mul" else 1):
                continue
            x = roots[a] if root else d.args[0]
            if hyp:  # (x, "hypot", y, None): the square is x ** 2 + y ** 2, broadcast
                x, y = d.args if isinstance(d.args[0], Var) else d.args[::-1]
                if isinstance(x, Var) and isinstance(y, (Var, Const)):
                    found[op.results[0]] = (x, "hypot", y, Const(None))
                continue
            if not isinstance(x, Var):
                continue
            if root:
                found[op.results[0]] = (x, "root", Const(None), Const(False))
            elif d.prim in _ABS and not d.kwargs:
                found[op.results[0]] = (x, "abs", Const(None), Const(False))
            elif d.prim == _NORM and set(d.kwargs) <= _NORM_KWARGS:
                axis, keep = (
                    d.kwargs.get("axis", Const(None)),
                    d.kwargs.get("keepdims", Const(False)),
                )
                found[op.results[0]] = (x, "norm", axis, keep)
    return found


def square_vjp(vjp: Any, op: Op, g: Operand, adj: dict, b: Any) -> bool:
    """`vjp` (an ad/vjp.py reverse transform) at ``y = a ** 2`` of `squares`: `x` gets
    ``g * (2 x)`` (`g` spread over a norm's reduced axes first; `g` for a root's square); False
    where it does not apply (not such a `y`, or `g` may be None)."""
    got = vjp.squares.get(op.results[0]) if len(op.results) == 1 else None
    if got is None or g in vjp.maybe_none:
        return False
    x, kind, axis, keepdims = got
    if kind == "root":
        vjp.acc(adj, x, g, b)
        return True
    if kind in ("norm", "cnorm"):
        g = b.op("srcad.runtime.sum_vjp", [g, x, axis, keepdims])
    if kind in ("cabs", "cnorm"):  # a complex x: 2 Re(g) conj(x) (dL = Re(ct dx), JAX's)
        c = b.op("mul", [Const(2.0), b.op("numpy.conjugate", [x])])
        vjp.acc(adj, x, b.op("mul", [b.op("numpy.real", [g]), c]), b)
        return True
    if kind == "hypot":  # (`axis`: the other operand)
        for v in (x, axis):
            if isinstance(v, Var):
                c = b.op("mul", [g, b.op("mul", [Const(2.0), v])])
                vjp.acc(adj, v, b.op("srcad.runtime.unbroadcast", [c, v]), b)
        return True
    vjp.acc(adj, x, b.op("mul", [g, b.op("mul", [Const(2.0), x])]), b)
    return True


def square_jvp(jvp: Any, op: Op, b: Any) -> Operand | None:
    """`jvp` (an ad/jvp.py forward transform) at ``y = a ** 2`` of `squares`: the tangent
    ``2 x dx`` (summed over a norm's reduced axes; ``dx`` for a root's square); None where it
    does not apply."""
    got = jvp.squares.get(op.results[0]) if len(op.results) == 1 else None
    if got is None:
        return None
    x, kind, axis, keepdims = got
    if kind == "root":
        return jvp.d(x, b)
    if kind == "hypot":  # 2 x dx + 2 y dy (`axis`: the other operand y)
        t = b.op("mul", [b.op("mul", [Const(2.0), x]), jvp.d(x, b)])
        if isinstance(axis, Var):
            u = b.op("mul", [b.op("mul", [Const(2.0), axis]), jvp.d(axis, b)])
            t = b.op("add", [t, u])
        return t
    if kind in ("cabs", "cnorm"):  # a complex x: 2 Re(conj(x) dx)
        t = b.op("numpy.real", [b.op("mul", [b.op("numpy.conjugate", [x]), jvp.d(x, b)])])
        t = b.op("mul", [Const(2.0), t])
    else:
        t = b.op("mul", [b.op("mul", [Const(2.0), x]), jvp.d(x, b)])
    if kind in ("norm", "cnorm"):
        t = b.op("numpy.sum", [t], {"axis": axis, "keepdims": keepdims})
    return t


def magnitude_chains(
    fn: Function, masks: Any, cplx: Any, memo: dict | None = None, ranks: Any = None
) -> tuple[dict, dict]:
    """`squares` and the softplus tails (ad/softplus_tail.py) of `fn`, except where a `np.where`
    mask applies to the result (`masks`: ad/masks.py) or the argument may be complex (`cplx`:
    ``|F| ** 2`` of a complex `F` is not ``F * F``). `memo`: `ssa.core.shared_uses`'s (the
    read counts are counted once for both, and for `ad/sigmoid.py` before them) and
    `fmasks.square_sums`' (found once for the masks and the roots). `ranks`: the
    float arrays' ranks or None (`squares`)."""
    memo = {} if memo is None else memo
    sq = {}
    for y, s in squares(fn, memo, (cplx, ranks)).items():
        if y in masks or (s[0] in cplx and s[1] not in ("abs", "norm")):
            continue
        sq[y] = (s[0], "c" + s[1], *s[2:]) if s[0] in cplx else s  # |F| ** 2 = Re(conj(F) F)
    return sq, {
        y: z for y, z in softplus_tails(fn, memo).items() if y not in masks and z[0] not in cplx
    }


def magnitude_vjp(vjp: Any, op: Op, g: Operand, adj: dict, b: Any) -> bool:
    """`square_vjp`, else the softplus tail's `tail_vjp`."""
    return square_vjp(vjp, op, g, adj, b) or tail_vjp(vjp, op, g, adj, b)
