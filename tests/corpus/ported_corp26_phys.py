"""Ported cases (session 26, corp26), written anew as user code: small physics programs as they are
written in teaching notebooks and benchmark suites. The Lorenz and Rössler systems integrated by
RK4 (a tuple-returning right-hand side, the state as an array and as three scalars), pyperformance
nbody's advance step as velocity Verlet and as leapfrog over a dict of bodies, a 2-D spring
network's energy from an edge list, finite-difference energies (Poisson's Dirichlet energy,
Allen-Cahn with a double well, Ginzburg-Landau on a periodic ring by ``np.roll``, Cahn-Hilliard's
free energy), the Fermi-Pasta-Ulam-Tsingou chain, Toda lattice, Hénon-Heiles, the double
pendulum's Lagrangian, Duffing and Van der Pol oscillators stepped by RK4 through ``f(t, y,
*params)``, a Morse-potential dimer chain and a Kepler orbit's energy drift after symplectic
Euler steps.

Float arrays / scalars -> float scalar (checked at second order with ``extra="hvp"``) or a float
array (a trajectory)."""

from __future__ import annotations

import numpy as np

from . import Case, refused_everywhere

R = np.random.default_rng(26000001)


def lorenz(state, sigma=10.0, rho=28.0, beta=8.0 / 3.0):
    x, y, z = state
    return np.array([sigma * (y - x), x * (rho - z) - y, x * y - beta * z])


def rk4(f, y, h, *args):
    k1 = f(y, *args)
    k2 = f(y + 0.5 * h * k1, *args)
    k3 = f(y + 0.5 * h * k2, *args)
    k4 = f(y + h * k3, *args)
    return y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def lorenz_traj(y0, rho):
    y = y0
    out = [y0]
    for _ in range(20):
        y = rk4(lorenz, y, 0.01, 10.0, rho)
        out.append(y)
    return np.stack(out)


def lorenz_final_sq(y0, rho):
    return np.sum(lorenz_traj(y0, rho)[-1] ** 2)


def rossler_scalars(a, b, c):
    x, y, z = 1.0, 1.0, 0.5
    dt = 0.02
    for _ in range(30):
        dx = -y - z
        dy = x + a * y
        dz = b + z * (x - c)
        x, y, z = x + dt * dx, y + dt * dy, z + dt * dz
    return x * x + y * y + z * z


def verlet_nbody(pos, vel, masses):
    dt = 0.01
    n = len(masses)

    def accel(p):
        d = p[None, :, :] - p[:, None, :]
        r2 = np.sum(d**2, axis=-1) + np.eye(n) + 0.01
        inv3 = r2**-1.5 * (1.0 - np.eye(n))
        return np.einsum("ij,ijk,j->ik", inv3, d, masses)

    a = accel(pos)
    for _ in range(5):
        pos = pos + dt * vel + 0.5 * dt * dt * a
        a_new = accel(pos)
        vel = vel + 0.5 * dt * (a + a_new)
        a = a_new
    ke = 0.5 * np.sum(masses[:, None] * vel**2)
    return ke + np.sum(pos**2)


def leapfrog_bodies(x0, v0):
    bodies = {
        "sun": {"x": np.zeros(2), "v": np.zeros(2), "m": 10.0},
        "p1": {"x": x0, "v": v0, "m": 0.1},
        "p2": {"x": -0.8 * x0[::-1], "v": 0.9 * v0[::-1], "m": 0.2},
    }
    names = list(bodies)
    dt = 0.02
    for _ in range(4):
        for b in bodies.values():
            b["x"] = b["x"] + 0.5 * dt * b["v"]
        for i, ni in enumerate(names):
            for nj in names[i + 1 :]:
                bi, bj = bodies[ni], bodies[nj]
                d = bi["x"] - bj["x"]
                mag = dt / np.sum(d * d) ** 1.5
                bi["v"] = bi["v"] - d * bj["m"] * mag
                bj["v"] = bj["v"] + d * bi["m"] * mag
        for b in bodies.values():
            b["x"] = b["x"] + 0.5 * dt * b["v"]
    return sum(0.5 * b["m"] * b["v"] @ b["v"] for b in bodies.values())


