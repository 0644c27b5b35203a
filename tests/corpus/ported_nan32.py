"""Ported cases (session 32, nan32), written anew after user code that computes a singular value
(a square root, a log) it then reads only in part: a guarded piecewise loss whose branch value is
made under an earlier ``if`` (Huber-like, with a square-root tail), the first component of the
standard deviations of a vector of variances some of which are negative (only the first is used),
a ratio read by index in the branch a sign test picks. Reverse mode gave NaN for each (an exact
zero cotangent times the singular op's NaN local derivative); `srcad.ad.masks` masks them. Also
attention scores masked with ``-np.inf`` under a learned temperature and a Gaussian kernel with
its bandwidth over distances whose diagonal is set to ``np.inf``: NaN in both modes (the
division's infinite term times exp's 0); `srcad.ad.infvals.fixed_at_inf` gives 0 there.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

P = np.array([-0.8, 1.5, 0.7])
V = np.array([0.9, -0.3, 2.0])
Q = np.array([1.2, -0.5, 0.4])


def sqrt_tail_loss(p):
    tail = 0.0
    if p[1] > 0:
        tail = 2.0 * np.sqrt(p[0]) * p[1]
    if p[0] < 0:
        loss = p[0] ** 2 * p[2]
    else:
        loss = tail
    return loss + 0.5 * p[2] ** 2


def first_std(v):
    sd = np.sqrt(v) * (1.0 + v[2])
    return sd[0] * v[2] + np.sum(v**2)


def ratio_by_sign(q):
    r = np.log(q) / q[2]
    if q[1] > 0:
        y = r[1]
    else:
        y = r[0] * r[2]
    return y + q @ q


ALLOWED = np.array([[True, False, True], [True, True, False]])
KEYS = np.array([[0.3, -1.2], [0.8, 0.5], [-0.4, 0.9]])
TW = np.array([0.7, 0.4, -0.3])
PTS = np.array([[0.0, 0.3], [1.0, -0.4], [0.2, 0.9], [-0.5, 0.1]])


def masked_attention(tw):
    q = np.array([[tw[1], 1.0], [0.5, tw[2]]])
    s = np.where(ALLOWED, q @ KEYS.T, -np.inf) / np.exp(tw[0])
    e = np.exp(s - np.max(s, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    return np.sum(p @ KEYS)


def kernel_density(tw):
    d = PTS[:, None, :] - PTS[None, :, :]
    r2 = np.sum(d * d, axis=-1)
    np.fill_diagonal(r2, np.inf)
    k = np.exp(-r2 / (2.0 * tw[0] ** 2))
    return -np.sum(np.log(np.sum(k, axis=1) + tw[1] ** 2))


CASES = [
    Case(sqrt_tail_loss, (P,), (0,), extra="hvp"),
    Case(first_std, (V,), (0,), extra="hvp"),
    Case(ratio_by_sign, (Q,), (0,), extra="hvp"),
    Case(masked_attention, (TW,), (0,), extra="hvp"),
    Case(kernel_density, (TW,), (0,), extra="hvp"),
]
