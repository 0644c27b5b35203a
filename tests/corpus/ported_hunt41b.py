"""Ported cases (session 41, hunt41b): held-out-style programs of the hunt41b session that
covered what the corpus lacked: parts of ``np.split(.., axis=1)`` read by an index (a wrong
gradient before), the singular values of a symmetric indefinite matrix through
``np.linalg.svd(hermitian=True)`` (refused before), ``np.moveaxis``/``np.atleast_2d``/``np.tril``
views of a square root read in part (a NaN gradient before), ``np.ndenumerate`` weights, a
1-D finite-element bar assembled with ``np.add.at`` and a Dirichlet row edit, a sphere
raytracer, SPH densities over neighbour lists, a Gaussian-process likelihood whose Cholesky
retries with jitter in ``try``/``except``, soft-DTW over a list of lists with ``math``, an HMM's
forward algorithm with ``np.logaddexp.reduce``, a complex-step derivative inside the function,
and a conv2d by ``sliding_window_view`` and ``einsum`` with a reshape max-pool.

Float64 arrays and floats -> floats."""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import Case

R = np.random.default_rng(41002)
MP = np.array([[0.7, 1.4, 0.3], [2.2, 0.9, 1.7], [0.5, 0.4, 1.1]])
IND = np.array([[1.0, 0.4, 0.3], [0.2, -2.0, 0.5], [0.7, 0.1, 0.6]])
XN = np.array([0.7, -1.4, 0.3, -2.2, 0.9, 1.7])
KERNEL = R.normal(size=(3, 3))


def split_feature_blocks(m):
    r = np.sqrt(m)
    left = np.split(r, 3, axis=1)[0][[0, 2]]
    rows = np.split(r, [1], axis=0)[1]
    return np.sum(left) * 2.0 + np.sum(rows**2 * np.arange(3))


def svd_hermitian_spectrum(a):
    s = np.linalg.svd(a, compute_uv=False, hermitian=True)
    u, s2, vh = np.linalg.svd(a @ a.T + np.eye(3), hermitian=True)
    return np.sum(s * np.array([1.0, 2.0, 3.0])) + np.sum(u[:, 0] ** 2 * s2) + np.sum(vh[0] ** 4)


def partial_views_of_sqrt(x):
    r = np.sqrt(x)
    m = r.reshape(1, 2, 3)
    a = np.moveaxis(m, 2, 0)[1, 0, 1] + np.atleast_2d(r)[0, 5] * 2.0
    keep = np.array([False, True, True, True, False, True])
    b = np.sum(np.where(keep, np.roll(np.flip(r, axis=0), shift=2), 0.0))
    return a + b


def tril_of_sqrt(x):
    m = np.sqrt(np.array([[x[0], x[1], x[3]], [x[4], x[5], x[1]], [x[2], x[0], x[5]]]))
    return np.sum(np.tril(m) * np.arange(9.0).reshape(3, 3)) + np.sum(np.diag(m) ** 2)


def ndenumerate_weights(a):
    tot = 0.0
    for (i, j), v in np.ndenumerate(a):
        tot += v * (i + 2 * j + 1) + v**2 * (i == j)
    return tot


def fem_bar(stiff):
    n = 6
    K = np.zeros((n, n))
    for e in range(5):
        ke = stiff[e] * np.array([[1.0, -1.0], [-1.0, 1.0]])
        idx = np.array([e, e + 1])
        np.add.at(K, (idx[:, None], idx[None, :]), ke)
    f = np.full(n, 0.1)
    K[0, :] = 0.0
    K[0, 0] = 1.0
    f[0] = 0.0
    u = np.linalg.solve(K, f)
    return u @ f + u[-1] ** 2


def raytrace(c):
    C = c.reshape(3, 3)
    rad = np.array([0.5, 0.7, 0.4])
    light = np.array([0.3, 0.5, -1.0]) / math.sqrt(1.34)
    img = 0.0
    for px in np.linspace(-1, 1, 3):
        for py in np.linspace(-1, 1, 3):
            o = np.array([px, py, -5.0])
            d = np.array([0.0, 0.0, 1.0])
            best_t, best_k = np.inf, -1
            for k in range(3):
                oc = o - C[k]
                b = np.dot(oc, d)
                disc = b * b - (np.dot(oc, oc) - rad[k] ** 2)
                if disc > 0:
                    t = -b - math.sqrt(disc)
                    if 0 < t < best_t:
                        best_t, best_k = t, k
            if best_k >= 0:
                nrm = (o + best_t * d - C[best_k]) / rad[best_k]
                img += max(0.0, -np.dot(nrm, light))
    return img


