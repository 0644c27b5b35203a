"""Ported cases (session 36, corp36 sim), written anew as users write simulations, with NumPy's
view and in-place semantics doing part of the work: a cloth grid stepped by ``x[i, j] = ...`` in
Gauss-Seidel order, a row updated through a view, a transposed view written to, a reshaped view,
overlapping ``x[1:] += x[:-1]``, duplicate fancy indices, the row-swap gotcha, list-of-lists
rows shared by ``[[0.0] * n] * m``, ``out=`` and ``np.copyto(where=)``; a sphere-traced SDF, SEIR
by adaptive RK4 (step doubling) in a while loop, position-based dynamics, bilinear sampling, an
antithetic Black-Scholes Monte Carlo, single shooting with an early exit, TV denoising.

Float parameters -> float scalars."""

from __future__ import annotations

import math

import numpy as np

from . import Case, refused_everywhere

R = np.random.default_rng(36003)
Z = R.standard_normal(64)
IMG = R.standard_normal((5, 6))

# -- in-place and view semantics ------------------------------------------------------------------


def cloth_gauss_seidel(x0, k):
    x = x0.copy()
    n, m = x.shape
    for _ in range(3):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                avg = 0.25 * (x[i - 1, j] + x[i + 1, j] + x[i, j - 1] + x[i, j + 1])
                x[i, j] = x[i, j] + k * (avg - x[i, j])
    return np.sum(x**2)


def row_view_update(g, s):
    g = g.copy()
    row = g[1]
    row *= s
    row += g[0]
    col = g[:, 2]
    col -= 0.5 * s
    return np.sum(g * g) + row[0]


def transposed_view_write(A, v):
    A = A.copy()
    At = A.T
    At[0] = v
    At[1, 1:] += v[1:] * A[0, 0]
    return np.sum(A @ A)


def reshaped_view_write(x, s):
    x = x.copy()
    M = x.reshape(2, -1)
    M[0] *= s
    M[:, 0] = M[:, 1] ** 2
    return np.sum(x * np.arange(len(x)))


def overlapping_slices(x):
    x = x.copy()
    x[1:] += x[:-1]
    y = x.copy()
    y[:-1] = y[1:] * 0.5
    return np.sum(x * x) + np.sum(y**3)


def duplicate_fancy(x, v):
    x = x.copy()
    x[[0, 2, 0]] += v
    x[[1, 1]] = v[1:]
    w = np.zeros(3)
    np.add.at(w, [0, 2, 0], v)
    return np.sum(x**2) + np.sum(w * x[:3])


def swap_rows_gotcha(A):
    A = A.copy()
    A[0], A[1] = A[1], A[0]  # rows are views: both end up as the old A[1]
    B = A.copy()
    B[[0, 2]] = B[[2, 0]]
    return np.sum(A * np.arange(A.size).reshape(A.shape)) + np.sum(B[0] * B[1])


def shared_list_rows(x):
    grid = [[0.0] * 3] * 2  # one row, listed twice
    for j in range(3):
        grid[0][j] = x[j] * x[j]
    grid[1][0] += x[0]
    return sum(sum(r) for r in grid) + grid[1][1] * grid[0][0]


def ufunc_out_args(a, b):
    a = a.copy()
    np.multiply(a, b, out=a)
    c = np.empty_like(a)
    np.add(a, 1.0, out=c)
    mask = b > 0
    np.copyto(c, b * b, where=mask)
    np.exp(c, out=c)
    return np.sum(c) + np.sum(a)


# -- simulations ----------------------------------------------------------------------------------


def _sdf(p, r, box):
    sphere = np.linalg.norm(p - np.array([0.0, 0.0, 3.0])) - r
    q = np.abs(p - np.array([1.2, 0.0, 3.5])) - box
    boxd = np.linalg.norm(np.maximum(q, 0.0)) + min(max(q[0], q[1], q[2]), 0.0)
    return min(sphere, boxd)


def sphere_trace(r, box, dirx):
    d = np.array([dirx, 0.05, 1.0])
    d = d / np.linalg.norm(d)
    t = 0.0
    for _ in range(80):
        dist = _sdf(t * d, r, box)
        if dist < 1e-7:
            break
        t += dist
        if t > 20.0:
            return 20.0
    return t


def _seir(y, beta, sigma, gamma):
    s, e, i, r = y
    return np.array([-beta * s * i, beta * s * i - sigma * e, sigma * e - gamma * i, gamma * i])


def _rk4(y, h, *p):
    k1 = _seir(y, *p)
    k2 = _seir(y + 0.5 * h * k1, *p)
    k3 = _seir(y + 0.5 * h * k2, *p)
    k4 = _seir(y + h * k3, *p)
    return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def seir_adaptive(beta, sigma, gamma):
    y = np.array([0.99, 0.005, 0.005, 0.0])
    t, h, t_end = 0.0, 1.0, 40.0
    n_acc = 0
    while t < t_end - 1e-12:
        h = min(h, t_end - t)
        full = _rk4(y, h, beta, sigma, gamma)
        half = _rk4(_rk4(y, h / 2, beta, sigma, gamma), h / 2, beta, sigma, gamma)
        err = np.max(np.abs(full - half))
        if err < 1e-6:
            y = half + (half - full) / 15
            t += h
            n_acc += 1
            if err < 1e-8:
                h *= 2.0
        else:
            h *= 0.5
    return y[3] + y[2]


