"""Ported cases (session 23, hunt23c), written anew after simulation code with objects and after
Python idioms in numerical programs: bodies as dataclasses updated by attribute (``b.vel = ...``)
with ``o is not b``, a spring class with an energy method, a state dict, implied volatility by
Newton with break, a Gaussian VaR with scipy.special.ndtri, a tetrahedron volume by det and cross,
linear FEM triangles (inv, det, log), einsum row norms and traces, velocity Verlet with ``x += ...``
and ``a[:] = a_new``; vector outputs for jacfwd/jacrev (arm joints, trajectories, IIR and
convolution outputs, Bezier points, Black-Scholes prices and delta, unit normals, refraction with
total internal reflection, power spectra, quaternion rotation, a periodic Laplacian); float(),
.item(), .tolist(), np.vectorize over a branchy kernel, functools.partial, np.piecewise,
rounding/modulo/floor/divmod terms, math.hypot/dist/fsum/prod/copysign/log(x, base), lgamma, min
and max with keys, sorted, complex magnitudes, np.clip, the stable softplus, np.logaddexp.reduce.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from . import Case


@dataclass
class Body:
    pos: np.ndarray
    vel: np.ndarray
    mass: float


def sim_bodies(x):
    bodies = [Body(x[0:2].copy(), np.zeros(2), 1.0), Body(x[2:4].copy(), np.zeros(2), 2.0)]
    dt = 0.05
    for _ in range(10):
        for b in bodies:
            f = np.zeros(2)
            for o in bodies:
                if o is not b:
                    d = o.pos - b.pos
                    f += o.mass * d / (np.dot(d, d) + 0.1) ** 1.5
            b.vel = b.vel + dt * f
        for b in bodies:
            b.pos = b.pos + dt * b.vel
    return sum(np.sum(b.pos**2) for b in bodies)


class Spring:
    def __init__(self, k, rest):
        self.k = k
        self.rest = rest

    def energy(self, a, b):
        L = np.linalg.norm(b - a)
        return 0.5 * self.k * (L - self.rest) ** 2


def spring_chain(x):
    P = x.reshape(-1, 2)
    springs = [Spring(10.0, 1.0), Spring(5.0, 0.8), Spring(8.0, 1.2)]
    return sum(s.energy(P[i], P[i + 1]) for i, s in enumerate(springs)) + 9.81 * P[:, 1].sum()


def state_dict_sim(k):
    state = {"x": np.array([1.0, 0.0]), "v": np.array([0.0, 1.0])}
    for _ in range(50):
        a = -k * state["x"] - 0.1 * state["v"]
        state["v"] = state["v"] + 0.05 * a
        state["x"] = state["x"] + 0.05 * state["v"]
    return state["x"][0] + state["v"][1]


def implied_vol(price):
    S, K, T, r = 100.0, 100.0, 1.0, 0.01
    sig = 0.2
    for _ in range(50):
        d1 = (math.log(S / K) + (r + 0.5 * sig * sig) * T) / (sig * math.sqrt(T))
        d2 = d1 - sig * math.sqrt(T)
        c = S * ndtr(d1) - K * math.exp(-r * T) * ndtr(d2)
        vega = S * math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) * math.sqrt(T)
        step = (c - price) / vega
        sig -= step
        if abs(step) < 1e-12:
            break
    return sig


def var_quantile(w):
    mu = np.array([0.05, 0.08, 0.03])
    C = np.array([[0.04, 0.01, 0.0], [0.01, 0.09, 0.01], [0.0, 0.01, 0.02]])
    m = w @ mu
    s = np.sqrt(w @ C @ w)
    z = ndtri(0.99)
    return -m + z * s


def tet_volume(x):
    P = x.reshape(4, 3)
    M = np.stack([P[1] - P[0], P[2] - P[0], P[3] - P[0]])
    vol = np.linalg.det(M) / 6
    return (vol - 0.5) ** 2 + np.sum(np.cross(P[1] - P[0], P[2] - P[0]) ** 2)


def fem_tri_energy(x):
    # linear triangle elements, neo-Hookean-ish energy
    Xr = np.array([[0, 0], [1, 0], [0, 1], [1, 1.0]])
    tris = [(0, 1, 2), (1, 3, 2)]
    P = x.reshape(4, 2)
    E = 0.0
    for a, b, c in tris:
        Dm = np.column_stack([Xr[b] - Xr[a], Xr[c] - Xr[a]])
        Ds = np.column_stack([P[b] - P[a], P[c] - P[a]])
        F = Ds @ np.linalg.inv(Dm)
        J = np.linalg.det(F)
        I1 = np.trace(F.T @ F)
        E += 0.5 * (I1 - 2) - np.log(J) + 0.5 * np.log(J) ** 2
    return E


def einsum_rows(x):
    A = x.reshape(3, 4)
    n = np.einsum("ij,ij->i", A, A)
    G = np.einsum("ik,jk->ij", A, A)
    return np.sum(np.sqrt(n)) + np.trace(G) + np.einsum("ii", G)


def verlet_inplace(k):
    x = np.array([1.0, 0.0, -0.5])
    v = np.zeros(3)
    a = -k * x
    dt = 0.05
    for _ in range(40):
        x += v * dt + 0.5 * a * dt * dt
        a_new = -k * x
        v += 0.5 * (a + a_new) * dt
        a[:] = a_new
    return x @ x + v @ v


LINKS = np.array([1.0, 0.8, 0.6])


def fk_pos(q):
    ang = np.cumsum(q)
    return np.array([np.sum(LINKS * np.cos(ang)), np.sum(LINKS * np.sin(ang))])


def fk_all_joints(q):
    T = np.eye(3)
    out = []
    for th, L in zip(q, LINKS):
        c, s = math.cos(th), math.sin(th)
        T = T @ np.array([[c, -s, L * c], [s, c, L * s], [0, 0, 1.0]])
        out.append(T[:2, 2].copy())
    return np.concatenate(out)


def traj(k):
    x, v = 1.0, 0.0
    xs = []
    for _ in range(20):
        v -= 0.1 * k * x
        x += 0.1 * v
        xs.append(x)
    return np.array(xs)


def iir_out(b):
    x = np.sin(np.linspace(0, 6, 12))
    y = np.zeros(12)
    for n in range(12):
        y[n] = (
            b[0] * x[n] + (b[1] * x[n - 1] if n > 0 else 0.0) + (0.5 * y[n - 1] if n > 0 else 0.0)
        )
    return y


def conv_out(k):
    x = np.sin(np.linspace(0, 6, 12))
    return np.convolve(x, k, mode="full")


def bezier_points(cp):
    P = cp.reshape(-1, 2)
    ts = np.linspace(0, 1, 5)[:, None]
    return (
        (1 - ts) ** 3 * P[0]
        + 3 * (1 - ts) ** 2 * ts * P[1]
        + 3 * (1 - ts) * ts**2 * P[2]
        + ts**3 * P[3]
    ).ravel()


def bs_greeks(p):
    S, sig = p
    K, T, r = 100.0, 0.5, 0.01
    d1 = (np.log(S / K) + (r + 0.5 * sig**2) * T) / (sig * np.sqrt(T))
    d2 = d1 - sig * np.sqrt(T)
    call = S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2)
    put = call - S + K * np.exp(-r * T)
    return np.array([call, put, ndtr(d1)])


def normals(x):
    V = x.reshape(3, 3)
    n = np.cross(V[1] - V[0], V[2] - V[0])
    return n / np.linalg.norm(n)


def refract(d):
    n = np.array([0.0, 0.0, 1.0])
    d = d / np.linalg.norm(d)
    eta = 1.0 / 1.33
    cosi = -np.dot(n, d)
    k = 1 - eta**2 * (1 - cosi**2)
    if k < 0:
        return d - 2 * np.dot(d, n) * n
    return eta * d + (eta * cosi - np.sqrt(k)) * n


def power_spec_vec(x):
    return np.abs(np.fft.rfft(x)) ** 2


def quat_rot_vec(q):
    q = q / np.linalg.norm(q)
    w, v = q[0], q[1:]
    p = np.array([1.0, 2.0, 3.0])
    return p + 2 * w * np.cross(v, p) + 2 * np.cross(v, np.cross(v, p))


def grid_laplace(x):
    U = x.reshape(4, 4)
    L = -4 * U + np.roll(U, 1, 0) + np.roll(U, -1, 0) + np.roll(U, 1, 1) + np.roll(U, -1, 1)
    return (L * U).ravel()


def f_float(x):
    a = float(x[0])
    b = x[1].item()
    c = np.float64(x[2])
    return a**2 * b + math.sin(c) + float(np.sum(x))


def f_vectorize(x):
    def kern(r):
        if r < 1.0:
            return 1 - 1.5 * r**2 + 0.75 * r**3
        elif r < 2.0:
            return 0.25 * (2 - r) ** 3
        return 0.0

    vk = np.vectorize(kern)
    return np.sum(vk(np.abs(x)))


def f_partial(x):
    def lj(r, eps, sig):
        return 4 * eps * ((sig / r) ** 12 - (sig / r) ** 6)

    e = functools.partial(lj, eps=1.0, sig=1.0)
    return sum(e(r) for r in x)


def f_piecewise(x):
    return np.sum(np.piecewise(x, [x < 0, x >= 0], [lambda t: t**2, lambda t: np.sin(t)]))


def f_tolist(x):
    lst = x.tolist()
    return sum(v * v for v in lst) + lst[0] * lst[-1]


def f_round_snap(x):
    g = 0.5
    snapped = np.round(x / g) * g
    return np.sum((x - snapped) ** 2)


def f_mod_angle(theta):
    wrapped = (theta + np.pi) % (2 * np.pi) - np.pi
    return np.sum(wrapped**2)


def f_floor_frac(x):
    frac = x - np.floor(x)
    return np.sum(np.sin(2 * np.pi * frac) * x)


def f_divmod(t):
    q, r = divmod(t, 1.5)
    return r**2 + q * t


def where_sqrt(x):
    return np.sum(np.where(x > 0, np.sqrt(x) ** 3, x**2))


def lj_where_rc(x):
    r = np.abs(x) + 0.5
    rc = 1.5
    e = np.where(r < rc, 4 * (r**-12 - r**-6) - 4 * (rc**-12 - rc**-6), 0.0)
    return np.sum(e)


def math_mix(t):
    a = math.hypot(t, 2.0, 1.0)
    b = math.dist((t, 1.0), (0.0, 3.0 * t))
    c = math.log(t + 3, 2) + math.log2(t + 2) + math.log10(t + 4)
    d = math.fsum([t, t**2, math.sqrt(t * t + 1)])
    e = math.prod([t + 1, t + 2, 0.5])
    f = math.copysign(t * t, -1.0) + math.atan2(t, 2.0) + math.pow(t + 1, 2.5)
    return a + b + c + d + e + f


def math_gamma(t):
    return (
        math.lgamma(t + 2)
        + math.gamma(t + 1)
        + math.erf(t)
        + math.erfc(t)
        + math.expm1(t)
        + math.log1p(t)
    )


def minmax_key(x):
    pts = [(x[0], 1.0), (x[1], -2.0), (x[2], 0.5)]
    best = min(pts, key=lambda p: p[0] ** 2 + p[1] ** 2)
    worst = max(pts, key=lambda p: abs(p[0] - p[1]))
    return best[0] * 2 + worst[0] ** 2


def sorted_weights(x):
    s = sorted(x, reverse=True)
    w = [0.5**k for k in range(len(s))]
    return sum(a * b for a, b in zip(s, w))


def np_sort_trim(x):
    s = np.sort(x)
    return np.mean(s[1:-1] ** 2)


def complex_abs2(z):
    c = z[0] + 1j * z[1]
    w = c * c + np.conj(c) * 0.3 + 1j
    return np.abs(w) ** 2 + np.abs(np.exp(c)) + np.real(w * np.conj(w))


def clip_loss(x):
    y = np.clip(x, -1.0, 1.0)
    return np.sum(y**3 + x * y)


def softplus_stable(x):
    return np.sum(np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))))


def logaddexp_stack(x):
    return np.logaddexp.reduce(x) + np.sum(np.logaddexp(x, 2 * x))


CASES = [
    Case(sim_bodies, (np.array([0.0, 0.0, 1.0, 0.5]),), (0,), extra="hvp"),
    Case(spring_chain, (np.array([0.0, 0.0, 1.0, 0.2, 1.8, -0.3, 3.0, 0.1]),), (0,), extra="hvp"),
    Case(state_dict_sim, (2.0,), (0,), extra="hvp"),
    Case(implied_vol, (8.0,), (0,), extra="hvp"),
    Case(var_quantile, (np.array([0.3, 0.5, 0.2]),), (0,), extra="hvp"),
    Case(
        tet_volume,
        (np.array([0, 0, 0, 1.0, 0.1, 0, 0.2, 1.1, 0, 0.1, 0.3, 1.2]),),
        (0,),
        extra="hvp",
    ),
    Case(fem_tri_energy, (np.array([0, 0, 1.1, 0.05, -0.05, 0.95, 1.0, 1.1]),), (0,), extra="hvp"),
    Case(einsum_rows, (np.random.default_rng(0).standard_normal(12),), (0,), extra="hvp"),
    Case(verlet_inplace, (2.0,), (0,), extra="hvp"),
    Case(fk_pos, (np.array([0.3, 0.5, -0.4]),), (0,)),
    Case(fk_all_joints, (np.array([0.3, 0.5, -0.4]),), (0,)),
    Case(traj, (2.0,), (0,)),
    Case(iir_out, (np.array([0.3, 0.2]),), (0,)),
    Case(conv_out, (np.array([0.3, 0.2, 0.5]),), (0,)),
    Case(bezier_points, (np.array([0.0, 0.0, 1.0, 2.0, 3.0, 2.5, 4.0, 0.0]),), (0,)),
    Case(bs_greeks, (np.array([103.0, 0.25]),), (0,)),
    Case(normals, (np.array([0, 0, 0, 1.0, 0.1, 0.2, 0.3, 1.0, 0.1]),), (0,)),
    Case(refract, (np.array([0.3, 0.1, -1.0]),), (0,)),
    Case(refract, (np.array([3.0, 0.1, -1.0]),), (0,), name="ported_hunt23c.refract_total"),
    Case(power_spec_vec, (np.sin(np.arange(8.0)),), (0,)),
    Case(quat_rot_vec, (np.array([0.9, 0.1, -0.3, 0.2]),), (0,)),
    Case(grid_laplace, (np.random.default_rng(1).standard_normal(16),), (0,)),
    Case(f_float, (np.array([0.3, 1.5, 0.7]),), (0,), extra="hvp"),
    Case(f_vectorize, (np.array([0.3, 1.5, 0.7, -2.5, -1.2]),), (0,), extra="hvp"),
    Case(f_partial, (np.array([1.1, 1.3, 0.95]),), (0,), extra="hvp"),
    Case(f_piecewise, (np.array([0.3, -1.5, 0.7]),), (0,), extra="hvp"),
    Case(f_tolist, (np.array([0.3, -1.5, 0.7]),), (0,), extra="hvp"),
    Case(f_round_snap, (np.array([0.3, -1.4, 0.7]),), (0,), extra="hvp"),
    Case(f_mod_angle, (np.array([0.3, -4.0, 7.0]),), (0,), extra="hvp"),
    Case(f_floor_frac, (np.array([0.3, -4.2, 7.1]),), (0,), extra="hvp"),
    Case(f_divmod, (4.1,), (0,), extra="hvp"),
    Case(where_sqrt, (np.array([0.5, -0.3, 1.2, -2.0]),), (0,), extra="hvp"),
    Case(lj_where_rc, (np.array([0.6, 0.1, 1.2, 0.3]),), (0,), extra="hvp"),
    Case(math_mix, (0.7,), (0,), extra="hvp"),
    Case(math_gamma, (0.6,), (0,), extra="hvp"),
    Case(minmax_key, (np.array([0.3, 1.4, -0.8]),), (0,), extra="hvp"),
    Case(sorted_weights, (np.array([0.3, 1.4, -0.8, 0.1]),), (0,), extra="hvp"),
    Case(np_sort_trim, (np.array([0.3, 1.4, -0.8, 0.1, 2.2]),), (0,), extra="hvp"),
    Case(complex_abs2, (np.array([0.4, -0.7]),), (0,), extra="hvp"),
    Case(clip_loss, (np.array([0.5, -1.5, 2.0, 0.1]),), (0,), extra="hvp"),
    Case(softplus_stable, (np.array([0.5, -1.5, 2.0, 800.0]),), (0,), extra="hvp"),
    Case(logaddexp_stack, (np.array([0.5, -1.5, 2.0, 0.1]),), (0,), extra="hvp"),
]
