"""Ported cases (session 29, corp29), written anew as user code after QuantEcon's Python lectures
(optimal growth / cake eating with a Bellman operator over a grid of choices, McCall job search,
the Solow model, finite Markov chains, the Kalman filter): a ``T(v)`` operator taking
``np.max`` over choices (a loop over grid points, and the vectorised form with a consumption
matrix), value function iteration for a fixed number of steps from ``v = u(grid)``, the
McCall model's ``v = w / (1 - beta)`` iterated with ``np.maximum`` then the reservation wage
``(1 - beta) * (c + beta * np.sum(v * q))``, its reservation-wage fixed point by iteration on
``h``, a Solow model class with ``h``/``update``/``generate_sequence`` appending to a list, the
stationary distribution of a stochastic matrix by ``np.linalg.solve`` on ``I - P.T`` with a
row replaced by ones and by powering ``psi @ P``, and a Kalman filter class whose
``prior_to_filtered`` / ``filtered_to_forecast`` update ``self.x_hat`` and ``self.Sigma``.

Float parameters -> float scalar values or arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(29004)
GRID = np.linspace(0.1, 2.0, 7)


def u(c, gamma):
    return c ** (1 - gamma) / (1 - gamma)


def bellman_operator(v, grid, beta, gamma):
    v_new = np.empty_like(v)
    for i, x in enumerate(grid):
        c = x - grid[grid < x]  # consumption for each feasible next-period cake
        if len(c) == 0:
            v_new[i] = u(x, gamma)
            continue
        vals = u(c, gamma) + beta * v[: len(c)]
        v_new[i] = np.max(vals)
    return v_new


def value_function_iteration(beta, gamma):
    v = u(GRID, gamma)
    for _ in range(4):
        v = bellman_operator(v, GRID, beta, gamma)
    return np.sum(v)


def bellman_vectorised(v0, beta):
    # the optimal-growth operator with f(k) = k ** 0.4 and log utility, choices on the grid
    y = GRID**0.4
    c = y[:, None] - GRID[None, :]
    util = np.where(c > 0, np.log(np.where(c > 0, c, 1.0)), -1e10)
    v = v0
    for _ in range(3):
        v = np.max(util + beta * v[None, :], axis=1)
    return v


W_VALS = np.linspace(10.0, 20.0, 6)
Q_PROBS = np.array([0.1, 0.2, 0.25, 0.2, 0.15, 0.1])


def mccall_reservation_wage(c, beta):
    n = len(W_VALS)
    v = W_VALS / (1 - beta)
    v_next = np.empty_like(v)
    for _ in range(60):
        for j in range(n):
            stop_val = W_VALS[j] / (1 - beta)
            cont_val = c + beta * np.sum(v * Q_PROBS)
            v_next[j] = max(stop_val, cont_val)
        v[:] = v_next
    return (1 - beta) * (c + beta * np.sum(v * Q_PROBS))


def mccall_h_iteration(c, beta):
    h = np.sum(W_VALS * Q_PROBS) / (1 - beta)
    i, error = 0, 1.0
    while i < 200 and error > 1e-12:
        s = np.maximum(W_VALS / (1 - beta), h)
        h_next = c + beta * np.sum(s * Q_PROBS)
        error = np.abs(h_next - h)
        h = h_next
        i += 1
    return (1 - beta) * h


class Solow:
    def __init__(self, n=0.05, s=0.25, delta=0.1, alpha=0.3, z=2.0, k=1.0):
        self.n, self.s, self.delta, self.alpha, self.z = n, s, delta, alpha, z
        self.k = k

    def h(self):
        n, s, delta, alpha, z = self.n, self.s, self.delta, self.alpha, self.z
        return (s * z * self.k**alpha + (1 - delta) * self.k) / (1 + n)

    def update(self):
        self.k = self.h()

    def steady_state(self):
        n, s, delta, alpha, z = self.n, self.s, self.delta, self.alpha, self.z
        return ((s * z) / (n + delta)) ** (1 / (1 - alpha))

    def generate_sequence(self, t):
        path = []
        for _ in range(t):
            path.append(self.k)
            self.update()
        return path


def solow_path(s, alpha, k0):
    model = Solow(s=s, alpha=alpha, k=k0)
    path = model.generate_sequence(8)
    return np.array(path) / model.steady_state()


def markov_stationary(a, b):
    P = np.array([[1 - a, a, 0.0], [0.1, 0.8 - b, 0.1 + b], [b, 0.2, 0.8 - b]])
    n = P.shape[0]
    A = np.identity(n) - P.T
    A[-1, :] = 1.0
    rhs = np.zeros(n)
    rhs[-1] = 1.0
    psi_star = np.linalg.solve(A, rhs)
    psi = np.array([1.0, 0.0, 0.0])
    for _ in range(30):
        psi = psi @ P
    return psi_star + 0.5 * psi


class Kalman:
    def __init__(self, A, G, Q, Rm, x_hat, Sigma):
        self.A, self.G, self.Q, self.R = A, G, Q, Rm
        self.x_hat, self.Sigma = x_hat, Sigma

    def prior_to_filtered(self, y):
        G, R = self.G, self.R
        M = self.Sigma @ G.T @ np.linalg.inv(G @ self.Sigma @ G.T + R)
        self.x_hat = self.x_hat + M @ (y - G @ self.x_hat)
        self.Sigma = self.Sigma - M @ G @ self.Sigma

    def filtered_to_forecast(self):
        A, Q = self.A, self.Q
        self.x_hat = A @ self.x_hat
        self.Sigma = A @ self.Sigma @ A.T + Q

    def update(self, y):
        self.prior_to_filtered(y)
        self.filtered_to_forecast()


Y_OBS = [np.round(R.normal(size=1), 3) for _ in range(5)]


def kalman_filter_path(theta, x0):
    A = np.array([[theta, 0.1], [0.0, 0.9]])
    G = np.array([[1.0, 0.5]])
    kf = Kalman(A, G, 0.1 * np.eye(2), np.array([[0.3]]), x0, np.eye(2))
    means = []
    for y in Y_OBS:
        kf.update(y)
        means.append(kf.x_hat[0])
    return np.sum(np.array(means) ** 2) + np.trace(kf.Sigma)


CASES = [
    Case(value_function_iteration, (0.9, 2.0), (0, 1), jitter=0.01),
    Case(bellman_vectorised, (np.zeros(7), 0.95), (0, 1)),
    Case(mccall_reservation_wage, (5.0, 0.9), (0, 1), jitter=0.01),
    Case(mccall_h_iteration, (5.0, 0.9), (0, 1), jitter=0.01),
    Case(solow_path, (0.25, 0.3, 1.0), (0, 1, 2), extra="hvp"),
    Case(markov_stationary, (0.2, 0.15), (0, 1)),
    Case(kalman_filter_path, (0.8, np.array([0.1, -0.2])), (0, 1), extra="hvp"),
]
