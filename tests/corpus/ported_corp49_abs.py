"""Ported cases (session 49, sound49): losses and kernels built on ``np.abs`` as users write
them, whose second derivatives srcad now checks at an abs's exact 0 (ad/abscheck.py): Laplace
and Matern-3/2 kernels of pairwise ``|x_i - x_j|`` (the zero diagonal does not move: accepted),
an elastic net, Huber and smooth-L1 regression, the pinball loss, a Laplace log-likelihood with
a fitted scale, total-variation denoising, an L1 penalty in a helper, an L-infinity penalty by
``np.max(np.abs(w))``, an ISTA soft-thresholding loop and a robust loss by ``math.fabs``.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np

from . import Case

_R = np.random.default_rng(49)
_X = _R.standard_normal((8, 2))
_Y = _X @ np.array([1.0, -2.0]) + 0.3 * _R.standard_normal(8)
_T = np.sort(_R.uniform(0, 3, 6))


def laplace_kernel_nll(p, t, y):
    ls, s2 = np.exp(p[0]), np.exp(p[1])
    d = np.abs(t[:, None] - t[None, :])
    K = np.exp(-d / ls) + s2 * np.eye(t.size)
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(K, y)
    return 0.5 * y @ a + np.sum(np.log(np.diag(L)))


def matern32_energy(t):
    d = np.abs(t[:, None] - t[None, :])
    r = math.sqrt(3.0) * d / 0.7
    return np.sum((1 + r) * np.exp(-r))


def elastic_net(w, X, y):
    r = X @ w - y
    return 0.5 * np.mean(r**2) + 0.1 * np.sum(np.abs(w)) + 0.05 * np.sum(w**2)


def huber_regression(w, X, y, delta=0.5):
    r = X @ w - y
    a = np.abs(r)
    return np.sum(np.where(a <= delta, 0.5 * r**2, delta * (a - 0.5 * delta)))


def smooth_l1(w, X, y, beta=0.4):
    a = np.abs(X @ w - y)
    return np.mean(np.where(a < beta, 0.5 * a**2 / beta, a - 0.5 * beta))


def pinball(w, X, y, tau=0.3):
    r = y - X @ w
    return np.mean(0.5 * np.abs(r) + (tau - 0.5) * r) + 0.01 * np.sum(w * w)


def laplace_ll(p, x):
    mu, b = p[0], np.exp(p[1])
    return -np.sum(np.abs(x - mu)) / b - x.size * np.log(2 * b)


def tv_denoise(u, y, lam=0.3):
    return 0.5 * np.sum((u - y) ** 2) + lam * np.sum(np.abs(np.diff(u)))


def _l1(w):
    return 0.2 * np.sum(np.abs(w))


def ridge_plus_l1_helper(w, X, y):
    return 0.5 * np.sum((X @ w - y) ** 2) + _l1(w)


def linf_penalty(w, X, y):
    return np.mean((X @ w - y) ** 2) + 0.3 * np.max(np.abs(w))


def ista_objective(w0, X, y, steps=4, lam=0.1):
    w = w0
    for _ in range(steps):
        z = w - 0.05 * X.T @ (X @ w - y)
        w = np.sign(z) * np.maximum(np.abs(z) - 0.05 * lam, 0.0)
    return 0.5 * np.sum((X @ w - y) ** 2) + lam * np.sum(np.abs(w))


def cauchy_fabs(w, X, y):
    s = 0.0
    for xi, yi in zip(X, y):
        r = math.fabs(float(xi @ w) - yi)
        s += math.log1p((r / 0.8) ** 2)
    return s


CASES = [
    Case(laplace_kernel_nll, (np.array([0.2, -1.0]), _T, np.sin(_T)), (0,), extra="hvp"),
    Case(matern32_energy, (_T,), (0,), extra="hvp"),
    Case(elastic_net, (np.array([0.7, -1.3]), _X, _Y), (0,), extra="hvp"),
    Case(huber_regression, (np.array([0.8, -1.5]), _X, _Y), (0,), extra="hvp"),
    Case(smooth_l1, (np.array([0.9, -1.8]), _X, _Y), (0,), extra="hvp"),
    Case(pinball, (np.array([0.6, -1.1]), _X, _Y), (0,), extra="hvp"),
    Case(laplace_ll, (np.array([8.0, 0.2]), _Y), (0,), extra="hvp"),  # (mu past the data)
    Case(tv_denoise, (np.sin(_T) + 0.1 * np.arange(6.0), np.sin(_T)), (0,), extra="hvp"),
    Case(ridge_plus_l1_helper, (np.array([0.7, -1.3]), _X, _Y), (0,), extra="hvp"),
    Case(linf_penalty, (np.array([0.7, -1.3]), _X, _Y), (0,), extra="hvp"),
    Case(ista_objective, (np.array([0.5, -0.5]), _X, _Y), (0,), extra="hvp"),
    Case(cauchy_fabs, (np.array([0.7, -1.3]), _X, _Y), (0,), extra="hvp"),
]
