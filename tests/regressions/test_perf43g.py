"""perf43g (issue 11, item 1): a reverse loop's contribution to an accumulator is written inside
the accumulation, ``bW = _srcad.add_into(bW, <contribution>)``, as a person writes
``dW += x.T @ g``: its array dies there instead of staying bound to a name (``bW_1``) until the
next iteration rebinds it (an LSTM's reverse sweep held a (H, 4H) and a (D, 4H) array per
accumulator that way: 0.2 MB of its 3.5 MB peak). Values checked against finite differences and
against the plain sum; the accumulator's aliasing cases (the contribution reading the
accumulator, an argument seeding it) keep their values.
"""

from __future__ import annotations

import numpy as np

import srcad
from srcad.testing import check_grads

RNG = np.random.default_rng(43)
W = RNG.standard_normal((4, 3))
XS = RNG.standard_normal((5, 2, 4))


def rnn_loss(W, xs):
    h = np.zeros((xs.shape[1], W.shape[1]))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W + h)
    return np.sum(h**2)


def scaled_steps(W, xs):
    s = 0.0
    for t in range(xs.shape[0]):
        s = s + np.sum(np.sin(xs[t] @ W) * W[0])
    return s


def test_accumulation_written_inline():
    src = srcad.source(rnn_loss, wrt=0, args=(W, XS))
    lines = [ln.strip() for ln in src.splitlines()]
    acc = [ln for ln in lines if "_into(bW" in ln]  # (a product: passes/matmul_into.py)
    into = ("bW = _srcad.add_into(bW, ", "bW = _srcad.add_matmul_vjp_into(bW, ")  # (checked)
    assert acc and all(ln.startswith(into) for ln in acc), src
    assert not any(ln.startswith("bW_1 =") for ln in lines), src


def test_values():
    check_grads(rnn_loss, (W, XS), modes=("rev",), wrt=0)
    check_grads(scaled_steps, (W, XS), modes=("rev",), wrt=0)


def test_matches_plain_sum():
    g = srcad.grad(rnn_loss)(W, XS)
    h, hs = np.zeros((2, 3)), []
    for t in range(XS.shape[0]):
        hs.append(h)
        h = np.tanh(XS[t] @ W + h)
    bh, bW = 2 * h, np.zeros_like(W)
    for t in range(XS.shape[0] - 1, -1, -1):
        hn = np.tanh(XS[t] @ W + hs[t])
        bz = bh * (1 - hn**2)
        bW = bW + XS[t].T @ bz
        bh = bz
    np.testing.assert_allclose(g, bW, rtol=1e-12, atol=1e-12)
    w0 = W.copy()
    srcad.grad(rnn_loss)(W, XS)
    np.testing.assert_array_equal(W, w0)  # the argument is not the accumulator


# -- the shape of ``np.zeros((x.shape[1], W.shape[1]))`` (passes/shape_dims.py) ---------------


def test_rnn_state_shape_known():
    """The initial state's shape is the loop's: the reverse sweep has no shape helpers left."""
    src = srcad.source(rnn_loss, wrt=0, args=(W, XS))
    for helper in ("unbroadcast", "matmul_vjp(", "shape_like"):
        assert helper not in src, src
    # the product checked at run time for a NaN/inf (rules/checked_products.py) and fused:
    assert "add_matmul_vjp_into(bW, bh, _t5, W, 1)" in src, src  # (passes/matmul_into.py)


def rnn_row_state(W, xs):
    h = np.zeros((1, W.shape[1]))  # broadcast up to (batch, hidden) by the first step
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W + h)
    return np.sum(h**2)


def rnn_chosen_dims(W, xs, flag):
    n = xs.shape[1] if flag else 1  # an if joining two different dimensions
    h = np.ones((n, W.shape[1]))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W + h)
    return np.sum(h**2)


def full_state(W, xs):
    h = np.full(xs.shape[1:2] + (W.shape[1],), 0.5)
    c = np.empty(xs[0].shape)
    c[...] = 0.25
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W + h) * np.sum(c)
    return np.sum(h**2)


def test_broadcast_state_values():
    """A state that broadcasts up in the loop keeps its unbroadcast; values checked."""
    src = srcad.source(rnn_row_state, wrt=0, args=(W, XS))
    assert "unbroadcast" in src, src
    check_grads(rnn_row_state, (W, XS), modes=("rev",), wrt=0)
    for flag in (True, False):
        check_grads(rnn_chosen_dims, (W, XS, flag), modes=("rev",), wrt=0)
    check_grads(full_state, (W, XS), modes=("rev",), wrt=0)
    g = srcad.grad(rnn_row_state)(W, XS)
    h, hs = np.zeros((1, 3)), []
    for t in range(XS.shape[0]):
        hs.append(h)
        h = np.tanh(XS[t] @ W + h)
    bh, bW = 2 * h, np.zeros_like(W)
    for t in range(XS.shape[0] - 1, -1, -1):
        hn = np.tanh(XS[t] @ W + hs[t])
        bz = bh * (1 - hn**2)
        bW = bW + XS[t].T @ bz
        bh = np.sum(bz, axis=0, keepdims=True) if hs[t].shape[0] == 1 else bz
    np.testing.assert_allclose(g, bW, rtol=1e-12, atol=1e-12)
