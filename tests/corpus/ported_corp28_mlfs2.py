"""Ported cases (session 28, corp28), ML-From-Scratch (second part of ported_corp28_mlfs): written
anew as user code after eriklindernoren/ML-From-Scratch's RNN layer (``self.states[:, t]`` filled
with the state at ``t - 1 = -1`` read from the zeroed last slot), UpSampling2D + Flatten, the
regressions' objectives (Lasso / Ridge / ElasticNet regularisation objects called on ``w``,
polynomial ridge regression through ``polynomial_features`` built by
``combinations_with_replacement``, where ``X[:, index_combs]`` takes a tuple index) and logistic
regression's cross entropy.

Float weights / inputs -> float scalar losses (checked at second order with ``extra="hvp"``)."""

from __future__ import annotations

from itertools import combinations_with_replacement

import numpy as np

from . import Case
from .ported_corp28_mlfs import (
    X64,
    Y6,
    CrossEntropy,
    Layer,
    Sigmoid,
    Softmax,
    activation_functions,
)

R = np.random.default_rng(28103)


class RNN(Layer):
    def __init__(self, U, V, W, activation="tanh"):
        self.U, self.V, self.W = U, V, W
        self.n_units = W.shape[0]
        self.activation = activation_functions[activation]()

    def forward_pass(self, X, training=True):
        self.layer_input = X
        batch_size, timesteps, input_dim = X.shape
        self.state_input = np.zeros((batch_size, timesteps, self.n_units))
        self.states = np.zeros((batch_size, timesteps + 1, self.n_units))
        self.outputs = np.zeros((batch_size, timesteps, input_dim))
        self.states[:, -1] = np.zeros((batch_size, self.n_units))
        for t in range(timesteps):
            self.state_input[:, t] = X[:, t].dot(self.U.T) + self.states[:, t - 1].dot(self.W.T)
            self.states[:, t] = self.activation(self.state_input[:, t])
            self.outputs[:, t] = self.states[:, t].dot(self.V.T)
        return self.outputs


def rnn_layer_loss(U, V, W):
    """mlfromscratch RNN.forward_pass + Softmax + CrossEntropy (the examples' sequence task)."""
    X = X64.reshape(2, 3, 4)
    out = RNN(U, V, W).forward_pass(X)
    p = Softmax()(out)
    y = np.eye(4)[[[0, 1, 2], [3, 3, 1]]]
    return np.mean(CrossEntropy().loss(y, p))


def flatten_upsample_loss(X):
    """mlfromscratch UpSampling2D (``repeat`` on both image axes) then Flatten."""
    up = X.repeat(2, axis=2).repeat(2, axis=3)
    flat = up.reshape((up.shape[0], -1))
    return np.sum(np.sin(flat) * np.arange(flat.shape[1]) * 0.1)


class l1_regularization:
    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, w):
        return self.alpha * np.linalg.norm(w)


class l2_regularization:
    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, w):
        return self.alpha * 0.5 * w.T.dot(w)


class l1_l2_regularization:
    def __init__(self, alpha, l1_ratio=0.5):
        self.alpha = alpha
        self.l1_ratio = l1_ratio

    def __call__(self, w):
        l1_contr = self.l1_ratio * np.linalg.norm(w)
        l2_contr = (1 - self.l1_ratio) * 0.5 * w.T.dot(w)
        return self.alpha * (l1_contr + l2_contr)


class Regression:
    def __init__(self, w, regularization):
        self.w = w
        self.regularization = regularization

    def mse(self, X, y):
        X = np.insert(X, 0, 1, axis=1)
        y_pred = X.dot(self.w)
        return np.mean(0.5 * (y - y_pred) ** 2 + self.regularization(self.w))


def regularized_regressions(w):
    """mlfromscratch/supervised_learning/regression.py: the training loss of LassoRegression,
    RidgeRegression and ElasticNet (regularisation objects called on ``w``)."""
    total = 0.0
    for reg in [l1_regularization(0.3), l2_regularization(0.5), l1_l2_regularization(0.4, 0.3)]:
        total = total + Regression(w, reg).mse(X64, Y6)
    return total


def polynomial_features(X, degree):
    n_samples, n_features = np.shape(X)

    def index_combinations():
        combs = [combinations_with_replacement(range(n_features), i) for i in range(0, degree + 1)]
        flat_combs = [item for sublist in combs for item in sublist]
        return flat_combs

    combinations = index_combinations()
    n_output_features = len(combinations)
    X_new = np.empty((n_samples, n_output_features))
    for i, index_combs in enumerate(combinations):
        X_new[:, i] = np.prod(X[:, index_combs], axis=1)
    return X_new


def polynomial_ridge_loss(w, X):
    """mlfromscratch PolynomialRidgeRegression: polynomial_features of degree 2 (the constant
    column included) and the ridge-penalised squared error."""
    Xp = polynomial_features(X, degree=2)
    y_pred = Xp.dot(w)
    return np.mean(0.5 * (Y6 - y_pred) ** 2) + l2_regularization(0.1)(w)


def logistic_regression_loss(param):
    """mlfromscratch LogisticRegression: ``sigmoid(X.dot(param))`` scored by CrossEntropy."""
    y = (Y6 > 0).astype(float)
    y_pred = Sigmoid()(X64.dot(param))
    return np.mean(CrossEntropy().loss(y, y_pred))


CASES = [
    Case(
        rnn_layer_loss,
        (
            np.round(R.normal(size=(3, 4)) * 0.5, 3),
            np.round(R.normal(size=(4, 3)) * 0.5, 3),
            np.round(R.normal(size=(3, 3)) * 0.5, 3),
        ),
        (0, 1, 2),  # (`activation_functions[name]()`: lower/fnitems.py)
    ),
    Case(flatten_upsample_loss, (np.round(R.normal(size=(2, 1, 2, 2)), 3),), (0,), extra="hvp"),
    Case(regularized_regressions, (np.round(R.normal(size=5), 3),), (0,), extra="hvp"),
    Case(
        polynomial_ridge_loss,
        (np.round(R.normal(size=10) * 0.3, 3), X64[:, :3] * 0.5),
        (0, 1),
        extra="hvp",
    ),
    Case(logistic_regression_loss, (np.round(R.normal(size=4) * 0.5, 3),), (0,), extra="hvp"),
]
