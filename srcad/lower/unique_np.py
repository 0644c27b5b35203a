"""``np.unique`` as its values and its integer results, so that the values are differentiated
(more of `srcad.lower.library.REWRITES`).

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is: refused when its input is differentiated).

``np.unique(ar)`` -> ``_srcad.unique_values(ar, equal_nan)``; with any of ``return_index``,
``return_inverse``, ``return_counts`` (constants) the tuple NumPy returns, its first item the
values and the others from ``_srcad.unique_ints`` (zero derivative: rules/reduceat_unique.py,
which also says what happens where a value repeats). Not taken: ``axis`` other than None, flags
known only at run time, ``sorted=`` (NumPy >= 2.3). ``np.union1d(a, b)`` is what NumPy computes,
``np.unique(np.concatenate((a, b), axis=None))``: its values (a value in both, or repeated,
has no derivative: refused when the code runs, as for ``np.unique``).

    u, inv = np.unique(x, return_inverse=True)
        ->  u = _srcad.unique_values(x, True)
            inv = _srcad.unique_ints(x, False, True, False, True)[0]
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand


def unique(
    lc: Any,
    ar: Operand,
    return_index: Operand,
    return_inverse: Operand,
    return_counts: Operand,
    axis: Operand,
    equal_nan: Operand,
) -> Operand | None:
    flags = (return_index, return_inverse, return_counts)
    if axis != Const(None) or not all(isinstance(f, Const) for f in (*flags, equal_nan)):
        return None
    if not all(type(f.value) is bool for f in flags):
        return None
    values = lc.op("srcad.runtime.unique_values", [ar, equal_nan])
    n = sum(f.value for f in flags)
    if n == 0:
        return values
    ints = lc.op("srcad.runtime.unique_ints", [ar, *flags, equal_nan])
    parts = [lc.op("getitem", [ints, Const(k)]) for k in range(n)]
    return lc.op("tuple", [values, *parts])


def _signature(
    ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True
):
    """``np.unique``'s parameters (NumPy 2.0)."""


def union1d(lc: Any, ar1: Operand, ar2: Operand) -> Operand:
    both = lc.op("numpy.concatenate", [lc.op("tuple", [ar1, ar2])], {"axis": Const(None)})
    return lc.op("srcad.runtime.unique_values", [both, Const(True)])


REWRITES = {
    "numpy.unique": (_signature, unique),
    "numpy.union1d": (lambda ar1, ar2: None, union1d),
}
