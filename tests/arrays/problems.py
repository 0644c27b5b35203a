"""The losses and data the array-library tests share (tests/arrays/test_dask.py, test_cupy.py).

Input: a seed. Output: NumPy data for a logistic regression and a diagonal-covariance Gaussian
mixture, and the two losses written as a user would, in NumPy (the GMM's log-sum-exp shifted
by `np.max`, as in benchmarks/problems.py:gmm_nll).
"""

from __future__ import annotations

import numpy as np


def logistic_loss(w, X, y):
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z) / X.shape[0]


def gmm_nll(alphas, means, logsig, X):
    am = np.max(alphas)
    logw = alphas - am - np.log(np.sum(np.exp(alphas - am)))
    z = (X[:, None, :] - means[None, :, :]) * np.exp(-logsig)[None, :, :]
    d = X.shape[1]
    logp = logw - 0.5 * np.sum(z**2, axis=2) - np.sum(logsig, axis=1) - 0.5 * d * np.log(2 * np.pi)
    m = np.max(logp, axis=1, keepdims=True)
    ll = np.log(np.sum(np.exp(logp - m), axis=1)) + m[:, 0]
    return -np.sum(ll)


def logistic_data(seed: int = 0, n: int = 120, d: int = 4) -> tuple[np.ndarray, ...]:
    """(w, X, y) of a logistic regression."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (rng.random(n) < 0.5).astype(float)
    return 0.3 * rng.normal(size=d), X, y


def gmm_data(seed: int = 1, n: int = 60, k: int = 3, d: int = 2) -> tuple[np.ndarray, ...]:
    """(alphas, means, logsig, X) of a Gaussian mixture with diagonal covariances."""
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=k),
        rng.normal(size=(k, d)),
        0.2 * rng.normal(size=(k, d)),
        rng.normal(size=(n, d)),
    )


def central_fd(f, args: tuple, k: int, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences of the scalar `f(*args)` with respect to NumPy argument `k`."""
    x = np.array(args[k], dtype=float)
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        hi, lo = x.copy(), x.copy()
        hi[i] += eps
        lo[i] -= eps
        a_hi = args[:k] + (hi,) + args[k + 1 :]
        a_lo = args[:k] + (lo,) + args[k + 1 :]
        out[i] = (float(f(*a_hi)) - float(f(*a_lo))) / (2 * eps)
    return out
