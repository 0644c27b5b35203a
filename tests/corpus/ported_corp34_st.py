"""Ported cases (session 34, hunt34a): likelihoods written anew as statsmodels, scipy.stats and
lifelines users write them: GLMs with log links (Poisson, negative binomial by hand and by
``scipy.stats.nbinom``, gamma, Tweedie deviance, probit), an ARMA(1,1) conditional sum of
squares, a local linear trend Kalman filter, an RTS smoother, a Toeplitz AR likelihood, Weibull
survival with censoring, Cox partial likelihoods (Breslow by a loop, by ``np.bincount`` and by
``np.add.at`` over the tied times, Efron), a zero-inflated Poisson, beta and Student-t
regressions, a stick-breaking Dirichlet, eight schools, a 2PL IRT model, an ordinal logit, EM
for a 1-D mixture, soft-DTW, a Hawkes process, a continuous-time Markov chain by ``expm``, and
a left-to-right HMM in probability space. The distributions srcad has no rule for are recorded
as refused.

Float parameters -> a float each."""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.linalg import expm, toeplitz
from scipy.special import expit, gammaln, log_expit, logsumexp

from . import Case, refused_when_differentiated

R = np.random.default_rng(34003)
X = np.column_stack([np.ones(8), R.standard_normal((8, 2))])
YC = np.array([0, 2, 1, 4, 3, 0, 1, 6]).astype(float)
YP = np.array([0.4, 1.3, 2.2, 0.7, 3.1, 0.9, 1.6, 0.5])


def poisson_glm(beta):
    eta = X @ beta
    return -np.sum(YC * eta - np.exp(eta) - gammaln(YC + 1))


def negbin_glm(params):
    mu, size = np.exp(X @ params[:-1]), np.exp(-params[-1])
    prob = size / (size + mu)
    ll = gammaln(size + YC) - gammaln(YC + 1) - gammaln(size)
    return -(ll + size * np.log(prob) + YC * np.log1p(-prob)).sum()


def negbin_stats(params):
    mu, n = np.exp(X @ params[:-1]), np.exp(-params[-1])
    return -np.sum(stats.nbinom.logpmf(YC, n, n / (n + mu)))


def gamma_glm(params):
    k = np.exp(params[-1])
    return -np.sum(stats.gamma.logpdf(YP, a=k, scale=np.exp(X @ params[:-1]) / k))


def tweedie_deviance(beta, p=1.5):
    mu = np.exp(X @ beta)
    a = np.power(YP, 2 - p) / ((1 - p) * (2 - p)) - YP * np.power(mu, 1 - p) / (1 - p)
    return 2 * np.sum(a + np.power(mu, 2 - p) / (2 - p))


def probit_glm(beta):
    y, eta = (YC > 1).astype(float), X @ beta
    return -np.sum(y * stats.norm.logcdf(eta) + (1 - y) * stats.norm.logsf(eta))


TS = np.array([0.3, 0.5, -0.1, 0.8, 0.4, -0.6, 0.2, 0.9])


def arma_css(params):
    phi, theta, log_sigma = params
    e = np.zeros_like(TS)
    for t in range(1, len(TS)):
        e[t] = TS[t] - phi * TS[t - 1] - theta * e[t - 1]
    s2 = np.exp(2 * log_sigma)
    return 0.5 * (len(TS) - 1) * np.log(2 * np.pi * s2) + 0.5 * np.sum(e[1:] ** 2) / s2


def kalman_trend(params):
    q1, q2, r = np.exp(params)
    F, H, Q = np.array([[1.0, 1.0], [0.0, 1.0]]), np.array([[1.0, 0.0]]), np.diag([q1, q2])
    x, P, ll = np.zeros(2), np.eye(2) * 10.0, 0.0
    for y in TS:
        x, P = F @ x, F @ P @ F.T + Q
        S = H @ P @ H.T + r
        K = P @ H.T / S
        v = y - (H @ x)[0]
        x, P = x + K[:, 0] * v, (np.eye(2) - K @ H) @ P
        ll += -0.5 * (np.log(2 * np.pi * S[0, 0]) + v**2 / S[0, 0])
    return -ll


