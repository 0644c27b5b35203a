"""Ported cases (session 31, corp31), written anew as user code after the usual robotics
textbook and course code: planar-arm forward kinematics by accumulated angles, a DH-parameter
chain of 4x4 homogeneous transforms built per joint from a list of dicts, inverse kinematics by
a few damped least-squares steps with a hand-written Jacobian, quaternion multiply / normalise /
rotate (w, x, y, z as Python floats in tuples, and as arrays), attitude integration by the
quaternion exponential, and one extended Kalman filter predict/update step of a unicycle with a
range-bearing landmark measurement (the bearing residual wrapped to (-pi, pi]).

Float joint angles / link lengths / states -> float scalars or arrays."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(31005)


def planar_fk(thetas, lengths):
    x, y, phi = 0.0, 0.0, 0.0
    points = [(x, y)]
    for th, ln in zip(thetas, lengths):
        phi += th
        x += ln * math.cos(phi)
        y += ln * math.sin(phi)
        points.append((x, y))
    return np.array(points)


TARGET = np.array([1.2, 0.9])


def planar_reach_cost(thetas, lengths):
    tip = planar_fk(thetas, lengths)[-1]
    return float(np.sum((tip - TARGET) ** 2)) + 0.01 * float(np.sum(np.asarray(thetas) ** 2))


def planar_jacobian(thetas, lengths):
    n = len(thetas)
    J = np.zeros((2, n))
    phis = np.cumsum(thetas)
    for i in range(n):
        for j in range(i, n):
            J[0, i] -= lengths[j] * np.sin(phis[j])
            J[1, i] += lengths[j] * np.cos(phis[j])
    return J


def ik_damped_least_squares(thetas, lengths):
    # three DLS steps toward TARGET; the final miss distance
    q = np.array(thetas, dtype=float)
    lam = 0.1
    for _ in range(3):
        tip = planar_fk(q, lengths)[-1]
        e = TARGET - tip
        J = planar_jacobian(q, lengths)
        dq = J.T @ np.linalg.solve(J @ J.T + lam**2 * np.eye(2), e)
        q = q + dq
    return float(np.linalg.norm(planar_fk(q, lengths)[-1] - TARGET))


DH = [
    {"d": 0.3, "a": 0.0, "alpha": math.pi / 2},
    {"d": 0.0, "a": 0.5, "alpha": 0.0},
    {"d": 0.0, "a": 0.4, "alpha": 0.0},
    {"d": 0.1, "a": 0.0, "alpha": -math.pi / 2},
]


def dh_transform(theta, d, a, alpha):
    ct, st = np.cos(theta), np.sin(theta)
    ca, sa = math.cos(alpha), math.sin(alpha)
    return np.array(
        [
            [ct, -st * ca, st * sa, a * ct],
            [st, ct * ca, -ct * sa, a * st],
            [0.0, sa, ca, d],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )


def dh_forward(q):
    T = np.eye(4)
    frames = []
    for qi, link in zip(q, DH):
        T = T @ dh_transform(qi, link["d"], link["a"], link["alpha"])
        frames.append(T[:3, 3])
    return np.concatenate(frames)


def dh_tool_orientation(q):
    T = np.eye(4)
    for i, link in enumerate(DH):
        T = T @ dh_transform(q[i], **link)
    z = T[:3, 2]
    return float(z @ np.array([0.0, 0.0, 1.0])) + float(np.trace(T[:3, :3]))


def quat_mul(p, q):
    pw, px, py, pz = p
    qw, qx, qy, qz = q
    return (
        pw * qw - px * qx - py * qy - pz * qz,
        pw * qx + px * qw + py * qz - pz * qy,
        pw * qy - px * qz + py * qw + pz * qx,
        pw * qz + px * qy - py * qx + pz * qw,
    )


def quat_conj(q):
    w, x, y, z = q
    return (w, -x, -y, -z)


def quat_normalise(q):
    n = math.sqrt(sum(c * c for c in q))
    return tuple(c / n for c in q)


def quat_rotate(q, v):
    qv = (0.0, v[0], v[1], v[2])
    _, x, y, z = quat_mul(quat_mul(q, qv), quat_conj(q))
    return np.array([x, y, z])


def quat_rotate_cost(qw, qx, qy, qz):
    q = quat_normalise((qw, qx, qy, qz))
    r = quat_rotate(q, (1.0, 0.5, -0.25))
    return float(np.sum((r - np.array([0.2, 1.0, 0.3])) ** 2))


def quat_exp(omega, dt):
    # the unit quaternion of a rotation by omega * dt (the small-angle branch: first order)
    theta = np.linalg.norm(omega) * dt
    if theta < 1e-8:
        half = 0.5 * dt
        return np.array([1.0, omega[0] * half, omega[1] * half, omega[2] * half])
    axis = omega / np.linalg.norm(omega)
    return np.concatenate([[np.cos(theta / 2)], np.sin(theta / 2) * axis])


def quat_mul_arr(p, q):
    w1, v1 = p[0], p[1:]
    w2, v2 = q[0], q[1:]
    return np.concatenate([[w1 * w2 - v1 @ v2], w1 * v2 + w2 * v1 + np.cross(v1, v2)])


def attitude_integrate(omegas):
    # gyro samples (rows) integrated into an attitude; the last quaternion, renormalised
    q = np.array([1.0, 0.0, 0.0, 0.0])
    for w in omegas:
        q = quat_mul_arr(q, quat_exp(w, 0.1))
        q = q / np.linalg.norm(q)
    return q


# EKF: unicycle state (x, y, heading), control (v, omega), one landmark range-bearing
LANDMARK = np.array([2.0, 1.0])
Q_EKF = np.diag([0.01, 0.01, 0.005])
R_EKF = np.diag([0.05, 0.02])


def wrap_angle(a):
    return (a + np.pi) % (2 * np.pi) - np.pi


def ekf_step(mu, P, u, z, dt=0.1):
    v, w = u
    th = mu[2]
    mu_bar = mu + np.array([v * dt * np.cos(th), v * dt * np.sin(th), w * dt])
    G = np.array(
        [[1.0, 0.0, -v * dt * np.sin(th)], [0.0, 1.0, v * dt * np.cos(th)], [0.0, 0.0, 1.0]]
    )
    P_bar = G @ P @ G.T + Q_EKF
    dx, dy = LANDMARK[0] - mu_bar[0], LANDMARK[1] - mu_bar[1]
    q = dx**2 + dy**2
    z_hat = np.array([np.sqrt(q), np.arctan2(dy, dx) - mu_bar[2]])
    H = np.array(
        [
            [-dx / np.sqrt(q), -dy / np.sqrt(q), 0.0],
            [dy / q, -dx / q, -1.0],
        ]
    )
    S = H @ P_bar @ H.T + R_EKF
    K = P_bar @ H.T @ np.linalg.inv(S)
    innov = z - z_hat
    innov[1] = wrap_angle(innov[1])
    mu_new = mu_bar + K @ innov
    P_new = (np.eye(3) - K @ H) @ P_bar
    return mu_new, P_new


ZS = [np.array([2.1, 0.4]), np.array([1.95, 0.38]), np.array([1.8, 0.35])]


def ekf_nll(mu0, u):
    mu, P = mu0, np.eye(3) * 0.1
    for z in ZS:
        mu, P = ekf_step(mu, P, u, z)
    return float(np.sum((mu[:2] - np.array([0.4, 0.1])) ** 2) + np.log(np.linalg.det(P)))


def ekf_mean(mu0, u):
    mu, P = ekf_step(mu0, np.eye(3) * 0.1, u, ZS[0])
    return mu


TH4 = np.array([0.3, -0.4, 0.6, 0.2])
L4 = np.array([0.6, 0.5, 0.4, 0.3])

CASES = [
    Case(planar_fk, (TH4, L4), (0, 1)),
    Case(planar_reach_cost, (TH4, L4), (0, 1)),
    Case(
        planar_reach_cost,
        ([0.3, -0.4, 0.6], [0.6, 0.5, 0.4]),
        (0, 1),
        name="ported_corp31_rob.planar_reach_cost_lists",
    ),
    Case(ik_damped_least_squares, (TH4, L4), (0, 1)),
    Case(dh_forward, (np.array([0.2, -0.5, 0.8, 0.1]),), (0,)),
    Case(
        dh_tool_orientation,
        (np.array([0.2, -0.5, 0.8, 0.1]),),
        (0,),  # (``**link`` of a global list's dict: lower/kwdicts.py)
    ),
    Case(quat_rotate_cost, (0.9, 0.2, -0.3, 0.1), (0, 1, 2, 3)),
    Case(attitude_integrate, (R.normal(0, 0.5, (4, 3)),), (0,)),
    Case(ekf_nll, (np.array([0.1, -0.1, 0.3]), (1.0, 0.2)), (0, 1)),
    Case(ekf_mean, (np.array([0.1, -0.1, 0.3]), (1.0, 0.2)), (0, 1)),
]
