"""Programs srcad used to refuse, session 32 (`refuse32a`): NumPy code written as people write it.

- the closer of two candidate arrays by a key, ``min(a, b, key=...)`` (lower/idioms.keyed);
- a row picked by a NumPy integer and written through (``r = A[np.int64(1)]; r[0] = v``);
- a row of a ``np.tensordot`` result filled (``T[0].fill(c)``);
- a descending sort through a reversed view (``a[::-1].sort()``);
- a sum of squares over ``A.flat``;
- a blur with a symmetric boundary, ``scipy.signal.convolve2d(..., boundary="symm")``;
- a write through the reshape of an array made by arithmetic.

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused, and complex values written into float
arrays (NumPy's ComplexWarning is an error under pytest), are in
tests/soundness/test_refuse32a.py."""

from __future__ import annotations

import numpy as np

from . import Case

_X = np.array([[0.5, -1.0, 0.3], [1.2, 0.4, -0.7], [-0.3, 0.8, 1.5], [0.9, -0.2, 0.1]])


def closer_candidate(w):
    a, b = _X @ w, np.tanh(_X @ w) * 2.0
    best = min(a, b, key=lambda t: float(np.sum((t - 0.5) ** 2)))
    return float(np.sum(best**2))


def row_by_numpy_int(w):
    M = np.outer(w, w) + np.eye(3)
    r = M[np.int64(1)]
    r[0] = w[2] * 3.0
    return float(np.sum(np.sin(M)))


def tensordot_row_fill(w):
    T = np.tensordot(_X, np.outer(w, w), axes=1)
    T[0].fill(0.5)
    return float(np.sum(np.tanh(T)))


def descending_sort(w):
    a = _X @ w
    a[::-1].sort()
    return float(np.sum(a * np.arange(1.0, 5.0)))


def flat_sum_of_squares(w):
    s = 0.0
    for v in np.outer(w, _X[0]).flat:
        s = s + v * v
    return s


def symmetric_blur(w):
    from scipy import signal

    img = np.outer(_X @ w, w)
    k = np.array([[0.25, 0.5], [0.125, 0.125]])
    return float(np.sum(signal.convolve2d(img, k, mode="same", boundary="symm") ** 2))


def reshape_write(w):
    y = np.concatenate([w, w]) * 1.5
    r = y.reshape(2, 3)
    r[1, 2] = w[0] ** 2
    return float(np.sum(y * np.arange(6.0)))


_W = np.array([0.4, -0.6, 0.9])

CASES = [
    Case(f, (_W.copy(),), (0,), extra="hvp")
    for f in (
        closer_candidate,
        row_by_numpy_int,
        tensordot_row_fill,
        descending_sort,
        flat_sum_of_squares,
        symmetric_blur,
        reshape_write,
    )
]
