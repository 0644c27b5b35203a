"""`for` over ranges (any step), arrays, lists, `enumerate`, `zip`; ODE integrators in loops."""

from __future__ import annotations

import numpy as np

from . import Case


def range_sum(x, n):
    s = 0.0
    for i in range(n):
        s = s + x ** (i + 1) / (i + 1)
    return s


def range_step(x):
    s = x
    for i in range(1, 10, 3):
        s = s * 0.5 + i * x
    return s


def range_negative_step(x):
    s = x
    for i in range(6, 0, -2):
        s = np.sin(s) + i * 0.1
    return s


def loop_over_array(x):
    acc = 1.0
    for v in x:
        acc = acc * (1.0 + 0.1 * v)
    return acc


def loop_over_rows(W, b):
    out = 0.0
    for row in W:
        out = out + np.tanh(row @ b)
    return out


def loop_over_list(x):
    coeffs = [0.5, -1.0, 2.0]
    s = 0.0
    for c in coeffs:
        s = s * x + c
    return s


def loop_enumerate(x):
    s = 0.0
    for i, v in enumerate(x):
        s = s + (i + 1) * v**2
    return s


def loop_zip(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s = s + a * b - 0.1 * a
    return s


def nested_loops(A):
    n, m = A.shape
    s = 0.0
    for i in range(n):
        for j in range(m):
            s = s + A[i, j] * (i - j + 0.5)
    return s


def euler_decay(y0, k, n):
    y = y0
    dt = 0.1
    for _ in range(n):
        y = y + dt * (-k * y)
    return y


def harmonic_oscillator(state, omega):
    x, v = state[0], state[1]
    dt = 0.05
    for _ in range(40):
        a = -(omega**2) * x
        v = v + dt * a
        x = x + dt * v
    return x * x + v * v


def lorenz_rk4(u0, sigma, n):
    def rhs(u):
        x, y, z = u[0], u[1], u[2]
        return np.array([sigma * (y - x), x * (28.0 - z) - y, x * y - 8.0 / 3.0 * z])

    u = u0
    h = 0.01
    for _ in range(n):
        k1 = rhs(u)
        k2 = rhs(u + 0.5 * h * k1)
        k3 = rhs(u + 0.5 * h * k2)
        k4 = rhs(u + h * k3)
        u = u + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return u


def heat_equation(u0, alpha):
    u = u0.copy()
    for _ in range(10):
        lap = np.zeros_like(u)
        lap[1:-1] = u[:-2] - 2.0 * u[1:-1] + u[2:]
        u = u + alpha * lap
    return u


def pendulum_energy(theta, n):
    g = 9.81
    dt = 0.01
    th, om = theta, 0.0
    for _ in range(n):
        om = om - dt * g * np.sin(th)
        th = th + dt * om
    return 0.5 * om**2 + g * (1.0 - np.cos(th))


CASES = [
    Case(range_sum, (0.6, 5), (0,)),
    Case(range_step, (0.4,), (0,)),
    Case(range_negative_step, (0.9,), (0,)),
    Case(loop_over_array, (np.array([0.3, -0.2, 1.1]),), (0,)),
    Case(
        loop_over_rows,
        (np.array([[0.1, 0.2], [-0.3, 0.4], [0.5, 0.6]]), np.array([1.0, -1.0])),
        (0, 1),
    ),
    Case(loop_over_list, (1.3,), (0,)),
    Case(loop_enumerate, (np.array([0.2, -0.5, 0.9]),), (0,)),
    Case(loop_zip, (np.array([0.2, -0.5, 0.9]), np.array([1.5, 0.3, -0.7])), (0, 1)),
    Case(nested_loops, (np.array([[0.1, 0.2, 0.3], [-0.4, 0.5, 0.6]]),), (0,)),
    Case(euler_decay, (1.0, 0.7, 10), (0, 1)),
    Case(harmonic_oscillator, (np.array([1.0, 0.0]), 2.0), (0, 1)),
    Case(lorenz_rk4, (np.array([1.0, 1.0, 1.0]), 10.0, 20), (0, 1)),
    Case(heat_equation, (np.array([0.0, 1.0, 3.0, 2.0, 0.5, 0.0]), 0.2), (0, 1)),
    Case(pendulum_energy, (0.5, 30), (0,)),
]
