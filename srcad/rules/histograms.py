"""``np.histogram``: the counts are piecewise constant in the data (a zero derivative, as for
``floor``), the bin edges move with the data's extremes when NumPy finds the range itself.

Input: the `RuleTable` pair. Output: the rules of the two helpers ``numpy.histogram``'s term
in `a` calls (`JVP_A`, `VJP_A`; rules/numpy_more2.py holds the rule, linear in `weights` too;
`bins`, `range` and `density` hold no derivative: a varied one is refused). With `bins` a
count or a rule's name and no `range`, NumPy's edges are ``linspace(lo, hi, n + 1)`` over
``lo, hi = a.min(), a.max()`` (``lo - 0.5, hi + 0.5`` when they are equal), so their tangent
is ``linspace(dlo, dhi, n + 1)``, ``dlo``/``dhi`` the tangent at the first minimum/maximum;
with an array of edges or a `range`, the edges are constant. ``density=True`` over moving
edges divides by their width, whose derivative the helpers do not take (a DiffError when the
code runs); over fixed edges it is constant.
Example::

    jvp of np.histogram(a, bins): _srcad.histogram_jvp(da, a, bins, range, density, ans)
                                  -> (zeros of the counts, linspace(da[argmin], da[argmax], n+1))
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.indexing import _unsupported
from srcad.rules.trees import zeros_like

ARGS = "a, bins, range, density, ans"


def _moving(a, bins, range, density) -> bool:  # noqa: A002
    """Do the edges follow the data's extremes (see the module docstring)?"""
    moving = range is None and np.ndim(bins) == 0 and np.size(a) > 0
    if moving and density:
        raise _unsupported(
            "the derivative of np.histogram(..., density=True) over edges NumPy finds from the "
            "data (no `range`, a bin count) is not supported: give `range=` or an array of edges"
        )
    return moving


@helper
def histogram_jvp(da, a, bins, range, density, res):  # noqa: A002 - NumPy's name
    """Tangent of ``np.histogram(a, bins, range, density)`` (`res`: its result) along `da`."""
    edges = res[1]
    dedges = np.zeros(np.shape(edges))
    if _moving(a, bins, range, density):
        flat, dflat = np.ravel(a), np.ravel(np.broadcast_to(da, np.shape(a)))
        dedges = np.linspace(dflat[np.argmin(flat)], dflat[np.argmax(flat)], len(edges))
    return zeros_like(res[0]), dedges


@helper
def histogram_vjp(g, a, bins, range, density, res):  # noqa: A002
    """Cotangent of `a` for ``np.histogram`` from `g`, a (counts, edges) pair of cotangents."""
    out = np.zeros(np.shape(a))
    ge = None if g is None else g[1]
    if not _moving(a, bins, range, density) or ge is None:  # (first: density's check)
        return out
    t = np.linspace(0.0, 1.0, len(res[1]))
    flat, ge = np.ravel(a), np.asarray(ge, float)
    view = out.reshape(-1)
    view[np.argmin(flat)] += np.sum(ge * (1.0 - t))
    view[np.argmax(flat)] += np.sum(ge * t)
    return out


# the terms of `a` in ``numpy.histogram``'s rules (rules/numpy_more2.py, with the weights')
JVP_A = f"_srcad.histogram_jvp(da, {ARGS})"
VJP_A = f"_srcad.histogram_vjp(g, {ARGS})"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of this family's helpers."""
    # the helpers are linear in their first argument, each the other's transpose; `a` and `ans`
    # enter through the positions of the extremes and the shapes only (locally constant)
    sig, own = "t, a, bins, range, density, res", "a, bins, range, density, res"
    deflinear_helper(
        jvp, vjp, histogram_jvp, sig,
        f"_srcad.histogram_jvp(dt, {own})", f"_srcad.histogram_vjp(g, {own})",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, histogram_vjp, sig,
        f"_srcad.histogram_vjp(dt, {own})", f"_srcad.histogram_jvp(g, {own})",
    )  # fmt: skip
