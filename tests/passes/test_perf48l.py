"""perf48l (issue 11's LSTM): the reverse sweep's cotangent of Wh is ``h_k.T @ g``, no
`matmul_vjp` (and its finiteness sum per step), when the tape's state is bounded from a finite
start (``o * np.tanh(c)`` of logistic gates, ``np.tanh(..)``: `passes/given_loops.py`) and 2-D
in every step (`passes/loop_ranks.py`).

Each gradient is checked against central differences.
"""

from __future__ import annotations

import numpy as np

import srcad
from tests.passes.test_perf44g import _args, _check, lstm, rnn


def _reverse(src: str) -> str:
    return src[src.index("# reverse sweep") :]


def test_lstm_wh_cotangent_is_a_product():
    args = _args(gates=4)
    rev = _reverse(srcad.source(lstm, wrt=(0, 1, 2), args=args))
    assert "matmul_vjp(" not in rev
    # (the tape's h; Wx's: xs[k].T @ g as before; both into bW: passes/matmul_into.py, the
    # product checked at run time: finite50)
    assert "add_matmul_vjp_into(bWh, " in rev and ", h_2, Wh, 1)" in rev
    _check(lstm, args, (0, 1, 2))


def test_rnn_wh_cotangent_is_a_product():
    args = _args()
    rev = _reverse(srcad.source(rnn, wrt=(0, 1, 2), args=args))
    assert "matmul_vjp(" not in rev and rev.count("add_matmul_vjp_into(bW") == 2
    _check(rnn, args, (0, 1, 2))


def _gru(Wx, Wh, xs, y):
    """Another bounded state: a convex mix of the old state and a tanh (the logistic as
    ``1 / (1 + exp(-u))``)."""
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh
        u = 1.0 / (1.0 + np.exp(-z[:, :H]))
        h = u * np.tanh(z[:, H:])
    return np.sum((h - y) ** 2)


def test_gated_state():
    rng = np.random.default_rng(7)
    args = [rng.standard_normal((3, 4)) * 0.5, rng.standard_normal((2, 4)) * 0.5,
            rng.standard_normal((3, 2, 3)), rng.standard_normal((2, 2))]  # fmt: skip
    rev = _reverse(srcad.source(_gru, wrt=(0, 1), args=args))
    assert "matmul_vjp(" not in rev
    _check(_gru, args, (0, 1))
