"""Ported cases (session 29, corp29), written anew as user code after the d2l.ai "from scratch"
chapters in NumPy (linear-regression-scratch, softmax-regression-scratch, mlp-scratch,
dropout, batch-norm): ``synthetic_data``-style features, ``linreg`` and ``squared_loss``
helpers with ``y.reshape(y_hat.shape)``, ``sgd(params, lr, batch_size)`` over a params list,
``data_iter`` yielding mini-batches by index (the trained weights differentiated in the
initial ones), ``softmax`` by ``X_exp / partition``, ``cross_entropy`` reading
``y_hat[range(len(y_hat)), y]``, the MLP's ``relu`` by ``np.maximum(X, 0)``,
``dropout_layer`` with a fixed mask (``mask = (uniform > dropout)``, ``mask * X / (1 -
dropout)``), and ``batch_norm`` with the ``is_training`` branch updating ``moving_mean`` and
``moving_var``, 2-D and 4-D (mean over ``axis=(0, 2, 3)``, ``keepdims=True``).

Float weights -> float scalar losses or arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(29003)
X_LIN = np.round(R.normal(size=(8, 2)), 3)
Y_LIN = (X_LIN @ np.array([2.0, -3.4]) + 4.2 + np.round(R.normal(size=8) * 0.01, 4)).reshape(
    (-1, 1)
)
X_CLS = np.round(R.normal(size=(6, 4)), 3)
Y_CLS = np.array([0, 2, 1, 1, 0, 2])
DROP_U = R.uniform(size=(6, 5))


def linreg(X, w, b):
    return np.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    for i in range(0, num_examples, batch_size):
        batch_indices = np.array(indices[i : min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg_trained(w, b):
    # d2l's training loop with the gradients written out (NumPy has no autograd)
    lr, batch_size = 0.03, 4
    for _epoch in range(3):
        for X, y in data_iter(batch_size, X_LIN, Y_LIN):
            err = linreg(X, w, b) - y
            w = w - lr * (X.T @ err) / batch_size
            b = b - lr * np.sum(err) / batch_size
    return np.sum(squared_loss(linreg(X_LIN, w, b), Y_LIN)) / len(Y_LIN)


def sgd(params, grads, lr, batch_size):
    return [param - lr * grad / batch_size for param, grad in zip(params, grads)]


def linreg_sgd_params(w, b):
    params = [w, b]
    for X, y in data_iter(4, X_LIN, Y_LIN):
        err = linreg(X, params[0], params[1]) - y
        params = sgd(params, [X.T @ err, np.sum(err, axis=0)], 0.05, 4)
    return params[0] * params[1]


def softmax(X):
    X_exp = np.exp(X)
    partition = X_exp.sum(1, keepdims=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    return -np.log(y_hat[range(len(y_hat)), y])


def softmax_regression_loss(W, b):
    num_inputs = W.shape[0]
    y_hat = softmax(np.dot(X_CLS.reshape((-1, num_inputs)), W) + b)
    return cross_entropy(y_hat, Y_CLS).mean()


def accuracy_weighted_loss(W, b):
    y_hat = softmax(X_CLS @ W + b)
    correct = (y_hat.argmax(axis=1) == Y_CLS).astype(float)
    return float(np.sum(cross_entropy(y_hat, Y_CLS) * (1.0 + correct)))


def relu(X):
    return np.maximum(X, 0)


def dropout_layer(X, dropout, u):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return np.zeros_like(X)
    if dropout == 0:
        return X
    mask = (u > dropout).astype(np.float32)
    return mask * X / (1.0 - dropout)


def mlp_dropout_loss(W1, b1, W2, b2):
    num_inputs = W1.shape[0]
    X = X_CLS.reshape((-1, num_inputs))
    H = relu(np.dot(X, W1) + b1)
    H = dropout_layer(H, 0.3, DROP_U)
    out = np.dot(H, W2) + b2
    return cross_entropy(softmax(out - out.max(axis=1, keepdims=True)), Y_CLS).mean()


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum, is_training=True):
    if not is_training:
        X_hat = (X - moving_mean) / np.sqrt(moving_var + eps)
    else:
        assert len(X.shape) in (2, 4)
        if len(X.shape) == 2:
            mean = X.mean(axis=0)
            var = ((X - mean) ** 2).mean(axis=0)
        else:
            mean = X.mean(axis=(0, 2, 3), keepdims=True)
            var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        X_hat = (X - mean) / np.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    Y = gamma * X_hat + beta
    return Y, moving_mean, moving_var


class BatchNorm:
    def __init__(self, num_features, num_dims, gamma, beta):
        shape = (1, num_features) if num_dims == 2 else (1, num_features, 1, 1)
        self.gamma = gamma.reshape(shape)
        self.beta = beta.reshape(shape)
        self.moving_mean = np.zeros(shape)
        self.moving_var = np.ones(shape)

    def __call__(self, X, is_training=True):
        Y, self.moving_mean, self.moving_var = batch_norm(
            X,
            self.gamma,
            self.beta,
            self.moving_mean,
            self.moving_var,
            eps=1e-5,
            momentum=0.9,
            is_training=is_training,
        )
        return Y


def batchnorm_2d_loss(X, gamma, beta):
    bn = BatchNorm(X.shape[1], 2, gamma, beta)
    Y1 = bn(X)
    Y2 = bn(X * 0.5 + 1.0)
    Y3 = bn(X, is_training=False)
    return np.sum(np.tanh(Y1) * Y2) + np.sum(Y3**2) + np.sum(bn.moving_var * bn.moving_mean)


def batchnorm_4d_stats(X, gamma, beta):
    bn = BatchNorm(X.shape[1], 4, gamma, beta)
    Y = bn(X)
    return Y[:, :, 0, :] * 0.5 + bn.moving_var[0, :, :, 0]


CASES = [
    Case(linreg_trained, (np.array([[0.1], [-0.2]]), 0.0), (0, 1), extra="hvp"),
    Case(linreg_sgd_params, (np.array([[0.1], [-0.2]]), np.array([0.3])), (0, 1)),
    Case(
        softmax_regression_loss,
        (np.round(R.normal(size=(4, 3)) * 0.1, 3), np.zeros(3)),
        (0, 1),
        extra="hvp",
    ),
    Case(
        accuracy_weighted_loss,
        (np.round(R.normal(size=(4, 3)) * 0.5, 3), np.zeros(3)),
        (0, 1),
        jitter=0.0,
    ),
    Case(
        mlp_dropout_loss,
        (
            np.round(R.normal(size=(4, 5)) * 0.5, 3),
            np.full(5, 0.1),
            np.round(R.normal(size=(5, 3)) * 0.5, 3),
            np.zeros(3),
        ),
        (0, 1, 2, 3),
    ),
    Case(
        batchnorm_2d_loss,
        (X_CLS, np.array([1.0, 0.8, 1.2, 0.9]), np.array([0.0, 0.1, -0.1, 0.2])),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(
        batchnorm_4d_stats,
        (np.round(R.normal(size=(2, 3, 2, 2)), 3), np.array([1.0, 0.5, 1.5]), np.zeros(3)),
        (0, 1, 2),
    ),
]
