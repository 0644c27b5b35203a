"""Ported cases (session 28, corp28), numpy-ml's models (second part of ported_corp28_npml):
written anew as user code after ddbourgin/numpy-ml's numpy_ml/linear_models (ridge regression's
penalised sum of squares, LogisticRegression's ``_NLL`` with an l2 penalty, Bayesian linear
regression's log evidence with a known noise variance), numpy_ml/gmm (the GMM's variational lower
bound, responsibilities by ``logsumexp`` in loops) and numpy_ml/hmm (MultinomialHMM's forward
lattice in log space filled in place).

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported_corp28_npml import X64, Y6, YB, softmax

R = np.random.default_rng(28102)


def ridge_objective(beta, alpha=1.0):
    """numpy_ml/linear_models LinearRegression with ridge penalty: the fitted objective."""
    X = np.c_[np.ones(X64.shape[0]), X64]
    resid = Y6 - X @ beta
    return 0.5 * resid @ resid + 0.5 * alpha * beta @ beta


def logistic_nll(beta, gamma=0.1):
    """numpy_ml LogisticRegression._NLL with penalty="l2", normalized by N."""
    X = np.c_[np.ones(X64.shape[0]), X64]
    N, M = X.shape
    order = 2
    norm_beta = np.linalg.norm(beta, ord=order)
    y_pred = 1 / (1 + np.exp(-X @ beta))
    nll = -np.log(y_pred[YB == 1]).sum() - np.log(1 - y_pred[YB == 0]).sum()
    penalty = (gamma / 2) * norm_beta**2
    return (penalty + nll) / N


def bayes_lr_log_evidence(log_params):
    """numpy_ml BayesianLinearRegressionKnownVariance: the marginal likelihood of y under
    b ~ N(mu, sigma^2 V), y | b ~ N(X b, sigma^2 I): y ~ N(X mu, sigma^2 (I + X V X^T))."""
    sigma2, v = np.exp(log_params[0]), np.exp(log_params[1])
    X = X64[:, :2]
    N = X.shape[0]
    mu = np.zeros(2)
    V = v * np.eye(2)
    C = sigma2 * (np.eye(N) + X @ V @ X.T)
    r = Y6 - X @ mu
    sign, logdet = np.linalg.slogdet(C)
    return -0.5 * (r @ np.linalg.solve(C, r) + logdet + N * np.log(2 * np.pi))


def log_gaussian_pdf(x_i, mu, sigma):
    n = len(mu)
    a = n * np.log(2 * np.pi)
    _, b = np.linalg.slogdet(sigma)
    y = np.linalg.solve(sigma, x_i - mu)
    c = np.dot(x_i - mu, y)
    return -0.5 * (a + b + c)


def logsumexp(log_probs, axis=None):
    _max = np.max(log_probs)
    ds = log_probs - _max
    exp_sum = np.exp(ds).sum(axis=axis)
    return _max + np.log(exp_sum)


def gmm_vlb(mu):
    """numpy_ml/gmm GMM.likelihood_lower_bound: sum_i sum_c Q[i, c] (log pi_c + log N(x_i |
    mu_c, Sigma_c)) - Q log Q, with responsibilities Q from the E-step (logsumexp)."""
    X = X64[:, :2]
    C = 2
    pi = np.array([0.4, 0.6])
    sigma = np.array([np.eye(2) * 1.2, np.array([[1.0, 0.3], [0.3, 0.8]])])
    mu = mu.reshape(C, 2)
    N = X.shape[0]
    Q = np.zeros((N, C))
    for i in range(N):
        x_i = X[i, :]
        denom_vals = []
        for c in range(C):
            log_pi_c = np.log(pi[c] + 1e-12)
            log_p_x_i = log_gaussian_pdf(x_i, mu[c, :], sigma[c, :, :])
            denom_vals.append(log_p_x_i + log_pi_c)
        log_denom = logsumexp(denom_vals)
        Q[i, :] = np.exp(np.array(denom_vals) - log_denom)
    expec1, expec2 = 0.0, 0.0
    for i in range(N):
        x_i = X[i]
        for c in range(C):
            log_pi_k = np.log(pi[c] + 1e-12)
            log_p_x_i = log_gaussian_pdf(x_i, mu[c], sigma[c])
            expec1 += Q[i, c] * (log_p_x_i + log_pi_k)
            expec2 += Q[i, c] * np.log(Q[i, c] + 1e-12)
    return expec1 - expec2


def hmm_log_likelihood(A_logits, B_logits):
    """numpy_ml/hmm MultinomialHMM._forward: the forward lattice in log space, filled in place
    (``forward[s, t] = logsumexp(...)``), the sequence's log-likelihood at the last column."""
    eps = np.finfo(float).eps
    A = softmax(A_logits, axis=1)
    B = softmax(B_logits, axis=1)
    pi = np.array([0.6, 0.4])
    Obs = np.array([0, 2, 1, 1, 0])
    N, T = A.shape[0], len(Obs)
    forward = np.zeros((N, T))
    ot = Obs[0]
    for s in range(N):
        forward[s, 0] = np.log(pi[s] + eps) + np.log(B[s, ot] + eps)
    for t in range(1, T):
        ot = Obs[t]
        for s in range(N):
            forward[s, t] = logsumexp(
                [
                    forward[s_, t - 1] + np.log(A[s_, s] + eps) + np.log(B[s, ot] + eps)
                    for s_ in range(N)
                ]
            )
    return logsumexp(forward[:, T - 1])


CASES = [
    Case(ridge_objective, (np.round(R.normal(size=5) * 0.5, 3), 0.7), (0, 1), extra="hvp"),
    Case(logistic_nll, (np.round(R.normal(size=5) * 0.5, 3), 0.2), (0, 1), extra="hvp"),
    Case(bayes_lr_log_evidence, (np.array([-0.2, 0.3]),), (0,), extra="hvp"),
    Case(gmm_vlb, (np.array([0.5, -0.3, -0.6, 0.4]),), (0,), extra="hvp"),
    Case(
        hmm_log_likelihood,
        (np.round(R.normal(size=(2, 2)), 3), np.round(R.normal(size=(2, 3)), 3)),
        (0, 1),
        extra="hvp",
    ),
]
