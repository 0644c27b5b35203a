"""NumPy calls that reorder a float array's elements, for the rank facts (passes/ranks.py).

Input: a ``sort``/``flip``/``roll``/``cumsum``/``cumprod``/``ravel``/``flatten`` op of a float
array. Output: whether its operands are ones these facts read (`reorder_ok`: a constant int or
None ``axis``, no ``dtype=``/``kind=``/``out=``) and whether the result keeps the operand's rank
(`keeps_rank`) or is 1-D: ``np.sort(x)`` and ``np.sort(x, axis=0)`` keep it, ``np.sort(x,
axis=None)`` flattens; ``np.cumsum(x, axis=1)`` keeps it, ``np.cumsum(x)`` flattens; ``np.flip``
and ``np.roll`` keep it whatever their axis; ``x.ravel()`` flattens. So ``a = np.sort(x);
a[1:][0] += v`` is a write into a float array of a known rank, as ``a = np.sin(x)`` is.
"""

from __future__ import annotations

from srcad.ssa.core import Const, Op

_CUMS = frozenset({"numpy.cumsum", "numpy.cumprod", "method.cumsum", "method.cumprod"})
_FLATS = frozenset({"numpy.ravel", "method.ravel", "method.flatten"})
REORDERS = _CUMS | _FLATS | {"numpy.sort", "numpy.flip", "numpy.roll"}


def _axis_of(op: Op, p: str, a: list) -> object:
    """The `axis` operand of a `REORDERS` call (positional: after `shift` for roll), or None."""
    if "axis" in op.kwargs:
        return op.kwargs["axis"]
    at = 2 if p == "numpy.roll" else 1
    return a[at] if len(a) > at else None


def reorder_ok(op: Op, p: str, a: list) -> bool:
    """The operands are the ones `keeps_rank` reads: an `axis` that is a constant int or None
    (flip and roll: any), a `shift`, an `order`; no `dtype=`, `kind=` or `out=`."""
    kw = set(op.kwargs)
    if p in _FLATS:
        return len(a) == 1 and kw <= {"order"}
    most = 3 if p == "numpy.roll" else 2
    if len(a) > most or not kw <= {"axis"} or (kw and len(a) == most):
        return False
    axis = _axis_of(op, p, a)
    const = isinstance(axis, Const) and (axis.value is None or type(axis.value) is int)
    return p in ("numpy.flip", "numpy.roll") or axis is None or const


def keeps_rank(op: Op, p: str, a: list) -> bool:
    """`REORDERS`' result has its operand's rank (else it is 1-D): flip and roll always (roll
    without an axis rolls the flattened array and gives it its shape back), sort along an
    axis (the last when none is given), cumsum/cumprod only along an int axis."""
    if p in _FLATS:
        return False
    if p in ("numpy.flip", "numpy.roll"):
        return True
    axis = _axis_of(op, p, a)
    if axis is None:
        return p == "numpy.sort"
    return isinstance(axis, Const) and type(axis.value) is int