def leapfrog_keyed(x0, v0):
    X = {"sun": np.zeros(2), "p1": x0, "p2": -0.8 * x0[::-1]}
    V = {"sun": np.zeros(2), "p1": v0, "p2": 0.9 * v0[::-1]}
    M = {"sun": 10.0, "p1": 0.1, "p2": 0.2}
    pairs = [("sun", "p1"), ("sun", "p2"), ("p1", "p2")]
    dt = 0.02
    for _ in range(4):
        for n in X:
            X[n] = X[n] + 0.5 * dt * V[n]
        for a, b in pairs:
            d = X[a] - X[b]
            mag = dt / np.sum(d * d) ** 1.5
            V[a] = V[a] - d * M[b] * mag
            V[b] = V[b] + d * M[a] * mag
        for n in X:
            X[n] = X[n] + 0.5 * dt * V[n]
    return sum(0.5 * M[n] * V[n] @ V[n] for n in V)


EDGES = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2), (1, 3), (3, 4), (2, 4)]


def spring_energy(pos, k):
    e = 0.0
    for idx, (i, j) in enumerate(EDGES):
        d = np.linalg.norm(pos[i] - pos[j])
        e += 0.5 * k[idx] * (d - 1.0) ** 2
    return e


def spring_energy_vec(pos, k):
    E = np.array(EDGES)
    d = np.linalg.norm(pos[E[:, 0]] - pos[E[:, 1]], axis=1)
    return 0.5 * np.sum(k * (d - 1.0) ** 2)


def poisson_energy(u, f):
    n = u.shape[0]
    h = 1.0 / (n + 1)
    U = np.pad(u, 1)
    ux = (U[1:, 1:-1] - U[:-1, 1:-1]) / h
    uy = (U[1:-1, 1:] - U[1:-1, :-1]) / h
    return 0.5 * h * h * (np.sum(ux**2) + np.sum(uy**2)) - h * h * np.sum(f * u)


def allen_cahn_energy(u, eps):
    h = 1.0 / (len(u) - 1)
    du = np.diff(u) / h
    well = 0.25 * (u**2 - 1.0) ** 2
    return h * (0.5 * eps**2 * np.sum(du**2) + np.sum(well))


def ginzburg_landau(psi_re, psi_im, a, b):
    lap_re = np.roll(psi_re, 1) + np.roll(psi_re, -1) - 2 * psi_re
    lap_im = np.roll(psi_im, 1) + np.roll(psi_im, -1) - 2 * psi_im
    rho = psi_re**2 + psi_im**2
    return np.sum(-psi_re * lap_re - psi_im * lap_im + a * rho + 0.5 * b * rho**2)


def cahn_hilliard_step(c):
    dt, kappa = 1e-3, 0.5
    for _ in range(3):
        mu = c**3 - c - kappa * (np.roll(c, 1) + np.roll(c, -1) - 2 * c)
        c = c + dt * (np.roll(mu, 1) + np.roll(mu, -1) - 2 * mu)
    return np.mean(0.25 * (c**2 - 1) ** 2)


def fput(q, p, alpha):
    Q = np.concatenate(([0.0], q, [0.0]))
    dq = np.diff(Q)
    return 0.5 * p @ p + np.sum(0.5 * dq**2 + alpha / 3.0 * dq**3)


def toda(q, p):
    return 0.5 * np.sum(p * p) + np.sum(np.exp(q - np.roll(q, -1)))


def henon_heiles(state):
    x, y, px, py = state
    return 0.5 * (px**2 + py**2) + 0.5 * (x**2 + y**2) + x**2 * y - y**3 / 3.0


def double_pendulum_lagrangian(th1, th2, w1, w2):
    m1 = m2 = 1.0
    l1, l2, g = 1.0, 0.8, 9.81
    T = 0.5 * (m1 + m2) * l1**2 * w1**2 + 0.5 * m2 * l2**2 * w2**2
    T += m2 * l1 * l2 * w1 * w2 * np.cos(th1 - th2)
    V = -(m1 + m2) * g * l1 * np.cos(th1) - m2 * g * l2 * np.cos(th2)
    return T - V


def duffing(t, y, delta, alpha, beta, gamma, omega):
    x, v = y
    return np.array([v, -delta * v - alpha * x - beta * x**3 + gamma * np.cos(omega * t)])


def van_der_pol(t, y, mu):
    return np.array([y[1], mu * (1 - y[0] ** 2) * y[1] - y[0]])


