"""Ported cases (session 27, corp27), written anew as user code after topology optimisation's
88-line SIMP code (Andreassen, Clausen, Schevenels, Lazarov, Sigmund 2011) and textbook FE
programs: a bilinear Q4 plane-stress stiffness by 2x2 Gauss quadrature, the compliance of a SIMP
density field (E = Emin + rho^p (E0 - Emin)) with a linear solve inside, a filtered density, the
adjoint sensitivity expression, a Hermite-beam cantilever and a backward-Euler heat equation.

Float density / stiffness arrays -> float scalar, checked at second order."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported_corp27_fem import plane_stress_D


def q4_stiffness(E, nu):
    """Bilinear square element stiffness (8, 8) by 2x2 Gauss quadrature (plane stress)."""
    D = plane_stress_D(E, nu)
    g = 1.0 / np.sqrt(3.0)
    K = np.zeros((8, 8))
    for xi in (-g, g):
        for eta in (-g, g):
            dN = 0.25 * np.array(
                [[-(1 - eta), 1 - eta, 1 + eta, -(1 + eta)], [-(1 - xi), -(1 + xi), 1 + xi, 1 - xi]]
            )
            B = np.zeros((3, 8))
            B[0, 0::2] = 2 * dN[0]
            B[1, 1::2] = 2 * dN[1]
            B[2, 0::2] = 2 * dN[1]
            B[2, 1::2] = 2 * dN[0]
            K += 0.25 * B.T @ D @ B
    return K


NELX, NELY = 3, 2


def simp_compliance(rho, penal=3.0):
    """top88-style SIMP compliance: 3x2 Q4 elements, E(rho) = Emin + rho^p (E0 - Emin), the
    left edge clamped, a unit load down at the bottom-right node; compliance f @ u."""
    KE = q4_stiffness(1.0, 0.3)
    ndof = 2 * (NELX + 1) * (NELY + 1)
    K = np.zeros((ndof, ndof))
    for ex in range(NELX):
        for ey in range(NELY):
            n1 = (NELY + 1) * ex + ey
            n2 = (NELY + 1) * (ex + 1) + ey
            edof = [
                2 * n1 + 2,
                2 * n1 + 3,
                2 * n2 + 2,
                2 * n2 + 3,
                2 * n2,
                2 * n2 + 1,
                2 * n1,
                2 * n1 + 1,
            ]
            Ee = 1e-3 + rho[ey + ex * NELY] ** penal * (1.0 - 1e-3)
            K[np.ix_(edof, edof)] += Ee * KE
    f = np.zeros(ndof)
    f[2 * (NELX + 1) * (NELY + 1) - 1] = -1.0
    fixed = np.arange(2 * (NELY + 1))
    free = np.setdiff1d(np.arange(ndof), fixed)
    u = np.zeros(ndof)
    u[free] = np.linalg.solve(K[np.ix_(free, free)], f[free])
    return f @ u


def simp_objective(x):
    """Compliance of a density filtered by a 1-D hat filter plus a volume penalty."""
    H = np.array(
        [
            [1.0 if i == j else (0.5 if abs(i - j) in (1, NELY) else 0.0) for j in range(6)]
            for i in range(6)
        ]
    )
    rho = H @ x / H.sum(axis=1)
    return simp_compliance(rho) + 10.0 * (np.mean(rho) - 0.5) ** 2


def simp_sensitivity_check(rho):
    """The adjoint sensitivity dc = -p rho^(p-1) u_e^T KE u_e, summed (a scalar of rho)."""
    KE = q4_stiffness(1.0, 0.3)
    p = 3.0
    ndof = 2 * (NELX + 1) * (NELY + 1)
    K = np.zeros((ndof, ndof))
    edofs = []
    for ex in range(NELX):
        for ey in range(NELY):
            n1 = (NELY + 1) * ex + ey
            n2 = (NELY + 1) * (ex + 1) + ey
            edofs.append(
                [
                    2 * n1 + 2,
                    2 * n1 + 3,
                    2 * n2 + 2,
                    2 * n2 + 3,
                    2 * n2,
                    2 * n2 + 1,
                    2 * n1,
                    2 * n1 + 1,
                ]
            )
    edofs = np.array(edofs)
    for e in range(len(edofs)):
        K[np.ix_(edofs[e], edofs[e])] += (1e-3 + rho[e] ** p) * KE
    f = np.zeros(ndof)
    f[-1] = -1.0
    free = np.arange(2 * (NELY + 1), ndof)
    u = np.zeros(ndof)
    u[free] = np.linalg.solve(K[free][:, free], f[free])
    ue = u[edofs]
    ce = np.einsum("ei,ij,ej->e", ue, KE, ue)
    return np.sum(-p * rho ** (p - 1) * ce)


def beam_euler_bernoulli(EI, L):
    """Cantilever of Hermite beam elements, tip load: the tip deflection."""
    ne = len(EI)
    h = L / ne
    K = np.zeros((2 * ne + 2, 2 * ne + 2))
    for e in range(ne):
        k = (
            EI[e]
            / h**3
            * np.array(
                [
                    [12, 6 * h, -12, 6 * h],
                    [6 * h, 4 * h * h, -6 * h, 2 * h * h],
                    [-12, -6 * h, 12, -6 * h],
                    [6 * h, 2 * h * h, -6 * h, 4 * h * h],
                ]
            )
        )
        K[2 * e : 2 * e + 4, 2 * e : 2 * e + 4] += k
    f = np.zeros(2 * ne + 2)
    f[-2] = 1.0
    u = np.linalg.solve(K[2:, 2:], f[2:])
    return u[-2]


def heat_1d_transient(k, u0):
    """Backward-Euler P1 heat equation, 4 steps: M (u+ - u) / dt + K u+ = 0, energy at the end."""
    n = len(u0)
    h = 1.0 / (n - 1)
    M = np.zeros((n, n))
    K = np.zeros((n, n))
    for e in range(n - 1):
        s = slice(e, e + 2)
        M[s, s] += h / 6.0 * np.array([[2.0, 1.0], [1.0, 2.0]])
        K[s, s] += k[e] / h * np.array([[1.0, -1.0], [-1.0, 1.0]])
    A = M + 0.05 * K
    u = u0
    for _ in range(4):
        u = np.linalg.solve(A, M @ u)
    return u @ M @ u


CASES = [
    Case(simp_compliance, (np.linspace(0.4, 0.9, 6),), (0,), extra="hvp"),
    Case(simp_objective, (np.linspace(0.4, 0.9, 6),), (0,), extra="hvp"),
    Case(simp_sensitivity_check, (np.linspace(0.4, 0.9, 6),), (0,), extra="hvp"),
    Case(beam_euler_bernoulli, (np.array([1.0, 1.2, 0.9, 1.1]), 2.0), (0, 1), extra="hvp"),
    Case(
        heat_1d_transient,
        (np.linspace(0.5, 1.0, 5), np.sin(np.linspace(0, 3, 6))),
        (0, 1),
        extra="hvp",
    ),
]
