"""Ported cases (session 25, hunt25), written anew after simulation programs: Lennard-Jones
energies over a neighbour double loop with a cutoff ``if r < rc`` and the minimum-image convention
``d -= L * np.round(d / L)``, velocity Verlet with forces by a nested function, a cloth of springs
over an edge list, an SPH density by a kernel with a branch, a robot arm's forward kinematics by
Denavit-Hartenberg matrices built by ``np.array([[...]])`` of scalars, ray-sphere intersection
with a ``match`` on the discriminant's sign, barycentric interpolation with ``*rest`` unpacking,
SIR and SEIR epidemics by Euler steps, a two-compartment pharmacokinetic model with a dosing
schedule, single-shooting optimal control, a Hopfield energy, a Boltzmann free energy.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from . import Case


def refused_by_mutation_check(reason: str) -> dict[str, str]:
    """Refused by the mutation check (the IR itself verifies)."""
    return dict.fromkeys(("primal", "fwd", "rev"), reason)


R = np.random.default_rng(250)
BOX = 3.0
POS0 = np.array([[0.1, 0.2, 0.3], [1.1, 0.1, 0.4], [0.5, 1.3, 0.2], [2.45, 2.35, 0.1]])


def lj_energy(x, rc=2.5, eps=1.0, sig=1.0):
    pos = x.reshape(-1, 3)
    n = len(pos)
    e = 0.0
    for i in range(n - 1):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            d -= BOX * np.round(d / BOX)
            r2 = d @ d
            if r2 < rc * rc:
                s6 = (sig * sig / r2) ** 3
                e += 4 * eps * (s6 * s6 - s6)
    return e


def lj_forces(pos):
    f = np.zeros_like(pos)
    for i in range(len(pos)):
        for j in range(i + 1, len(pos)):
            d = pos[i] - pos[j]
            d = d - BOX * np.round(d / BOX)
            r2 = np.sum(d**2)
            inv6 = 1.0 / r2**3
            fij = (48 * inv6 * inv6 - 24 * inv6) / r2 * d
            f[i] += fij
            f[j] -= fij
    return f


def verlet_energy(x, dt=0.002, steps=3):
    pos = x.reshape(-1, 3).copy()
    vel = np.zeros_like(pos)
    acc = lj_forces(pos)
    for _ in range(steps):
        pos += vel * dt + 0.5 * acc * dt**2
        new_acc = lj_forces(pos)
        vel += 0.5 * (acc + new_acc) * dt
        acc = new_acc
    return 0.5 * np.sum(vel**2) + np.sum(pos[:, 0])


EDGES = [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]


def cloth_springs(x, k=10.0, steps=4, dt=0.01):
    p = x.reshape(4, 2).copy()
    rest = {e: np.linalg.norm(p[e[0]] - p[e[1]]) for e in EDGES}
    v = np.zeros_like(p)
    pinned = np.array([True, False, False, False])
    for _ in range(steps):
        f = np.zeros_like(p)
        f[:, 1] -= 9.81
        for (a, b), l0 in rest.items():
            d = p[b] - p[a]
            ln = np.sqrt(d @ d)
            fs = k * (ln - l0) * d / ln
            f[a] += fs
            f[b] -= fs
        f[pinned] = 0.0
        v += dt * f
        p += dt * v
    return np.sum(p[:, 1] ** 2) + p[2, 0]


def _w_poly(r, h):
    if r >= h:
        return 0.0
    q = h * h - r * r
    return 315.0 / (64 * math.pi * h**9) * q**3


def sph_density(x, h=1.5):
    p = x.reshape(-1, 2)
    rho = []
    for pi in p:
        s = 0.0
        for pj in p:
            s += _w_poly(np.linalg.norm(pi - pj), h)
        rho.append(s)
    rho = np.array(rho)
    return np.sum((rho / rho.mean() - 1.0) ** 2)


def dh(theta, d, a, alpha):
    ct, st = math.cos(theta), math.sin(theta)
    ca, sa = math.cos(alpha), math.sin(alpha)
    return np.array(
        [
            [ct, -st * ca, st * sa, a * ct],
            [st, ct * ca, -ct * sa, a * st],
            [0.0, sa, ca, d],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )


LINKS = [(0.3, 1.0, math.pi / 2), (0.0, 0.8, 0.0), (0.0, 0.5, -math.pi / 2)]
TARGET = np.array([0.6, 0.9, 0.7])


def fk_reach(q):
    T = np.eye(4)
    for th, (d, a, al) in zip(q, LINKS):
        T = T @ dh(th, d, a, al)
    tip = T[:3, 3]
    return np.sum((tip - TARGET) ** 2)


def fk_reach_float(q0, q1, q2):
    T = np.eye(4)
    for th, link in zip((q0, q1, q2), LINKS):
        T = T @ dh(th, *link)
    return float(T[0, 3] ** 2 + T[1, 3] - T[2, 3])


def ray_sphere(c, r=1.0):
    origin = np.zeros(3)
    direction = np.array([0.0, 0.0, 1.0])
    oc = origin - c
    b = 2.0 * np.dot(oc, direction)
    cc = np.dot(oc, oc) - r * r
    disc = b * b - 4 * cc
    match int(np.sign(disc)):
        case -1:
            return 0.0
        case 0:
            t = -b / 2
        case _:
            sq = math.sqrt(disc)
            t = (-b - sq) / 2
            if t < 0:
                t = (-b + sq) / 2
    hit = origin + t * direction
    n = (hit - c) / r
    return t + n[2] ** 2


def barycentric(p):
    tri = np.array([[0.0, 0.0], [2.0, 0.1], [0.3, 1.8]])
    vals = np.array([1.0, -2.0, 3.0])
    a, *rest = tri
    b, c = rest
    v0, v1, v2 = b - a, c - a, p - a
    d00, d01, d11 = v0 @ v0, v0 @ v1, v1 @ v1
    d20, d21 = v2 @ v0, v2 @ v1
    den = d00 * d11 - d01 * d01
    w1 = (d11 * d20 - d01 * d21) / den
    w2 = (d00 * d21 - d01 * d20) / den
    w = np.array([1 - w1 - w2, w1, w2])
    inside = bool(np.all(w >= 0))
    return w @ vals if inside else np.min(vals) + 0.0 * w.sum()


def sir(theta, days=30, dt=0.5):
    beta, gamma = theta
    s, i, r = 0.99, 0.01, 0.0
    peak = 0.0
    for _ in range(int(days / dt)):
        new_inf = beta * s * i
        rec = gamma * i
        s, i, r = s - dt * new_inf, i + dt * (new_inf - rec), r + dt * rec
        peak = max(peak, i)
    return peak + r


def seir(theta, steps=40, dt=0.25):
    y = np.array([0.98, 0.01, 0.01, 0.0])
    beta, sigma, gamma = theta
    traj = []
    for _ in range(steps):
        s, e, i, r = y
        dy = np.array([-beta * s * i, beta * s * i - sigma * e, sigma * e - gamma * i, gamma * i])
        y = y + dt * dy
        traj.append(y[2])
    return np.sum(np.array(traj)) * dt


@dataclass(frozen=True)
class PKState:
    central: float
    periph: float
    auc: float = 0.0


def pk_two_compartment(k, dose=1.0, dt=0.1, steps=60):
    k10, k12, k21 = k
    st = PKState(0.0, 0.0)
    for n in range(steps):
        if n % 20 == 0:
            st = replace(st, central=st.central + dose)
        dc = -(k10 + k12) * st.central + k21 * st.periph
        dp = k12 * st.central - k21 * st.periph
        st = PKState(st.central + dt * dc, st.periph + dt * dp, st.auc + dt * st.central)
    return st.auc + st.periph


def shooting(u, dt=0.1):
    x, v = 1.0, 0.0
    cost = 0.0
    for uk in u:
        cost += 0.5 * dt * uk**2
        a = uk - 0.2 * v - x
        x, v = x + dt * v, v + dt * a
    return cost + 10 * (x**2 + v**2)


W_HOP = R.standard_normal((5, 5))
W_HOP = 0.5 * (W_HOP + W_HOP.T)
np.fill_diagonal(W_HOP, 0.0)


def hopfield(s, beta=1.5, steps=3):
    s = np.tanh(s)
    for _ in range(steps):
        s = np.tanh(beta * W_HOP @ s)
    return -0.5 * s @ W_HOP @ s


def boltzmann_free_energy(b):
    states = np.array([[(k >> i) & 1 for i in range(3)] for k in range(8)], dtype=float)
    W = np.array([[0.0, 0.3, -0.2], [0.3, 0.0, 0.5], [-0.2, 0.5, 0.0]])
    energies = -np.einsum("si,ij,sj->s", states, W, states) / 2 - states @ b
    m = energies.min()
    return m - math.log(np.sum(np.exp(-(energies - m))))


CASES = [
    Case(lj_energy, (POS0.ravel(),), (0,), extra="hvp"),
    Case(verlet_energy, (POS0.ravel(),), (0,), extra="hvp"),
    Case(cloth_springs, (np.array([0.0, 0.0, 1.0, 0.1, 1.1, -0.9, 0.1, -1.0]),), (0,), extra="hvp"),
    Case(
        sph_density,
        (R.standard_normal(8) * 0.6,),
        (0,),
        xfail=refused_by_mutation_check(
            "`s += _w_poly(...)` in an inner loop then `rho.append(s)`: a user function's result "
            "is not known to be a number, so `s` may be one array updated in place"
        ),
    ),
    Case(fk_reach, (np.array([0.3, -0.4, 0.7]),), (0,), extra="hvp"),
    Case(fk_reach_float, (0.3, -0.4, 0.7), (0, 1, 2), extra="hvp"),
    Case(ray_sphere, (np.array([0.2, -0.1, 3.0]),), (0,), extra="hvp"),
    Case(ray_sphere, (np.array([2.2, -0.1, 3.0]),), (0,), name="ported_hunt25.ray_sphere_miss"),
    Case(barycentric, (np.array([0.6, 0.5]),), (0,), extra="hvp"),
    Case(barycentric, (np.array([2.6, 2.5]),), (0,), name="ported_hunt25.barycentric_outside"),
    Case(sir, (np.array([0.6, 0.2]),), (0,), extra="hvp"),
    Case(seir, (np.array([0.9, 0.3, 0.2]),), (0,), extra="hvp"),
    Case(pk_two_compartment, (np.array([0.3, 0.2, 0.15]),), (0,), extra="hvp"),
    Case(shooting, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(hopfield, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(boltzmann_free_energy, (np.array([0.1, -0.3, 0.2]),), (0,), extra="hvp"),
]
