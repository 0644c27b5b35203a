"""Ported cases (session 27, corp27), written anew as user code after geometry-processing programs
(libigl / gptoolbox tutorials, Botsch et al.'s "Polygon Mesh Processing", Sorkine and Alexa's
as-rigid-as-possible surface modelling, discrete shells' bending energy): the uniform and
cotangent mesh Laplacians' smoothness energies, an ARAP energy with the per-vertex rotations held
fixed and with them from the local step's SVD, Kabsch alignment, triangle areas and normals
through ``np.cross``, edge-length preservation, dihedral bending with ``arctan2``, and a few
classic mesh quality measures.

Float vertex arrays (V, 3) or (V, 2) -> float scalar, checked at second order where marked."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(27)

# an octahedron-like closed mesh: 6 vertices, 8 faces (consistently oriented)
OCT_V = np.array([[1.0, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]])
OCT_F = np.array(
    [[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]]
)
V0 = OCT_V * np.array([1.0, 0.9, 1.1]) + 0.05 * R.standard_normal(OCT_V.shape)
EDGES = sorted({tuple(sorted((int(f[i]), int(f[(i + 1) % 3])))) for f in OCT_F for i in range(3)})
EDGE_ARR = np.array(EDGES)
EDGE_SET = frozenset(EDGES)
# interior edges with their two opposite vertices (for bending), built once at import
_OPP: dict[tuple[int, int], list[int]] = {}
for _f in OCT_F:
    for _i in range(3):
        _a, _b, _c = int(_f[_i]), int(_f[(_i + 1) % 3]), int(_f[(_i + 2) % 3])
        _OPP.setdefault((min(_a, _b), max(_a, _b)), []).append(_c)
HINGES = np.array([[a, b, o[0], o[1]] for (a, b), o in sorted(_OPP.items())])


def face_areas(V):
    e1 = V[OCT_F[:, 1]] - V[OCT_F[:, 0]]
    e2 = V[OCT_F[:, 2]] - V[OCT_F[:, 0]]
    return 0.5 * np.linalg.norm(np.cross(e1, e2), axis=1)


def surface_area(V):
    return np.sum(face_areas(V))


def enclosed_volume(V):
    """Signed volume by the divergence theorem: sum over faces of v0 . (v1 x v2) / 6."""
    a, b, c = V[OCT_F[:, 0]], V[OCT_F[:, 1]], V[OCT_F[:, 2]]
    return np.sum(np.einsum("ij,ij->i", a, np.cross(b, c))) / 6.0


def isoperimetric(V):
    """Area^3 / volume^2 (scale invariant; minimal for a sphere)."""
    return surface_area(V) ** 3 / enclosed_volume(V) ** 2


def face_normals_loop(V):
    """Unit normals per face in a loop, penalise their deviation from the vertex direction."""
    total = 0.0
    for f in OCT_F:
        n = np.cross(V[f[1]] - V[f[0]], V[f[2]] - V[f[0]])
        n = n / np.sqrt(np.dot(n, n))
        c = (V[f[0]] + V[f[1]] + V[f[2]]) / 3.0
        total = total + (1.0 - n @ c / np.linalg.norm(c)) ** 2
    return total


def vertex_normals(V):
    """Area-weighted vertex normals accumulated by np.add.at; their mean squared length."""
    fn = np.cross(V[OCT_F[:, 1]] - V[OCT_F[:, 0]], V[OCT_F[:, 2]] - V[OCT_F[:, 0]])
    vn = np.zeros_like(V)
    for k in range(3):
        np.add.at(vn, OCT_F[:, k], fn)
    unit = vn / np.linalg.norm(vn, axis=1, keepdims=True)
    return np.sum(unit * V) + 0.1 * np.sum(vn**2)


def uniform_laplacian(n):
    L = np.zeros((n, n))
    for i, j in EDGES:
        L[i, j] -= 1.0
        L[j, i] -= 1.0
        L[i, i] += 1.0
        L[j, j] += 1.0
    return L


def uniform_smoothness(V):
    """trace(V^T L V) with the graph Laplacian (umbrella operator)."""
    L = uniform_laplacian(len(V))
    return np.trace(V.T @ L @ V)


def umbrella_step(V, lam):
    """Two explicit Laplacian-smoothing steps V <- V - lam L V / deg, then the distance moved."""
    L = uniform_laplacian(len(V))
    deg = np.diag(L)
    W = V
    for _ in range(2):
        W = W - lam * (L @ W) / deg[:, None]
    return np.sum((W - V) ** 2)


def cotangent_laplacian(V):
    """Cotan weights w_ij = (cot a + cot b) / 2 accumulated per face corner."""
    n = len(V)
    L = np.zeros((n, n))
    for f in OCT_F:
        for k in range(3):
            i, j, o = f[k], f[(k + 1) % 3], f[(k + 2) % 3]
            u = V[i] - V[o]
            w = V[j] - V[o]
            cot = np.dot(u, w) / np.linalg.norm(np.cross(u, w))
            L[i, j] += 0.5 * cot
            L[j, i] += 0.5 * cot
            L[i, i] -= 0.5 * cot
            L[j, j] -= 0.5 * cot
    return L


def dirichlet_cot(V, U):
    """Dirichlet energy of a vertex field U under the cotangent Laplacian of V."""
    return -0.5 * np.sum(U * (cotangent_laplacian(V) @ U))


def mean_curvature_energy(V):
    """Willmore-like energy: |L V|^2 / A_i with barycentric areas A_i (a third of faces)."""
    L = cotangent_laplacian(V)
    A = np.zeros(len(V))
    areas = face_areas(V)
    for k in range(3):
        np.add.at(A, OCT_F[:, k], areas / 3.0)
    Hn = L @ V
    return np.sum(np.sum(Hn**2, axis=1) / A)


def cot_weights_vectorized(V, U):
    """The cotangent Dirichlet energy, vectorised over corners (no assembled matrix)."""
    total = 0.0
    for k in range(3):
        i, j, o = OCT_F[:, k], OCT_F[:, (k + 1) % 3], OCT_F[:, (k + 2) % 3]
        u = V[i] - V[o]
        w = V[j] - V[o]
        cot = np.einsum("ij,ij->i", u, w) / np.linalg.norm(np.cross(u, w), axis=1)
        total = total + 0.25 * np.sum(cot * np.sum((U[i] - U[j]) ** 2, axis=1))
    return total


def _rot(axis, ang):
    a = axis / np.linalg.norm(axis)
    Kx = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(ang) * Kx + (1 - np.cos(ang)) * Kx @ Kx


ROTS = np.array([_rot(R.standard_normal(3), 0.1 * (i + 1)) for i in range(6)])


def arap_energy(Vd, V, Rs):
    """ARAP: sum_i sum_{j in N(i)} |(p'_i - p'_j) - R_i (p_i - p_j)|^2, rotations fixed."""
    E = 0.0
    for i, j in EDGES:
        for a, b in ((i, j), (j, i)):
            r = (Vd[a] - Vd[b]) - Rs[a] @ (V[a] - V[b])
            E = E + r @ r
    return E


def arap_cot(Vd, V):
    """ARAP with cotangent edge weights from the rest mesh, rotations fixed (one global step)."""
    L = cotangent_laplacian(V)
    E = 0.0
    for i, j in EDGES:
        w = L[i, j]
        r = (Vd[i] - Vd[j]) - ROTS[i] @ (V[i] - V[j])
        E = E + w * np.sum(r * r)
    return E


def arap_vectorized(Vd, V):
    e = EDGE_ARR
    dp = Vd[e[:, 0]] - Vd[e[:, 1]]
    d0 = V[e[:, 0]] - V[e[:, 1]]
    r = dp - np.einsum("eij,ej->ei", ROTS[e[:, 0]], d0)
    return np.sum(r**2)


def arap_local_global(Vd, V):
    """ARAP with the local step inside: per-vertex rotations from the SVD of the edge covariance
    (Sorkine and Alexa 2007), the reflection fixed by flipping the last row of V^T."""
    E = 0.0
    for i in range(len(V)):
        nb = [j for j in range(len(V)) if (min(i, j), max(i, j)) in EDGE_SET]
        e0 = V[nb] - V[i]
        e1 = Vd[nb] - Vd[i]
        U, _, Vt = np.linalg.svd(e0.T @ e1)
        Ri = Vt.T @ U.T
        if np.linalg.det(Ri) < 0:
            Vt[-1] *= -1
            Ri = Vt.T @ U.T
        E = E + np.sum((e1 - e0 @ Ri.T) ** 2)
    return E


def kabsch_rmsd(P, Q):
    """Kabsch alignment: the optimal rotation by SVD with the det sign correction, residual."""
    Pc = P - P.mean(axis=0)
    Qc = Q - Q.mean(axis=0)
    U, _, Vt = np.linalg.svd(Pc.T @ Qc)
    D = np.diag([1.0, 1.0, np.sign(np.linalg.det(Vt.T @ U.T))])
    Rm = Vt.T @ D @ U.T
    return np.sum((Pc @ Rm.T - Qc) ** 2)


def edge_length_preservation(Vd, V):
    """sum (|e'| - |e|)^2 / |e| over edges (spring / mass-spring cloth energy)."""
    E = 0.0
    for i, j in EDGES:
        l0 = np.linalg.norm(V[i] - V[j])
        ln = np.linalg.norm(Vd[i] - Vd[j])
        E += (ln - l0) ** 2 / l0
    return E


def edge_squared_strain(Vd):
    e = EDGE_ARR
    l2 = np.sum((Vd[e[:, 0]] - Vd[e[:, 1]]) ** 2, axis=1)
    l02 = np.sum((V0[e[:, 0]] - V0[e[:, 1]]) ** 2, axis=1)
    return np.sum((l2 / l02 - 1.0) ** 2)


def dihedral_angle(x0, x1, x2, x3):
    """Signed angle between the faces (x0, x1, x2) and (x1, x0, x3) about the edge x0-x1."""
    e = x1 - x0
    n1 = np.cross(e, x2 - x0)
    n2 = np.cross(x3 - x0, e)
    en = e / np.linalg.norm(e)
    return np.arctan2(np.dot(np.cross(n1, n2), en), np.dot(n1, n2))


def bending_energy(Vd):
    """Discrete-shells bending: sum (theta - theta0)^2 |e|^2 / (A1 + A2) over hinges."""
    E = 0.0
    for a, b, c, d in HINGES:
        th = dihedral_angle(Vd[a], Vd[b], Vd[c], Vd[d])
        th0 = dihedral_angle(V0[a], V0[b], V0[c], V0[d])
        e2 = np.sum((Vd[b] - Vd[a]) ** 2)
        A = 0.5 * np.linalg.norm(np.cross(Vd[b] - Vd[a], Vd[c] - Vd[a]))
        A += 0.5 * np.linalg.norm(np.cross(Vd[b] - Vd[a], Vd[d] - Vd[a]))
        E = E + (th - th0) ** 2 * e2 / A
    return E


def bending_cos(Vd):
    """A simpler bending surrogate: sum (1 - n1 . n2) over hinges."""
    a, b, c, d = HINGES.T
    n1 = np.cross(Vd[b] - Vd[a], Vd[c] - Vd[a])
    n2 = np.cross(Vd[d] - Vd[a], Vd[b] - Vd[a])
    n1 = n1 / np.linalg.norm(n1, axis=1)[:, None]
    n2 = n2 / np.linalg.norm(n2, axis=1)[:, None]
    return np.sum(1.0 - np.sum(n1 * n2, axis=1))


def angle_defect(V):
    """Gauss curvature by angle defect 2 pi - sum of angles, squared and summed."""
    ang = np.zeros(len(V))
    for f in OCT_F:
        for k in range(3):
            i, j, m = f[k], f[(k + 1) % 3], f[(k + 2) % 3]
            u, w = V[j] - V[i], V[m] - V[i]
            ang[i] += np.arctan2(np.linalg.norm(np.cross(u, w)), u @ w)
    return np.sum((2 * np.pi - ang) ** 2)


def triangle_quality(V):
    """Mean ratio quality 4 sqrt(3) A / sum l^2, energy sum (1 - q)^2."""
    q_total = 0.0
    for f in OCT_F:
        p = V[f]
        l2 = np.sum((p[[1, 2, 0]] - p) ** 2)
        A = 0.5 * np.linalg.norm(np.cross(p[1] - p[0], p[2] - p[0]))
        q = 4 * np.sqrt(3.0) * A / l2
        q_total += (1 - q) ** 2
    return q_total


def conformal_energy_2d(U, P):
    """Dirichlet minus signed area of a planar parameterisation U of the triangles P (LSCM)."""
    T = np.array([[0, 1, 2], [0, 2, 3], [1, 4, 2], [2, 4, 3]])
    E = 0.0
    for t in T:
        a, b, c = P[t]
        area0 = 0.5 * ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
        for k in range(3):
            i, j, o = t[k], t[(k + 1) % 3], t[(k + 2) % 3]
            u, w = P[i] - P[o], P[j] - P[o]
            cot = (u @ w) / abs(u[0] * w[1] - u[1] * w[0])
            E += 0.25 * cot * np.sum((U[i] - U[j]) ** 2)
        ua, ub, uc = U[t]
        E -= 0.5 * ((ub[0] - ua[0]) * (uc[1] - ua[1]) - (ub[1] - ua[1]) * (uc[0] - ua[0]))
        E += 0.0 * area0
    return E


def symmetric_dirichlet(U, P):
    """Symmetric Dirichlet |J|^2 + |J^-1|^2 per triangle of a 2-D map, area weighted."""
    T = np.array([[0, 1, 2], [0, 2, 3], [1, 4, 2], [2, 4, 3]])
    E = 0.0
    for t in T:
        Dm = np.column_stack([P[t[1]] - P[t[0]], P[t[2]] - P[t[0]]])
        Ds = np.column_stack([U[t[1]] - U[t[0]], U[t[2]] - U[t[0]]])
        J = Ds @ np.linalg.inv(Dm)
        area = 0.5 * abs(np.linalg.det(Dm))
        E += area * (np.sum(J**2) + np.sum(np.linalg.inv(J) ** 2))
    return E


P5 = np.array([[0.0, 0.0], [1.0, 0.0], [0.6, 0.7], [-0.2, 0.8], [1.5, 0.9]])
VD = V0 + 0.05 * R.standard_normal(V0.shape)
U3 = R.standard_normal((6, 3))
CASES = [
    Case(surface_area, (V0,), (0,), extra="hvp"),
    Case(enclosed_volume, (V0,), (0,), extra="hvp"),
    Case(isoperimetric, (V0,), (0,), extra="hvp"),
    Case(face_normals_loop, (V0,), (0,), extra="hvp"),
    Case(vertex_normals, (V0,), (0,), extra="hvp"),
    Case(uniform_smoothness, (V0,), (0,), extra="hvp"),
    Case(umbrella_step, (V0, 0.3), (0, 1), extra="hvp"),
    Case(dirichlet_cot, (V0, U3), (0, 1), extra="hvp"),
    Case(mean_curvature_energy, (V0,), (0,), extra="hvp"),
    Case(cot_weights_vectorized, (V0, U3), (0, 1), extra="hvp"),
    Case(arap_energy, (VD, V0, ROTS), (0, 1, 2), extra="hvp"),
    Case(arap_cot, (VD, V0), (0, 1), extra="hvp"),
    Case(arap_vectorized, (VD, V0), (0, 1), extra="hvp"),
    Case(arap_local_global, (VD, V0), (0, 1), extra="hvp"),
    Case(kabsch_rmsd, (VD @ ROTS[2].T + 0.1, V0), (0, 1), extra="hvp"),
    Case(edge_length_preservation, (VD, V0), (0, 1), extra="hvp"),
    Case(edge_squared_strain, (VD,), (0,), extra="hvp"),
    Case(bending_energy, (VD,), (0,), extra="hvp"),
    Case(bending_cos, (VD,), (0,), extra="hvp"),
    Case(angle_defect, (VD,), (0,), extra="hvp"),
    Case(triangle_quality, (VD,), (0,), extra="hvp"),
    Case(conformal_energy_2d, (P5 + 0.1 * R.standard_normal(P5.shape), P5), (0, 1), extra="hvp"),
    Case(symmetric_dirichlet, (P5 + 0.1 * R.standard_normal(P5.shape), P5), (0, 1), extra="hvp"),
]
