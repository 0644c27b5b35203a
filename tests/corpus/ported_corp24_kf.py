"""Ported cases (session 24, corp24), written anew as user code after filterpy: the linear
``KalmanFilter`` predict / update cycle (``S = H P H^T + R``, ``K = P H^T inv(S)``, the Joseph
form of the covariance update) with its log-likelihood by
``scipy.stats.multivariate_normal.logpdf``, the process noise of ``Q_discrete_white_noise``, the
Rauch-Tung-Striebel smoother's backward pass, an extended Kalman filter with a range
measurement's Jacobian, the unscented filter's ``MerweScaledSigmaPoints`` (``cholesky`` of
``(lambda + n) P``, the rows ``x +- U[k]``, the weights ``Wm`` / ``Wc``) and
``unscented_transform``, the g-h (alpha-beta) filter, and a particle filter's weight update,
normalisation (``weights += 1e-300``), effective sample size and weighted estimate.

Float noise parameters / initial states / measurements -> float scalar (log-likelihoods and
losses, checked at second order with ``extra="hvp"``) or float arrays (filtered means)."""

from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy.stats import multivariate_normal

from . import Case

R = np.random.default_rng(24000005)
DT = 0.5
ZS = np.round(np.cumsum(np.full(12, 0.8)) + 0.4 * R.standard_normal(12), 4)
Z2 = np.round(np.column_stack([ZS, 0.5 * ZS]) + 0.3 * R.standard_normal((12, 2)), 4)
F_CV = np.array([[1.0, DT], [0.0, 1.0]])
H_POS = np.array([[1.0, 0.0]])
LANDMARK = np.array([2.0, -1.0])
RANGES = np.round(
    np.hypot(np.linspace(0.0, 4.0, 8) - LANDMARK[0], 0.5 - LANDMARK[1])
    + 0.05 * R.standard_normal(8),
    4,
)
PARTICLES = np.round(R.uniform(-1.0, 3.0, (20, 2)), 3)


def q_discrete_white_noise(dt, var):
    return np.array([[0.25 * dt**4, 0.5 * dt**3], [0.5 * dt**3, dt**2]]) * var


def kf_predict(x, P, F, Q):
    x = np.dot(F, x)
    P = np.dot(np.dot(F, P), F.T) + Q
    return x, P


def kf_update(x, P, z, R, H):
    y = z - np.dot(H, x)
    PHT = np.dot(P, H.T)
    S = np.dot(H, PHT) + R
    SI = np.linalg.inv(S)
    K = np.dot(PHT, SI)
    x = x + np.dot(K, y)
    I_KH = np.eye(len(x)) - np.dot(K, H)
    P = np.dot(np.dot(I_KH, P), I_KH.T) + np.dot(np.dot(K, R), K.T)
    return x, P, y, S


def kf_loglike(p):
    r_var, q_var = np.exp(p)
    x = np.array([0.0, 0.0])
    P = np.eye(2) * 10.0
    Q = q_discrete_white_noise(DT, q_var)
    Rm = np.array([[r_var]])
    ll = 0.0
    for z in ZS:
        x, P = kf_predict(x, P, F_CV, Q)
        x, P, y, S = kf_update(x, P, np.array([z]), Rm, H_POS)
        ll = ll + multivariate_normal.logpdf(y, np.zeros(1), S)
    return ll


def kf_filtered_means(x0):
    x, P = x0, np.eye(2)
    Q = q_discrete_white_noise(DT, 0.1)
    means = []
    for z in ZS:
        x, P = kf_predict(x, P, F_CV, Q)
        x, P, _, _ = kf_update(x, P, np.array([z]), np.array([[0.3]]), H_POS)
        means.append(x)
    return np.array(means)


