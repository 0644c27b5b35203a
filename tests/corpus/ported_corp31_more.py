"""Ported cases (session 31, corp31), written anew as user code: more shapes from the same
sources: one Baum-Welch EM step of a discrete HMM (forward and backward passes with scaling, the
expected counts, the re-estimated matrices) and the log-likelihood after it; the edit-distance
style soft alignment by a memoised recursive helper (a dict cache keyed by index pairs); quaternion
SLERP with its sign flip and near-parallel linear branch; a two-link arm's Lagrangian dynamics (the
mass matrix solved each step) under a PD controller; CartPole on a state array updated by
index; a pendulum's ``rk4`` given a lambda closing over the torque.

Float parameters -> float scalars or arrays."""

from __future__ import annotations

import math

import numpy as np

from . import Case, refused_everywhere

R = np.random.default_rng(31006)
OBS = [0, 1, 1, 2, 0, 2, 1, 0]


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def forward_backward(pi, A, B, obs):
    T, N = len(obs), len(pi)
    alpha = np.zeros((T, N))
    c = np.zeros(T)
    alpha[0] = pi * B[:, obs[0]]
    c[0] = alpha[0].sum()
    alpha[0] /= c[0]
    for t in range(1, T):
        alpha[t] = (alpha[t - 1] @ A) * B[:, obs[t]]
        c[t] = alpha[t].sum()
        alpha[t] /= c[t]
    beta = np.ones((T, N))
    for t in range(T - 2, -1, -1):
        beta[t] = A @ (B[:, obs[t + 1]] * beta[t + 1]) / c[t + 1]
    return alpha, beta, c


def baum_welch_step(start_logits, trans_logits, emit_logits):
    pi = np.exp(start_logits) / np.exp(start_logits).sum()
    A, B = softmax_rows(trans_logits), softmax_rows(emit_logits)
    alpha, beta, c = forward_backward(pi, A, B, OBS)
    gamma = alpha * beta
    xi_sum = np.zeros_like(A)
    for t in range(len(OBS) - 1):
        xi = alpha[t][:, None] * A * (B[:, OBS[t + 1]] * beta[t + 1])[None, :] / c[t + 1]
        xi_sum += xi
    new_pi = gamma[0]
    new_A = xi_sum / gamma[:-1].sum(axis=0)[:, None]
    new_B = np.zeros_like(B)
    for k in range(B.shape[1]):
        mask = np.array([o == k for o in OBS])
        new_B[:, k] = gamma[mask].sum(axis=0)
    new_B /= gamma.sum(axis=0)[:, None]
    _, _, c2 = forward_backward(new_pi, new_A, new_B, OBS)
    return float(np.sum(np.log(c2)))


SEQ_B = [0.1, 0.9, 0.4, -0.3]


def soft_align(a, gamma=0.3):
    # a memoised top-down recursion over (i, j), with the soft minimum of three predecessors
    memo = {}

    def cost(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        d = (a[i] - SEQ_B[j]) ** 2
        if i == 0 and j == 0:
            out = d
        elif i == 0:
            out = d + cost(0, j - 1)
        elif j == 0:
            out = d + cost(i - 1, 0)
        else:
            prev = [cost(i - 1, j), cost(i - 1, j - 1), cost(i, j - 1)]
            m = min(prev)
            out = d + m - gamma * math.log(sum(math.exp(-(p - m) / gamma) for p in prev))
        memo[(i, j)] = out
        return out

    return cost(len(a) - 1, len(SEQ_B) - 1)


def align_cost(a, i, j, gamma):
    # the same recursion at module level, without the memo (the table is tiny)
    d = (a[i] - SEQ_B[j]) ** 2
    if i == 0 and j == 0:
        return d
    if i == 0:
        return d + align_cost(a, 0, j - 1, gamma)
    if j == 0:
        return d + align_cost(a, i - 1, 0, gamma)
    prev = [
        align_cost(a, i - 1, j, gamma),
        align_cost(a, i - 1, j - 1, gamma),
        align_cost(a, i, j - 1, gamma),
    ]
    m = min(prev)
    return d + m - gamma * math.log(sum(math.exp(-(p - m) / gamma) for p in prev))


def soft_align_recursive(a):
    return align_cost(a, len(a) - 1, len(SEQ_B) - 1, 0.3)


def slerp(q0, q1, t):
    q0 = q0 / np.linalg.norm(q0)
    q1 = q1 / np.linalg.norm(q1)
    dot = float(np.dot(q0, q1))
    if dot < 0.0:  # the shorter arc
        q1 = -q1
        dot = -dot
    if dot > 0.9995:  # nearly parallel: normalised linear interpolation
        q = q0 + t * (q1 - q0)
        return q / np.linalg.norm(q)
    theta_0 = math.acos(dot)
    theta = theta_0 * t
    s0 = math.cos(theta) - dot * math.sin(theta) / math.sin(theta_0)
    s1 = math.sin(theta) / math.sin(theta_0)
    return s0 * q0 + s1 * q1


Q_A = np.array([0.9, 0.1, -0.3, 0.2])
Q_B = np.array([-0.6, 0.5, 0.4, -0.1])


def slerp_path(q1):
    pts = [slerp(Q_A, q1, t) for t in (0.25, 0.5, 0.75)]
    return np.concatenate(pts)


def slerp_near(q1):
    return slerp(Q_A, q1, 0.4)


def two_link_dynamics(q, dq, tau, m1=1.0, m2=0.8, l1=1.0, l2=0.7, g=9.81):
    c2, s2 = math.cos(q[1]), math.sin(q[1])
    lc1, lc2 = l1 / 2, l2 / 2
    i1, i2 = m1 * l1**2 / 12, m2 * l2**2 / 12
    M = np.array(
        [
            [
                i1 + i2 + m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * c2),
                i2 + m2 * (lc2**2 + l1 * lc2 * c2),
            ],
            [i2 + m2 * (lc2**2 + l1 * lc2 * c2), i2 + m2 * lc2**2],
        ]
    )
    h = m2 * l1 * lc2 * s2
    C = np.array([-h * dq[1] * (2 * dq[0] + dq[1]), h * dq[0] ** 2])
    G = np.array(
        [
            (m1 * lc1 + m2 * l1) * g * math.cos(q[0]) + m2 * lc2 * g * math.cos(q[0] + q[1]),
            m2 * lc2 * g * math.cos(q[0] + q[1]),
        ]
    )
    return np.linalg.solve(M, tau - C - G)


