"""Ported cases (session 24, corp24), written anew as user code, more of the same libraries:
POT's ``wasserstein_1d`` (sorted supports, cumulative weights, the quantile functions read with
``np.searchsorted``), ``ot.dist`` with a Euclidean metric through ``cdist``, Greenkhorn's greedy
row / column updates (``np.argmax`` of the marginal violations), Sinkhorn returning its ``log``
dict and epsilon scaling (a decreasing regularisation with warm-started potentials);
scikit-learn's kernel ridge regression, the Laplace approximation of its binary
``GaussianProcessClassifier`` (Newton iterations with ``sqrt(W)`` and a convergence check), the
``Exponentiation`` kernel; statsmodels' ordered logit, zero-inflated Poisson, the Tweedie
deviance and damped-trend exponential smoothing; filterpy's IMM mixing step.

Float vectors / matrices -> float scalar (checked at second order with ``extra="hvp"`` where the
function is smooth at the example point) or float vector."""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_solve, cholesky
from scipy.spatial.distance import cdist
from scipy.special import expit, gammaln, logsumexp

from . import Case

R = np.random.default_rng(24000006)
U5 = np.round(R.standard_normal(5), 3)
V6 = np.round(R.standard_normal(6) + 0.4, 3)
XS = np.round(R.standard_normal((5, 2)), 3)
XT = np.round(R.standard_normal((4, 2)) + 0.5, 3)
A5 = np.full(5, 0.2)
B4 = np.full(4, 0.25)
XK = np.round(R.uniform(-2.0, 2.0, (7, 1)), 3)
YK = np.round(np.sin(2.0 * XK[:, 0]) + 0.1 * R.standard_normal(7), 3)
YC = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
XO = np.round(R.standard_normal((10, 2)), 3)
YO = np.array([0, 2, 1, 1, 0, 2, 2, 1, 0, 1])
CNT = np.array([0.0, 0.0, 3.0, 1.0, 0.0, 4.0, 2.0, 0.0, 5.0, 1.0])


def wasserstein_1d(u_values, v_values, u_weights=None, v_weights=None, p=1):
    n, m = u_values.shape[0], v_values.shape[0]
    if u_weights is None:
        u_weights = np.full(n, 1.0 / n)
    if v_weights is None:
        v_weights = np.full(m, 1.0 / m)
    u_sorter = np.argsort(u_values)
    u_values, u_weights = u_values[u_sorter], u_weights[u_sorter]
    v_sorter = np.argsort(v_values)
    v_values, v_weights = v_values[v_sorter], v_weights[v_sorter]
    u_cumweights = np.cumsum(u_weights)
    v_cumweights = np.cumsum(v_weights)
    qs = np.sort(np.concatenate((u_cumweights, v_cumweights)))
    u_idx = np.minimum(np.searchsorted(u_cumweights, qs), n - 1)
    v_idx = np.minimum(np.searchsorted(v_cumweights, qs), m - 1)
    u_quantiles = u_values[u_idx]
    v_quantiles = v_values[v_idx]
    qs = np.pad(qs, pad_width=[(1, 0)])
    delta = qs[1:] - qs[:-1]
    diff_quantiles = np.abs(u_quantiles - v_quantiles)
    if p == 1:
        return np.sum(delta * diff_quantiles)
    return np.sum(delta * np.power(diff_quantiles, p))


def w1_positions(u):
    return wasserstein_1d(u, V6)


def w2_weighted(w):
    weights = np.exp(w) / np.sum(np.exp(w))
    return wasserstein_1d(U5, V6, weights, None, p=2)


def sinkhorn_log_dict(a, b, M, reg, num_iter=300, stop_thr=1e-10):
    log = {"err": []}
    u = np.ones(len(a)) / len(a)
    v = np.ones(len(b)) / len(b)
    K = np.exp(-M / reg)
    for ii in range(num_iter):
        v = b / (K.T @ u)
        u = a / (K @ v)
        if ii % 10 == 0:
            err = np.linalg.norm(np.sum(u[:, None] * K * v[None, :], axis=0) - b)
            log["err"].append(err)
            if err < stop_thr:
                break
    log["niter"] = ii
    log["u"] = u
    log["v"] = v
    return u[:, None] * K * v[None, :], log


