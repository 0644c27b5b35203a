"""Ported cases (session 37, corp37_ft), written after functorch's and JAX's examples: MAML's
inner gradient step inside the outer loss, per-example gradients clipped and averaged
(DP-SGD, noise given), a neural tangent kernel by Jacobian contraction, a damped Newton step
by `srcad.hessian`, an implicit-layer fixed point, a model ensemble as a list of parameter
dicts, a Hutchinson trace estimate with given probes, a gradient-penalty (WGAN-GP) term, and
Lagrangian mechanics (the equation of motion from the Lagrangian's derivatives).

Float parameters -> float scalars."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case, refused_everywhere

R = np.random.default_rng(37006)
XS = R.standard_normal((5, 2))
YS = np.sin(XS[:, 0]) + 0.3 * XS[:, 1]
PROBES = np.sign(R.standard_normal((3, 3)))


def _net(w, x):
    W1, b1, w2 = w[:4].reshape(2, 2), w[4:6], w[6:8]
    return np.tanh(x @ W1 + b1) @ w2


def _mse(w, x, y):
    return np.mean((_net(w, x) - y) ** 2)


def maml_outer(w, lr):
    g = srcad.grad(_mse)(w, XS[:3], YS[:3])
    adapted = w - lr * g
    return _mse(adapted, XS[3:], YS[3:])


def _example_loss(w, x, y):
    return (_net(w, x[None, :])[0] - y) ** 2


def dp_sgd_step(w, clip):
    grads = []
    for x, y in zip(XS, YS):
        g = srcad.grad(_example_loss)(w, x, y)
        norm = np.sqrt(np.sum(g**2))
        grads.append(g / max(1.0, norm / clip))
    g_mean = np.mean(np.stack(grads), axis=0) + 0.01 * np.ones_like(w)
    return _mse(w - 0.1 * g_mean, XS, YS)


def ntk_trace(w):
    J = srcad.jacrev(lambda v: _net(v, XS))(w)
    K = J @ J.T
    return np.trace(K) + np.sum(K[0])


def _energy(x):
    return np.sum(x**4) / 4 + 0.5 * x @ np.array([[2.0, 0.3], [0.3, 1.0]]) @ x - x[0]


def newton_steps(x0, damping):
    x = x0
    for _ in range(2):
        g = srcad.grad(_energy)(x)
        H = srcad.hessian(_energy)(x)
        x = x - np.linalg.solve(H + damping * np.eye(2), g)
    return _energy(x) + np.sum(x)


def implicit_layer(W, x):
    z = np.zeros(3)
    for _ in range(30):
        z = np.tanh(W @ z + x)
    return np.sum(z**2)


def ensemble_loss(models):
    preds = [np.tanh(XS @ m["W"] + m["b"]) for m in models]
    mean = sum(preds) / len(preds)
    return np.mean((mean - YS) ** 2) + 0.01 * sum(np.sum(m["W"] ** 2) for m in models)


def _vf(z):
    return np.tanh(np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6], [0.3, 0.2, 0.1]]) @ z) * z


def hutchinson_trace(z):
    est = 0.0
    for v in PROBES:
        _, jv = srcad.jvp(_vf, (z,), (v,))
        est += v @ jv
    return est / len(PROBES) + np.sum(_vf(z))


def _critic(w, x):
    return np.tanh(x @ w[:2]) * w[2] + x @ w[3:5]


def gradient_penalty(w):
    total = 0.0
    for t, (a, b) in zip([0.2, 0.5, 0.8], zip(XS[:3], XS[2:5])):
        x_hat = t * a + (1 - t) * b
        gx = srcad.grad(_critic, 1)(w, x_hat)
        total += (np.sqrt(np.sum(gx**2)) - 1.0) ** 2
    return total / 3 + _critic(w, XS[0])


def _lagrangian(q, qd):
    # a double-pendulum-like coupling: kinetic minus potential
    return 0.5 * qd @ np.array(
        [[2.0, 0.5 * np.cos(q[0] - q[1])], [0.5 * np.cos(q[0] - q[1]), 1.0]]
    ) @ qd + (2 * np.cos(q[0]) + np.cos(q[1]))


def lagrangian_accel(q, qd):
    M = srcad.hessian(_lagrangian, 1)(q, qd)  # (`wrt` by position)
    dLdq = srcad.grad(_lagrangian, 0)(q, qd)
    qdd = np.linalg.solve(M, dLdq - srcad.jacrev(_lagrangian_p, 0)(q, qd) @ qd)
    return np.sum(qdd**2)


def _lagrangian_p(q, qd):
    return srcad.grad(_lagrangian, 1)(q, qd)


def lagrangian_mixed(q, qd):
    # the mixed partial d/dq of dL/dqd, by a Jacobian of a gradient at another position
    mixed = srcad.jacfwd(srcad.grad(_lagrangian, 1), 0)(q, qd)
    return np.sum(mixed @ qd)


W0 = R.standard_normal(8) * 0.5
CASES = [
    Case(maml_outer, (W0, 0.1), (0, 1), extra="hvp"),
    Case(dp_sgd_step, (W0, 0.5), (0, 1)),
    Case(ntk_trace, (W0,), (0,)),
    Case(newton_steps, (np.array([0.4, -0.3]), 0.5), (0, 1)),
    Case(
        implicit_layer, (R.standard_normal((3, 3)) * 0.3, R.standard_normal(3)), (0, 1), extra="hvp"
    ),
    Case(
        ensemble_loss,
        (
            [
                {"W": R.standard_normal(2) * 0.5, "b": 0.1},
                {"W": R.standard_normal(2) * 0.5, "b": -0.2},
            ],
        ),
        (0,),
    ),
    Case(hutchinson_trace, (np.array([0.3, -0.5, 0.8]),), (0,)),
    Case(gradient_penalty, (R.standard_normal(5) * 0.5,), (0,)),
    Case(lagrangian_accel, (np.array([0.3, -0.4]), np.array([0.5, 0.2])), (0, 1)),
    Case(
        lagrangian_mixed,
        (np.array([0.3, -0.4]), np.array([0.5, 0.2])),
        (0, 1),
        xfail=refused_everywhere("`srcad.jacfwd` of `srcad.grad(f)` is supported here as its"),
    ),
]
