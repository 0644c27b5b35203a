"""Ported cases (session 27, corp27), written anew as user code after Monte Carlo pricing programs
(Glasserman's "Monte Carlo Methods in Financial Engineering", QuantLib / textbook notebooks):
pathwise greeks with common random numbers drawn inside the function (``default_rng(seed)``
and the legacy ``np.random.seed``), an Asian option on cumulative-sum log paths, a
reparametrised ``rng.normal(mu, s)``, a quasi-random (golden-ratio) sample through ``ndtri``,
and Longstaff-Schwartz regression with ``np.polyfit`` (refused: no rule for polyfit in x).

Float scalars -> float scalar; payoffs smoothed with softplus so that the Monte Carlo average
is smooth (as pathwise-greek codes do). Checked at second order where marked."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from . import Case, refused_when_differentiated


def softplus(x, beta=0.5):
    return np.logaddexp(0.0, beta * x) / beta


def mc_call(S, sigma):
    """European call, 2000 paths from a seeded generator made inside (common random numbers)."""
    rng = np.random.default_rng(0)
    Z = rng.standard_normal(2000)
    ST = S * np.exp((0.01 - 0.5 * sigma**2) + sigma * Z)
    return np.exp(-0.01) * np.mean(softplus(ST - 100.0))


def mc_asian_legacy(S, sigma):
    """Arithmetic Asian on 4 dates, legacy np.random.seed / randn, cumsum of log increments."""
    np.random.seed(1)
    Z = np.random.randn(500, 4)
    dt = 0.25
    logS = np.log(S) + np.cumsum((0.01 - 0.5 * sigma**2) * dt + sigma * np.sqrt(dt) * Z, axis=1)
    avg = np.mean(np.exp(logS), axis=1)
    return np.mean(softplus(avg - 95.0)) + 1e-3 * np.mean((avg - 95.0) ** 2)


def reparam_normal(mu, s):
    """rng.normal(mu, s): the draws move with mu and s (the reparametrisation trick)."""
    rng = np.random.default_rng(3)
    x = rng.normal(mu, s, size=50)
    return np.mean(x**2) + np.mean(np.tanh(x))


def quasi_mc_put(S, sigma):
    """A golden-ratio low-discrepancy sequence mapped through the normal quantile."""
    u = (np.arange(1, 64) * 0.6180339887) % 1.0
    Z = ndtri(u)
    return np.mean(softplus(100.0 - S * np.exp(-0.5 * sigma**2 + sigma * Z)))


def lsm_polyfit(S, sigma):
    """Longstaff-Schwartz: continuation values regressed on the stock by np.polyfit(X, V, 2)."""
    rng = np.random.default_rng(2)
    n, m = 200, 3
    Z = rng.standard_normal((n, m))
    paths = S * np.exp(np.cumsum(-0.5 * sigma**2 / m + sigma / np.sqrt(m) * Z, axis=1))
    V = (110.0 - paths[:, -1]) ** 2 / 10
    for t in range(m - 2, -1, -1):
        X = paths[:, t]
        c = np.polyfit(X, V, 2)
        V = 0.5 * V + 0.5 * np.polyval(c, X)
    return np.mean(V)


CASES = [
    Case(mc_call, (100.0, 0.2), (0, 1), extra="hvp"),
    Case(mc_asian_legacy, (100.0, 0.2), (0, 1), extra="hvp"),
    Case(reparam_normal, (0.5, 1.3), (0, 1), extra="hvp"),
    Case(quasi_mc_put, (100.0, 0.2), (0, 1), extra="hvp"),
    Case(
        lsm_polyfit,
        (100.0, 0.2),
        (0, 1),
        xfail=refused_when_differentiated(
            "'`numpy.polyfit` is not differentiable in its argument `x`: ... srcad has no"
            " derivative rule for it' (a least-squares fit, differentiable; np.linalg.lstsq is)"
        ),
    ),
]
