"""A vanilla RNN and a GRU beside bench_lstm.py's LSTM: objectives and hand-written gradients.

Input: nothing (fixed seeds). Output: `cells()`, two `problems.Problem` rows (T=20 steps,
batch 32, 32 inputs; the RNN with 128 hidden units, the GRU with 64; squared error of the last
hidden state; derivative in Wx, Wh, b), timed by bench_lstm.py the way its LSTM is. The hand
gradients are what a person writes: a tape of each step's values, one reverse loop adding
``x.T @ dz`` into the weight gradients.
"""

from __future__ import annotations

import numpy as np
import problems


def rnn_loss(Wx, Wh, b, xs, y):
    h = np.zeros((xs.shape[1], Wh.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    return 0.5 * np.sum((h - y) ** 2)


def rnn_grad(Wx, Wh, b, xs, y):
    h = np.zeros((xs.shape[1], Wh.shape[0]))
    tape = []
    for t in range(xs.shape[0]):
        h_prev = h
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
        tape.append((xs[t], h_prev, h))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh = h - y
    for x, h_prev, h in reversed(tape):
        dz = dh * (1.0 - h * h)
        dWx += x.T @ dz
        dWh += h_prev.T @ dz
        db += dz.sum(axis=0)
        dh = dz @ Wh.T
    return dWx, dWh, db


def gru_loss(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    Wrz, Wn = Wh[:, : 2 * H], Wh[:, 2 * H :]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        a = xs[t] @ Wx + b
        u = h @ Wrz
        r = 1.0 / (1.0 + np.exp(-(a[:, :H] + u[:, :H])))
        z = 1.0 / (1.0 + np.exp(-(a[:, H : 2 * H] + u[:, H:])))
        n = np.tanh(a[:, 2 * H :] + (r * h) @ Wn)
        h = (1.0 - z) * n + z * h
    return 0.5 * np.sum((h - y) ** 2)


def gru_grad(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    Wrz, Wn = Wh[:, : 2 * H], Wh[:, 2 * H :]
    h = np.zeros((xs.shape[1], H))
    tape = []
    for t in range(xs.shape[0]):
        a = xs[t] @ Wx + b
        u = h @ Wrz
        r = 1.0 / (1.0 + np.exp(-(a[:, :H] + u[:, :H])))
        z = 1.0 / (1.0 + np.exp(-(a[:, H : 2 * H] + u[:, H:])))
        rh = r * h
        n = np.tanh(a[:, 2 * H :] + rh @ Wn)
        tape.append((xs[t], h, r, z, n, rh))
        h = (1.0 - z) * n + z * h
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh = h - y
    for x, h_prev, r, z, n, rh in reversed(tape):
        dan = dh * (1.0 - z) * (1.0 - n * n)
        drh = dan @ Wn.T
        dWh[:, 2 * H :] += rh.T @ dan
        dar = drh * h_prev * r * (1.0 - r)
        daz = dh * (h_prev - n) * z * (1.0 - z)
        du = np.concatenate([dar, daz], axis=1)
        da = np.concatenate([du, dan], axis=1)
        dWx += x.T @ da
        db += da.sum(axis=0)
        dWh[:, : 2 * H] += h_prev.T @ du
        dh = dh * z + drh * r + du @ Wrz.T
    return dWx, dWh, db


def _args(rng: np.random.Generator, T: int, B: int, D: int, H: int, gates: int) -> tuple:
    return (
        rng.standard_normal((D, gates * H)) / np.sqrt(D),
        rng.standard_normal((H, gates * H)) / np.sqrt(H),
        0.1 * rng.standard_normal(gates * H),
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
    )


def cells() -> list[problems.Problem]:
    rng = np.random.default_rng(11)
    rnn = _args(rng, 20, 32, 32, 128, 1)
    gru = _args(rng, 20, 32, 32, 64, 3)
    return [
        problems.Problem("RNN T=20 B=32 32-128", rnn_loss, rnn, (0, 1, 2), None, rnn_grad),
        problems.Problem("GRU T=20 B=32 32-64", gru_loss, gru, (0, 1, 2), None, gru_grad),
    ]
