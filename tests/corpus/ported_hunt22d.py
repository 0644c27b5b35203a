"""Ported cases (session 22, hunt22d), vector-valued versions of the statistics, ML and numerical
programs (checked by jacfwd against jacrev and central differences): Kalman filtered means, a
GARCH volatility path, an HMM's forward-backward posteriors, EM responsibilities, stick-breaking
weights, soft ranks, distillation probabilities, an RK4 trajectory written into rows, the heat
equation's final state, a CG solution, Newton's method on a vector system (while loop on the
residual norm), power iteration's eigenvector, a spline at many points, a t-SNE gradient as a
function of the embedding, np.sort of a transformed vector; and mixed arguments (a float32
array, int count arrays, a float hyperparameter).

Small user functions -> `CASES` (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit, gammaln, logsumexp

from . import Case

R = np.random.default_rng(2205)
SPD = R.standard_normal((4, 4))
SPD = SPD @ SPD.T + 4 * np.eye(4)


def kalman_means(theta):
    q, r = np.exp(theta[0]), np.exp(theta[1])
    ys = np.array([0.1, 0.5, 1.2, 1.9, 3.1])
    out = np.zeros(len(ys))
    x, P = 0.0, 1.0
    for t, y in enumerate(ys):
        P = P + q
        K = P / (P + r)
        x = x + K * (y - x)
        P = (1 - K) * P
        out[t] = x
    return out


def garch_vol(theta):
    w, a, b = np.exp(theta[0]), theta[1], theta[2]
    r = np.array([0.1, -0.2, 0.15, -0.3, 0.05, 0.2])
    sigma2 = np.empty_like(r)
    sigma2[0] = w / (1 - a - b)
    for t in range(1, len(r)):
        sigma2[t] = w + a * r[t - 1] ** 2 + b * sigma2[t - 1]
    return np.sqrt(sigma2)


def hmm_posteriors(params):
    A = np.exp(params[:4].reshape(2, 2))
    A = A / A.sum(1, keepdims=True)
    mus = params[4:6]
    obs = np.array([0.2, 1.5, 1.1, -0.3])
    T = len(obs)
    B = np.exp(-0.5 * (obs[:, None] - mus) ** 2)
    alpha = np.zeros((T, 2))
    beta = np.ones((T, 2))
    alpha[0] = 0.5 * B[0]
    alpha[0] /= alpha[0].sum()
    for t in range(1, T):
        alpha[t] = (alpha[t - 1] @ A) * B[t]
        alpha[t] /= alpha[t].sum()
    for t in range(T - 2, -1, -1):
        beta[t] = A @ (B[t + 1] * beta[t + 1])
        beta[t] /= beta[t].sum()
    gamma = alpha * beta
    gamma /= gamma.sum(axis=1, keepdims=True)
    return gamma[:, 0]


def em_resp(mu):
    x = np.array([-1.2, -0.8, 0.9, 1.1, 0.2])
    logp = -0.5 * (x[:, None] - mu[None, :]) ** 2
    return np.exp(logp - logsumexp(logp, axis=1, keepdims=True)).ravel()


def stick_weights(v_raw):
    v = expit(v_raw)
    w = np.zeros(len(v) + 1)
    rest = 1.0
    for k, vk in enumerate(v):
        w[k] = vk * rest
        rest *= 1 - vk
    w[-1] = rest
    return w


def soft_ranks(x, tau=0.3):
    P = expit((x[:, None] - x[None, :]) / tau)
    return 0.5 + P.sum(axis=1)


def distill_probs(s, T=2.0):
    z = s.reshape(2, 3) / T
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).ravel()


def rk4_traj(p):
    def f(y):
        return np.array([y[1], -p[0] * np.sin(y[0]) - p[1] * y[1]])

    y = np.array([1.0, 0.0])
    h = 0.1
    traj = np.zeros((6, 2))
    traj[0] = y
    for i in range(1, 6):
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        traj[i] = y
    return traj.ravel()


def heat_state(u0, r=0.2):
    u = u0.copy()
    for _ in range(5):
        lap = np.zeros_like(u)
        lap[1:-1] = u[2:] - 2 * u[1:-1] + u[:-2]
        u = u + r * lap
        u[0] = 0.0
        u[-1] = u[-2]
    return u


def cg_vec(b):
    x = np.zeros(4)
    r = b.copy()
    p = r.copy()
    rs = r @ r
    for _ in range(10):
        if math.sqrt(rs) < 1e-13:
            break
        Ap = SPD @ p
        a = rs / (p @ Ap)
        x += a * p
        r -= a * Ap
        rn = r @ r
        p = r + rn / rs * p
        rs = rn
    return x


def newton_system(c):
    x = np.array([1.0, 1.0])
    while True:
        F = np.array([x[0] ** 2 + x[1] - c[0], x[0] - x[1] ** 3 + c[1]])
        if np.linalg.norm(F) < 1e-13:
            break
        J = np.array([[2 * x[0], 1.0], [1.0, -3 * x[1] ** 2]])
        x = x - np.linalg.solve(J, F)
    return x


def power_vec(m):
    A = m.reshape(3, 3)
    A = A + A.T + 5 * np.eye(3)
    v = np.array([1.0, 0.5, 0.2])
    for _ in range(300):
        v = A @ v
        v /= np.linalg.norm(v)
    if v[0] < 0:
        v = -v
    return v


KN = np.array([0.0, 0.5, 1.1, 1.8, 2.5])


def spline_many(vals):
    xq = np.linspace(0.05, 2.45, 7)
    idx = np.clip(np.searchsorted(KN, xq, side="right") - 1, 0, len(KN) - 2)
    t = (xq - KN[idx]) / np.diff(KN)[idx]
    return (1 - t) * vals[idx] + t * vals[idx + 1]


def tsne_gradient(yflat):
    Y = yflat.reshape(4, 2)
    P = np.array(
        [[0, 0.2, 0.05, 0.05], [0.2, 0, 0.1, 0.05], [0.05, 0.1, 0, 0.05], [0.05, 0.05, 0.05, 0]]
    )
    diff = Y[:, None, :] - Y[None, :, :]
    num = 1 / (1 + np.sum(diff**2, -1))
    np.fill_diagonal(num, 0)
    Q = num / num.sum()
    return (4 * np.einsum("ij,ijk->ik", (P - Q) * num, diff)).ravel()


def sort_transformed(x):
    return np.sort(np.tanh(x) * 2 + x**2)


def negbin_mean_var(params, counts, shrink):
    r = np.exp(params[0])
    mu = np.exp(params[1:])
    ll = (
        gammaln(counts + r) - gammaln(r) + r * np.log(r / (r + mu)) + counts * np.log(mu / (r + mu))
    )
    return ll * shrink + mu


def float32_features(w, X32):
    h = np.tanh(X32 @ w)
    return h / (1.0 + np.sum(h**2))


CASES = [
    Case(kalman_means, (np.array([-1.0, -0.5]),), (0,)),
    Case(garch_vol, (np.array([-3.0, 0.1, 0.8]),), (0,)),
    Case(hmm_posteriors, (np.array([0.5, -0.5, -0.2, 0.3, 0.0, 1.2]),), (0,)),
    Case(em_resp, (np.array([-0.5, 0.7]),), (0,)),
    Case(stick_weights, (np.array([0.2, -0.4, 0.1]),), (0,)),
    Case(soft_ranks, (np.array([0.1, 0.9, 0.4, 1.6]),), (0,)),
    Case(distill_probs, (R.standard_normal(6),), (0,)),
    Case(rk4_traj, (np.array([2.0, 0.3]),), (0,)),
    Case(heat_state, (R.standard_normal(7),), (0,)),
    Case(cg_vec, (R.standard_normal(4),), (0,)),
    Case(newton_system, (np.array([2.0, 0.5]),), (0,)),
    Case(power_vec, (R.standard_normal(9) * 0.3,), (0,)),
    Case(spline_many, (np.array([0.0, 1.0, 0.5, -0.5, 0.2]),), (0,)),
    Case(tsne_gradient, (R.standard_normal(8),), (0,)),
    Case(sort_transformed, (np.array([0.3, -1.2, 0.8, 0.1]),), (0,)),
    Case(negbin_mean_var, (np.array([0.5, 0.1, -0.3, 0.7]), np.array([0, 3, 1]), 0.5), (0,)),
    Case(
        float32_features,
        (np.array([0.3, -0.2, 0.5]), R.standard_normal((4, 3)).astype(np.float32)),
        (0,),
    ),
]
