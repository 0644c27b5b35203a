"""The losses and data the array-library tests share (tests/arrays/test_dask.py, test_cupy.py).

Input: a seed. Output: NumPy data for a logistic regression and a diagonal-covariance Gaussian
mixture, and the two losses written as a user would, in NumPy (the GMM is the benchmarks' own,
benchmarks/problems.py:gmm_nll, its log-sum-exp shifted by `np.max`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from problems import gmm_nll  # noqa: E402, F401  (the benchmark's GMM loss)


def logistic_loss(w, X, y):
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z) / X.shape[0]


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
