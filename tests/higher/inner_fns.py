"""Functions that call srcad.grad inside themselves (MAML, an optimiser loop, the classic
perturbation-confusion cases), for tests/higher/test_inside.py. Module-level, as srcad reads their
source."""

import numpy as np

import srcad

X1 = np.array([[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8]])
Y1 = np.array([1.0, -0.5, 0.2])
X2 = np.array([[0.1, 0.4], [-1.1, 0.9], [0.7, -0.3]])
Y2 = np.array([0.3, 0.8, -1.0])


def loss(w, X, y):
    r = np.tanh(X @ w) - y
    return np.sum(r * r)


G = srcad.grad(loss)


def meta_loss(w):
    w1 = w - 0.1 * srcad.grad(loss)(w, X1, Y1)
    return loss(w1, X2, Y2)


def meta_loss_g(w):
    w1 = w - 0.1 * G(w, X1, Y1)
    return loss(w1, X2, Y2)


def sgd_loss(w):
    for _ in range(3):
        w = w - 0.05 * G(w, X1, Y1)
    return loss(w, X2, Y2)


def local_import(w):
    import srcad as sa

    return loss(w - 0.1 * sa.grad(loss)(w, X1, Y1), X2, Y2)


def add(y, x):
    return x + y


def confusion(x):
    # d/dx [x * d/dy (x + y)] = 1 everywhere (the classic perturbation-confusion test)
    return x * srcad.grad(add)(1.0, x)


def mul2(y, x):
    return x * y


def confusion2(x):
    # d/dx [x * d/dy (x * y)|_{y=x}] = d/dx [x * x] = 2x
    return x * srcad.grad(mul2)(x, x)


def uses_jvp(x):
    out, d = srcad.jvp(loss, (x, X1, Y1), (x, None, None))
    return d


def closure(x):
    return x * srcad.grad(lambda y: x + y)(1.0)


def meta_value_and_grad(w):
    value, g = srcad.value_and_grad(loss)(w, X1, Y1)
    return value * loss(w - 0.1 * g, X2, Y2)


def loss_with_aux(w):
    r = np.tanh(w) * w
    return np.sum(r * r), {"norm": np.sum(w * w), "r": r}


def uses_aux_gradient(w):
    g, aux = srcad.grad(loss_with_aux, has_aux=True)(w)
    return np.sum(g * g) + aux["norm"]


def loss_only(w):
    return loss_with_aux(w)[0]


def r_only(w):
    return loss_with_aux(w)[1]["r"]