def pbd_chain(p0, rest, stiff):
    p = p0.copy()
    prev = p.copy()
    for _ in range(6):
        vel = p - prev
        prev = p.copy()
        p = p + vel + np.array([0.0, -0.01])
        for _ in range(3):
            for i in range(len(p) - 1):
                d = p[i + 1] - p[i]
                ln = np.linalg.norm(d)
                corr = stiff * 0.5 * (ln - rest) * d / ln
                if i > 0:
                    p[i] += corr
                p[i + 1] -= corr
        p[0] = p0[0]
    return np.sum(p[:, 1]) + np.sum(p[-1] ** 2)


def bilinear_sample(img, xs, ys):
    total = 0.0
    for x, y in zip(xs, ys):
        i, j = int(math.floor(y)), int(math.floor(x))
        fy, fx = y - i, x - j
        v = (
            img[i, j] * (1 - fx) * (1 - fy)
            + img[i, j + 1] * fx * (1 - fy)
            + img[i + 1, j] * (1 - fx) * fy
            + img[i + 1, j + 1] * fx * fy
        )
        total += v * v
    return total


def bs_mc_antithetic(S0, K, sigma, r, T):
    z = np.concatenate([Z, -Z])
    ST = S0 * np.exp((r - 0.5 * sigma**2) * T + sigma * math.sqrt(T) * z)
    payoff = np.maximum(ST - K, 0.0)
    return math.exp(-r * T) * payoff.mean()


def shooting_early_exit(u, x0):
    x, v = x0, 0.0
    cost = 0.0
    for k, uk in enumerate(u):
        a = uk - 0.3 * v - math.sin(x)
        v += 0.1 * a
        x += 0.1 * v
        cost += 0.01 * uk * uk
        if abs(x) > 5.0:
            return cost + 100.0 + k
    return cost + (x - 1.0) ** 2 + v * v


def tv_denoise(u0, lam):
    u = u0.copy()
    for _ in range(5):
        gx = np.diff(u, axis=1, append=u[:, -1:])
        gy = np.diff(u, axis=0, append=u[-1:, :])
        nrm = np.sqrt(gx**2 + gy**2 + 1e-3)
        px, py = gx / nrm, gy / nrm
        div = px - np.roll(px, 1, axis=1) + py - np.roll(py, 1, axis=0)
        u = u - 0.1 * ((u - u0) - lam * div)
    return np.sum((u - u0) ** 2) + lam * np.sum(nrm)


A34 = R.standard_normal((3, 4))
P0 = np.array([[0.0, 0.0], [0.5, 0.1], [1.0, -0.1], [1.5, 0.05]])

CASES = [
    Case(cloth_gauss_seidel, (R.standard_normal((4, 5)), 0.7), (0, 1), extra="hvp"),
    Case(row_view_update, (A34, 1.3), (0, 1)),
    Case(transposed_view_write, (R.standard_normal((3, 3)), np.array([0.3, -0.2, 0.5])), (0, 1)),
    Case(reshaped_view_write, (np.array([0.3, -0.2, 0.5, 0.9, 1.1, -0.4]), 1.7), (0, 1)),
    Case(overlapping_slices, (np.array([0.3, -0.2, 0.5, 0.9, 1.1]),), (0,)),
    Case(duplicate_fancy, (np.array([0.3, -0.2, 0.5, 0.9]), np.array([0.5, 1.5, -1.0])), (0, 1)),
    Case(
        swap_rows_gotcha,
        (A34,),
        (0,),
        xfail=dict.fromkeys(
            ("primal", "fwd", "rev"),
            "read after the object it shares with another name is modified",
        ),
    ),
    Case(
        shared_list_rows,
        (np.array([0.3, -0.2, 0.5]),),
        (0,),
        xfail=refused_everywhere("`grid` is read after the object it shares with another name"),
    ),
    Case(ufunc_out_args, (np.array([0.3, -0.2, 0.5]), np.array([0.7, 0.4, -0.5])), (0, 1)),
    Case(sphere_trace, (1.0, np.array([0.3, 0.4, 0.5]), 0.1), (0, 1, 2), extra="hvp"),
    Case(seir_adaptive, (0.9, 0.3, 0.2), (0, 1, 2), extra="hvp"),
    Case(pbd_chain, (P0, 0.5, 0.8), (0, 1, 2), extra="hvp"),
    Case(
        bilinear_sample,
        (IMG, np.array([0.3, 2.7, 4.2]), np.array([1.4, 0.2, 3.6])),
        (0, 1, 2),
    ),
    Case(bs_mc_antithetic, (1.0, 1.1, 0.25, 0.02, 0.5), (0, 1, 2, 3, 4)),
    Case(shooting_early_exit, (np.array([0.5, 1.0, 0.3, -0.2, 0.1, 0.4]), 0.2), (0, 1)),
    Case(tv_denoise, (IMG, 0.3), (0, 1), extra="hvp"),
]