def ot_dist_euclidean(xs):
    M = cdist(xs, XT, metric="euclidean")
    G, log = sinkhorn_log_dict(A5, B4, M, 0.3)
    # the dual potentials as POT's log gives them, reg * log(u)
    return np.sum(G * M) + 0.01 * np.sum(0.3 * np.log(log["u"]))


def greenkhorn(a, b, M, reg, num_iter=400):
    K = np.exp(-M / reg)
    u = np.full(a.shape[0], 1.0 / a.shape[0])
    v = np.full(b.shape[0], 1.0 / b.shape[0])
    G = u[:, np.newaxis] * K * v[np.newaxis, :]
    viol = G.sum(1) - a
    viol_2 = G.sum(0) - b
    for _ in range(num_iter):
        i_1 = np.argmax(np.abs(viol))
        i_2 = np.argmax(np.abs(viol_2))
        m_viol_1 = np.abs(viol[i_1])
        m_viol_2 = np.abs(viol_2[i_2])
        if m_viol_1 > m_viol_2:
            old_u = u[i_1]
            new_u = a[i_1] / K[i_1, :].dot(v)
            G[i_1, :] = new_u * K[i_1, :] * v
            viol[i_1] = new_u * K[i_1, :].dot(v) - a[i_1]
            viol_2 += K[i_1, :].T * (new_u - old_u) * v
            u[i_1] = new_u
        else:
            old_v = v[i_2]
            new_v = b[i_2] / K[:, i_2].T.dot(u)
            G[:, i_2] = u * K[:, i_2] * new_v
            viol += (-old_v + new_v) * K[:, i_2] * u
            viol_2[i_2] = new_v * K[:, i_2].dot(u) - b[i_2]
            v[i_2] = new_v
    return G


def greenkhorn_loss(M):
    return np.sum(greenkhorn(A5, B4, M, 0.5, num_iter=60) * M)


def epsilon_scaling(M):
    f = np.zeros(5)
    g = np.zeros(4)
    for reg in (1.0, 0.5, 0.25, 0.12):
        for _ in range(30):
            g = reg * (np.log(B4) - logsumexp((f[:, None] - M) / reg, axis=0))
            f = reg * (np.log(A5) - logsumexp((g[None, :] - M) / reg, axis=1))
    G = np.exp((f[:, None] + g[None, :] - M) / 0.12)
    return np.sum(G * M)


def _rbf(a, b, gamma):
    return np.exp(-gamma * cdist(a, b, "sqeuclidean"))


def kernel_ridge(p):
    gamma, alpha = np.exp(p)
    K = _rbf(XK, XK, gamma)
    K.flat[:: K.shape[0] + 1] += alpha
    dual_coef = np.linalg.solve(K, YK)
    pred = _rbf(XK[:4] + 0.1, XK, gamma) @ dual_coef
    return np.sum((pred - np.sin(2.0 * (XK[:4, 0] + 0.1))) ** 2)


def exponentiation_kernel(theta):
    ls, exponent = np.exp(theta[0]), theta[1]
    K = np.exp(-0.5 * cdist(XK / ls, XK[::-1] / ls + 0.05, metric="sqeuclidean"))
    return np.sum(K**exponent)


def gpc_laplace(theta):
    ls = np.exp(theta[0])
    K = 2.0 * _rbf(XK, XK, 0.5 / ls**2)
    f = np.zeros_like(YC)
    log_marginal_likelihood = -np.inf
    for _ in range(50):
        pi = expit(f)
        W = pi * (1 - pi)
        W_sr = np.sqrt(W)
        W_sr_K = W_sr[:, np.newaxis] * K
        B = np.eye(W.shape[0]) + W_sr_K * W_sr
        L = cholesky(B, lower=True)
        b = W * f + (YC - pi)
        a = b - W_sr * cho_solve((L, True), W_sr_K.dot(b))
        f = K.dot(a)
        lml = (
            -0.5 * a.T.dot(f) - np.log1p(np.exp(-(YC * 2 - 1) * f)).sum() - np.log(np.diag(L)).sum()
        )
        if lml - log_marginal_likelihood < 1e-10:
            break
        log_marginal_likelihood = lml
    return log_marginal_likelihood


