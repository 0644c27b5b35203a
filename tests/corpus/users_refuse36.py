"""Programs srcad used to refuse, session 36 (`refuse36`): idioms people write.

- ``feats = list(x); feats.pop(0); feats[0] += ...`` of a 1-D array (passes/alias_seqs.py);
- ``(pos if v > 0 else neg).append(v)`` (lower/condreceiver.py);
- basis functions appended in a loop, ``fs.append(lambda t, c=c: ...)`` or a ``def`` with a
  default (lower/fnloops.py);
- ``max(*x, 0.0)`` (lower/starextremes.py), ``islice(x, k)`` of a run-time ``k``
  (lower/iterzip.py), ``np.tanh(h, h)`` (lower/inplace_np.out_keyword);
- ``np.polyval`` of a coefficient matrix, ``np.polynomial`` derivatives and 2-D series,
  ``np.union1d``, ``np.histogram2d`` weights, ``scipy.linalg.eigh(a, b)`` and ``lstsq``.

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/soundness/test_refuse36.py."""

from __future__ import annotations

import itertools

import numpy as np

from . import Case

X4 = np.array([0.4, -0.7, 1.3, 0.25])


def shifted_features(x):
    feats = list(x)
    feats.pop(0)
    feats[0] += x[0] * x[3]
    feats.insert(0, np.sin(x[1]))
    return feats[0] * feats[1] + feats[2] ** 2


def split_by_sign(x):
    pos, neg = [], []
    for v in x:
        (pos if v > 0 else neg).append(v * v)
    return sum(pos) * 2.0 - sum(neg)


def basis_functions(x):
    fs = []
    for c in x:

        def bump(t, c=c):
            return np.exp(-((t - c) ** 2))

        fs.append(bump)
    return sum(f(0.5) * f(x[0]) for f in fs)


def relu_of_max(x):
    k = x.shape[0] // 2
    return max(*(x * x), 0.1) + sum(itertools.islice(x, k)) ** 2


def tanh_in_place(x):
    h = np.outer(x, x[:2])
    np.tanh(h, h)
    np.multiply(h, 2.0, h)
    return np.sum(h**2)


def column_polynomials(x):
    p = np.stack([x[:2], x[2:], x[1:3]])
    d = np.polynomial.polynomial.polyder(x, 2)
    c = np.outer(x[:2], x[2:])
    return (
        np.sum(np.polyval(p, x[:2]) ** 2)
        + np.sum(d)
        + np.polynomial.legendre.legval2d(x[0], x[1], c)
    )


def merged_grid(x):
    u = np.union1d(x, x[:2] + 3.0)
    h, _, _ = np.histogram2d(x, x[::-1], bins=2, range=[[-2.0, 2.0], [-2.0, 2.0]], weights=x**2)
    return np.sum(u * np.arange(u.size)) + np.sum(h**2)


def generalized_modes(x):
    import scipy.linalg  # (optional: imported when the case runs)

    m = np.diag(1.0 + x**2)
    k = np.array([[2.0, -1.0, 0.0, 0.0], [-1.0, 2.0, -1.0, 0.0], [0.0, -1.0, 2.0, -1.0],
                  [0.0, 0.0, -1.0, 2.0]]) * (1.0 + x[0])  # fmt: skip
    w, v = scipy.linalg.eigh(k, m)
    sol = scipy.linalg.lstsq(v[:, :3], x)[0]
    return np.sum(np.sqrt(w)) + np.sum(sol**2)


CASES = [
    Case(shifted_features, (X4,), (0,), extra="hvp"),
    Case(split_by_sign, (X4,), (0,), extra="hvp"),
    Case(basis_functions, (X4,), (0,), extra="hvp"),
    Case(relu_of_max, (X4,), (0,), extra="hvp"),
    Case(tanh_in_place, (X4,), (0,), extra="hvp"),
    Case(column_polynomials, (X4,), (0,), extra="hvp"),
    Case(merged_grid, (X4,), (0,), extra="hvp"),
    Case(generalized_modes, (X4,), (0,), extra="hvp"),
]
