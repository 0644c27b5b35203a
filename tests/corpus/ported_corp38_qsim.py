"""Ported cases (session 38, corp38_qsim): state-vector simulation in NumPy as PennyLane's
`default.qubit` tutorials and hand-rolled variational circuits write it: gate matrices built
from `np.cos(theta / 2)` and `-1j * np.sin(theta / 2)`, two-qubit circuits by `np.kron` with the
identity, a CNOT as a constant permutation matrix, expectation values
`np.real(np.vdot(psi, H @ psi))`, `np.conj(psi) @ Z @ psi`, probabilities `np.abs(psi) ** 2`, a
state reshaped to a (2, 2) tensor and contracted by `np.einsum` / `np.tensordot`, a variational
eigensolver loop over layers, a cross-entropy loss of measured probabilities, a parameter-shift
gradient as a user writes it (checked by differentiating through it), `expm` of a Hamiltonian
(`np.linalg.eigh` of a real symmetric one) and a Trotterised evolution.

Angles -> float scalars or float arrays; outputs -> real scalars or real arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(38003)
I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]])
Z = np.array([[1, 0], [0, -1]], dtype=complex)
CNOT = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=complex)
ZERO2 = np.array([1, 0, 0, 0], dtype=complex)


def rx(theta):
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array([[c, -1j * s], [-1j * s, c]])


def ry(theta):
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array([[c, -s], [s, c]], dtype=complex)


def rz(theta):
    return np.array([[np.exp(-0.5j * theta), 0], [0, np.exp(0.5j * theta)]])


def single_qubit_expval(theta, phi):
    psi = np.array([1.0, 0.0], dtype=complex)
    psi = ry(phi) @ (rx(theta) @ psi)
    return np.real(np.vdot(psi, Z @ psi))


def two_qubit_circuit(params):
    psi = ZERO2.copy()
    psi = np.kron(rx(params[0]), ry(params[1])) @ psi
    psi = CNOT @ psi
    psi = np.kron(I2, rz(params[2])) @ psi
    psi = np.kron(ry(params[3]), I2) @ psi
    zz = np.kron(Z, Z)
    zi = np.kron(Z, I2)
    return np.real(np.conj(psi) @ zz @ psi) + 0.5 * np.real(np.vdot(psi, zi @ psi))


def probabilities(params):
    psi = np.kron(ry(params[0]), rx(params[1])) @ ZERO2
    psi = CNOT @ psi
    return np.abs(psi) ** 2


def _apply_1q(state, gate, wire):
    # state as a (2, 2) tensor; the gate acts on one axis
    out = np.tensordot(gate, state, axes=([1], [wire]))
    return np.moveaxis(out, 0, wire)


def tensor_contraction_circuit(params):
    state = np.zeros((2, 2), dtype=complex)
    state[0, 0] = 1.0
    state = _apply_1q(state, rx(params[0]), 0)
    state = _apply_1q(state, ry(params[1]), 1)
    state = np.einsum("ijkl,kl->ij", CNOT.reshape(2, 2, 2, 2), state)
    state = _apply_1q(state, rz(params[2]), 1)
    state = _apply_1q(state, rx(params[3]), 1)
    z0 = np.einsum("ij,ik,kj->", np.conj(state), Z, state)
    return np.real(z0)


H2 = 0.5 * np.kron(Z, I2) + 0.8 * np.kron(X, X) - 0.3 * np.kron(Y, Y) + 0.2 * np.kron(I2, Z)


def vqe_layers(params):
    psi = ZERO2.copy()
    for layer in params.reshape(-1, 2):
        psi = np.kron(ry(layer[0]), ry(layer[1])) @ psi
        psi = CNOT @ psi
    return np.real(np.vdot(psi, H2 @ psi))


def cross_entropy_of_probs(params, target):
    p = probabilities(params)
    return -np.sum(target * np.log(p + 1e-9))


def parameter_shift(params):
    # the parameter-shift rule for the first angle of the VQE, then a loss on it
    shift = np.pi / 2
    grads = []
    for k in range(2):
        plus = params.copy()
        plus[k] += shift
        minus = params.copy()
        minus[k] -= shift
        grads.append(0.5 * (vqe_layers(plus) - vqe_layers(minus)))
    return grads[0] ** 2 + grads[1] * params[0]


def evolution_eigh(t, params):
    Hr = np.real(H2) + np.diag(params)
    w, V = np.linalg.eigh(Hr)
    U = V @ np.diag(np.exp(-1j * w * t)) @ V.T
    psi = U @ np.kron(ry(params[0]), I2) @ ZERO2
    return np.real(np.vdot(psi, np.kron(Z, I2) @ psi))


def trotter(t, J):
    n = 6
    dt = t / n
    psi = np.kron(ry(0.3), ry(-0.4)) @ ZERO2
    for _ in range(n):
        zz = np.diag(np.exp(-1j * J * dt * np.array([1.0, -1.0, -1.0, 1.0])))
        psi = zz @ psi
        psi = np.kron(rx(2 * dt), rx(2 * dt)) @ psi
    return np.real(np.vdot(psi, np.kron(X, I2) @ psi))


def fidelity(params, target_angles):
    psi = np.kron(ry(params[0]), ry(params[1])) @ ZERO2
    phi = np.kron(ry(target_angles[0]), ry(target_angles[1])) @ ZERO2
    return 1.0 - np.abs(np.vdot(phi, psi)) ** 2


def density_matrix_purity(theta, p):
    psi = rx(theta) @ np.array([1.0, 0.0], dtype=complex)
    rho = np.outer(psi, psi.conj())
    rho = (1 - p) * rho + p * (Z @ rho @ Z.conj().T)  # dephasing channel
    return np.real(np.trace(rho @ rho)) + np.real(np.trace(rho @ X))


def amplitude_encoding(x, w):
    amp = x / np.linalg.norm(x)
    psi = amp.astype(complex)
    psi = np.kron(ry(w[0]), rz(w[1])) @ psi
    return np.real(np.vdot(psi, np.kron(Z, Z) @ psi))


P4 = np.array([0.3, -0.7, 1.1, 0.5])
P6 = np.array([0.3, -0.7, 1.1, 0.5, -0.2, 0.9])
CASES = [
    Case(single_qubit_expval, (0.7, -0.4), (0, 1), extra="hvp"),
    Case(two_qubit_circuit, (P4,), (0,), extra="hvp"),
    Case(probabilities, (P4[:2],), (0,)),
    Case(tensor_contraction_circuit, (P4,), (0,)),
    Case(vqe_layers, (P6,), (0,), extra="hvp"),
    Case(cross_entropy_of_probs, (P4[:2], np.array([0.4, 0.1, 0.2, 0.3])), (0,)),
    Case(parameter_shift, (P4,), (0,)),
    Case(evolution_eigh, (0.8, P4), (0, 1)),
    Case(trotter, (0.9, 0.6), (0, 1), extra="hvp"),
    Case(fidelity, (P4[:2], np.array([0.2, 0.5])), (0, 1)),
    Case(density_matrix_purity, (0.7, 0.2), (0, 1)),
    Case(amplitude_encoding, (np.array([0.3, 0.8, -0.5, 0.4]), P4[:2]), (0, 1)),
]