def ordered_logit(p):
    beta, c0, dc = p[:2], p[2], p[3]
    cuts = np.array([-np.inf, c0, c0 + np.exp(dc), np.inf])
    xb = XO @ beta
    low = cuts[YO] - xb
    upp = cuts[YO + 1] - xb
    prob = expit(upp) - expit(low)
    return np.sum(np.log(prob))


def zero_inflated_poisson(p):
    w = expit(p[0])
    mu = np.exp(p[1] + p[2] * XO[:, 0])
    llf_main = CNT * np.log(mu) - mu - gammaln(CNT + 1)
    zero = CNT == 0
    llf = np.where(zero, np.log(w + (1 - w) * np.exp(-mu)), np.log(1 - w) + llf_main)
    return np.sum(llf)


def tweedie_deviance(p):
    power = 1.5
    mu = np.exp(p[0] + p[1] * XO[:, 1])
    y = CNT
    dev = 2 * (
        np.power(np.maximum(y, 0), 2 - power) / ((1 - power) * (2 - power))
        - y * np.power(mu, 1 - power) / (1 - power)
        + np.power(mu, 2 - power) / (2 - power)
    )
    return np.sum(dev)


def damped_trend_sse(p):
    alpha, beta, phi = expit(p)
    y = np.cumsum(np.abs(V6)) + np.arange(6.0)
    level, trend = y[0], y[1] - y[0]
    sse = 0.0
    for t in range(1, len(y)):
        fcast = level + phi * trend
        sse += (y[t] - fcast) ** 2
        level_new = alpha * y[t] + (1 - alpha) * (level + phi * trend)
        trend = beta * (level_new - level) + (1 - beta) * phi * trend
        level = level_new
    return sse


def imm_mixing(mu):
    M = np.array([[0.97, 0.03], [0.05, 0.95]])
    mu = np.exp(mu) / np.sum(np.exp(mu))
    xs = [np.array([0.0, 1.0]), np.array([0.3, 0.8])]
    Ps = [np.eye(2), 2.0 * np.eye(2)]
    cbar = np.dot(mu, M)
    omega = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            omega[i, j] = (M[i, j] * mu[i]) / cbar[j]
    x_mixed = []
    for w in omega.T:
        x = np.zeros(2)
        for kf_x, wj in zip(xs, w):
            x += kf_x * wj
        x_mixed.append(x)
    P_mixed = []
    for _i, (w, xm) in enumerate(zip(omega.T, x_mixed)):
        P = np.zeros((2, 2))
        for kf_x, kf_P, wj in zip(xs, Ps, w):
            y = kf_x - xm
            P += wj * (np.outer(y, y) + kf_P)
        P_mixed.append(P)
    return np.sum(np.array(x_mixed) ** 2) + sum(np.trace(P) for P in P_mixed)


M54 = np.round(R.uniform(0.1, 2.0, (5, 4)), 3)
CASES = [
    Case(w1_positions, (U5,), (0,)),
    Case(w2_weighted, (np.round(0.3 * R.standard_normal(5), 3),), (0,), extra="hvp"),
    Case(ot_dist_euclidean, (XS,), (0,), extra="hvp"),
    # (was refused by the mutation check: `old_u = u[i_1]` then `u[i_1] = new_u`; accepted now)
    Case(greenkhorn_loss, (M54,), (0,)),
    Case(epsilon_scaling, (M54,), (0,), extra="hvp"),
    Case(kernel_ridge, (np.array([0.2, -2.0]),), (0,), extra="hvp"),
    Case(exponentiation_kernel, (np.array([0.1, 1.7]),), (0,), extra="hvp"),
    Case(gpc_laplace, (np.array([0.1]),), (0,), extra="hvp"),
    Case(ordered_logit, (np.array([0.4, -0.3, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(zero_inflated_poisson, (np.array([-0.5, 0.4, 0.3]),), (0,), extra="hvp"),
    Case(tweedie_deviance, (np.array([0.3, 0.2]),), (0,), extra="hvp"),
    Case(damped_trend_sse, (np.array([0.5, -1.0, 1.5]),), (0,), extra="hvp"),
    Case(imm_mixing, (np.array([0.2, -0.4]),), (0,), extra="hvp"),
]
