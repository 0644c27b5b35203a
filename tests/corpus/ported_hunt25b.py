"""Ported cases (session 25, hunt25b), written anew after finance, reinforcement-learning and
sequence-model programs: Black-Scholes with the normal cdf by ``math.erf`` (a call price and its
put by parity, a classmethod constructor), a binomial tree with early exercise by ``np.maximum``
in a backward induction over a negative-step range, Monte-Carlo pricing with draws made outside
by ``np.random.default_rng(0)`` and an ``np.where`` payoff, an Asian option averaging a path built
in place, value iteration by a Bellman max over actions for a fixed number of sweeps, a policy's
soft value by log-sum-exp, an HMM forward algorithm in log space with a hand-written logsumexp,
a linear-chain CRF's negative log-likelihood, word2vec negative sampling over index arrays,
matrix factorisation by a loop over observed ``(i, j, r)`` triples with ``U[i] -= lr * g``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import Case


def refused_by_mutation_check(reason: str) -> dict[str, str]:
    """Refused by the mutation check (the IR itself verifies)."""
    return dict.fromkeys(("primal", "fwd", "rev"), reason)


R = np.random.default_rng(251)
Z_MC = np.random.default_rng(0).standard_normal(8)
Z_PATH = np.random.default_rng(0).standard_normal((16, 5))


def ncdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


class Option(NamedTuple):
    strike: float
    maturity: float
    rate: float = 0.01

    @classmethod
    def atm(cls, s):
        return cls(float(s), 1.0)


def bs_call(s, sigma):
    opt = Option.atm(100.0)._replace(maturity=0.5)
    k, t, r = opt
    d1 = (math.log(s / k) + (r + 0.5 * sigma**2) * t) / (sigma * math.sqrt(t))
    d2 = d1 - sigma * math.sqrt(t)
    call = s * ncdf(d1) - k * math.exp(-r * t) * ncdf(d2)
    put = call - s + k * math.exp(-r * t)
    return call + 0.5 * put


def bs_vec(p):
    s, k, t, r, sig = p
    sq = sig * np.sqrt(t)
    d1 = (np.log(s / k) + (r + sig * sig / 2) * t) / sq
    d2 = d1 - sq
    nd = [ncdf(float(d)) for d in (d1, d2)]
    return s * nd[0] - k * np.exp(-r * t) * nd[1]


def binomial_american(p, n=6):
    s0, sigma = p
    k, t, r = 1.0, 1.0, 0.03
    dt = t / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    q = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    j = np.arange(n + 1)
    prices = s0 * u ** (n - j) * d**j
    v = np.maximum(k - prices, 0.0)
    for _ in range(n - 1, -1, -1):
        prices = prices[:-1] * d
        v = disc * (q * v[:-1] + (1 - q) * v[1:])
        v = np.maximum(v, k - prices)
    return v[0]


def mc_european(p):
    s0, sigma = p
    r, t, k = 0.02, 1.0, 1.05
    st = s0 * np.exp((r - 0.5 * sigma**2) * t + sigma * math.sqrt(t) * Z_MC)
    payoff = np.where(st > k, st - k, 0.0)
    return math.exp(-r * t) * payoff.mean()


def asian(p, dt=0.2):
    s0, sigma = p
    paths = np.empty((Z_PATH.shape[0], Z_PATH.shape[1] + 1))
    paths[:, 0] = s0
    for k in range(Z_PATH.shape[1]):
        paths[:, k + 1] = paths[:, k] * np.exp(
            -0.5 * sigma**2 * dt + sigma * math.sqrt(dt) * Z_PATH[:, k]
        )
    avg = paths[:, 1:].mean(axis=-1)
    return np.mean(np.log1p(np.exp(5 * (avg - 1.0)))) / 5


P_MDP = R.dirichlet(np.ones(4), size=(3, 4))  # (action, state) -> next-state distribution


def value_iteration(rw, gamma=0.9, sweeps=8):
    r = rw.reshape(3, 4)
    v = np.zeros(4)
    for _ in range(sweeps):
        q = r + gamma * P_MDP @ v
        v = q.max(axis=0)
    best = max(range(4), key=lambda s: v[s])
    return v.sum() + v[best]


def soft_value(rw, gamma=0.8, tau=0.5, sweeps=6):
    r = rw.reshape(3, 4)
    v = np.zeros(4)
    for _ in range(sweeps):
        q = (r + gamma * np.einsum("asn,n->as", P_MDP, v)) / tau
        m = q.max(axis=0, keepdims=True)
        v = tau * (m[0] + np.log(np.exp(q - m).sum(axis=0)))
    return v @ np.array([0.1, 0.2, 0.3, 0.4])


def logsumexp(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True))
    return np.squeeze(out, axis=axis) if axis is not None else out.item()


OBS = [0, 2, 1, 1, 0, 2]


def hmm_forward(theta):
    log_a = theta[:4].reshape(2, 2)
    log_a = log_a - logsumexp(log_a, axis=1)[:, None]
    log_b = theta[4:10].reshape(2, 3)
    log_b = log_b - logsumexp(log_b, axis=-1)[:, None]
    alpha = np.log(np.array([0.6, 0.4])) + log_b[:, OBS[0]]
    for o in OBS[1:]:
        alpha = logsumexp(alpha[:, None] + log_a, axis=0) + log_b[:, o]
    return -logsumexp(alpha)


TAGS = np.array([0, 1, 1, 2])
EMIT = R.standard_normal((4, 3))


def crf_nll(trans_flat):
    trans = trans_flat.reshape(3, 3)
    n = len(TAGS)
    score = EMIT[0, TAGS[0]]
    for t in range(1, n):
        score += trans[TAGS[t - 1], TAGS[t]] + EMIT[t, TAGS[t]]
    alpha = EMIT[0].copy()
    for t in range(1, n):
        alpha = np.array([logsumexp(alpha + trans[:, j]) + EMIT[t, j] for j in range(3)])
    return logsumexp(alpha) - score


CENTER = np.array([0, 1, 2, 1])
CONTEXT = np.array([1, 2, 3, 0])
NEG = np.array([[3, 4], [0, 4], [4, 1], [2, 3]])


def word2vec(emb_flat, dim=3):
    E = emb_flat.reshape(5, dim)
    C = 0.5 * E[::-1]
    loss = 0.0
    for c, o, negs in zip(CENTER, CONTEXT, NEG):
        vc = E[c]
        pos = vc @ C[o]
        loss -= np.log(1 / (1 + np.exp(-pos)))
        neg_scores = C[negs] @ vc
        loss -= np.sum(np.log(1 / (1 + np.exp(neg_scores))))
    return loss / len(CENTER)


TRIPLES = [(0, 1, 4.0), (0, 2, 1.0), (1, 0, 3.5), (2, 2, 2.0), (1, 2, 1.5), (2, 0, 5.0)]


def matrix_factorisation(uv, lr=0.05, epochs=3):
    U = uv[:6].reshape(3, 2).copy()
    V = uv[6:].reshape(3, 2).copy()
    for _ in range(epochs):
        for i, j, r in TRIPLES:
            err = U[i] @ V[j] - r
            gu = err * V[j] + 0.01 * U[i]
            gv = err * U[i] + 0.01 * V[j]
            U[i] -= lr * gu
            V[j] -= lr * gv
    return sum((U[i] @ V[j] - r) ** 2 for i, j, r in TRIPLES)


CASES = [
    Case(bs_call, (105.0, 0.25), (0, 1), extra="hvp"),
    Case(bs_vec, (np.array([105.0, 100.0, 0.5, 0.01, 0.25]),), (0,), extra="hvp"),
    Case(binomial_american, (np.array([0.93, 0.3]),), (0,), extra="hvp"),
    Case(mc_european, (np.array([1.01, 0.25]),), (0,), extra="hvp"),
    Case(asian, (np.array([1.01, 0.25]),), (0,), extra="hvp"),
    Case(value_iteration, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(soft_value, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(hmm_forward, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(
        crf_nll,
        (R.standard_normal(9),),
        (0,),
        xfail=refused_by_mutation_check(
            "`score = EMIT[0, TAGS[0]]; score += ...`: the global int array's item is not known "
            "to be an int, so the read may be a view of `EMIT` updated in place"
        ),
    ),
    Case(word2vec, (R.standard_normal(15),), (0,), extra="hvp"),
    Case(matrix_factorisation, (R.standard_normal(12),), (0,), extra="hvp"),
]
