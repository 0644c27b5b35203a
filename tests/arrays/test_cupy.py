"""srcad's derivatives on CuPy arrays (GPU): the same checks as tests/arrays/test_dask.py.

Skipped where CuPy is not importable (no GPU). Gradients (grad, value_and_grad) and a JVP of the
logistic-regression loss and the GMM negative log-likelihood on CuPy arrays equal NumPy's and
stay CuPy arrays (no copy to the host inside srcad).
"""

from __future__ import annotations

import numpy as np
import pytest

cp = pytest.importorskip("cupy")

import srcad  # noqa: E402
from tests.arrays.problems import gmm_data, gmm_nll, logistic_data, logistic_loss  # noqa: E402


def _check(result, expected):
    got = list(result) if isinstance(result, (tuple, list)) else [result]
    exp = list(expected) if isinstance(expected, (tuple, list)) else [expected]
    assert len(got) == len(exp)
    for g, e in zip(got, exp):
        assert isinstance(g, cp.ndarray), type(g)
        np.testing.assert_allclose(cp.asnumpy(g), e, rtol=1e-10, atol=1e-12)


def test_logistic_grad_value_and_grad_jvp():
    w, X, y = logistic_data()
    dev = tuple(cp.asarray(a) for a in (w, X, y))
    _check(srcad.grad(logistic_loss)(*dev), srcad.grad(logistic_loss)(w, X, y))
    val, g = srcad.value_and_grad(logistic_loss)(*dev)
    _check([val, g], [logistic_loss(w, X, y), srcad.grad(logistic_loss)(w, X, y)])
    dw = np.linspace(-1.0, 1.0, w.size)
    out = srcad.jvp(logistic_loss, dev, (cp.asarray(dw), None, None))
    _check(out, srcad.jvp(logistic_loss, (w, X, y), (dw, None, None)))


def test_gmm_grad_and_jvp():
    args = gmm_data()
    dev = tuple(cp.asarray(a) for a in args)
    wrt = (0, 1, 2, 3)
    _check(srcad.grad(gmm_nll, wrt=wrt)(*dev), srcad.grad(gmm_nll, wrt=wrt)(*args))
    dargs = gmm_data(seed=7)[:3]
    out = srcad.jvp(gmm_nll, dev, (*(cp.asarray(a) for a in dargs), None))
    _check(out, srcad.jvp(gmm_nll, args, (*dargs, None)))
