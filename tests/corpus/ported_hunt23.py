"""Ported cases (session 23, hunt23), written anew after physics, engineering and finance programs:
forward kinematics of planar and spatial arms (rotation matrices built with np.array in a loop,
homogeneous transforms, a hinge penalty), a damped-least-squares IK step, a pendulum by leapfrog
and a double pendulum, a spring cloth with ``F[i, j] += f`` loops, Lennard-Jones with a cutoff
(``if r < rc`` and np.where), dihedral angles (np.arctan2 / math.atan2 of cross products),
quaternion rotation ``q v q*``, a quaternion integrator and slerp, Snell/Fresnel with total
internal reflection, Kepler's equation by Newton (while loop with break), nodal analysis (DC and
AC with complex admittances), beam deflection, an effectiveness-NTU heat exchanger (min/max
and a branch at equal capacities), velocity Verlet orbits and n-body, a projectile with drag
(while y >= 0), the wave and implicit heat equations, a thick lens; Black-Scholes by ndtr, erf,
math.erf and scipy.stats.norm, a Heston price by its complex characteristic function, yield-curve
bootstrapping (list and in-place), a mean-variance penalty, Merton's jump series with
math.factorial, Monte Carlo options with a fixed seed and np.maximum, Nelson-Siegel, CRRA with the
gamma == 1 branch, present values by np.cumprod, duration.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, ndtr
from scipy.stats import norm

from . import Case

GRID4 = np.stack(np.meshgrid(np.arange(4.0), np.arange(4.0)), -1) * 0.45
CLOTH0 = (GRID4 + 0.03 * np.random.default_rng(0).standard_normal((4, 4, 2))).ravel()
ATOMS = np.array([[0, 0], [1.1, 0.1], [0.2, 1.05], [1.3, 1.2], [2.5, 0.3]], float).ravel()
DIHED = np.array([[0.0, 1.0, 0.1], [0.0, 0.0, 0.0], [1.5, 0.0, 0.0], [1.8, 0.7, 0.9]]).ravel()
GRID3 = (np.stack(np.meshgrid(np.arange(3.0), np.arange(3.0)), -1) * 1.1).ravel()


LINKS = np.array([1.0, 0.8, 0.6, 0.4])


TARGET = np.array([1.2, 1.1])


def rot2(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s], [s, c]])


def fk_chain(thetas):
    T = np.eye(2)
    p = np.zeros(2)
    for i in range(len(thetas)):
        T = T @ rot2(thetas[i])
        p = p + T @ np.array([LINKS[i], 0.0])
    return np.sum((p - TARGET) ** 2)


def fk_homog(thetas):
    M = np.eye(3)
    pts = []
    for th, ln in zip(thetas, LINKS):
        c = math.cos(th)
        s = math.sin(th)
        A = np.array([[c, -s, ln * c], [s, c, ln * s], [0.0, 0.0, 1.0]])
        M = M @ A
        pts.append(M[:2, 2])
    pts = np.stack(pts)
    ee = pts[-1]
    # penalise elbows dropping below y=0 with a hinge
    pen = np.sum(np.maximum(0.0, -pts[:, 1]) ** 2)
    return np.linalg.norm(ee - TARGET) + 0.1 * pen


def rotz(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def roty(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def fk3d(q):
    R = np.eye(3)
    p = np.zeros(3)
    axes = ["z", "y", "y", "z"]
    for k, ax in enumerate(axes):
        R = R @ (rotz(q[k]) if ax == "z" else roty(q[k]))
        p += R @ np.array([0.0, 0.0, LINKS[k]])
    goal = np.array([0.5, 0.3, 1.5])
    return float(np.dot(p - goal, p - goal))


def ik_step_loss(q):
    # one damped-least-squares IK step, loss after the step (finite-diff Jacobian inside)
    def ee(qq):
        ang = np.cumsum(qq)
        return np.array([np.sum(LINKS[:3] * np.cos(ang)), np.sum(LINKS[:3] * np.sin(ang))])

    e = TARGET - ee(q)
    ang = np.cumsum(q)
    J = np.zeros((2, 3))
    for j in range(3):
        J[0, j] = -np.sum(LINKS[j:3] * np.sin(ang[j:]))
        J[1, j] = np.sum(LINKS[j:3] * np.cos(ang[j:]))
    lam = 0.1
    dq = J.T @ np.linalg.solve(J @ J.T + lam**2 * np.eye(2), e)
    q2 = q + dq
    r = TARGET - ee(q2)
    return r @ r


def pendulum_leapfrog(L):
    g = 9.81
    th, w = 0.8, 0.0
    dt = 0.02
    for _ in range(100):
        w -= 0.5 * dt * g / L * math.sin(th)
        th += dt * w
        w -= 0.5 * dt * g / L * math.sin(th)
    return th


def double_pendulum(p):
    m1, m2, l1, l2 = p[0], p[1], 1.0, 1.0
    g = 9.81
    t1, t2, w1, w2 = 1.0, 0.5, 0.0, 0.0
    dt = 0.01
    for _ in range(60):
        d = t1 - t2
        den = 2 * m1 + m2 - m2 * np.cos(2 * d)
        a1 = (
            -g * (2 * m1 + m2) * np.sin(t1)
            - m2 * g * np.sin(t1 - 2 * t2)
            - 2 * np.sin(d) * m2 * (w2**2 * l2 + w1**2 * l1 * np.cos(d))
        ) / (l1 * den)
        a2 = (
            2
            * np.sin(d)
            * (w1**2 * l1 * (m1 + m2) + g * (m1 + m2) * np.cos(t1) + w2**2 * l2 * m2 * np.cos(d))
        ) / (l2 * den)
        w1 += dt * a1
        w2 += dt * a2
        t1 += dt * w1
        t2 += dt * w2
    return t1**2 + t2**2


def cloth(x):
    # x: flattened (n, n, 2) positions, spring energy with F[i, j] += loops
    n = 4
    P = x.reshape(n, n, 2)
    F = np.zeros((n, n, 2))
    k, rest = 10.0, 0.5
    E = 0.0
    for i in range(n):
        for j in range(n):
            for di, dj in ((0, 1), (1, 0)):
                a, b = i + di, j + dj
                if a < n and b < n:
                    d = P[a, b] - P[i, j]
                    L = np.sqrt(d @ d)
                    f = k * (L - rest) * d / L
                    F[i, j] += f
                    F[a, b] -= f
                    E += 0.5 * k * (L - rest) ** 2
    return E + 0.01 * np.sum(F**2)


def lj_cutoff(x):
    X = x.reshape(-1, 2)
    rc = 1.6
    E = 0.0
    n = len(X)
    for i in range(n):
        for j in range(i + 1, n):
            r = np.linalg.norm(X[i] - X[j])
            if r < rc:
                sr6 = (1.0 / r) ** 6
                E += 4 * (sr6**2 - sr6) - 4 * ((1 / rc) ** 12 - (1 / rc) ** 6)
    return E


def lj_where(x):
    X = x.reshape(-1, 2)
    D = X[:, None, :] - X[None, :, :]
    r2 = np.sum(D**2, axis=-1)
    iu = np.triu_indices(len(X), 1)
    r2 = r2[iu]
    inv6 = 1.0 / r2**3
    e = 4 * (inv6**2 - inv6)
    return np.sum(np.where(r2 < 1.6**2, e, 0.0))


def dihedral(x):
    p = x.reshape(4, 3)
    b0 = p[0] - p[1]
    b1 = p[2] - p[1]
    b2 = p[3] - p[2]
    b1n = b1 / np.linalg.norm(b1)
    v = b0 - np.dot(b0, b1n) * b1n
    w = b2 - np.dot(b2, b1n) * b1n
    xx = np.dot(v, w)
    yy = np.dot(np.cross(b1n, v), w)
    phi = np.arctan2(yy, xx)
    return 2.0 * (1 + np.cos(3 * phi - 0.3))


def dihedral_cross(x):
    p = x.reshape(4, 3)
    b1, b2, b3 = p[1] - p[0], p[2] - p[1], p[3] - p[2]
    n1 = np.cross(b1, b2)
    n2 = np.cross(b2, b3)
    m1 = np.cross(n1, b2 / np.linalg.norm(b2))
    phi = math.atan2(float(np.dot(m1, n2)), float(np.dot(n1, n2)))
    return phi


def qmul(a, b):
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array(
        [
            w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
            w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
            w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2,
        ]
    )


def quat_rotate(q):
    q = q / np.linalg.norm(q)
    v = np.array([0.0, 1.0, 2.0, -0.5])
    qc = q * np.array([1, -1, -1, -1])
    r = qmul(qmul(q, v), qc)[1:]
    return np.sum((r - np.array([1.0, 1.5, 0.2])) ** 2)


def snell(theta1):
    n1, n2 = 1.0, 1.5
    t2 = np.arcsin(n1 / n2 * np.sin(theta1))
    rs = ((n1 * np.cos(theta1) - n2 * np.cos(t2)) / (n1 * np.cos(theta1) + n2 * np.cos(t2))) ** 2
    return rs


def kepler(M, e=0.3):
    E = M
    while True:
        dE = (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
        E -= dE
        if abs(dE) < 1e-12:
            break
    nu = 2 * math.atan2(math.sqrt(1 + e) * math.sin(E / 2), math.sqrt(1 - e) * math.cos(E / 2))
    return nu


def kepler_e(e):
    M = 1.3
    E = M if e < 0.8 else math.pi
    for _ in range(50):
        f = E - e * np.sin(E) - M
        if abs(f) < 1e-14:
            break
        E = E - f / (1 - e * np.cos(E))
    r = 1 - e * np.cos(E)
    return r


def circuit(g):
    # nodal analysis: conductances g (5 resistors), current source into node 0
    G = np.zeros((3, 3))
    edges = [(0, 1), (1, 2), (0, 2), (1, -1), (2, -1)]
    for k, (a, b) in enumerate(edges):
        G[a, a] += g[k]
        if b >= 0:
            G[b, b] += g[k]
            G[a, b] -= g[k]
            G[b, a] -= g[k]
    I0 = np.array([1.0, 0.0, 0.0])
    V = np.linalg.solve(G, I0)
    return V[0] * I0[0]  # input resistance


def beam(EI_L):
    EI, L = EI_L[0], EI_L[1]
    P, w = 100.0, 5.0
    x = np.linspace(0, L, 20)
    defl = P * x**2 * (3 * L - x) / (6 * EI) + w * x**2 * (6 * L**2 - 4 * L * x + x**2) / (24 * EI)
    return np.max(defl) + np.trapezoid(defl, x)


def heat_exchanger(p):
    UA, Ch, Cc = p
    Cmin, Cmax = min(Ch, Cc), max(Ch, Cc)
    Cr = Cmin / Cmax
    NTU = UA / Cmin
    if abs(1 - Cr) < 1e-9:
        eps = NTU / (1 + NTU)
    else:
        eps = (1 - np.exp(-NTU * (1 - Cr))) / (1 - Cr * np.exp(-NTU * (1 - Cr)))
    return eps * Cmin * (350.0 - 290.0)


def ac_circuit(p):
    R, L, C = p[0], p[1], p[2]
    w = 2 * np.pi * 50.0
    Zr, Zl, Zc = R, 1j * w * L, 1 / (1j * w * C)
    Y = np.array([[1 / Zr + 1 / Zl, -1 / Zl], [-1 / Zl, 1 / Zl + 1 / Zc]])
    I0 = np.array([1.0, 0.0], dtype=complex)
    V = np.linalg.solve(Y, I0)
    return np.abs(V[1]) ** 2 + np.angle(V[0])


def ac_freq_sweep(p):
    R, L, C = p
    ws = np.logspace(1, 4, 30)
    H = 1.0 / (1 + 1j * ws * R * C - ws**2 * L * C)
    mag_db = 20 * np.log10(np.abs(H))
    target = np.where(ws < 300, 0.0, -20.0)
    return np.mean((mag_db - target) ** 2)


def orbit_verlet(v0):
    GM = 1.0
    r = np.array([1.0, 0.0])
    v = np.array([0.0, v0])
    dt = 0.01
    a = -GM * r / np.linalg.norm(r) ** 3
    for _ in range(200):
        r = r + v * dt + 0.5 * a * dt**2
        a_new = -GM * r / np.linalg.norm(r) ** 3
        v = v + 0.5 * (a + a_new) * dt
        a = a_new
    E = 0.5 * v @ v - GM / np.linalg.norm(r)
    return r[0] + E


def nbody(x):
    X = x.reshape(3, 2).copy()
    V = np.zeros_like(X)
    m = np.array([1.0, 0.5, 0.3])
    dt = 0.01
    for _ in range(30):
        A = np.zeros_like(X)
        for i in range(3):
            for j in range(3):
                if i != j:
                    d = X[j] - X[i]
                    A[i] += m[j] * d / (d @ d + 0.01) ** 1.5
        V += dt * A
        X += dt * V
    return np.sum(X[:, 0] ** 2) + np.sum(V**2)


def spring_grid_forces(x):
    n = 3
    P = x.reshape(n, n, 2)
    F = np.zeros((n, n, 2))
    k = 5.0
    for i in range(n):
        for j in range(n):
            if i + 1 < n:
                d = P[i + 1, j] - P[i, j]
                F[i, j] += k * d
                F[i + 1, j] -= k * d
            if j + 1 < n:
                d = P[i, j + 1] - P[i, j]
                F[i, j, :] += k * d
                F[i, j + 1, :] -= k * d
    F[0, 0] = 0.0
    F[0, -1] = 0.0
    g = np.array([0.0, -9.8])
    Fn = F + g
    return np.sum(Fn**2)


def projectile_drag(theta):
    v0, k, g = 30.0, 0.02, 9.81
    vx, vy = v0 * np.cos(theta), v0 * np.sin(theta)
    x, y, dt = 0.0, 0.0, 0.01
    while y >= 0.0:
        speed = math.hypot(vx, vy)
        vx -= k * speed * vx * dt
        vy -= (g + k * speed * vy) * dt
        x += vx * dt
        y += vy * dt
    return np.array([x, y])  # where it lands (the number of steps jumps with theta)


def wave_1d(c):
    n, steps = 20, 30
    u = np.exp(-((np.arange(n) - 8.0) ** 2) / 4.0)
    u_prev = u.copy()
    r2 = (c * 0.5) ** 2
    for _ in range(steps):
        u_next = np.empty_like(u)
        u_next[1:-1] = 2 * u[1:-1] - u_prev[1:-1] + r2 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u_next[0] = u_next[-1] = 0.0
        u_prev, u = u, u_next
    return np.sum(u * np.arange(n))


def heat_implicit(alpha):
    n = 8
    dx, dt = 0.1, 0.01
    r = alpha * dt / dx**2
    A = np.eye(n) * (1 + 2 * r)
    idx = np.arange(n - 1)
    A[idx, idx + 1] = -r
    A[idx + 1, idx] = -r
    u = np.sin(np.pi * np.linspace(0, 1, n))
    for _ in range(5):
        u = np.linalg.solve(A, u)
    return u.sum()


def rigid_body_quat(w):
    q = np.array([1.0, 0.0, 0.0, 0.0])
    dt = 0.05
    for _ in range(20):
        W = np.array(
            [
                [0, -w[0], -w[1], -w[2]],
                [w[0], 0, w[2], -w[1]],
                [w[1], -w[2], 0, w[0]],
                [w[2], w[1], -w[0], 0],
            ]
        )
        q = q + 0.5 * dt * W @ q
        q /= np.linalg.norm(q)
    return 1 - q[0] ** 2


def quat_to_matrix_loss(q):
    w, x, y, z = q / np.sqrt(np.sum(q * q))
    R = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    target = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1.0]])
    return np.sum((R - target) ** 2)


def slerp_loss(t):
    q0 = np.array([1.0, 0.0, 0.0, 0.0])
    q1 = np.array([0.7, 0.1, 0.7, 0.1])
    q1 = q1 / np.linalg.norm(q1)
    d = np.dot(q0, q1)
    if d < 0:
        q1 = -q1
        d = -d
    th = np.arccos(d)
    q = (np.sin((1 - t) * th) * q0 + np.sin(t * th) * q1) / np.sin(th)
    return q[2] ** 2 + q[0]


def lens_system(c):
    # thick lens ray trace with Snell at two spherical surfaces
    R1, R2, n = c[0], c[1], 1.5
    h = np.array([0.1, 0.2, 0.3])
    th1 = np.arcsin(h / R1)
    th2 = np.arcsin(np.sin(th1) / n)
    ang = th1 - th2
    y = h - 0.2 * np.tan(ang)
    th3 = np.arcsin(y / R2) + ang
    th4 = np.arcsin(n * np.sin(th3))
    out = th4 - np.arcsin(y / R2)
    focal = y / np.tan(out)
    return np.var(focal)


def fresnel_tir(theta):
    n1, n2 = 1.5, 1.0
    s = n1 / n2 * np.sin(theta)
    if s >= 1.0:
        return 1.0 + 0.0 * theta
    ct = np.sqrt(1 - s * s)
    ci = np.cos(theta)
    rp = (n2 * ci - n1 * ct) / (n2 * ci + n1 * ct)
    return rp * rp


def thermal_resistance(k):
    # composite wall: series + parallel resistances
    L = np.array([0.02, 0.1, 0.05])
    A = 1.5
    Rs = L / (k * A)
    Rpar = 1.0 / (1.0 / Rs[1] + 1.0 / (2 * Rs[1]))
    Rt = Rs[0] + Rpar + Rs[2] + 1 / (25 * A)
    return 80.0 / Rt


def bs_call(p):
    S, K, T, r, sig = p[0], 100.0, p[1], 0.02, p[2]
    d1 = (np.log(S / K) + (r + 0.5 * sig**2) * T) / (sig * np.sqrt(T))
    d2 = d1 - sig * np.sqrt(T)
    return S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2)


def bs_erf(S):
    K, T, r, sig = 95.0, 0.5, 0.01, 0.25
    N = lambda x: 0.5 * (1 + erf(x / math.sqrt(2)))
    d1 = (math.log(S / K) + (r + sig * sig / 2) * T) / (sig * math.sqrt(T))
    d2 = d1 - sig * math.sqrt(T)
    return S * N(d1) - K * math.exp(-r * T) * N(d2)


def bs_math_erf(sig):
    S, K, T, r = 100.0, 105.0, 1.0, 0.03
    N = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))
    d1 = (math.log(S / K) + (r + sig * sig / 2) * T) / (sig * math.sqrt(T))
    d2 = d1 - sig * math.sqrt(T)
    return S * N(d1) - K * math.exp(-r * T) * N(d2)


def bs_norm_cdf_put(S):
    K, T, r, sig = 100.0, 0.75, 0.02, 0.3
    d1 = (np.log(S / K) + (r + 0.5 * sig**2) * T) / (sig * np.sqrt(T))
    d2 = d1 - sig * np.sqrt(T)
    return K * np.exp(-r * T) * norm.cdf(-d2) - S * norm.cdf(-d1)


def bs_vec_loss(sig):
    S = 100.0
    K = np.array([80.0, 90.0, 100.0, 110.0, 120.0])
    T = 0.5
    mkt = np.array([21.0, 12.0, 5.5, 2.0, 0.6])
    d1 = (np.log(S / K) + 0.5 * sig**2 * T) / (sig * np.sqrt(T))
    d2 = d1 - sig * np.sqrt(T)
    price = S * ndtr(d1) - K * ndtr(d2)
    vega = S * norm.pdf(d1) * np.sqrt(T)
    return np.sum(((price - mkt) / vega) ** 2)


def heston_cf_price(p):
    kappa, theta, sigma, rho, v0 = p[0], p[1] / 25, p[2], p[3], p[4] / 25
    S0, K, T, r = 100.0, 100.0, 1.0, 0.01
    u = np.linspace(1e-3, 60.0, 200)
    du = u[1] - u[0]

    def cf(phi):
        d = np.sqrt((rho * sigma * 1j * phi - kappa) ** 2 + sigma**2 * (1j * phi + phi**2))
        g = (kappa - rho * sigma * 1j * phi - d) / (kappa - rho * sigma * 1j * phi + d)
        C = r * 1j * phi * T + kappa * theta / sigma**2 * (
            (kappa - rho * sigma * 1j * phi - d) * T
            - 2 * np.log((1 - g * np.exp(-d * T)) / (1 - g))
        )
        D = (
            (kappa - rho * sigma * 1j * phi - d)
            / sigma**2
            * ((1 - np.exp(-d * T)) / (1 - g * np.exp(-d * T)))
        )
        return np.exp(C + D * v0 + 1j * phi * np.log(S0))

    P1 = (
        0.5
        + 1
        / np.pi
        * np.sum((np.exp(-1j * u * np.log(K)) * cf(u - 1j) / (1j * u * cf(-1j))).real)
        * du
    )
    P2 = 0.5 + 1 / np.pi * np.sum((np.exp(-1j * u * np.log(K)) * cf(u) / (1j * u)).real) * du
    return S0 * P1 - K * np.exp(-r * T) * P2


def bootstrap(rates):
    # par swap rates -> discount factors, annual payments
    dfs = []
    for s in rates:
        annuity = sum(dfs)
        df = (1 - s * annuity) / (1 + s)
        dfs.append(df)
    dfs = np.array(dfs)
    zero = -np.log(dfs) / np.arange(1, len(dfs) + 1)
    return np.sum(zero**2) * 1e4


def bootstrap_inplace(rates):
    n = len(rates)
    D = np.ones(n)
    for i in range(n):
        D[i] = (1 - rates[i] * D[:i].sum()) / (1 + rates[i])
    fwd = D[:-1] / D[1:] - 1
    return np.sum(fwd) + D[-1]


def mv_penalty(w):
    mu = np.array([0.08, 0.12, 0.05, 0.1])
    A = np.array(
        [
            [0.1, 0.02, 0.01, 0.0],
            [0.02, 0.2, 0.0, 0.03],
            [0.01, 0.0, 0.05, 0.01],
            [0.0, 0.03, 0.01, 0.15],
        ]
    )
    risk_aversion = 3.0
    obj = -w @ mu + 0.5 * risk_aversion * w @ A @ w
    obj += 100.0 * (np.sum(w) - 1.0) ** 2
    obj += 100.0 * np.sum(np.minimum(w, 0.0) ** 2)
    return obj


def merton(sigma):
    S, K, T, r = 100.0, 100.0, 1.0, 0.05
    lam, mj, sj = 0.5, -0.1, 0.2
    k = math.exp(mj + 0.5 * sj**2) - 1
    lamp = lam * (1 + k)
    price = 0.0
    for n in range(30):
        sn = math.sqrt(sigma**2 + n * sj**2 / T)
        rn = r - lam * k + n * math.log(1 + k) / T
        d1 = (math.log(S / K) + (rn + 0.5 * sn**2) * T) / (sn * math.sqrt(T))
        d2 = d1 - sn * math.sqrt(T)
        bs = S * ndtr(d1) - K * math.exp(-rn * T) * ndtr(d2)
        w = math.exp(-lamp * T) * (lamp * T) ** n / math.factorial(n)
        price += w * bs
    return price


def mc_call(p):
    S0, sig = p[0], p[1]
    rng = np.random.default_rng(42)
    z = rng.standard_normal(12)  # (few paths: no kink of np.maximum near the example point)
    T, r, K = 1.0, 0.03, 100.0
    ST = S0 * np.exp((r - 0.5 * sig**2) * T + sig * np.sqrt(T) * z)
    return np.exp(-r * T) * np.mean(np.maximum(ST - K, 0.0))


def mc_asian(sig):
    np.random.seed(7)
    n, m = 6, 12
    dt = 1.0 / m
    z = np.random.standard_normal((n, m))
    logS = np.log(100.0) + np.cumsum((0.02 - 0.5 * sig**2) * dt + sig * np.sqrt(dt) * z, axis=1)
    avg = np.exp(logS).mean(axis=1)
    return np.mean(np.maximum(avg - 100.0, 0))


TAU = np.array([0.25, 0.5, 1, 2, 3, 5, 7, 10, 20, 30.0])


YLD = np.array([0.01, 0.012, 0.015, 0.019, 0.022, 0.026, 0.028, 0.03, 0.032, 0.031])


def nelson_siegel(b):
    b0, b1, b2, lam = b
    x = TAU / lam
    f1 = (1 - np.exp(-x)) / x
    f2 = f1 - np.exp(-x)
    y = b0 + b1 * f1 + b2 * f2
    return np.sum((y - YLD) ** 2)


def crra(c, gamma=2.0):
    if gamma == 1:
        return np.sum(np.log(c))
    return np.sum((c ** (1 - gamma) - 1) / (1 - gamma))


def crra_gamma(gamma):
    c = np.array([0.8, 1.0, 1.3, 2.0])
    if abs(gamma - 1) < 1e-8:
        u = np.log(c)
    else:
        u = (c ** (1 - gamma) - 1) / (1 - gamma)
    beta = 0.96 ** np.arange(4)
    return beta @ u


def pv_cumprod(r):
    cf = np.array([5.0, 5.0, 5.0, 105.0])
    disc = np.cumprod(1.0 / (1.0 + r))
    return np.dot(cf, disc)


def duration_convexity(y):
    cf = np.array([4.0, 4.0, 4.0, 4.0, 104.0])
    t = np.arange(1, 6)
    df = (1 + y) ** -t
    P = np.sum(cf * df)
    D = np.sum(t * cf * df) / P
    return P + D


def ac_scaled(p):
    return ac_circuit(p * np.array([10.0, 0.1, 1e-4]))


def ac_sweep_scaled(p):
    return ac_freq_sweep(p * np.array([100.0, 0.1, 1e-5]))


CASES = [
    Case(fk_chain, (np.array([0.3, 0.5, -0.4, 0.2]),), (0,), extra="hvp"),
    Case(fk_homog, (np.array([0.3, 0.5, -0.4, 0.2]),), (0,), extra="hvp"),
    Case(
        fk_homog,
        (np.array([-0.3, -0.5, -0.4, 0.2]),),
        (0,),
        name="ported_hunt23.fk_homog_hinge",
        extra="hvp",
    ),
    Case(fk3d, (np.array([0.3, 0.5, -0.4, 0.2]),), (0,), extra="hvp"),
    Case(ik_step_loss, (np.array([0.3, 0.5, -0.4]),), (0,), extra="hvp"),
    Case(pendulum_leapfrog, (1.2,), (0,), extra="hvp"),
    Case(double_pendulum, (np.array([1.0, 1.5]),), (0,), extra="hvp"),
    Case(cloth, (CLOTH0,), (0,), extra="hvp"),
    Case(lj_cutoff, (ATOMS,), (0,), extra="hvp"),
    Case(lj_where, (ATOMS,), (0,), extra="hvp"),
    Case(dihedral, (DIHED,), (0,), extra="hvp"),
    Case(dihedral_cross, (DIHED,), (0,), extra="hvp"),
    Case(quat_rotate, (np.array([0.9, 0.1, -0.3, 0.2]),), (0,), extra="hvp"),
    Case(snell, (0.6,), (0,), extra="hvp"),
    Case(kepler, (1.1,), (0,), extra="hvp"),
    Case(kepler_e, (0.4,), (0,), extra="hvp"),
    Case(kepler_e, (0.85,), (0,), name="ported_hunt23.kepler_e_high", extra="hvp"),
    Case(circuit, (np.array([1.0, 2.0, 0.5, 0.8, 1.5]),), (0,), extra="hvp"),
    Case(beam, (np.array([200.0, 3.0]),), (0,), extra="hvp"),
    Case(heat_exchanger, (np.array([5.0, 3.0, 4.0]),), (0,), extra="hvp"),
    Case(ac_scaled, (np.array([1.0, 0.5, 1.0]),), (0,), extra="hvp"),
    Case(ac_sweep_scaled, (np.array([1.0, 1.0, 1.0]),), (0,), extra="hvp"),
    Case(orbit_verlet, (1.1,), (0,), extra="hvp"),
    Case(nbody, (np.array([0.0, 0.0, 1.0, 0.2, -0.5, 0.8]),), (0,), extra="hvp"),
    Case(spring_grid_forces, (GRID3,), (0,), extra="hvp"),
    Case(projectile_drag, (0.7,), (0,)),
    Case(wave_1d, (0.9,), (0,), extra="hvp"),
    Case(heat_implicit, (0.3,), (0,), extra="hvp"),
    Case(rigid_body_quat, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(quat_to_matrix_loss, (np.array([0.9, 0.1, -0.2, 0.4]),), (0,), extra="hvp"),
    Case(slerp_loss, (0.3,), (0,), extra="hvp"),
    Case(lens_system, (np.array([1.0, -1.2]),), (0,), extra="hvp"),
    Case(fresnel_tir, (0.5,), (0,), extra="hvp"),
    Case(fresnel_tir, (0.9,), (0,), name="ported_hunt23.fresnel_total", extra="hvp"),
    Case(thermal_resistance, (np.array([0.8, 0.04, 1.2]),), (0,), extra="hvp"),
    Case(bs_call, (np.array([105.0, 0.8, 0.25]),), (0,), extra="hvp"),
    Case(bs_erf, (101.0,), (0,), extra="hvp"),
    Case(bs_math_erf, (0.22,), (0,), extra="hvp"),
    Case(bs_norm_cdf_put, (97.0,), (0,), extra="hvp"),
    Case(bs_vec_loss, (0.35,), (0,), extra="hvp"),
    Case(heston_cf_price, (np.array([2.0, 1.0, 0.5, -0.6, 1.0]),), (0,), extra="hvp"),
    Case(bootstrap, (np.array([0.01, 0.015, 0.02, 0.022, 0.025]),), (0,), extra="hvp"),
    Case(bootstrap_inplace, (np.array([0.01, 0.015, 0.02, 0.022, 0.025]),), (0,), extra="hvp"),
    Case(mv_penalty, (np.array([0.3, 0.4, -0.1, 0.35]),), (0,), extra="hvp"),
    Case(merton, (0.2,), (0,), extra="hvp"),
    Case(mc_call, (np.array([100.0, 0.2]),), (0,), extra="hvp"),
    Case(mc_asian, (0.25,), (0,), extra="hvp"),
    Case(nelson_siegel, (np.array([0.03, -0.02, 0.01, 2.0]),), (0,), extra="hvp"),
    Case(crra, (np.array([0.8, 1.2, 1.5]),), (0,), extra="hvp"),
    Case(crra_gamma, (2.5,), (0,), extra="hvp"),
    Case(pv_cumprod, (np.array([0.02, 0.025, 0.03, 0.035]),), (0,), extra="hvp"),
    Case(duration_convexity, (0.04,), (0,), extra="hvp"),
]
