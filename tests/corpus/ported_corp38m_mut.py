"""Ported cases (session 38, corp38m_mut): metamorphic variants that move a corpus program's
arithmetic into in-place updates, views and aliases (tests/corpus/users_ml.py, users_sim.py):
`x = x + v` / `x += v` / `x[...] = x + v` / `np.add(x, v, out=x)` on a copy, a slice view updated
through another name, `np.copyto`, `out=` into a preallocated buffer, rows of a matrix written in
a loop, a list of arrays updated item by item, `a, *rest = ...`, `np.where` against a masked
assignment, `sum(a)` of a matrix (its rows) against `a.sum(axis=0)` against `ones @ a`.

Float64 arrays -> floats or arrays. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

import numpy as np

from . import Case, refused_everywhere
from .users_ml import (
    EPS,
    W0,
    XS,
    attention,
    batchnorm_train,
    bce_with_logits,
    causal_attention,
    layernorm,
    leaky_relu_net,
    smooth_l1,
    softplus_elu,
    triplet,
)
from .users_sim import heat1d_slices, heat2d, wave1d

GAMMA, BETA = np.array([1.0, 0.5, 2.0]), np.array([0.1, 0.0, -0.1])
U7 = np.sin(np.linspace(0, 3, 7))
U6 = np.sin(np.linspace(0, 3, 6))
R = np.random.default_rng(38003)
U45 = R.standard_normal((4, 5))


def layernorm_inplace(x, gamma, beta):
    xhat = x.copy()
    xhat -= x.mean(axis=-1, keepdims=True)
    xhat /= np.sqrt(x.var(axis=-1, keepdims=True) + EPS)
    xhat *= gamma
    xhat += beta
    return sum(xhat)  # the rows added: `.sum(axis=0)`


def layernorm_rows(x, gamma, beta):
    out = np.empty_like(x)
    for i, row in enumerate(x):
        mu = row.mean()
        out[i] = gamma * (row - mu) / np.sqrt(((row - mu) ** 2).mean() + EPS) + beta
    return np.ones(len(x)) @ out


def batchnorm_out(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=0)
    xc = np.subtract(x, mean)
    var = np.mean(xc * xc, axis=0)
    np.divide(xc, np.sqrt(var + eps), out=xc)
    out = np.empty_like(xc)
    np.multiply(gamma, xc, out=out)
    np.add(out, beta, out=out)
    return np.sum(np.square(out)) / x.shape[0]


def batchnorm_ellipsis(x, gamma, beta, eps=1e-5):
    y = x.copy()
    y[...] = y - y.mean(axis=0)
    y[...] = y / np.sqrt((y**2).mean(axis=0) + eps)
    y[:] = gamma * y + beta
    return (y * y).sum() / len(y)


def attention_copyto(Q, K, V):
    scores = np.empty((Q.shape[0], K.shape[0]))
    np.copyto(scores, Q @ K.T)
    scores /= np.sqrt(Q.shape[-1])
    scores -= scores.max(axis=-1)[:, None]
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores @ V


def attention_rows(Q, K, V):
    out = np.zeros((Q.shape[0], V.shape[1]))
    for i, q in enumerate(Q):
        s = K @ q / np.sqrt(len(q))
        w = np.exp(s - s.max())
        out[i, :] = (w / w.sum()) @ V
    return out


def causal_masked(Q, K, V):
    T, d = Q.shape
    scores = Q @ K.T / np.sqrt(d)
    scores[np.triu_indices(T, 1)] = -np.inf
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.sum(e / e.sum(axis=1, keepdims=True) @ V)


def causal_loops(Q, K, V):
    T = len(Q)
    total = 0.0
    for t in range(T):
        s = [Q[t] @ K[j] / np.sqrt(Q.shape[1]) for j in range(t + 1)]
        m = max(s)
        w = [np.exp(v - m) for v in s]
        z = sum(w)
        total += sum(wj / z * V[j] for j, wj in enumerate(w)).sum()
    return total


def smooth_l1_masked(pred, target, beta=1.0):
    diff = np.abs(pred - target)
    loss = diff - 0.5 * beta
    small = diff < beta
    loss[small] = 0.5 * diff[small] ** 2 / beta
    return loss.sum() / loss.size


def triplet_loop(anchor, pos, neg, margin=1.0):
    total = 0.0
    for a, p, n in zip(anchor, pos, neg):
        v = np.sum((a - p) ** 2) - np.sum((a - n) ** 2) + margin
        total += max(v, 0.0)
    return total / len(anchor)


def bce_split(logits, targets):
    pos = logits.copy()
    pos[pos < 0] = 0.0
    return np.mean(pos - logits * targets + np.log1p(np.exp(-abs(logits))))


def leaky_view(W, X, slope=0.01):
    z = X @ W
    a = z.copy()
    neg = a[z <= 0]
    a[z <= 0] = slope * neg
    return np.mean(a * a)


def softplus_elu_list(x):
    first, *rest = [np.log1p(np.exp(v)) + (v if v > 0 else np.exp(v) - 1) for v in x]
    return first + sum(rest)


def heat_view(u0, alpha, steps=5):
    u = u0.copy()
    inner = u[1:-1]  # a view: updates show in u
    for _ in range(steps):
        inner += alpha * (u[2:] - 2 * u[1:-1] + u[:-2])
    return u


def heat_add_out(u0, alpha, steps=5):
    u = u0.copy()
    for _ in range(steps):
        np.add(u[1:-1], alpha * (u[2:] - 2 * u[1:-1] + u[:-2]), out=u[1:-1])
    return u


def heat_roll(u0, alpha, steps=5):
    u = u0.copy()
    for _ in range(steps):
        lap = np.roll(u, -1) - 2 * u + np.roll(u, 1)
        lap[0] = lap[-1] = 0.0
        u = u + alpha * lap
    return u


def heat2d_ellipsis(u0, alpha, steps=3):
    u = u0.copy()
    for _ in range(steps):
        c = u[1:-1, 1:-1]
        lap = u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * c
        c[...] = c + alpha * lap
    return np.sum(u * u)


def wave_buffers(u0, c, steps=4, dt=0.1, dx=0.5):
    bufs = [u0.copy(), u0.copy(), np.zeros_like(u0)]
    r2 = (c * dt / dx) ** 2
    for _ in range(steps):
        prev, cur, nxt = bufs
        nxt[:] = 0.0
        nxt[1:-1] = 2 * cur[1:-1] - prev[1:-1] + r2 * (cur[2:] - 2 * cur[1:-1] + cur[:-2])
        bufs = [cur, nxt, prev]
    return bufs[1]


CASES = [
    Case(layernorm_inplace, (XS, GAMMA, BETA), (0, 1, 2)),
    Case(layernorm_rows, (XS, GAMMA, BETA), (0, 1, 2)),
    Case(batchnorm_out, (XS, GAMMA, BETA), (0, 1, 2), extra="hvp"),
    Case(batchnorm_ellipsis, (XS, GAMMA, BETA), (0, 1, 2)),
    Case(attention_copyto, (XS[:3], XS[1:4], XS[2:5]), (0, 1, 2)),
    Case(attention_rows, (XS[:3], XS[1:4], XS[2:5]), (0, 1, 2)),
    Case(causal_masked, (XS[:4], XS[1:5], XS[:4] * 2), (0, 1, 2), extra="hvp"),
    Case(causal_loops, (XS[:4], XS[1:5], XS[:4] * 2), (0, 1, 2)),
    Case(smooth_l1_masked, (np.array([0.1, -0.9, 2.0]), np.array([0.4, 0.5, -0.2])), (0, 1)),
    Case(triplet_loop, (XS[:3], XS[1:4], XS[2:5]), (0, 1, 2)),
    Case(bce_split, (np.array([0.5, -1.5, 2.0, -0.1]), np.array([1.0, 0.0, 1.0, 1.0])), (0,)),
    Case(leaky_view, (W0, XS), (0,)),
    Case(softplus_elu_list, (np.array([0.3, -1.2, 0.8, -0.1]),), (0,), extra="hvp"),
    Case(heat_view, (U7, 0.2), (0, 1)),
    Case(heat_add_out, (U7, 0.2), (0, 1)),
    Case(heat_roll, (U7, 0.2), (0, 1)),
    Case(heat2d_ellipsis, (U45, 0.1), (0, 1), extra="hvp"),
    Case(
        wave_buffers,
        (U6, 1.0),
        (0, 1),
        xfail=refused_everywhere("three buffers rotated through a list: alias-dependent writes"),
    ),
]

SAME_AS = {
    layernorm_inplace: layernorm,
    layernorm_rows: layernorm,
    batchnorm_out: batchnorm_train,
    batchnorm_ellipsis: batchnorm_train,
    attention_copyto: attention,
    attention_rows: attention,
    causal_masked: causal_attention,
    causal_loops: causal_attention,
    smooth_l1_masked: smooth_l1,
    triplet_loop: triplet,
    bce_split: bce_with_logits,
    leaky_view: leaky_relu_net,
    softplus_elu_list: softplus_elu,
    heat_view: heat1d_slices,
    heat_add_out: heat1d_slices,
    heat_roll: heat1d_slices,
    heat2d_ellipsis: heat2d,
    wave_buffers: wave1d,
}
