"""Ported cases (session 27, corp27), written anew as user code after the finite-element programs
of textbooks and tutorials (Hughes' linear FE book, the 88-line SIMP topology optimisation code of
Andreassen et al., scikit-fem and FEniCS tutorial problems): 1-D bar and 2-D linear triangle (P1)
stiffness assembly in loops over elements with ``K[np.ix_(dofs, dofs)] += ke`` and ``np.add.at``,
plane trusses of bar elements with direction cosines, the strain energy of a deformed mesh, and
the compliance of a SIMP density field with a linear solve inside.

Float arrays (nodal coordinates, displacements, densities, stiffnesses) -> float scalar, checked
at second order where marked ``extra="hvp"``."""

from __future__ import annotations

import numpy as np
import scipy.sparse

from . import Case, refused_everywhere, refused_when_differentiated

R = np.random.default_rng(2027)


def bar_stiffness(E, nodes):
    """Assemble the 1-D bar stiffness of elements [i, i+1] with per-element modulus E."""
    n = len(nodes)
    K = np.zeros((n, n))
    for e in range(n - 1):
        L = nodes[e + 1] - nodes[e]
        ke = E[e] / L * np.array([[1.0, -1.0], [-1.0, 1.0]])
        dofs = [e, e + 1]
        K[np.ix_(dofs, dofs)] += ke
    return K


def bar_compliance(E, nodes):
    """Fixed left end, unit load at the right end: compliance f @ u."""
    K = bar_stiffness(E, nodes)
    f = np.zeros(len(nodes))
    f[-1] = 1.0
    u = np.linalg.solve(K[1:, 1:], f[1:])
    return f[1:] @ u


def bar_body_force(E, nodes):
    """Bar under a distributed load q(x) = 1 + x, consistent nodal loads, tip displacement^2."""
    n = len(nodes)
    K = np.zeros((n, n))
    f = np.zeros(n)
    for e in range(n - 1):
        x0, x1 = nodes[e], nodes[e + 1]
        L = x1 - x0
        K[e : e + 2, e : e + 2] += E[e] / L * np.array([[1.0, -1.0], [-1.0, 1.0]])
        q0, q1 = 1.0 + x0, 1.0 + x1
        f[e] += L * (2 * q0 + q1) / 6.0
        f[e + 1] += L * (q0 + 2 * q1) / 6.0
    u = np.zeros(n)
    u[1:] = np.linalg.solve(K[1:, 1:], f[1:])
    return u[-1] ** 2 + 0.5 * u @ K @ u


def bar_add_at(E, nodes):
    """The same bar assembled with np.add.at over all elements at once (scikit-fem style)."""
    n = len(nodes)
    conn = np.stack([np.arange(n - 1), np.arange(1, n)], axis=1)
    L = nodes[conn[:, 1]] - nodes[conn[:, 0]]
    k = E / L
    ke = k[:, None, None] * np.array([[1.0, -1.0], [-1.0, 1.0]])
    K = np.zeros((n, n))
    rows = np.repeat(conn, 2, axis=1)
    cols = np.tile(conn, (1, 2))
    np.add.at(K, (rows.ravel(), cols.ravel()), ke.reshape(-1, 4).ravel())
    u = np.linalg.solve(K[1:, 1:] + 0.0, np.ones(n - 1))
    return np.sum(u * np.ones(n - 1))


def bar_coo(E, nodes):
    """The bar assembled the scipy way: coo_matrix((data, (rows, cols))).toarray() sums
    duplicates; compliance of the clamped bar under a unit tip load."""
    n = len(nodes)
    L = np.diff(nodes)
    k = E / L
    rows = np.concatenate([np.arange(n - 1), np.arange(n - 1), np.arange(1, n), np.arange(1, n)])
    cols = np.concatenate([np.arange(n - 1), np.arange(1, n), np.arange(n - 1), np.arange(1, n)])
    data = np.concatenate([k, -k, -k, k])
    K = scipy.sparse.coo_matrix((data, (rows, cols)), shape=(n, n)).toarray()
    f = np.zeros(n - 1)
    f[-1] = 1.0
    return f @ np.linalg.solve(K[1:, 1:], f)