def rts_smoother(p):
    q, r = np.exp(p)
    n = len(TS)
    xf, Pf, xp, Pp = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    x, P = 0.0, 1.0
    for t in range(n):
        xp[t], Pp[t] = x, P + q
        K = Pp[t] / (Pp[t] + r)
        xf[t] = xp[t] + K * (TS[t] - xp[t])
        Pf[t] = (1 - K) * Pp[t]
        x, P = xf[t], Pf[t]
    xs, Ps = xf.copy(), Pf.copy()
    for t in range(n - 2, -1, -1):
        J = Pf[t] / Pp[t + 1]
        xs[t] = xf[t] + J * (xs[t + 1] - xp[t + 1])
        Ps[t] = Pf[t] + J**2 * (Ps[t + 1] - Pp[t + 1])
    return np.sum((xs - TS) ** 2) + np.sum(Ps)


def ar_toeplitz(params):
    rho, log_s = params
    S = toeplitz(np.exp(2 * log_s) * rho ** np.arange(6) / (1 - rho**2))
    return 0.5 * (np.linalg.slogdet(S)[1] + TS[:6] @ np.linalg.solve(S, TS[:6]))


T = np.array([2.1, 0.8, 3.5, 1.2, 4.0, 2.7, 0.5, 1.9])
EV = np.array([1, 1, 0, 1, 0, 1, 1, 0])


def weibull_aft(params):
    k, lam = np.exp(params[3]), np.exp(X @ params[:3])
    log_h = np.log(k) - np.log(lam) + (k - 1) * np.log(T / lam)
    return -np.sum(EV * log_h - (T / lam) ** k)


def weibull_stats(params):
    c, scale = np.exp(params[0]), np.exp(params[1])
    lpdf = stats.weibull_min.logpdf(T, c, scale=scale)
    return -np.sum(EV * lpdf + (1 - EV) * stats.weibull_min.logsf(T, c, scale=scale))


TT = np.array([2.0, 1.0, 3.0, 2.0, 5.0, 1.0, 4.0, 2.0])
EV2 = np.array([1, 1, 0, 1, 1, 0, 1, 1])
XC = R.standard_normal((8, 2))


def cox_breslow_loop(beta):
    eta, ll = XC @ beta, 0.0
    for i in range(len(TT)):
        if EV2[i]:
            ll += eta[i] - np.log(np.sum(np.exp(eta[TT >= TT[i]])))
    return -ll


def cox_bincount(beta):
    eta = XC @ beta
    _, inv = np.unique(TT, return_inverse=True)
    risk = np.cumsum(np.bincount(inv, weights=np.exp(eta))[::-1])[::-1]
    d = np.bincount(inv, weights=EV2.astype(float))
    return -(np.sum(EV2 * eta) - np.sum(d * np.log(risk)))


def cox_addat(beta):
    eta = XC @ beta
    times, inv = np.unique(TT, return_inverse=True)
    s = np.zeros(len(times))
    np.add.at(s, inv, np.exp(eta))
    return -np.sum(EV2 * (eta - np.log(np.cumsum(s[::-1])[::-1][inv])))


def cox_efron(beta):
    eta, ll = XC @ beta, 0.0
    for t in np.unique(TT[EV2 == 1]):
        d = (TT == t) & (EV2 == 1)
        m = d.sum()
        risk, tied = np.sum(np.exp(eta[TT >= t])), np.sum(np.exp(eta[d]))
        ll += eta[d].sum()
        for j in range(m):
            ll -= np.log(risk - j / m * tied)
    return -ll


def zip_ll(params):
    pi, lam = expit(params[3]), np.exp(X @ params[:3])
    ll0 = np.log(pi + (1 - pi) * np.exp(-lam))
    llp = np.log(1 - pi) - lam + YC * np.log(lam) - gammaln(YC + 1)
    return -np.sum(np.where(YC == 0, ll0, llp))


YB = np.array([0.2, 0.5, 0.7, 0.35, 0.9, 0.15, 0.6, 0.45])


def beta_reg(params):
    mu, phi = expit(X @ params[:3]), np.exp(params[3])
    return -np.sum(stats.beta.logpdf(YB, mu * phi, (1 - mu) * phi))


def t_reg(params):
    scale, df = np.exp(params[3]), np.exp(params[4])
    return -np.sum(stats.t.logpdf(YP, df=df, loc=X @ params[:3], scale=scale))


ALPHA = np.array([2.0, 3.0, 1.5, 4.0])


