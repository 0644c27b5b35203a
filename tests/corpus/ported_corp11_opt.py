"""Ported cases (session 11, corp11), written anew: scipy.optimize's test functions (Rosenbrock as
``rosen`` computes it and its hand-written gradient dotted with a direction, Beale, Booth,
Himmelblau, Ackley, Rastrigin, Styblinski-Tang, Goldstein-Price, the six-hump camel) and
PyTorch-tutorial training steps in NumPy (fitting a cubic to sin with hand-written backprop,
a two-layer ReLU network trained by hand, a linear-regression module with an SGD optimizer
object, softmax regression with weight decay, Adam's update written as a class, a training loop
over mini-batches with a learning-rate schedule), the loss after the steps differentiated in the
initial weights.

Small user functions -> `CASES`; scalar-valued, second order where ``extra="hvp"``."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(18600055)
XO = np.round(R.standard_normal(48) * 0.3, 3)
PT_X = np.linspace(-math.pi, math.pi, 12)
PT_Y = np.sin(PT_X)
NN_X = R.standard_normal((8, 3))
NN_Y = R.standard_normal((8, 2))
SM_Y = np.eye(3)[[0, 1, 2, 1, 0, 2, 1, 0]]


def opt_rosen(x):
    v = 1.0 + x[:6]
    return np.sum(100.0 * (v[1:] - v[:-1] ** 2.0) ** 2.0 + (1 - v[:-1]) ** 2.0)


def _rosen_der(v):
    xm = v[1:-1]
    xm_m1 = v[:-2]
    xm_p1 = v[2:]
    der = np.zeros_like(v)
    der[1:-1] = 200 * (xm - xm_m1**2) - 400 * (xm_p1 - xm**2) * xm - 2 * (1 - xm)
    der[0] = -400 * v[0] * (v[1] - v[0] ** 2) - 2 * (1 - v[0])
    der[-1] = 200 * (v[-1] - v[-2] ** 2)
    return der


def opt_rosen_der_dot(x):
    v = 1.0 + x[:6]
    return _rosen_der(v) @ np.linspace(0.1, 0.6, 6)


def opt_classic_2d(x):
    a, b = 1.0 + x[0], 0.5 + x[1]
    beale = (1.5 - a + a * b) ** 2 + (2.25 - a + a * b**2) ** 2 + (2.625 - a + a * b**3) ** 2
    booth = (a + 2 * b - 7) ** 2 + (2 * a + b - 5) ** 2
    himmelblau = (a**2 + b - 11) ** 2 + (a + b**2 - 7) ** 2
    camel = (4 - 2.1 * a**2 + a**4 / 3) * a**2 + a * b + (-4 + 4 * b**2) * b**2
    return beale + booth + himmelblau + camel


def opt_goldstein_price(x):
    a, b = 0.1 * x[0], -1.0 + 0.1 * x[1]
    t1 = 1 + (a + b + 1) ** 2 * (19 - 14 * a + 3 * a**2 - 14 * b + 6 * a * b + 3 * b**2)
    t2 = 30 + (2 * a - 3 * b) ** 2 * (18 - 32 * a + 12 * a**2 + 48 * b - 36 * a * b + 27 * b**2)
    return math.log(t1 * t2)


def opt_ackley_rastrigin(x):
    v = x[:5]
    n = v.size
    ackley = (
        -20 * np.exp(-0.2 * np.sqrt(np.sum(v**2) / n))
        - np.exp(np.sum(np.cos(2 * np.pi * v)) / n) + 20 + np.e
    )  # fmt: skip
    rastrigin = 10 * n + np.sum(v**2 - 10 * np.cos(2 * np.pi * v))
    styblinski = 0.5 * np.sum(v**4 - 16 * v**2 + 5 * v)
    return ackley + rastrigin + styblinski


def opt_pytorch_poly_sin(x):
    """The tutorial's cubic fit to sin with its hand-written gradients, 5 steps."""
    a, b, c, d = 0.1 * x[0], 0.1 * x[1], 0.1 * x[2], 0.1 * x[3]
    lr = 2e-4
    for _ in range(5):
        y_pred = a + b * PT_X + c * PT_X**2 + d * PT_X**3
        grad_y_pred = 2.0 * (y_pred - PT_Y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * PT_X).sum()
        grad_c = (grad_y_pred * PT_X**2).sum()
        grad_d = (grad_y_pred * PT_X**3).sum()
        a -= lr * grad_a
        b -= lr * grad_b
        c -= lr * grad_c
        d -= lr * grad_d
    y_pred = a + b * PT_X + c * PT_X**2 + d * PT_X**3
    return np.square(y_pred - PT_Y).sum()


