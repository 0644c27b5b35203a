"""Ported cases (session 48, hunt48b): the Polybench/C kernels written the way the C source does
it -- scalar loops over the arrays with in-place element updates (``A[i, j] -= ...``, and in
a third of them C's own ``A[i][j] -= ...``, a write through the row's view), writing
into the argument arrays as the C kernels do -- each wrapped as a scalar of its outputs. Reverse
mode through element writes in nested loops is what they stress. (corp9_poly has npbench's
vectorised versions of the same kernels.)

Float64 arrays and floats -> a float. Every row is checked forward, reverse and at second order."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(48200)


def _m(*shape: int) -> np.ndarray:
    return np.round(R.standard_normal(shape) * 0.5, 3)


def _spd(n: int) -> np.ndarray:
    a = _m(n, n)
    return a @ a.T + n * np.eye(n)


def _lower(n: int) -> np.ndarray:
    return np.tril(_m(n, n)) + 2.0 * np.eye(n)


# ---------------------------------------------------------------- linear-algebra/blas


def pb_gemm(alpha, beta, C, A, B):
    ni, nj = C.shape
    nk = A.shape[1]
    for i in range(ni):
        for j in range(nj):
            C[i][j] *= beta
        for k in range(nk):
            for j in range(nj):
                C[i][j] += alpha * A[i][k] * B[k][j]
    return np.sum(C * C)


def pb_gemver(alpha, beta, A, u1, v1, u2, v2, w, x, y, z):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            A[i, j] = A[i, j] + u1[i] * v1[j] + u2[i] * v2[j]
    for i in range(n):
        for j in range(n):
            x[i] = x[i] + beta * A[j, i] * y[j]
    for i in range(n):
        x[i] = x[i] + z[i]
    for i in range(n):
        for j in range(n):
            w[i] = w[i] + alpha * A[i, j] * x[j]
    return np.sum(np.sin(w)) + np.sum(x * x)


def pb_gesummv(alpha, beta, A, B, x):
    n = A.shape[0]
    tmp = np.zeros(n)
    y = np.zeros(n)
    for i in range(n):
        tmp[i] = 0.0
        y[i] = 0.0
        for j in range(n):
            tmp[i] = A[i, j] * x[j] + tmp[i]
            y[i] = B[i, j] * x[j] + y[i]
        y[i] = alpha * tmp[i] + beta * y[i]
    return np.sum(np.tanh(y))


def pb_symm(alpha, beta, C, A, B):
    m, n = C.shape
    for i in range(m):
        for j in range(n):
            temp2 = 0.0
            for k in range(i):
                C[k][j] += alpha * B[i][j] * A[i][k]
                temp2 += B[k][j] * A[i][k]
            C[i][j] = beta * C[i][j] + alpha * B[i][j] * A[i][i] + alpha * temp2
    return np.sum(C**2)


def pb_syr2k(alpha, beta, C, A, B):
    n, m = A.shape
    for i in range(n):
        for j in range(i + 1):
            C[i, j] *= beta
        for k in range(m):
            for j in range(i + 1):
                C[i, j] += A[j, k] * alpha * B[i, k] + B[j, k] * alpha * A[i, k]
    return np.sum(np.sin(C))


def pb_syrk(alpha, beta, C, A):
    n, m = A.shape
    for i in range(n):
        for j in range(i + 1):
            C[i, j] *= beta
        for k in range(m):
            for j in range(i + 1):
                C[i, j] += alpha * A[i, k] * A[j, k]
    return np.sum(C * C)


def pb_trmm(alpha, A, B):
    m, n = B.shape
    for i in range(m):
        for j in range(n):
            for k in range(i + 1, m):
                B[i, j] += A[k, i] * B[k, j]
            B[i, j] = alpha * B[i, j]
    return np.sum(B**2)


# ---------------------------------------------------------------- linear-algebra/kernels


def pb_2mm(alpha, beta, A, B, C, D):
    ni, nk = A.shape
    nj = B.shape[1]
    nl = C.shape[1]
    tmp = np.zeros((ni, nj))
    for i in range(ni):
        for j in range(nj):
            tmp[i, j] = 0.0
            for k in range(nk):
                tmp[i, j] += alpha * A[i, k] * B[k, j]
    for i in range(ni):
        for j in range(nl):
            D[i, j] *= beta
            for k in range(nj):
                D[i, j] += tmp[i, k] * C[k, j]
    return np.sum(D * D)


def pb_3mm(A, B, C, D):
    ni, nk = A.shape
    nj, nm = B.shape[1], C.shape[1]
    nl = D.shape[1]
    E = np.zeros((ni, nj))
    F = np.zeros((nj, nl))
    G = np.zeros((ni, nl))
    for i in range(ni):
        for j in range(nj):
            for k in range(nk):
                E[i, j] += A[i, k] * B[k, j]
    for i in range(nj):
        for j in range(nl):
            for k in range(nm):
                F[i, j] += C[i, k] * D[k, j]
    for i in range(ni):
        for j in range(nl):
            for k in range(nj):
                G[i, j] += E[i, k] * F[k, j]
    return np.sum(np.tanh(G))


def pb_atax(A, x):
    m, n = A.shape
    y = np.zeros(n)
    for i in range(m):
        tmp = 0.0
        for j in range(n):
            tmp += A[i, j] * x[j]
        for j in range(n):
            y[j] = y[j] + A[i, j] * tmp
    return np.sum(y * y)


def pb_bicg(A, p, r):
    n, m = A.shape
    s = np.zeros(m)
    q = np.zeros(n)
    for i in range(n):
        q[i] = 0.0
        for j in range(m):
            s[j] = s[j] + r[i] * A[i, j]
            q[i] = q[i] + A[i, j] * p[j]
    return np.sum(s * s) + np.sum(np.sin(q))


def pb_doitgen(A, C4):
    nr, nq, np_ = A.shape
    acc = np.zeros(np_)
    for r in range(nr):
        for q in range(nq):
            for p in range(np_):
                acc[p] = 0.0
                for s in range(np_):
                    acc[p] += A[r, q, s] * C4[s, p]
            for p in range(np_):
                A[r, q, p] = acc[p]
    return np.sum(A * A)


def pb_mvt(A, x1, x2, y1, y2):
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            x1[i] = x1[i] + A[i, j] * y1[j]
    for i in range(n):
        for j in range(n):
            x2[i] = x2[i] + A[j, i] * y2[j]
    return np.sum(x1 * x2)


# ---------------------------------------------------------------- linear-algebra/solvers


def pb_cholesky(A):
    n = A.shape[0]
    for i in range(n):
        for j in range(i):
            for k in range(j):
                A[i][j] -= A[i][k] * A[j][k]
            A[i][j] /= A[j][j]
        for k in range(i):
            A[i][i] -= A[i][k] * A[i][k]
        A[i][i] = math.sqrt(A[i][i])
    return np.sum(np.tril(A) ** 2) + np.sum(np.log(np.diag(A)))


def pb_durbin(r):
    n = r.shape[0]
    y = np.zeros(n)
    z = np.zeros(n)
    y[0] = -r[0]
    beta = 1.0
    alpha = -r[0]
    for k in range(1, n):
        beta = (1 - alpha * alpha) * beta
        acc = 0.0
        for i in range(k):
            acc += r[k - i - 1] * y[i]
        alpha = -(r[k] + acc) / beta
        for i in range(k):
            z[i] = y[i] + alpha * y[k - i - 1]
        for i in range(k):
            y[i] = z[i]
        y[k] = alpha
    return np.sum(y * np.arange(1.0, n + 1.0))


def pb_gramschmidt(A):
    m, n = A.shape
    Rm = np.zeros((n, n))
    Q = np.zeros((m, n))
    for k in range(n):
        nrm = 0.0
        for i in range(m):
            nrm += A[i][k] * A[i][k]
        Rm[k][k] = math.sqrt(nrm)
        for i in range(m):
            Q[i][k] = A[i][k] / Rm[k][k]
        for j in range(k + 1, n):
            Rm[k][j] = 0.0
            for i in range(m):
                Rm[k][j] += Q[i][k] * A[i][j]
            for i in range(m):
                A[i][j] = A[i][j] - Q[i][k] * Rm[k][j]
    return np.sum(Rm * Rm * 0.5) + np.sum(np.sin(Q))


def pb_lu(A):
    n = A.shape[0]
    for i in range(n):
        for j in range(i):
            for k in range(j):
                A[i][j] -= A[i][k] * A[k][j]
            A[i][j] /= A[j][j]
        for j in range(i, n):
            for k in range(i):
                A[i][j] -= A[i][k] * A[k][j]
    return np.sum(A * A)


def pb_ludcmp(A, b):
    n = A.shape[0]
    x = np.zeros(n)
    y = np.zeros(n)
    for i in range(n):
        for j in range(i):
            w = A[i, j]
            for k in range(j):
                w -= A[i, k] * A[k, j]
            A[i, j] = w / A[j, j]
        for j in range(i, n):
            w = A[i, j]
            for k in range(i):
                w -= A[i, k] * A[k, j]
            A[i, j] = w
    for i in range(n):
        w = b[i]
        for j in range(i):
            w -= A[i, j] * y[j]
        y[i] = w
    for i in range(n - 1, -1, -1):
        w = y[i]
        for j in range(i + 1, n):
            w -= A[i, j] * x[j]
        x[i] = w / A[i, i]
    return np.sum(x * x)


def pb_trisolv(L, b):
    n = L.shape[0]
    x = np.zeros(n)
    for i in range(n):
        x[i] = b[i]
        for j in range(i):
            x[i] -= L[i, j] * x[j]
        x[i] = x[i] / L[i, i]
    return np.sum(x**3)


# ---------------------------------------------------------------- datamining


def pb_correlation(data):
    n, m = data.shape
    float_n = float(n)
    eps = 0.1
    mean = np.zeros(m)
    stddev = np.zeros(m)
    corr = np.zeros((m, m))
    for j in range(m):
        mean[j] = 0.0
        for i in range(n):
            mean[j] += data[i][j]
        mean[j] /= float_n
    for j in range(m):
        stddev[j] = 0.0
        for i in range(n):
            stddev[j] += (data[i][j] - mean[j]) * (data[i][j] - mean[j])
        stddev[j] /= float_n
        stddev[j] = math.sqrt(stddev[j])
        stddev[j] = 1.0 if stddev[j] <= eps else stddev[j]
    for i in range(n):
        for j in range(m):
            data[i][j] -= mean[j]
            data[i][j] /= math.sqrt(float_n) * stddev[j]
    for i in range(m - 1):
        corr[i][i] = 1.0
        for j in range(i + 1, m):
            corr[i][j] = 0.0
            for k in range(n):
                corr[i][j] += data[k][i] * data[k][j]
            corr[j][i] = corr[i][j]
    corr[m - 1][m - 1] = 1.0
    return np.sum(corr * np.arange(1.0, m * m + 1.0).reshape(m, m))


def pb_covariance(data):
    n, m = data.shape
    float_n = float(n)
    mean = np.zeros(m)
    cov = np.zeros((m, m))
    for j in range(m):
        mean[j] = 0.0
        for i in range(n):
            mean[j] += data[i, j]
        mean[j] /= float_n
    for i in range(n):
        for j in range(m):
            data[i, j] -= mean[j]
    for i in range(m):
        for j in range(i, m):
            cov[i, j] = 0.0
            for k in range(n):
                cov[i, j] += data[k, i] * data[k, j]
            cov[i, j] /= float_n - 1.0
            cov[j, i] = cov[i, j]
    return np.sum(np.sin(cov))


# ---------------------------------------------------------------- medley


def pb_floyd_warshall(path):
    n = path.shape[0]
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if path[i][j] < path[i][k] + path[k][j]:
                    path[i][j] = path[i][j]
                else:
                    path[i][j] = path[i][k] + path[k][j]
    return np.sum(path * path)


def pb_nussinov(w):
    """The RNA-folding table with real pair scores ``w[i, j]`` in place of the 0/1 match."""
    n = w.shape[0]
    table = np.zeros((n, n))
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if j - 1 >= 0:
                table[i, j] = max(table[i, j], table[i, j - 1])
            if i + 1 < n:
                table[i, j] = max(table[i, j], table[i + 1, j])
            if j - 1 >= 0 and i + 1 < n:
                if i < j - 1:
                    table[i, j] = max(table[i, j], table[i + 1, j - 1] + w[i, j])
                else:
                    table[i, j] = max(table[i, j], table[i + 1, j - 1])
            for k in range(i + 1, j):
                table[i, j] = max(table[i, j], table[i, k] + table[k + 1, j])
    return table[0, n - 1] + 0.1 * np.sum(table)


def pb_deriche(alpha, imgIn):
    w, h = imgIn.shape
    y1 = np.zeros((w, h))
    y2 = np.zeros((w, h))
    imgOut = np.zeros((w, h))
    k = (1.0 - math.exp(-alpha)) ** 2 / (
        1.0 + 2.0 * alpha * math.exp(-alpha) - math.exp(2.0 * alpha)
    )
    a1 = a5 = k
    a2 = a6 = k * math.exp(-alpha) * (alpha - 1.0)
    a3 = a7 = k * math.exp(-alpha) * (alpha + 1.0)
    a4 = a8 = -k * math.exp(-2.0 * alpha)
    b1 = 2.0 ** (-alpha)
    b2 = -math.exp(-2.0 * alpha)
    c1 = c2 = 1.0
    for i in range(w):
        ym1 = ym2 = xm1 = 0.0
        for j in range(h):
            y1[i][j] = a1 * imgIn[i][j] + a2 * xm1 + b1 * ym1 + b2 * ym2
            xm1 = imgIn[i][j]
            ym2 = ym1
            ym1 = y1[i][j]
    for i in range(w):
        yp1 = yp2 = xp1 = xp2 = 0.0
        for j in range(h - 1, -1, -1):
            y2[i][j] = a3 * xp1 + a4 * xp2 + b1 * yp1 + b2 * yp2
            xp2 = xp1
            xp1 = imgIn[i][j]
            yp2 = yp1
            yp1 = y2[i][j]
    for i in range(w):
        for j in range(h):
            imgOut[i][j] = c1 * (y1[i][j] + y2[i][j])
    for j in range(h):
        tm1 = ym1 = ym2 = 0.0
        for i in range(w):
            y1[i][j] = a5 * imgOut[i][j] + a6 * tm1 + b1 * ym1 + b2 * ym2
            tm1 = imgOut[i][j]
            ym2 = ym1
            ym1 = y1[i][j]
    for j in range(h):
        tp1 = tp2 = yp1 = yp2 = 0.0
        for i in range(w - 1, -1, -1):
            y2[i][j] = a7 * tp1 + a8 * tp2 + b1 * yp1 + b2 * yp2
            tp2 = tp1
            tp1 = imgOut[i][j]
            yp2 = yp1
            yp1 = y2[i][j]
    for i in range(w):
        for j in range(h):
            imgOut[i][j] = c2 * (y1[i][j] + y2[i][j])
    return np.sum(imgOut * imgOut)


# ---------------------------------------------------------------- stencils


def pb_adi(u, tsteps=2):
    n = u.shape[0]
    v = np.zeros((n, n))
    p = np.zeros((n, n))
    q = np.zeros((n, n))
    DX = 1.0 / n
    DY = 1.0 / n
    DT = 1.0 / tsteps
    B1, B2 = 2.0, 1.0
    mul1 = B1 * DT / (DX * DX)
    mul2 = B2 * DT / (DY * DY)
    a = -mul1 / 2.0
    b = 1.0 + mul1
    c = a
    d = -mul2 / 2.0
    e = 1.0 + mul2
    f = d
    for _t in range(1, tsteps + 1):
        for i in range(1, n - 1):
            v[0][i] = 1.0
            p[i][0] = 0.0
            q[i][0] = v[0][i]
            for j in range(1, n - 1):
                p[i][j] = -c / (a * p[i][j - 1] + b)
                q[i][j] = (
                    -d * u[j][i - 1] + (1.0 + 2.0 * d) * u[j][i] - f * u[j][i + 1] - a * q[i][j - 1]
                ) / (a * p[i][j - 1] + b)
            v[n - 1][i] = 1.0
            for j in range(n - 2, 0, -1):
                v[j][i] = p[i][j] * v[j + 1][i] + q[i][j]
        for i in range(1, n - 1):
            u[i][0] = 1.0
            p[i][0] = 0.0
            q[i][0] = u[i][0]
            for j in range(1, n - 1):
                p[i][j] = -f / (d * p[i][j - 1] + e)
                q[i][j] = (
                    -a * v[i - 1][j] + (1.0 + 2.0 * a) * v[i][j] - c * v[i + 1][j] - d * q[i][j - 1]
                ) / (d * p[i][j - 1] + e)
            u[i][n - 1] = 1.0
            for j in range(n - 2, 0, -1):
                u[i][j] = p[i][j] * u[i][j + 1] + q[i][j]
    return np.sum(u * u)


def pb_fdtd_2d(ex, ey, hz, fict):
    nx, ny = ex.shape
    for t in range(fict.shape[0]):
        for j in range(ny):
            ey[0, j] = fict[t]
        for i in range(1, nx):
            for j in range(ny):
                ey[i, j] = ey[i, j] - 0.5 * (hz[i, j] - hz[i - 1, j])
        for i in range(nx):
            for j in range(1, ny):
                ex[i, j] = ex[i, j] - 0.5 * (hz[i, j] - hz[i, j - 1])
        for i in range(nx - 1):
            for j in range(ny - 1):
                hz[i, j] = hz[i, j] - 0.7 * (ex[i, j + 1] - ex[i, j] + ey[i + 1, j] - ey[i, j])
    return np.sum(hz * hz) + np.sum(ex * ey)


def pb_heat_3d(A, tsteps=2):
    n = A.shape[0]
    B = A.copy()
    for _t in range(1, tsteps + 1):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                for k in range(1, n - 1):
                    B[i][j][k] = (
                        0.125 * (A[i + 1][j][k] - 2.0 * A[i][j][k] + A[i - 1][j][k])
                        + 0.125 * (A[i][j + 1][k] - 2.0 * A[i][j][k] + A[i][j - 1][k])
                        + 0.125 * (A[i][j][k + 1] - 2.0 * A[i][j][k] + A[i][j][k - 1])
                        + A[i][j][k]
                    )
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                for k in range(1, n - 1):
                    A[i][j][k] = (
                        0.125 * (B[i + 1][j][k] - 2.0 * B[i][j][k] + B[i - 1][j][k])
                        + 0.125 * (B[i][j + 1][k] - 2.0 * B[i][j][k] + B[i][j - 1][k])
                        + 0.125 * (B[i][j][k + 1] - 2.0 * B[i][j][k] + B[i][j][k - 1])
                        + B[i][j][k]
                    )
    return np.sum(A**3)


def pb_jacobi_1d(A, B, tsteps=3):
    n = A.shape[0]
    for _t in range(tsteps):
        for i in range(1, n - 1):
            B[i] = 0.33333 * (A[i - 1] + A[i] + A[i + 1])
        for i in range(1, n - 1):
            A[i] = 0.33333 * (B[i - 1] + B[i] + B[i + 1])
    return np.sum(np.sin(A)) + np.sum(B * B)


def pb_jacobi_2d(A, B, tsteps=2):
    n = A.shape[0]
    for _t in range(tsteps):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                B[i, j] = 0.2 * (A[i, j] + A[i, j - 1] + A[i, 1 + j] + A[1 + i, j] + A[i - 1, j])
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                A[i, j] = 0.2 * (B[i, j] + B[i, j - 1] + B[i, 1 + j] + B[1 + i, j] + B[i - 1, j])
    return np.sum(A * A * A)


def pb_seidel_2d(A, tsteps=2):
    n = A.shape[0]
    for _t in range(tsteps):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                A[i][j] = (
                    A[i - 1][j - 1]
                    + A[i - 1][j]
                    + A[i - 1][j + 1]
                    + A[i][j - 1]
                    + A[i][j]
                    + A[i][j + 1]
                    + A[i + 1][j - 1]
                    + A[i + 1][j]
                    + A[i + 1][j + 1]
                ) / 9.0
    return np.sum(np.tanh(A) * A)


def _c(fn, *args, **kw):
    """A row differentiated in every float argument."""
    diff = tuple(i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray)))
    return Case(fn, args, diff, extra="hvp", **kw)


def _fw_path(n: int) -> np.ndarray:
    return np.abs(_m(n, n)) * 3.0 + 0.5  # (a zero diagonal ties min(d, d + 0): not differentiable)


CASES = [
    _c(pb_gemm, 1.5, 1.2, _m(4, 5), _m(4, 3), _m(3, 5)),
    _c(pb_gemver, 1.5, 1.2, _m(4, 4), *(_m(4) for _ in range(8))),
    _c(pb_gesummv, 1.5, 1.2, _m(5, 5), _m(5, 5), _m(5)),
    _c(pb_symm, 1.5, 1.2, _m(4, 3), _m(4, 4), _m(4, 3)),
    _c(pb_syr2k, 1.5, 1.2, _m(4, 4), _m(4, 3), _m(4, 3)),
    _c(pb_syrk, 1.5, 1.2, _m(4, 4), _m(4, 3)),
    _c(pb_trmm, 1.5, _m(4, 4), _m(4, 3)),
    _c(pb_2mm, 1.5, 1.2, _m(3, 4), _m(4, 3), _m(3, 5), _m(3, 5)),
    _c(pb_3mm, _m(3, 4), _m(4, 3), _m(3, 5), _m(5, 2)),
    _c(pb_atax, _m(4, 5), _m(5)),
    _c(pb_bicg, _m(4, 5), _m(5), _m(4)),
    _c(pb_doitgen, _m(2, 3, 4), _m(4, 4)),
    _c(pb_mvt, _m(4, 4), _m(4), _m(4), _m(4), _m(4)),
    _c(pb_cholesky, _spd(4)),
    _c(pb_durbin, np.array([0.2, -0.1, 0.08, 0.05, -0.03])),
    _c(pb_gramschmidt, _m(5, 3) + np.eye(5, 3)),
    _c(pb_lu, _spd(4)),
    _c(pb_ludcmp, _spd(4), _m(4)),
    _c(pb_trisolv, _lower(5), _m(5)),
    _c(pb_correlation, _m(6, 4)),
    _c(pb_covariance, _m(6, 4)),
    _c(pb_floyd_warshall, _fw_path(4), jitter=0.0),
    _c(pb_nussinov, np.abs(_m(5, 5)) + 0.1, jitter=0.0),
    _c(pb_deriche, 0.25, _m(4, 5)),
    _c(pb_adi, _m(5, 5)),
    _c(pb_fdtd_2d, _m(4, 5), _m(4, 5), _m(4, 5), _m(3)),
    _c(pb_heat_3d, _m(4, 4, 4)),
    _c(pb_jacobi_1d, _m(6), _m(6)),
    _c(pb_jacobi_2d, _m(5, 5), _m(5, 5)),
    _c(pb_seidel_2d, _m(5, 5)),
]
