"""Ported cases (session 31, corp31), written anew as user code after the usual NumPy
implementations of dynamic-programming losses: the CTC forward algorithm (the label sequence
padded with blanks, the alpha recursion over a 2-D table with the skip transition when labels
differ, ``np.logaddexp`` in log space, and the scaled probability-space version), a linear-chain
CRF's log-partition by the forward algorithm (``logsumexp`` over the previous tag) with the gold
path score (a negative log-likelihood), Viterbi's best path score by ``max``/``argmax``, an HMM
forward pass with per-step scaling (log-likelihood from the scaling factors), and soft-DTW with
the soft minimum of three neighbours in a table with an infinite border.

Float emission scores / transition matrices / sequences -> float scalar losses."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import logsumexp

from . import Case, refused_when_differentiated

R = np.random.default_rng(31004)
NEG_INF = -np.inf


def log_softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


def ctc_loss(logits, labels, blank=0):
    # logits: (T, V) unnormalised; labels: a list of symbols without blanks
    log_probs = log_softmax(logits)
    T = log_probs.shape[0]
    ext = [blank]
    for lab in labels:
        ext += [lab, blank]
    S = len(ext)
    alpha = np.full((T, S), NEG_INF)
    alpha[0, 0] = log_probs[0, ext[0]]
    alpha[0, 1] = log_probs[0, ext[1]]
    for t in range(1, T):
        for s in range(S):
            a = alpha[t - 1, s]
            if s > 0:
                a = np.logaddexp(a, alpha[t - 1, s - 1])
            if s > 1 and ext[s] != blank and ext[s] != ext[s - 2]:
                a = np.logaddexp(a, alpha[t - 1, s - 2])
            alpha[t, s] = a + log_probs[t, ext[s]]
    return -np.logaddexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2])


def ctc_scaled(probs_logits, labels):
    # the Graves version in probability space, rescaling alpha at every step
    e = np.exp(probs_logits - probs_logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    T = probs.shape[0]
    ext = [0] + [x for lab in labels for x in (lab, 0)]
    S = len(ext)
    alpha = np.zeros(S)
    alpha[0] = probs[0, ext[0]]
    alpha[1] = probs[0, ext[1]]
    c = alpha.sum()
    alpha /= c
    llh = math.log(c)
    for t in range(1, T):
        new = np.zeros(S)
        for s in range(S):
            v = alpha[s]
            if s > 0:
                v += alpha[s - 1]
            if s > 1 and ext[s] != 0 and ext[s] != ext[s - 2]:
                v += alpha[s - 2]
            new[s] = v * probs[t, ext[s]]
        c = new.sum()
        alpha = new / c
        llh += math.log(c)
    return -(llh + math.log(alpha[S - 1] + alpha[S - 2]))


# linear-chain CRF over K tags
K_TAGS = 3
TAGS = [0, 2, 2, 1, 0]


def crf_log_partition(emissions, transitions):
    T = emissions.shape[0]
    alpha = emissions[0].copy()
    for t in range(1, T):
        # alpha_j <- logsumexp_i(alpha_i + trans_ij) + emit_tj
        alpha = logsumexp(alpha[:, None] + transitions, axis=0) + emissions[t]
    return logsumexp(alpha)


def crf_gold_score(emissions, transitions, tags):
    score = emissions[0, tags[0]]
    for t in range(1, len(tags)):
        score += transitions[tags[t - 1], tags[t]] + emissions[t, tags[t]]
    return score


def crf_nll(emissions, transitions):
    return crf_log_partition(emissions, transitions) - crf_gold_score(emissions, transitions, TAGS)


def crf_nll_vectorised(emissions, transitions):
    # the batched libraries' gold score: fancy indexing of the emissions and transitions
    tags = np.array(TAGS)
    gold = emissions[np.arange(len(tags)), tags].sum() + transitions[tags[:-1], tags[1:]].sum()
    return crf_log_partition(emissions, transitions) - gold


def crf_forward_loops(emissions, transitions):
    # the same recursion with explicit loops over tags and a running log-sum-exp
    T, K = emissions.shape
    alpha = [emissions[0, j] for j in range(K)]
    for t in range(1, T):
        new = []
        for j in range(K):
            scores = [alpha[i] + transitions[i, j] for i in range(K)]
            m = max(scores)
            new.append(m + math.log(sum(math.exp(s - m) for s in scores)) + emissions[t, j])
        alpha = new
    m = max(alpha)
    return m + math.log(sum(math.exp(a - m) for a in alpha))


def viterbi_score(emissions, transitions):
    T = emissions.shape[0]
    delta = emissions[0]
    back = []
    for t in range(1, T):
        cand = delta[:, None] + transitions
        back.append(np.argmax(cand, axis=0))
        delta = np.max(cand, axis=0) + emissions[t]
    best = int(np.argmax(delta))
    path = [best]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    path.reverse()
    return delta[best] - 0.1 * crf_gold_score(emissions, transitions, path)


# HMM forward with scaling: N hidden states, discrete observations
OBS_SEQ = [0, 1, 1, 2, 0, 2, 1]


def normalise_rows(logits):
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def hmm_log_likelihood(start_logits, trans_logits, emit_logits):
    pi = np.exp(start_logits) / np.sum(np.exp(start_logits))
    A = normalise_rows(trans_logits)
    B = normalise_rows(emit_logits)
    alpha = pi * B[:, OBS_SEQ[0]]
    scale = [alpha.sum()]
    alpha = alpha / scale[0]
    for o in OBS_SEQ[1:]:
        alpha = (alpha @ A) * B[:, o]
        c = alpha.sum()
        scale.append(c)
        alpha = alpha / c
    return float(np.sum(np.log(scale)))


# soft-DTW between two short series with the soft minimum of the three neighbours
SERIES_B = np.sin(np.linspace(0, 3, 7))


def softmin3(a, b, c, gamma):
    vals = np.array([a, b, c]) / -gamma
    m = np.max(vals)
    return -gamma * (m + np.log(np.sum(np.exp(vals - m))))


def soft_dtw(x, gamma=0.5):
    y = SERIES_B
    n, m = len(x), len(y)
    D = (x[:, None] - y[None, :]) ** 2
    Rt = np.full((n + 1, m + 1), np.inf)
    Rt[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            Rt[i, j] = D[i - 1, j - 1] + softmin3(
                Rt[i - 1, j], Rt[i - 1, j - 1], Rt[i, j - 1], gamma
            )
    return Rt[n, m]


def _p(*shape, s=1.0):
    return np.round(R.normal(size=shape) * s, 3)


_GOLD = (
    "spurious: `score = emissions[0, tags[0]]; score += ...` in the helper may update a view "
    "unless `tags[0]` is an int, and the caller's TAGS (a global) / `path` (appended ints) are "
    "not known to hold ints there"
)
CASES = [
    Case(ctc_loss, (_p(6, 4), [1, 2, 2]), (0,)),
    Case(ctc_scaled, (_p(6, 4), [1, 2, 2]), (0,)),
    Case(crf_nll, (_p(5, K_TAGS), _p(K_TAGS, K_TAGS, s=0.5)), (0, 1)),  # (lifted: hunt49a)
    Case(crf_nll_vectorised, (_p(5, K_TAGS), _p(K_TAGS, K_TAGS, s=0.5)), (0, 1)),
    Case(crf_forward_loops, (_p(5, K_TAGS), _p(K_TAGS, K_TAGS, s=0.5)), (0, 1)),
    Case(
        viterbi_score,
        (_p(5, K_TAGS), _p(K_TAGS, K_TAGS, s=0.5)),
        (0, 1),
        xfail=refused_when_differentiated(_GOLD),
    ),
    Case(hmm_log_likelihood, (_p(3, s=0.3), _p(3, 3, s=0.5), _p(3, 3, s=0.5)), (0, 1, 2)),
    Case(soft_dtw, (np.cos(np.linspace(0, 2.5, 6)),), (0,)),
    Case(
        soft_dtw,
        (np.cos(np.linspace(0, 2.5, 6)), 0.5),
        (0, 1),
        name="ported_corp31_dp.soft_dtw_gamma",
    ),
]
