"""Ported cases (session 28, hunt28a), written anew after point-process, survival, statistical
physics, optimal transport and reinforcement-learning programs: a Hawkes process likelihood by the
recursive ``A = exp(-beta * dt) * (1 + A)`` with ``math.log``, a Weibull accelerated-failure-time
model with censoring indicators, mean-field Ising magnetisations by a damped fixed point in a
``while True`` with a tolerance ``break``, entropic optimal transport by Sinkhorn iterations in a
``while err > tol`` loop over a softmax marginal, REINFORCE with returns built by
``returns.insert(0, G)`` over ``reversed(rewards)`` and an entropy bonus over ``set(states)``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def hawkes_nll(p):
    mu, alpha, beta = np.exp(p)
    ts = np.array([0.3, 0.9, 1.1, 2.4, 2.6, 3.9])
    T = 4.5
    ll = 0.0
    A = 0.0
    for i in range(len(ts)):
        if i > 0:
            A = math.exp(-beta * (ts[i] - ts[i - 1])) * (1.0 + A)
        ll += math.log(mu + alpha * A)
    comp = mu * T + alpha / beta * np.sum(1 - np.exp(-beta * (T - ts)))
    return comp - ll


def weibull_aft(p):
    t = np.array([2.0, 3.5, 1.2, 4.1, 0.7])
    d = np.array([1, 0, 1, 1, 0])
    X = np.array([[1.0, 0.2], [1.0, -0.5], [1.0, 1.1], [1.0, 0.3], [1.0, -0.9]])
    beta, logk = p[:2], p[2]
    k = np.exp(logk)
    lam = np.exp(X @ beta)
    z = (t / lam) ** k
    ll = d * (logk - np.log(lam) + (k - 1) * np.log(t / lam)) - z
    return -ll.sum()


def ising_meanfield(p):
    J = np.array([[0.0, 0.5, -0.3], [0.5, 0.0, 0.8], [-0.3, 0.8, 0.0]])
    h = p
    m = np.zeros(3)
    it = 0
    while True:
        m_new = np.tanh(h + J @ m)
        if np.max(np.abs(m_new - m)) < 1e-12 or it > 200:
            m = m_new
            break
        m = 0.5 * m + 0.5 * m_new
        it += 1
    return -np.sum(h * m) - 0.5 * m @ J @ m


def sinkhorn_tol(p):
    a = np.exp(p[:3]) / np.exp(p[:3]).sum()
    b = np.array([0.2, 0.5, 0.3])
    C = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    K = np.exp(-C / 0.5)
    u = np.ones(3)
    v = np.ones(3)
    err = 1.0
    while err > 1e-12:
        u = a / (K @ v)
        v_new = b / (K.T @ u)
        err = np.abs(v_new - v).max()
        v = v_new
    P = u[:, None] * K * v[None, :]
    return np.sum(P * C)


def reinforce(theta):
    states = [0, 1, 1, 2, 0]
    actions = [1, 0, 1, 1, 0]
    rewards = [1.0, 0.0, 0.5, 1.0, -0.5]
    W = theta.reshape(3, 2)
    G = 0.0
    returns = []
    for r in reversed(rewards):
        G = r + 0.9 * G
        returns.insert(0, G)
    loss = 0.0
    for s, a, Gt in zip(states, actions, returns):
        logits = W[s]
        logp = logits[a] - np.log(np.sum(np.exp(logits)))
        loss -= logp * Gt
    ent = 0.0
    for s in set(states):
        pr = np.exp(W[s]) / np.exp(W[s]).sum()
        ent -= pr @ np.log(pr)
    return loss - 0.01 * ent


CASES = [
    Case(hawkes_nll, (np.log(np.array([0.8, 0.5, 1.5])),), (0,), extra="hvp"),
    Case(weibull_aft, (np.array([0.5, 0.2, 0.3]),), (0,), extra="hvp"),
    Case(ising_meanfield, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(sinkhorn_tol, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(reinforce, (np.sin(np.arange(6.0)),), (0,), extra="hvp"),
]
