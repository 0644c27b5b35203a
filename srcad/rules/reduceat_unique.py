"""``np.maximum.reduceat``/``np.minimum.reduceat`` and ``np.unique``'s values: helpers and rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of the helpers the lowering
writes for those calls (lower/library.py, lower/unique_np.py).

- ``ext_reduceat(a, indices, axis, kind)`` is ``np.maximum.reduceat`` (`kind` 'maximum') or
  ``np.minimum.reduceat``: each output the extreme of its segment ``a[indices[i]:indices[i+1]]``
  (``a[indices[i]]`` alone when the next index is not larger); its derivative is shared evenly
  by the segment's entries that tie the extreme, as ``np.max`` shares it (``ext_reduceat_apply``,
  linear in the tangent, its transpose the cotangent of `a`).
- ``unique_values(ar, equal_nan)`` is ``np.unique(ar)`` (sorted distinct values): where the
  values are distinct it is a sort, and each output moves with the entry it came from
  (``unique_apply``). Where a value repeats, the number of outputs changes under any
  perturbation that separates the copies, so no derivative exists (and neither averaging nor
  picking one copy is right for ``u[inverse]``, which is `ar` itself): ``unique_apply`` raises
  a `DiffError` when it meets a repeat. ``unique_ints`` gives the integer results
  (``return_index``/``return_inverse``/``return_counts``): zero derivative.

Example (``np.maximum.reduceat(x, [0, 2])``)::

    jvp: _srcad.ext_reduceat_apply(dx, x, [0, 2], 0, 'maximum', False)
    vjp: bx = _srcad.ext_reduceat_apply(g, x, [0, 2], 0, 'maximum', True)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand, real_part
from srcad.errors import DiffError
from srcad.rules.helpers import defzero_helper, helper, rt


@helper
def ext_reduceat(a, indices, axis, kind):
    """``np.maximum.reduceat(a, indices, axis)`` (`kind` 'maximum') or ``np.minimum``'s."""
    return getattr(np, kind).reduceat(a, indices, axis)


def _segments(n: int, indices) -> tuple[np.ndarray, np.ndarray]:
    """(owner, pos): output `owner[j]` reads entry `pos[j]` (NumPy's segments)."""
    start = np.asarray(indices, dtype=np.intp).ravel()
    start = np.where(start < 0, start + n, start)
    stop = np.append(start[1:], n)
    stop = np.where(stop > start, stop, start + 1)  # (a non-increasing pair: a[start] alone)
    owner = np.repeat(np.arange(len(start)), stop - start)
    pos = np.concatenate([np.arange(s, e) for s, e in zip(start, stop)]) if len(start) else start
    return owner, pos


@helper
def ext_reduceat_apply(t, a, indices, axis, kind, transpose):
    """The tangent of ``ext_reduceat(a, indices, axis, kind)`` in the direction `t` (its
    transpose, the cotangent of `a`, when `transpose`): linear in `t`."""
    a = np.asarray(a)
    ax = axis % a.ndim
    am = np.moveaxis(a, ax, 0)
    out = getattr(np, kind).reduceat(am, indices, 0)
    owner, pos = _segments(am.shape[0], indices)
    vals, top = am[pos], out[owner]
    tie = (vals == top) | (np.isnan(vals) & np.isnan(top))
    count = np.zeros(out.shape)
    np.add.at(count, owner, tie)
    w = tie / count[owner]
    if transpose:
        gm = np.moveaxis(np.asarray(real_part(t), dtype=float), ax, 0)
        res = np.zeros(am.shape)
        np.add.at(res, pos, w * gm[owner])
    else:
        tm = np.moveaxis(np.asarray(real_operand(t, f"np.{kind}.reduceat"), float), ax, 0)
        res = np.zeros(out.shape)
        np.add.at(res, owner, w * tm[pos])
    return np.moveaxis(res, 0, ax)


@helper
def unique_values(ar, equal_nan=True):
    """``np.unique(ar, equal_nan=equal_nan)``: the sorted distinct values."""
    return np.unique(ar, equal_nan=equal_nan)


@helper
def unique_ints(ar, return_index, return_inverse, return_counts, equal_nan=True):
    """The integer results of ``np.unique(ar, return_index=..., ...)``, as a tuple."""
    got = np.unique(
        ar,
        return_index=return_index,
        return_inverse=return_inverse,
        return_counts=return_counts,
        equal_nan=equal_nan,
    )
    return tuple(got[1:])


@helper
def unique_apply(t, ar, equal_nan, transpose):
    """The tangent of ``unique_values(ar, equal_nan)`` in the direction `t` (its transpose, the
    cotangent of `ar`, when `transpose`): each distinct value moves with its entry. Raises a
    `DiffError` when a value repeats (module docstring)."""
    ar = np.asarray(ar)
    _, inv, count = np.unique(ar, return_inverse=True, return_counts=True, equal_nan=equal_nan)
    if np.any(count > 1):
        raise DiffError(
            "`np.unique` of values that repeat has no derivative: separating the copies "
            "changes how many values it returns",
            hint="make the repeated values distinct, or call `np.unique` on values that do "
            "not depend on the differentiated inputs (`srcad.stop_gradient(x)`)",
        )
    inv = np.asarray(inv).ravel()
    t = np.asarray(t)
    if transpose:
        return t[inv].reshape(ar.shape)
    out = np.zeros(len(count), dtype=np.result_type(t, float))
    out[inv] = t.ravel()
    return out


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this module's rules."""
    sig, nd = "a, indices, axis, kind", ("indices", "axis", "kind")
    app = "_srcad.ext_reduceat_apply({}, a, indices, axis, kind, {})"
    jvp.defjvp(rt(ext_reduceat), sig, nondiff=nd, a=app.format("da", "False"))
    vjp.defvjp(rt(ext_reduceat), sig, nondiff=nd, a=app.format("g", "True"))
    sig, nd = "t, a, indices, axis, kind, transpose", ("indices", "axis", "kind", "transpose")
    jvp.defjvp(
        rt(ext_reduceat_apply), sig, nondiff=nd,
        t=app.format("dt", "transpose"), a="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(ext_reduceat_apply), sig, nondiff=nd,
        t=app.format("g", "not transpose"), a="_srcad.zeros_like(a)",
    )  # fmt: skip
    sig, nd = "ar, equal_nan=True", ("equal_nan",)
    app = "_srcad.unique_apply({}, ar, equal_nan, {})"
    jvp.defjvp(rt(unique_values), sig, nondiff=nd, ar=app.format("dar", "False"))
    vjp.defvjp(rt(unique_values), sig, nondiff=nd, ar=app.format("g", "True"))
    sig, nd = "t, ar, equal_nan, transpose", ("equal_nan", "transpose")
    jvp.defjvp(
        rt(unique_apply), sig, nondiff=nd,
        t="_srcad.unique_apply(dt, ar, equal_nan, transpose)", ar="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(unique_apply), sig, nondiff=nd,
        t="_srcad.unique_apply(g, ar, equal_nan, not transpose)", ar="_srcad.zeros_like(ar)",
    )  # fmt: skip
    defzero_helper(jvp, vjp, unique_ints)
