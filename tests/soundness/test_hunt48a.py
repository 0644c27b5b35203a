"""Session 48 (hunt48a): wrong derivatives found in user-style probabilistic, numerical,
statistical and physics programs.

- ``np.interp(x, xp, fp)`` with an `xp` that is not increasing: NumPy does not check it and
  returns values of its bisection over unsorted breakpoints; srcad's slope (the x and xp
  derivatives, `interp_slope`) searched the segments with ``np.searchsorted`` and gave a
  derivative of another function (the fp derivative, interp itself applied to the unit vectors,
  was right). A decreasing xp is now refused when the slope is computed.
"""

from __future__ import annotations

import numpy as np
import pytest

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