def rk4_t(f, t0, y0, h, n, *params):
    t, y = t0, y0
    for _ in range(n):
        k1 = f(t, y, *params)
        k2 = f(t + h / 2, y + h / 2 * k1, *params)
        k3 = f(t + h / 2, y + h / 2 * k2, *params)
        k4 = f(t + h, y + h * k3, *params)
        y = y + h * (k1 + 2 * k2 + 2 * k3 + k4) / 6
        t = t + h
    return y


def duffing_end(y0, gamma):
    y = rk4_t(duffing, 0.0, y0, 0.05, 15, 0.2, -1.0, 1.0, gamma, 1.2)
    return y[0] ** 2 + 0.5 * y[1] ** 2


def van_der_pol_end(y0, mu):
    return rk4_t(van_der_pol, 0.0, y0, 0.05, 12, mu)


def morse_chain(x, D, a):
    r = np.diff(x)
    return np.sum(D * (1.0 - np.exp(-a * (r - 1.0))) ** 2)


def kepler_drift(q0, p0):
    q, p = q0.copy(), p0.copy()

    def energy(q, p):
        return 0.5 * p @ p - 1.0 / np.sqrt(q @ q)

    e0 = energy(q, p)
    h = 0.05
    for _ in range(10):
        p = p - h * q / (q @ q) ** 1.5
        q = q + h * p
    return (energy(q, p) - e0) ** 2 + np.sum(q**2)


def _r(*shape, lo=-1.0, hi=1.0):
    return np.round(R.uniform(lo, hi, shape), 3)


POS5 = np.array([[0.0, 0.0], [1.1, 0.1], [1.0, 1.2], [-0.1, 0.9], [0.6, 1.9]])
CASES = [
    Case(lorenz_traj, (np.array([1.0, 1.0, 1.0]), 28.0), (0, 1)),
    Case(lorenz_final_sq, (np.array([1.0, 1.0, 1.0]), 28.0), (0, 1), extra="hvp"),
    Case(rossler_scalars, (0.2, 0.2, 5.7), (0, 1, 2), extra="hvp"),
    Case(verlet_nbody, (_r(3, 2) * 2, _r(3, 2) * 0.3, np.array([1.0, 0.5, 0.3])), (0, 1, 2)),
    Case(
        leapfrog_bodies,
        (np.array([1.0, 0.2]), np.array([0.1, 3.0])),
        (0, 1),
        xfail=refused_everywhere(
            "`for b in bodies.values(): b['x'] = ...` updates the bodies' dicts through the loop"
            " name: refused ('srcad treats values as immutable'), pyperformance nbody's aliasing"
        ),
    ),
    Case(leapfrog_keyed, (np.array([1.0, 0.2]), np.array([0.1, 3.0])), (0, 1), extra="hvp"),
    Case(spring_energy, (POS5, np.linspace(0.5, 1.2, 8)), (0, 1), extra="hvp"),
    Case(spring_energy_vec, (POS5, np.linspace(0.5, 1.2, 8)), (0, 1), extra="hvp"),
    Case(poisson_energy, (_r(4, 4), _r(4, 4)), (0, 1), extra="hvp"),
    Case(allen_cahn_energy, (_r(9), 0.1), (0, 1), extra="hvp"),
    Case(ginzburg_landau, (_r(6), _r(6), -1.0, 0.5), (0, 1, 2, 3), extra="hvp"),
    Case(cahn_hilliard_step, (_r(8),), (0,), extra="hvp"),
    Case(fput, (_r(6), _r(6), 0.25), (0, 1, 2), extra="hvp"),
    Case(toda, (_r(5), _r(5)), (0, 1), extra="hvp"),
    Case(henon_heiles, (np.array([0.1, -0.2, 0.3, 0.25]),), (0,), extra="hvp"),
    Case(double_pendulum_lagrangian, (0.4, -0.3, 1.1, 0.7), (0, 1, 2, 3), extra="hvp"),
    Case(duffing_end, (np.array([0.5, 0.0]), 0.3), (0, 1), extra="hvp"),
    Case(van_der_pol_end, (np.array([1.0, 0.5]), 1.5), (0, 1)),
    Case(morse_chain, (np.cumsum(1.0 + _r(6) * 0.2), 2.0, 1.3), (0, 1, 2), extra="hvp"),
    Case(kepler_drift, (np.array([1.0, 0.0]), np.array([0.0, 1.1])), (0, 1), extra="hvp"),
]
