"""Object-oriented programs srcad used to refuse, session 41 (`obj41a`):

- a user object held in a field of an argument object, its method called (``self.d.energy(x)``:
  ad/layouts.field_classes), and a function held in a field (``self.act(x)``: ad/fieldfns.py);
- a method of an object built here given a lambda it differentiates (lower/paramcalls.py);
- unrolled training with the SGD loop ``for p, g in zip(params, grads): p -= lr * g`` in a
  PyTorch-style optimizer object (``self.params``: lower/loopitems.py) and in a helper.

Each checked forward, reverse and, where the program is not itself a gradient step, at second
order (``extra="hvp"``). The neighbours that stay refused are in
tests/regressions/test_obj41a.py."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case

X3 = np.array([0.5, -1.0, 2.0])


class Gaussian:
    def __init__(self, mu, prec):
        self.mu = mu
        self.prec = prec

    def energy(self, x):
        d = x - self.mu
        return 0.5 * np.sum(self.prec * d * d) + np.sum(np.sin(x) * self.mu)


class Posterior:
    def __init__(self, prior, act):
        self.prior = prior
        self.act = act

    def loss(self, x):
        return self.prior.energy(x) + np.sum(self.act(x) ** 2)


def posterior_loss(x, model):
    return model.loss(x)


def posterior_lambda_act(x, model):
    return model.loss(x) * model.prior.energy(x)


class Opt:
    def __init__(self, lr):
        self.lr = lr

    def step(self, loss, w):
        return w - self.lr * srcad.grad(loss)(w)


def meta_step(w):
    opt = Opt(0.1)
    return np.sum(opt.step(lambda u: np.sum(np.cos(u) * u**2), w) ** 2)


XD = np.array([[0.5, -1.0], [2.0, 0.3], [0.1, 0.7]])
YD = np.array([1.0, -0.5, 0.2])


def _mse(params):
    w, b = params
    return np.mean((XD @ w + b - YD) ** 2)


class SGD:
    def __init__(self, params, lr):
        self.params = params
        self.lr = lr

    def step(self, grads):
        for p, g in zip(self.params, grads):
            p -= self.lr * g


def torch_style_training(w, lr):
    params = [w.copy(), np.array(0.05)]
    opt = SGD(params, lr)
    for _ in range(3):
        opt.step(srcad.grad(_mse)(params))
    return _mse(params)


def _sgd(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g


def helper_step_training(w, lr):
    params = [w * 1.0, np.array(0.05)]
    for _ in range(2):
        _sgd(params, srcad.grad(_mse)(params), lr)
    return _mse(params)


POSTERIOR = Posterior(Gaussian(np.array([0.1, 0.2, -0.3]), np.array([1.0, 2.0, 0.5])), np.tanh)
POSTERIOR_LAMBDA = Posterior(Gaussian(np.ones(3), np.ones(3)), lambda z: z * np.exp(-z * z))

CASES = [
    Case(posterior_loss, (X3, POSTERIOR), (0,), extra="hvp"),
    Case(posterior_lambda_act, (X3, POSTERIOR_LAMBDA), (0,), extra="hvp"),
    Case(meta_step, (X3,), (0,), extra="hvp"),
    Case(torch_style_training, (np.array([0.1, -0.2]), 0.1), (0, 1)),
    Case(helper_step_training, (np.array([0.1, -0.2]), 0.1), (0, 1)),
]