def bar_chained_slices(E, nodes):
    """The bar assembled by ``K[e:e + 2][:, e:e + 2] += ke``: a slice of a slice is a view,
    so NumPy updates K (the fancy-index form ``K[d][:, d]`` would update a copy)."""
    n = len(nodes)
    K = np.zeros((n, n))
    for e in range(n - 1):
        K[e : e + 2][:, e : e + 2] += (
            E[e] / (nodes[e + 1] - nodes[e]) * np.array([[1.0, -1.0], [-1.0, 1.0]])
        )
    return np.sum(np.linalg.solve(K[1:, 1:], np.ones(n - 1)))


def truss_element(xy_i, xy_j, EA):
    d = xy_j - xy_i
    L = np.sqrt(d @ d)
    c, s = d[0] / L, d[1] / L
    t = np.array([[c * c, c * s], [c * s, s * s]])
    return EA / L * np.block([[t, -t], [-t, t]])


TRUSS_XY = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.5, 0.8], [1.5, 0.8]])
TRUSS_BARS = [(0, 1), (1, 2), (0, 3), (3, 1), (1, 4), (4, 2), (3, 4)]


def truss_compliance(xy, areas):
    """Plane truss (7 bars), pinned at node 0, roller at node 2, load down at node 1."""
    n = len(xy)
    K = np.zeros((2 * n, 2 * n))
    for b, (i, j) in enumerate(TRUSS_BARS):
        ke = truss_element(xy[i], xy[j], 200.0 * areas[b])
        dofs = [2 * i, 2 * i + 1, 2 * j, 2 * j + 1]
        K[np.ix_(dofs, dofs)] += ke
    free = [2, 3, 4, 6, 7, 8, 9]
    f = np.zeros(2 * n)
    f[3] = -1.0
    u = np.linalg.solve(K[np.ix_(free, free)], f[free])
    return f[free] @ u


def truss_weight_plus_compliance(areas, xy):
    """A sizing objective: weight sum(A L) plus compliance, areas kept positive by squaring."""
    a = areas**2 + 0.1
    w = 0.0
    for b, (i, j) in enumerate(TRUSS_BARS):
        w = w + a[b] * np.linalg.norm(xy[j] - xy[i])
    return w + truss_compliance(xy, a)


def truss_strain_energy(u, xy, EA):
    """Strain energy of a truss for given nodal displacements (geometrically linear)."""
    total = 0.0
    U = u.reshape(-1, 2)
    for b, (i, j) in enumerate(TRUSS_BARS):
        d = xy[j] - xy[i]
        L = np.hypot(d[0], d[1])
        e = d / L
        elong = (U[j] - U[i]) @ e
        total += 0.5 * EA[b] / L * elong**2
    return total


def truss_nonlinear_energy(u, xy):
    """Green-Lagrange strain of each bar of the deformed truss: 1/2 EA L (eps)^2."""
    X = xy + u.reshape(-1, 2)
    E = 0.0
    for i, j in TRUSS_BARS:
        L0 = np.linalg.norm(xy[j] - xy[i])
        L = np.linalg.norm(X[j] - X[i])
        eps = (L**2 - L0**2) / (2.0 * L0**2)
        E = E + 0.5 * 100.0 * L0 * eps**2
    return E


# a 3x3-node square mesh, 8 triangles
_G = np.array([[x, y] for y in (0.0, 0.5, 1.0) for x in (0.0, 0.5, 1.0)])
TRIS = np.array(
    [[0, 1, 4], [0, 4, 3], [1, 2, 5], [1, 5, 4], [3, 4, 7], [3, 7, 6], [4, 5, 8], [4, 8, 7]]
)
MESH_XY = _G + 0.03 * np.array([[np.sin(3 * i), np.cos(2 * i)] for i in range(9)])


def p1_gradients(p):
    """Shape-function gradients (3, 2) and area of the linear triangle p (3, 2)."""
    d1 = p[1] - p[0]
    d2 = p[2] - p[0]
    area = 0.5 * (d1[0] * d2[1] - d1[1] * d2[0])
    B = np.array(
        [
            [p[1, 1] - p[2, 1], p[2, 0] - p[1, 0]],
            [p[2, 1] - p[0, 1], p[0, 0] - p[2, 0]],
            [p[0, 1] - p[1, 1], p[1, 0] - p[0, 0]],
        ]
    ) / (2.0 * area)
    return B, area


