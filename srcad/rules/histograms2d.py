"""``np.histogram2d``: the counts are piecewise constant in the samples (a zero derivative, as
``np.histogram``'s), linear in `weights`; each axis's edges move with its samples' extremes
where NumPy finds them itself (a bin count, no range for that axis: rules/histograms.py).

Input: the `RuleTable` pair. Output: the rules of ``numpy.histogram2d`` and of its helpers.
`bins`, `range` and `density` hold no derivative (a varied one is refused). ``density=True`` is
nonlinear in the weights and, over moving edges, in the samples: refused when the code runs.
NumPy's `bins` is one count or array of edges for both axes, or a pair (one for each); its
`range` a pair of (min, max) pairs (or None). Example::

    jvp of H, xe, ye = np.histogram2d(x, y, 4, weights=w):
        _srcad.histogram2d_a(dx, x, y, 4, None, None, ans, 0)  # (0, dxe, 0)
        + _srcad.histogram2d_w(dw, x, y, 4, None, None, ans)   # (the weighted counts, 0, 0)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand, real_part
from srcad.rules import histograms
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.indexing import _unsupported
from srcad.rules.reductions import _like_input

_H = "x, y, bins, range, density, res"


def _axis_args(bins, range, k):  # noqa: A002 - NumPy's name
    """(bins, range) of axis `k` as ``np.histogram2d`` splits them."""
    try:
        n = len(bins)
    except TypeError:
        n = 1
    b = bins[k] if n == 2 else bins
    return b, (None if range is None else range[k])


def _no_density(density):
    if density:
        raise _unsupported("np.histogram2d with density=True has no derivative rule")


@helper
def histogram2d_a(t, x, y, bins, range, density, res, k):  # noqa: A002
    """Tangent of ``np.histogram2d(x, y, ...)`` (`res`: its result) along `t`, the tangent of
    the samples of axis `k` (0: x, 1: y): zero counts, the edges' motion on that axis."""
    _no_density(density)
    a = (x, y)[k]
    b, r = _axis_args(bins, range, k)
    _, de = histograms.histogram_jvp(t, a, b, r, False, (res[0], res[1 + k]))
    out = [np.zeros(np.shape(res[0])), np.zeros(np.shape(res[1])), np.zeros(np.shape(res[2]))]
    out[1 + k] = de
    return tuple(out)


@helper
def histogram2d_a_vjp(g, x, y, bins, range, density, res, k):  # noqa: A002
    """Cotangent of the samples of axis `k` from `g`, the cotangents of (H, xedges, yedges)."""
    _no_density(density)
    a = (x, y)[k]
    b, r = _axis_args(bins, range, k)
    ge = None if g is None else (None, g[1 + k])
    return histograms.histogram_vjp(ge, a, b, r, False, (res[0], res[1 + k]))


@helper
def histogram2d_w(t, x, y, bins, range, density, res):  # noqa: A002
    """Tangent of ``np.histogram2d(x, y, ..., weights=w)`` along `t` (a tangent of `w`): the
    counts weighted by `t` (NumPy's, over the same edges), zero edges."""
    _no_density(density)
    h = np.histogram2d(x, y, [res[1], res[2]], weights=t)[0]
    return h, np.zeros(np.shape(res[1])), np.zeros(np.shape(res[2]))


def _bin_of(v, edges):
    """Each sample's bin on one axis (-1 or len(edges) - 1 outside; the last bin closed)."""
    k = np.searchsorted(edges, v, "right") - 1
    return np.where(v == edges[-1], len(edges) - 2, k)


@helper
def histogram2d_w_vjp(g, x, y, bins, range, density, res, like):  # noqa: A002
    """Cotangent of the weights (shaped like `like`): the counts' cotangent at each sample's
    bin, 0 outside the edges."""
    _no_density(density)
    gh = None if g is None else g[0]
    if gh is None:
        return _like_input(np.zeros(np.shape(like)), like)
    xe, ye = res[1], res[2]
    i = _bin_of(np.ravel(real_operand(x, "np.histogram2d")), xe)
    j = _bin_of(np.ravel(real_operand(y, "np.histogram2d")), ye)
    inside = (i >= 0) & (i < len(xe) - 1) & (j >= 0) & (j < len(ye) - 1)
    gh = real_part(np.asarray(gh))
    vals = gh[np.clip(i, 0, len(xe) - 2), np.clip(j, 0, len(ye) - 2)]
    return _like_input(np.reshape(np.where(inside, vals, 0.0), np.shape(like)), like)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    sig = "x, y, bins=10, range=None, density=None, weights=None"
    nd = ("bins", "range", "density")
    own = "x, y, bins, range, density, ans"
    jvp.defjvp(
        "numpy.histogram2d", sig, nondiff=nd,
        x=f"_srcad.histogram2d_a(dx, {own}, 0)", y=f"_srcad.histogram2d_a(dy, {own}, 1)",
        weights=f"_srcad.histogram2d_w(dweights, {own})",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.histogram2d", sig, nondiff=nd,
        x=f"_srcad.histogram2d_a_vjp(g, {own}, 0)", y=f"_srcad.histogram2d_a_vjp(g, {own}, 1)",
        weights=f"_srcad.histogram2d_w_vjp(g, {own}, weights)",
    )  # fmt: skip
    # the helpers are linear in their first argument, each the other's transpose; the samples
    # and `res` enter through bins, extremes and shapes only (locally constant)
    sig = f"t, {_H}, k"
    deflinear_helper(
        jvp, vjp, histogram2d_a, sig,
        f"_srcad.histogram2d_a(dt, {_H}, k)", f"_srcad.histogram2d_a_vjp(g, {_H}, k)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, histogram2d_a_vjp, sig,
        f"_srcad.histogram2d_a_vjp(dt, {_H}, k)", f"_srcad.histogram2d_a(g, {_H}, k)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, histogram2d_w, f"t, {_H}",
        f"_srcad.histogram2d_w(dt, {_H})", f"_srcad.histogram2d_w_vjp(g, {_H}, t)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, histogram2d_w_vjp, f"t, {_H}, like",
        f"_srcad.histogram2d_w_vjp(dt, {_H}, like)", f"_srcad.histogram2d_w(g, {_H})",
    )  # fmt: skip
