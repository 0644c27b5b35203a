"""Ported cases (session 38, corp38_qsim2): n-qubit state-vector simulators in NumPy as
PennyLane's `default.qubit` and hand-rolled tutorials write them: the state as an n-axis tensor,
a gate applied by `np.tensordot` then `np.moveaxis` (or `np.einsum` with letters built from the
wires), operators by `functools.reduce(np.kron, [...])`, a controlled phase written into a
diagonal by item writes, a phase `np.exp(1j * phi)` times one amplitude slice (`state[1] *=`),
a partial trace by `np.einsum` of the reshaped density matrix, `np.linalg.eigh` of a real
Hamiltonian for the ground energy, the QAOA cost of MaxCut, a Born-rule sampled-probability
loss, an expectation from `np.abs(psi) ** 2` at angles 0 (zero amplitudes: the Hessian), and
amplitude damping by Kraus operators.

Angles -> float scalars or float arrays; outputs -> real scalars."""

from __future__ import annotations

import functools

import numpy as np

from . import Case

R = np.random.default_rng(38007)
I2 = np.eye(2)
PX = np.array([[0.0, 1.0], [1.0, 0.0]])
PZ = np.diag([1.0, -1.0])
HAD = np.array([[1.0, 1.0], [1.0, -1.0]]) / np.sqrt(2)


def _rot(theta):
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array([[c, -1j * s], [-1j * s, c]])


def _ry(theta):
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    return np.array([[c, -s], [s, c]])


def apply_gate(state, gate, wire):
    state = np.tensordot(gate, state, axes=[[1], [wire]])
    return np.moveaxis(state, 0, wire)


def apply_cnot(state, control, target):
    # the state with the control set: flip the target axis
    state = state.copy()
    idx = [slice(None)] * state.ndim
    idx[control] = 1
    idx = tuple(idx)
    ax = target if target < control else target - 1
    state[idx] = np.flip(state[idx], axis=ax)
    return state


def tensor_network_circuit(params):
    n = 3
    state = np.zeros((2,) * n, dtype=complex)
    state[(0,) * n] = 1.0
    for w in range(n):
        state = apply_gate(state, _rot(params[w]), w)
    state = apply_cnot(state, 0, 1)
    state = apply_cnot(state, 1, 2)
    for w in range(n):
        state = apply_gate(state, _ry(params[n + w]), w)
    probs = np.abs(state) ** 2
    z0 = np.sum(probs[0]) - np.sum(probs[1])
    z2 = np.sum(probs[..., 0]) - np.sum(probs[..., 1])
    return z0 + 0.5 * z2


def einsum_letters_circuit(params):
    n = 3
    letters = "abcdefgh"
    state = np.zeros(2**n, dtype=complex)
    state[0] = 1.0
    state = state.reshape((2,) * n)
    for w in range(n):
        idx = letters[:n]
        out = idx.replace(idx[w], "z")
        spec = f"z{idx[w]},{idx}->{out}"
        state = np.einsum(spec, _rot(params[w]), state)
    flat = state.reshape(-1)
    op = functools.reduce(np.kron, [PZ, PX, I2])
    return np.real(np.conj(flat) @ op @ flat)


def controlled_phase(params):
    n = 2
    psi = np.kron(HAD @ np.array([1.0, 0.0]), _ry(params[0]) @ np.array([1.0, 0.0]))
    psi = psi.astype(complex)
    cp = np.eye(2**n, dtype=complex)
    cp[3, 3] = np.exp(1j * params[1])
    psi = cp @ psi
    psi = np.kron(HAD, I2) @ psi
    return np.real(np.vdot(psi, np.kron(PZ, I2) @ psi))


def phase_slice_update(params):
    state = np.ones((2, 2), dtype=complex) / 2.0
    state[1] *= np.exp(1j * params[0])
    state[:, 1] *= np.exp(-1j * params[1])
    state = apply_gate(state, HAD.astype(complex), 0)
    state = apply_gate(state, HAD.astype(complex), 1)
    return np.abs(state[0, 0]) ** 2 + 0.3 * np.abs(state[1, 1]) ** 2