def stick_breaking(y):
    z = expit(y - np.log(4 - np.arange(1, 4)))
    x, rem, logJ = np.zeros(4), 1.0, 0.0
    for k in range(3):
        x[k] = rem * z[k]
        logJ += np.log(rem) + np.log(z[k]) + np.log1p(-z[k])
        rem -= x[k]
    x[-1] = rem
    return stats.dirichlet.logpdf(x, ALPHA) + logJ


YS = np.array([28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0])
SIG = np.array([15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0])


def eight_schools(p):
    mu, log_tau, eta = p[0], p[1], p[2:]
    tau = np.exp(log_tau)
    lp = stats.norm.logpdf(mu, 0, 5) + stats.halfcauchy.logpdf(tau, scale=5) + log_tau
    return lp + np.sum(stats.norm.logpdf(eta)) + np.sum(stats.norm.logpdf(YS, mu + tau * eta, SIG))


RESP = np.array([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 1, 0]])


def irt_2pl(p):
    theta, a, b = p[:3], np.exp(p[3:7]), p[7:11]
    eta = a[None, :] * (theta[:, None] - b[None, :])
    ll = np.sum(RESP * log_expit(eta) + (1 - RESP) * log_expit(-eta))
    return ll - 0.5 * np.sum(theta**2)


XM = R.standard_normal((4, 2))


def ordinal_logit(p):
    cut = np.cumsum(np.concatenate([[p[2]], np.exp(p[3:5])]))
    cdf = expit(cut[None, :] - (XM @ p[:2])[:, None])
    cdf = np.hstack([np.zeros((4, 1)), cdf, np.ones((4, 1))])
    y = np.array([0, 2, 1, 3])
    return np.sum(np.log(cdf[np.arange(4), y + 1] - cdf[np.arange(4), y]))


GX = np.array([-2.2, -1.6, -2.4, -1.9, 2.1, 2.9, 2.4, 3.2])


def em_gmm1d(p):
    mu, s, w = p[:2].copy(), np.exp(p[2:4]), np.array([0.5, 0.5])
    for _ in range(3):
        logr = np.log(w) - 0.5 * ((GX[:, None] - mu) / s) ** 2 - np.log(s)
        r = np.exp(logr - logsumexp(logr, axis=1, keepdims=True))
        Nk = r.sum(0)
        w = Nk / len(GX)
        mu = (r * GX[:, None]).sum(0) / Nk
        s = np.sqrt((r * (GX[:, None] - mu) ** 2).sum(0) / Nk)
    return np.sum(logsumexp(np.log(w) - 0.5 * ((GX[:, None] - mu) / s) ** 2 - np.log(s), axis=1))


S2 = np.cos(np.linspace(0, 2.5, 4))


