"""Ported cases (session 49, second49): users' code with missing data and magnitudes at 0 that
srcad gets right (fwd, rev, hvp): a least-squares fit over the observed entries of a matrix with
NaNs (``(Y * w)[~np.isnan(Y)]``), a NaN-skipping mean of exponentials in a module-level helper,
a mean of residuals with several NaN-skipping reductions and a ``where``, a user class with a
``var`` method and no ``std`` under ``np.sqrt``, a cubic norm regulariser, and a
robust term switched off by a fixed flag (``np.where(flag, .., np.hypot(..))``) at its kink.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np

from . import Case

_R = np.random.default_rng(49)
_Y = _R.standard_normal((6, 3))
_Y[[0, 2, 4], [1, 0, 2]] = np.nan
_A = _R.standard_normal((5, 3))
_B = _R.standard_normal(5)


def observed_fit(w, Y):
    r = (Y * w)[~np.isnan(Y)] - 0.5
    return 0.5 * np.sum(r**2)


def _nan_softmean(z):
    return np.log(np.nanmean(np.exp(z)))


def nan_softmean_loss(w, Y):
    return _nan_softmean(Y * w) + 0.1 * np.sum(w**2)


def nan_summaries(w, Y):
    z = Y * w
    s = np.nansum(z) + np.nanmean(z**2) + np.nanmax(z) - np.nanmin(z)
    return s + np.sum(np.where(np.isnan(z), 0.0, z) ** 2)


class Spread:
    def __init__(self, a):
        self.a = a

    def var(self):
        return np.mean((self.a - np.mean(self.a)) ** 2) + 1.0


def spread_scale(x):
    return np.sqrt(Spread(x).var()) * np.sum(x)


def cubic_regularised(w, A, b):
    return 0.5 * np.sum((A @ w - b) ** 2) + 0.3 * np.linalg.norm(w) ** 3


def switched_robust(x, flag):
    return np.sum(x**2) + np.where(flag, 0.0, np.hypot(x[0], x[1]))


CASES = [
    Case(observed_fit, (np.array([0.7, -1.2, 0.9]), _Y), (0,), extra="hvp"),
    Case(nan_softmean_loss, (np.array([0.4, -0.3, 0.2]), _Y), (0,), extra="hvp"),
    Case(nan_summaries, (np.array([0.6, -0.8, 1.1]), _Y), (0,), extra="hvp"),
    Case(spread_scale, (np.array([0.3, 1.4, -0.6, 0.8]),), (0,), extra="hvp"),
    Case(cubic_regularised, (np.full(3, 0.2), _A, _B), (0,), extra="hvp"),
    Case(switched_robust, (np.array([0.0, 0.0, 0.4]), True), (0,), extra="hvp", jitter=0.0),
]
