"""The benchmark problems: objectives written as plain NumPy/`math`, data, and hand-written derivatives.

Each `Problem` has the objective `f(*args)`, the positions of its differentiable arguments, and
hand-written JVP (``hand_jvp(*args, *tangents) -> directional derivative``) and gradient
(``hand_grad(*args) -> tuple of gradients``) functions, the baseline srcad aims for. The
100-parameter logistic regression (`logreg_loss`, with its hand-written Hessian) is the function
bench_hvp.py takes Hessians of.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

# -- 1. a 1000-step scalar loop --------------------------------------------------------------


def scalar_loop(x):
    for _ in range(1000):
        x = math.sin(x) * 1.0001 + 0.1 * x
    return x


def scalar_loop_jvp(x, dx):
    for _ in range(1000):
        dx = (math.cos(x) * 1.0001 + 0.1) * dx
        x = math.sin(x) * 1.0001 + 0.1 * x
    return dx


def scalar_loop_grad(x):
    xs = [0.0] * 1000
    for i in range(1000):
        xs[i] = x
        x = math.sin(x) * 1.0001 + 0.1 * x
    b = 1.0
    for i in range(999, -1, -1):
        b = b * (math.cos(xs[i]) * 1.0001 + 0.1)
    return (b,)


def scalar_loop_jax(jax):
    """The scalar loop for `jax.jit`: `lax.fori_loop` (a Python loop under `jit` unrolls into
    1000 traced steps, whose first call compiles for tens of seconds)."""

    def step(_, x):
        return jax.numpy.sin(x) * 1.0001 + 0.1 * x

    def f(x):
        return jax.lax.fori_loop(0, 1000, step, x)

    return f


# -- 2. a 784-128-10 MLP, tanh + softmax cross-entropy, batch 64 -----------------------------


def mlp_loss(W1, b1, W2, b2, X, Y):
    h = np.tanh(X @ W1 + b1)
    z = h @ W2 + b2
    m = np.max(z, axis=1, keepdims=True)
    logz = np.log(np.sum(np.exp(z - m), axis=1, keepdims=True)) + m
    return -np.mean(np.sum(Y * (z - logz), axis=1))


def _mlp_forward(W1, b1, W2, b2, X):
    h = np.tanh(X @ W1 + b1)
    z = h @ W2 + b2
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return h, e / np.sum(e, axis=1, keepdims=True)


def mlp_jvp(W1, b1, W2, b2, X, Y, dW1, db1, dW2, db2):
    h, p = _mlp_forward(W1, b1, W2, b2, X)
    dh = (1.0 - h * h) * (X @ dW1 + db1)
    dz = dh @ W2 + h @ dW2 + db2
    dlogz = np.sum(p * dz, axis=1, keepdims=True)
    return -np.mean(np.sum(Y * (dz - dlogz), axis=1))


def mlp_grad(W1, b1, W2, b2, X, Y):
    h, p = _mlp_forward(W1, b1, W2, b2, X)
    dz = (p * np.sum(Y, axis=1, keepdims=True) - Y) / X.shape[0]
    dh = dz @ W2.T
    da = dh * (1.0 - h * h)
    return X.T @ da, np.sum(da, axis=0), h.T @ dz, np.sum(dz, axis=0)


# -- 3. Gaussian mixture negative log-likelihood, diagonal covariances ----------------------


def gmm_nll(alphas, means, logsig, X):
    am = np.max(alphas)
    logw = alphas - am - np.log(np.sum(np.exp(alphas - am)))
    z = (X[:, None, :] - means[None, :, :]) * np.exp(-logsig)[None, :, :]
    d = X.shape[1]
    logp = logw - 0.5 * np.sum(z**2, axis=2) - np.sum(logsig, axis=1) - 0.5 * d * np.log(2 * np.pi)
    m = np.max(logp, axis=1, keepdims=True)
    ll = np.log(np.sum(np.exp(logp - m), axis=1)) + m[:, 0]
    return -np.sum(ll)


def _gmm_parts(alphas, means, logsig, X):
    """Shared pieces of the hand-written derivatives: mixture weights, scales, z, responsibilities."""
    w = np.exp(alphas - np.max(alphas))
    w /= np.sum(w)
    s = np.exp(-logsig)
    z = (X[:, None, :] - means[None, :, :]) * s[None, :, :]
    logp = np.log(w) - 0.5 * np.sum(z**2, axis=2) - np.sum(logsig, axis=1)
    r = np.exp(logp - np.max(logp, axis=1, keepdims=True))
    r /= np.sum(r, axis=1, keepdims=True)
    return w, s, z, r


def gmm_jvp(alphas, means, logsig, X, dalphas, dmeans, dlogsig):
    w, s, z, r = _gmm_parts(alphas, means, logsig, X)
    dlogw = dalphas - np.dot(w, dalphas)
    dz = -dmeans[None, :, :] * s[None, :, :] - z * dlogsig[None, :, :]
    dlogp = dlogw - np.sum(z * dz, axis=2) - np.sum(dlogsig, axis=1)
    return -np.sum(r * dlogp)


def gmm_grad(alphas, means, logsig, X):
    w, s, z, r = _gmm_parts(alphas, means, logsig, X)
    rk = np.sum(r, axis=0)
    rz = r[:, :, None] * z
    galphas = X.shape[0] * w - rk
    gmeans = -np.sum(rz, axis=0) * s
    glogsig = rk[:, None] - np.sum(rz * z, axis=0)
    return galphas, gmeans, glogsig


# -- 4. for Hessians: L2-regularised logistic regression, 100 parameters ---------------------


def logreg_loss(w, X, y):
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z) + 0.05 * np.sum(w * w)


def logreg_hessian(w, X, y):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return (X.T * (p * (1.0 - p))) @ X / X.shape[0] + 0.1 * np.eye(w.shape[0])


def logreg_args(d: int = 100, n: int = 1000, seed: int = 2) -> tuple:
    """(w, X, y): a point near the minimiser's scale, features, 0/1 labels of a logistic model."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) / math.sqrt(d)
    w = rng.standard_normal(d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-X @ w))).astype(float)
    return 0.5 * w, X, y


