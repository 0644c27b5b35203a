"""``np.pad`` with ``reflect_type=``, ``end_values=`` or ``stat_length=``: its tangent and
cotangent, axis by axis.

Input: a tangent (or cotangent), the padded array's shape, `pad_width`, `mode` and those keyword
arguments. Output: `pad_axes`, the tangent (``transpose=False``) or the array's cotangent
(``transpose=True``), called by `srcad.rules.pad_modes.pad_jvp` and
`srcad.rules.shape_vjp.pad_vjp` when one of the keywords changes the derivative (`pad_kw`).

NumPy pads one axis after the other, each axis's border from the values along that axis of the
array padded so far. In the linear modes ('reflect'/'symmetric' with ``reflect_type='odd'``:
``2 * edge - mirror``; 'linear_ramp' towards `end_values`, constants; 'mean' of the first/last
`stat_length` values; the copying modes) each step is one matrix `M_k` applied along axis k, the
padding of an identity matrix along its rows with the same arguments (the end values 0: they do
not depend on the array). So the tangent is ``M_{d-1} ... M_0 dx`` and the cotangent applies the
transposes in reverse order. 'maximum', 'minimum' and 'median' with `stat_length` are not
linear: refused. Example::

    np.pad(x, 2, mode='reflect', reflect_type='odd')
    jvp: _srcad.pad_jvp(dx, x, 2, 'reflect', _srcad.pad_kw('reflect', None, 'odd'))
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper
from srcad.rules.indexing import _unsupported

_LINEAR = ("constant", "edge", "reflect", "symmetric", "wrap", "mean", "linear_ramp")


@helper
def pad_kw(mode, stat_length=None, reflect_type="even"):
    """The keywords of an ``np.pad`` call that change its derivative, None when none does
    (`end_values` never does: constants; the others only in the modes that read them)."""
    kw = {}
    if stat_length is not None and mode in ("mean", "maximum", "minimum", "median"):
        kw["stat_length"] = stat_length
    if reflect_type != "even" and mode in ("reflect", "symmetric"):
        kw["reflect_type"] = reflect_type
    return kw or None


def _pair(v, nd: int, k: int) -> tuple:
    """Axis `k`'s (before, after) of a NumPy per-axis argument (a number, a pair, pairs)."""
    a = np.broadcast_to(np.asarray(v, dtype=object), (nd, 2))
    return a[k, 0], a[k, 1]


def _matrix(n: int, before: int, after: int, mode: str, kw: dict, nd: int, k: int) -> np.ndarray:
    """`M_k`: row i of the padded axis as weights of the `n` values along it."""
    args = {}
    if "stat_length" in kw:
        args["stat_length"] = (_pair(kw["stat_length"], nd, k), (1, 1))
    if "reflect_type" in kw and mode in ("reflect", "symmetric"):
        args["reflect_type"] = kw["reflect_type"]
    if mode == "linear_ramp":
        args["end_values"] = 0.0  # constants: no tangent
    return np.pad(np.eye(n), ((before, after), (0, 0)), mode, **args)


@helper
def pad_axes(t, shape, pad_width, mode, kw, transpose=False):
    """The tangent of ``np.pad(array, pad_width, mode, **kw)`` (`shape`: the array's) for the
    array's tangent `t`, or with `transpose` the array's cotangent for the output's `t`."""
    if mode not in _LINEAR:
        raise _unsupported(
            f"no derivative for np.pad with mode={mode!r} and {', '.join(sorted(kw))}= (the "
            "border is a maximum/minimum/median of part of the array)"
        )
    nd = len(shape)
    pw = np.broadcast_to(np.asarray(pad_width, int), (nd, 2))
    mats, n = [], list(shape)
    for k in range(nd):
        a, b = int(pw[k, 0]), int(pw[k, 1])
        mats.append(_matrix(n[k], a, b, mode, kw, nd, k))
        n[k] += a + b
    t = np.asarray(t, dtype=np.result_type(t, float))
    order = reversed(range(nd)) if transpose else range(nd)
    for k in order:
        m = mats[k].T if transpose else mats[k]
        t = np.moveaxis(np.tensordot(m, t, axes=([1], [k])), 0, k)
    return t


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """`pad_axes` is linear in `t`; its transpose is itself with `transpose` flipped."""
    defzero_helper(jvp, vjp, pad_kw)
    deflinear_helper(
        jvp, vjp, pad_axes, "t, shape, pad_width, mode, kw, transpose=False",
        "_srcad.pad_axes(dt, shape, pad_width, mode, kw, transpose)",
        "_srcad.pad_axes(g, shape, pad_width, mode, kw, not transpose)",
    )  # fmt: skip
