"""Ported cases (session 38, corp38_ocp): optimal-control problems as CasADi's examples pose
them, written in NumPy so the decision vector is differentiated: the Van der Pol oscillator by
direct multiple shooting (an RK4 integrator with M steps per interval returning the state and
the quadrature, the shooting gaps as equality residuals, a quadratic-penalty objective over the
stacked decision vector `w`), single shooting of the same, direct collocation with Lagrange
polynomial coefficients (`np.poly1d`, `polyder`, `polyint`, computed at module level as the
example does), the race car (free final time, speed limit `1 - sin(2 pi pos) / 2` as a
softplus penalty), the rocket with drag and fuel burn, a cart-pole with a nonlinear mass matrix
solved by `np.linalg.solve` each step, and a DAE-like index-1 model with its algebraic variable
solved by a few Newton iterations.

Decision vectors -> float scalars or float arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(38006)
T, N, M = 10.0, 8, 3


def vdp_ode(x, u):
    return np.array([(1 - x[1] ** 2) * x[0] - x[1] + u, x[0]]), x[0] ** 2 + x[1] ** 2 + u**2


def rk4_interval(x0, u, dt=T / N / M):
    x, q = x0, 0.0
    for _ in range(M):
        k1, k1q = vdp_ode(x, u)
        k2, k2q = vdp_ode(x + dt / 2 * k1, u)
        k3, k3q = vdp_ode(x + dt / 2 * k2, u)
        k4, k4q = vdp_ode(x + dt * k3, u)
        x = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        q = q + dt / 6 * (k1q + 2 * k2q + 2 * k3q + k4q)
    return x, q


def multiple_shooting(w, rho):
    # w = [x0 (2), u0, x1 (2), u1, ..., x_N (2)]
    J = 0.0
    g = []
    xk = w[0:2]
    g.append(xk - np.array([0.0, 1.0]))
    for k in range(N):
        uk = w[3 * k + 2]
        xf, qf = rk4_interval(xk, uk)
        J = J + qf
        xk = w[3 * k + 3 : 3 * k + 5]
        g.append(xf - xk)
    G = np.concatenate(g)
    return J + rho * np.dot(G, G)


def single_shooting(u):
    x = np.array([0.0, 1.0])
    J = 0.0
    for k in range(N):
        x, q = rk4_interval(x, u[k])
        J += q
    return J + 10.0 * np.sum(x**2)


def single_shooting_states(u):
    x = np.array([0.0, 1.0])
    traj = [x]
    for k in range(N):
        x, _ = rk4_interval(x, u[k])
        traj.append(x)
    return np.vstack(traj)


D_COL = 3
TAU = np.append(0, np.array([0.1127016653792583, 0.5, 0.8872983346207417]))  # Legendre
C_COL = np.zeros((D_COL + 1, D_COL + 1))
D_END = np.zeros(D_COL + 1)
B_COL = np.zeros(D_COL + 1)
for _j in range(D_COL + 1):
    _p = np.poly1d([1.0])
    for _r in range(D_COL + 1):
        if _r != _j:
            _p *= np.poly1d([1, -TAU[_r]]) / (TAU[_j] - TAU[_r])
    D_END[_j] = _p(1.0)
    _pder = np.polyder(_p)
    for _r in range(D_COL + 1):
        C_COL[_j, _r] = _pder(TAU[_r])
    B_COL[_j] = np.polyint(_p)(1.0)


def collocation(w, rho):
    # per interval: the start state (2), D_COL collocation states (2 each), the control (1)
    h = T / N
    per = 2 * (D_COL + 1) + 1
    J, res = 0.0, []
    xk = np.array([0.0, 1.0])
    for k in range(N):
        blk = w[k * per : (k + 1) * per]
        x0 = blk[:2]
        xc = blk[2 : 2 * (D_COL + 1)].reshape(D_COL, 2)
        u = blk[-1]
        res.append(x0 - xk)
        pts = np.vstack([x0[None, :], xc])
        xend = D_END[0] * x0
        for j in range(1, D_COL + 1):
            xp = C_COL[0, j] * x0
            for r in range(D_COL):
                xp = xp + C_COL[r + 1, j] * xc[r]
            fj, qj = vdp_ode(pts[j], u)
            res.append(h * fj - xp)
            xend = xend + D_END[j] * xc[j - 1]
            J = J + B_COL[j] * qj * h
        xk = xend
    r = np.concatenate(res)
    return J + rho * r @ r + np.sum(xk**2)


def race_car(w):
    # w = [T, pos_0..N, speed_0..N, U_0..N-1]; minimise time with penalties
    tf = w[0]
    pos = w[1 : N + 2]
    speed = w[N + 2 : 2 * N + 3]
    U = w[2 * N + 3 :]
    dt = tf / N
    gaps = []
    for k in range(N):
        x = np.array([pos[k], speed[k]])
        f = lambda x, u: np.array([x[1], u - x[1]])  # noqa: E731 (CasADi's Function)
        k1 = f(x, U[k])
        k2 = f(x + dt / 2 * k1, U[k])
        k3 = f(x + dt / 2 * k2, U[k])
        k4 = f(x + dt * k3, U[k])
        x_next = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        gaps.append(x_next - np.array([pos[k + 1], speed[k + 1]]))
    limit = 1 - np.sin(2 * np.pi * pos) / 2
    soft = np.sum(np.logaddexp(0.0, 20 * (speed - limit)) / 20)
    bounds = np.sum(np.maximum(U - 1, 0) ** 2 + np.maximum(-U, 0) ** 2)
    g = np.concatenate(gaps)
    return tf + 50 * g @ g + soft + bounds + (pos[0] ** 2 + speed[0] ** 2 + (pos[-1] - 1) ** 2)


def rocket(u):
    s, v, m = 0.0, 0.0, 1.0
    dt = 0.1
    for k in range(len(u)):
        a = (u[k] - 0.05 * v**2) / m
        s = s + dt * v
        v = v + dt * a
        m = m - dt * 0.1 * u[k] ** 2
    return (s - 10.0) ** 2 + v**2 + 0.01 * np.sum(u**2) - m


def cartpole(u, params):
    mc, mp, ell = params
    x = np.array([0.0, 0.0, 0.2, 0.0])  # position, velocity, angle, angular velocity
    dt = 0.05
    cost = 0.0
    for k in range(len(u)):
        th, thd = x[2], x[3]
        Mm = np.array([[mc + mp, mp * ell * np.cos(th)], [mp * ell * np.cos(th), mp * ell**2]])
        rhs = np.array([u[k] + mp * ell * thd**2 * np.sin(th), -mp * 9.81 * ell * np.sin(th)])
        acc = np.linalg.solve(Mm, rhs)
        x = x + dt * np.array([x[1], acc[0], x[3], acc[1]])
        cost = cost + x[0] ** 2 + 10 * x[2] ** 2 + 0.1 * u[k] ** 2
    return cost


def dae_index1(p):
    # x' = -p0 x + z,  0 = z + z**3 - p1 x  (z by Newton each step)
    x, z = 1.0, 0.5
    total = 0.0
    for _ in range(10):
        for _ in range(4):
            z = z - (z + z**3 - p[1] * x) / (1 + 3 * z**2)
        x = x + 0.1 * (-p[0] * x + z)
        total = total + x * z
    return total


W_MS = R.standard_normal(3 * N + 2) * 0.3
W_COL = R.standard_normal(N * (2 * (D_COL + 1) + 1)) * 0.3
W_RC = np.concatenate(
    [[1.8], np.linspace(0, 1, N + 1), 0.5 + 0.1 * R.random(N + 1), 0.5 * np.ones(N)]
)
CASES = [
    Case(multiple_shooting, (W_MS, 5.0), (0, 1), extra="hvp"),
    Case(single_shooting, (0.2 * R.standard_normal(N),), (0,), extra="hvp"),
    Case(single_shooting_states, (0.2 * R.standard_normal(N),), (0,)),
    Case(collocation, (W_COL, 3.0), (0, 1)),
    Case(race_car, (W_RC,), (0,)),
    Case(rocket, (np.linspace(1.0, 0.2, 12),), (0,), extra="hvp"),
    Case(cartpole, (0.5 * R.standard_normal(10), np.array([1.0, 0.1, 0.5])), (0, 1)),
    Case(dae_index1, (np.array([0.7, 1.3]),), (0,), extra="hvp"),
]