# -- the table -------------------------------------------------------------------------------


@dataclass
class Problem:
    name: str
    f: Callable
    args: tuple
    wrt: tuple[int, ...]
    hand_jvp: Callable
    hand_grad: Callable
    jax_f: Callable | None = None  # jax -> the objective for JAX when `f` rebound is not it

    def tangents(self, seed: int = 1) -> list[Any]:
        rng = np.random.default_rng(seed)
        out = []
        for k in self.wrt:
            a = self.args[k]
            out.append(rng.standard_normal(np.shape(a)) if np.ndim(a) else float(rng.normal()))
        return out


def problems() -> list[Problem]:
    rng = np.random.default_rng(0)
    B, n_in, n_h, n_out = 64, 784, 128, 10
    mlp_args = (
        rng.standard_normal((n_in, n_h)) / math.sqrt(n_in),
        np.zeros(n_h),
        rng.standard_normal((n_h, n_out)) / math.sqrt(n_h),
        np.zeros(n_out),
        rng.standard_normal((B, n_in)),
        np.eye(n_out)[rng.integers(0, n_out, B)],
    )
    n, d, K = 1000, 10, 25
    gmm_args = (
        rng.standard_normal(K),
        rng.standard_normal((K, d)),
        0.1 * rng.standard_normal((K, d)),
        rng.standard_normal((n, d)),
    )
    return [
        Problem("scalar loop (1000 steps)", scalar_loop, (0.5,), (0,), scalar_loop_jvp,
                scalar_loop_grad, scalar_loop_jax),
        Problem("MLP 784-128-10, batch 64", mlp_loss, mlp_args, (0, 1, 2, 3), mlp_jvp, mlp_grad),
        Problem("GMM NLL d=10 K=25 n=1000", gmm_nll, gmm_args, (0, 1, 2), gmm_jvp, gmm_grad),
    ]  # fmt: skip


def heat_loops_grad(u, k):
    """The gradient of one loop heat step's `0.5 * sum(out ** 2)` by hand, in loops (for
    benchmarks/bench_stencil.py and tests/ad/test_element_loops_nd.py): out = u on the boundary;
    each interior cell sends k * out[i, j] to its four neighbours and (1 - 4k) * out[i, j] to
    itself."""
    n, m = u.shape
    bu = u.copy()
    bu[1:-1, 1:-1] = 0.0
    bk = 0.0
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
            o = u[i, j] + k * lap
            bk += o * lap
            ko = k * o
            bu[i, j] += o - 4.0 * ko
            bu[i - 1, j] += ko
            bu[i + 1, j] += ko
            bu[i, j - 1] += ko
            bu[i, j + 1] += ko
    return bu, bk
