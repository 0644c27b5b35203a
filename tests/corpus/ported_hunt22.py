"""Ported cases (session 22, hunt22), written anew after statistics and probabilistic programs:
log-likelihoods with scipy.special (gammaln, digamma, betaln, logsumexp, expit, log_ndtr, erfc,
xlogy) for Student-t, negative binomial, Dirichlet-multinomial, beta-binomial, zero-inflated
Poisson (np.where on counts), a Tobit model, a mixture density network, an HMM forward algorithm
with scaling, a Kalman filter log-likelihood (predict/update loop, solve/inv/slogdet), GARCH and
ARMA recursions, a Bayesian logistic log-posterior, a Gaussian copula, Box-Cox with its lambda
near 0 branch, stick-breaking weights.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
from scipy import special as sp
from scipy.special import betaln, digamma, expit, gammaln, log_ndtr, logsumexp, xlogy

from . import Case

R = np.random.default_rng(22)
Y = np.array([0.3, -1.2, 2.5, 0.7, -0.4, 1.9])
COUNTS = np.array([0, 3, 0, 1, 7, 0, 2])
XD = R.standard_normal((7, 3))


def student_t_nll(theta):
    mu, log_s, log_nu = theta[0], theta[1], theta[2]
    s = np.exp(log_s)
    nu = np.exp(log_nu) + 1.0
    z = (Y - mu) / s
    ll = (
        gammaln((nu + 1) / 2)
        - gammaln(nu / 2)
        - 0.5 * np.log(nu * np.pi)
        - np.log(s)
        - (nu + 1) / 2 * np.log1p(z**2 / nu)
    )
    return -np.sum(ll)


def negbin_nll(params):
    eta = XD @ params[:3]
    mu = np.exp(eta)
    r = np.exp(params[3])
    ll = (
        gammaln(COUNTS + r)
        - gammaln(r)
        - gammaln(COUNTS + 1)
        + r * np.log(r / (r + mu))
        + xlogy(COUNTS, mu / (r + mu))
    )
    return -ll.sum()


def dirichlet_multinomial(log_alpha):
    alpha = np.exp(log_alpha)
    x = np.array([[3, 0, 2, 1], [0, 0, 5, 1], [2, 2, 2, 0]])
    total = 0.0
    a0 = alpha.sum()
    for row in x:
        n = row.sum()
        total += gammaln(a0) - gammaln(n + a0)
        total += np.sum(gammaln(row + alpha) - gammaln(alpha))
    return total


def beta_binomial(ab):
    a, b = np.exp(ab[0]), np.exp(ab[1])
    k = np.array([2, 5, 0, 9, 4])
    n = np.array([10, 10, 10, 10, 10])
    lc = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    return np.sum(lc + betaln(k + a, n - k + b) - betaln(a, b))


def zip_nll(params):
    lam = np.exp(params[0])
    pi = expit(params[1])
    y = COUNTS
    p0 = np.log(pi + (1 - pi) * np.exp(-lam))
    pk = np.log(1 - pi) + y * np.log(lam) - lam - gammaln(y + 1)
    ll = np.where(y == 0, p0, pk)
    return -np.sum(ll)


def tobit_nll(params):
    beta, log_sigma = params[:3], params[3]
    sigma = np.exp(log_sigma)
    y = np.array([0.0, 1.3, 0.0, 2.2, 0.4, 0.0, 0.9])
    xb = XD @ beta
    cens = y <= 0
    ll = np.zeros(len(y))
    ll[cens] = log_ndtr(-xb[cens] / sigma)
    z = (y[~cens] - xb[~cens]) / sigma
    ll[~cens] = -0.5 * z**2 - np.log(sigma) - 0.5 * np.log(2 * np.pi)
    return -ll.sum()


def mdn_nll(w):
    x = np.linspace(-1, 1, 5)
    y = np.sin(2 * x) + 0.1
    K = 3
    W = w.reshape(3, K)
    logits = np.outer(x, W[0])
    mu = np.outer(x, W[1]) + np.arange(K)
    log_sig = np.outer(x, W[2]) * 0.5 - 1.0
    log_pi = logits - logsumexp(logits, axis=1, keepdims=True)
    comp = -0.5 * ((y[:, None] - mu) / np.exp(log_sig)) ** 2 - log_sig - 0.5 * math.log(2 * math.pi)
    return -np.sum(logsumexp(log_pi + comp, axis=1))


def hmm_scaled(params):
    A = np.exp(params[:4].reshape(2, 2))
    A = A / A.sum(axis=1, keepdims=True)
    mus = params[4:6]
    obs = [0.2, 1.5, 1.1, -0.3, 0.4]
    alpha = np.array([0.5, 0.5]) * np.exp(-0.5 * (obs[0] - mus) ** 2)
    c = alpha.sum()
    alpha = alpha / c
    loglik = np.log(c)
    for t in range(1, len(obs)):
        e = np.exp(-0.5 * (obs[t] - mus) ** 2)
        alpha = (alpha @ A) * e
        c = np.sum(alpha)
        alpha /= c
        loglik += np.log(c)
    return loglik


def kalman_loglik(theta):
    q, r = np.exp(theta[0]), np.exp(theta[1])
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    Hm = np.array([[1.0, 0.0]])
    Q = q * np.eye(2)
    Rm = np.array([[r]])
    x = np.zeros(2)
    P = np.eye(2)
    ys = [0.1, 0.5, 1.2, 1.9, 3.1]
    ll = 0.0
    for y in ys:
        x = F @ x
        P = F @ P @ F.T + Q
        S = Hm @ P @ Hm.T + Rm
        v = y - Hm @ x
        K = P @ Hm.T @ np.linalg.inv(S)
        _, logdet = np.linalg.slogdet(S)
        ll -= 0.5 * (logdet + v @ np.linalg.solve(S, v) + math.log(2 * math.pi))
        x = x + K @ v
        P = (np.eye(2) - K @ Hm) @ P
    return ll


RET = np.array([0.1, -0.2, 0.15, -0.3, 0.05, 0.2, -0.1])


def garch_nll(theta):
    lw, a, b = theta
    w = np.exp(lw)
    n = len(RET)
    sigma2 = np.zeros(n)
    sigma2[0] = np.var(RET)
    for t in range(1, n):
        sigma2[t] = w + a * RET[t - 1] ** 2 + b * sigma2[t - 1]
    return 0.5 * np.sum(np.log(sigma2) + RET**2 / sigma2)


def arma_css(theta):
    phi, th = theta[0], theta[1]
    y = [0.3, 0.1, -0.2, 0.5, 0.4, -0.1, 0.0]
    e = [0.0]
    for t in range(1, len(y)):
        e.append(y[t] - phi * y[t - 1] - th * e[t - 1])
    return sum(v * v for v in e) / len(e)


def bayes_logreg(w):
    y = np.array([1, 0, 1, 1, 0, 0, 1])
    z = XD @ w
    loglik = np.sum(y * np.log(expit(z)) + (1 - y) * np.log(expit(-z)))
    logprior = -0.5 * np.dot(w, w) / 4.0
    return -(loglik + logprior)


def bayes_logreg_logaddexp(w):
    s = np.array([1, -1, 1, 1, -1, -1, 1])
    return np.sum(np.logaddexp(0, -s * (XD @ w))) + 0.125 * w @ w


def gaussian_copula(rho):
    u = np.array([[0.2, 0.3], [0.7, 0.9], [0.5, 0.4], [0.1, 0.2]])
    z = np.sqrt(2) * sp.erfinv(2 * u - 1)
    ll = 0.0
    for z1, z2 in z:
        ll += -0.5 * np.log(1 - rho**2) - (rho**2 * (z1**2 + z2**2) - 2 * rho * z1 * z2) / (
            2 * (1 - rho**2)
        )
    return ll


def boxcox_ll(lam):
    y = np.array([0.5, 1.2, 2.3, 3.1, 0.8])
    if abs(lam) < 1e-8:
        t = np.log(y)
    else:
        t = (y**lam - 1) / lam
    n = len(y)
    s2 = np.var(t)
    return -n / 2 * np.log(s2) + (lam - 1) * np.sum(np.log(y))


def stick_breaking(v_raw):
    v = expit(v_raw)
    w = []
    rest = 1.0
    for vk in v:
        w.append(vk * rest)
        rest = rest * (1 - vk)
    w.append(rest)
    w = np.array(w)
    target = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    return np.sum(target * np.log(w))


def stick_breaking_cumprod(v_raw):
    v = expit(v_raw)
    rem = np.concatenate([[1.0], np.cumprod(1 - v)])
    w = np.concatenate([v, [1.0]]) * rem
    return -np.sum(w * np.log(w + 1e-12)) + np.sum(digamma(1 + w))


def erfc_censored(mu):
    y = np.array([0.5, 1.0, 1.5, 2.0])
    upper = 1.8
    ll = 0.0
    for yi in y:
        if yi >= upper:
            ll += np.log(0.5 * sp.erfc((upper - mu) / np.sqrt(2)))
        else:
            ll += -0.5 * (yi - mu) ** 2
    return ll


CASES = [
    Case(student_t_nll, (np.array([0.4, -0.1, 1.0]),), (0,), extra="hvp"),
    Case(negbin_nll, (np.array([0.2, -0.3, 0.1, 0.5]),), (0,), extra="hvp"),
    Case(dirichlet_multinomial, (np.array([0.1, -0.4, 0.6, 0.2]),), (0,), extra="hvp"),
    Case(beta_binomial, (np.array([0.3, 0.8]),), (0,), extra="hvp"),
    Case(zip_nll, (np.array([0.4, -0.5]),), (0,), extra="hvp"),
    Case(tobit_nll, (np.array([0.3, 0.5, -0.2, 0.1]),), (0,), extra="hvp"),
    Case(mdn_nll, (R.standard_normal(9) * 0.5,), (0,), extra="hvp"),
    Case(hmm_scaled, (np.array([0.5, -0.5, -0.2, 0.3, 0.0, 1.2]),), (0,), extra="hvp"),
    Case(kalman_loglik, (np.array([-1.0, -0.5]),), (0,), extra="hvp"),
    Case(garch_nll, (np.array([-3.0, 0.1, 0.8]),), (0,), extra="hvp"),
    Case(arma_css, (np.array([0.4, 0.2]),), (0,), extra="hvp"),
    Case(bayes_logreg, (np.array([0.3, -0.6, 0.9]),), (0,), extra="hvp"),
    Case(bayes_logreg_logaddexp, (np.array([0.3, -0.6, 0.9]),), (0,), extra="hvp"),
    Case(gaussian_copula, (0.4,), (0,), extra="hvp"),
    Case(boxcox_ll, (0.35,), (0,), extra="hvp"),
    Case(stick_breaking, (np.array([0.2, -0.4, 0.1, 0.3]),), (0,), extra="hvp"),
    Case(stick_breaking_cumprod, (np.array([0.2, -0.4, 0.1, 0.3]),), (0,), extra="hvp"),
    Case(erfc_censored, (1.1,), (0,), extra="hvp"),
]