def partial_trace_purity(params):
    psi = np.kron(_ry(params[0]) @ np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    cnot = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=float)
    psi = cnot @ psi
    psi = np.kron(I2, _ry(params[1])) @ psi
    rho = np.outer(psi, np.conj(psi)).reshape(2, 2, 2, 2)
    rho_a = np.einsum("ijkj->ik", rho)
    return np.real(np.trace(rho_a @ rho_a))


def ground_energy(h):
    H = h[0] * np.kron(PZ, PZ) + h[1] * (np.kron(PX, I2) + np.kron(I2, PX)) + h[2] * np.kron(PZ, I2)
    w, _ = np.linalg.eigh(H)
    return w[0]


EDGES = [(0, 1), (1, 2), (2, 0), (2, 3)]


def qaoa_maxcut(params):
    n = 4
    gamma, beta = params[: len(params) // 2], params[len(params) // 2 :]
    bits = (np.arange(2**n)[:, None] >> np.arange(n)[::-1]) & 1
    cost = np.zeros(2**n)
    for i, j in EDGES:
        cost = cost + (bits[:, i] != bits[:, j])
    psi = np.ones(2**n, dtype=complex) / np.sqrt(2**n)
    for g, b in zip(gamma, beta):
        psi = np.exp(-1j * g * cost) * psi
        mixer = functools.reduce(np.kron, [_rot(2 * b)] * n)
        psi = mixer @ psi
    return -np.real(np.vdot(psi, cost * psi))


def born_rule_loss(params, counts):
    psi = np.kron(_rot(params[0]), _rot(params[1])) @ np.array([1, 0, 0, 0], dtype=complex)
    p = np.real(psi * np.conj(psi))
    freq = counts / np.sum(counts)
    return -np.sum(freq * np.log(p))


def hamming_expectation(params):
    # at params = 0 three amplitudes are exactly 0: |psi| ** 2's Hessian through them
    psi = np.kron(_rot(params[0]), _rot(params[1])) @ np.array([1, 0, 0, 0], dtype=complex)
    return np.abs(psi) ** 2 @ np.array([0.0, 1.0, 1.0, 2.0])


def amplitude_damping(theta, gamma):
    psi = _ry(theta) @ np.array([1.0, 0.0])
    rho = np.outer(psi, psi)
    k0 = np.array([[1.0, 0.0], [0.0, np.sqrt(1 - gamma)]])
    k1 = np.array([[0.0, np.sqrt(gamma)], [0.0, 0.0]])
    for _ in range(3):
        rho = k0 @ rho @ k0.T + k1 @ rho @ k1.T
    return np.trace(rho @ PZ) + np.trace(rho @ PX)


CASES = [
    Case(tensor_network_circuit, (R.uniform(-1, 1, 6),), (0,), extra="hvp"),
    Case(einsum_letters_circuit, (R.uniform(-1, 1, 3),), (0,)),
    Case(controlled_phase, (np.array([0.7, 1.1]),), (0,), extra="hvp"),
    Case(phase_slice_update, (np.array([0.7, 1.1]),), (0,)),
    Case(partial_trace_purity, (np.array([0.7, 1.1]),), (0,)),
    Case(ground_energy, (np.array([1.0, 0.6, 0.3]),), (0,)),
    Case(qaoa_maxcut, (np.array([0.4, 0.8, 0.3, 0.6]),), (0,), extra="hvp"),
    Case(born_rule_loss, (np.array([0.7, 1.1]), np.array([40.0, 25.0, 20.0, 15.0])), (0,)),
    Case(amplitude_damping, (0.7, 0.2), (0, 1)),
    Case(hamming_expectation, (np.zeros(2),), (0,), jitter=0.0, extra="hvp"),
]
