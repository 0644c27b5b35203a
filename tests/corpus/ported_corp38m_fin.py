"""Ported cases (session 38, corp38m_fin): metamorphic variants of the econometrics and finance
programs of tests/corpus/ported_corp27_fin.py, one style aspect changed each: parameters as a
list / dict / dataclass instead of an unpacked array, the recursion as `itertools.accumulate`
or a generator function, a preallocated array against a list appended to, `math.*` on Python
floats against `np.*`, `np.sum(a)` / `a.sum()` / `sum(a)` / `a @ ones`, an if-expression against
`np.where` on scalars, `a, *rest = params`.

Float64 arrays -> floats. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from . import Case, refused_everywhere
from .ported_corp27_fin import (
    AR_Y,
    COV_A,
    MU_A,
    RET,
    arma11_css,
    arma11_residuals,
    garch11_array,
    garch11_nll,
    gjr_garch_nll,
    mean_variance_penalty,
    nelson_siegel_fit,
    risk_parity,
    softmax_portfolio,
    vasicek_bond,
)

G3 = np.array([0.1, 0.08, 0.85])
G4 = np.array([0.05, 0.1, 0.08, 0.85])


def garch_generator(params, y):
    omega, alpha, beta = params

    def variances():
        h = np.var(y)
        for yt in y:
            yield h
            h = omega + alpha * yt**2 + beta * h

    return sum(0.5 * (np.log(2 * np.pi) + np.log(h) + yt**2 / h) for h, yt in zip(variances(), y))


def garch_accumulate(params, y):
    omega, *ab = params
    hs = list(
        itertools.accumulate(
            y[:-1], lambda h, yt: omega + ab[0] * yt**2 + ab[1] * h, initial=np.var(y)
        )
    )
    h = np.array(hs)
    return 0.5 * np.sum(np.log(2 * np.pi) + np.log(h) + y**2 / h)


@dataclass
class _Garch:
    omega: float
    alpha: float
    beta: float

    def nll(self, y):
        h, out = float(np.var(y)), 0.0
        for yt in y.tolist():
            out += 0.5 * (math.log(2 * math.pi) + math.log(h) + yt * yt / h)
            h = self.omega + self.alpha * yt * yt + self.beta * h
        return out


def garch_dataclass(params, y):
    return _Garch(params[0], params[1], params[2]).nll(y)


def garch_array_list(params, y):
    mu, omega, alpha, beta = params
    e = y - mu
    s2 = [np.mean(e**2)]
    for t in range(1, len(y)):
        s2.append(omega + alpha * e[t - 1] ** 2 + beta * s2[-1])
    s2 = np.array(s2)
    return 0.5 * (np.log(s2) + e**2 / s2).sum()


def garch_array_while(params, y):
    p = dict(zip(("mu", "omega", "alpha", "beta"), params))
    e = y - p["mu"]
    sigma2 = np.zeros_like(y)
    sigma2[0] = e @ e / len(e)
    t = 1
    while t < len(y):
        sigma2[t] = p["omega"] + p["alpha"] * e[t - 1] * e[t - 1] + p["beta"] * sigma2[t - 1]
        t += 1
    return 0.5 * sum(np.log(sigma2) + e**2 / sigma2)


def gjr_where(params, y):
    omega, alpha, gamma, beta = params
    h = np.mean(y**2)
    ll = 0.0
    for t in range(1, len(y)):
        e = y[t - 1]
        h = omega + alpha * e**2 + np.where(e < 0, gamma * e**2, 0.0) + beta * h
        ll = ll - 0.5 * (np.log(h) + y[t] ** 2 / h)
    return -ll


def gjr_pairs(params, y):
    omega, alpha, gamma, beta = params
    h = (y * y).mean()
    ll = 0.0
    for e, yt in zip(y[:-1], y[1:]):
        lev = 0.0
        if e < 0:
            lev = gamma * e**2
        h = omega + alpha * e**2 + lev + beta * h
        ll += math.log(h) + yt**2 / h
    return 0.5 * ll


def arma_list_params(params, y):
    c, phi, theta, log_s2 = list(params)
    e_prev, ss = 0.0, 0.0
    for y_prev, yt in zip(y, y[1:]):
        e_prev = yt - c - phi * y_prev - theta * e_prev
        ss += e_prev**2
    n = len(y) - 1
    return 0.5 * n * (math.log(2 * math.pi) + log_s2) + 0.5 * ss * math.exp(-log_s2)


def arma_residuals_array(params, y):
    phi, theta = params
    r = np.zeros(len(y))
    for t in range(1, len(y)):
        r[t] = y[t] - phi * y[t - 1] - theta * r[t - 1]
    return np.log((r[1:] ** 2).mean())


def arma_residuals_recursive(params, y):
    phi, theta = params

    def resid(t):
        if t == 0:
            return [0.0]
        prev = resid(t - 1)
        return prev + [y[t] - phi * y[t - 1] - theta * prev[-1]]

    r = np.array(resid(len(y) - 1)[1:])
    return np.log(np.mean(r * r))


def mv_dict(w, gamma):
    terms = {
        "ret": -np.dot(w, MU_A),
        "risk": 0.5 * gamma * np.einsum("i,ij,j->", w, COV_A, w),
        "budget": 100.0 * (w.sum() - 1.0) ** 2,
        "short": 100.0 * sum(min(v, 0.0) ** 2 for v in w),
    }
    return sum(terms.values())


def softmax_portfolio_loop(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    w = np.array([v / s for v in e])
    var = 0.0
    for i in range(len(w)):
        for j in range(len(w)):
            var += w[i] * COV_A[i, j] * w[j]
    return -(sum(wi * mi for wi, mi in zip(w, MU_A)) - 0.02) / math.sqrt(var)


def risk_parity_loops(w):
    Sw = COV_A @ w
    rc = [w[i] * Sw[i] for i in range(len(w))]
    total = sum((a - b) ** 2 for a in rc for b in rc)
    return total + (w @ np.ones(len(w)) - 1.0) ** 2


def vasicek_numpy(r0, kappa, theta, sigma):
    T = np.arange(1.0, 6.0)
    B = (1 - np.exp(-kappa * T)) / kappa
    A = np.exp((theta - sigma**2 / (2 * kappa**2)) * (B - T) - sigma**2 * B**2 / (4 * kappa))
    return np.sum(-np.log(A * np.exp(-B * r0)) / T)


def vasicek_while(r0, kappa, theta, sigma):
    total, T = 0.0, 5
    while T:
        B = -math.expm1(-kappa * T) / kappa
        logA = (theta - sigma**2 / (2 * kappa**2)) * (B - T) - sigma**2 * B**2 / (4 * kappa)
        total -= (logA - B * r0) / T
        T -= 1
    return total


def nelson_siegel_loop(beta):
    b0, b1, b2, lam = beta
    out = 0.0
    for tau, y in zip([0.5, 1.0, 2.0, 5.0, 10.0], [0.02, 0.022, 0.025, 0.029, 0.031]):
        x = tau / lam
        f1 = -np.expm1(-x) / x
        out += (b0 + b1 * f1 + b2 * (f1 - math.exp(-x)) - y) ** 2
    return out * 1e4


CASES = [
    Case(
        garch_generator,
        (G3, RET),
        (0, 1),
        xfail=refused_everywhere("`zip(variances(), y)` of a generator function's call"),
    ),
    Case(garch_accumulate, (G3, RET), (0, 1)),
    Case(garch_dataclass, (G3, RET), (0, 1), extra="hvp"),
    Case(garch_array_list, (G4, RET), (0, 1), extra="hvp"),
    Case(garch_array_while, (G4, RET), (0, 1)),
    Case(gjr_where, (np.array([0.1, 0.05, 0.08, 0.85]), RET), (0, 1)),
    Case(gjr_pairs, (np.array([0.1, 0.05, 0.08, 0.85]), RET), (0, 1), extra="hvp"),
    Case(arma_list_params, (np.array([0.1, 0.5, 0.2, 0.0]), AR_Y), (0, 1), extra="hvp"),
    Case(arma_residuals_array, (np.array([0.5, 0.2]), AR_Y), (0, 1), extra="hvp"),
    Case(arma_residuals_recursive, (np.array([0.5, 0.2]), AR_Y[:12]), (0, 1)),
    Case(mv_dict, (np.array([0.3, 0.2, 0.35, 0.2]), 3.0), (0, 1), extra="hvp"),
    Case(softmax_portfolio_loop, (np.array([0.1, -0.2, 0.3, 0.0]),), (0,), extra="hvp"),
    Case(risk_parity_loops, (np.array([0.3, 0.2, 0.25, 0.25]),), (0,)),
    Case(vasicek_numpy, (0.03, 0.5, 0.04, 0.01), (0, 1, 2, 3), extra="hvp"),
    Case(vasicek_while, (0.03, 0.5, 0.04, 0.01), (0, 1, 2, 3)),
    Case(nelson_siegel_loop, (np.array([0.03, -0.01, 0.01, 1.5]),), (0,), extra="hvp"),
]

SAME_AS = {
    garch_generator: garch11_nll,
    garch_accumulate: garch11_nll,
    garch_dataclass: garch11_nll,
    garch_array_list: garch11_array,
    garch_array_while: garch11_array,
    gjr_where: gjr_garch_nll,
    gjr_pairs: gjr_garch_nll,
    arma_list_params: arma11_css,
    arma_residuals_array: arma11_residuals,
    mv_dict: mean_variance_penalty,
    softmax_portfolio_loop: softmax_portfolio,
    risk_parity_loops: risk_parity,
    vasicek_numpy: vasicek_bond,
    vasicek_while: vasicek_bond,
    nelson_siegel_loop: nelson_siegel_fit,
}