def kf_two_sensors(p):
    H = np.array([[1.0, 0.0], [0.5, 0.0]])
    Rm = np.diag(np.exp(p[:2]))
    Q = q_discrete_white_noise(DT, np.exp(p[2]))
    x, P = np.zeros(2), 5.0 * np.eye(2)
    nll = 0.0
    for k in range(len(Z2)):
        x, P = kf_predict(x, P, F_CV, Q)
        x, P, y, S = kf_update(x, P, Z2[k], Rm, H)
        nll = nll + 0.5 * (np.log(np.linalg.det(S)) + y @ np.linalg.solve(S, y))
    return nll


def q_noise_dt(p):
    Q = q_discrete_white_noise(p[0], p[1])
    return np.sum(Q @ Q) + np.trace(Q)


def rts_smoother_loss(p):
    q_var, r_var = np.exp(p)
    Q = q_discrete_white_noise(DT, q_var)
    x, P = np.zeros(2), np.eye(2) * 10.0
    xs, Ps = [], []
    for z in ZS:
        x, P = kf_predict(x, P, F_CV, Q)
        x, P, _, _ = kf_update(x, P, np.array([z]), np.array([[r_var]]), H_POS)
        xs.append(x)
        Ps.append(P)
    xs = np.array(xs)
    Ps = np.array(Ps)
    n = xs.shape[0]
    for k in range(n - 2, -1, -1):
        Pp = np.dot(np.dot(F_CV, Ps[k]), F_CV.T) + Q
        K = np.dot(np.dot(Ps[k], F_CV.T), np.linalg.inv(Pp))
        xs[k] += np.dot(K, xs[k + 1] - np.dot(F_CV, xs[k]))
        Ps[k] += np.dot(np.dot(K, Ps[k + 1] - Pp), K.T)
    return np.sum((xs[:, 0] - ZS) ** 2) + np.sum(Ps[:, 0, 0])


def ekf_range(p):
    r_var = p[0]
    x = np.array([0.0, 0.5])
    P = np.eye(2)
    F = np.eye(2)
    Q = np.diag([0.3, 1e-3])
    nll = 0.0
    for k, z in enumerate(RANGES):
        x = F @ x + np.array([4.0 / 7.0 if k else 0.0, 0.0])
        P = F @ P @ F.T + Q
        d = x - LANDMARK
        rng = np.sqrt(d @ d)
        Hj = (d / rng).reshape(1, 2)
        S = Hj @ P @ Hj.T + r_var
        K = P @ Hj.T / S
        y = z - rng
        x = x + (K * y).ravel()
        P = (np.eye(2) - K @ Hj) @ P
        nll += 0.5 * (np.log(S[0, 0]) + y * y / S[0, 0])
    return nll


def merwe_sigma_points(x, P, alpha=0.3, beta=2.0, kappa=0.0):
    n = np.size(x)
    lambda_ = alpha**2 * (n + kappa) - n
    U = scipy.linalg.cholesky((lambda_ + n) * P)
    sigmas = np.zeros((2 * n + 1, n))
    sigmas[0] = x
    for k in range(n):
        sigmas[k + 1] = np.subtract(x, -U[k])
        sigmas[n + k + 1] = np.subtract(x, U[k])
    c = 0.5 / (n + lambda_)
    Wc = np.full(2 * n + 1, c)
    Wm = np.full(2 * n + 1, c)
    Wc[0] = lambda_ / (n + lambda_) + (1 - alpha**2 + beta)
    Wm[0] = lambda_ / (n + lambda_)
    return sigmas, Wm, Wc


def unscented_transform(sigmas, Wm, Wc, noise_cov=None):
    x = np.dot(Wm, sigmas)
    y = sigmas - x[np.newaxis, :]
    P = np.dot(y.T, np.dot(np.diag(Wc), y))
    if noise_cov is not None:
        P += noise_cov
    return x, P


def ukf_sigma_points(x):
    P = np.array([[1.0, 0.2], [0.2, 0.5]])
    sigmas, _, _ = merwe_sigma_points(x, P)
    return sigmas


