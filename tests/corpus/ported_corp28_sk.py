"""Ported cases (session 28, corp28), written anew as user code after scikit-learn's metrics and
linear-model objectives, scipy.optimize's Rosenbrock helpers and numpy-ml's remaining pieces:
``sklearn.metrics.log_loss`` (clipped, renormalised rows, ``sample_weight``, ``normalize``),
the multiclass ``hinge_loss`` (the true class's decision value against the largest other one),
``r2_score``, ``explained_variance_score``, ``mean_squared_log_error``, ``mean_pinball_loss``,
``d2_absolute_error_score``-free ``mean_tweedie_deviance`` (power 1.5), linear_model's
``_logistic_loss`` through ``log_logistic`` (the piecewise stable form, written with a boolean
mask) and ``_multinomial_loss`` (``w`` reshaped with intercepts, ``logsumexp`` rows, sample
weights), ``scipy.optimize.rosen_hess_prod`` dotted with a direction (differentiated in x), and
numpy-ml's ``utils.kernels`` (LinearKernel, PolynomialKernel, RBFKernel objects with a
``parameters`` dict) in its GP regression's marginal log-likelihood, its ``Adam`` optimizer's
update (``cache`` dict of moments) applied to a quadratic for a few steps, and its
``MultiHeadedAttention`` split into heads by reshape / transpose.

Float arrays -> float scalar (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from . import Case, refused_everywhere

R = np.random.default_rng(28004)
X64 = np.round(R.normal(size=(6, 4)), 3)
Y6 = np.round(R.normal(size=6), 3)
YB = np.array([1, -1, 1, 1, -1, -1])
LAB = np.array([0, 2, 1, 1, 0, 2])


def log_loss(y_true, y_pred, eps=1e-15, normalize=True, sample_weight=None):
    """sklearn.metrics.log_loss with one-hot labels given; rows renormalised after clipping."""
    y_pred = np.clip(y_pred, eps, 1 - eps)
    y_pred_sum = y_pred.sum(axis=1)
    y_pred = y_pred / y_pred_sum[:, np.newaxis]
    loss = -(y_true * np.log(y_pred)).sum(axis=1)
    if normalize:
        return np.average(loss, weights=sample_weight)
    return np.sum(loss if sample_weight is None else loss * sample_weight)


def log_loss_of_scores(Z):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    T = np.eye(3)[LAB]
    w = np.linspace(0.5, 1.5, 6)
    return log_loss(T, P) + 0.5 * log_loss(T, P, normalize=False, sample_weight=w)


def multiclass_hinge(pred_decision):
    """sklearn.metrics.hinge_loss, multiclass: margin = decision of the true class minus the
    largest decision of the others (the true one masked out), then mean(max(1 - margin, 0))."""
    y_true = LAB
    mask = np.ones_like(pred_decision, dtype=bool)
    mask[np.arange(y_true.shape[0]), y_true] = False
    margin = pred_decision[~mask]
    margin -= np.max(pred_decision[mask].reshape(y_true.shape[0], -1), axis=1)
    losses = 1 - margin
    np.clip(losses, 0, None, out=losses)
    return np.average(losses)


def r2_and_explained_variance(y_pred):
    """sklearn.metrics.r2_score and explained_variance_score (uniform average of one output)."""
    y_true = Y6
    numerator = ((y_true - y_pred) ** 2).sum(axis=0, dtype=np.float64)
    denominator = ((y_true - np.average(y_true, axis=0)) ** 2).sum(axis=0, dtype=np.float64)
    r2 = 1 - numerator / denominator
    y_diff_avg = np.average(y_true - y_pred, axis=0)
    num_ev = np.average((y_true - y_pred - y_diff_avg) ** 2, axis=0)
    den_ev = np.average((y_true - np.average(y_true, axis=0)) ** 2, axis=0)
    ev = 1 - num_ev / den_ev
    return r2 + ev


def msle_pinball_tweedie(y_pred):
    """sklearn.metrics: mean_squared_log_error, mean_pinball_loss(alpha=0.3) and
    mean_tweedie_deviance(power=1.5) of positive predictions."""
    y_true = np.abs(Y6) + 0.5
    msle = np.average((np.log1p(y_true) - np.log1p(y_pred)) ** 2)
    alpha = 0.3
    diff = y_true - y_pred
    sign = (diff >= 0).astype(diff.dtype)
    pinball = np.average(alpha * sign * diff - (1 - alpha) * (1 - sign) * diff)
    p = 1.5
    dev = 2 * (
        np.power(y_true, 2 - p) / ((1 - p) * (2 - p))
        - y_true * np.power(y_pred, 1 - p) / (1 - p)
        + np.power(y_pred, 2 - p) / (2 - p)
    )
    return msle + pinball + np.average(dev)


def log_logistic(X):
    """sklearn.utils.extmath.log_logistic (its Cython loop as a masked NumPy form)."""
    out = np.empty_like(X)
    pos = X > 0
    out[pos] = -np.log(1.0 + np.exp(-X[pos]))
    out[~pos] = X[~pos] - np.log(1.0 + np.exp(X[~pos]))
    return out


def logistic_loss(w, alpha=0.5, sample_weight=None):
    """sklearn.linear_model._logistic._logistic_loss: w carries the intercept last."""
    X, y = X64, YB
    c = 0.0
    if w.size == X.shape[1] + 1:
        c = w[-1]
        w = w[:-1]
    z = np.dot(X, w) + c
    yz = y * z
    if sample_weight is None:
        sample_weight = np.ones(y.shape[0])
    out = -np.sum(sample_weight * log_logistic(yz)) + 0.5 * alpha * np.dot(w, w)
    return out


def multinomial_loss(w, alpha=0.3):
    """sklearn.linear_model._logistic._multinomial_loss (fit_intercept: w is (n_classes,
    n_features + 1) flattened)."""
    X, Y = X64, np.eye(3)[LAB]
    sample_weight = np.linspace(0.5, 1.5, 6)
    n_classes = Y.shape[1]
    n_features = X.shape[1]
    fit_intercept = w.size == (n_classes * (n_features + 1))
    w = w.reshape(n_classes, -1)
    sample_weight = sample_weight[:, np.newaxis]
    if fit_intercept:
        intercept = w[:, -1]
        w = w[:, :-1]
    else:
        intercept = 0
    p = np.dot(X, w.T)
    p += intercept
    p -= logsumexp(p, axis=1)[:, np.newaxis]
    loss = -(sample_weight * Y * p).sum()
    loss += 0.5 * alpha * (w * w).sum()
    return loss


def rosen_hess_prod(x, p):
    """scipy.optimize.rosen_hess_prod as written there (``np.atleast_1d``, ``np.zeros_like``,
    the first / middle / last entries filled separately)."""
    x = np.atleast_1d(x)
    Hp = np.zeros(len(x), dtype=x.dtype)
    Hp[0] = (1200 * x[0] ** 2 - 400 * x[1] + 2) * p[0] - 400 * x[0] * p[1]
    Hp[1:-1] = (
        -400 * x[:-2] * p[:-2]
        + (202 + 1200 * x[1:-1] ** 2 - 400 * x[2:]) * p[1:-1]
        - 400 * x[1:-1] * p[2:]
    )
    Hp[-1] = -400 * x[-2] * p[-2] + 200 * p[-1]
    return Hp


def rosen_hess_prod_dot(x):
    p = np.array([0.3, -0.2, 0.5, 0.1, -0.4])
    return rosen_hess_prod(x, p) @ np.array([1.0, 0.5, -0.3, 0.2, 0.7])


class LinearKernel:
    def __init__(self, c0=0):
        self.parameters = {"c0": c0}

    def __call__(self, X, Y=None):
        Y = X if Y is None else Y
        return X @ Y.T + self.parameters["c0"]


class PolynomialKernel:
    def __init__(self, d=3, gamma=None, c0=1):
        self.parameters = {"d": d, "c0": c0, "gamma": gamma}

    def __call__(self, X, Y=None):
        P = self.parameters
        Y = X if Y is None else Y
        gamma = 1 / X.shape[1] if P["gamma"] is None else P["gamma"]
        return (gamma * (X @ Y.T) + P["c0"]) ** P["d"]


class RBFKernel:
    def __init__(self, sigma=None):
        self.parameters = {"sigma": sigma}

    def __call__(self, X, Y=None):
        P = self.parameters
        Y = X if Y is None else Y
        C = X.shape[1]
        sigma = np.sqrt(C / 2) if P["sigma"] is None else P["sigma"]
        D = -2 * X @ Y.T + np.sum(Y**2, axis=1) + np.sum(X**2, axis=1)[:, np.newaxis]
        return np.exp(-0.5 * D / sigma**2)


def gp_marginal_log_likelihood(log_sigma, alpha=0.1):
    """numpy_ml/nonparametric/gp.py GPRegression.marginal_log_likelihood with an RBF kernel
    plus linear and polynomial kernels summed (numpy_ml/utils/kernels.py)."""
    X, y = X64[:, :2], Y6
    kernels = [RBFKernel(sigma=np.exp(log_sigma)), LinearKernel(c0=0.5), PolynomialKernel(d=2)]
    K = sum(0.2 * k(X, X) if i else k(X, X) for i, k in enumerate(kernels))
    K = K + alpha * np.eye(X.shape[0])
    Kinv = np.linalg.inv(K)
    _, logdet = np.linalg.slogdet(K)
    N = X.shape[0]
    return -0.5 * y @ Kinv @ y - 0.5 * logdet - 0.5 * N * np.log(2 * np.pi)


class Adam:
    def __init__(self, lr=0.05, decay1=0.9, decay2=0.999, eps=1e-7):
        self.cache = {}
        self.hyperparameters = {"lr": lr, "decay1": decay1, "decay2": decay2, "eps": eps}

    def update(self, param, param_grad, param_name):
        C = self.cache
        H = self.hyperparameters
        d1, d2 = H["decay1"], H["decay2"]
        lr, eps = H["lr"], H["eps"]
        if param_name not in C:
            C[param_name] = {
                "t": 0,
                "mean": np.zeros_like(param_grad),
                "var": np.zeros_like(param_grad),
            }
        t = C[param_name]["t"] + 1
        var = C[param_name]["var"]
        mean = C[param_name]["mean"]
        C[param_name]["t"] = t
        C[param_name]["var"] = d2 * var + (1 - d2) * param_grad**2
        C[param_name]["mean"] = d1 * mean + (1 - d1) * param_grad
        v_hat = C[param_name]["var"] / (1 - d2**t)
        m_hat = C[param_name]["mean"] / (1 - d1**t)
        update = lr * m_hat / (np.sqrt(v_hat) + eps)
        return param - update


def adam_steps(w0):
    """numpy_ml/neural_nets/optimizers Adam: four steps on a least-squares loss (its gradient
    written by hand), the final loss differentiated in the starting point."""
    A, b = X64[:, :3], Y6
    opt = Adam()
    w = w0
    for _ in range(4):
        g = A.T @ (A @ w - b)
        w = opt.update(w, g, "W")
    r = A @ w - b
    return 0.5 * r @ r


def multi_headed_attention(Wq, Wk, Wv):
    """numpy_ml MultiHeadedAttentionModule.forward: projections, heads by reshape/transpose,
    scaled dot-product attention per head, heads concatenated and projected."""
    X = X64.reshape(2, 3, 4)
    n_heads = 2
    n_ex, seq, d_model = X.shape
    d_k = d_model // n_heads
    Q = (X @ Wq).reshape(n_ex, seq, n_heads, d_k).transpose(0, 2, 1, 3)
    K = (X @ Wk).reshape(n_ex, seq, n_heads, d_k).transpose(0, 2, 1, 3)
    V = (X @ Wv).reshape(n_ex, seq, n_heads, d_k).transpose(0, 2, 1, 3)
    scores = Q @ K.swapaxes(-2, -1) / np.sqrt(d_k)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    Y = (weights @ V).transpose(0, 2, 1, 3).reshape(n_ex, seq, d_model)
    return np.sum(Y * np.cos(np.arange(Y.size)).reshape(Y.shape))


CASES = [
    Case(log_loss_of_scores, (np.round(R.normal(size=(6, 3)), 3),), (0,), extra="hvp"),
    Case(multiclass_hinge, (np.round(R.normal(size=(6, 3)), 3),), (0,), extra="hvp"),
    Case(r2_and_explained_variance, (np.round(Y6 + R.normal(size=6) * 0.5, 3),), (0,), extra="hvp"),
    Case(
        msle_pinball_tweedie,
        (np.round(np.abs(Y6) + 0.6 + R.normal(size=6) * 0.2, 3),),
        (0,),
        extra="hvp",
    ),
    Case(logistic_loss, (np.round(R.normal(size=5) * 0.5, 3), 0.5), (0, 1), extra="hvp"),
    Case(
        logistic_loss,
        (np.round(R.normal(size=4) * 0.5, 3),),
        (0,),
        name="ported_corp28_sk.logistic_loss_no_intercept",
    ),
    Case(multinomial_loss, (np.round(R.normal(size=15) * 0.4, 3), 0.3), (0, 1), extra="hvp"),
    Case(rosen_hess_prod_dot, (np.array([0.9, 1.1, 0.8, 1.2, 0.95]),), (0,), extra="hvp"),
    Case(gp_marginal_log_likelihood, (0.2, 0.15), (0, 1), extra="hvp"),
    Case(
        adam_steps,
        (np.array([0.3, -0.2, 0.5]),),
        (0,),
        xfail=refused_everywhere(
            "refused: `C = self.cache` then `C[name]['t'] = t`, a nested dict of an object's "
            "field updated through an alias and read back (`C` is read after ... is modified)"
        ),
    ),
    Case(
        multi_headed_attention,
        tuple(np.round(R.normal(size=(4, 4)) * 0.4, 3) for _ in range(3)),
        (0, 1, 2),
        extra="hvp",
    ),
]
