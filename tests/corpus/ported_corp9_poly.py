"""Ported cases (session 9, corp9), written anew as user code:
npbench's polybench kernels (linear algebra, stencils, solvers, dynamic programming), each
wrapped as a scalar loss of one float vector.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math  # noqa: F401

import numpy as np
import scipy.linalg as sla  # noqa: F401
from scipy import special  # noqa: F401

from . import Case

R = np.random.default_rng(15200011)
XS = np.round(R.standard_normal(80) * 0.5 + 0.1, 3)
NB_A45 = R.standard_normal((4, 5))
NB_M44 = R.standard_normal((4, 4))
NB_V4 = R.standard_normal(4)


def nb_atax(x):
    a = x[:20].reshape(4, 5)
    v = x[20:25]
    return np.sum((a @ v) @ a)


def nb_bicg(x):
    a = x[:20].reshape(4, 5)
    s, q = x[20:24] @ a, a @ x[24:29]
    return np.sum(s**2) + np.sum(q)


def nb_gemm(x):
    c = np.outer(x[:4], x[4:8])
    alpha, beta = x[0], 1.5
    c[:] = alpha * NB_M44 @ c + beta * c
    return np.sum(c**2)


def nb_gemver(x):
    a = NB_M44.copy()
    u1, v1, u2, v2 = x[:4], x[4:8], x[8:12], x[12:16]
    w = np.zeros(4)
    xx = np.ones(4)
    y, z = NB_V4, x[:4] * 0.5
    alpha, beta = 1.2, 0.7
    a += np.outer(u1, v1) + np.outer(u2, v2)
    xx += beta * y @ a + z
    w += alpha * a @ xx
    return np.sum(w**2)


def nb_gesummv(x):
    a = x[:16].reshape(4, 4)
    v = x[16:20]
    return np.sum(np.sin(1.5 * a @ v + 0.5 * NB_M44 @ v))


def nb_mvt(x):
    a = x[:16].reshape(4, 4)
    x1 = np.zeros(4)
    x2 = x[16:20].copy()
    x1 += a @ NB_V4
    x2 += x[:4] @ a
    return np.sum(x1 * x2)


def nb_syrk(x):
    a = x[:12].reshape(4, 3)
    c = NB_M44.copy()
    alpha, beta = 1.5, 1.2
    for i in range(a.shape[0]):
        c[i, : i + 1] *= beta
        for k in range(a.shape[1]):
            c[i, : i + 1] += alpha * a[i, k] * a[: i + 1, k]
    return np.sum(c**2)


def nb_syr2k(x):
    a = x[:12].reshape(4, 3)
    b = x[12:24].reshape(4, 3)
    c = np.ones((4, 4))
    alpha, beta = 1.5, x[0]
    for i in range(a.shape[0]):
        c[i, : i + 1] *= beta
        for k in range(a.shape[1]):
            c[i, : i + 1] += a[: i + 1, k] * alpha * b[i, k] + b[: i + 1, k] * alpha * a[i, k]
    return np.sum(np.tanh(c))


def nb_trmm(x):
    a = x[:16].reshape(4, 4)
    b = x[16:28].reshape(4, 3).copy()
    alpha = 1.5
    for i in range(b.shape[0]):
        for j in range(b.shape[1]):
            b[i, j] += np.dot(a[i + 1 :, i], b[i + 1 :, j])
    b *= alpha
    return np.sum(b**2)


def nb_symm(x):
    a = x[:16].reshape(4, 4)
    b = x[16:28].reshape(4, 3)
    c = np.ones((4, 3))
    alpha, beta = 1.5, 1.2
    temp2 = np.empty((c.shape[1],), dtype=c.dtype)
    c *= beta
    for i in range(c.shape[0]):
        for j in range(c.shape[1]):
            c[:i, j] += alpha * b[i, j] * a[i, :i]
            temp2[j] = b[:i, j] @ a[i, :i]
        c[i, :] += alpha * b[i, :] * a[i, i] + alpha * temp2
    return np.sum(c**2)


def nb_doitgen(x):
    nr, nq, np_ = 2, 3, 4
    a = x[:24].reshape(nr, nq, np_).copy()
    c4 = NB_M44
    a[:] = np.reshape(np.reshape(a, (nr, nq, 1, np_)) @ c4, (nr, nq, np_))
    return np.sum(a**2)


def nb_2mm(x):
    a = x[:12].reshape(4, 3)
    b = x[12:24].reshape(3, 4)
    d = NB_M44.copy()
    d[:] = 1.5 * a @ b @ NB_M44 + 1.2 * d
    return np.sum(d**2)


def nb_3mm(x):
    a = x[:12].reshape(4, 3)
    b = x[12:24].reshape(3, 4)
    return np.sum(np.cos(a @ b @ NB_M44 @ NB_A45))


def nb_jacobi_1d(x):
    a = x.copy()
    b = np.zeros_like(x)
    for _t in range(1, 4):
        b[1:-1] = 0.33333 * (a[:-2] + a[1:-1] + a[2:])
        a[1:-1] = 0.33333 * (b[:-2] + b[1:-1] + b[2:])
    return np.sum(a**2)


def nb_jacobi_2d(x):
    a = x[:25].reshape(5, 5).copy()
    b = np.zeros((5, 5))
    for _t in range(1, 3):
        b[1:-1, 1:-1] = 0.2 * (
            a[1:-1, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:] + a[2:, 1:-1] + a[:-2, 1:-1]
        )
        a[1:-1, 1:-1] = 0.2 * (
            b[1:-1, 1:-1] + b[1:-1, :-2] + b[1:-1, 2:] + b[2:, 1:-1] + b[:-2, 1:-1]
        )
    return np.sum(a**3)


def nb_heat_3d(x):
    a = x[:27].reshape(3, 3, 3).copy()
    b = a * 0.5
    for _t in range(1, 3):
        b[1:-1, 1:-1, 1:-1] = (
            0.125 * (a[2:, 1:-1, 1:-1] - 2.0 * a[1:-1, 1:-1, 1:-1] + a[:-2, 1:-1, 1:-1])
            + 0.125 * (a[1:-1, 2:, 1:-1] - 2.0 * a[1:-1, 1:-1, 1:-1] + a[1:-1, :-2, 1:-1])
            + 0.125 * (a[1:-1, 1:-1, 2:] - 2.0 * a[1:-1, 1:-1, 1:-1] + a[1:-1, 1:-1, 0:-2])
            + a[1:-1, 1:-1, 1:-1]
        )
        a[1:-1, 1:-1, 1:-1] = (
            0.125 * (b[2:, 1:-1, 1:-1] - 2.0 * b[1:-1, 1:-1, 1:-1] + b[:-2, 1:-1, 1:-1])
            + 0.125 * (b[1:-1, 2:, 1:-1] - 2.0 * b[1:-1, 1:-1, 1:-1] + b[1:-1, :-2, 1:-1])
            + 0.125 * (b[1:-1, 1:-1, 2:] - 2.0 * b[1:-1, 1:-1, 1:-1] + b[1:-1, 1:-1, 0:-2])
            + b[1:-1, 1:-1, 1:-1]
        )
    return np.sum(a**2) + np.sum(b**2)


def nb_fdtd_2d(x):
    ex = x[:12].reshape(3, 4).copy()
    ey = x[12:24].reshape(3, 4).copy()
    hz = np.ones((3, 4)) * x[0]
    fict = np.array([0.1, 0.2, 0.3])
    for t in range(3):
        ey[0, :] = fict[t]
        ey[1:, :] -= 0.5 * (hz[1:, :] - hz[:-1, :])
        ex[:, 1:] -= 0.5 * (hz[:, 1:] - hz[:, :-1])
        hz[:-1, :-1] -= 0.7 * (ex[:-1, 1:] - ex[:-1, :-1] + ey[1:, :-1] - ey[:-1, :-1])
    return np.sum(hz**2) + np.sum(ex * ey)


def nb_seidel_2d(x):
    n = 5
    a = x[:25].reshape(n, n).copy()
    for _t in range(0, 2):
        for i in range(1, n - 1):
            a[i, 1:-1] += (
                a[i - 1, :-2]
                + a[i - 1, 1:-1]
                + a[i - 1, 2:]
                + a[i, 2:]
                + a[i + 1, :-2]
                + a[i + 1, 1:-1]
                + a[i + 1, 2:]
            )
            for j in range(1, n - 1):
                a[i, j] += a[i, j - 1]
                a[i, j] /= 9.0
    return np.sum(a**2)


def nb_adi(x):
    n, tsteps = 5, 2
    u = x[:25].reshape(n, n).copy()
    v = np.empty(u.shape, dtype=u.dtype)
    p = np.empty(u.shape, dtype=u.dtype)
    q = np.empty(u.shape, dtype=u.dtype)
    dx = 1.0 / n
    dy = 1.0 / n
    dt = 1.0 / tsteps
    mul1 = 2.0 * dt / (dx * dx)
    mul2 = 1.0 * dt / (dy * dy)
    a = -mul1 / 2.0
    b = 1.0 + mul2
    c = a
    d = -mul2 / 2.0
    e = 1.0 + mul2
    f = d
    for _t in range(1, tsteps + 1):
        v[0, 1 : n - 1] = 1.0
        p[1 : n - 1, 0] = 0.0
        q[1 : n - 1, 0] = v[0, 1 : n - 1]
        for j in range(1, n - 1):
            p[1 : n - 1, j] = -c / (a * p[1 : n - 1, j - 1] + b)
            q[1 : n - 1, j] = (
                -d * u[j, 0 : n - 2]
                + (1.0 + 2.0 * d) * u[j, 1 : n - 1]
                - f * u[j, 2:n]
                - a * q[1 : n - 1, j - 1]
            ) / (a * p[1 : n - 1, j - 1] + b)
        v[n - 1, 1 : n - 1] = 1.0
        for j in range(n - 2, 0, -1):
            v[j, 1 : n - 1] = p[1 : n - 1, j] * v[j + 1, 1 : n - 1] + q[1 : n - 1, j]
        u[1 : n - 1, 0] = 1.0
        p[1 : n - 1, 0] = 0.0
        q[1 : n - 1, 0] = u[1 : n - 1, 0]
        for j in range(1, n - 1):
            p[1 : n - 1, j] = -f / (d * p[1 : n - 1, j - 1] + e)
            q[1 : n - 1, j] = (
                -a * v[0 : n - 2, j]
                + (1.0 + 2.0 * a) * v[1 : n - 1, j]
                - c * v[2:n, j]
                - d * q[1 : n - 1, j - 1]
            ) / (d * p[1 : n - 1, j - 1] + e)
        u[1 : n - 1, n - 1] = 1.0
        for j in range(n - 2, 0, -1):
            u[1 : n - 1, j] = p[1 : n - 1, j] * u[1 : n - 1, j + 1] + q[1 : n - 1, j]
    return np.sum(u**2)


def nb_durbin(x):
    r = x[:5] * 0.3
    y = np.empty_like(r)
    alpha = -r[0]
    beta = 1.0
    y[0] = -r[0]
    for k in range(1, r.shape[0]):
        beta *= 1.0 - alpha * alpha
        alpha = -(r[k] + np.dot(np.flip(r[:k]), y[:k])) / beta
        y[:k] += alpha * np.flip(y[:k])
        y[k] = alpha
    return np.sum(y**2)


def nb_gramschmidt(x):
    a = x[:12].reshape(4, 3).copy()
    q = np.zeros_like(a)
    r = np.zeros((a.shape[1], a.shape[1]), dtype=a.dtype)
    for k in range(a.shape[1]):
        nrm = np.dot(a[:, k], a[:, k])
        r[k, k] = np.sqrt(nrm)
        q[:, k] = a[:, k] / r[k, k]
        for j in range(k + 1, a.shape[1]):
            r[k, j] = np.dot(q[:, k], a[:, j])
            a[:, j] -= q[:, k] * r[k, j]
    return np.sum(q * NB_A45[:, :3]) + np.sum(r**2)


def _spd(x):
    m = x[:16].reshape(4, 4)
    return m @ m.T + 4.0 * np.eye(4)


def nb_lu(x):
    a = _spd(x)
    for i in range(a.shape[0]):
        for j in range(i):
            a[i, j] -= a[i, :j] @ a[:j, j]
            a[i, j] /= a[j, j]
        for j in range(i, a.shape[0]):
            a[i, j] -= a[i, :i] @ a[:i, j]
    return np.sum(a**2)


def nb_ludcmp(x):
    a = _spd(x)
    b = x[16:20]
    xs = np.zeros_like(b)
    y = np.zeros_like(b)
    for i in range(a.shape[0]):
        for j in range(i):
            a[i, j] -= a[i, :j] @ a[:j, j]
            a[i, j] /= a[j, j]
        for j in range(i, a.shape[0]):
            a[i, j] -= a[i, :i] @ a[:i, j]
    for i in range(a.shape[0]):
        y[i] = b[i] - a[i, :i] @ y[:i]
    for i in range(a.shape[0] - 1, -1, -1):
        xs[i] = (y[i] - a[i, i + 1 :] @ xs[i + 1 :]) / a[i, i]
    return np.sum(xs) + np.sum(y**2)


def nb_cholesky(x):
    a = _spd(x)
    a[0, 0] = np.sqrt(a[0, 0])
    for i in range(1, a.shape[0]):
        for j in range(i):
            a[i, j] -= np.dot(a[i, :j], a[j, :j])
            a[i, j] /= a[j, j]
        a[i, i] -= np.dot(a[i, :i], a[i, :i])
        a[i, i] = np.sqrt(a[i, i])
    return np.sum(np.tril(a) ** 2) + np.sum(a)


def nb_cholesky2(x):
    a = _spd(x)
    a[:] = np.linalg.cholesky(a) + np.triu(a, k=1)
    return np.sum(a**2)


def nb_trisolv(x):
    lm = np.tril(x[:16].reshape(4, 4)) + 3.0 * np.eye(4)
    b = x[16:20]
    xs = np.zeros(4)
    for i in range(xs.shape[0]):
        xs[i] = (b[i] - lm[i, :i] @ xs[:i]) / lm[i, i]
    return np.sum(xs**2)


def nb_deriche(x):
    img = x[:20].reshape(4, 5)
    alpha = 0.25
    k = (
        (1.0 - np.exp(-alpha))
        * (1.0 - np.exp(-alpha))
        / (1.0 + alpha * np.exp(-alpha) - np.exp(2.0 * alpha))
    )
    a1 = a5 = k
    a2 = a6 = k * np.exp(-alpha) * (alpha - 1.0)
    a3 = a7 = k * np.exp(-alpha) * (alpha + 1.0)
    a4 = a8 = -k * np.exp(-2.0 * alpha)
    b1 = 2.0 ** (-alpha)
    b2 = -np.exp(-2.0 * alpha)
    c1 = c2 = 1
    y1 = np.empty_like(img)
    y1[:, 0] = a1 * img[:, 0]
    y1[:, 1] = a1 * img[:, 1] + a2 * img[:, 0] + b1 * y1[:, 0]
    for j in range(2, img.shape[1]):
        y1[:, j] = a1 * img[:, j] + a2 * img[:, j - 1] + b1 * y1[:, j - 1] + b2 * y1[:, j - 2]
    y2 = np.empty_like(img)
    y2[:, -1] = 0.0
    y2[:, -2] = a3 * img[:, -1]
    for j in range(img.shape[1] - 3, -1, -1):
        y2[:, j] = a3 * img[:, j + 1] + a4 * img[:, j + 2] + b1 * y2[:, j + 1] + b2 * y2[:, j + 2]
    out = c1 * (y1 + y2)
    y1[0, :] = a5 * out[0, :]
    y1[1, :] = a5 * out[1, :] + a6 * out[0, :] + b1 * y1[0, :]
    for i in range(2, img.shape[0]):
        y1[i, :] = a5 * out[i, :] + a6 * out[i - 1, :] + b1 * y1[i - 1, :] + b2 * y1[i - 2, :]
    y2[-1, :] = 0.0
    y2[-2, :] = a7 * out[-1, :]
    for i in range(img.shape[0] - 3, -1, -1):
        y2[i, :] = a7 * out[i + 1, :] + a8 * out[i + 2, :] + b1 * y2[i + 1, :] + b2 * y2[i + 2, :]
    out[:] = c2 * (y1 + y2)
    return np.sum(out**2)


def nb_deriche_alpha(alpha):
    img = NB_A45
    k = (
        (1.0 - np.exp(-alpha))
        * (1.0 - np.exp(-alpha))
        / (1.0 + alpha * np.exp(-alpha) - np.exp(2.0 * alpha))
    )
    a2 = k * np.exp(-alpha) * (alpha - 1.0)
    b1 = 2.0 ** (-alpha)
    b2 = -np.exp(-2.0 * alpha)
    y1 = np.empty_like(img)
    y1[:, 0] = k * img[:, 0]
    y1[:, 1] = k * img[:, 1] + a2 * img[:, 0] + b1 * y1[:, 0]
    for j in range(2, img.shape[1]):
        y1[:, j] = k * img[:, j] + a2 * img[:, j - 1] + b1 * y1[:, j - 1] + b2 * y1[:, j - 2]
    return np.sum(y1**2)


def nb_correlation(x):
    m, float_n = 4, 5.0
    data = x[:20].reshape(5, 4).copy()
    mean = np.mean(data, axis=0)
    stddev = np.std(data, axis=0)
    stddev[stddev <= 0.1] = 1.0
    data -= mean
    data /= np.sqrt(float_n) * stddev
    corr = np.eye(m, dtype=data.dtype)
    for i in range(m - 1):
        corr[i + 1 : m, i] = corr[i, i + 1 : m] = data[:, i] @ data[:, i + 1 : m]
    return np.sum(corr * NB_M44)


def nb_covariance(x):
    m, float_n = 4, 5.0
    data = x[:20].reshape(5, 4).copy()
    mean = np.mean(data, axis=0)
    data -= mean
    cov = np.zeros((m, m), dtype=data.dtype)
    for i in range(m):
        cov[i:m, i] = cov[i, i:m] = data[:, i] @ data[:, i:m] / (float_n - 1.0)
    return np.sum(cov * NB_M44)


def nb_covariance2(x):
    data = x[:20].reshape(5, 4)
    return np.sum(np.cov(np.transpose(data)) * NB_M44)


def nb_floyd_warshall(x):
    path = np.abs(x[:16].reshape(4, 4)) + 1.0
    for k in range(path.shape[0]):
        path[:] = np.minimum(path[:], np.add.outer(path[:, k], path[k, :]))
    return np.sum(path**2)


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(nb_atax, XS),
    _hvp(nb_bicg, XS),
    _hvp(nb_gemm, XS),
    _hvp(nb_gemver, XS),
    _hvp(nb_gesummv, XS),
    _hvp(nb_mvt, XS),
    _hvp(nb_syrk, XS),
    _hvp(nb_syr2k, XS),
    _hvp(nb_trmm, XS),
    _hvp(nb_symm, XS),
    _hvp(nb_doitgen, XS),
    _hvp(nb_2mm, XS),
    _hvp(nb_3mm, XS),
    _hvp(nb_jacobi_1d, XS),
    _hvp(nb_jacobi_2d, XS),
    _hvp(nb_heat_3d, XS),
    _hvp(nb_fdtd_2d, XS),
    _hvp(nb_seidel_2d, XS),
    _hvp(nb_adi, XS),
    _hvp(nb_durbin, XS),
    _hvp(nb_gramschmidt, XS),
    _hvp(nb_lu, XS),
    _hvp(nb_ludcmp, XS),
    _hvp(nb_cholesky, XS),
    _hvp(nb_cholesky2, XS),
    _hvp(nb_trisolv, XS),
    _hvp(nb_deriche, XS),
    _hvp(nb_deriche_alpha, 0.25),
    _hvp(nb_correlation, XS),
    _hvp(nb_covariance, XS),
    _hvp(nb_covariance2, XS),
    _hvp(nb_floyd_warshall, XS, jitter=0.0),
]
