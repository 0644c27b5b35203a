"""Programs srcad used to refuse, session 30 (`refuse30b`): spurious refusals in array code.

- a bilinear feature map whose einsum subscripts are a module-level string, extended by ``+``
  (lower/library.einsum_sublists);
- a kernel density estimate by ``np.histogram(..., density=True)`` over edges NumPy finds from
  the data (lower/library_lib30.histogram), and a ufunc called with ``out=None``;
- Gauss-Newton steps that damp the first row of a solve's result through a name
  (``r = S[0]; r *= 0.5``), and a Gram matrix from an einsum whose first row is shifted the
  same way (lower/viewbases.py); a 1-D einsum whose first two items are swapped
  (passes/ranks.py);
- samples grouped by a ``collections.defaultdict(list)`` and reduced per group
  (passes/alias_calls._defaultdict).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse30b.py."""

from __future__ import annotations

import collections

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])
W = np.linspace(-1.0, 1.0, 12).reshape(6, 2)
FEATURES = "i,ik"


def bilinear_features(x):
    phi = np.einsum(FEATURES + "->k", x, W)
    gram = np.einsum("i,j->ij", phi, phi)
    return np.sum(np.tanh(gram)) + np.einsum(FEATURES + ",k", x, W, phi)


def density_loss(x):
    dens, edges = np.histogram(np.tanh(x), bins=4, density=True)
    centers = 0.5 * (edges[1:] + edges[:-1])
    return np.sum(dens * centers**2) + np.sum(np.add(x, 0.5, out=None) ** 2)


def damped_solve(x):
    J = np.outer(x[:3], x[3:]) + 2.0 * np.eye(3)
    S = np.linalg.solve(J.T @ J, np.outer(x[:3], np.ones(2)))
    r = S[0]
    r *= 0.5
    return np.sum(S**2)


def shifted_gram(x):
    G = np.einsum("i,j->ij", np.sin(x), x)
    first = G[0]
    first -= x
    v = np.einsum("ij,j->i", G, x)
    v[0], v[1] = v[1], v[0]
    return np.sum(v * np.arange(len(x))) + np.sum(G**2) * 0.1


def grouped_energy(x):
    groups = collections.defaultdict(list)
    for k, row in enumerate(x.reshape(3, 2)):
        groups[k % 2].append(row * row[::-1])
    return sum(np.mean(np.array(vals)) * (key + 1) for key, vals in sorted(groups.items()))


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (bilinear_features, density_loss, damped_solve, shifted_gram, grouped_energy)
]
