"""Ported cases (session 24, corp24), written anew as user code after POT (Python Optimal
Transport)'s ``ot.bregman`` and ``ot.unbalanced`` solvers: Sinkhorn-Knopp with its error check
every 10 iterations and the ``np.any(np.isnan(u))`` break, the log-domain variant with
``logsumexp`` potentials, the stabilized variant that absorbs large scalings into dual
potentials, the entropic OT loss ``<G, M>`` (``sinkhorn2``), the debiased Sinkhorn divergence of
two point clouds (squared Euclidean costs as ``ot.dist`` builds them), 1-D Wasserstein
barycenters by iterated Bregman projections (geometric means of ``K u`` over histograms), and
unbalanced Sinkhorn with KL-relaxed marginals (``fi = reg_m / (reg_m + reg)``).

Float histograms / cost matrices / point clouds -> float scalar (losses, checked at second order
with ``extra="hvp"``) or float matrix (transport plans)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import Case

R = np.random.default_rng(24000001)
XS = np.round(R.standard_normal((5, 2)), 3)
XT = np.round(R.standard_normal((4, 2)) + 0.5, 3)
A5 = np.array([0.15, 0.25, 0.2, 0.3, 0.1])
B4 = np.array([0.3, 0.2, 0.35, 0.15])
M54 = np.round(R.uniform(0.1, 2.0, (5, 4)), 3)
GRID = np.linspace(0.0, 1.0, 8)
HISTS = np.stack(
    [np.exp(-((GRID - 0.25) ** 2) / 0.02), np.exp(-((GRID - 0.7) ** 2) / 0.05)], axis=1
)
HISTS = HISTS / HISTS.sum(axis=0)


def sq_dist(x, y):
    # ot.dist with the default metric: |x|^2 + |y|^2 - 2 x y^T, clipped at zero
    x2 = np.sum(x**2, axis=1)
    y2 = np.sum(y**2, axis=1)
    d = x2[:, None] + y2[None, :] - 2.0 * np.dot(x, y.T)
    return np.maximum(d, 0.0)


def sinkhorn_knopp(a, b, M, reg, num_iter=200, stop_thr=1e-10):
    n, m = M.shape
    u = np.ones(n) / n
    v = np.ones(m) / m
    K = np.exp(M / -reg)
    Kp = (1.0 / a).reshape(-1, 1) * K
    err = 1.0
    for ii in range(num_iter):
        uprev = u
        vprev = v
        KtransposeU = np.dot(K.T, u)
        v = np.divide(b, KtransposeU)
        u = 1.0 / np.dot(Kp, v)
        if (
            np.any(KtransposeU == 0)
            or np.any(np.isnan(u))
            or np.any(np.isnan(v))
            or np.any(np.isinf(u))
            or np.any(np.isinf(v))
        ):
            u = uprev
            v = vprev
            break
        if ii % 10 == 0:
            tmp2 = np.einsum("i,ij,j->j", u, K, v)
            err = np.linalg.norm(tmp2 - b)
            if err < stop_thr:
                break
    return u.reshape((-1, 1)) * K * v.reshape((1, -1))


def sinkhorn_loss(M):
    G = sinkhorn_knopp(A5, B4, M, 0.5)
    return np.sum(G * M)


def sinkhorn_loss_marginals(p):
    a = np.exp(p[:5]) / np.sum(np.exp(p[:5]))
    b = np.exp(p[5:]) / np.sum(np.exp(p[5:]))
    G = sinkhorn_knopp(a, b, M54, 0.4)
    return np.sum(G * M54)


def sinkhorn_plan(M):
    return sinkhorn_knopp(A5, B4, M, 0.7, num_iter=60)


def sinkhorn_reg_loss(reg):
    G = sinkhorn_knopp(A5, B4, M54, reg)
    return float(np.sum(G * M54))


def entropic_loss(M):
    # the regularised objective <G, M> + reg * sum G (log G - 1)
    reg = 0.5
    G = sinkhorn_knopp(A5, B4, M, reg)
    return np.sum(G * M) + reg * np.sum(G * (np.log(G) - 1.0))


def sinkhorn_log(a, b, M, reg, num_iter=200, stop_thr=1e-10):
    n, m = M.shape
    Mr = -M / reg
    u = np.zeros(n)
    v = np.zeros(m)
    loga = np.log(a)
    logb = np.log(b)

    def get_logT(u, v):
        return Mr + u[:, None] + v[None, :]

    for ii in range(num_iter):
        v = logb - logsumexp(Mr + u[:, None], 0)
        u = loga - logsumexp(Mr + v[None, :], 1)
        if ii % 10 == 0:
            tmp2 = np.sum(np.exp(get_logT(u, v)), 0)
            err = np.linalg.norm(tmp2 - b)
            if err < stop_thr:
                break
    return np.exp(get_logT(u, v))


def sinkhorn_log_loss(M):
    G = sinkhorn_log(A5, B4, M, 0.05)  # small reg: the plain scaling would underflow sooner
    return np.sum(G * M)


def sinkhorn_log_points(xs):
    M = sq_dist(xs, XT)
    return np.sum(sinkhorn_log(A5, B4, M, 0.3) * M)


def sinkhorn_stabilized(a, b, M, reg, num_iter=300, tau=50.0, stop_thr=1e-10):
    n, m = M.shape
    alpha = np.zeros(n)
    beta = np.zeros(m)
    u = np.ones(n) / n
    v = np.ones(m) / m

    def get_K(alpha, beta):
        return np.exp(-(M - alpha.reshape((n, 1)) - beta.reshape((1, m))) / reg)

    def get_Gamma(alpha, beta, u, v):
        return np.exp(
            -(M - alpha.reshape((n, 1)) - beta.reshape((1, m))) / reg
            + np.log(u.reshape((n, 1)))
            + np.log(v.reshape((1, m)))
        )

    K = get_K(alpha, beta)
    transp = K
    loop = True
    cpt = 0
    err = 1.0
    while loop:
        uprev = u
        vprev = v
        v = b / (np.dot(K.T, u))
        u = a / (np.dot(K, v))
        if np.abs(u).max() > tau or np.abs(v).max() > tau:
            alpha, beta = alpha + reg * np.log(u), beta + reg * np.log(v)
            u, v = np.ones(n) / n, np.ones(m) / m
            K = get_K(alpha, beta)
        if cpt % 10 == 0:
            transp = get_Gamma(alpha, beta, u, v)
            err = np.linalg.norm(np.sum(transp, axis=0) - b)
        if err <= stop_thr:
            loop = False
        if cpt >= num_iter:
            loop = False
        if np.any(np.isnan(u)) or np.any(np.isnan(v)):
            u = uprev
            v = vprev
            break
        cpt = cpt + 1
    return get_Gamma(alpha, beta, u, v)


def stabilized_loss(M):
    G = sinkhorn_stabilized(A5, B4, M, 0.08, tau=20.0)
    return np.sum(G * M)


def stabilized_points(xt):
    M = sq_dist(XS, xt)
    return np.sum(sinkhorn_stabilized(A5, B4, M, 0.2) * M)


def empirical_sinkhorn2(xs, xt, reg):
    a = np.full(xs.shape[0], 1.0 / xs.shape[0])
    b = np.full(xt.shape[0], 1.0 / xt.shape[0])
    M = sq_dist(xs, xt)
    return np.sum(sinkhorn_knopp(a, b, M, reg) * M)


def sinkhorn_divergence(xs):
    reg = 0.5
    ab = empirical_sinkhorn2(xs, XT, reg)
    aa = empirical_sinkhorn2(xs, xs, reg)
    bb = empirical_sinkhorn2(XT, XT, reg)
    return ab - 0.5 * (aa + bb)


def sinkhorn_divergence_target(xt):
    reg = 0.8
    return empirical_sinkhorn2(XS, xt, reg) - 0.5 * (
        empirical_sinkhorn2(XS, XS, reg) + empirical_sinkhorn2(xt, xt, reg)
    )


def geometric_bar(weights, alldistribT):
    return np.exp(np.dot(np.log(alldistribT), weights.T))


def geometric_mean(alldistribT):
    return np.exp(np.mean(np.log(alldistribT), axis=1))


def barycenter_sinkhorn(A, M, reg, weights, num_iter=100, stop_thr=1e-10):
    K = np.exp(-M / reg)
    cpt = 0
    err = 1.0
    UKv = np.dot(K, np.divide(A.T, np.sum(K, axis=0)).T)
    u = (geometric_mean(UKv) / UKv.T).T
    while err > stop_thr and cpt < num_iter:
        cpt = cpt + 1
        UKv = u * np.dot(K, np.divide(A, np.dot(K, u)))
        u = (u.T * geometric_bar(weights, UKv)).T / UKv
        if cpt % 10 == 1:
            err = np.sum(np.std(UKv, axis=1))
    return geometric_bar(weights, UKv)


GRID_M = (GRID[:, None] - GRID[None, :]) ** 2
GRID_M = GRID_M / GRID_M.max()


def barycenter_of_hists(A):
    return barycenter_sinkhorn(A, GRID_M, 0.05, np.array([0.5, 0.5]))


def barycenter_weight(t):
    w = np.array([1.0 - t, t])
    bary = barycenter_sinkhorn(HISTS, GRID_M, 0.05, w)
    return float(np.dot(bary, GRID))  # its mean position


def barycenter_energy(A):
    bary = barycenter_sinkhorn(A, GRID_M, 0.3, np.array([0.3, 0.7]), num_iter=12)
    return np.sum(bary * np.log(bary)) + np.sum(bary * GRID**2)


def sinkhorn_unbalanced(a, b, M, reg, reg_m, num_iter=300, stop_thr=1e-10):
    dim_a, dim_b = M.shape
    u = np.ones(dim_a) / dim_a
    v = np.ones(dim_b) / dim_b
    K = np.exp(M / (-reg))
    fi = reg_m / (reg_m + reg)
    err = 1.0
    for _i in range(num_iter):
        uprev = u
        vprev = v
        Kv = K.dot(v)
        u = (a / Kv) ** fi
        Ktu = K.T.dot(u)
        v = (b / Ktu) ** fi
        if (
            np.any(Ktu == 0.0)
            or np.any(np.isnan(u))
            or np.any(np.isnan(v))
            or np.any(np.isinf(u))
            or np.any(np.isinf(v))
        ):
            u = uprev
            v = vprev
            break
        err_u = abs(u - uprev).max() / max(abs(u).max(), abs(uprev).max(), 1.0)
        err_v = abs(v - vprev).max() / max(abs(v).max(), abs(vprev).max(), 1.0)
        err = 0.5 * (err_u + err_v)
        if err < stop_thr:
            break
    return u[:, None] * K * v[None, :]


def unbalanced_loss(M):
    G = sinkhorn_unbalanced(A5, 1.5 * B4, M, 0.5, 1.0)
    return np.sum(G * M)


def unbalanced_mass(p):
    reg_m = p[0]
    G = sinkhorn_unbalanced(A5, B4 * 2.0, M54, 0.6, reg_m)
    return np.sum(G)


def unbalanced_plan(b):
    return sinkhorn_unbalanced(A5, b, M54, 0.5, 2.0)


def unbalanced_kl_objective(M):
    reg, reg_m = 0.5, 1.0
    a, b = A5, B4 * 1.2
    G = sinkhorn_unbalanced(a, b, M, reg, reg_m)
    ga, gb = G.sum(1), G.sum(0)

    def kl(p, q):
        return np.sum(p * np.log(p / q) - p + q)

    ent = np.sum(G * np.log(G / np.outer(a, b)) - G + np.outer(a, b))
    return np.sum(G * M) + reg * ent + reg_m * (kl(ga, a) + kl(gb, b))


CASES = [
    Case(sinkhorn_loss, (M54,), (0,), extra="hvp"),
    Case(sinkhorn_loss_marginals, (np.round(R.standard_normal(9) * 0.3, 3),), (0,), extra="hvp"),
    Case(sinkhorn_plan, (M54,), (0,)),
    Case(sinkhorn_reg_loss, (0.6,), (0,), extra="hvp"),
    Case(entropic_loss, (M54,), (0,), extra="hvp"),
    Case(sinkhorn_log_loss, (M54,), (0,), extra="hvp"),
    Case(sinkhorn_log_points, (XS,), (0,), extra="hvp"),
    Case(stabilized_loss, (M54,), (0,), extra="hvp", jitter=0.0),
    Case(stabilized_points, (XT,), (0,), extra="hvp", jitter=0.0),
    Case(empirical_sinkhorn2, (XS, XT, 0.7), (0, 1, 2)),
    Case(sinkhorn_divergence, (XS,), (0,), extra="hvp"),
    Case(sinkhorn_divergence_target, (XT,), (0,), extra="hvp"),
    Case(barycenter_of_hists, (HISTS,), (0,), jitter=0.002),
    Case(barycenter_weight, (0.35,), (0,), extra="hvp"),
    Case(barycenter_energy, (HISTS,), (0,), extra="hvp", jitter=0.002),
    Case(unbalanced_loss, (M54,), (0,), extra="hvp"),
    Case(unbalanced_mass, (np.array([0.8]),), (0,), extra="hvp"),
    Case(unbalanced_plan, (B4,), (0,)),
    Case(unbalanced_kl_objective, (M54,), (0,), extra="hvp"),
]
