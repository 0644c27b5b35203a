"""Ported cases (session 30, hunt30b), written anew after NumPy code using reductions with masks
and degrees of freedom near their limits and in-place operators on arrays with a length-1 axis:
``np.mean``/``np.var``/``np.std`` with ``where=`` where one slice selects nothing or one entry
(an output that does not read that slice), ``np.nanvar(..., ddof=1)`` of a column with one value
left, ``np.cov`` with ``ddof=`` less than the count, a row accumulator ``np.zeros((1, n))``
updated by rows and by ``keepdims=True`` sums (broadcast into it, never growing it),
``np.sort(..., stable=True)``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

X6 = np.array([0.3, -1.1, 1.2, -0.7, 2.0, 0.5])
MASK = np.array([[True, False, True], [True, False, False]])
W3 = np.array([1.0, -2.0, 0.5])


def masked_column_means(x):
    m = np.mean(x.reshape(2, 3) ** 2, axis=0, where=MASK)
    return m[0] * 2.0 + m[2]


def masked_column_spread(x):
    a = x.reshape(2, 3) * W3
    v = np.var(a, axis=0, where=MASK | MASK[::-1], ddof=1)
    s = np.std(a, axis=0, where=MASK, ddof=0)
    return v[0] + v[2] + s[0]


def nan_column_variance(x):
    a = x.reshape(2, 3).copy()
    a[0, 1] = np.nan  # column 1 keeps one value: its ddof=1 variance is NaN, not read
    v = np.nanvar(a, axis=0, ddof=1)
    s = np.nanstd(a * 2.0, axis=0, ddof=1)
    return v[0] + v[2] + s[2]


def covariance_ddof(x):
    c = np.cov(x.reshape(2, 3), ddof=2)
    return np.sum(c * np.array([[1.0, 0.5], [0.5, 2.0]])) + np.var(x, ddof=5)


def row_accumulator(x):
    acc = np.zeros((1, 3))
    rows = x.reshape(2, 3)
    for k in range(2):
        acc += rows[k]
    acc *= np.sum(rows, axis=0, keepdims=True)
    acc -= rows[1:] ** 2
    return np.sum(acc * W3)


def stable_sorted_weights(x):
    s = np.sort(x.reshape(2, 3), axis=1, stable=True)
    return np.sum(s * W3) + np.sum(np.sort(x, stable=True)[:2] ** 2)


CASES = [
    Case(masked_column_means, (X6,), (0,), extra="hvp"),
    Case(masked_column_spread, (X6,), (0,), extra="hvp"),
    Case(nan_column_variance, (X6,), (0,), extra="hvp"),
    Case(covariance_ddof, (X6,), (0,), extra="hvp"),
    Case(row_accumulator, (X6,), (0,), extra="hvp"),
    Case(stable_sorted_weights, (X6,), (0,), extra="hvp"),
]
