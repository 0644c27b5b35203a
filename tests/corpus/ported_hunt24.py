"""Ported cases (session 24, hunt24), written anew after training loops users unroll by hand: SGD
with ``w -= lr * g`` in place (the final loss in the learning rate and in the initial weights),
momentum buffers in a list, Adam's moments in a dict with a step counter, gradient clipping by
norm with an ``if`` (rebinding and ``g *= c / n``), clipping by value with ``np.clip(..., out=g)``,
weight decay ``w *= 1 - lr * wd``, parameters and gradients in dicts updated by key, an EMA of
weights over ``zip`` (``e *= d; e += (1 - d) * p``), a cosine schedule, minibatches by slices with
an early stop, an RNN with its state in a dict, a GRU cell class with ``__call__``, attention with
``scores[mask] = -1e9``, a batch-norm object keeping running statistics, a multi-class hinge with
``margins[np.arange(n), y] = 0``, a 0-d array learning rate.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def refused_by_mutation_check(reason: str) -> dict[str, str]:
    """Refused by the mutation check (the IR itself verifies)."""
    return dict.fromkeys(("primal", "fwd", "rev"), reason)


R = np.random.default_rng(24)
XT = R.standard_normal((6, 3))
YT = XT @ np.array([0.5, -1.0, 2.0]) + 0.1 * R.standard_normal(6)
W0 = np.array([0.1, 0.2, -0.1])
LABELS = np.array([0, 2, 1, 1, 0, 2])
SEQ = R.standard_normal((4, 2))
WH = 0.4 * R.standard_normal((3, 3))
WX = 0.5 * R.standard_normal((3, 2))
QK = R.standard_normal((4, 3))


def _mse_grad(w, X, y):
    r = X @ w - y
    return X.T @ r / len(y), 0.5 * np.mean(r**2)


def sgd_lr(lr):
    w = W0.copy()
    for _ in range(4):
        g, _loss = _mse_grad(w, XT, YT)
        w -= lr * g
    return _mse_grad(w, XT, YT)[1]


def sgd_w0(w0):
    w = w0.copy()
    lr = 0.3
    for _step in range(3):
        g, _ = _mse_grad(w, XT, YT)
        w -= lr * g
        lr *= 0.5
    return _mse_grad(w, XT, YT)[1]


def momentum_list(w0):
    params = [w0.copy()]
    bufs = [np.zeros_like(p) for p in params]
    for _ in range(3):
        g, _ = _mse_grad(params[0], XT, YT)
        for p, b in zip(params, bufs):
            b *= 0.9
            b += g
            p -= 0.1 * b
    return _mse_grad(params[0], XT, YT)[1]


def adam_dict(lr):
    st = {"m": np.zeros(3), "v": np.zeros(3), "t": 0}
    w = W0.copy()
    b1, b2 = 0.9, 0.999
    for _ in range(3):
        g, _ = _mse_grad(w, XT, YT)
        st["t"] += 1
        st["m"] = b1 * st["m"] + (1 - b1) * g
        st["v"] *= b2
        st["v"] += (1 - b2) * g * g
        mhat = st["m"] / (1 - b1 ** st["t"])
        vhat = st["v"] / (1 - b2 ** st["t"])
        w -= lr * mhat / (np.sqrt(vhat) + 1e-8)
    return _mse_grad(w, XT, YT)[1]


def clip_norm_rebind(w0):
    w = w0.copy()
    for _ in range(3):
        g, _ = _mse_grad(w, XT, YT)
        n = np.linalg.norm(g)
        if n > 0.5:
            g = g * (0.5 / n)
        w = w - 0.4 * g
    return _mse_grad(w, XT, YT)[1]


def clip_norm_inplace(w0):
    w = w0.copy()
    for _ in range(3):
        g, _ = _mse_grad(w, XT, YT)
        n = math.sqrt(float(np.sum(g * g)))
        if n > 0.5:
            g *= 0.5 / n
        w -= 0.4 * g
    return _mse_grad(w, XT, YT)[1]


def clip_value_out(w0):
    w = w0.copy()
    for _ in range(3):
        g, _ = _mse_grad(w, XT, YT)
        np.clip(g, -0.4, 0.4, out=g)
        w -= 0.5 * g
    return _mse_grad(w, XT, YT)[1]


def weight_decay(wd):
    w = W0.copy()
    lr = 0.2
    for _ in range(3):
        g, _ = _mse_grad(w, XT, YT)
        w *= 1 - lr * wd
        w -= lr * g
    return _mse_grad(w, XT, YT)[1] + wd * np.sum(w**2)


def dict_params(w0):
    params = {"W": w0.reshape(3, 1).copy(), "b": np.zeros(1)}
    for _ in range(3):
        out = XT @ params["W"] + params["b"]
        r = out[:, 0] - YT
        grads = {"W": XT.T @ r[:, None] / 6, "b": np.array([r.mean()])}
        for k in params:
            params[k] -= 0.2 * grads[k]
    r = XT @ params["W"][:, 0] + params["b"][0] - YT
    return 0.5 * np.mean(r**2)


def ema_zip(w0):
    params = [w0.copy(), 0.5 * w0.copy()]
    ema = [p.copy() for p in params]
    for _ in range(3):
        for p in params:
            g, _ = _mse_grad(p, XT, YT)
            p -= 0.2 * g
        for e, p in zip(ema, params):
            e *= 0.8
            e += 0.2 * p
    return sum(_mse_grad(e, XT, YT)[1] for e in ema)


def cosine_schedule(w0):
    w = w0.copy()
    T = 4
    for t in range(T):
        lr = 0.05 + 0.5 * 0.3 * (1 + math.cos(math.pi * t / T))
        g, _ = _mse_grad(w, XT, YT)
        w -= lr * g
    return _mse_grad(w, XT, YT)[1]


def minibatch_early_stop(w0):
    w = w0.copy()
    loss = 0.0
    for _epoch in range(3):
        for i in range(0, 6, 2):
            g, loss = _mse_grad(w, XT[i : i + 2], YT[i : i + 2])
            if loss < 1e-3:
                break
            w -= 0.3 * g
    return _mse_grad(w, XT, YT)[1] + 0.0 * loss


def rnn_dict(h0):
    state = {"h": h0, "loss": 0.0}
    for x in SEQ:
        state["h"] = np.tanh(WH @ state["h"] + WX @ x)
        state["loss"] += np.sum(state["h"] ** 2)
    return state["loss"]


def rnn_dict_rebind(h0):
    state = {"h": h0, "loss": 0.0}
    for x in SEQ:
        h = np.tanh(WH @ state["h"] + WX @ x)
        state = {"h": h, "loss": state["loss"] + np.sum(h**2)}
    return state["loss"]


class GRUCell:
    def __init__(self, wz, wr, wh):
        self.wz, self.wr, self.wh = wz, wr, wh

    def __call__(self, h, x):
        hx = np.concatenate([h, x])
        z = 1 / (1 + np.exp(-(self.wz @ hx)))
        r = 1 / (1 + np.exp(-(self.wr @ hx)))
        hc = np.tanh(self.wh @ np.concatenate([r * h, x]))
        return (1 - z) * h + z * hc


GRU_W = [0.4 * R.standard_normal((3, 5)) for _ in range(3)]


def gru_loss(h0):
    cell = GRUCell(*GRU_W)
    h = h0
    outs = []
    for x in SEQ:
        h = cell(h, x)
        outs.append(h)
    H = np.stack(outs)
    return np.sum(H[-1] ** 2) + 0.1 * np.sum(H[:, 0])


def gru_loss_explicit(h0):
    cell = GRUCell(GRU_W[0], GRU_W[1], wh=GRU_W[2])
    h = h0
    total = 0.0
    for t, x in enumerate(SEQ):
        h = cell(h, x)
        total += (t + 1) * np.sum(h**2)
    return total


def attn_mask_write(q):
    Q = q.reshape(4, 3)
    scores = Q @ QK.T / np.sqrt(3)
    mask = np.triu(np.ones((4, 4), dtype=bool), k=1)
    scores[mask] = -1e9
    scores = scores - scores.max(axis=-1, keepdims=True)
    p = np.exp(scores)
    p /= p.sum(axis=-1, keepdims=True)
    out = p @ QK
    return np.sum(out**2)


def attn_pad_mask(q):
    Q = q.reshape(4, 3)
    scores = np.einsum("id,jd->ij", Q, QK)
    pad = np.array([False, False, True, False])
    scores[:, pad] = -np.inf
    m = np.max(scores, axis=-1, keepdims=True)
    e = np.exp(scores - m)
    p = e / np.sum(e, axis=-1, keepdims=True)
    return np.sum(p * np.arange(4.0))


class BatchNorm:
    def __init__(self, n, momentum=0.1):
        self.running_mean = np.zeros(n)
        self.running_var = np.ones(n)
        self.momentum = momentum
        self.training = True

    def __call__(self, x):
        if self.training:
            mu = x.mean(axis=0)
            var = x.var(axis=0)
            self.running_mean *= 1 - self.momentum
            self.running_mean += self.momentum * mu
            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var
        else:
            mu, var = self.running_mean, self.running_var
        return (x - mu) / np.sqrt(var + 1e-5)


def batchnorm_running(x):
    X = x.reshape(4, 2)
    bn = BatchNorm(2)
    a = bn(X)
    b = bn(X * 2.0)
    bn.training = False
    c = bn(X)
    return np.sum(a * b) + np.sum(c**2)


def multiclass_hinge(w):
    W = w.reshape(3, 3)
    S = XT @ W
    n = S.shape[0]
    correct = S[np.arange(n), LABELS][:, np.newaxis]
    margins = np.maximum(0, S - correct + 1.0)
    margins[np.arange(n), LABELS] = 0
    return margins.sum() / n + 0.05 * np.sum(W * W)


def zero_d_lr(lr):
    w = W0.copy()
    for _ in range(2):
        g, _ = _mse_grad(w, XT, YT)
        w = w - lr * g
    return _mse_grad(w, XT, YT)[1]


def gd_on_softmax(w0):
    W = w0.reshape(3, 3).copy()
    Y1 = np.eye(3)[LABELS]
    for _ in range(2):
        Z = XT @ W
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        W -= 0.5 * XT.T @ (P - Y1) / 6
    Z = XT @ W
    return -np.mean(np.sum(Y1 * (Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))), axis=1))


CASES = [
    Case(sgd_lr, (0.3,), (0,), extra="hvp"),
    Case(sgd_w0, (W0.copy(),), (0,), extra="hvp"),
    Case(momentum_list, (W0.copy(),), (0,), extra="hvp"),
    Case(adam_dict, (0.05,), (0,), extra="hvp"),
    Case(clip_norm_rebind, (W0.copy(),), (0,), extra="hvp"),
    Case(clip_norm_inplace, (W0.copy(),), (0,), extra="hvp"),
    Case(clip_value_out, (W0.copy(),), (0,), extra="hvp"),
    Case(weight_decay, (0.1,), (0,), extra="hvp"),
    Case(dict_params, (W0.copy(),), (0,), extra="hvp"),
    Case(ema_zip, (W0.copy(),), (0,), extra="hvp"),
    Case(cosine_schedule, (W0.copy(),), (0,), extra="hvp"),
    Case(minibatch_early_stop, (W0.copy(),), (0,), extra="hvp"),
    Case(rnn_dict, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp"),  # (fuzz24's alias_slots)
    Case(rnn_dict_rebind, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(
        gru_loss,
        (np.array([0.1, -0.2, 0.3]),),
        (0,),
    ),
    Case(gru_loss_explicit, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(attn_mask_write, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(attn_pad_mask, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(batchnorm_running, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(multiclass_hinge, (0.3 * R.standard_normal(9),), (0,), extra="hvp"),
    Case(zero_d_lr, (np.array(0.25),), (0,), extra="hvp"),
    Case(gd_on_softmax, (0.3 * R.standard_normal(9),), (0,), extra="hvp"),
]