def pd_tracking(gains):
    kp, kd = gains[:2], gains[2:]
    q, dq = np.array([0.1, -0.2]), np.zeros(2)
    target = np.array([0.6, 0.3])
    dt, cost = 0.02, 0.0
    for _ in range(25):
        tau = kp * (target - q) - kd * dq + np.array([12.0, 3.0])
        ddq = two_link_dynamics(q, dq, tau)
        dq = dq + dt * ddq
        q = q + dt * dq
        cost += dt * float(np.sum((q - target) ** 2))
    return cost


def rk4_step(derivs, y, dt):
    k1 = derivs(y)
    k2 = derivs(y + dt / 2 * k1)
    k3 = derivs(y + dt / 2 * k2)
    k4 = derivs(y + dt * k3)
    return y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def pendulum_derivs(y, torque, damping):
    th, om = y[0], y[1]
    return np.array([om, -9.81 * np.sin(th) - damping * om + torque])


def pendulum_rk4_lambda(w, damping):
    y = np.array([2.5, 0.0])
    total = 0.0
    for _ in range(10):
        torque = float(np.clip(w[0] * y[0] + w[1] * y[1], -2.0, 2.0))
        y = rk4_step(lambda s: pendulum_derivs(s, torque, damping), y, 0.05)  # noqa: B023
        total += y[0] ** 2
    return total


def cartpole_state_array(w):
    # CartPole's step written on a state array updated item by item (a common rewrite)
    state = np.array([0.01, 0.0, 0.05, 0.0])
    cost = 0.0
    for _ in range(10):
        x, x_dot, theta, theta_dot = state
        force = 10.0 * math.tanh(w @ state)
        costheta, sintheta = math.cos(theta), math.sin(theta)
        temp = (force + 0.05 * theta_dot**2 * sintheta) / 1.1
        thetaacc = (9.8 * sintheta - costheta * temp) / (
            0.5 * (4.0 / 3.0 - 0.1 * costheta**2 / 1.1)
        )
        xacc = temp - 0.05 * thetaacc * costheta / 1.1
        state[0] += 0.02 * x_dot
        state[1] += 0.02 * xacc
        state[2] += 0.02 * theta_dot
        state[3] += 0.02 * thetaacc
        cost += state[2] ** 2 + 0.1 * x**2
    return cost


CASES = [
    Case(
        baum_welch_step,
        (R.normal(0, 0.3, 2), R.normal(0, 0.5, (2, 2)), R.normal(0, 0.5, (2, 3))),
        (0, 1, 2),
    ),
    Case(
        soft_align,
        (np.array([0.2, 0.7, 0.5, -0.1, -0.4]),),
        (0,),
        xfail=refused_everywhere("a recursive nested function (the memo's closure) is not lifted"),
    ),
    Case(soft_align_recursive, (np.array([0.2, 0.7, 0.5, -0.1]),), (0,)),
    Case(slerp_path, (Q_B.copy(),), (0,)),
    Case(slerp_near, (Q_A + np.array([0.001, -0.002, 0.001, 0.0]),), (0,), jitter=0.0),
    Case(cartpole_state_array, (np.array([0.3, 0.8, 4.0, 1.2]),), (0,)),
    Case(pd_tracking, (np.array([40.0, 20.0, 6.0, 3.0]),), (0,)),
    Case(pendulum_rk4_lambda, (np.array([-0.4, -0.3]), 0.1), (0, 1)),
]
