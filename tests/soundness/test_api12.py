"""Session 12, NumPy/SciPy API use (helper api12): calls that were refused and are now
differentiated.

- ``np.putmask(a, mask, values)`` into a local array was refused ("writes into an existing array");
  now ``a`` is rebound to ``np.where(mask, np.resize(values, a.shape), a)`` (the values repeated
  over the flat positions, as NumPy's), the argument case still refused as every in-place write.
- ``scipy.special.logsumexp(..., return_sign=True)`` was refused ("not differentiable"); now the
  pair ``(logsumexp(a, b=b * sgn), sgn)`` with the sign a constant.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

sps = pytest.importorskip("scipy.special")

X = np.array([0.0, 0.3, 1.1, 0.1, 0.2, 1.2, 1.3, 1.0])


def putmask_scalar(x):
    a = x * x
    np.putmask(a, x > 0.5, 2.0)
    return np.sum(np.sin(a) * a)


def putmask_cyclic(x):
    a = np.cos(x).reshape(2, 4)
    np.putmask(a, a > 0.3, x[:3] * 2.0)  # 3 values repeated over the 8 positions
    return np.sum(a * np.sin(a))


def putmask_inf(x):
    r2 = x * x + 0.1
    np.putmask(r2, x > 0.5, np.inf)
    return np.sum(1.0 / (1.0 + r2**2))


@pytest.mark.parametrize("f", [putmask_scalar, putmask_cyclic, putmask_inf])
def test_putmask_into_a_local(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
        check_grads(f, (X,), modes=("fwd", "rev"))
        check_grads(f, (X,), modes=("fwd",), order=2)


def test_putmask_into_the_argument_refused():
    def f(x):
        np.putmask(x, x < 0.4, 0.0)
        return np.sum(x)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


def lse_plain(x):
    s, sg = sps.logsumexp(x, return_sign=True)
    return s * sg


def lse_signed_b(x):
    s, sg = sps.logsumexp(x[:3], b=np.array([1.0, -2.0, 0.5]), return_sign=True)
    return s + sg


def lse_axis_b(x):
    a = x.reshape(2, 4)
    s, sg = sps.logsumexp(a, axis=1, b=x[4:] - 0.5, return_sign=True)
    return np.sum(s * sg)


def lse_keepdims(x):
    a = x.reshape(2, 4)
    s, sg = sps.logsumexp(a, axis=0, b=a[::-1] - 0.5, keepdims=True, return_sign=True)
    return np.sum(np.exp(s) * sg)


@pytest.mark.parametrize("f", [lse_plain, lse_signed_b, lse_axis_b, lse_keepdims])
def test_logsumexp_return_sign(f):
    x = X + np.array([0.0, -1.5, 0.0, 1.0, 0.0, -0.8, 0.0, 0.0])
    assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-14)
    check_grads(f, (x,), modes=("fwd", "rev"))
    check_grads(f, (x,), modes=("fwd",), order=2)


def test_logsumexp_return_sign_values_as_scipy():
    a = np.array([[0.3, -np.inf, 2.0], [-np.inf, -np.inf, -np.inf]])

    def f(a):
        return (
            sps.logsumexp(a, axis=1, b=np.array([[1.0], [-1.0]]), return_sign=True),
            sps.logsumexp(a, axis=0, keepdims=True, b=-1.0, return_sign=True),
            sps.logsumexp(a[0], b=np.array([1.0, 3.0, -1.0]), return_sign=True),
        )

    for got, want in zip(srcad.primal(f)(a), f(a)):
        for u, v in zip(got, want):
            np.testing.assert_array_equal(u, v)
