"""Session 48 (hunt48a): wrong derivatives found in user-style probabilistic, numerical,
statistical and physics programs.

- ``np.interp(x, xp, fp)`` with an `xp` that is not increasing: NumPy does not check it and
  returns values of its bisection over unsorted breakpoints; srcad's slope (the x and xp
  derivatives, `interp_slope`) searched the segments with ``np.searchsorted`` and gave a
  derivative of another function (the fp derivative, interp itself applied to the unit vectors,
  was right). A decreasing xp is now refused when the slope is computed.
- ``scipy.interpolate.interp1d(x, y, assume_sorted=True)(q)`` with an unsorted `x`: scipy
  does not sort it, and evaluates a 1-D y by np.interp but the identity columns srcad's y
  derivative interpolates by its own search (different meaningless values), while the slope
  sorted x: both derivatives were wrong. Refused now (libinterp `_check_sorted`).
- A NaN-skipping reduction (``np.nansum``, nanmean, nanmax, nanmedian, ...) or one with
  ``where=`` inside a module-level helper, called on ``Y * w`` with NaNs (missing data) in `Y`:
  the helper's parameter mask (`ad/callmasks.py`) dropped the condition `nan_left_out(u, ans)`
  because `ans`, the reduction's result, is the helper's own value, so the caller multiplied the
  zero cotangent by the NaN in `Y`: a NaN gradient for a finite, smooth loss (the same code
  written inline was right). The caller now recomputes the reduction for the condition; `pow`
  joins the elementwise ops a carried condition may recompute (``np.nansum(Z ** 2)``).
- Five or more NaN-skipping reductions of one value (``np.nansum(z) + np.nanmean(z ** 2) +
  np.nanvar(z, 0).sum() + np.nanstd(z, 1).sum() + np.nanmax(z)``): `ad/masks.py` keeps at most
  four alternatives, and these share no condition, so nothing was masked: a NaN gradient again.
  Their conditions are now merged into one (`nanmasks.left_out_all`: keep where not all of them
  hold, their union exactly).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import interp1d

import srcad

Q = np.array([0.15, 0.45, 0.8])
FP = np.array([0.3, -1.0, 0.5, 2.0, 1.0])
XP_UNSORTED = np.array([0.0, 0.5, 0.2, 0.7, 1.0])


def interp_loss(q, xp, fp):
    return np.sum(np.interp(q, xp, fp) ** 2)


@pytest.mark.parametrize("k", [0, 1])
def test_interp_unsorted_xp_refused(k):
    # the central differences of this program in q[1] are +4.524, srcad's slope gave -5.22
    with pytest.raises(srcad.SrcadError, match="increasing"):
        srcad.grad(interp_loss, k)(Q, XP_UNSORTED, FP)
    t = [None, None, None]
    t[k] = np.ones(len((Q, XP_UNSORTED)[k]))
    with pytest.raises(srcad.SrcadError, match="increasing"):
        srcad.jvp(interp_loss, (Q, XP_UNSORTED, FP), t)


def test_interp_unsorted_xp_fp_still_right():
    # interp is linear in fp whatever xp is: that derivative is NumPy's own and stays
    g = srcad.grad(interp_loss, 2)(Q, XP_UNSORTED, FP)
    eps = 1e-6
    fd = [
        (interp_loss(Q, XP_UNSORTED, FP + eps * e) - interp_loss(Q, XP_UNSORTED, FP - eps * e))
        / (2 * eps)
        for e in np.eye(5)
    ]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_interp_repeated_xp_still_differentiated():
    xp = np.array([0.0, 0.3, 0.3, 0.7, 1.0])
    g = srcad.grad(interp_loss, 0)(Q, xp, FP)
    eps = 1e-6
    fd = [
        (interp_loss(Q + eps * e, xp, FP) - interp_loss(Q - eps * e, xp, FP)) / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def i1d_sorted_claim(q, y):
    f = interp1d(np.array([0.0, 0.5, 0.2, 0.7, 1.0]), y, assume_sorted=True)
    return np.sum(f(q) ** 2)


def i1d_sorted_true(q, y):
    f = interp1d(np.array([0.0, 0.2, 0.5, 0.7, 1.0]), y, assume_sorted=True)
    return np.sum(f(q) ** 2)


@pytest.mark.parametrize("k", [0, 1])
def test_interp1d_assume_sorted_unsorted_x_refused(k):
    # central differences in y: [-0.76, -1.84, 0, 1.47, 0.73]; srcad gave [-0.59, -0.25, -0.88, ...]
    y = np.array([0.3, -1.0, 0.5, 2.0, 1.0])
    with pytest.raises(srcad.SrcadError, match="assume_sorted"):
        srcad.grad(i1d_sorted_claim, k)(Q, y)
    t = [None, None]
    t[k] = np.ones(len((Q, y)[k]))
    with pytest.raises(srcad.SrcadError, match="assume_sorted"):
        srcad.jvp(i1d_sorted_claim, (Q, y), t)


@pytest.mark.parametrize("k", [0, 1])
def test_interp1d_assume_sorted_sorted_x_still_differentiated(k):
    args = [Q.copy(), np.array([0.3, -1.0, 0.5, 2.0, 1.0])]
    g = srcad.grad(i1d_sorted_true, k)(*args)
    eps = 1e-6
    fd = []
    for e in np.eye(len(args[k])):
        hi, lo = list(args), list(args)
        hi[k], lo[k] = args[k] + eps * e, args[k] - eps * e
        fd.append((i1d_sorted_true(*hi) - i1d_sorted_true(*lo)) / (2 * eps))
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


YNAN = np.array([[0.4, np.nan, -1.2], [1.1, 0.3, -0.2], [np.nan, 0.8, 0.5], [-0.7, 1.9, np.nan]])
W = np.array([1.3, -0.4, 0.9])


def _nansum_helper(z):
    return np.nansum(z)


def _nansq_helper(z):
    return np.nansum(z**2)


def _nanstats_helper(z):
    return np.nanmedian(z) + np.nanmax(z, axis=0).sum() + np.sum(np.nanmean(z, axis=1) ** 2)


def _masked_sum_helper(z, m):
    return np.sum(z, where=m)


def missing_nansum(w, y):
    return _nansum_helper(y * w)


def missing_nansq(w, y):
    return _nansq_helper(np.log(np.abs(y)) * w)


def missing_nanstats(w, y):
    return _nanstats_helper(y * w)


def missing_where(w, y):
    y = np.nan_to_num(y)
    return _masked_sum_helper(np.sqrt(y * w), y * w > 0)


def _fd(f, w, y, eps=1e-6):
    return np.array([(f(w + eps * e, y) - f(w - eps * e, y)) / (2 * eps) for e in np.eye(len(w))])


@pytest.mark.parametrize("f", [missing_nansum, missing_nansq, missing_nanstats, missing_where])
def test_nan_reduction_in_helper_masks_the_callers_chain(f):
    w = W - 2.5 if f is missing_where else W
    g = srcad.grad(f)(w, YNAN)
    assert np.all(np.isfinite(g)), g  # (was NaN)
    np.testing.assert_allclose(g, _fd(f, w, YNAN), rtol=1e-6, atol=1e-8)


def five_nan_stats(w, y):
    z = y * w
    return (
        np.nansum(z)
        + np.nanmean(z**2)
        + np.nanvar(z, axis=0).sum()
        + np.nanstd(z, axis=1, ddof=1).sum()
        + np.nanmax(z)
        + np.nanmedian(z)
    )


def _five(z):
    return (
        np.nansum(z) + np.nanmean(z**2) + np.nanvar(z, axis=0).sum() + np.nanstd(z) + np.nanmax(z)
    )


def five_nan_stats_helper(w, y):
    return _five(y * w)


@pytest.mark.parametrize("f", [five_nan_stats, five_nan_stats_helper])
def test_many_nan_reductions_of_one_value(f):
    g = srcad.grad(f)(W, YNAN)
    assert np.all(np.isfinite(g)), g  # (was NaN)
    np.testing.assert_allclose(g, _fd(f, W, YNAN), rtol=1e-6, atol=1e-8)
    v = np.array([0.3, -1.0, 0.6])
    _, hv = srcad.hvp(f, (W, YNAN), (v, None))
    eps = 1e-5
    fd = (srcad.grad(f)(W + eps * v, YNAN) - srcad.grad(f)(W - eps * v, YNAN)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6)
