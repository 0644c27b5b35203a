"""The index helpers of ``np.multiply.at`` / ``divide.at`` / ``maximum.at`` / ``minimum.at``
(lowered by srcad/lower/ufunc_at.py into differentiable NumPy calls), all with zero derivative.

Input: the `RuleTable` pair. Output: the tables filled with the helpers' (zero) rules.

- ``at_table(a, idx, v, kind)``: an int array, one row per distinct flat position `u` that
  ``a[idx]`` names (ascending): column 0 is `u`, the next columns the flat indexes into
  ``np.broadcast_to(v, a[idx].shape)`` of the elements NumPy writes there, in its order, padded
  with -1. NumPy's ``ufunc.at`` runs on a copy of `a` first (its errors); `a` must be a float
  array (a `DiffError` otherwise: integer arithmetic is not what the lowering computes).
- ``at_shape(a, idx)``: the shape of ``a[idx]`` (what `v` broadcasts to).
- ``at_divide_fix(a, idx, v, u, r0)``: NumPy's sequential quotients at the positions `u` minus
  `r0` (``a_u / prod(w)``): a rounding difference; a `DiffError` where it is more (an overflow
  or underflow of the product), since the derivative follows `r0`.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import defzero_helper, helper


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    defzero_helper(jvp, vjp, at_table, at_shape, at_divide_fix)


@helper
def at_table(a, idx, v, kind):
    """The grouped positions of ``np.<kind>.at(a, idx, v)`` (module docstring)."""
    ufunc = getattr(np, kind)
    if not isinstance(a, np.ndarray):
        ufunc.at(a, idx, v)  # raises, as the program would
    ufunc.at(np.array(a, copy=True), idx, v)  # NumPy's index, broadcast and cast errors
    if a.dtype.kind != "f":
        raise DiffError(
            f"`np.{kind}.at` into a {a.dtype} array: srcad lowers it for float arrays only",
            hint="write into a float array (`a.astype(float)`)",
        )
    pos = np.reshape(np.arange(a.size), a.shape)[idx]
    p = np.ravel(pos)
    order = np.argsort(p, kind="stable")
    u, start, counts = np.unique(p[order], return_index=True, return_counts=True)
    width = int(counts.max()) if counts.size else 0
    table = np.full((u.size, width + 1), -1, dtype=np.intp)
    table[:, 0] = u
    rows = np.repeat(np.arange(u.size), counts)
    table[rows, 1 + np.arange(p.size) - np.repeat(start, counts)] = order
    return table


@helper
def at_shape(a, idx):
    """The shape of ``a[idx]``."""
    return np.shape(np.zeros(np.shape(a), dtype=bool)[idx])


@helper
def at_divide_fix(a, idx, v, u, r0):
    """NumPy's ``np.divide.at`` values at `u` minus `r0` (module docstring)."""
    exact = np.array(a, copy=True)
    np.divide.at(exact, idx, v)
    want = np.ravel(exact)[u]
    fix = want - r0
    both = np.isfinite(fix)
    close = np.abs(fix[both]) <= 1e-12 * np.abs(want[both])
    if not np.all(close) or not np.array_equal(want[~both], r0[~both], equal_nan=True):
        raise DiffError(
            "`np.divide.at` with a position divided several times by values whose product "
            "overflows or underflows: srcad differentiates the quotient by the product",
            hint="divide by the product yourself, or scale the values",
        )
    return np.where(both, fix, 0.0)
