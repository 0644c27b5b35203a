"""perf46l (issue 11's LSTM): a transposed matrix parameter multiplied in a loop is copied once,
C-ordered, before the loop (`passes/transposes.py`): ``bh = bz @ WhT`` in the reverse sweep,
not ``bz @ Wh.T`` (a transposed operand BLAS multiplies more slowly); only when nothing can
change the parameter while the loop runs and the view is read only by those products.

Each gradient is checked against central differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.passes.test_perf44g import _args, _check, _fd, lstm, rnn


def test_lstm_reverse_product_reads_a_copy():
    args = _args(gates=4)
    src = srcad.source(lstm, wrt=(0, 1, 2), args=args)
    assert "WhT = Wh.T.copy()" in src
    assert "@ WhT" in src and "@ Wh.T" not in src
    assert src.index("WhT = Wh.T.copy()") > src.index("# reverse sweep")  # (before its loop)
    _check(lstm, args, (0, 1, 2))


def test_rnn_reverse_product_reads_a_copy():
    args = _args()
    src = srcad.source(rnn, wrt=(0, 1, 2), args=args)
    assert "@ WhT" in src and src.count(".copy()") == 1
    _check(rnn, args, (0, 1, 2))


def test_no_loop_no_copy():
    """Outside a loop the copy would cost what the product saves: ``g @ W.T`` as it is."""

    def mlp(W, x):
        return np.sum(np.tanh(x @ W) ** 2)

    rng = np.random.default_rng(1)
    args = [rng.standard_normal((3, 4)), rng.standard_normal((2, 3))]
    assert ".copy()" not in srcad.source(mlp, wrt=(0, 1), args=args)
    _check(mlp, args, (0, 1))


def _rnn_view(Wx, Wh, b, xs, y):
    """``Wh.T`` read by a product and by a sum: the view is kept (read elsewhere too)."""
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        WT = Wh.T
        h = np.tanh(xs[t] @ Wx + h @ WT.T + b) + 0.0 * np.sum(WT)
    return 0.5 * np.sum((h - y) ** 2)


def test_view_read_elsewhere_kept():
    args = _args()
    src = srcad.source(_rnn_view, wrt=(0, 1, 2), args=args)
    assert ".copy()" not in src
    _check(_rnn_view, args, (0, 1, 2))


def _rnn_updates(Wx, Wh, b, xs, y):
    """The loop updates an entry of a parameter in place (possibly `Wh` itself, through a
    caller passing one array twice): no copy made before the loop."""
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        y[0, 0] = y[0, 0] * 0.5
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    return 0.5 * np.sum((h - y) ** 2)


def test_in_place_update_no_copy():
    args = _args()
    src = srcad.source(_rnn_updates, wrt=(0, 1, 2), args=args)
    assert ".copy()" not in src
    g = srcad.grad(_rnn_updates, wrt=(0, 1, 2))(*[a.copy() for a in args])
    for k, u in enumerate(g):
        np.testing.assert_allclose(u, _fd(_rnn_updates, args, k), rtol=1e-6, atol=1e-8)


def test_same_array_twice():
    """`Wh` passed as `y` too, which the loop updates: refused at the call (srcad updates a
    private copy), never a gradient through a copy made before the loop."""

    def f(Wh, y, xs):
        h = np.zeros((xs.shape[1], Wh.shape[0]))
        for t in range(xs.shape[0]):
            y[0, 0] = y[0, 0] * 0.5
            h = np.tanh(xs[t] + h @ Wh)
        return np.sum(h * h)

    rng = np.random.default_rng(3)
    W = rng.standard_normal((2, 2)) * 0.5
    xs = rng.standard_normal((3, 2, 2))
    assert "@ Wh.T" in srcad.source(f, wrt=0, args=[W, W.copy(), xs])
    with pytest.raises(srcad.SrcadError, match="shares memory"):
        srcad.grad(f)(W, W, xs)
