"""Ported cases (session 33, nan33), written anew after user code that reads a singular value only
in part through a loop's index (the square roots of a vector of variances some of which are
negative, summed over the first entries by a loop; a log-ratio read by a nested loop over a
triangle; a loop that stops at the first negative entry), where reverse mode gave NaN for the
positions no iteration read (`srcad.ad.loopreads`: a record of the positions the loop read);
Jacobians of a function returning a pair, taken inside a differentiated function and used as a
pair (`lower/api_calls.py`; the primal run of ``jacrev`` of a pair failed: its cotangents were
one stacked array); and a guarded ``xlogy(p**2, p**2)`` (at p = 0: tests/soundness/test_nan33.py).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np
import scipy.special as sp

import srcad

from . import Case

V = np.array([0.9, 1.4, -0.3, -2.0])
P = np.array([0.2, 0.35, 0.65])  # (p = 0: tests/soundness/test_nan33.py)
W = np.array([0.4, -0.7, 1.2])


def leading_stds(v):
    sd = np.sqrt(v) * (1.0 + v[1] ** 2)
    s = 0.0
    for i in range(2):
        s = s + sd[i] * v[i]
    return s + np.sum(v**2)


def triangle_log_ratio(v):
    r = np.log(v) / (1.0 + v[0] ** 2)
    s = 0.0
    for j in range(2):
        for i in range(j + 1):
            s = s + r[i] * r[j]
    return s


def until_negative(v):
    sd = np.sqrt(v) * v[0]
    s = 0.0
    for i in range(len(v)):
        if v[i] < 0:
            break
        s = s + sd[i] ** 2
    return s


def pair(w):
    return np.sin(w), np.cos(w) * w


def jacobian_pair_used_as_pair(w):
    ja, jb = srcad.jacfwd(pair)(w)
    both = srcad.jacrev(pair)(w)
    return np.sum(ja * jb) + np.sum((both + both)[3]) * len(both)


def guarded_xlogy_square(p):
    q = p**2
    return np.sum(np.where(q > 0, sp.xlogy(q, np.where(q > 0, q, 1.0)), 0.0)) + np.sum(p)


CASES = [
    Case(leading_stds, (V,), (0,), extra="hvp"),
    Case(triangle_log_ratio, (np.array([0.8, 1.5, -0.4]),), (0,), extra="hvp"),
    Case(until_negative, (np.array([0.5, 1.5, -2.0, 3.0]),), (0,), extra="hvp"),
    Case(jacobian_pair_used_as_pair, (W,), (0,), extra="hvp"),
    Case(guarded_xlogy_square, (P,), (0,), extra="hvp"),
]