def poisson_stiffness(xy, kappa):
    n = len(xy)
    K = np.zeros((n, n))
    for t, tri in enumerate(TRIS):
        B, area = p1_gradients(xy[tri])
        ke = kappa[t] * area * B @ B.T
        K[np.ix_(tri, tri)] += ke
    return K


def poisson_energy(u, xy, kappa):
    """Dirichlet energy 1/2 u K u - sum(u) * h of a P1 field on the perturbed square mesh."""
    K = poisson_stiffness(xy, kappa)
    return 0.5 * u @ K @ u - 0.1 * np.sum(u)


def poisson_solve(kappa, xy):
    """-div(kappa grad u) = 1, u = 0 on the 8 boundary nodes: return the centre value squared
    plus the energy of the solution (the centre node 4 is the only free dof)."""
    K = poisson_stiffness(xy, kappa)
    f = np.zeros(len(xy))
    for tri in TRIS:
        _, area = p1_gradients(xy[tri])
        f[tri] += area / 3.0
    u4 = f[4] / K[4, 4]
    return u4**2 + 0.5 * K[4, 4] * u4**2


def poisson_vectorized(u, xy):
    """The P1 Dirichlet energy vectorised over triangles with einsum (no loop)."""
    p = xy[TRIS]
    d1 = p[:, 1] - p[:, 0]
    d2 = p[:, 2] - p[:, 0]
    area = 0.5 * (d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0])
    ue = u[TRIS]
    du1 = ue[:, 1] - ue[:, 0]
    du2 = ue[:, 2] - ue[:, 0]
    J = np.stack([d1, d2], axis=1)
    g = np.linalg.solve(J, np.stack([du1, du2], axis=1)[..., None])[..., 0]
    return 0.5 * np.sum(area * np.einsum("ti,ti->t", g, g))


def mass_matrix_energy(u, xy):
    """P1 consistent mass matrix M, assembled with np.add.at: u M u."""
    n = len(xy)
    M = np.zeros((n, n))
    loc = (np.ones((3, 3)) + np.eye(3)) / 12.0
    for tri in TRIS:
        _, area = p1_gradients(xy[tri])
        rows, cols = np.meshgrid(tri, tri, indexing="ij")
        np.add.at(M, (rows, cols), area * loc)
    return u @ M @ u


def plane_stress_D(E, nu):
    return E / (1 - nu**2) * np.array([[1.0, nu, 0.0], [nu, 1.0, 0.0], [0.0, 0.0, (1 - nu) / 2]])


def cst_stiffness(p, D):
    """Constant-strain triangle stiffness (6, 6): t * A * B^T D B."""
    G, area = p1_gradients(p)
    B = np.zeros((3, 6))
    B[0, 0::2] = G[:, 0]
    B[1, 1::2] = G[:, 1]
    B[2, 0::2] = G[:, 1]
    B[2, 1::2] = G[:, 0]
    return area * B.T @ D @ B


def elastic_energy(u, xy, E, nu):
    """Linear-elastic strain energy 1/2 u K u of the CST mesh (plane stress)."""
    D = plane_stress_D(E, nu)
    n = len(xy)
    K = np.zeros((2 * n, 2 * n))
    for tri in TRIS:
        dofs = np.array(
            [2 * tri[0], 2 * tri[0] + 1, 2 * tri[1], 2 * tri[1] + 1, 2 * tri[2], 2 * tri[2] + 1]
        )
        K[np.ix_(dofs, dofs)] += cst_stiffness(xy[tri], D)
    return 0.5 * u @ K @ u


def neo_hookean_mesh(u, xy, mu, lam):
    """Hyperelastic (compressible neo-Hookean) energy of the deformed mesh, per-triangle F."""
    x = xy + u.reshape(-1, 2)
    W = 0.0
    for tri in TRIS:
        Dm = np.column_stack([xy[tri[1]] - xy[tri[0]], xy[tri[2]] - xy[tri[0]]])
        Ds = np.column_stack([x[tri[1]] - x[tri[0]], x[tri[2]] - x[tri[0]]])
        F = Ds @ np.linalg.inv(Dm)
        J = np.linalg.det(F)
        area = 0.5 * abs(np.linalg.det(Dm))
        I1 = np.sum(F * F)
        W += area * (0.5 * mu * (I1 - 2) - mu * np.log(J) + 0.5 * lam * np.log(J) ** 2)
    return W


