"""The mean's count for `passes/shapes.py`'s ``mean_vjp(g, a, axis) * y`` rewrite.

Input: the cotangent `g` of ``np.mean(a, axis)`` (already doubled for ``y = pow_dx(x, 2)``), the
array `a`, the axes it averages over (None: all). Output: ops computing ``g / n``, `n` the number
of elements averaged, appended to a list; the Operand holding it. So::

    _srcad.mean_vjp(1.0, t ** 2) * _srcad.pow_dx(t, 2)   ->   (2.0 / max(t2.size, 1)) * t

(``max(n, 1)``: an empty `a` has an empty cotangent whatever the factor, where ``2.0 / 0`` would
raise). ``2.0 * (g / n) * x`` and ``(2.0 * g / n) * x`` round alike: doubling is exact.
"""

from __future__ import annotations

from srcad.ssa.core import Const, Op, Operand, Var


def divided_by_count(
    g: Operand, a: Operand, axes: tuple[int, ...] | None, out: list[Op], loc: object = None
) -> Operand:
    """``g / max(n, 1)``, `n` the size of `a` (`axes` None) or the product of its lengths along
    `axes`, as ops appended to `out`."""
    if axes is None:
        n = Var()
        out.append(Op("attr.size", [a], results=[n], loc=loc))
    else:
        shape = Var()
        out.append(Op("attr.shape", [a], results=[shape], loc=loc))
        n = None
        for i in axes:
            d = Var()
            out.append(Op("getitem", [shape, Const(i)], results=[d], loc=loc))
            if n is not None:
                p = Var()
                out.append(Op("mul", [n, d], results=[p], loc=loc))
                d = p
            n = d
    m, q = Var(), Var()
    out.append(Op("max", [n, Const(1)], results=[m], loc=loc))
    out.append(Op("truediv", [g, m], results=[q], loc=loc))
    return q
