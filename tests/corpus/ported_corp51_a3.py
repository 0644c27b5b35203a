"""Ported cases (session 51, hunt51a): reinforcement learning and NLP: discounted returns computed
backwards, GAE with done flags, PPO's clipped objective, masked and causal attention (-inf before
the softmax), a CTC forward recursion in log space, word2vec negative sampling with repeated
indices, Viterbi max over paths, label-smoothed cross-entropy with integer targets, TD(lambda).

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import Case


def discounted_returns(rewards, gamma=0.95):
    G = np.zeros_like(rewards)
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + gamma * running
        G[t] = running
    return G


def returns_loss(r):
    G = discounted_returns(r)
    return np.sum(G**2) / len(G)


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    T = len(rewards)
    adv = np.zeros(T)
    last = 0.0
    for t in range(T - 1, -1, -1):
        nonterminal = 1.0 - dones[t]
        delta = rewards[t] + gamma * values[t + 1] * nonterminal - values[t]
        last = delta + gamma * lam * nonterminal * last
        adv[t] = last
    returns = adv + values[:-1]
    return np.sum(adv**2) + 0.5 * np.sum((returns - values[:-1]) ** 2)


def ppo_loss(logits, actions, old_logp, adv, clip=0.2):
    logp_all = logits - logsumexp(logits, axis=1, keepdims=True)
    logp = logp_all[np.arange(len(actions)), actions]
    ratio = np.exp(logp - old_logp)
    s1 = ratio * adv
    s2 = np.clip(ratio, 1 - clip, 1 + clip) * adv
    ent = -np.sum(np.exp(logp_all) * logp_all, axis=1)
    return -np.mean(np.minimum(s1, s2)) - 0.01 * ent.mean()


def masked_attention(Wq, X, mask):
    Q = X @ Wq
    K = X
    scores = Q @ K.T / np.sqrt(X.shape[1])
    scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    w = np.exp(scores)
    w = w / w.sum(axis=1, keepdims=True)
    out = w @ X
    return np.sum(out**2)


def causal_attention(X, W):
    T = X.shape[0]
    q = X @ W["q"]
    k = X @ W["k"]
    v = X @ W["v"]
    s = q @ k.T
    mask = np.tril(np.ones((T, T), dtype=bool))
    s[~mask] = -np.inf
    a = np.exp(s - np.max(s, axis=-1, keepdims=True))
    a /= a.sum(-1, keepdims=True)
    return np.mean((a @ v) ** 2)


def ctc_forward(logits, labels, blank=0):
    T = logits.shape[0]
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    ext = [blank]
    for l in labels:  # noqa: E741
        ext += [l, blank]
    S = len(ext)
    alpha = np.full(S, -np.inf)
    alpha[0] = logp[0, ext[0]]
    alpha[1] = logp[0, ext[1]]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            cands = [alpha[s]]
            if s >= 1:
                cands.append(alpha[s - 1])
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                cands.append(alpha[s - 2])
            new[s] = logsumexp(np.array(cands)) + logp[t, ext[s]]
        alpha = new
    return -np.logaddexp(alpha[-1], alpha[-2])


def sgns_loss(W_in, W_out, centers, contexts, negatives):
    v = W_in[centers]
    u = W_out[contexts]
    pos = np.sum(v * u, axis=1)
    loss = -np.sum(np.log(1.0 / (1.0 + np.exp(-pos))))
    for k in range(negatives.shape[1]):
        un = W_out[negatives[:, k]]
        neg = np.sum(v * un, axis=1)
        loss -= np.sum(np.log(1.0 / (1.0 + np.exp(neg))))
    return loss / len(centers)


def viterbi_score(emis, trans):
    T, K = emis.shape
    score = emis[0].copy()
    for t in range(1, T):
        cand = score[:, None] + trans
        score = cand.max(axis=0) + emis[t]
    return score.max()


def label_smooth_ce(logits, targets, eps=0.1):
    n, C = logits.shape
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    logp = logits - lse[:, None]
    onehot = np.zeros((n, C))
    onehot[np.arange(n), targets] = 1.0
    q = onehot * (1 - eps) + eps / C
    return -np.sum(q * logp) / n


def td_lambda(values, rewards, gamma=0.9, lam=0.8):
    T = len(rewards)
    G = values[-1]
    out = []
    for t in range(T - 1, -1, -1):
        G = rewards[t] + gamma * ((1 - lam) * values[t + 1] + lam * G)
        out.append(G)
    out = out[::-1]
    return sum((g - v) ** 2 for g, v in zip(out, values[:-1]))


_R = np.random.default_rng(53)
ACT = np.array([0, 2, 1, 1, 0])
LOG5 = _R.standard_normal((5, 3))
MASK = np.tril(np.ones((4, 4), dtype=bool))
X43 = _R.standard_normal((4, 3))
WATT = {k: _R.standard_normal((3, 3)) * 0.5 for k in "qkv"}

CASES = [
    Case(returns_loss, (np.array([1.0, 0.0, -0.5, 2.0, 0.3]),), (0,)),
    Case(
        gae,
        (
            np.array([1.0, 0.0, -0.5, 2.0]),
            np.array([0.2, 0.4, 0.1, -0.3, 0.5]),
            np.array([0.0, 0.0, 1.0, 0.0]),
        ),
        (0, 1),
    ),
    Case(
        ppo_loss,
        (
            LOG5,
            ACT,
            np.array([-1.0, -1.2, -0.9, -1.1, -1.3]),
            np.array([1.0, -0.5, 0.3, 2.0, -1.0]),
        ),
        (0,),
    ),
    Case(masked_attention, (_R.standard_normal((3, 3)), X43, MASK), (0, 1)),
    Case(causal_attention, (X43, WATT), (0,)),
    Case(ctc_forward, (_R.standard_normal((5, 4)), [1, 2, 2]), (0,)),
    Case(
        sgns_loss,
        (
            _R.standard_normal((6, 3)) * 0.3,
            _R.standard_normal((6, 3)) * 0.3,
            np.array([0, 1, 3]),
            np.array([2, 4, 5]),
            np.array([[1, 5], [0, 0], [2, 4]]),
        ),
        (0, 1),
    ),
    Case(viterbi_score, (_R.standard_normal((4, 3)), _R.standard_normal((3, 3))), (0, 1)),
    Case(label_smooth_ce, (LOG5, ACT), (0,)),
    Case(
        td_lambda, (np.array([0.2, 0.4, 0.1, -0.3, 0.5]), np.array([1.0, 0.0, -0.5, 2.0])), (0, 1)
    ),
]