def stvk_mesh(u, xy, mu, lam):
    """St. Venant-Kirchhoff energy: E = (F^T F - I) / 2, W = mu E:E + lam/2 tr(E)^2."""
    x = xy + u.reshape(-1, 2)
    W = 0.0
    for a, b, c in TRIS:
        Dm = np.array(
            [[xy[b, 0] - xy[a, 0], xy[c, 0] - xy[a, 0]], [xy[b, 1] - xy[a, 1], xy[c, 1] - xy[a, 1]]]
        )
        Ds = np.array(
            [[x[b, 0] - x[a, 0], x[c, 0] - x[a, 0]], [x[b, 1] - x[a, 1], x[c, 1] - x[a, 1]]]
        )
        F = np.linalg.solve(Dm.T, Ds.T).T
        Eg = 0.5 * (F.T @ F - np.eye(2))
        W = W + 0.5 * np.linalg.det(Dm) * (mu * np.trace(Eg @ Eg) + 0.5 * lam * np.trace(Eg) ** 2)
    return W


def _xy_perturbed():
    return TRUSS_XY + 0.02 * R.standard_normal(TRUSS_XY.shape)


NODES6 = np.array([0.0, 0.2, 0.45, 0.6, 0.8, 1.0])
E5 = np.array([1.0, 1.3, 0.8, 1.1, 0.9])
CASES = [
    Case(bar_compliance, (E5, NODES6), (0, 1), extra="hvp"),
    Case(bar_body_force, (E5, NODES6), (0, 1), extra="hvp"),
    Case(bar_add_at, (E5, NODES6), (0, 1), extra="hvp"),
    Case(
        bar_chained_slices,
        (E5, NODES6),
        (0, 1),
        xfail=refused_everywhere(
            "`K[e:e + 2][:, e:e + 2] += ke` (a view of a view of K): '`K` is read after the"
            " object it shares with another name is modified ... srcad treats values as"
            " immutable' (lowering)"
        ),
    ),
    Case(
        bar_coo,
        (E5, NODES6),
        (0, 1),
        xfail=refused_when_differentiated(
            "sparse assembly: 'no derivative rule for `scipy.sparse.coo_matrix`' (scipy.sparse"
            " has no rules; np.add.at / np.bincount assembly is differentiated)"
        ),
    ),
    Case(truss_compliance, (_xy_perturbed(), np.linspace(0.8, 1.4, 7)), (0, 1), extra="hvp"),
    Case(truss_weight_plus_compliance, (np.linspace(0.7, 1.3, 7), TRUSS_XY), (0, 1), extra="hvp"),
    Case(
        truss_strain_energy,
        (0.05 * R.standard_normal(10), TRUSS_XY, np.linspace(1, 2, 7)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(truss_nonlinear_energy, (0.05 * R.standard_normal(10), TRUSS_XY), (0, 1), extra="hvp"),
    Case(
        poisson_energy,
        (R.standard_normal(9), MESH_XY, np.linspace(0.5, 1.5, 8)),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(poisson_solve, (np.linspace(0.5, 1.5, 8), MESH_XY), (0, 1), extra="hvp"),
    Case(poisson_vectorized, (R.standard_normal(9), MESH_XY), (0, 1), extra="hvp"),
    Case(mass_matrix_energy, (R.standard_normal(9), MESH_XY), (0, 1), extra="hvp"),
    Case(
        elastic_energy, (0.1 * R.standard_normal(18), MESH_XY, 2.0, 0.3), (0, 1, 2, 3), extra="hvp"
    ),
    Case(
        neo_hookean_mesh,
        (0.05 * R.standard_normal(18), MESH_XY, 1.0, 2.0),
        (0, 1, 2, 3),
        extra="hvp",
    ),
    Case(stvk_mesh, (0.05 * R.standard_normal(18), MESH_XY, 1.0, 2.0), (0, 1, 2, 3), extra="hvp"),
]
