"""Ported cases (session 29, corp29), written anew as user code after Andrej Karpathy's
min-char-rnn (gist karpathy/d4dee566867f8291f086, ``lossFun``) and the d2l.ai "from scratch"
recurrent chapters in NumPy (rnn-scratch, gru, lstm): the character RNN's loss over a sequence
with one-hot inputs built by ``xs[t][inputs[t]] = 1``, the dicts ``xs``, ``hs``, ``ys``, ``ps``
keyed by ``t`` with ``hs[-1]`` the initial state, the softmax read at the target index; its
hand-written backward pass with ``np.clip(dparam, -5, 5, out=dparam)``; d2l's ``rnn`` over a
``params`` list unpacked in the body, ``init_rnn_state`` returning a tuple, ``outputs.append``
and ``np.concatenate``, gradient clipping by the global norm over ``params``, and the GRU and
LSTM cells from their gate equations.

Float parameters -> float scalar losses or arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(29002)
VOCAB = 5
HIDDEN = 4
INPUTS = [0, 3, 1, 4, 2]
TARGETS = [3, 1, 4, 2, 0]


def _p(*shape, s=0.4):
    return np.round(R.normal(size=shape) * s, 3)


def min_char_rnn_loss(Wxh, Whh, Why, bh, by):
    hprev = np.zeros((HIDDEN, 1))
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(INPUTS)):
        xs[t] = np.zeros((VOCAB, 1))
        xs[t][INPUTS[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
        loss += -np.log(ps[t][TARGETS[t], 0])
    return loss


def min_char_rnn_backward(Wxh, Whh, Why, bh, by):
    # lossFun's forward and hand-written backward pass; returns the clipped dWhh and the last state
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.zeros((HIDDEN, 1))
    for t in range(len(INPUTS)):
        xs[t] = np.zeros((VOCAB, 1))
        xs[t][INPUTS[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(INPUTS))):
        dy = np.copy(ps[t])
        dy[TARGETS[t]] -= 1
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
        np.clip(dparam, -5, 5, out=dparam)
    return np.sum(dWhh * dWhh) + np.sum(dWxh) + np.sum(dby**2) + np.sum(hs[len(INPUTS) - 1])


def loss_fun(inputs, targets, hprev, Wxh, Whh, Why, bh, by):
    # lossFun as min-char-rnn writes it: loss, the clipped gradients and the last hidden state
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((VOCAB, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
        np.clip(dparam, -5, 5, out=dparam)
    return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1]


def min_char_rnn_adagrad(Wxh, Whh, Why, bh, by):
    # the main loop: two Adagrad steps on sliding windows, then the loss of the next window
    Wxh, Whh, Why, bh, by = Wxh.copy(), Whh.copy(), Why.copy(), bh.copy(), by.copy()
    mWxh, mWhh, mWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    mbh, mby = np.zeros_like(bh), np.zeros_like(by)
    learning_rate = 1e-1
    data = INPUTS + TARGETS
    hprev = np.zeros((HIDDEN, 1))
    seq_length = 3
    for p in range(2):
        inputs, targets = data[p : p + seq_length], data[p + 1 : p + seq_length + 1]
        loss, dWxh, dWhh, dWhy, dbh, dby, hprev = loss_fun(
            inputs, targets, hprev, Wxh, Whh, Why, bh, by
        )
        for param, dparam, mem in zip(
            [Wxh, Whh, Why, bh, by], [dWxh, dWhh, dWhy, dbh, dby], [mWxh, mWhh, mWhy, mbh, mby]
        ):
            mem += dparam * dparam
            param += -learning_rate * dparam / np.sqrt(mem + 1e-8)
    return loss_fun(data[2:5], data[3:6], hprev, Wxh, Whh, Why, bh, by)[0]


def init_rnn_state(batch_size, num_hiddens):
    return (np.zeros((batch_size, num_hiddens)),)


def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    (H,) = state
    outputs = []
    for X in inputs:
        H = np.tanh(np.dot(X, W_xh) + np.dot(H, W_hh) + b_h)
        Y = np.dot(H, W_hq) + b_q
        outputs.append(Y)
    return np.concatenate(outputs, axis=0), (H,)


def d2l_rnn_loss(W_xh, W_hh, b_h, W_hq, b_q):
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    X = np.array([[0, 3, 1], [2, 4, 0]])
    inputs = np.eye(VOCAB)[X.T]
    state = init_rnn_state(X.shape[0], HIDDEN)
    y_hat, state = rnn(inputs, state, params)
    y = X.T.reshape(-1)
    y_hat = y_hat - np.max(y_hat, axis=1, keepdims=True)
    log_p = y_hat - np.log(np.sum(np.exp(y_hat), axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y]) + 0.1 * np.sum(state[0] ** 2)


def grad_clipping(grads, theta):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    if norm > theta:
        grads = [g * theta / norm for g in grads]
    return grads


def clipped_gradient_step(W_xh, W_hh, b_h):
    # d2l's clipping applied to a list of "gradients" (here functions of the parameters)
    params = [W_xh, W_hh, b_h]
    grads = [np.sin(p) * 3.0 for p in params]
    grads = grad_clipping(grads, 1.0)
    new = [p - 0.5 * g for p, g in zip(params, grads)]
    return sum(np.sum(np.cos(p)) for p in new)


def gru(inputs, state, params):
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h = params
    (H,) = state
    outputs = []
    for X in inputs:
        Z = 1 / (1 + np.exp(-(X @ W_xz + H @ W_hz + b_z)))
        Rg = 1 / (1 + np.exp(-(X @ W_xr + H @ W_hr + b_r)))
        H_tilda = np.tanh(X @ W_xh + (Rg * H) @ W_hh + b_h)
        H = Z * H + (1 - Z) * H_tilda
        outputs.append(H)
    return np.stack(outputs), (H,)


def gru_loss(W_x, W_h, b, X):
    # the three gates' weights as slices of one matrix, as a user packing parameters would
    n = HIDDEN
    params = [W_x[:, :n], W_h[:, :n], b[:n], W_x[:, n : 2 * n], W_h[:, n : 2 * n], b[n : 2 * n]]
    params += [W_x[:, 2 * n :], W_h[:, 2 * n :], b[2 * n :]]
    outs, (H,) = gru(X, init_rnn_state(X.shape[1], n), params)
    return np.sum(outs**2) + np.sum(H)


def init_lstm_state(batch_size, num_hiddens):
    return (np.zeros((batch_size, num_hiddens)), np.zeros((batch_size, num_hiddens)))


def lstm(inputs, state, params):
    [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
    (H, C) = state
    outputs = []

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    for X in inputs:
        I = sigmoid((X @ W_xi) + (H @ W_hi) + b_i)  # noqa: E741
        F = sigmoid((X @ W_xf) + (H @ W_hf) + b_f)
        O = sigmoid((X @ W_xo) + (H @ W_ho) + b_o)  # noqa: E741
        C_tilda = np.tanh((X @ W_xc) + (H @ W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * np.tanh(C)
        Y = (H @ W_hq) + b_q
        outputs.append(Y)
    return np.concatenate(outputs, axis=0), (H, C)


def lstm_loss(W_x, W_h, b, W_hq, X):
    n = HIDDEN
    params = []
    for k in range(4):
        params.extend(
            [W_x[:, k * n : (k + 1) * n], W_h[:, k * n : (k + 1) * n], b[k * n : (k + 1) * n]]
        )
    params += [W_hq, np.zeros(2)]
    Y, (H, C) = lstm(X, init_lstm_state(X.shape[1], n), params)
    return np.sum(np.tanh(Y)) + np.sum(C * H)


XSEQ = _p(3, 2, 3, s=1.0)

CASES = [
    Case(
        min_char_rnn_loss,
        (_p(HIDDEN, VOCAB), _p(HIDDEN, HIDDEN), _p(VOCAB, HIDDEN), _p(HIDDEN, 1), _p(VOCAB, 1)),
        (0, 1, 2, 3, 4),
        extra="hvp",
    ),
    Case(
        min_char_rnn_backward,
        (_p(HIDDEN, VOCAB), _p(HIDDEN, HIDDEN), _p(VOCAB, HIDDEN), _p(HIDDEN, 1), _p(VOCAB, 1)),
        (0, 1, 2, 3, 4),
    ),
    Case(
        min_char_rnn_adagrad,
        (_p(HIDDEN, VOCAB), _p(HIDDEN, HIDDEN), _p(VOCAB, HIDDEN), _p(HIDDEN, 1), _p(VOCAB, 1)),
        (0, 1, 2, 3, 4),
    ),
    Case(
        d2l_rnn_loss,
        (_p(VOCAB, HIDDEN), _p(HIDDEN, HIDDEN), _p(HIDDEN), _p(HIDDEN, VOCAB), _p(VOCAB)),
        (0, 1, 2, 3, 4),
        extra="hvp",
    ),
    Case(clipped_gradient_step, (_p(3, 4), _p(4, 4), _p(4)), (0, 1, 2)),
    Case(gru_loss, (_p(3, 3 * HIDDEN), _p(HIDDEN, 3 * HIDDEN), _p(3 * HIDDEN), XSEQ), (0, 1, 2, 3)),
    Case(
        lstm_loss,
        (_p(3, 4 * HIDDEN), _p(HIDDEN, 4 * HIDDEN), _p(4 * HIDDEN), _p(HIDDEN, 2), XSEQ),
        (0, 1, 2, 3, 4),
    ),
]
