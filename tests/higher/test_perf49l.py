"""perf49l: second order of the losses whose gradients passes/matmul_into.py and passes/ranks.py's
slice ranks now shape: Hessian-vector products of small LSTM, RNN and GRU losses (in the weights,
the inputs held fixed) against central differences of srcad's own gradient (which runs
`add_matmul_into`), and a Hessian block against `hvp`. (The forward-over-reverse function itself
has no ``add_into`` accumulators today, so no fused one: the gradient level it differentiates is
built before passes/inplace.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.passes.test_matmul_into import _args, lstm, rnn
from tests.passes.test_perf49l import _gru_args, gru

CASES = [(lstm, lambda s: _args(4, s)), (rnn, lambda s: _args(1, s)), (gru, _gru_args)]


def _fd_hvp(f, args, wrt, v, eps=1e-5):
    g = srcad.grad(f, wrt=wrt)

    def at(sign):
        a = list(args)
        for k, d in zip(wrt, v):
            a[k] = a[k] + sign * eps * d
        return g(*a)

    plus, minus = at(1.0), at(-1.0)
    return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]


@pytest.mark.parametrize("f, make", CASES, ids=["lstm", "rnn", "gru"])
def test_hvp_against_differences(f, make):
    args = make(5)
    wrt = (0, 1, 2)
    rng = np.random.default_rng(2)
    v = [rng.standard_normal(np.shape(args[k])) for k in wrt]
    tangents = [None] * len(args)
    for k, d in zip(wrt, v):
        tangents[k] = d
    grads, hv = srcad.hvp(f, args, tangents, wrt=wrt)
    want_g = srcad.grad(f, wrt=wrt)(*args)
    for a, b in zip(grads, want_g):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for a, b in zip(hv, _fd_hvp(f, args, wrt, v)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_hessian_block_matches_hvp():
    args = _args(4, 7)
    H = srcad.hessian(lstm, wrt=1)(*args)  # (Wh, Wh) block
    n = args[1].size
    rng = np.random.default_rng(3)
    v = rng.standard_normal(args[1].shape)
    tangents = [None, v, None, None, None]
    _, hv = srcad.hvp(lstm, args, tangents, wrt=1)
    np.testing.assert_allclose(H.reshape(n, n) @ v.ravel(), np.ravel(hv), rtol=1e-9, atol=1e-11)
