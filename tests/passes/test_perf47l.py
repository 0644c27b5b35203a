"""perf47l (issue 11's LSTM): the loop-invariant index of a slice in a loop (``z[:, H:2 * H]``,
`H` a dimension) is built once before the loop (`passes/hoist.py`), so neither the forward sweep
builds it per step nor the tape keeps it; an index reading the loop's counter or a value the
loop makes stays in the loop.

Each gradient is checked against central differences, also for loops that run no iteration.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.passes.test_perf44g import _args, _check, lstm


def _loop_body(src: str) -> str:
    """The forward loop's text (from its ``for`` to the reverse sweep)."""
    return src[src.index("    for t in") : src.index("# reverse sweep")]


def test_lstm_gate_indices_before_the_loop():
    args = _args(gates=4)
    src = srcad.source(lstm, wrt=(0, 1, 2), args=args)
    body = _loop_body(src)
    assert "slice(" not in body and "2 * H" not in body and "3 * H" not in body
    assert src.index("slice(None, H, None)") < src.index("    for t in")
    tape = body[body.index("tape.append(") :]
    assert "_srcad.slices_vjp(" in src  # (the chained slices' one cotangent, as before)
    assert tape.count(",") < 13  # (was 16 items: the four indices are no longer taped)
    _check(lstm, args, (0, 1, 2))


def test_lstm_no_steps():
    """A loop that runs no iteration: the indices are made (cheap, no read of an array) and the
    gradient is that of the initial state."""
    args = _args(T=0, gates=4)
    _check(lstm, args, (0, 1, 2))


def _counter_index(W, xs):
    """``W[:, t:t + 2]``: reads the counter, stays in the loop; ``W[:, :k]`` moves."""
    k = W.shape[1] - 1
    s = 0.0
    for t in range(xs.shape[0]):
        s = s + np.sum(np.tanh(xs[t] * W[:, t : t + 2])) + np.sum(W[:, :k] ** 2)
    return s


def test_counter_index_stays():
    rng = np.random.default_rng(2)
    args = [rng.standard_normal((3, 5)), rng.standard_normal((3, 3, 2))]
    src = srcad.source(_counter_index, wrt=(0,), args=args)
    body = _loop_body(src)
    assert "slice(t, t + 2, None)" in body and "slice(None, k, None)" not in body
    assert src.index("slice(None, k, None)") < src.index("    for t in")
    _check(_counter_index, args, (0,))


def _nested(W, xs):
    """Two loops: the inner loop's index moves out of both."""
    n = W.shape[0]
    s = 0.0
    for t in range(xs.shape[0]):
        for j in range(2):
            s = s + np.sum(np.sin(W[: n - 1, 1:] * xs[t, j]))
    return s


@pytest.mark.parametrize("T", [0, 2])
def test_nested_loops(T):
    rng = np.random.default_rng(3)
    args = [rng.standard_normal((4, 3)), rng.standard_normal((T, 2))]
    src = srcad.source(_nested, wrt=(0,), args=args)
    if T:
        assert src.index("slice(None, n - 1, None)") < src.index("    for t in")
        assert "slice(" not in _loop_body(src)
    _check(_nested, args, (0,))


def _made_in_loop(W, xs):
    """A bound the loop computes from an array (``int(np.sum(...))``): not moved."""
    s = 0.0
    for t in range(xs.shape[0]):
        m = int(np.sum(xs[t] > 0)) + 1
        s = s + np.sum(W[:m] ** 2) * xs[t, 0]
    return s


def test_bound_made_in_the_loop_stays():
    args = [np.arange(1.0, 5.0), np.array([[1.0, -1.0], [2.0, 3.0], [-1.0, -2.0]])]
    src = srcad.source(_made_in_loop, wrt=(0,), args=args)
    assert "slice(" in _loop_body(src)
    _check(_made_in_loop, args, (0,))
    np.testing.assert_allclose(srcad.grad(_made_in_loop, wrt=(0,))(*args)[0], _ref_made(*args))


def _ref_made(W, xs):
    g = np.zeros_like(W)
    for t in range(xs.shape[0]):
        m = int(np.sum(xs[t] > 0)) + 1
        g[:m] += 2 * W[:m] * xs[t, 0]
    return g