def opt_two_layer_relu_by_hand(x):
    w1 = 0.5 * x[:12].reshape(3, 4)
    w2 = 0.5 * x[12:20].reshape(4, 2)
    lr = 0.01
    for _ in range(3):
        h = NN_X @ w1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2
        grad_y_pred = 2.0 * (y_pred - NN_Y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_h_relu = grad_y_pred @ w2.T
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0
        grad_w1 = NN_X.T @ grad_h
        w1 = w1 - lr * grad_w1
        w2 = w2 - lr * grad_w2
    return np.sum((np.maximum(NN_X @ w1, 0) @ w2 - NN_Y) ** 2)


class Linear:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, inputs):
        return inputs @ self.w + self.b

    def parameters(self):
        return [self.w, self.b]


class SGD:
    def __init__(self, lr, momentum=0.0):
        self.lr = lr
        self.momentum = momentum

    def step(self, params, grads, bufs):
        out, new_bufs = [], []
        for p, g, buf in zip(params, grads, bufs):
            buf = self.momentum * buf + g
            out.append(p - self.lr * buf)
            new_bufs.append(buf)
        return out, new_bufs


def opt_linear_module_sgd(x):
    model = Linear(0.3 * x[:6].reshape(3, 2), 0.1 * x[6:8])
    opt = SGD(0.05, momentum=0.9)
    bufs = [np.zeros((3, 2)), np.zeros(2)]
    for _ in range(3):
        err = model(NN_X) - NN_Y
        grads = [2 * NN_X.T @ err / 8, 2 * err.mean(axis=0)]
        params, bufs = opt.step(model.parameters(), grads, bufs)
        model = Linear(*params)
    return np.mean((model(NN_X) - NN_Y) ** 2)


def _log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def opt_softmax_weight_decay(x):
    w = 0.3 * x[:9].reshape(3, 3)
    wd = 1e-2
    for _ in range(3):
        p = np.exp(_log_softmax(NN_X @ w))
        g = NN_X.T @ (p - SM_Y) / 8 + wd * w
        w = w - 0.3 * g
    nll = -np.mean(np.sum(_log_softmax(NN_X @ w) * SM_Y, axis=1))
    return nll + 0.5 * wd * np.sum(w * w)


class Adam:
    def __init__(self, lr=0.01, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.t = 0
        self.m = None
        self.v = None

    def update(self, w, g):
        if self.m is None:
            self.m = np.zeros_like(w)
            self.v = np.zeros_like(w)
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        m_hat = self.m / (1 - self.b1**self.t)
        v_hat = self.v / (1 - self.b2**self.t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def opt_adam_class(x):
    w = 0.3 * x[:6].reshape(3, 2)
    adam = Adam(lr=0.05)
    for _ in range(3):
        g = 2 * NN_X.T @ (NN_X @ w - NN_Y) / 8
        w = adam.update(w, g)
    return np.mean((NN_X @ w - NN_Y) ** 2)


def opt_minibatch_schedule(x):
    w = 0.3 * x[:6].reshape(3, 2)
    b = 0.1 * x[6:8]
    step = 0
    for epoch in range(2):
        lr = 0.1 * 0.5**epoch
        for start in range(0, 8, 4):
            xb, yb = NN_X[start : start + 4], NN_Y[start : start + 4]
            err = xb @ w + b - yb
            w = w - lr * (2 * xb.T @ err / len(xb))
            b = b - lr * 2 * err.mean(0)
            step += 1
    return np.mean((NN_X @ w + b - NN_Y) ** 2) + 0.0 * step


def _hvp(fn, x=XO, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(opt_rosen),
    _hvp(opt_rosen_der_dot),
    _hvp(opt_classic_2d),
    _hvp(opt_goldstein_price),
    _hvp(opt_ackley_rastrigin),
    _hvp(opt_pytorch_poly_sin),
    _hvp(opt_two_layer_relu_by_hand),
    Case(opt_linear_module_sgd, (XO,), (0,)),  # (refused before session 29: `Linear(*params)`)
    _hvp(opt_softmax_weight_decay),
    _hvp(opt_adam_class),
    _hvp(opt_minibatch_schedule),
]
