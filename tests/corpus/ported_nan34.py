"""Ported cases (session 34, nan34), written anew after user code that reads a singular value
only in part through a ``while`` loop or a selection (the standard deviations of a vector of
variances some of which are negative, read until a counter stops, or through ``np.take``,
``np.split``, ``.item``, ``.tolist()``, a reshape's row), where reverse mode gave NaN for the
positions nothing read (`srcad.ad.partreads`, `srcad.ad.loopreads`); a causal attention with a
temperature whose mask is ``np.log`` of a lower triangle (an infinity computed from constants:
`srcad.ad.infvals`, its size read from the argument's shape); and
``np.logaddexp2.reduce``/``accumulate`` of log-probabilities.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

V = np.array([0.9, 1.4, -0.3, -2.0, 0.7, 1.1])
FIRST = np.array([0, 1])


def stds_until_counter(v):
    sd = np.sqrt(v) * (1.0 + v[1] ** 2)
    s, i = 0.0, 0
    while i < 2:
        s = s + sd[i] * v[i]
        i += 1
    return s + np.sum(v**2)


def stds_taken(v):
    sd = np.sqrt(v)
    return np.sum(np.take(sd, FIRST) ** 2 * v[0]) + sd.item(1) * v[4]


def stds_first_part(v):
    sd = np.sqrt(v)
    head, mid, tail = np.split(sd, 3)
    return np.sum(head * v[:2]) + sd.tolist()[5] * v[0]


def stds_first_row(v):
    sd = np.log(v).reshape(2, 3).T
    return np.sum(sd[:, 0] ** 2) + np.sum(np.delete(np.sqrt(v), [2, 3]))


def causal_attention(x):
    n = x.shape[0]
    mask = np.log(np.tril(np.ones((n, n))))
    s = (np.outer(x, x) + mask) / (1.0 + x[0] ** 2)
    p = np.exp(s - np.max(s, axis=1, keepdims=True))
    p = p / np.sum(p, axis=1, keepdims=True)
    return np.sum(p @ x)


def log2_evidence(x):
    lp = -np.abs(x) - 1.0
    return np.logaddexp2.reduce(lp) + np.sum(np.logaddexp2.accumulate(lp) * x)


CASES = [
    Case(stds_until_counter, (V,), (0,), extra="hvp"),
    Case(stds_taken, (V,), (0,), extra="hvp"),
    Case(stds_first_part, (V,), (0,), extra="hvp"),
    Case(stds_first_row, (np.array([0.9, 1.4, 0.3, -2.0, 0.7, 1.1]),), (0,), extra="hvp"),
    Case(causal_attention, (np.array([0.4, -0.7, 1.2, 0.3]),), (0,), extra="hvp"),
    Case(log2_evidence, (np.array([0.4, -0.7, 1.2, 0.3]),), (0,), extra="hvp"),
]