def sph_density(pos):
    P = pos.reshape(-1, 2)
    h = 0.8
    rho = []
    for i in range(len(P)):
        nbrs = [j for j in range(len(P)) if np.sum((P[i] - P[j]) ** 2) < h * h]
        r = 0.0
        for j in nbrs:
            r += (1 - np.sum((P[i] - P[j]) ** 2) / (h * h)) ** 3
        rho.append(r)
    rho = np.array(rho)
    return np.sum(rho**2) + np.var(rho)


def gp_nll_jitter(theta):
    ell, sf, sn = np.exp(theta)
    X = np.linspace(0, 1, 5)
    y = np.sin(6 * X)
    K = sf**2 * np.exp(-0.5 * (X[:, None] - X[None, :]) ** 2 / ell**2) + sn**2 * np.eye(5)
    jitter = 0.0
    while True:
        try:
            L = np.linalg.cholesky(K + jitter * np.eye(5))
            break
        except np.linalg.LinAlgError:
            jitter = max(1e-10, jitter * 10)
    a = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ a + np.sum(np.log(np.diag(L)))


def soft_dtw_lists(x):
    y = [0.2, -0.3, 0.5]
    n, m = len(x), len(y)
    D = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        D[i][0] = D[i - 1][0] + abs(x[i - 1])
    for j in range(1, m + 1):
        D[0][j] = D[0][j - 1] + abs(y[j - 1])
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            a = [D[i - 1][j] + 1.0, D[i][j - 1] + 1.0, D[i - 1][j - 1] + (x[i - 1] - y[j - 1]) ** 2]
            mn = min(a)
            D[i][j] = mn - 0.3 * math.log(sum(math.exp(-(v - mn) / 0.3) for v in a))
    return D[n][m]


def hmm_forward(logA):
    A = logA.reshape(3, 3)
    A = A - np.log(np.sum(np.exp(A), axis=1, keepdims=True))
    B = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]]))
    obs = [0, 2, 1, 1, 0]
    alpha = np.log(np.ones(3) / 3) + B[:, obs[0]]
    for o in obs[1:]:
        alpha = np.logaddexp.reduce(alpha[:, None] + A, axis=0) + B[:, o]
    return np.logaddexp.reduce(alpha)


def complex_step_inside(x):
    h = 1e-20
    z = x + 1j * h
    g = np.exp(np.sin(z)) * np.sqrt(z**2 + 2.0) / (1.0 + z**2) + np.arctan(z) ** 3
    return np.sum(np.imag(g) / h * x)


def conv_pool(a):
    out = np.einsum("ijkl,kl->ij", sliding_window_view(a, (3, 3)), KERNEL)
    pooled = np.tanh(out).reshape(2, 2, 2, 2).max(axis=(1, 3))
    return np.sum(pooled**2) + np.sum(out.reshape(2, 2, 2, 2).mean(axis=(1, 3)) ** 3)


CASES = [
    Case(split_feature_blocks, (MP,), (0,)),
    Case(svd_hermitian_spectrum, (IND,), (0,)),
    Case(partial_views_of_sqrt, (XN,), (0,)),
    Case(tril_of_sqrt, (XN,), (0,)),
    Case(ndenumerate_weights, (np.array([[0.5, -1.2, 0.3], [2.0, 0.7, -0.4]]),), (0,)),
    Case(fem_bar, (np.array([1.0, 2.0, 1.5, 0.7, 1.2]),), (0,)),
    Case(raytrace, (np.array([0.0, 0.0, 0.0, 0.6, 0.4, 0.5, -0.5, -0.3, 0.2]),), (0,)),
    Case(sph_density, (np.array([0.1, 0.2, 0.7, 0.4, 0.3, 0.9, 1.1, 0.5]),), (0,)),
    Case(gp_nll_jitter, (np.array([-1.0, 0.2, -1.5]),), (0,)),
    Case(soft_dtw_lists, (np.array([0.1, 0.4, -0.2, 0.6]),), (0,)),
    Case(hmm_forward, (R.normal(size=9),), (0,)),
    Case(complex_step_inside, (np.array([0.7, -0.4, 1.3]),), (0,)),
    Case(conv_pool, (R.normal(size=(6, 6)),), (0,)),
]
