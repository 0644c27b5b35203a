"""``np.fromfunction`` and ``np.asarray_chkfinite``, once refused ("the nested function is used as
a value", "no derivative rule"): lowered as NumPy runs them (lower/numpy_fns.py,
lower/api_np.py); and ``f(x, **OPTS)`` of a module-level dict (lower/varargs.known_dict).
Primal equal to Python, derivatives to second order."""

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


# -- `**OPTS` of a module-level dict (was: "supported only for a dict built here") ------------
NORM = {"ord": 3, "axis": 0}
W = {"scale": np.array([1.0, 2.0, 0.5]), "shift": 0.25}


def _model(x, scale=1.0, shift=0.0):
    return np.tanh(x * scale + shift)


def global_kwargs(x):
    return np.linalg.norm(x, **NORM) + np.sum(_model(x, **W))


def global_kwargs_loop(x):
    out = 0.0
    for k in range(2):
        out = out + np.sum(_model(x * (k + 1), **W) ** 2)
    return out


@pytest.mark.parametrize("fn", [global_kwargs, global_kwargs_loop], ids=lambda f: f.__name__)
def test_global_kwargs(fn):
    assert srcad.primal(fn)(X) == pytest.approx(fn(X), rel=1e-15)
    check_grads(fn, (X,), modes=("fwd", "rev"), order=2)


def test_global_kwargs_follow_the_dict(monkeypatch):
    g = srcad.grad(global_kwargs)
    g(X)
    monkeypatch.setitem(W, "shift", 1.0)  # a value read when the code runs

    def written_out(x):
        return np.linalg.norm(x, ord=3, axis=0) + np.sum(_model(x, scale=W["scale"], shift=1.0))

    np.testing.assert_allclose(g(X), srcad.grad(written_out)(X), rtol=1e-14)
    monkeypatch.setitem(W, "extra", 2.0)  # another key: transformed again, as Python binds it
    with pytest.raises((srcad.SrcadError, TypeError), match="extra"):
        g(X)
    monkeypatch.delitem(W, "extra")
    monkeypatch.setitem(globals(), "NORM", {"ord": 2})  # the name rebound

    def rebound(x):
        return np.linalg.norm(x, ord=2) + np.sum(_model(x, scale=W["scale"], shift=1.0))

    np.testing.assert_allclose(g(X), srcad.grad(rebound)(X), rtol=1e-14)


GROW = {"scale": 2.0}


def _scaled(x, scale=1.0, extra=0.0):
    return np.sum(np.tanh(x * scale)) + extra


def adds_a_key_first(x):
    GROW["extra"] = 5.0  # Python passes `extra` too: the keys known when transforming are stale
    return _scaled(x, **GROW)


def test_global_kwargs_keys_checked_when_the_code_runs(monkeypatch):
    monkeypatch.setitem(globals(), "GROW", {"scale": 2.0})
    with pytest.raises(srcad.SrcadError, match="keys of the dict passed as `\\*\\*kwargs` changed"):
        srcad.grad(adds_a_key_first)(X)
