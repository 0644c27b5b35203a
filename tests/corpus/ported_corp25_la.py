"""Ported cases (session 25, corp25), written anew as user code after Rosetta Code's linear
algebra and matrix tasks in their Python entries (lists of lists and loops, as written there):
matrix multiplication by ``zip(*B)``, transposition, matrix power by repeated squaring (a
``while n`` loop on the bits), LU decomposition with partial pivoting (Doolittle), Cholesky
decomposition, Gaussian elimination with back substitution, the determinant by permutations
(``itertools.permutations`` with the permutation's sign), QR by Householder reflections,
polynomial regression (normal equations and ``np.polyfit``), natural cubic splines through a
tridiagonal (Thomas) solve, a quaternion class with ``__mul__`` / ``__add__`` / ``norm``, vector
products (dot, cross, scalar and vector triple) and the haversine formula.

Float matrices / vectors -> float scalar (checked at second order with ``extra="hvp"``) or
float matrices / vectors."""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np

from . import Case

R = np.random.default_rng(25000004)


def matmul_lists(A, B):
    return [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]


def matmul_zip(a, b):
    A = [list(r) for r in a]
    B = [list(r) for r in b]
    C = matmul_lists(A, B)
    T = [list(r) for r in zip(*C)]
    return sum(T[i][j] * (i + 2 * j + 1) for i in range(len(T)) for j in range(len(T[0])))


def _identity(n):
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


def matrix_power(a):
    A = [list(r) for r in a]
    result = _identity(len(A))
    n = 5
    while n:
        if n & 1:
            result = matmul_lists(result, A)
        A = matmul_lists(A, A)
        n >>= 1
    return np.array(result)


def _pivotize(m):
    n = len(m)
    ID = _identity(n)
    for j in range(n):
        row = max(range(j, n), key=lambda i: abs(m[i][j]))
        if j != row:
            ID[j], ID[row] = ID[row], ID[j]
    return ID


def lu_decomposition(a):
    A = [list(r) for r in a]
    n = len(A)
    L = [[0.0] * n for _ in range(n)]
    U = [[0.0] * n for _ in range(n)]
    P = _pivotize(A)
    A2 = matmul_lists(P, A)
    for j in range(n):
        L[j][j] = 1.0
        for i in range(j + 1):
            s1 = sum(U[k][j] * L[i][k] for k in range(i))
            U[i][j] = A2[i][j] - s1
        for i in range(j, n):
            s2 = sum(U[k][j] * L[i][k] for k in range(j))
            L[i][j] = (A2[i][j] - s2) / U[j][j]
    return np.array(L) + 2 * np.array(U)


def cholesky_lists(a):
    A = [list(r) for r in a]
    n = len(A)
    L = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for k in range(i + 1):
            tmp = sum(L[i][j] * L[k][j] for j in range(k))
            if i == k:
                L[i][k] = math.sqrt(A[i][i] - tmp)
            else:
                L[i][k] = 1.0 / L[k][k] * (A[i][k] - tmp)
    return np.array(L)


def gauss_solve(a, b):
    n = len(b)
    M = np.hstack([a, b[:, None]])
    for k in range(n):
        p = k + int(np.argmax(np.abs(M[k:, k])))
        if p != k:
            M[[k, p]] = M[[p, k]]
        for i in range(k + 1, n):
            f = M[i, k] / M[k, k]
            M[i, k:] = M[i, k:] - f * M[k, k:]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (M[i, n] - M[i, i + 1 : n] @ x[i + 1 :]) / M[i, i]
    return x


def _perm_sign(p):
    sign = 1
    p = list(p)
    for i in range(len(p)):
        while p[i] != i:
            j = p[i]
            p[i], p[j] = p[j], p[i]
            sign = -sign
    return sign


def det_permutations(a):
    n = len(a)
    total = 0.0
    for p in permutations(range(n)):
        prod = 1.0
        for i in range(n):
            prod *= a[i][p[i]]
        total += _perm_sign(p) * prod
    return total


def permanent(a):
    n = len(a)
    return sum(math.prod(a[i][s[i]] for i in range(n)) for s in permutations(range(n)))


def _householder(a):
    v = a / (a[0] + math.copysign(np.linalg.norm(a), a[0]))
    v[0] = 1.0
    H = np.eye(a.shape[0])
    H -= (2 / np.dot(v, v)) * np.outer(v, v)
    return H


def qr_householder(A):
    m, n = A.shape
    Q = np.eye(m)
    for i in range(n - (m == n)):
        H = np.eye(m)
        H[i:, i:] = _householder(A[i:, i])
        Q = Q @ H
        A = H @ A
    return np.sum(np.abs(np.diag(A))) + np.sum(Q[:, 0] * np.arange(1.0, m + 1))


XFIT = np.linspace(0.0, 2.0, 11)
XKNOTS = np.array([0.0, 0.7, 1.5, 2.2, 3.0, 4.1])


def polyfit_normal(y, x=XFIT):
    V = np.vander(x, 3)
    coef = np.linalg.solve(V.T @ V, V.T @ y)
    return coef


def polyfit_np(y, x=XFIT):
    return np.polyfit(x, y, 2)


