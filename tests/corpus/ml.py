"""NumPy-heavy ML-style code: losses, layers, small networks, regularizers."""

from __future__ import annotations

import numpy as np

from . import Case

RNG = np.random.default_rng(42)
X = RNG.standard_normal((6, 3))
Y = RNG.standard_normal(6)
LABELS = np.array([0, 2, 1, 1, 0, 2])


def mse_loss(w, b):
    pred = X @ w + b
    return np.mean((pred - Y) ** 2)


def logistic_loss(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    eps = 1e-12
    return -np.mean(y * np.log(p + eps) + (1.0 - y) * np.log(1.0 - p + eps))


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_xent(W, x, labels):
    logits = x @ W
    p = softmax(logits)
    n = labels.shape[0]
    return -np.log(p[np.arange(n), labels]).mean()


def mlp(params, x):
    W1, b1, W2, b2 = params
    h = np.tanh(x @ W1 + b1)
    return h @ W2 + b2


def mlp_loss(params, x, y):
    pred = mlp(params, x)
    return 0.5 * ((pred - y) ** 2).sum()


def layer_norm(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def attention(q, k, v):
    d = q.shape[-1]
    scores = q @ k.T / np.sqrt(d)
    return softmax(scores) @ v


def rnn(h0, Wh, xs):
    h = h0
    total = 0.0
    for t in range(xs.shape[0]):
        h = np.tanh(Wh @ h + xs[t])
        total = total + h.sum()
    return total


def l2_regularized(w, lam=0.1):
    data = mse_loss(w, 0.0)
    return data + lam * np.sum(w**2)


def gd_steps(w0, lr, steps):
    w = w0
    for _ in range(steps):
        pred = X @ w
        g = 2.0 * X.T @ (pred - Y) / Y.shape[0]
        w = w - lr * g
    return mse_loss(w, 0.0)


def gaussian_nll(mu, log_sigma, x):
    sigma = np.exp(log_sigma)
    z = (x - mu) / sigma
    return np.sum(0.5 * z**2 + log_sigma + 0.5 * np.log(2.0 * np.pi))


def cosine_similarity(a, b):
    return (a @ b) / (np.linalg.norm(a) * np.linalg.norm(b))


def conv1d_valid(x, kernel):
    n, k = x.shape[0], kernel.shape[0]
    out = np.zeros(n - k + 1)
    for i in range(n - k + 1):
        out[i] = x[i : i + k] @ kernel
    return out


def batch_stats(x):
    m = x.mean(axis=0)
    s = x.std(axis=0)
    return (x - m) / (s + 1e-3)


def sum_of_squares_where(x):
    return np.where(x > 0.0, x**2, 0.1 * x).sum()


def reshape_and_transpose(x):
    A = x.reshape(2, 3)
    B = np.transpose(A) @ A
    return np.trace(B) + B[0, 2]


def gmm_nll(alphas, means, logsig, X):
    """A Gaussian mixture's negative log-likelihood, diagonal covariances (benchmarks/problems.py's
    GMM row): straight-line array code whose gradient is a golden file."""
    am = np.max(alphas)
    logw = alphas - am - np.log(np.sum(np.exp(alphas - am)))
    z = (X[:, None, :] - means[None, :, :]) * np.exp(-logsig)[None, :, :]
    logp = logw - 0.5 * np.sum(z**2, axis=2) - np.sum(logsig, axis=1)
    m = np.max(logp, axis=1, keepdims=True)
    ll = np.log(np.sum(np.exp(logp - m), axis=1)) + m[:, 0]
    return -np.sum(ll)


def mse_arrays(p, y):
    """The mean squared error of two arrays (a regression's loss)."""
    return np.mean((p - y) ** 2)


def mse_rows(p, y):
    """Per-row mean squared errors, weighed by a function of each."""
    return np.sum(np.log1p(np.mean((p - y) ** 2, axis=1)))


CASES = [
    Case(mse_loss, (np.array([0.5, -0.2, 0.1]), 0.3), (0, 1)),
    Case(logistic_loss, (np.array([0.5, -0.2, 0.1]), X, (Y > 0).astype(float)), (0, 1)),
    Case(logsumexp, (np.array([0.5, -0.2, 1.1]),), (0,)),
    Case(softmax, (np.array([[0.5, -0.2, 1.1], [0.0, 0.3, -0.4]]),), (0,)),
    Case(softmax_xent, (RNG.standard_normal((3, 3)), X, LABELS), (0, 1)),
    Case(
        mlp_loss,
        (
            (RNG.standard_normal((3, 4)), np.zeros(4) + 0.1, RNG.standard_normal(4), 0.2),
            X,
            Y,
        ),
        (0, 1, 2),
    ),
    Case(layer_norm, (np.array([[0.5, -0.2, 1.1], [0.0, 0.3, -0.4]]), 1.5, 0.1), (0, 1, 2)),
    Case(
        attention,
        (RNG.standard_normal((2, 3)), RNG.standard_normal((4, 3)), RNG.standard_normal((4, 2))),
        (0, 1, 2),
    ),
    Case(
        rnn,
        (np.zeros(2) + 0.1, 0.5 * RNG.standard_normal((2, 2)), RNG.standard_normal((4, 2))),
        (0, 1, 2),
    ),
    Case(l2_regularized, (np.array([0.5, -0.2, 0.1]),), (0,)),
    Case(gd_steps, (np.array([0.5, -0.2, 0.1]), 0.05, 5), (0, 1)),
    Case(gaussian_nll, (0.3, -0.2, np.array([0.5, -0.2, 1.1])), (0, 1, 2)),
    Case(cosine_similarity, (np.array([0.5, -0.2, 1.1]), np.array([0.3, 0.8, -0.1])), (0, 1)),
    Case(conv1d_valid, (np.array([0.5, -0.2, 1.1, 0.4, 0.9]), np.array([0.3, -0.6])), (0, 1)),
    Case(batch_stats, (np.array([[0.5, -0.2, 1.1], [0.0, 0.3, -0.4], [1.2, 0.7, 0.2]]),), (0,)),
    Case(sum_of_squares_where, (np.array([0.5, -0.2, 1.1]),), (0,)),
    Case(reshape_and_transpose, (np.array([0.5, -0.2, 1.1, 0.4, 0.9, -0.7]),), (0,)),
    Case(
        gmm_nll,
        (
            RNG.standard_normal(3),
            RNG.standard_normal((3, 2)),
            0.1 * RNG.standard_normal((3, 2)),
            X[:, :2],
        ),
        (0, 1, 2),
    ),
    Case(mse_arrays, (X, RNG.standard_normal((6, 3))), (0, 1)),
    Case(mse_rows, (X, RNG.standard_normal((6, 3))), (0, 1)),
]
