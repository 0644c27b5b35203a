"""Ported cases (session 19, hunth19: second order and nesting), written anew after user code:
an optimiser helper handed ``srcad.grad`` of a nested loss (the helper ran the loss itself
before), a Newton helper handed ``srcad.hessian`` of a nested objective and a pullback handed to
a helper (both crashed), a factory returning ``srcad.grad`` of its nested loss (the caller got
the loss before), Hessians of one Lagrangian with respect to both arguments (refused before),
HMC leapfrog with gradients inside, equations of motion from a Lagrangian's Hessian, a Laplace
approximation (log det of a Hessian), Gauss-Newton with ``srcad.jacfwd``, a natural-gradient
step with a Fisher matrix, an influence function, MAML with ``value_and_grad`` inside, Adam's
moments in a loop and a chain of checkpointed blocks.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case

X = np.array([0.31, -0.53, 0.82, 0.13, 0.45, -0.27])
DATA = np.array([[0.5, -1.0, 0.3], [0.1, 0.4, -0.7], [0.9, 0.2, -0.4], [0.3, 0.3, 0.3]])
LABELS = np.array([1.0, 0.0, 1.0, 1.0])


# -- derivatives of nested functions handed to helpers ---------------------------------------------
def _sgd(grad_fn, w, lr, steps):
    for _ in range(steps):
        w = w - lr * grad_fn(w)
    return w


def nest_grad_to_optimiser(w):
    c = w[3]

    def loss(z):
        return np.sum(np.cosh(z - c)) + 0.1 * np.sum(z**4)

    g = srcad.grad(loss)
    z = _sgd(g, w[:3], 0.2, 3)
    return loss(z) + w[4] * np.sum(z)


def _newton(hess_fn, grad_fn, z, steps):
    for _ in range(steps):
        z = z - np.linalg.solve(hess_fn(z), grad_fn(z))
    return z


def nest_hessian_to_newton(w):
    t = w[:3]

    def obj(z):
        return np.sum(np.cosh(z - t)) + 0.5 * np.sum(z**2) * (1.0 + w[3] ** 2)

    hess, grad = srcad.hessian(obj), srcad.grad(obj)
    z = _newton(hess, grad, np.zeros(3), 2)
    return np.sum(z**2) + np.sum(z * w[3:])


def _pull_twice(pull, v):
    (a,) = pull(v)
    (b,) = pull(a)
    return a, b


def nest_pullback_to_helper(w):
    c = w[4]

    def model(z):
        return np.tanh(DATA[:3] @ z * c)

    y, pull = srcad.vjp(model, w[:3])
    a, b = _pull_twice(pull, w[3:])
    return np.sum(y * a) + np.sum(b**2)


def nest_factory_returns_grad(w):
    lr = 0.5  # the caller's own `lr`: the made gradient reads the factory's

    def make_grad(lr):
        def loss(z):
            return np.sum(np.log1p(z**2)) * lr + 0.1 * np.sum(z**4)

        return srcad.grad(loss)

    g = make_grad(w[3] ** 2 + 1.0)
    z = w[:3]
    for _ in range(2):
        z = z - 0.1 * g(z)
    return np.sum(z**2) * lr + w[4] * z[0]


# -- physics and sampling --------------------------------------------------------------------------
def _potential(q):
    return 0.5 * np.sum(q**2) + 0.1 * np.sum(q**4)


def hmc_leapfrog(w):
    q, p = w[:3], w[3:]
    eps = 0.1
    for _ in range(3):
        p = p - 0.5 * eps * srcad.grad(_potential)(q)
        q = q + eps * p
        p = p - 0.5 * eps * srcad.grad(_potential)(q)
    return _potential(q) + 0.5 * np.sum(p**2)


def _lagrangian(q, qd):
    return (
        0.5 * np.sum(qd**2) * (1.0 + 0.1 * q[0] ** 2)
        - (1.0 - np.cos(q[0]))
        - 0.5 * (q[1] - q[0]) ** 2
    )


def lagrangian_accel(w):
    q, qd = w[:2], w[2:4]
    mass = srcad.hessian(_lagrangian, wrt=1)(q, qd)
    force = srcad.grad(_lagrangian, wrt=0)(q, qd)
    qdd = np.linalg.solve(mass, force)
    return np.sum(qdd**2) + w[4] * np.sum(qdd)


def coupled_oscillator_hessians(w):
    k = w[4]

    def lagrangian(q, qd):
        return 0.5 * np.sum(qd**2 * (1.0 + 0.1 * q**2)) - 0.5 * k * np.sum(np.diff(q) ** 2)

    q, qd = w[:2], w[2:4]
    mass = srcad.hessian(lagrangian, wrt=1)(q, qd)
    stiff = srcad.hessian(lagrangian)(q, qd)
    return np.sum(np.linalg.solve(mass, stiff @ qd) ** 2)


# -- statistics ------------------------------------------------------------------------------------
def laplace_evidence(w):
    def neg_log_post(z):
        logits = DATA @ z
        return np.sum(np.logaddexp(0.0, logits) - LABELS * logits) + 0.5 * np.sum(z**2) * (
            1.0 + w[3] ** 2
        )

    H = srcad.hessian(neg_log_post)(w[:3])
    return neg_log_post(w[:3]) + 0.5 * np.linalg.slogdet(H)[1]


def gauss_newton_step(w):
    def resid(z):
        return np.tanh(DATA @ z) - LABELS * w[3]

    z = w[:3]
    J = srcad.jacfwd(resid)(z)
    step = np.linalg.solve(J.T @ J + 0.1 * np.eye(3), J.T @ resid(z))
    return np.sum(resid(z - step) ** 2)


def natural_gradient(w):
    def log_lik(z):
        logits = DATA @ z
        return np.sum(LABELS * logits - np.logaddexp(0.0, logits))

    g = srcad.grad(log_lik)(w[:3])
    fisher = -srcad.hessian(log_lik)(w[:3]) + 0.1 * np.eye(3)
    return g @ np.linalg.solve(fisher, g) * w[3]


def influence(w):
    def risk(z):
        return np.sum((DATA @ z - LABELS) ** 2) + 0.3 * np.sum(z**2)

    H = srcad.hessian(risk)(w[:3])
    return srcad.grad(risk)(w[:3]) @ np.linalg.solve(H, w[3:])


# -- optimisation ----------------------------------------------------------------------------------
def _task_loss(z, reg):
    return np.sum(np.logaddexp(0.0, -(2.0 * LABELS - 1.0) * (DATA @ z))) + 0.5 * reg * np.sum(z**2)


def maml_value_and_grad(w):
    z = w[:3]
    tot = 0.0
    for k in range(2):
        v, g = srcad.value_and_grad(_task_loss)(z, w[3 + k])
        z = z - 0.1 * g
        tot = tot + v
    return tot + _task_loss(z, 0.0)


def adam_moments(w):
    z, m, v = w[:3], np.zeros(3), np.zeros(3)
    for _ in range(3):
        g = 2.0 * z * w[3:] + np.cos(z)
        m = 0.9 * m + 0.1 * g
        v = 0.99 * v + 0.01 * g**2
        z = z - 0.1 * m / (np.sqrt(v) + 1e-3)
    return np.sum(z**2)


@srcad.checkpoint
def _block(h, s):
    return np.tanh(h * s + 0.1)


def checkpoint_chain(w):
    h = w[:3]
    for i in range(3):
        h = _block(h, w[3 + i])
    return np.sum(h**2)


CASES = [
    Case(nest_grad_to_optimiser, (X,), (0,), extra="hvp"),
    Case(nest_hessian_to_newton, (X,), (0,), extra="hvp"),
    Case(nest_pullback_to_helper, (X,), (0,), extra="hvp"),
    Case(nest_factory_returns_grad, (X,), (0,), extra="hvp"),
    Case(hmc_leapfrog, (X,), (0,), extra="hvp"),
    Case(lagrangian_accel, (X,), (0,), extra="hvp"),
    Case(coupled_oscillator_hessians, (X,), (0,), extra="hvp"),
    Case(laplace_evidence, (X,), (0,), extra="hvp"),
    Case(gauss_newton_step, (X,), (0,), extra="hvp"),
    Case(natural_gradient, (X,), (0,), extra="hvp"),
    Case(influence, (X,), (0,), extra="hvp"),
    Case(maml_value_and_grad, (X,), (0,), extra="hvp"),
    Case(adam_moments, (X,), (0,), extra="hvp"),
    Case(checkpoint_chain, (X,), (0,), extra="hvp"),
]
