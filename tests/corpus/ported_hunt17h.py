"""Ported cases (session 17, hunt17h: second order and nesting), written anew after the losses
users take Hessians of (softmax cross-entropy, layer norm, attention, a Gaussian process's
marginal likelihood through a Cholesky factor, a Gaussian mixture's log-likelihood), a simulation
with branches, a Newton solve and a meta-learning (MAML) inner loop calling ``srcad.grad`` inside
the function, and this session's fix: the gradient of a gradient of a function guarding a
singular op with ``np.where`` / ``np.nan_to_num`` inside a loop or a branch (nan before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])
DATA = np.array([[0.5, -1.2, 0.3], [1.1, 0.4, -0.7], [-0.3, 0.9, 1.4], [0.8, -0.5, 0.2]])
LABELS = np.array([0, 2, 1, 1])
TARGET = np.array([0.4, -0.6, 1.1, 0.2])
V = np.array([0.7, -1.3, 0.4, 1.1, -0.2, 0.9, 0.3, -0.5, 1.2, 0.6, -0.8, 0.1])


# -- losses users take Hessians of ---------------------------------------------------------------
def ml_softmax_xent(w):
    logits = DATA @ w[:9].reshape(3, 3) + w[9:]
    m = np.max(logits, axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[np.arange(4), LABELS])


def ml_layernorm(w):
    h = DATA @ w[:9].reshape(3, 3)
    mu = h.mean(axis=-1, keepdims=True)
    hn = (h - mu) / np.sqrt(h.var(axis=-1, keepdims=True) + 1e-5)
    return np.sum(np.tanh(hn * w[9] + w[10]) ** 2)


def ml_attention(w):
    q, k = DATA @ w[:9].reshape(3, 3), DATA @ w[3:12].reshape(3, 3)
    s = q @ k.T / np.sqrt(3.0)
    a = np.exp(s - s.max(axis=1, keepdims=True))
    a = a / a.sum(axis=1, keepdims=True)
    return np.sum((a @ DATA) ** 2)


def ml_gp_marginal(theta):
    ls, sf, sn = np.exp(theta[:3] * 0.5)
    d2 = np.sum((DATA[:, None, :] - DATA[None, :, :]) ** 2, axis=-1)
    k = sf**2 * np.exp(-0.5 * d2 / ls**2) + (sn**2 + 1e-6) * np.eye(4)
    chol = np.linalg.cholesky(k)
    alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, TARGET))
    return 0.5 * TARGET @ alpha + np.sum(np.log(np.diag(chol)))


def ml_gmm(p):
    logw = p[:2] - np.log(np.sum(np.exp(p[:2])))
    mu = p[2:8].reshape(2, 3)
    logs = p[8:11]
    z = (DATA[:, None, :] - mu[None]) / np.exp(logs)
    lp = -0.5 * np.sum(z**2, axis=-1) - np.sum(logs) + logw
    m = lp.max(axis=1)
    return -np.sum(m + np.log(np.sum(np.exp(lp - m[:, None]), axis=1)))


# -- a simulation with branches --------------------------------------------------------------------
def sim_bounce(p):
    y, v, e = p[0] + 1.0, p[1], 0.8 + 0.1 * np.tanh(p[2])
    for _ in range(30):
        v = v - 9.81 * 0.02
        y = y + v * 0.02
        if y < 0:
            y = -y * e
            v = -v * e
    return y * y + v


# -- derivatives inside the function ---------------------------------------------------------------
def _inner(x, th):
    return 0.5 * x @ x + 0.25 * np.sum(x**4) - th @ x


def nest_newton(th):
    x = np.zeros(4)
    for _ in range(3):
        g = srcad.grad(_inner)(x, th[:4])
        h = srcad.hessian(_inner)(x, th[:4])
        x = x - np.linalg.solve(h, g)
    return np.sum((x - TARGET) ** 2)


def _task_loss(p):
    return np.mean((np.tanh(DATA @ p) - TARGET) ** 2)


def nest_maml(w):
    p = w[:3]
    for _ in range(3):
        p = p - 0.1 * srcad.grad(_task_loss)(p)
    return _task_loss(p) + 0.01 * np.sum(w[:3] ** 2)


# -- the gradient of a gradient through a guard in a loop or a branch (nan before) -----------------
def _guard_loop(x):
    tot = 0.0
    for k in range(3):
        tot += np.sum(np.where(x > 0.1 * k, np.sqrt(x), 0.0))
    return tot


def _guard_branch(x):
    if np.sum(x) > 0:
        r = np.sum(np.where(x > 0, np.log(x) * x, 0.0))
    else:
        r = np.sum(x**2)
    return r


def _guard_while(x):
    tot, k = 0.0, 0
    while k < 2:
        tot += np.sum(np.nan_to_num(np.sqrt(x)[::-1]) * (k + 1))
        k += 1
    return tot


def fix_gg_where_loop(x):
    return np.sum(srcad.grad(_guard_loop)(x) * V) + np.sum(x**2)


def fix_gg_where_branch(x):
    return np.sum(srcad.grad(_guard_branch)(x) * V)


def fix_gg_nan_to_num_while(x):
    return np.sum(srcad.grad(_guard_while)(x) * V)


CASES = [
    Case(ml_softmax_xent, (X,), (0,), extra="hvp"),
    Case(ml_layernorm, (X,), (0,), extra="hvp"),
    Case(ml_attention, (X,), (0,), extra="hvp"),
    Case(ml_gp_marginal, (X,), (0,), extra="hvp"),
    Case(ml_gmm, (X,), (0,), extra="hvp"),
    Case(sim_bounce, (X,), (0,), extra="hvp"),
    Case(nest_newton, (X,), (0,), extra="hvp"),
    Case(nest_maml, (X,), (0,), extra="hvp"),
    Case(fix_gg_where_loop, (X,), (0,), extra="hvp"),
    Case(fix_gg_where_branch, (X,), (0,), extra="hvp"),
    Case(fix_gg_nan_to_num_while, (X,), (0,), extra="hvp"),
]
