"""``np.fromfunction`` and ``np.asarray_chkfinite``, once refused ("the nested function is used as
a value", "no derivative rule"): lowered as NumPy runs them (lower/numpy_fns.py,
lower/api_np.py). Primal equal to Python, derivatives to second order."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def hilbert_form(x):
    w = np.fromfunction(lambda i, j: 1.0 / (1.0 + i + j), (3, 3))
    return x @ w @ x


def rbf_kernel(x):
    n = x.shape[0]
    k = np.fromfunction(lambda i, j: np.exp(-((i - j) ** 2) / 2.0), (n, n), dtype=float)
    return np.sum(k * np.outer(x, x))


def reads_x(x):
    v = np.fromfunction(lambda i, s: x[i.astype(int)] * s, (3,), s=2.0)  # a keyword passed on
    return np.sum(v**2)


def int_mask(x):
    m = np.fromfunction(lambda i, j: i == j, (3, 3), dtype=int)
    return np.sum(m * np.outer(x, x))


def const_shape(x):
    shape = (3, 2)
    t = np.fromfunction(lambda i, j: i * 2.0 + j, shape)
    return np.sum(t[:, 0] * x)


def chkfinite(x):
    y = np.asarray_chkfinite(x * 2.0)
    return np.sum(np.sin(y) * y)


def chkfinite_caught(x):
    try:
        y = np.asarray_chkfinite(np.log(x))
    except ValueError:
        y = x
    return np.sum(y**2)


X = np.array([0.3, -0.5, 1.2])
FNS = [hilbert_form, rbf_kernel, reads_x, int_mask, const_shape, chkfinite, chkfinite_caught]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("fn", FNS, ids=lambda f: f.__name__)
def test_values_and_derivatives(fn):
    assert srcad.primal(fn)(X) == pytest.approx(fn(X), rel=1e-15)
    check_grads(fn, (X,), modes=("fwd", "rev"), order=2)


def test_chkfinite_raises_numpys_error():
    with pytest.raises(ValueError, match="infs or NaNs"):
        srcad.grad(chkfinite)(np.array([np.inf, 1.0]))
