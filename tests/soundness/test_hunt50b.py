"""Session 50, hunt50b: regressions found by porting other projects' test problems (pymoo's WFG
suite, DEAP's and PINTS' benchmarks, jax-md's energies: tests/corpus/ported_corp50_b.py)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_X = np.array([0.5, 0.2, 0.3])
_M = np.array([[0.5, -0.2, 0.3], [0.1, 0.4, -0.6]])


def _bump(X):
    X[0] = X[0] * 3.0
    return X


# -- a helper updating a fresh temporary whose op's pullback reads it (``g * exp(x)``) ---------
def exp_bumped(x):
    r = _bump(np.exp(x))
    return np.sum(r * r)


def sqrt_bumped(x):
    r = _bump(np.sqrt(x))
    return np.sum(r * r)


def tanh_bumped(x):
    r = _bump(np.tanh(x))
    return np.sum(r * r)


def _made(x):
    return np.exp(x)


def helper_made_bumped(x):
    r = _bump(_made(x))
    return np.sum(r * r)


def loop_bumped(x):
    s = 0.0
    for k in range(3):
        r = _bump(np.tanh(x * (k + 1.0)))
        s = s + np.sum(r * r)
    return s


_TAPE = [exp_bumped, sqrt_bumped, tanh_bumped, helper_made_bumped, loop_bumped]


@pytest.mark.parametrize("f", _TAPE, ids=lambda f: f.__name__)
def test_helper_update_of_a_temporary_keeps_the_tape(f):
    """The helper's update of ``np.exp(x)`` is invisible to Python (nothing else holds the
    array), but the differentiated helper wrote it back into the value exp's pullback reads:
    the gradient of ``exp_bumped`` was ``2 e^{2x}`` scaled by 9 at x[0] where 9 belongs to the
    square only (wrong by 1.29 in the dot-product test). The helper now updates a copy."""
    x = _X.copy()
    e = np.exp(x)
    want = 2 * e * e * np.array([9.0, 1.0, 1.0]) if f is exp_bumped else None
    if want is not None:
        np.testing.assert_allclose(srcad.grad(f)(x), want, rtol=1e-12)
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


# -- a reduction's result handed to a helper that clips it in place (pymoo's ``correct_to_01``) --
def _correct_to_01(X, epsilon=1.0e-10):
    X[np.logical_and(X < 0, X >= 0 - epsilon)] = 0
    X[np.logical_and(X > 1, X <= 1 + epsilon)] = 1
    return X


def mean_clipped(y):
    return np.sum(_correct_to_01(y.mean(axis=1)) ** 2)


def np_mean_clipped(y):
    return np.sum(_correct_to_01(np.mean(y, axis=1)) ** 2)


def max_bumped(y):
    r = _bump(np.max(y, 0))
    return np.sum(r * r) + np.sum(y)


def clip_bumped(y):
    r = _bump(y.clip(-1.0, 1.0))
    return np.sum(r * r)


@pytest.mark.parametrize(
    "f", [mean_clipped, np_mean_clipped, max_bumped, clip_bumped], ids=lambda f: f.__name__
)
def test_reduction_result_is_a_private_temporary(f):
    """``y.mean(axis=1)`` is a new array nothing else holds: a helper may update it in place.
    Was refused ("`_correct_to_01` modifies its argument `X` in place")."""
    check_grads(f, (_M.copy(),), modes=("fwd", "rev"), order=2)


class _Box:
    def __init__(self, a):
        self.a = a

    def mean(self):
        return self.a


def user_mean_bumped(x):
    b = _Box(x * 1.0)
    r = _bump(b.mean())
    return np.sum(r) + np.sum(b.a)


def out_bumped(y):
    buf = np.zeros(3)
    r = _bump(np.sum(y, axis=0, out=buf))
    return np.sum(r) + np.sum(buf)


def astype_bumped(x):
    r = _bump(x.astype(float, copy=False))
    return np.sum(r) + np.sum(x)


@pytest.mark.parametrize(
    "f, x",
    [(user_mean_bumped, _X), (out_bumped, _M), (astype_bumped, _X)],
    ids=["user_mean", "out", "astype_copy_false"],
)
def test_shared_results_stay_refused(f, x):
    """A user object's ``mean`` (its own array), ``out=`` and ``copy=False`` results are no new
    arrays: the helper's update reaches another object, so the call stays refused."""
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(x.copy())


# -- a call Python would reject, in a branch the arguments never take (pykalman's UKF) ---------
def _step(x):
    return np.array([x[0] + 0.1 * x[1], x[1] - 0.1 * np.sin(x[0])])


def _transform(points, f, points_noise=None):
    if points_noise is None:
        pred = [f(points[i]) for i in range(len(points))]
    else:
        pred = [f(points[i], points_noise[i]) for i in range(len(points))]
    return np.vstack(pred)


def sigma_points_moved(x):
    pts = np.stack([x, 2.0 * x, x * x])
    return np.sum(_transform(pts, _step) ** 2)


def sigma_points_noisy(x):
    return np.sum(_transform(np.stack([x, x]), _step, np.ones((2, 2))))


def test_call_python_rejects_in_a_branch_not_taken():
    """``f(points[i], points_noise[i])`` of a one-argument `f` runs only when noise is given:
    was refused for every call ("bad call of `_step`: too many positional arguments")."""
    x = np.array([0.3, -0.2])
    check_grads(sigma_points_moved, (x,), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_call_python_rejects_raises_its_type_error(mode):
    """Where the branch runs, srcad's code raises the TypeError Python raises."""
    x = np.array([0.3, -0.2])
    with pytest.raises(TypeError, match="positional argument"):
        sigma_points_noisy(x)
    with pytest.raises(TypeError, match="_step.*too many positional arguments"):
        if mode == "grad":
            srcad.grad(sigma_points_noisy)(x)
        else:
            srcad.jvp(sigma_points_noisy, (x,), (np.ones(2),))
