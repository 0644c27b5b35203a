"""Simulations the way users write them: ODE integrators, n-body, PDE stencils, Monte-Carlo,
finance (soundness hunt B)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

G = 1.0
THRESH = 0.2


def euler_decay(k, y0, t_end=1.0, dt=0.1):
    t = 0.0
    y = y0
    while t < t_end - 1e-12:
        y = y - dt * k * y
        t += dt
    return y


def _f_osc(t, y, w):
    return np.array([y[1], -(w**2) * y[0] - 0.1 * y[1]])


def rk4(w, y0, dt=0.05, steps=10):
    y = y0.copy()
    t = 0.0
    for _ in range(steps):
        k1 = _f_osc(t, y, w)
        k2 = _f_osc(t + dt / 2, y + dt / 2 * k1, w)
        k3 = _f_osc(t + dt / 2, y + dt / 2 * k2, w)
        k4 = _f_osc(t + dt, y + dt * k3, w)
        y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += dt
    return y


def rk4_while(w, y0, t_end=0.5, dt=0.1):
    t, y = 0.0, y0
    while t < t_end:
        h = min(dt, t_end - t)
        k1 = _f_osc(t, y, w)
        k2 = _f_osc(t + h / 2, y + h / 2 * k1, w)
        k3 = _f_osc(t + h / 2, y + h / 2 * k2, w)
        k4 = _f_osc(t + h, y + h * k3, w)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t + h
    return y[0] ** 2 + y[1]


def nbody_energy(pos, mass):
    n = pos.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            r = np.linalg.norm(pos[i] - pos[j])
            e -= G * mass[i] * mass[j] / r
    return e


def nbody_forces(pos, mass):
    n = len(pos)
    F = np.zeros_like(pos)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            d = pos[j] - pos[i]
            r = np.sqrt(np.sum(d**2) + 0.01)
            F[i] += G * mass[i] * mass[j] * d / r**3
    return F


def nbody_step(pos, vel, mass, dt=0.01, steps=3):
    for _ in range(steps):
        acc = nbody_forces(pos, mass) / mass[:, None]
        vel = vel + dt * acc
        pos = pos + dt * vel
    return np.sum(pos**2) + np.sum(vel)


def heat1d_slices(u0, alpha, steps=5):
    u = u0.copy()
    for _ in range(steps):
        u[1:-1] = u[1:-1] + alpha * (u[2:] - 2 * u[1:-1] + u[:-2])
    return u


def heat1d_loop(u0, alpha, steps=3):
    u = np.array(u0)
    n = len(u)
    for _ in range(steps):
        new = u.copy()
        for i in range(1, n - 1):
            new[i] = u[i] + alpha * (u[i + 1] - 2 * u[i] + u[i - 1])
        u = new
    return np.sum(u**2)


def heat1d_inplace_gs(u0, alpha, steps=2):
    u = u0.copy()
    for _ in range(steps):
        for i in range(1, len(u) - 1):
            u[i] = u[i] + alpha * (u[i + 1] - 2 * u[i] + u[i - 1])
    return u


def heat2d(u0, alpha, steps=3):
    u = u0.copy()
    for _ in range(steps):
        lap = u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * u[1:-1, 1:-1]
        u[1:-1, 1:-1] += alpha * lap
    return (u**2).sum()


def spring_chain(x0, k, m=1.0, dt=0.05, steps=6):
    x = x0.copy()
    v = np.zeros_like(x)
    n = len(x)
    for _ in range(steps):
        f = np.zeros(n)
        for i in range(n - 1):
            s = k * (x[i + 1] - x[i] - 1.0)
            f[i] += s
            f[i + 1] -= s
        v += dt * f / m
        x += dt * v
    return x[-1] - x[0]


def lotka_volterra(a, b, x0, y0, dt=0.05, steps=40):
    x, y = x0, y0
    for _ in range(steps):
        dx = a * x - b * x * y
        dy = -0.8 * y + 0.3 * x * y
        x, y = x + dt * dx, y + dt * dy
        if y < THRESH:
            break
    return x + 2 * y


def pendulum(theta0, L, g=9.81, dt=0.01, steps=20):
    th, om = theta0, 0.0
    for _ in range(steps):
        om -= g / L * math.sin(th) * dt
        th += om * dt
    return math.cos(th) * L


def monte_carlo_option(S0, sigma, r=0.01, T=1.0, K=1.0, n=200):
    rng = np.random.default_rng(0)
    z = rng.standard_normal(n)
    ST = S0 * np.exp((r - 0.5 * sigma**2) * T + sigma * math.sqrt(T) * z)
    payoff = np.maximum(ST - K, 0.0)
    return math.exp(-r * T) * payoff.mean()


def _ncdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def black_scholes(S, K, T, r, sigma):
    d1 = (math.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return S * _ncdf(d1) - K * math.exp(-r * T) * _ncdf(d2)


def binomial_tree(S, sigma, K=1.0, r=0.02, T=1.0, n=6):
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    vals = [max(S * u**j * d ** (n - j) - K, 0.0) for j in range(n + 1)]
    for step in range(n - 1, -1, -1):
        for j in range(step + 1):
            cont = disc * (p * vals[j + 1] + (1 - p) * vals[j])
            exercise = K - S * u**j * d ** (step - j)
            vals[j] = max(cont, exercise)
    return vals[0]


def projectile_range(v0, angle, drag=0.1, dt=0.01):
    x, y = 0.0, 0.0
    vx, vy = v0 * math.cos(angle), v0 * math.sin(angle)
    while y >= 0.0:
        ax, ay = -drag * vx, -9.81 - drag * vy
        x, y = x + vx * dt, y + vy * dt
        vx, vy = vx + ax * dt, vy + ay * dt
    return x


def random_walk_mc(drift, vol, n=50):
    rng = np.random.default_rng(0)
    steps = drift + vol * rng.normal(size=(n, 4))
    paths = np.cumsum(steps, axis=1)
    return np.mean(np.max(paths, axis=1))


def leapfrog_hmc(q, p, eps=0.1, L=5):
    def grad_U(q):
        return q

    p = p - eps / 2 * grad_U(q)
    for i in range(L):
        q = q + eps * p
        if i != L - 1:
            p = p - eps * grad_U(q)
    p = p - eps / 2 * grad_U(q)
    return 0.5 * np.dot(q, q) + 0.5 * np.dot(p, p)


def logistic_map(r, x0, n=8):
    xs = [x0]
    for _ in range(n):
        xs.append(r * xs[-1] * (1 - xs[-1]))
    return sum(xs) / len(xs)


def sir_model(beta, gamma, s0=0.99, i0=0.01, dt=0.1, steps=30):
    s, i, rec = s0, i0, 0.0
    peak = i
    for _ in range(steps):
        ds = -beta * s * i
        di = beta * s * i - gamma * i
        s += dt * ds
        i += dt * di
        rec += dt * gamma * i
        peak = max(peak, i)
    return peak + rec


def wave1d(u0, c, steps=4, dt=0.1, dx=0.5):
    u_prev = u0.copy()
    u = u0.copy()
    r2 = (c * dt / dx) ** 2
    for _ in range(steps):
        u_next = np.zeros_like(u)
        u_next[1:-1] = 2 * u[1:-1] - u_prev[1:-1] + r2 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u_prev, u = u, u_next
    return u


def bouncing_ball(h0, e, dt=0.02, steps=60):
    y, v = h0, 0.0
    for _ in range(steps):
        v -= 9.81 * dt
        y += v * dt
        if y < 0:
            y = -y
            v = -e * v
    return y + v


def verlet_spring(x0, k, dt=0.1, steps=8):
    x_prev = x0
    x = x0
    traj = []
    for _ in range(steps):
        a = -k * x
        x_new = 2 * x - x_prev + a * dt**2
        x_prev, x = x, x_new
        traj.append(x)
    return np.array(traj)


def cumulative_returns(w, R):
    port = R @ w
    wealth = np.cumprod(1 + port)
    dd = wealth / np.maximum.accumulate(wealth) - 1
    return wealth[-1] + dd.min()


def implicit_euler_linear(A, y0, dt=0.1, steps=4):
    n = len(y0)
    M = np.eye(n) - dt * A
    y = y0
    for _ in range(steps):
        y = np.linalg.solve(M, y)
    return y


def trapezoid_energy(x, v):
    e = 0.5 * v**2 + 0.5 * x**2
    return np.trapezoid(e, dx=0.1) if hasattr(np, "trapezoid") else np.trapz(e, dx=0.1)


def newton_sqrt(a, iters=6):
    x = a
    for _ in range(iters):
        x = 0.5 * (x + a / x)
    return x


def newton_converge(a, tol=1e-10):
    x = 1.0
    while abs(x * x - a) > tol:
        x = x - (x * x - a) / (2 * x)
    return x


def chain_mc_integral(theta):
    rng = np.random.default_rng(0)
    u = rng.uniform(0, 1, size=100)
    return np.mean(np.exp(-theta * u) * np.sin(theta * u))


RNGS = np.random.default_rng(3)
CASES = [
    Case(euler_decay, (0.7, 2.0), (0, 1), extra="hvp"),
    Case(rk4, (1.3, np.array([1.0, 0.0])), (0, 1), extra="hvp"),
    Case(rk4_while, (1.3, np.array([1.0, 0.2])), (0, 1)),
    Case(
        nbody_energy,
        (RNGS.standard_normal((4, 2)), np.array([1.0, 2.0, 0.5, 1.5])),
        (0, 1),
        extra="hvp",
    ),
    Case(nbody_forces, (RNGS.standard_normal((3, 2)), np.array([1.0, 2.0, 0.5])), (0, 1)),
    Case(
        nbody_step,
        (RNGS.standard_normal((3, 2)), RNGS.standard_normal((3, 2)), np.array([1.0, 2.0, 0.5])),
        (0, 1, 2),
    ),
    Case(heat1d_slices, (np.sin(np.linspace(0, 3, 7)), 0.2), (0, 1)),
    Case(heat1d_loop, (np.sin(np.linspace(0, 3, 6)), 0.2), (0, 1), extra="hvp"),
    Case(heat1d_inplace_gs, (np.sin(np.linspace(0, 3, 6)), 0.2), (0, 1)),
    Case(heat2d, (RNGS.standard_normal((4, 5)), 0.1), (0, 1)),
    Case(spring_chain, (np.array([0.0, 1.1, 2.3, 2.9]), 2.0), (0, 1), extra="hvp"),
    Case(lotka_volterra, (1.1, 0.4, 1.0, 0.5), (0, 1, 2, 3)),
    Case(pendulum, (0.5, 1.2), (0, 1), extra="hvp"),
    Case(black_scholes, (1.0, 0.95, 0.5, 0.02, 0.3), (0, 1, 2, 3, 4), extra="hvp"),
    Case(binomial_tree, (1.05, 0.3), (0, 1)),
    Case(leapfrog_hmc, (np.array([0.5, -1.0]), np.array([0.3, 0.2])), (0, 1), extra="hvp"),
    Case(sir_model, (1.5, 0.3), (0, 1)),
    Case(wave1d, (np.sin(np.linspace(0, 3, 6)), 1.0), (0, 1)),
    Case(verlet_spring, (1.0, 2.0), (0, 1)),
    Case(
        cumulative_returns,
        (np.array([0.3, 0.7]), 0.05 * RNGS.standard_normal((6, 2))),
        (0, 1),
    ),
    Case(
        implicit_euler_linear,
        (RNGS.standard_normal((3, 3)), np.array([1.0, 0.0, -1.0])),
        (0, 1),
        extra="hvp",
    ),
    Case(trapezoid_energy, (np.linspace(0, 1, 5), np.linspace(1, 0, 5)), (0, 1)),
    Case(newton_sqrt, (2.0,), (0,), extra="hvp"),
    Case(newton_converge, (2.0,), (0,), atol=1e-5, rtol=1e-5),
    Case(chain_mc_integral, (1.3,), (0,), extra="hvp"),
]

# Right at first order, but kinks/branches near the point (early stops, max payoffs, bounces,
# abs at 0) defeat the finite-difference Hessians of tests/higher/test_corpus_hessians.py, or
# a dataclass argument its packer does not flatten: checked in tests/soundness/test_users_hunt.py.
NONSMOOTH = [
    Case(lotka_volterra, (0.2, 0.9, 1.0, 0.5), (0, 1, 2, 3), name="users_sim.lv_early_stop"),
    Case(monte_carlo_option, (1.05, 0.25), (0, 1), extra="hvp"),
    Case(projectile_range, (5.0, 0.7), (0, 1), atol=1e-4, rtol=1e-4, jitter=0.0),
    Case(random_walk_mc, (0.05, 0.3), (0, 1)),
    Case(logistic_map, (3.2, 0.3), (0, 1), extra="hvp"),
    Case(bouncing_ball, (1.0, 0.8), (0, 1), jitter=0.0),
]
