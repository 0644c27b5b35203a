"""Ported cases (session 28, corp28), CS231n (second part of ported_corp28_cs): written anew as user
code after the CS231n assignments' rnn_layers.py (``rnn_step_forward`` / ``rnn_forward`` filling
``h[:, t, :]``, ``lstm_step_forward`` slicing the gate block and its numerically stable sigmoid
through boolean masks, ``word_embedding_forward``, ``temporal_affine_forward`` and the masked
``temporal_softmax_loss``), fc_net.py's TwoLayerNet loss and layers.py's ``svm_loss``.

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported_corp28_cs import (
    W43,
    XIMG,
    XSEQ,
    Y5,
    affine_forward,
    relu_forward,
    softmax_loss,
    svm_loss,
)

R = np.random.default_rng(28104)


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    prev_h = h0
    for t in range(T):
        prev_h, _ = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
    return h, None


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    M = b.shape[0]
    out = x.reshape(N * T, D).dot(w).reshape(N, T, M) + b
    return out, (x, w, b, out)


def temporal_softmax_loss(x, y, mask):
    N, T, V = x.shape
    x_flat = x.reshape(N * T, V)
    y_flat = y.reshape(N * T)
    mask_flat = mask.reshape(N * T)
    probs = np.exp(x_flat - np.max(x_flat, axis=1, keepdims=True))
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(mask_flat * np.log(probs[np.arange(N * T), y_flat])) / N
    return loss


def rnn_caption_loss(Wx, Wh, W_vocab):
    """cs231n RNN captioning loss: rnn_forward, temporal_affine_forward, temporal_softmax_loss
    with a mask dropping the padded steps."""
    h0 = np.tanh(XSEQ[:, 0, :3])
    h, _ = rnn_forward(XSEQ, h0, Wx, Wh, np.zeros(3))
    scores, _ = temporal_affine_forward(h, W_vocab, np.zeros(W_vocab.shape[1]))
    y = np.array([[1, 0, 2], [2, 2, 0]])
    mask = np.array([[True, True, False], [True, True, True]])
    return temporal_softmax_loss(scores, y, mask)


def sigmoid(x):
    pos = x >= 0
    neg = ~pos
    z = np.zeros_like(x)
    z[pos] = np.exp(-x[pos])
    z[neg] = np.exp(x[neg])
    top = np.ones_like(x)
    top[neg] = z[neg]
    return top / (1 + z)


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x.dot(Wx) + prev_h.dot(Wh) + b
    i = sigmoid(a[:, 0:H])
    f = sigmoid(a[:, H : 2 * H])
    o = sigmoid(a[:, 2 * H : 3 * H])
    g = np.tanh(a[:, 3 * H : 4 * H])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, None


def lstm_loss(Wx, Wh):
    """cs231n rnn_layers.py lstm_forward: lstm_step_forward over T with the numerically stable
    sigmoid writing through boolean masks."""
    N, T, D = XSEQ.shape
    H = Wh.shape[0]
    prev_h = np.zeros((N, H))
    prev_c = np.zeros((N, H))
    hs = np.zeros((N, T, H))
    for t in range(T):
        prev_h, prev_c, _ = lstm_step_forward(XSEQ[:, t, :], prev_h, prev_c, Wx, Wh, 0.1)
        hs[:, t, :] = prev_h
    return np.sum(hs * hs) + np.sum(prev_c)


def word_embedding_loss(W):
    """cs231n word_embedding_forward: ``W[x]`` for an (N, T) integer array, then a sum."""
    x = np.array([[0, 3, 1], [2, 2, 4]])
    out = W[x]
    return np.sum(np.sin(out) * out)


def two_layer_net_loss(W1, b1, W2, b2):
    """cs231n/classifiers/fc_net.py TwoLayerNet.loss (affine - relu - affine - softmax + L2)."""
    X = XIMG.reshape(2, -1)[:, :6]
    X = np.concatenate([X, X[::-1] * 0.5, X * -0.3])[:5]
    h, _ = affine_forward(X, W1, b1)
    h, _ = relu_forward(h)
    scores, _ = affine_forward(h, W2, b2)
    loss = softmax_loss(scores, Y5)
    reg = 0.1
    loss += 0.5 * reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    return loss


def svm_on_scores_loss(x):
    """cs231n/layers.py svm_loss (multiclass hinge on a score matrix)."""
    return svm_loss(x, Y5)


CASES = [
    Case(
        rnn_caption_loss,
        (
            np.round(R.normal(size=(4, 3)) * 0.5, 3),
            np.round(R.normal(size=(3, 3)) * 0.5, 3),
            W43[:3],
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        lstm_loss,
        (np.round(R.normal(size=(4, 12)) * 0.4, 3), np.round(R.normal(size=(3, 12)) * 0.4, 3)),
        (0, 1),
        extra="hvp",
    ),
    Case(word_embedding_loss, (np.round(R.normal(size=(5, 3)), 3),), (0,), extra="hvp"),
    Case(
        two_layer_net_loss,
        (
            np.round(R.normal(size=(6, 4)) * 0.5, 3),
            np.full(4, 0.05),
            np.round(R.normal(size=(4, 3)) * 0.5, 3),
            np.zeros(3),
        ),
        (0, 1, 2, 3),
        extra="hvp",
    ),
    Case(svm_on_scores_loss, (np.round(R.normal(size=(5, 3)), 3),), (0,), extra="hvp"),
]
