"""Ported cases (session 40, corp40b): held-out-style programs of the hunt40b session that take
srcad's derivatives inside the code differentiated, in styles the corpus lacked: a MAML-style
one-step adaptation, an unrolled gradient-descent inner loop over a closure, a Newton solve
with ``srcad.jacfwd`` in a ``while`` loop with ``break``, per-example gradient norms (DP-SGD
style), an input-gradient penalty (``argnums=1``), a Gauss-Newton step through
``srcad.jacrev``, a power iteration on ``J^T J`` through ``srcad.vjp``/``srcad.jvp``, the log
determinant of a Hessian (a Laplace approximation), a descent step helper given a module-level
function (refused before this session), a ``custom_vjp`` layer on a dict of parameters and a
``custom_jvp`` in a loop, and an inner gradient in a ``srcad.checkpoint_loop`` body.

Float64 arrays and floats -> floats."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case

R = np.random.default_rng(40002)
W3 = np.array([0.4, -0.7, 0.3])
XA, YA = R.normal(size=(4, 3)), R.normal(size=4)
XB, YB = R.normal(size=(4, 3)), R.normal(size=4)
A3 = np.eye(3) * 3.0 + R.normal(size=(3, 3)) * 0.3
B3 = np.array([1.0, 0.5, -0.2])
P = {"W": R.normal(size=(3, 3)) * 0.5, "b": R.normal(size=3) * 0.5}


def _mse(w, x, y):
    return np.mean((np.tanh(x @ w) - y) ** 2)


def maml_one_step(w):
    w1 = w - 0.1 * srcad.grad(_mse)(w, XA, YA)
    return _mse(w1, XB, YB)


def unrolled_descent(w0, lam):
    w = w0
    for _ in range(3):
        g = srcad.grad(lambda u: np.sum((A3 @ u - B3) ** 2) + lam * np.sum(u**4))(w)
        w = w - 0.02 * g
    return np.sum(w * B3)


def _resid(x, th):
    return A3 @ x + np.tanh(x) * th - B3


def newton_solve(th):
    x = np.zeros(3)
    it = 0
    while it < 20:
        dx = np.linalg.solve(srcad.jacfwd(_resid)(x, th), _resid(x, th))
        x = x - dx
        if np.max(np.abs(dx)) < 1e-12:
            break
        it += 1
    return np.sum(x**2)


def _example_loss(w, xi, yi):
    return (np.tanh(xi @ w) - yi) ** 2


def per_example_norms(w):
    G = np.stack([srcad.grad(_example_loss)(w, XA[i], YA[i]) for i in range(4)])
    return np.sum(np.sqrt(np.sum(G**2, axis=1) + 1e-3))


def input_gradient_penalty(w):
    tot = 0.0
    for xi, yi in zip(XA, YA):
        gx = srcad.grad(_example_loss, argnums=1)(w, xi, yi)
        tot = tot + np.sum(gx**2) + _example_loss(w, xi, yi)
    return tot


def _res(w):
    return np.tanh(XA @ w) - YA


def gauss_newton(w):
    J = srcad.jacrev(_res)(w)
    step = np.linalg.solve(J.T @ J + 0.1 * np.eye(3), J.T @ _res(w))
    return np.sum(_res(w - step) ** 2)


def power_iteration(w):
    _, pull = srcad.vjp(_res, w)
    v = np.ones(3)
    for _ in range(3):
        (u,) = pull(srcad.jvp(_res, (w,), (v,))[1])
        v = u / np.linalg.norm(u)
    return np.sum(v * w)


def laplace_logdet(x):
    H = srcad.hessian(lambda y: np.sum(np.exp(y) * y**2))(x)
    return np.linalg.slogdet(H + 5.0 * np.eye(3))[1]


def _cos_loss(u):
    return np.sum(np.cos(u) * u**2)


def _descent_step(loss, w):
    return w - 0.1 * srcad.grad(loss)(w)


def step_helper_given_function(w0):
    w = w0
    for _ in range(3):
        w = _descent_step(_cos_loss, w)
    return np.sum(w**2)


@srcad.custom_vjp
def _layer(p, x):
    return np.tanh(p["W"] @ x + p["b"])


def _layer_fwd(p, x):
    y = np.tanh(p["W"] @ x + p["b"])
    return y, (p, x, y)


def _layer_bwd(res, g):
    p, x, y = res
    gz = g * (1 - y**2)
    return {"W": np.outer(gz, x), "b": gz}, p["W"].T @ gz


_layer.defvjp(_layer_fwd, _layer_bwd)


def custom_vjp_layers(x):
    h = x
    for _ in range(2):
        h = _layer(P, h)
    return np.sum(h**2)


@srcad.custom_jvp
def _softclip(x):
    return np.where(x > 0, x / (1 + x), x)


@_softclip.defjvp
def _softclip_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return _softclip(x), np.where(x > 0, 1 / (1 + x) ** 2, 1.0) * dx


def custom_jvp_loop(x):
    h = x
    for k in range(3):
        h = _softclip(h * 1.5 + 0.1 * k) + h[::-1] * 0.2
    return np.sum(h**3)


def checkpointed_inner_grad(w):
    u = np.zeros(3)
    for _ in srcad.checkpoint_loop(range(4), every=2):
        u = u - 0.1 * srcad.grad(lambda z: np.sum((z - w) ** 2 * np.exp(z)))(u)
    return np.sum(u * w)


CASES = [
    Case(maml_one_step, (W3,), (0,)),
    Case(unrolled_descent, (W3, 0.3), (0, 1)),
    Case(newton_solve, (W3,), (0,)),
    Case(per_example_norms, (W3,), (0,)),
    Case(input_gradient_penalty, (W3,), (0,)),
    Case(gauss_newton, (W3,), (0,)),
    Case(power_iteration, (W3,), (0,)),
    Case(laplace_logdet, (W3,), (0,)),
    Case(step_helper_given_function, (W3,), (0,)),
    Case(custom_vjp_layers, (W3,), (0,)),
    Case(custom_jvp_loop, (W3,), (0,)),
    Case(checkpointed_inner_grad, (W3,), (0,)),
]
