"""Ported cases (session 40, eigc40d): spectra of complex Hermitian matrices built from real
parameters, as tight-binding and spin-chain codes write them: a ring threaded by a flux (Peierls
phases ``np.exp(1j * phi / n)`` on the hoppings), the Haldane-like complex next-nearest hopping
of a small honeycomb flake, an XY chain with a Dzyaloshinskii-Moriya term (``1j * D``) built by
`np.kron`, a Fermi-sea density (the projector onto the occupied eigenvectors) and a time
evolution ``V diag(exp(-i w t)) V^H`` of a state (gauge-invariant uses of the eigenvectors).

Parameters -> float scalars or float arrays; outputs -> real scalars."""

from __future__ import annotations

import numpy as np

from . import Case

SX = np.array([[0.0, 1.0], [1.0, 0.0]])
SY = np.array([[0.0, -1j], [1j, 0.0]])
SZ = np.diag([1.0, -1.0])


def ring(n, t, phi):
    """The hopping matrix of a ring of `n` sites, hoppings `t` (n,), flux `phi`."""
    H = np.zeros((n, n), dtype=complex)
    for k in range(n):
        h = t[k] * np.exp(1j * phi / n)
        H[k, (k + 1) % n] = h
        H[(k + 1) % n, k] = np.conj(h)
    return H


def flux_ground_energy(t, phi):
    w = np.linalg.eigvalsh(-ring(4, t, phi) + np.diag(np.array([0.1, -0.2, 0.3, 0.0])))
    return np.sum(w[:2])  # two fermions: the lowest two levels


def haldane_gap(p):
    t1, t2, m = p[0], p[1], p[2]
    H = np.zeros((4, 4), dtype=complex)
    for a, b in ((0, 1), (1, 2), (2, 3), (3, 0)):
        H[a, b] = H[b, a] = -t1
    for a, b in ((0, 2), (1, 3)):
        H[a, b] = t2 * 1j
        H[b, a] = -t2 * 1j
    H = H + m * np.diag(np.array([1.0, -1.0, 1.0, -1.0]))
    w = np.linalg.eigvalsh(H, UPLO="U")
    return w[2] - w[1] + 0.1 * np.sum(w**2)


def pair(a, b, k):
    """``a`` on site k, ``b`` on site k + 1 of a 3-site chain (identity elsewhere)."""
    ops = [np.eye(2), np.eye(2), np.eye(2)]
    ops[k] = a
    ops[k + 1] = b
    return np.kron(np.kron(ops[0], ops[1]), ops[2])


def dm_chain(J, D, h):
    H = h * np.kron(np.kron(SZ, np.eye(2)), np.eye(2))
    for k in range(2):
        H = H + J * (pair(SX, SX, k) + pair(SY, SY, k)) + D * (pair(SX, SY, k) - pair(SY, SX, k))
    w, _ = np.linalg.eigh(H)  # (the vectors unread: block diagonal by the conserved S_z)
    return w[0] + 0.5 * (w[1] - w[0]) ** 2


def fermi_density(t, phi):
    w, V = np.linalg.eigh(-ring(5, t, phi))
    P = V[:, :2] @ np.conj(V[:, :2]).T  # the occupied levels' projector
    return np.sum(np.real(np.diagonal(P)) * np.arange(5.0)) + np.sum(np.abs(P) ** 2 * t[0])


def evolved_population(t, phi, tau):
    w, V = np.linalg.eigh(-ring(4, t, phi))
    U = V @ np.diag(np.exp(-1j * w * tau)) @ np.conj(V).T
    psi = U @ np.array([1.0, 0.0, 0.0, 0.0])
    return np.abs(psi[2]) ** 2


T4 = np.array([1.0, 0.8, 1.2, 0.9])
T5 = np.array([1.0, 0.8, 1.2, 0.9, 1.1])
CASES = [
    Case(flux_ground_energy, (T4, 0.7), (0, 1), extra="hvp"),
    Case(haldane_gap, (np.array([1.0, 0.3, 0.2]),), (0,), extra="hvp"),
    Case(dm_chain, (1.0, 0.4, 0.3), (0, 1, 2)),
    Case(fermi_density, (T5, 0.9), (0, 1)),
    Case(evolved_population, (T4, 0.7, 1.3), (0, 1, 2), extra="hvp"),
]
