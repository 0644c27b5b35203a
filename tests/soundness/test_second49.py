"""Session 49 (second49): roots of variances whose receiver is a user object, NaN gradients
where the objective is finite, and second derivatives at a root's 0 that are provably finite.

``np.sqrt(s.var())`` was rewritten ``s.std()`` whatever `s` is (passes/stdroots.py): a user
class with ``var`` but no ``std`` raised AttributeError, and one with its own ``std`` ran that
instead; now the receiver's kind decides (arrays keep the std's checks)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_K = np.full(3, 0.7)  # (constant data: np.var is 1.2e-32 there, not 0)
_X = np.array([1.0, 2.0, 3.5])


class Moments:
    def __init__(self, a):
        self.a = a

    def var(self):
        return np.sum(self.a**2)


class Both(Moments):
    def std(self):
        return 100.0 * np.sum(self.a)


def _mat(r):
    return (1 + r) * np.exp(-r)


def user_var_root(x):
    return np.sqrt(Moments(x).var())


def user_var_and_std(x):
    return np.sqrt(Both(x).var())


def _sd(v):
    return np.sqrt(v.var())


def helper_var_root_kernel(x):
    return _mat(_sd(x))


def listed_user_var_root(x):
    objs = [Moments(x)]
    return np.sqrt(objs[0].var())


def unknown_var_root(x, objs):
    return np.sqrt(objs[0].var()) * x[0]


def listed_array_var_root(x):
    xs = [x, x]
    return np.sqrt(xs[0].var())


@pytest.mark.parametrize("f", [user_var_root, user_var_and_std], ids=lambda f: f.__name__)
def test_user_var_root_is_the_users(f):
    """AttributeError (no ``std``) or the user's ``std`` (100 sum(x)) before."""
    want = _X / np.sqrt(np.sum(_X**2))
    np.testing.assert_allclose(srcad.grad(f)(_X), want, rtol=1e-12)
    val, _ = srcad.value_and_grad(f)(_X)
    assert val == pytest.approx(np.sqrt(np.sum(_X**2)))
    assert srcad.jvp(f, (_X,), (_X,))[0] == pytest.approx(np.sqrt(np.sum(_X**2)))
    check_grads(f, (_X,), order=2)


def test_listed_user_var_roots():
    """An item of a list made here is known; one of a list argument is not: refused when it
    runs (its ``var`` is no NumPy rule), not AttributeError; an array there keeps the std."""
    want = _X / np.sqrt(np.sum(_X**2))
    np.testing.assert_allclose(srcad.grad(listed_user_var_root)(_X), want, rtol=1e-12)
    with pytest.raises(srcad.SrcadError, match="`.var\\(\\)` was differentiated as NumPy's"):
        srcad.grad(unknown_var_root)(_X, [Moments(_X)])
    want = np.array([np.std(_X), 0.0, 0.0])
    np.testing.assert_allclose(srcad.grad(unknown_var_root)(_X, [_X]), want, rtol=1e-12)


def test_array_var_roots_keep_the_std():
    """Arrays (a helper's parameter, a list item) keep np.std's rules: the subgradient 0 at
    constant data, and second orders there refused (session 48: -0.122 (1, 1, 1))."""
    np.testing.assert_array_equal(srcad.grad(listed_array_var_root)(_K.copy()), np.zeros(3))
    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.hessian(helper_var_root_kernel)(_K.copy())
    check_grads(helper_var_root_kernel, (_X,), order=2)


# --- NaN gradients where the objective is finite: the zero cotangent of a NaN position met a
# local derivative that is NaN there (``0 * nan``) ---

_Y = np.array([[np.nan, 1.0, 2.0], [0.4, np.nan, 0.3], [1.0, 2.0, -1.0]])
_W = np.array([0.7, -1.2, 0.9])


def observed_squares(w):
    return np.sum((_Y * w)[~np.isnan(_Y)] ** 2)


def five_nan_uses(w):
    z = _Y * w
    s = np.nansum(z) + np.nanmean(z**2) + np.nanmax(z) + np.nanmin(z)
    return s + np.sum(np.where(np.isnan(z), 0.0, z))


def _nanmean_exp(z):
    return np.nanmean(np.exp(z))


def helper_nanmean_exp(w):
    return _nanmean_exp(_Y * w)


def _fd(f, w, h=1e-6):
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(w.size)])


@pytest.mark.parametrize(
    "f", [observed_squares, five_nan_uses, helper_nanmean_exp], ids=lambda f: f.__name__
)
def test_nan_data_gradient_finite(f):
    """Before: NaN in the first two entries (a product with NaN data read only where it is
    not NaN; five masked uses, one more than the masks kept; nanmean of exp in a helper)."""
    assert np.isfinite(f(_W))
    g = srcad.grad(f)(_W)
    np.testing.assert_allclose(g, _fd(f, _W), rtol=1e-6, atol=1e-8)
    _, vg = srcad.value_and_grad(f)(_W)
    np.testing.assert_array_equal(vg, g)
