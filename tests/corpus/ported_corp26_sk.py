"""Ported cases (session 26, corp26), written anew as user code after scikit-learn's objective
functions: HuberRegressor's loss with the scale ``sigma`` and the outlier mask
``|y - X w - c| > epsilon sigma``, the ridge and elastic-net smooth parts, an MLP regressor /
classifier as ``coefs_`` / ``intercepts_`` lists with an ``ACTIVATIONS`` dict of functions and
the squared / log loss plus ``alpha`` L2, GaussianMixture's ``_estimate_log_prob`` for the full,
tied, diagonal and spherical covariance types through the Cholesky factors of the precisions,
KernelRidge's dual objective, BayesianRidge's log marginal likelihood, probabilistic PCA's
``score`` through the model's precision matrix, t-SNE's KL divergence with Student-t affinities,
NMF's beta divergences (Frobenius, KL, Itakura-Saito), SGD's modified-Huber and log losses and
the PoissonRegressor objective.

Float parameter vectors / matrices -> float scalar (checked at second order with
``extra="hvp"`` where smooth at the example point)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import Case

R = np.random.default_rng(26000002)
X = np.round(R.normal(size=(12, 3)), 3)
Y = np.round(X @ np.array([1.0, -2.0, 0.5]) + 0.3 * R.normal(size=12), 3)
Y[[2, 7]] += np.array([6.0, -5.0])
YC = (Y > 0).astype(float)


def huber_loss(w, X, y, epsilon=1.35, alpha=1e-4):
    n_features = X.shape[1]
    coef, intercept, sigma = w[:n_features], w[n_features], w[-1]
    residual = np.abs(y - X @ coef - intercept)
    outliers = residual > epsilon * sigma
    n_sw_outliers = np.sum(outliers)
    out_res = residual[outliers]
    outlier_loss = 2.0 * epsilon * np.sum(out_res) - sigma * n_sw_outliers * epsilon**2
    non_out = residual[~outliers]
    squared_loss = np.dot(non_out / sigma, non_out)
    n = y.shape[0]
    return n * sigma + squared_loss + outlier_loss + alpha * np.dot(coef, coef)


def ridge_objective(w, alpha):
    r = Y - X @ w
    return 0.5 * r @ r + 0.5 * alpha * w @ w


def elastic_net_smooth(w, alpha, l1_ratio):
    n = X.shape[0]
    r = Y - X @ w
    l1 = np.sum(np.sqrt(w * w + 1e-6))
    return r @ r / (2 * n) + alpha * l1_ratio * l1 + 0.5 * alpha * (1 - l1_ratio) * w @ w


def _identity(z):
    return z


def _relu(z):
    return np.maximum(z, 0)


def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS = {"identity": _identity, "tanh": np.tanh, "relu": _relu, "logistic": _logistic}


class TinyMLP:
    def __init__(self, coefs, intercepts, activation="tanh", out_activation="identity"):
        self.coefs_ = coefs
        self.intercepts_ = intercepts
        self.activation = activation
        self.out_activation_ = out_activation

    def _forward_pass(self, X):
        act = ACTIVATIONS[self.activation]
        a = X
        for i in range(len(self.coefs_) - 1):
            a = act(a @ self.coefs_[i] + self.intercepts_[i])
        a = a @ self.coefs_[-1] + self.intercepts_[-1]
        return ACTIVATIONS[self.out_activation_](a)

    def forward_direct(self, X):
        a = X
        for W, b in zip(self.coefs_[:-1], self.intercepts_[:-1]):
            a = ACTIVATIONS[self.activation](a @ W + b)
        return ACTIVATIONS[self.out_activation_](a @ self.coefs_[-1] + self.intercepts_[-1])


def mlp_direct_loss(W1, W2, W3):
    net = TinyMLP([W1, W2, W3], [np.full(4, 0.1), np.full(2, -0.1), np.zeros(1)], "logistic")
    pred = net.forward_direct(X)[:, 0]
    return 0.5 * np.mean((pred - Y) ** 2)


def mlp_regressor_loss(W1, W2, alpha):
    net = TinyMLP([W1, W2], [np.full(4, 0.1), np.zeros(1)])
    pred = net._forward_pass(X)[:, 0]
    values = sum(np.sum(c**2) for c in net.coefs_)
    return 0.5 * np.mean((pred - Y) ** 2) + 0.5 * alpha * values / X.shape[0]


def mlp_classifier_loss(W1, W2):
    net = TinyMLP([W1, W2], [np.zeros(4), np.zeros(1)], "relu", "logistic")
    p = np.clip(net._forward_pass(X)[:, 0], 1e-10, 1 - 1e-10)
    return -np.mean(YC * np.log(p) + (1 - YC) * np.log(1 - p))


def _log_det_chol(prec_chol, cov_type, n_features):
    if cov_type == "full":
        return np.sum(np.log(np.diagonal(prec_chol, axis1=1, axis2=2)), axis=1)
    if cov_type == "tied":
        return np.sum(np.log(np.diag(prec_chol)))
    if cov_type == "diag":
        return np.sum(np.log(prec_chol), axis=1)
    return n_features * np.log(prec_chol)


def gmm_log_prob(X, means, prec_chol, cov_type):
    n, d = X.shape
    k = means.shape[0]
    log_det = _log_det_chol(prec_chol, cov_type, d)
    if cov_type == "full":
        log_prob = np.empty((n, k))
        for j, (mu, pc) in enumerate(zip(means, prec_chol)):
            yk = X @ pc - mu @ pc
            log_prob[:, j] = np.sum(yk**2, axis=1)
    elif cov_type == "tied":
        log_prob = np.empty((n, k))
        for j, mu in enumerate(means):
            yk = X @ prec_chol - mu @ prec_chol
            log_prob[:, j] = np.sum(yk**2, axis=1)
    elif cov_type == "diag":
        P = prec_chol**2
        log_prob = np.sum(means**2 * P, 1) - 2.0 * X @ (means * P).T + (X**2) @ P.T
    else:
        P = prec_chol**2
        log_prob = np.sum(means**2, 1) * P - 2 * X @ means.T * P + np.outer(np.sum(X**2, 1), P)
    return -0.5 * (d * np.log(2 * np.pi) + log_prob) + log_det


def gmm_score(means, prec_chol, log_w, cov_type):
    lp = gmm_log_prob(X, means, prec_chol, cov_type) + (log_w - logsumexp(log_w))
    return np.mean(logsumexp(lp, axis=1))


def gmm_full(means, L):
    pc = np.stack([np.tril(L[0]), np.tril(L[1])])
    return gmm_score(means, pc, np.array([0.2, -0.1]), "full")


def gmm_tied(means, L):
    return gmm_score(means, np.triu(L), np.array([0.2, -0.1]), "tied")


def gmm_diag(means, p):
    return gmm_score(means, p, np.array([0.2, -0.1]), "diag")


def gmm_spherical(means, p):
    return gmm_score(means, p, np.array([0.2, -0.1]), "spherical")


def kernel_ridge_dual(dual, gamma, alpha):
    sq = np.sum(X**2, 1)[:, None] + np.sum(X**2, 1)[None, :] - 2 * X @ X.T
    K = np.exp(-gamma * sq)
    r = Y - K @ dual
    return 0.5 * r @ r + 0.5 * alpha * dual @ K @ dual


def bayesian_ridge_lml(log_alpha, log_lambda):
    alpha_, lambda_ = np.exp(log_alpha), np.exp(log_lambda)
    n, d = X.shape
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    eig = S**2
    coef = Vt.T @ ((S / (eig + lambda_ / alpha_)) * (U.T @ Y))
    rmse = np.sum((Y - X @ coef) ** 2)
    logdet_sigma = -np.sum(np.log(lambda_ + alpha_ * eig))
    return 0.5 * (
        d * np.log(lambda_)
        + n * np.log(alpha_)
        - alpha_ * rmse
        - lambda_ * np.sum(coef**2)
        + logdet_sigma
        - n * np.log(2 * np.pi)
    )


def ppca_score(W, log_noise):
    noise = np.exp(log_noise)
    Xc = X - X.mean(axis=0)
    cov = W.T @ W + noise * np.eye(X.shape[1])
    precision = np.linalg.inv(cov)
    log_like = -0.5 * np.sum(Xc * (Xc @ precision), axis=1)
    log_like -= 0.5 * (X.shape[1] * np.log(2 * np.pi) - np.linalg.slogdet(precision)[1])
    return np.mean(log_like)


def tsne_kl(Yemb, P, dof=1.0):
    d2 = np.sum((Yemb[:, None, :] - Yemb[None, :, :]) ** 2, axis=-1)
    num = (1.0 + d2 / dof) ** (-(dof + 1.0) / 2.0)
    np.fill_diagonal(num, 0.0)
    Q = np.maximum(num / np.sum(num), 1e-12)
    mask = ~np.eye(len(P), dtype=bool)
    return np.sum(P[mask] * np.log(np.maximum(P[mask], 1e-12) / Q[mask]))


def beta_divergence(Wm, H, beta):
    Xp = np.abs(X[:6]) + 0.1
    WH = Wm @ H
    if beta == 2:
        return 0.5 * np.sum((Xp - WH) ** 2)
    if beta == 1:
        return np.sum(Xp * np.log(Xp / WH) - Xp + WH)
    if beta == 0:
        return np.sum(Xp / WH - np.log(Xp / WH)) - Xp.size
    return np.sum(
        Xp**beta / (beta * (beta - 1)) + WH**beta / beta - Xp * WH ** (beta - 1) / (beta - 1)
    )


def sgd_losses(w, loss):
    z = X @ w
    yy = 2 * YC - 1
    m = yy * z
    if loss == "log_loss":
        return np.mean(np.logaddexp(0.0, -m))
    out = np.where(m >= 1.0, 0.0, np.where(m >= -1.0, (1.0 - m) ** 2, -4.0 * m))
    return np.mean(out)


def poisson_regressor(w, alpha):
    counts = np.round(np.exp(0.3 * X[:, 0])) + YC
    eta = X @ w[1:] + w[0]
    return np.mean(np.exp(eta) - counts * eta) + 0.5 * alpha * w[1:] @ w[1:]


def _p():
    rng = np.random.default_rng(3)
    A = rng.uniform(0.1, 1.0, (5, 5))
    np.fill_diagonal(A, 0.0)
    A = A + A.T
    return A / A.sum()


MEANS = np.array([[0.5, -0.2, 0.1], [-0.6, 0.4, -0.3]])
LFULL = np.array([np.eye(3) * 1.2 + 0.1 * R.normal(size=(3, 3)) for _ in range(2)])
CASES = [
    Case(huber_loss, (np.array([0.9, -1.8, 0.4, 0.2, 1.1]), X, Y), (0,), extra="hvp"),
    Case(ridge_objective, (np.array([0.9, -1.8, 0.4]), 0.7), (0, 1), extra="hvp"),
    Case(elastic_net_smooth, (np.array([0.9, -1.8, 0.4]), 0.3, 0.6), (0, 1, 2), extra="hvp"),
    Case(
        mlp_regressor_loss,
        (np.round(R.normal(size=(3, 4)), 3), np.round(R.normal(size=(4, 1)), 3), 1e-2),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        mlp_classifier_loss,
        (np.round(R.normal(size=(3, 4)), 3), np.round(R.normal(size=(4, 1)), 3)),
        (0, 1),
    ),
    Case(
        mlp_direct_loss,
        (
            np.round(R.normal(size=(3, 4)), 3),
            np.round(R.normal(size=(4, 2)), 3),
            np.round(R.normal(size=(2, 1)), 3),
        ),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(gmm_full, (MEANS, LFULL), (0, 1), extra="hvp"),
    Case(gmm_tied, (MEANS, LFULL[0].T), (0, 1), extra="hvp"),
    Case(gmm_diag, (MEANS, np.array([[1.1, 0.9, 1.3], [0.8, 1.2, 1.0]])), (0, 1), extra="hvp"),
    Case(gmm_spherical, (MEANS, np.array([1.1, 0.8])), (0, 1), extra="hvp"),
    Case(kernel_ridge_dual, (np.round(R.normal(size=12), 3) * 0.3, 0.5, 0.1), (0, 1, 2)),
    Case(bayesian_ridge_lml, (0.2, -0.5), (0, 1), extra="hvp"),
    Case(ppca_score, (np.round(R.normal(size=(2, 3)), 3), -0.7), (0, 1), extra="hvp"),
    Case(tsne_kl, (np.round(R.normal(size=(5, 2)), 3), _p()), (0,), extra="hvp"),
    Case(
        beta_divergence,
        (R.uniform(0.3, 1.0, (6, 2)), R.uniform(0.3, 1.0, (2, 3)), 2),
        (0, 1),
        extra="hvp",
    ),
    Case(
        beta_divergence,
        (R.uniform(0.3, 1.0, (6, 2)), R.uniform(0.3, 1.0, (2, 3)), 1),
        (0, 1),
        name="ported_corp26_sk.beta_divergence_kl",
        extra="hvp",
    ),
    Case(
        beta_divergence,
        (R.uniform(0.3, 1.0, (6, 2)), R.uniform(0.3, 1.0, (2, 3)), 0),
        (0, 1),
        name="ported_corp26_sk.beta_divergence_is",
        extra="hvp",
    ),
    Case(
        beta_divergence,
        (R.uniform(0.3, 1.0, (6, 2)), R.uniform(0.3, 1.0, (2, 3)), 1.5),
        (0, 1),
        name="ported_corp26_sk.beta_divergence_15",
        extra="hvp",
    ),
    Case(sgd_losses, (np.array([0.4, -0.3, 0.2]), "modified_huber"), (0,)),
    Case(
        sgd_losses,
        (np.array([0.4, -0.3, 0.2]), "log_loss"),
        (0,),
        name="ported_corp26_sk.sgd_log_loss",
        extra="hvp",
    ),
    Case(poisson_regressor, (np.array([0.1, 0.3, -0.2, 0.1]), 0.5), (0, 1), extra="hvp"),
]
