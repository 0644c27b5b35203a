"""Ported cases (session 7, corp7): kernels in the spirit of Pythran's and Numba's benchmark
programs, scikit-learn/NumPyro-style losses and log densities, batched linear algebra and
complex values in between, written anew.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import math

import numpy as np
import scipy.special as sp
import scipy.stats as st

from . import Case

R = np.random.default_rng(12600001)
IMG = R.standard_normal((5, 6))
TH = R.uniform(0.0, 1.0, 6)
PH = R.uniform(0.0, 1.0, 6)
X8 = np.array([0.3, -1.1, 0.8, 1.7, -0.4, 0.25, 0.9, -0.6])
RAW = np.array([[0.3, -0.2, 0.5], [1.2, 0.4, -0.7], [-0.5, 0.9, 0.1], [0.8, -1.1, 0.6]])
LAB = np.array([0, 2, 1, 1])
YB = np.array([1.0, 0.0, 1.0, 1.0])
_S = R.standard_normal((2, 3, 3))
GB = _S + 2.0 * np.eye(3)
SPDB = _S @ np.swapaxes(_S, -1, -2) + 3.0 * np.eye(3)
RB = R.standard_normal((2, 3, 2))


# -- Pythran-style numerical kernels -------------------------------------------------------------
def py_arc_distance(t1, p1):
    t2, p2 = t1[::-1] + 0.1, p1 * 0.5
    h = np.sin((t2[None, :] - t1[:, None]) / 2) ** 2
    h = h + np.cos(t1[:, None]) * np.cos(t2[None, :]) * np.sin((p2[None, :] - p1[:, None]) / 2) ** 2
    return np.sum(2 * np.arctan2(np.sqrt(h), np.sqrt(1 - h)))


def py_rosen_der(x):
    mid = x[1:-1]
    der = np.zeros_like(x)
    der[1:-1] = 200 * (mid - x[:-2] ** 2) - 400 * (x[2:] - mid**2) * mid - 2 * (1 - mid)
    der[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0])
    der[-1] = 200 * (x[-1] - x[-2] ** 2)
    return der


def py_lapl_loops(img):
    n, m = img.shape
    out = np.zeros((n - 2, m - 2))
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            s = img[i - 1, j] + img[i + 1, j] + img[i, j - 1] + img[i, j + 1]
            out[i - 1, j - 1] = s - 4.0 * img[i, j]
    return out


def py_harris(img):
    m, n = img.shape
    dx = (img[1:, :] - img[: m - 1, :])[:, 1:]
    dy = (img[:, 1:] - img[:, : n - 1])[1:, :]
    a, b, c = dx * dx, dy * dy, dx * dy
    return a * b - c * c - 0.1 * (a + b) ** 2


def py_wdist(a, b):
    w = np.abs(a[:, :1]) + 0.5
    out = np.zeros((a.shape[0], b.shape[0]))
    for i in range(a.shape[0]):
        for j in range(b.shape[0]):
            s = 0.0
            for k in range(a.shape[1]):
                d = a[i, k] - b[j, k]
                s += w[i, 0] * d * d
            out[i, j] = math.sqrt(s)
    return out


def py_wave(u0):
    u, old = u0.copy(), u0.copy()
    for _ in range(4):
        new = np.zeros(u0.shape[0])
        new[1:-1] = 2 * u[1:-1] - old[1:-1] + 0.25 * (u[2:] - 2 * u[1:-1] + u[:-2])
        old, u = u, new
    return u


def py_growcut(img):
    strength = np.abs(img) / (1.0 + np.abs(img))
    new = strength.copy()
    for i in range(1, img.shape[0] - 1):
        for j in range(1, img.shape[1] - 1):
            best = strength[i, j]
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    g = 1.0 - abs(img[i, j] - img[i + di, j + dj]) / 4.0
                    if g * strength[i + di, j + dj] > best:
                        best = g * strength[i + di, j + dj]
            new[i, j] = best
    return new * np.sign(img)


def py_local_maxima(img):
    pad = np.pad(img, 1, mode="constant", constant_values=-np.inf)
    n, m = img.shape
    mask = np.ones((n, m), dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                mask = mask & (img >= pad[1 + di : 1 + di + n, 1 + dj : 1 + dj + m])
    return np.where(mask, img, 0.0) * img


def py_grouping_bincount(x):
    keys = np.array([0, 2, 1, 0, 2, 1, 1, 0, 2, 0, 1, 2])
    return np.bincount(keys, weights=x.ravel() ** 2)


def py_hasting(x):
    draws = np.array([0.3, 0.8, 0.1, 0.6, 0.9, 0.4])
    steps = np.array([0.5, -0.4, 0.2, 0.7, -0.1, 0.3])
    cur, total = x[0, 0], 0.0
    for k in range(6):
        prop = cur + steps[k]
        if draws[k] < math.exp(-(prop * prop) / 2.0 + (cur * cur) / 2.0):
            cur = prop
        total += cur * x[1, k % 4]
    return total


def py_cronbach(items):
    k = items.shape[1]
    var_items = items.var(axis=0, ddof=1).sum()
    return k / (k - 1.0) * (1 - var_items / items.sum(axis=1).var(ddof=1))


def py_diffusion_roll(u):
    for _ in range(3):
        nb = np.roll(u, 1, axis=0) + np.roll(u, -1, axis=0) + np.roll(u, 1, 1) + np.roll(u, -1, 1)
        u = u + 0.1 * (nb - 4 * u)
    return u


def py_periodic_dist(x, y):
    d = x[:, None, :] - y[None, :, :]
    d = d - 2.0 * np.round(d / 2.0)
    return np.sqrt((d**2).sum(-1) + 1e-3)


def py_sobel(img):
    gx = (
        img[2:, :-2]
        + 2 * img[2:, 1:-1]
        + img[2:, 2:]
        - img[:-2, :-2]
        - 2 * img[:-2, 1:-1]
        - img[:-2, 2:]
    )
    gy = (
        img[:-2, 2:]
        + 2 * img[1:-1, 2:]
        + img[2:, 2:]
        - img[:-2, :-2]
        - 2 * img[1:-1, :-2]
        - img[2:, :-2]
    )
    return np.sqrt(gx * gx + gy * gy + 1e-6)


def py_lennard_jones(x):
    e = 0.0
    for i in range(x.shape[0]):
        for j in range(i + 1, x.shape[0]):
            r2 = np.sum((x[i] - x[j]) ** 2)
            e += 1.0 / r2**6 - 1.0 / r2**3
    return e


def py_kmeans_step(x):
    cents = x[:2].copy()
    for _ in range(2):
        lab = np.argmin(((x[:, None, :] - cents[None]) ** 2).sum(-1), axis=1)
        cents = np.array([x[lab == k].mean(0) for k in range(2)])
    return cents


# -- Numba-example-style loops -------------------------------------------------------------------
def nb_bubblesort_tmp(x):
    a = x.copy()
    swapped = True
    while swapped:
        swapped = False
        for j in range(len(a) - 1):
            if a[j] > a[j + 1]:
                t = a[j]
                a[j] = a[j + 1]
                a[j + 1] = t
                swapped = True
    return a[0] * 2.0 + a[-1] * a[1]


def nb_blackscholes(x):
    S, K, r, vol = 100.0 * np.exp(x * 0.1 + 0.01), 100.0, 0.02, 0.3
    d1 = (np.log(S / K) + (r + 0.5 * vol * vol)) / vol
    d2 = d1 - vol

    def cnd(d):
        k = 1.0 / (1.0 + 0.2316419 * np.abs(d))
        poly = k * (
            0.31938153
            + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429)))
        )
        ret = 0.3989422804014327 * np.exp(-0.5 * d * d) * poly
        return np.where(d > 0, 1.0 - ret, ret)

    return S * cnd(d1) - K * np.exp(-r) * cnd(d2)


def nb_laplace_jacobi(x):
    A = np.zeros((5, 5))
    A[0, :] = x[:5]
    A[-1, :] = x[3:8]
    for _ in range(4):
        new = A.copy()
        for j in range(1, 4):
            for i in range(1, 4):
                new[j, i] = 0.25 * (A[j, i + 1] + A[j, i - 1] + A[j - 1, i] + A[j + 1, i])
        A = new
    return A[2]


def nb_kde(x):
    out = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        s = 0.0
        for p in np.array([-1.0, 0.0, 0.5, 2.0]):
            s += math.exp(-0.5 * ((x[i] - p) / 0.4) ** 2)
        out[i] = s / (4 * 0.4 * math.sqrt(2 * math.pi))
    return out


def nb_logreg_gd(x):
    X = np.array([[1.0, 0.5], [1.0, -0.3], [1.0, 1.2], [1.0, 0.1]])
    w = x[:2].copy()
    for _ in range(3):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        w = w - 0.5 * X.T @ (p - np.array([1.0, 0.0, 1.0, 0.0]))
    return np.sum(w**2)


def nb_mandel_real(x):
    out = np.zeros_like(x)
    for k in range(x.shape[0]):
        z, c = 0.0, x[k] * 0.3
        for _ in range(6):
            z = z * z + c
            if abs(z) > 2.0:
                break
        out[k] = z
    return out


def nb_ewma(x):
    out = np.empty_like(x)
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = 0.3 * x[i] + 0.7 * out[i - 1]
    return out


def nb_maxpool(x):
    a = x.reshape(2, 4)
    out = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            out[i, j] = a[i, 2 * j : 2 * j + 2].max()
    return out


def nb_running_max_list(x):
    best, hist = -1e9, []
    for v in x:
        best = max(best, v)
        hist.append(best * v)
    return sum(hist)


def nb_swap_elems(x):
    a = x.copy()
    a[0], a[3] = a[3] * 2.0, a[0]
    a[1], a[0] = a[0], a[1]
    return a


# -- losses and log densities (scikit-learn, NumPyro style) --------------------------------------
def ls_multinomial(raw):
    w = np.array([1.0, 0.5, 2.0, 1.0])
    return np.sum(w * (sp.logsumexp(raw, axis=1) - raw[np.arange(4), LAB])) / w.sum()


def ls_binomial_stable(raw):
    r = raw[:, 0]
    pos = (1 - YB) * r + np.log1p(np.exp(-r))
    return np.sum(np.where(r > 0, pos, np.log1p(np.exp(r)) - YB * r))


def ls_tweedie(raw):
    y, r = YB + 0.5, raw[:, 0]
    return np.mean(np.exp(0.5 * r) / 0.5 + y * np.exp(-0.5 * r) / 0.5)


def ls_multiclass_hinge(raw):
    margins = np.maximum(0.0, raw - raw[np.arange(4), LAB][:, None] + 1.0)
    margins[np.arange(4), LAB] = 0.0
    return margins.sum() / 4


def ls_binomial_logpmf(raw):
    k = np.array([0.0, 2.0, 5.0, 3.0])
    p = sp.expit(raw[:, 0])
    norm = sp.gammaln(6.0) - sp.gammaln(k + 1) - sp.gammaln(6.0 - k)
    return np.sum(norm + sp.xlogy(k, p) + sp.xlog1py(5.0 - k, -p))


def ls_von_mises(raw):
    kappa = np.exp(raw[:, 2])
    return np.sum(kappa * np.cos(YB - raw[:, 0]) - np.log(2 * np.pi * sp.i0e(kappa)) - kappa)


def ls_gp_nll(raw):
    x = np.array([0.0, 0.5, 1.3, 2.0])
    ls = np.exp(raw[0, 0])
    L = np.linalg.cholesky(np.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / ls**2) + 0.1 * np.eye(4))
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, YB))
    return 0.5 * YB @ alpha + np.sum(np.log(np.diag(L)))


def ls_contrastive(raw):
    z = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    sim = z @ z.T / 0.5
    np.fill_diagonal(sim, -np.inf)
    return -np.mean(sim[[0, 1, 2, 3], [1, 0, 3, 2]] - sp.logsumexp(sim, axis=1))


def ls_kl_special(raw):
    p = sp.softmax(raw, axis=1)
    return np.sum(sp.kl_div(p[:2], p[2:])) + np.sum(sp.rel_entr(p[0], p[3]))


def ls_probit(raw):
    return np.sum(sp.log_ndtr(raw[:, 0] * 3.0) + sp.ndtri(sp.expit(raw[:, 1]) * 0.9 + 0.05))


def ls_robust_priors(raw):
    # a NumPyro-style log joint: Laplace/Cauchy priors, logistic and expon likelihood terms
    w, log_s = raw[:, 0], raw[:, 1]
    prior = st.laplace.logpdf(w, 0.0, 1.5).sum() + st.cauchy.logpdf(log_s, scale=2.0).sum()
    lik = st.logistic.logpdf(YB, loc=w, scale=np.exp(log_s)).sum()
    return prior + lik + st.expon.logpdf(np.exp(raw[0, 2]), scale=0.7) + st.logistic.cdf(w).sum()


# -- batched linear algebra and complex values in between ----------------------------------------
def la_batched_solve_logdet(a, b):
    sign, logdet = np.linalg.slogdet(a)
    return np.sum(np.linalg.solve(a, b) ** 2) + np.sum(sign * logdet)


def la_batched_eigh_chol(s):
    w = np.linalg.eigvalsh(s)
    L = np.linalg.cholesky(s)
    return np.sum(w**2) + np.sum(np.log(np.diagonal(L, axis1=-2, axis2=-1)))


def la_norms_batched(a):
    return np.linalg.norm(a, axis=(-2, -1)) + np.linalg.norm(a, np.inf, axis=(1, 2))


def cx_fft_power(x):
    F = np.fft.fft(x)
    return np.abs(F) ** 2 + np.real(F) * np.imag(F)


def cx_polar_mix(x):
    z = x[:4] + 1j * x[4:]
    return np.real(z**3 * np.conj(z)) + np.abs(np.cumsum(z)) + np.angle(z)


def cx_complex_inv(x):
    z = x[:4].reshape(2, 2) + 1j * x[4:].reshape(2, 2) + 2.0 * np.eye(2)
    return np.abs(np.linalg.inv(z)) + np.abs(np.linalg.det(z))


CASES: list[Case] = [
    Case(py_arc_distance, (TH, PH), (0, 1)),
    Case(py_rosen_der, (X8[:6].copy(),), (0,)),
    Case(py_lapl_loops, (IMG,), (0,)),
    Case(py_harris, (IMG,), (0,)),
    Case(py_wdist, (IMG[:3].copy(), IMG[3:].copy()), (0, 1)),
    Case(py_wave, (np.sin(np.linspace(0.0, 3.0, 8)),), (0,)),
    Case(py_growcut, (IMG,), (0,), jitter=0.0),
    Case(py_local_maxima, (IMG,), (0,), jitter=0.0),
    Case(py_grouping_bincount, (IMG[:3, :4].copy(),), (0,)),
    Case(py_hasting, (IMG[:2, :4].copy(),), (0,), jitter=0.0),
    Case(py_cronbach, (IMG,), (0,)),
    Case(py_diffusion_roll, (IMG,), (0,)),
    Case(py_periodic_dist, (IMG[:4, :3].copy(), IMG[1:4, 3:].copy()), (0, 1), jitter=0.0),
    Case(py_sobel, (IMG,), (0,)),
    Case(py_lennard_jones, (IMG[:4, :3] * 2.0,), (0,)),
    Case(py_kmeans_step, (IMG[:, :2].copy(),), (0,), jitter=0.0),
    Case(nb_bubblesort_tmp, (X8,), (0,), jitter=0.0),
    Case(nb_blackscholes, (X8,), (0,)),
    Case(nb_laplace_jacobi, (X8,), (0,)),
    Case(nb_kde, (X8,), (0,)),
    Case(nb_logreg_gd, (X8,), (0,)),
    Case(nb_mandel_real, (X8,), (0,), jitter=0.0),
    Case(nb_ewma, (X8,), (0,)),
    Case(nb_maxpool, (X8,), (0,)),
    Case(nb_running_max_list, (X8,), (0,), jitter=0.0),
    Case(nb_swap_elems, (X8,), (0,)),
    Case(ls_multinomial, (RAW,), (0,)),
    Case(ls_binomial_stable, (RAW,), (0,)),
    Case(ls_tweedie, (RAW,), (0,)),
    Case(ls_multiclass_hinge, (RAW,), (0,), jitter=0.0),
    Case(ls_binomial_logpmf, (RAW,), (0,)),
    Case(ls_von_mises, (RAW,), (0,)),
    Case(ls_gp_nll, (RAW,), (0,)),
    Case(ls_contrastive, (RAW,), (0,)),
    Case(ls_kl_special, (RAW,), (0,)),
    Case(ls_probit, (RAW,), (0,)),
    Case(ls_robust_priors, (RAW,), (0,)),
    Case(la_batched_solve_logdet, (GB, RB), (0, 1)),
    Case(la_batched_eigh_chol, (SPDB,), (0,)),
    Case(la_norms_batched, (RB,), (0,)),
    Case(cx_fft_power, (X8,), (0,)),
    Case(cx_polar_mix, (X8,), (0,)),
    Case(cx_complex_inv, (X8,), (0,)),
]


# -- more Pythran test cases, rewritten -----------------------------------------------------------
def py_projection_simplex(v):
    u = np.sort(v)[::-1]
    cssv = np.cumsum(u) - 1.0
    ind = np.arange(v.shape[0]) + 1
    cond = u - cssv / ind > 0
    theta = cssv[cond][-1] / float(ind[cond][-1])
    return np.maximum(v - theta, 0)


def py_grayscott(v):
    U, V = np.zeros((6, 6)), np.zeros((6, 6))
    U[1:-1, 1:-1] = 1.0
    U[2:4, 2:4] = 0.5 + v[0]
    V[2:4, 2:4] = 0.25 * v[1]
    for _ in range(3):
        Lu = U[0:-2, 1:-1] + U[1:-1, 0:-2] - 4 * U[1:-1, 1:-1] + U[1:-1, 2:] + U[2:, 1:-1]
        Lv = V[0:-2, 1:-1] + V[1:-1, 0:-2] - 4 * V[1:-1, 1:-1] + V[1:-1, 2:] + V[2:, 1:-1]
        u, w = U[1:-1, 1:-1], V[1:-1, 1:-1]
        uvv = u * w * w
        U[1:-1, 1:-1] = u + 0.16 * Lu - uvv + 0.035 * (1 - u)
        V[1:-1, 1:-1] = w + 0.08 * Lv + uvv - 0.095 * w
    return V


def py_fdtd_copyto(v):
    grid = np.outer(v[:3], v[2:5])
    old, prev = np.zeros_like(grid), np.zeros_like(grid)
    for _ in range(2):
        np.copyto(prev, old)
        np.copyto(old, grid)
        for x in range(3):
            for y in range(3):
                grid[x, y] = 0.0
                if 0 < x + 1 < 3:
                    grid[x, y] += old[x + 1, y]
                if 0 < x - 1 < 3:
                    grid[x, y] += old[x - 1, y]
                if 0 < y + 1 < 3:
                    grid[x, y] += old[x, y + 1]
                grid[x, y] /= 2.0
                grid[x, y] -= prev[x, y]
    return grid


def py_circumcircle(v):
    a, b, c = (v[0], v[1]), (v[2], v[3]), (v[4], v[5])
    ox = (min(a[0], b[0], c[0]) + max(a[0], b[0], c[0])) / 2.0
    oy = (min(a[1], b[1], c[1]) + max(a[1], b[1], c[1])) / 2.0
    ax, ay, bx, by, cx, cy = a[0] - ox, a[1] - oy, b[0] - ox, b[1] - oy, c[0] - ox, c[1] - oy
    d = (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by)) * 2.0
    sa, sb, sc = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
    x = ox + (sa * (by - cy) + sb * (cy - ay) + sc * (ay - by)) / d
    y = oy + (sa * (cx - bx) + sb * (ax - cx) + sc * (bx - ax)) / d
    radii = [math.hypot(x - p[0], y - p[1]) for p in (a, b, c)]
    return max(radii) + x * y


def py_shallow_bc(v):
    H = np.outer(v[:4], v[2:6]) + 1.0
    U = np.outer(v[1:5], v[:4])
    H[:, 0] = H[:, 1]
    U[:, 0] = U[:, 1]
    H[:, -1] = H[:, -2]
    U[:, -1] = -U[:, -2]
    H[0, :] = H[1, :]
    U[0, :] = -U[1, :]
    Hx = (H[1:, 1:-1] + H[:-1, 1:-1]) / 2 - 0.01 * (U[1:, 1:-1] - U[:-1, 1:-1])
    Ux = (U[1:, 1:-1] + U[:-1, 1:-1]) / 2 - 0.01 * (
        U[1:, 1:-1] ** 2 / H[1:, 1:-1] + 4.9 * H[1:, 1:-1] ** 2
    )
    return np.sum(Hx * Ux) + np.sum(H * U)


def py_babylonian(v):
    x = np.abs(v[0]) + 2.0
    g = x / 2.0
    while abs(g * g - x) > 1e-12:
        g = (g + x / g) / 2.0
    return g


def py_extrema(v):
    mx = mn = v[0]
    for e in v[1:]:
        if e > mx:
            mx = e
        if e < mn:
            mn = e
    return mx - 2.0 * mn


X6 = np.array([0.3, -1.1, 0.8, 1.7, -0.4, 0.25])
CASES += [
    Case(py_projection_simplex, (X6,), (0,), jitter=0.0),
    Case(py_grayscott, (X6,), (0,)),
    Case(py_fdtd_copyto, (X6,), (0,)),
    Case(py_circumcircle, (X6,), (0,)),
    Case(py_shallow_bc, (X6,), (0,)),
    Case(py_babylonian, (X6,), (0,), jitter=0.0),
    Case(py_extrema, (X6,), (0,), jitter=0.0),
]
