"""Quickstart: the gradient of a small least-squares-like loss, and the code srcad generates for it.

Run it with ``python examples/quickstart.py``; dump the generated code with
``srcad dump examples/quickstart.py:loss``.
"""

import numpy as np

import srcad

rng = np.random.default_rng(0)
X = rng.standard_normal((8, 3))


def loss(w):
    """Sum of squared tanh activations of a linear layer."""
    return np.sum(np.tanh(X @ w) ** 2)


if __name__ == "__main__":
    w = np.array([0.5, -0.25, 1.0])
    value, g = srcad.value_and_grad(loss)(w)
    print("loss:", value)
    print("gradient:", g)
    eps = 1e-6  # check it: central differences along each coordinate
    fd = np.array([(loss(w + eps * e) - loss(w - eps * e)) / (2 * eps) for e in np.eye(3)])
    print("central differences:", fd, " max difference:", np.max(np.abs(fd - g)))
    print()
    print(srcad.source(loss))  # the generated gradient function, plain Python
