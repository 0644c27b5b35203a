"""Train a two-layer tanh network with softmax cross-entropy by plain SGD, gradients from srcad.

The loss is ordinary NumPy; `srcad.grad` differentiates its source once and the generated gradient
function is reused for every step. Run it with ``python examples/mlp.py``.
"""

import numpy as np

import srcad


def loss(W1, b1, W2, b2, X, y):
    """Mean softmax cross-entropy of a 2-layer tanh MLP; `y` holds one-hot labels."""
    h = np.tanh(X @ W1 + b1)
    z = h @ W2 + b2
    m = np.max(z, axis=1, keepdims=True)
    logz = np.log(np.sum(np.exp(z - m), axis=1, keepdims=True)) + m
    return -np.mean(np.sum(y * (z - logz), axis=1))


def make_data(n=256, d=4, classes=3, seed=0):
    """Points in `d` dimensions, labelled by which of `classes` random centres they are nearest."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((classes, d)) * 2.0
    labels = rng.integers(0, classes, n)
    X = centres[labels] + rng.standard_normal((n, d))
    return X, np.eye(classes)[labels]


def init(d=4, hidden=16, classes=3, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((d, hidden)) / np.sqrt(d)
    W2 = rng.standard_normal((hidden, classes)) / np.sqrt(hidden)
    return [W1, np.zeros(hidden), W2, np.zeros(classes)]


def train(steps=100, lr=0.5, verbose=True):
    X, y = make_data()
    params = init()
    value_and_grad = srcad.value_and_grad(loss, wrt=(0, 1, 2, 3))
    history = []
    for step in range(steps + 1):
        value, grads = value_and_grad(*params, X, y)
        history.append(value)
        if verbose and step % 10 == 0:
            print(f"step {step:3d}  loss {value:.4f}")
        params = [p - lr * g for p, g in zip(params, grads)]
    return history


if __name__ == "__main__":
    train()