def natural_spline(y, x=XKNOTS):
    n = len(x) - 1
    h = [x[i + 1] - x[i] for i in range(n)]
    rhs = [0.0] + [
        3 * (y[i + 1] - y[i]) / h[i] - 3 * (y[i] - y[i - 1]) / h[i - 1] for i in range(1, n)
    ]
    lo, mu, z = [1.0] + [0.0] * n, [0.0] * (n + 1), [0.0] * (n + 1)
    for i in range(1, n):
        lo[i] = 2 * (x[i + 1] - x[i - 1]) - h[i - 1] * mu[i - 1]
        mu[i] = h[i] / lo[i]
        z[i] = (rhs[i] - h[i - 1] * z[i - 1]) / lo[i]
    c, b, d = [0.0] * (n + 1), [0.0] * n, [0.0] * n
    for j in range(n - 1, -1, -1):
        c[j] = z[j] - mu[j] * c[j + 1]
        b[j] = (y[j + 1] - y[j]) / h[j] - h[j] * (c[j + 1] + 2 * c[j]) / 3
        d[j] = (c[j + 1] - c[j]) / (3 * h[j])
    out = 0.0
    for t in (0.3, 1.1, 2.9, 3.6):
        j = max(k for k in range(n) if x[k] <= t)
        dt = t - x[j]
        out += (y[j] + b[j] * dt + c[j] * dt**2 + d[j] * dt**3) ** 2
    return out


class Quaternion:
    def __init__(self, w, x, y, z):
        self.w, self.x, self.y, self.z = w, x, y, z

    def __add__(self, o):
        return Quaternion(self.w + o.w, self.x + o.x, self.y + o.y, self.z + o.z)

    def __mul__(self, o):
        if not isinstance(o, Quaternion):
            return Quaternion(self.w * o, self.x * o, self.y * o, self.z * o)
        return Quaternion(
            self.w * o.w - self.x * o.x - self.y * o.y - self.z * o.z,
            self.w * o.x + self.x * o.w + self.y * o.z - self.z * o.y,
            self.w * o.y - self.x * o.z + self.y * o.w + self.z * o.x,
            self.w * o.z + self.x * o.y - self.y * o.x + self.z * o.w,
        )

    def conjugate(self):
        return Quaternion(self.w, -self.x, -self.y, -self.z)

    def norm(self):
        return math.sqrt(self.w**2 + self.x**2 + self.y**2 + self.z**2)


def quaternion_rotate(q):
    a = Quaternion(q[0], q[1], q[2], q[3])
    a = a * (1.0 / a.norm())
    v = Quaternion(0.0, 1.0, -2.0, 0.5)
    r = a * v * a.conjugate() + a * 0.25
    return r.x * 1.0 + r.y * 2.0 + r.z * 3.0 + r.w


def vector_products(a, b, c):
    dot = sum(x * y for x, y in zip(a, b))
    cross = lambda u, v: [  # noqa: E731
        u[1] * v[2] - u[2] * v[1],
        u[2] * v[0] - u[0] * v[2],
        u[0] * v[1] - u[1] * v[0],
    ]
    scalar_triple = sum(x * y for x, y in zip(a, cross(b, c)))
    vector_triple = cross(a, cross(b, c))
    return dot + scalar_triple + sum(vector_triple)


def haversine(lat1, lon1, lat2, lon2):
    Rk = 6372.8
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1)
    lat1, lat2 = math.radians(lat1), math.radians(lat2)
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    c = 2 * math.asin(math.sqrt(a))
    return Rk * c


A33 = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 7.0], [1.0, 1.0, 0.0]]) + 0.1 * R.standard_normal(
    (3, 3)
)
A44 = np.round(R.uniform(-1, 1, (4, 4)), 3)
SPD4 = A44 @ A44.T + 4 * np.eye(4)
Y11 = np.round(1.0 + 0.5 * np.linspace(0, 2, 11) - 0.3 * np.linspace(0, 2, 11) ** 2, 3)
CASES = [
    Case(
        matmul_zip,
        (np.round(R.uniform(-1, 1, (2, 3)), 3), np.round(R.uniform(-1, 1, (3, 4)), 3)),
        (0, 1),
        extra="hvp",
    ),
    Case(matrix_power, (0.5 * A33,), (0,)),
    Case(lu_decomposition, (A33,), (0,)),
    Case(cholesky_lists, (SPD4,), (0,)),
    Case(gauss_solve, (A44 + 2 * np.eye(4), np.array([1.0, -2.0, 0.5, 3.0])), (0, 1)),
    Case(det_permutations, (A44,), (0,), extra="hvp"),
    Case(permanent, (A44,), (0,), extra="hvp"),
    Case(qr_householder, (np.round(R.uniform(-1, 1, (4, 3)), 3),), (0,), extra="hvp"),
    Case(polyfit_normal, (Y11,), (0,)),
    Case(polyfit_np, (Y11,), (0,)),
    Case(natural_spline, (np.array([0.5, 1.2, 0.8, 1.9, 1.4, 0.3]),), (0,), extra="hvp"),
    Case(quaternion_rotate, (np.array([0.9, 0.2, -0.3, 0.4]),), (0,), extra="hvp"),
    Case(
        vector_products,
        (np.array([3.0, 4.0, 5.0]), np.array([4.0, 3.0, 5.0]), np.array([-5.0, -12.0, -13.0])),
        (0, 1, 2),
    ),
    Case(haversine, (36.12, -86.67, 33.94, -118.40), (0, 1, 2, 3), extra="hvp"),
]