def soft_dtw(x, gamma=0.5):
    D = (x[:, None] - S2[None, :]) ** 2
    n, m = D.shape
    Rm = np.full((n + 1, m + 1), np.inf)
    Rm[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            r = -np.array([Rm[i - 1, j - 1], Rm[i - 1, j], Rm[i, j - 1]]) / gamma
            Rm[i, j] = D[i - 1, j - 1] - gamma * logsumexp(r)
    return Rm[n, m]


def hawkes(p):
    mu, alpha, beta = np.exp(p)
    ev, t_end, ll, A = np.array([0.3, 0.9, 1.4, 1.8, 2.5]), 3.0, 0.0, 0.0
    for i in range(len(ev)):
        if i > 0:
            A = np.exp(-beta * (ev[i] - ev[i - 1])) * (1 + A)
        ll += np.log(mu + alpha * A)
    return ll - mu * t_end - alpha / beta * np.sum(1 - np.exp(-beta * (t_end - ev)))


def ctmc(q):
    Q = np.array([[-np.exp(q[0]), np.exp(q[0])], [np.exp(q[1]), -np.exp(q[1])]])
    P = expm(Q * 0.7)
    return sum(np.log(P[i, j]) for i, j in [(0, 0), (0, 1), (1, 1), (1, 0)])


OBS = [0, 1, 1, 2, 2, 0]
LR = np.triu(np.ones((3, 3))) - np.triu(np.ones((3, 3)), 2)  # left to right, no skips


def bakis_prob_space(p):
    A = np.exp(p[:9].reshape(3, 3)) * LR
    A = A / A.sum(axis=1, keepdims=True)
    B = np.exp(p[9:18].reshape(3, 3))
    B = B / B.sum(axis=1, keepdims=True)
    alpha, ll = np.array([1.0, 0.0, 0.0]) * B[:, OBS[0]], 0.0
    for o in OBS[1:]:
        alpha = (alpha @ A) * B[:, o]
        ll += np.log(alpha.sum())
        alpha = alpha / alpha.sum()
    return ll + np.log(B[0, OBS[0]])


C5 = np.array([3, 0, 5, 2, 1])


def multinomial_ll(z):
    return stats.multinomial.logpmf(C5, n=C5.sum(), p=np.exp(z) / np.exp(z).sum())


def vonmises_mix(p):
    ang, w = np.array([0.3, -2.0, 2.9, 1.1, 0.5]), expit(p[4])
    l1 = stats.vonmises.logpdf(ang, np.exp(p[0]), loc=p[2])
    l2 = stats.vonmises.logpdf(ang, np.exp(p[1]), loc=p[3])
    return np.sum(np.logaddexp(np.log(w) + l1, np.log1p(-w) + l2))


def geometric(p):
    return np.sum(stats.geom.logpmf(np.array([1, 4, 2, 6]), expit(p[0])))


def _no_rule(name: str) -> dict[str, str]:
    return refused_when_differentiated(f"no derivative rule for `scipy.stats.{name}`")


CASES = [
    Case(poisson_glm, (np.array([0.2, 0.3, -0.1]),), (0,)),
    Case(negbin_glm, (np.array([0.2, 0.3, -0.1, -0.5]),), (0,)),
    Case(negbin_stats, (np.array([0.2, 0.3, -0.1, -0.5]),), (0,)),
    Case(gamma_glm, (np.array([0.1, 0.2, -0.1, 0.3]),), (0,)),
    Case(tweedie_deviance, (np.array([0.1, 0.2, -0.1]),), (0,)),
    Case(probit_glm, (np.array([0.1, 0.2, -0.1]),), (0,)),
    Case(arma_css, (np.array([0.4, 0.2, -0.5]),), (0,)),
    Case(kalman_trend, (np.array([-1.0, -2.0, -0.5]),), (0,)),
    Case(rts_smoother, (np.array([-1.0, -0.5]),), (0,)),
    Case(ar_toeplitz, (np.array([0.4, -0.3]),), (0,)),
    Case(weibull_aft, (np.array([0.5, 0.1, -0.2, 0.3]),), (0,)),
    Case(weibull_stats, (np.array([0.3, 0.6]),), (0,)),
    Case(cox_breslow_loop, (np.array([0.3, -0.4]),), (0,)),
    Case(cox_bincount, (np.array([0.3, -0.4]),), (0,)),
    Case(cox_addat, (np.array([0.3, -0.4]),), (0,)),
    Case(cox_efron, (np.array([0.3, -0.4]),), (0,)),
    Case(zip_ll, (np.array([0.2, 0.3, -0.1, -0.4]),), (0,)),
    Case(beta_reg, (np.array([0.2, 0.3, -0.1, 1.5]),), (0,)),
    Case(t_reg, (np.array([0.8, 0.3, -0.1, -0.2, 1.2]),), (0,)),
    Case(stick_breaking, (np.array([0.2, -0.3, 0.5]),), (0,)),
    Case(eight_schools, (R.standard_normal(10) * 0.5,), (0,)),
    Case(irt_2pl, (R.standard_normal(11) * 0.5,), (0,)),
    Case(ordinal_logit, (np.array([0.3, -0.2, -1.0, 0.1, 0.2]),), (0,)),
    Case(em_gmm1d, (np.array([-1.5, 2.0, 0.2, -0.1]),), (0,)),
    Case(soft_dtw, (np.sin(np.linspace(0, 3, 5)),), (0,)),
    Case(hawkes, (np.array([-0.5, -0.7, 0.3]),), (0,)),
    Case(ctmc, (np.array([0.2, -0.4]),), (0,)),
    Case(bakis_prob_space, (R.standard_normal(18) * 0.5,), (0,)),
    Case(
        multinomial_ll,
        (np.array([0.2, -0.3, 0.5, 0.1, 0.0]),),
        (0,),
        xfail=_no_rule("multinomial.logpmf"),
    ),
    Case(
        vonmises_mix,
        (np.array([0.5, 1.0, 0.2, 2.5, 0.3]),),
        (0,),
        xfail=_no_rule("vonmises.logpdf"),
    ),
    Case(geometric, (np.array([0.3]),), (0,)),  # (a rule since session 52: hunt52b)
]