def ukf_polar_transform(p):
    x = p[:2]
    P = np.array([[p[2], 0.1], [0.1, p[3]]])
    sigmas, Wm, Wc = merwe_sigma_points(x, P, alpha=0.5)
    hx = np.column_stack(
        [np.hypot(sigmas[:, 0], sigmas[:, 1]), np.arctan2(sigmas[:, 1], sigmas[:, 0])]
    )
    m, C = unscented_transform(hx, Wm, Wc, np.eye(2) * 0.01)
    return np.sum(m) + np.trace(C)


def ukf_filter_loglike(p):
    r_var = np.exp(p[0])
    x, P = np.array([0.0, 0.8]), np.eye(2)
    Q = q_discrete_white_noise(DT, 0.05)
    ll = 0.0
    for z in ZS:
        sig, Wm, Wc = merwe_sigma_points(x, P, alpha=0.4)
        sig_f = sig @ F_CV.T
        xp, Pp = unscented_transform(sig_f, Wm, Wc, Q)
        sig, Wm, Wc = merwe_sigma_points(xp, Pp, alpha=0.4)
        zs = np.sin(0.1 * sig[:, 0]) * 10.0
        zp = Wm @ zs
        Pz = Wc @ (zs - zp) ** 2 + r_var
        Pxz = (Wc * (zs - zp)) @ (sig - xp)
        K = Pxz / Pz
        y = z - zp
        x = xp + K * y
        P = Pp - np.outer(K, K) * Pz
        ll -= 0.5 * (np.log(2 * np.pi * Pz) + y * y / Pz)
    return ll


def gh_filter(p):
    g, h = p
    x, dx = 0.0, 1.0
    out = []
    for z in ZS:
        x_est = x + dx * DT
        residual = z - x_est
        dx = dx + h * residual / DT
        x = x_est + g * residual
        out.append(x)
    return np.array(out)


def particle_weights(landmark):
    weights = np.ones(len(PARTICLES)) / len(PARTICLES)
    z = 1.7
    dist = np.linalg.norm(PARTICLES - landmark, axis=1)
    sigma = 0.5
    weights *= np.exp(-0.5 * ((z - dist) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    weights += 1.0e-300
    weights /= np.sum(weights)
    return weights


def particle_estimate(landmark):
    weights = particle_weights(landmark)
    mean = np.average(PARTICLES, weights=weights, axis=0)
    var = np.average((PARTICLES - mean) ** 2, weights=weights, axis=0)
    neff = 1.0 / np.sum(np.square(weights))
    return np.sum(mean) + np.sum(var) + 0.01 * neff


CASES = [
    Case(kf_loglike, (np.array([-1.0, -1.5]),), (0,), extra="hvp"),
    Case(kf_filtered_means, (np.array([0.1, 0.7]),), (0,)),
    Case(kf_two_sensors, (np.array([-1.0, -0.5, -2.0]),), (0,), extra="hvp"),
    Case(q_noise_dt, (np.array([0.4, 1.3]),), (0,), extra="hvp"),
    Case(rts_smoother_loss, (np.array([-1.2, -0.8]),), (0,), extra="hvp"),
    Case(ekf_range, (np.array([0.2]),), (0,), extra="hvp", jitter=0.005),
    Case(ukf_sigma_points, (np.array([0.3, -0.4]),), (0,)),
    Case(ukf_polar_transform, (np.array([1.2, 0.7, 0.3, 0.2]),), (0,), extra="hvp", jitter=0.01),
    Case(ukf_filter_loglike, (np.array([-1.0]),), (0,), extra="hvp"),
    Case(gh_filter, (np.array([0.6, 0.3]),), (0,)),
    Case(particle_weights, (np.array([1.0, 0.5]),), (0,)),
    Case(particle_estimate, (np.array([1.0, 0.5]),), (0,), extra="hvp"),
]
