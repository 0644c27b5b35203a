"""NumPy calls that reorder or reduce a float array's elements, for the rank facts (passes/ranks.py).

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


# joins of a list/tuple display of float arrays of one known rank (`stacked_rank`)
JOINS = frozenset({"numpy.stack", "numpy.vstack", "numpy.hstack", "numpy.concatenate",
                   "numpy.column_stack", "numpy.dstack", "numpy.array"})  # fmt: skip


def stacked_rank(op: Op, p: str, k: int) -> int | None:
    """The rank of ``np.stack(parts)`` (and the other `JOINS`) when every part is a float array
    of rank `k` >= 1 (NumPy raises unless the parts' shapes agree, so one rank is all they can
    have): one more for ``stack`` and ``array`` (``np.array([a, b])`` of arrays of one shape),
    at least 2 for ``vstack``/``column_stack``, at least 3 for ``dstack``, `k` for ``hstack``
    and ``concatenate`` (1 with ``axis=None``). None with other operands (``dtype=``, ``out=``,
    an axis that is not a constant)."""
    kw = set(op.kwargs)
    axis = op.kwargs.get("axis", op.args[1] if len(op.args) == 2 else None)
    if len(op.args) > 2 or (len(op.args) == 2 and kw) or not kw <= {"axis"}:
        return None
    if p in ("numpy.stack", "numpy.concatenate"):
        if axis is not None and not (isinstance(axis, Const) and type(axis.value) is int):
            if not (p == "numpy.concatenate" and isinstance(axis, Const) and axis.value is None):
                return None
            return 1  # np.concatenate(parts, axis=None): flattened
        return k + 1 if p == "numpy.stack" else k
    if len(op.args) != 1 or kw:
        return None
    if p == "numpy.array":
        return k + 1
    if p in ("numpy.vstack", "numpy.column_stack"):
        return max(k, 2)
    return max(k, 3) if p == "numpy.dstack" else k


# reductions of a float array along constant axes (`reduced_rank`)
REDUCTIONS = frozenset(
    f"{m}.{n}"
    for m in ("numpy", "method")
    for n in ("sum", "mean", "prod", "max", "min", "amax", "amin", "std", "var")
)


def reduced_rank(op: Op, a: list, k: int) -> int | None:
    """The rank of ``np.sum(x, axis=ax)`` (and the other `REDUCTIONS`) of a float array `x` of rank
    `k`, when `ax` is a constant int or tuple of ints (keyword, or the second operand) and
    ``keepdims`` is absent or a constant: `k` less the axes (`k` with ``keepdims=True``; NumPy
    raises for an axis out of range or given twice). None without an axis (a NumPy scalar) and
    with other operands (``dtype=``, ``out=``, ``where=``; ``ddof=`` of std/var is read too)."""
    kw = set(op.kwargs)
    if not kw <= {"axis", "keepdims", "ddof"} or len(a) > 2 or (len(a) == 2 and "axis" in kw):
        return None
    axis = op.kwargs.get("axis", a[1] if len(a) == 2 else None)
    keep = op.kwargs.get("keepdims", Const(False))
    if not isinstance(axis, Const) or not isinstance(keep, Const) or type(keep.value) is not bool:
        return None
    ax = axis.value
    if type(ax) is int:
        ax = (ax,)
    if type(ax) is not tuple or not all(type(v) is int for v in ax):
        return None
    if keep.value:
        return k
    return k - len(ax) if len(ax) < k else None
