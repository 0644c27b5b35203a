"""perf50l (issue 11, item 1): a GRU's reverse sweep as an LSTM's. Its weight blocks are slices of
one parameter (``Wn = Wh[:, 2 * H:]``, of a rank `passes/loop_ranks.py` finds), and the
cotangent of the sliced product ``u = h @ Wrz`` has `u`'s shape (`slices_vjp` in shape inference):
so every ``matmul_vjp`` of the sweep is a plain product, checked at run time (finite50:
``matmul_vjp_checked``; the state was once taken as finite, a blend ``(1 - z) * n + z * h``, which
an argument holding an inf breaks), the weight cotangents go into ``add_matmul_vjp_into`` and the
transposed blocks are copied once before the loop (`passes/transposes.py`). Values checked against
finite differences; a state that is not such a blend takes the same checked forms.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
import srcad.runtime as _srcad
from srcad.testing import check_grads
from tests.passes.test_perf49l import _gru_args, gru


def _reverse(f, args) -> str:
    src = srcad.source(f, wrt=(0, 1, 2), args=args)
    return src[src.index("# reverse sweep") :]


def test_gru_products_plain():
    rev = _reverse(gru, _gru_args())
    assert "matmul_vjp(" not in rev, rev  # (the plain products checked at run time: finite50)
    assert "bWn = _srcad.add_matmul_vjp_into(bWn, " in rev, rev
    assert "bWrz = _srcad.add_matmul_vjp_into(bWrz, bu, h_" in rev, rev
    assert "WnT = Wn.T.copy()" in rev and "WrzT = Wrz.T.copy()" in rev, rev
    assert " @ WnT" in rev and " @ WrzT" in rev, rev


def gru_wide(Wx, Wh, b, xs, y):  # (the blend's term not at most 1 in size: not a blend)
    H = Wh.shape[0]
    Wrz, Wn = Wh[:, : 2 * H], Wh[:, 2 * H :]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        a = xs[t] @ Wx + b
        u = h @ Wrz
        r = 1.0 / (1.0 + np.exp(-(a[:, :H] + u[:, :H])))
        z = 1.0 / (1.0 + np.exp(-(a[:, H : 2 * H] + u[:, H:])))
        n = np.tanh(a[:, 2 * H :] + (r * h) @ Wn)
        h = (1.0 - z) * (3.0 * n) + z * h
    return 0.5 * np.sum((h - y) ** 2)


def gru_grow(Wx, Wh, b, xs, y):  # (``z * h + n``: no blend, may grow past any bound)
    H = Wh.shape[0]
    Wrz = Wh[:, : 2 * H]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        a = xs[t] @ Wx + b
        u = h @ Wrz
        z = 1.0 / (1.0 + np.exp(-(a[:, H : 2 * H] + u[:, H:])))
        h = 2.0 * z * h + np.tanh(a[:, :H])
    return 0.5 * np.sum((h - y) ** 2)


@pytest.mark.parametrize("f", [gru_wide, gru_grow])
def test_not_a_blend_keeps_the_helper(f):
    rev = _reverse(f, _gru_args())  # (every state's product is checked at run time: finite50)
    assert "matmul_vjp_into(bWrz, bu, h_" in rev and ", Wrz, 1)" in rev, rev


@pytest.mark.parametrize("f", [gru, gru_wide, gru_grow])
def test_values(f):
    check_grads(f, _gru_args(3), modes=("rev",), wrt=(0, 1, 2))


def test_gru_second_order():
    args = _gru_args(4)
    check_grads(gru, args, modes=("fwd",), order=2, wrt=(0, 1, 2))
    v = tuple(np.random.default_rng(5).standard_normal(np.shape(a)) for a in args[:3])
    tangents = (*v, None, None)
    _, got = srcad.hvp(gru, args, tangents, wrt=(0, 1, 2))
    g = srcad.grad(gru, wrt=(0, 1, 2))
    eps = 1e-5
    plus = g(*(a + eps * d for a, d in zip(args[:3], v)), *args[3:])
    minus = g(*(a - eps * d for a, d in zip(args[:3], v)), *args[3:])
    for h, p, m in zip(got, plus, minus):
        np.testing.assert_allclose(h, (p - m) / (2 * eps), rtol=1e-5, atol=1e-7)


def fused(acc, a, b):  # (generated code differentiated again: its fused accumulator)
    return np.sum(np.sin(_srcad.add_matmul_into(acc * 1.0, a, b)))


@pytest.mark.parametrize("ranked", [True, False])
def test_fused_accumulator_product_not_recomputed(ranked):
    rng = np.random.default_rng(6)
    args = (rng.standard_normal((3, 4)), rng.standard_normal((3, 2)), rng.standard_normal((2, 4)))
    src = srcad.source(fused, wrt=(0, 1, 2), args=args if ranked else None)
    rev = src[src.index("# reverse sweep") :]
    assert "a @ b" not in rev and "_srcad.matmul_like(a, b)" in rev, src
    if ranked:  # (the stand-in has the product's shape: plain products, checked: finite50)
        assert "matmul_vjp(" not in rev and "matmul_vjp_checked(_t7 @ b.T, " in rev, src
    check_grads(fused, args, modes=("fwd", "rev"), wrt=(0, 1, 2))
