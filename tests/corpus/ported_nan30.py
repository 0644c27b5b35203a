"""Ported cases (session 30, nan30), written anew after NumPy code fitting models to data with
missing values marked NaN: a masked mean squared error ``np.nanmean((pred(w) - y) ** 2)`` of a
small linear model, its per-output form (``axis=0``), a robust ``np.nanmedian`` of absolute
residuals and a log-likelihood whose NaNs come from the data. Reverse mode gave NaN for each (the
NaN entries' cotangent, 0, times the residual's NaN partial); `srcad.ad.nanmasks` masks them.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

X = np.array([[1.0, 0.3, -0.5], [1.0, -1.1, 0.8], [1.0, 0.6, 1.7], [1.0, -0.4, -0.9]])
Y = np.array([0.7, np.nan, 2.1, -0.3])
Y2 = np.array([[0.7, 1.0], [np.nan, -0.2], [2.1, np.nan], [-0.3, 0.4]])
W = np.array([0.2, -0.6, 0.9])
B = np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]])


def pred(w):
    return X @ w


def masked_mse(w):
    return np.nanmean((pred(w) - Y) ** 2)


def masked_mse_per_output(b):
    resid = X @ b.T - Y2
    return np.sum(np.nanmean(resid**2, axis=0) * np.array([1.0, 0.5]))


def masked_robust_median(w):
    r = pred(w) - Y
    return np.nanmedian(np.sqrt(r**2 + 0.01))


def masked_gaussian_nll(w):
    mu = X[:, 1:] @ w[1:]
    s = np.exp(w[0])
    z = (Y - mu) / s
    return np.nansum(0.5 * z**2 + np.log(s))


CASES = [
    Case(masked_mse, (W,), (0,), extra="hvp"),
    Case(masked_mse_per_output, (B,), (0,), extra="hvp"),
    Case(masked_robust_median, (W,), (0,), extra="hvp"),
    Case(masked_gaussian_nll, (W,), (0,), extra="hvp"),
]
