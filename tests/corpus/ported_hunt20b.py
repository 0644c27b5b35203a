"""Ported cases (session 20, hunt20b), written anew after physics, engineering, graphics and robotics
programs: a Lennard-Jones energy with a cutoff and the minimum image ``d -= L * np.round(d / L)``
(pair loops and vectorised), an SPH density with a piecewise cubic-spline kernel, a mass-spring
cloth with pinned nodes, explicit and implicit heat steps, velocity Verlet over a neighbour list
built once, a quaternion integrator, a PID loop with saturation (np.clip), an LQR Riccati
iteration; a ray-sphere hit with branches, barycentric interpolation, forward kinematics of 2-D and 3-D arms
from rotation matrices, inverse kinematics by Jacobian-transpose steps, bilinear and bicubic
texture sampling (floor-indexed, with respect to the coordinates and to the texture).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

L = 3.0
TEX = np.arange(30.0).reshape(5, 6) ** 0.5
POS8 = np.array([0.1, 0.2, 1.2, 0.3, 0.4, 1.4, 2.6, 2.5])
GRID = np.array(
    [[[0.0, 0], [1, 0], [2, 0]], [[0, -1.1], [1, -1], [2, -1]], [[0, -2], [1.1, -2], [2, -2]]]
).ravel()


def lj_min_image(x):
    pos = x.reshape(-1, 2)
    n = pos.shape[0]
    rc = 2.5
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            d -= L * np.round(d / L)
            r2 = d @ d
            if r2 < rc * rc:
                ir6 = 1.0 / r2**3
                e += 4 * (ir6 * ir6 - ir6)
    return e


def lj_vec(x):
    pos = x.reshape(-1, 2)
    d = pos[:, None, :] - pos[None, :, :]
    d = d - L * np.round(d / L)
    r2 = np.sum(d**2, axis=-1)
    iu = np.triu_indices(pos.shape[0], 1)
    r2 = r2[iu]
    ir6 = 1 / r2**3
    e = np.where(r2 < 2.5**2, 4 * (ir6**2 - ir6), 0.0)
    return e.sum()


def sph_density(x):
    pos = x.reshape(-1, 2)
    h = 1.2
    rho = np.zeros(pos.shape[0])
    for i in range(pos.shape[0]):
        for j in range(pos.shape[0]):
            r = np.linalg.norm(pos[i] - pos[j])
            q = r / h
            if q < 1.0:
                w = 1 - 1.5 * q**2 + 0.75 * q**3
            elif q < 2.0:
                w = 0.25 * (2 - q) ** 3
            else:
                w = 0.0
            rho[i] += w * 10 / (7 * np.pi * h * h)
    return np.sum(rho**2)


def cloth(x):
    P = x.reshape(3, 3, 2).copy()
    V = np.zeros_like(P)
    pinned = [(0, 0), (0, 2)]
    rest = 1.0
    k = 30.0
    dt = 0.01
    for _step in range(5):
        F = np.zeros_like(P)
        F[..., 1] -= 9.8
        for i in range(3):
            for j in range(3):
                for di, dj in ((0, 1), (1, 0)):
                    a, b = i + di, j + dj
                    if a < 3 and b < 3:
                        d = P[a, b] - P[i, j]
                        ln = np.sqrt(d @ d)
                        f = k * (ln - rest) * d / ln
                        F[i, j] += f
                        F[a, b] -= f
        V += dt * F
        for i, j in pinned:
            V[i, j] = 0.0
        P += dt * V
    return np.sum(P[..., 1]) + P[2, 2, 0]


def heat_explicit(u0):
    u = u0.copy()
    r = 0.2
    for _ in range(20):
        u[1:-1] = u[1:-1] + r * (u[2:] - 2 * u[1:-1] + u[:-2])
    return np.sum(u * np.linspace(0, 1, len(u)))


def heat_implicit(u0):
    n = len(u0)
    r = 0.5
    A = (1 + 2 * r) * np.eye(n) - r * np.eye(n, k=1) - r * np.eye(n, k=-1)
    u = u0
    for _ in range(5):
        u = np.linalg.solve(A, u)
    return u @ u


def verlet_nlist(x):
    pos = x.reshape(-1, 2).copy()
    vel = np.zeros_like(pos)
    n = pos.shape[0]
    rl = 2.0
    nl = [
        (i, j)
        for i in range(n)
        for j in range(i + 1, n)
        if np.sum((pos[i] - pos[j]) ** 2) < rl * rl
    ]
    dt = 0.01

    def forces(p):
        F = np.zeros_like(p)
        for i, j in nl:
            d = p[i] - p[j]
            r2 = d @ d
            f = (2.0 - r2) * d
            F[i] += f
            F[j] -= f
        return F

    F = forces(pos)
    for _ in range(4):
        vel += 0.5 * dt * F
        pos += dt * vel
        F = forces(pos)
        vel += 0.5 * dt * F
    return np.sum(pos**2) + np.sum(vel)


def quat_mul(a, b):
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


def rigid_quat(w):
    q = np.array([1.0, 0.0, 0.0, 0.0])
    dt = 0.1
    for _ in range(10):
        dq = 0.5 * quat_mul(q, np.concatenate(([0.0], w)))
        q = q + dt * dq
        q /= np.linalg.norm(q)
    return q[1] + 2 * q[2] - q[3] * q[0]


def pid(g):
    kp, ki, kd = g
    setpoint = 1.0
    y = 0.0
    v = 0.0
    integ = 0.0
    prev = 0.0
    dt = 0.05
    cost = 0.0
    for _ in range(60):
        e = setpoint - y
        integ += e * dt
        der = (e - prev) / dt
        prev = e
        u = np.clip(kp * e + ki * integ + kd * der, -2.0, 2.0)
        v += dt * (u - 0.5 * v)
        y += dt * v
        cost += e * e * dt
    return cost


def lqr_riccati(q):
    A = np.array([[1.0, 0.1], [0.0, 1.0]])
    B = np.array([[0.0], [0.1]])
    Q = np.diag(q[:2])
    R = np.array([[q[2]]])
    P = Q.copy()
    for _ in range(50):
        K = np.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
        P = Q + A.T @ P @ (A - B @ K)
    return np.trace(P) + K[0, 1]


def ray_sphere(p):
    o = np.array([0.0, 0.0, -5.0])
    d = np.array([p[0], p[1], 1.0])
    d = d / np.linalg.norm(d)
    c = np.array([0.2, -0.1, 0.0])
    r = p[2]
    oc = o - c
    b = np.dot(oc, d)
    cc = np.dot(oc, oc) - r * r
    disc = b * b - cc
    if disc < 0:
        return 0.0
    t = -b - math.sqrt(disc)
    if t < 0:
        t = -b + math.sqrt(disc)
    hit = o + t * d
    n = (hit - c) / r
    return max(0.0, float(n @ np.array([0.0, 0.0, -1.0]))) + t


def barycentric(p):
    a, b, c = np.array([0.0, 0.0]), np.array([1.0, 0.1]), np.array([0.2, 1.0])
    v0, v1, v2 = b - a, c - a, p - a
    d00 = v0 @ v0
    d01 = v0 @ v1
    d11 = v1 @ v1
    d20 = v2 @ v0
    d21 = v2 @ v1
    den = d00 * d11 - d01 * d01
    v = (d11 * d20 - d01 * d21) / den
    w = (d00 * d21 - d01 * d20) / den
    u = 1 - v - w
    vals = np.array([1.0, 2.0, -1.0])
    return u * vals[0] + v * vals[1] + w * vals[2] + u * v


def rot(t):
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s], [s, c]])


def fk2d(th):
    lens = [1.0, 0.8, 0.5]
    T = np.eye(2)
    p = np.zeros(2)
    for t, ln in zip(th, lens):
        T = T @ rot(t)
        p = p + T @ np.array([ln, 0.0])
    return p


def fk_loss(th):
    p = fk2d(th)
    return np.sum((p - np.array([1.0, 1.2])) ** 2)


def ik_steps(target):
    th = np.array([0.3, 0.3, 0.3])
    for _ in range(10):
        p = np.zeros(2)
        T = np.eye(2)
        pts = []
        for t, ln in zip(th, [1.0, 0.8, 0.5]):
            T = T @ rot(t)
            p = p + T @ np.array([ln, 0.0])
            pts.append(p)
        e = target - p
        J = np.zeros((2, 3))
        base = np.zeros(2)
        for i in range(3):
            r = p - base
            J[:, i] = [-r[1], r[0]]
            base = pts[i]
        th = th + 0.1 * J.T @ e
    return np.sum(th**2)


def fk3d(q):
    def Rz(t):
        c, s = math.cos(t), math.sin(t)
        return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1.0]])

    def Ry(t):
        c, s = math.cos(t), math.sin(t)
        return np.array([[c, 0, s], [0, 1.0, 0], [-s, 0, c]])

    p = np.zeros(3)
    R = np.eye(3)
    R = R @ Rz(q[0])
    p = p + R @ np.array([0, 0, 0.5])
    R = R @ Ry(q[1])
    p = p + R @ np.array([0.7, 0, 0])
    R = R @ Ry(q[2])
    p = p + R @ np.array([0.4, 0, 0])
    return p @ np.array([1.0, 2.0, 3.0])


def bilinear(uv):
    u = uv[0] * (TEX.shape[1] - 1)
    v = uv[1] * (TEX.shape[0] - 1)
    x0 = int(math.floor(u))
    y0 = int(math.floor(v))
    x1 = min(x0 + 1, TEX.shape[1] - 1)
    y1 = min(y0 + 1, TEX.shape[0] - 1)
    fx = u - x0
    fy = v - y0
    top = TEX[y0, x0] * (1 - fx) + TEX[y0, x1] * fx
    bot = TEX[y1, x0] * (1 - fx) + TEX[y1, x1] * fx
    return top * (1 - fy) + bot * fy


def bicubic_w(t):
    a = -0.5
    t = abs(t)
    if t <= 1:
        return (a + 2) * t**3 - (a + 3) * t**2 + 1
    elif t < 2:
        return a * t**3 - 5 * a * t**2 + 8 * a * t - 4 * a
    return 0.0


def bicubic(uv):
    x = uv[0] * 3 + 1
    y = uv[1] * 2 + 1
    ix = int(x)
    iy = int(y)
    s = 0.0
    for m in range(-1, 3):
        for n in range(-1, 3):
            s += TEX[iy + m, ix + n] * bicubic_w(x - (ix + n)) * bicubic_w(y - (iy + m))
    return s


def tex_sample_vec(img):
    # differentiate w.r.t. the texture
    uv = np.array([[0.1, 0.2], [0.55, 0.7], [0.9, 0.35]])
    u = uv[:, 0] * (img.shape[1] - 1)
    v = uv[:, 1] * (img.shape[0] - 1)
    x0 = np.floor(u).astype(int)
    y0 = np.floor(v).astype(int)
    fx = u - x0
    fy = v - y0
    val = (
        img[y0, x0] * (1 - fx) * (1 - fy)
        + img[y0, x0 + 1] * fx * (1 - fy)
        + img[y0 + 1, x0] * (1 - fx) * fy
        + img[y0 + 1, x0 + 1] * fx * fy
    )
    return np.sum(val**2)


CASES = [
    Case(lj_min_image, (POS8,), (0,), extra="hvp"),
    Case(lj_vec, (POS8,), (0,), extra="hvp"),
    Case(sph_density, (np.array([0.1, 0.2, 0.9, 0.3, 0.4, 1.0, 2.1, 1.5]),), (0,), extra="hvp"),
    Case(cloth, (GRID,), (0,), extra="hvp"),
    Case(heat_explicit, (np.sin(np.linspace(0, 3, 9)),), (0,), extra="hvp"),
    Case(heat_implicit, (np.sin(np.linspace(0, 3, 9)),), (0,), extra="hvp"),
    Case(verlet_nlist, (POS8,), (0,), extra="hvp"),
    Case(rigid_quat, (np.array([0.3, -0.5, 0.8]),), (0,), extra="hvp"),
    Case(pid, (np.array([2.0, 0.5, 0.1]),), (0,), extra="hvp"),
    Case(lqr_riccati, (np.array([1.0, 0.5, 0.3]),), (0,), extra="hvp"),
    Case(ray_sphere, (np.array([0.05, 0.02, 1.0]),), (0,), extra="hvp"),
    Case(ray_sphere, (np.array([0.05, 0.02, 6.0]),), (0,), name="ported_hunt20b.ray_inside"),
    Case(barycentric, (np.array([0.3, 0.25]),), (0,), extra="hvp"),
    Case(fk2d, (np.array([0.3, -0.4, 0.9]),), (0,)),
    Case(fk_loss, (np.array([0.3, -0.4, 0.9]),), (0,), extra="hvp"),
    Case(ik_steps, (np.array([1.0, 1.2]),), (0,), extra="hvp"),
    Case(fk3d, (np.array([0.3, -0.4, 0.9]),), (0,), extra="hvp"),
    Case(bilinear, (np.array([0.33, 0.61]),), (0,), extra="hvp"),
    Case(bicubic, (np.array([0.43, 0.61]),), (0,), extra="hvp"),
    Case(tex_sample_vec, (TEX.copy(),), (0,), extra="hvp"),
]
