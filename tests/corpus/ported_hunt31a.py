"""Ported cases (session 31, hunt31a), numerical algorithms written as users write them in
NumPy/Python: iterative solvers with data-dependent loops (Newton, secant, fixed point, conjugate
gradients with a residual test, power iteration, Gauss-Seidel and SOR sweeps updating an array
row by row, backtracking line search, adaptive RK steps, implicit Euler with an inner Newton
loop, shooting by the secant method); factorizations on copies (LU with partial pivoting by fancy
row swaps, Cholesky, Thomas, modified Gram-Schmidt, Householder QR, Gauss-Jordan, Levinson-Durbin);
recurrences and tables (de Casteljau, Clenshaw, Neville, Richardson, DTW and soft-DTW, edit
distance with costs, Viterbi, a natural cubic spline); sort/argmax-driven code (projection onto
the simplex, k nearest neighbours, greedy coordinate descent, k-means, Kruskal with union-find
path compression); recursion (FFT, divide and conquer, a dict-memoised recurrence, mutual
recursion, cofactor determinants, merge sort, Strassen).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

W3 = np.array([1.3, 0.7, 1.1])
W4 = np.array([1.3, 0.75, 1.1, 0.4])
WS = np.array([1.3, 0.75, 1.1, -0.4])
M0 = np.array([[0.5, 2.0, -1.0], [3.0, 0.2, 1.0], [1.0, -1.0, 4.0]])


def newton_vec(p):
    # solve x^3 + p0 x - p1 = 0
    x = 1.0
    fx = x**3 + p[0] * x - p[1]
    it = 0
    while abs(fx) > 1e-13 and it < 50:
        x -= fx / (3 * x**2 + p[0])
        fx = x**3 + p[0] * x - p[1]
        it += 1
    return x * p[2]


def secant(p):
    x0, x1 = 0.5, 1.5
    f0 = math.cos(x0) - p[0] * x0
    f1 = math.cos(x1) - p[0] * x1
    while abs(f1) > 1e-12:
        x0, x1 = x1, x1 - f1 * (x1 - x0) / (f1 - f0)
        f0, f1 = f1, math.cos(x1) - p[0] * x1
    return x1


def fixed_point(p):
    x = 0.0
    for _i in range(200):
        xn = np.cos(x) * p[0]
        if abs(xn - x) < 1e-14:
            break
        x = xn
    return x


def cg_inplace(b):
    A = np.array([[4.0, 1.0, 0.2], [1.0, 3.0, 0.5], [0.2, 0.5, 2.0]]) * b[0]
    x = np.zeros(3)
    r = b.copy()
    p = r.copy()
    rs = r @ r
    for _i in range(10):
        Ap = A @ p
        alpha = rs / (p @ Ap)
        x += alpha * p
        r -= alpha * Ap
        rsn = r @ r
        if rsn < 1e-24:
            break
        p *= rsn / rs
        p += r
        rs = rsn
    return x @ x


def power_iter(a):
    A = np.outer(a, a) + np.diag(np.arange(1.0, 4.0))
    v = np.ones(3) / np.sqrt(3)
    lam = 0.0
    for _ in range(500):
        w = A @ v
        lam_new = v @ w
        v = w / np.linalg.norm(w)
        if abs(lam_new - lam) < 1e-14:
            break
        lam = lam_new
    return lam_new


def gauss_seidel(b):
    A = np.array([[4.0, 1.0, 0.2], [1.0, 3.0, 0.5], [0.2, 0.5, 2.0]])
    x = np.zeros(3)
    for _sweep in range(60):
        for i in range(3):
            s = b[i]
            for j in range(3):
                if j != i:
                    s -= A[i, j] * x[j]
            x[i] = s / A[i, i]
    return x


def sor(b):
    A = np.array([[4.0, 1.0, 0.2], [1.0, 3.0, 0.5], [0.2, 0.5, 2.0]])
    A[0, 0] += b[0]
    n = len(b)
    x = np.zeros(n)
    w = 1.2
    for _it in range(80):
        for i in range(n):
            sigma = A[i, :i] @ x[:i] + A[i, i + 1 :] @ x[i + 1 :]
            x[i] = (1 - w) * x[i] + w * (b[i] - sigma) / A[i, i]
    return x


def line_search_obj(p):
    def f(z):
        return (z[0] - p[0]) ** 2 + 3 * (z[1] - p[1]) ** 2 + z[0] * z[1]

    z = np.zeros(2)
    for _it in range(30):
        g = np.array([2 * (z[0] - p[0]) + z[1], 6 * (z[1] - p[1]) + z[0]])
        t = 1.0
        while f(z - t * g) > f(z) - 0.5 * t * (g @ g):
            t *= 0.5
        z = z - t * g
    return f(z) + z @ z


def rk45(p):
    def fn(t, y):
        return -p[0] * y + np.sin(t)

    t, y, h, T = 0.0, p[1], 0.1, 2.0
    while t < T:
        if t + h > T:
            h = T - t
        k1 = fn(t, y)
        k2 = fn(t + h / 2, y + h / 2 * k1)
        k3 = fn(t + h / 2, y + h / 2 * k2)
        k4 = fn(t + h, y + h * k3)
        y4 = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        y2 = y + h * k2
        err = abs(y4 - y2)
        if err < 1e-4:
            t += h
            y = y4
            h *= 1.5
        else:
            h *= 0.5
    return y


def lu_pivot_fancy(a):
    A = M0 + np.outer(a, a) * 0.3
    n = 3
    perm = list(range(n))
    for k in range(n):
        p = k + int(np.argmax(np.abs(A[k:, k])))
        if p != k:
            A[[k, p]] = A[[p, k]]
            perm[k], perm[p] = perm[p], perm[k]
        for i in range(k + 1, n):
            A[i, k] /= A[k, k]
            A[i, k + 1 :] -= A[i, k] * A[k, k + 1 :]
    return np.prod(np.diag(A)) + A[2, 0] + perm[0]


def lu_pivot_tuple_swap(a):
    A = M0.copy()
    A[:, 0] += a
    b = a.copy() * 2 + 1
    n = 3
    for k in range(n):
        p = k + np.argmax(np.abs(A[k:, k]))
        A[[k, p], :] = A[[p, k], :]
        b[k], b[p] = b[p], b[k]
        for i in range(k + 1, n):
            m = A[i, k] / A[k, k]
            A[i, k:] -= m * A[k, k:]
            b[i] -= m * b[k]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - A[i, i + 1 :] @ x[i + 1 :]) / A[i, i]
    return x


def cholesky_loops(a):
    A = np.outer(a, a) + np.eye(3) * 2.0
    n = A.shape[0]
    L = np.zeros_like(A)
    for i in range(n):
        for j in range(i + 1):
            s = A[i, j]
            for k in range(j):
                s -= L[i, k] * L[j, k]
            if i == j:
                L[i, j] = math.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    return L


def thomas_inplace(d):
    b = np.full(3, 4.0) + d
    a = np.ones(3)
    c = np.ones(3)
    r = d.copy() ** 2
    n = 3
    for i in range(1, n):
        w = a[i] / b[i - 1]
        b[i] = b[i] - w * c[i - 1]
        r[i] = r[i] - w * r[i - 1]
    x = b.copy()
    x[n - 1] = r[n - 1] / b[n - 1]
    for i in reversed(range(n - 1)):
        x[i] = (r[i] - c[i] * x[i + 1]) / b[i]
    return x


def gs_modified(a):
    V = (M0 + np.diag(a)).copy()
    n = 3
    Q = np.zeros((3, 3))
    for i in range(n):
        Q[:, i] = V[:, i] / np.linalg.norm(V[:, i])
        for j in range(i + 1, n):
            V[:, j] -= (Q[:, i] @ V[:, j]) * Q[:, i]
    return Q


def householder_qr(a):
    A = M0 + np.diag(a)
    m, n = A.shape
    R = A.copy()
    Q = np.eye(m)
    for k in range(n - 1):
        x = R[k:, k]
        e = np.zeros_like(x)
        e[0] = 1.0
        alpha = -np.sign(x[0]) * np.linalg.norm(x)
        u = x - alpha * e
        v = u / np.linalg.norm(u)
        R[k:, :] -= 2.0 * np.outer(v, v @ R[k:, :])
        Q[:, k:] -= 2.0 * np.outer(Q[:, k:] @ v, v)
    return np.sum(np.abs(np.diag(R))) + np.trace(Q @ R)


def decasteljau(p):
    pts = [p[0], p[1], p[2], 1.0]
    t = 0.3 + 0.1 * p[0]
    n = len(pts)
    for r in range(1, n):
        for i in range(n - r):
            pts[i] = (1 - t) * pts[i] + t * pts[i + 1]
    return pts[0]


def clenshaw_x(p):
    c = np.array([0.5, -1.0, 0.25, 2.0])
    x = p[0]
    bk1 = 0.0
    bk2 = 0.0
    for k in reversed(range(1, len(c))):
        bk = c[k] + 2 * x * bk1 - bk2
        bk2 = bk1
        bk1 = bk
    return c[0] + x * bk1 - bk2 + p[1]


def dtw(x):
    y = np.array([0.1, 0.5, -0.3, 0.8])
    n, m = len(x), len(y)
    D = np.full((n + 1, m + 1), np.inf)
    D[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            c = (x[i - 1] - y[j - 1]) ** 2
            D[i, j] = c + min(D[i - 1, j], D[i, j - 1], D[i - 1, j - 1])
    return D[n, m]


def softdtw(x):
    y = np.array([0.1, 0.5, -0.3, 0.8])
    gamma = 0.5
    n, m = len(x), len(y)
    R = np.full((n + 1, m + 1), np.inf)
    R[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            r = np.array([R[i - 1, j], R[i, j - 1], R[i - 1, j - 1]])
            rmin = r.min()
            softmin = rmin - gamma * np.log(np.sum(np.exp(-(r - rmin) / gamma)))
            R[i, j] = (x[i - 1] - y[j - 1]) ** 2 + softmin
    return R[n, m]


def edit_cost(w):
    a, b = "kitten", "sitting"
    D = np.zeros((len(a) + 1, len(b) + 1))
    for i in range(1, len(a) + 1):
        D[i, 0] = i * w[0]
    for j in range(1, len(b) + 1):
        D[0, j] = j * w[1]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            sub = 0.0 if a[i - 1] == b[j - 1] else w[2]
            D[i, j] = min(D[i - 1, j] + w[0], D[i, j - 1] + w[1], D[i - 1, j - 1] + sub)
    return D[-1, -1]


def knn(q):
    X = np.array([[0.0, 0.0], [1.0, 0.2], [0.3, 0.9], [1.5, 1.5], [-0.5, 0.4]])
    yv = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    d = np.sum((X - q[:2]) ** 2, axis=1)
    nn = np.argsort(d)[:3]
    w = 1.0 / (d[nn] + q[2] ** 2)
    return np.sum(w * yv[nn]) / np.sum(w)


def interp_ss(yp):
    xp = np.array([0.0, 1.0, 2.0])
    x = np.array([0.3, 1.7, 0.9, 1.0])
    i = np.clip(np.searchsorted(xp, x) - 1, 0, len(xp) - 2)
    t = (x - xp[i]) / (xp[i + 1] - xp[i])
    return (1 - t) * yp[i] + t * yp[i + 1]


def fft_rec(x):
    n = len(x)
    if n == 1:
        return x.astype(complex)
    ev = fft_rec(x[0::2])
    od = fft_rec(x[1::2])
    tw = np.exp(-2j * np.pi * np.arange(n // 2) / n) * od
    return np.concatenate([ev + tw, ev - tw])


def fft_power(x):
    X = fft_rec(x)
    return np.sum(np.abs(X) ** 2 * np.arange(len(x)))


def dc_sum(x):
    if len(x) == 1:
        return x[0] ** 2
    m = len(x) // 2
    return dc_sum(x[:m]) * 0.9 + dc_sum(x[m:])


def memo_dict(x):
    cache = {}

    def f(n):
        if n in cache:
            return cache[n]
        r = x[0] if n < 2 else f(n - 1) * x[1] + f(n - 2)
        cache[n] = r
        return r

    return f(6)


def is_even(n, x):
    return x if n == 0 else is_odd(n - 1, x * 1.1)


def is_odd(n, x):
    return x if n == 0 else is_even(n - 1, np.sin(x))


def mutual(x):
    return is_even(5, x[0]) + is_odd(4, x[1])


def proj_simplex(v):
    n = len(v)
    u = np.sort(v)[::-1]
    css = np.cumsum(u)
    rho = np.nonzero(u * np.arange(1, n + 1) > (css - 1))[0][-1]
    theta = (css[rho] - 1) / (rho + 1.0)
    return np.maximum(v - theta, 0)


def viterbi(p):
    logA = np.log(np.array([[0.7, 0.3], [0.4, 0.6]]))
    obs = [0, 1, 1, 0]
    logB = np.log(np.array([[0.9, 0.1], [0.2, 0.8]])) * p[0]
    V = np.log(np.array([0.5, 0.5])) + logB[:, obs[0]]
    back = []
    for o in obs[1:]:
        sc = V[:, None] + logA
        back.append(np.argmax(sc, axis=0))
        V = sc.max(axis=0) + logB[:, o] * p[1]
    return V.max()


def coord_descent(p):
    A = np.array([[3.0, 0.5, 0.1], [0.5, 2.0, 0.3], [0.1, 0.3, 1.5]])
    b = p[:3]
    x = np.zeros(3)
    for _it in range(200):
        g = A @ x - b
        i = np.argmax(np.abs(g))
        if abs(g[i]) < 1e-13:
            break
        x[i] -= g[i] / A[i, i]
    return x


def kmeans(p):
    X = (
        np.array([[0.0, 0.1], [0.2, -0.1], [2.0, 2.1], [2.2, 1.9], [0.1, 0.0], [1.9, 2.0]]) * p[0]
        + p[1]
    )
    C = X[[0, 2]].copy()
    for _it in range(10):
        d = ((X[:, None, :] - C[None]) ** 2).sum(-1)
        lab = np.argmin(d, axis=1)
        for k in range(2):
            if np.any(lab == k):
                C[k] = X[lab == k].mean(axis=0)
    return np.sum(C**2)


def kruskal(w):
    edges = [(w[0], 0, 1), (w[1], 1, 2), (w[2], 0, 2), (w[3], 2, 3), (w[0] + w[3], 1, 3)]
    parent = list(range(4))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    total = 0.0
    for c, a, b in sorted(edges):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            total += c
    return total


def neville(p):
    xs = np.array([0.0, 0.5, 1.0, 1.5])
    P = p.copy()
    x = 0.7
    n = len(xs)
    for k in range(1, n):
        for j in range(n - k):
            P[j] = ((x - xs[j + k]) * P[j] + (xs[j] - x) * P[j + 1]) / (xs[j] - xs[j + k])
    return P[0]


def richardson(p):
    f = lambda t: np.sin(p[0] * t) * np.exp(p[1] * t)
    h = 0.4
    R = np.zeros((4, 4))
    for i in range(4):
        hi = h / 2**i
        R[i, 0] = (f(0.3 + hi) - f(0.3 - hi)) / (2 * hi)
        for j in range(1, i + 1):
            R[i, j] = R[i, j - 1] + (R[i, j - 1] - R[i - 1, j - 1]) / (4**j - 1)
    return R[3, 3]


def levinson(p):
    r = np.array([1.0, p[0] * 0.5, p[1] * 0.3, p[2] * 0.1])
    n = 3
    a = np.zeros(n + 1)
    a[0] = 1.0
    e = r[0]
    for i in range(1, n + 1):
        acc = r[i] + a[1:i] @ r[i - 1 : 0 : -1]
        k = -acc / e
        a[1:i] = a[1:i] + k * a[i - 1 : 0 : -1]
        a[i] = k
        e *= 1 - k * k
    return np.concatenate([a, [e]])


def kalman(p):
    F = np.array([[1.0, 0.1], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    Q = np.eye(2) * 0.01 * p[0]
    R = np.array([[0.1 * p[1]]])
    zs = [0.1, 0.25, 0.3, 0.5]
    x = np.zeros(2)
    P = np.eye(2)
    ll = 0.0
    for z in zs:
        x = F @ x
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        K = P @ H.T @ np.linalg.inv(S)
        y = z - H @ x
        x = x + K @ y
        P -= K @ S @ K.T
        ll += -0.5 * (y @ np.linalg.solve(S, y) + np.log(np.linalg.det(S)))
    return ll


def natural_spline(p):
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([0.0, p[0], p[1], p[2], 1.0])
    n = len(x) - 1
    h = np.diff(x)
    al = np.zeros(n + 1)
    for i in range(1, n):
        al[i] = 3 / h[i] * (y[i + 1] - y[i]) - 3 / h[i - 1] * (y[i] - y[i - 1])
    ll = np.ones(n + 1)
    mu = np.zeros(n + 1)
    z = np.zeros(n + 1)
    for i in range(1, n):
        ll[i] = 2 * (x[i + 1] - x[i - 1]) - h[i - 1] * mu[i - 1]
        mu[i] = h[i] / ll[i]
        z[i] = (al[i] - h[i - 1] * z[i - 1]) / ll[i]
    c = np.zeros(n + 1)
    b = np.zeros(n)
    d = np.zeros(n)
    for j in range(n - 1, -1, -1):
        c[j] = z[j] - mu[j] * c[j + 1]
        b[j] = (y[j + 1] - y[j]) / h[j] - h[j] * (c[j + 1] + 2 * c[j]) / 3
        d[j] = (c[j + 1] - c[j]) / (3 * h[j])
    t = np.array([0.5, 1.7, 3.2]) + p[3] * 0.1
    k = np.clip(np.searchsorted(x, t) - 1, 0, n - 1)
    dt = t - x[k]
    return y[k] + b[k] * dt + c[k] * dt**2 + d[k] * dt**3


def gauss_jordan_inv(p):
    A = np.array([[p[0], 2.0, 0.5], [1.0, p[1], 1.0], [0.3, 1.0, 3.0 + p[2]]])
    n = 3
    M = np.hstack([A, np.eye(n)])
    for c in range(n):
        piv = c + np.argmax(np.abs(M[c:, c]))
        M[[c, piv]] = M[[piv, c]]
        M[c] = M[c] / M[c, c]
        for r in range(n):
            if r != c:
                M[r] -= M[r, c] * M[c]
    return M[:, n:]


def implicit_euler(p):
    y = p[0]
    h = 0.2
    for _step in range(5):
        z = y
        for _it in range(20):
            g = z - y - h * (-p[1] * z**3)
            dg = 1 + h * 3 * p[1] * z**2
            dz = g / dg
            z -= dz
            if abs(dz) < 1e-14:
                break
        y = z
    return y


def shooting(p):
    def rhs(y):
        return np.array([y[1], -p[0] * np.sin(y[0])])

    def endpoint(s):
        y = np.array([0.0, s])
        h = 0.1
        for _k in range(10):
            k1 = rhs(y)
            k2 = rhs(y + h / 2 * k1)
            k3 = rhs(y + h / 2 * k2)
            k4 = rhs(y + h * k3)
            y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        return y[0] - p[1]

    s0, s1 = 0.0, 2.0
    f0, f1 = endpoint(s0), endpoint(s1)
    for _it in range(30):
        if abs(f1) < 1e-13:
            break
        s0, s1 = s1, s1 - f1 * (s1 - s0) / (f1 - f0)
        f0, f1 = f1, endpoint(s1)
    return s1


def _det(M):
    n = len(M)
    if n == 1:
        return M[0][0]
    s = 0.0
    for j in range(n):
        minor = [row[:j] + row[j + 1 :] for row in M[1:]]
        s += (-1) ** j * M[0][j] * _det(minor)
    return s


def cofactor_det(p):
    M = [[p[0], 1.0, p[1]], [0.5, p[2], 2.0], [p[3], 0.3, 1.0]]
    return _det(M)


def _msort(xs):
    if len(xs) <= 1:
        return xs
    m = len(xs) // 2
    a, b = _msort(xs[:m]), _msort(xs[m:])
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    return out + a[i:] + b[j:]


def merge_sort_w(p):
    s = _msort([p[0], p[1] * 2, p[2] ** 2, p[3] - 1])
    return sum((k + 1) * v for k, v in enumerate(s))


def _strassen(A, B):
    n = A.shape[0]
    if n == 1:
        return A * B
    m = n // 2
    A11, A12, A21, A22 = A[:m, :m], A[:m, m:], A[m:, :m], A[m:, m:]
    B11, B12, B21, B22 = B[:m, :m], B[:m, m:], B[m:, :m], B[m:, m:]
    M1 = _strassen(A11 + A22, B11 + B22)
    M2 = _strassen(A21 + A22, B11)
    M3 = _strassen(A11, B12 - B22)
    M4 = _strassen(A22, B21 - B11)
    M5 = _strassen(A11 + A12, B22)
    M6 = _strassen(A21 - A11, B11 + B12)
    M7 = _strassen(A12 - A22, B21 + B22)
    return np.block([[M1 + M4 - M5 + M7, M3 + M5], [M2 + M4, M1 - M2 + M3 + M6]])


def strassen(p):
    A = np.outer(p, p[::-1]) + np.eye(4)
    return _strassen(A, A.T)


CASES = [
    Case(newton_vec, (W3,), (0,), extra="hvp"),
    Case(secant, (W3,), (0,), extra="hvp"),
    Case(fixed_point, (np.array([0.7, 0.7, 1.1]),), (0,), extra="hvp"),  # (contracting)
    Case(cg_inplace, (W3,), (0,), extra="hvp"),
    Case(power_iter, (W3,), (0,), extra="hvp"),
    Case(gauss_seidel, (W3,), (0,)),
    Case(sor, (W3,), (0,)),
    Case(line_search_obj, (W3,), (0,), extra="hvp"),
    Case(rk45, (W3,), (0,), extra="hvp"),
    Case(lu_pivot_fancy, (W3,), (0,), extra="hvp"),
    Case(lu_pivot_tuple_swap, (W3,), (0,)),
    Case(cholesky_loops, (W3,), (0,)),
    Case(thomas_inplace, (W3,), (0,)),
    Case(gs_modified, (W3,), (0,)),
    Case(householder_qr, (W3,), (0,), extra="hvp"),
    Case(decasteljau, (W3,), (0,), extra="hvp"),
    Case(clenshaw_x, (W3,), (0,), extra="hvp"),
    Case(dtw, (W4,), (0,), extra="hvp"),
    Case(softdtw, (W4,), (0,), extra="hvp"),
    Case(edit_cost, (W4,), (0,), extra="hvp"),
    Case(knn, (W4,), (0,), extra="hvp"),
    Case(interp_ss, (W4,), (0,)),
    Case(fft_power, (W4,), (0,), extra="hvp"),
    Case(dc_sum, (W4,), (0,), extra="hvp"),
    Case(memo_dict, (W4,), (0,), extra="hvp"),
    Case(mutual, (W4,), (0,), extra="hvp"),
    Case(proj_simplex, (WS,), (0,)),
    Case(viterbi, (W4,), (0,), extra="hvp"),
    Case(coord_descent, (W4,), (0,)),
    Case(kmeans, (W4,), (0,), extra="hvp"),
    Case(kruskal, (W4,), (0,), extra="hvp"),
    Case(neville, (W4,), (0,), extra="hvp"),
    Case(richardson, (W4,), (0,), extra="hvp"),
    Case(levinson, (W4,), (0,)),
    Case(kalman, (W4,), (0,), extra="hvp"),
    Case(natural_spline, (W4,), (0,)),
    Case(gauss_jordan_inv, (W4,), (0,)),
    Case(implicit_euler, (W4,), (0,), extra="hvp"),
    Case(shooting, (W4,), (0,), extra="hvp"),
    Case(cofactor_det, (W4,), (0,), extra="hvp"),
    Case(merge_sort_w, (W4,), (0,), extra="hvp"),
    Case(strassen, (W4,), (0,)),
]
