"""Reductions over slices that have no entries (left) to divide by: mean/var/std derivatives there.

Input: a reduction's per-slice divisor (the count of ``np.mean(a, where=w)`` / ``np.nanmean``, the
degrees of freedom ``n - ddof`` of var/std) and the tangent or expanded cotangent. Output: the
derivative, NaN in the slices whose divisor is not positive, where NumPy's value is NaN or inf and
constant: ``np.mean(a, axis=0, where=w)`` of an all-False column, ``np.nanmean`` of an all-NaN
one, ``np.var(a, ddof=d)`` with ``d >= n`` (inf: NumPy divides by ``max(n - d, 0)``),
``np.nanvar`` with ``d >= n`` (NaN). A zero cotangent stays zero there, so a NaN reaches no
input that the outputs read do not depend on (``np.nanvar(x, axis=0, ddof=1)[0]``)::

    ct_over(e, w, count)   # np.where(w, e / count, 0), NaN where count == 0 and e != 0

The rule templates of var/std with ``where=`` (`srcad.rules.reductions`) do the same in NumPy
calls whose rules close every order: the divisor ``np.where(n > 0, n, nan)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# var/std with `where` (n: the selected count per slice less ddof, c: `a` centered on the
# selected mean): d var = 2 sum_where(c da) / n, ba = 2 E(g) c [where] / n (0 where E(g) is 0);
# std scales by std_scale of the selected entries alone.
_N = "np.sum(np.broadcast_to(where, np.shape({a})), axis=axis, keepdims={k}) - ddof"
_D = f"np.where({_N} > 0, {_N}, np.nan)"  # (none left: NaN, not inf or a negative count)
_C = "({a} - np.mean({a}, axis=axis, keepdims=True, where=where))"
_E = "_srcad.expand_reduced({g}, {a}, axis, keepdims)"
VAR_W = (
    f"2.0 * np.sum({_C} * d{{a}}, axis=axis, keepdims=keepdims, where=where) / "
    f"{_D.replace('{k}', 'keepdims')}",
    f"np.where({_E} != 0, {_E} * {_C} * np.where(where, 2.0, 0.0) / {_D.replace('{k}', 'True')}"
    ", 0.0)",
)
STD_W = "_srcad.std_scale(np.where(where, {a}, 0.0), axis, keepdims, ans)"
# d var / d ddof with `where`: var / (n - ddof) over the selected count
DDOF_W = f"1.0 / {_D.replace('{k}', 'keepdims')}"


def over(x: Any, d: Any) -> Any:
    """``x / d``, NaN where ``d <= 0`` (the tangent of a reduction dividing by `d`)."""
    ok = np.greater(d, 0)
    if np.all(ok):
        return x / d
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, x / np.where(ok, d, 1), np.nan)


def ct_over(e: Any, w: Any, d: Any) -> Any:
    """``np.where(w, e / d, 0)`` (`w` None: everywhere), the cotangent `e` of a reduction
    dividing by `d` spread over its selected entries; where ``d <= 0``, NaN for a nonzero `e`
    and 0 for a zero one."""
    ok = np.greater(d, 0)
    if np.all(ok):
        return e / d if w is None else np.where(w, e / d, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = e / np.where(ok, d, 1)
    if w is not None:
        inside = np.where(w, inside, 0.0)
    return np.where(ok, inside, np.where(e != 0, np.nan, 0.0))
