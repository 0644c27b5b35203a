"""Ported cases (session 51, hunt51a): graphics and robotics: ray-sphere and Moller-Trumbore
intersections with branches, a soft rasteriser, forward kinematics of rotation matrices built in a
loop, quaternion rotation and angle (arccos of a clipped dot), a rigid-body step with a floor
bounce, a mass-spring cloth with a floor constraint, SPH densities with a cutoff, n-body energy
and leapfrog with softening.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import numpy as np

from . import Case


def ray_sphere(origin, direction, center, radius):
    d = direction / np.linalg.norm(direction)
    oc = origin - center
    b = np.dot(oc, d)
    c = np.dot(oc, oc) - radius**2
    disc = b * b - c
    if disc < 0:
        return 1e3
    sq = np.sqrt(disc)
    t = -b - sq
    if t < 0:
        t = -b + sq
    return t


def ray_sphere_loss(p):
    return ray_sphere(np.array([0.0, 0.0, -5.0]), p[:3], np.array([0.1, 0.2, 0.0]), p[3])


def moller_trumbore(orig, d, v0, v1, v2, eps=1e-9):
    e1 = v1 - v0
    e2 = v2 - v0
    h = np.cross(d, e2)
    a = np.dot(e1, h)
    if abs(a) < eps:
        return 0.0
    f = 1.0 / a
    s = orig - v0
    u = f * np.dot(s, h)
    if u < 0.0 or u > 1.0:
        return 0.0
    q = np.cross(s, e1)
    v = f * np.dot(d, q)
    if v < 0.0 or u + v > 1.0:
        return 0.0
    t = f * np.dot(e2, q)
    return t * (1 + u * v)


def tri_loss(verts):
    v = verts.reshape(3, 3)
    return moller_trumbore(np.array([0.2, 0.2, -1.0]), np.array([0.0, 0.1, 1.0]), v[0], v[1], v[2])


def soft_raster(verts2d, pix, sigma=0.05):
    # verts2d: (3, 2) triangle; pix: (P, 2)
    img = np.zeros(len(pix))
    for i in range(3):
        a = verts2d[i]
        b = verts2d[(i + 1) % 3]
        ab = b - a
        ap = pix - a
        t = np.clip((ap @ ab) / (ab @ ab), 0.0, 1.0)
        closest = a + t[:, None] * ab
        dist2 = np.sum((pix - closest) ** 2, axis=1)
        cross = ab[0] * ap[:, 1] - ab[1] * ap[:, 0]
        img = img + (cross > 0) * 0.0 + dist2
    d = np.sqrt(img / 3.0)
    prob = 1.0 / (1.0 + np.exp(-(0.3 - d) / sigma))
    target = np.linspace(0, 1, len(pix))
    return np.mean((prob - target) ** 2)


def rot_z(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def rot_y(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def fk_chain(q, lengths):
    T = np.eye(4)
    pts = []
    for i in range(len(q)):
        R = rot_z(q[i]) if i % 2 == 0 else rot_y(q[i])
        step = np.eye(4)
        step[:3, :3] = R
        step[:3, 3] = R @ np.array([lengths[i], 0.0, 0.0])
        T = T @ step
        pts.append(T[:3, 3].copy())
    ee = pts[-1]
    target = np.array([1.0, 0.5, 0.3])
    return np.sum((ee - target) ** 2) + 0.01 * sum(np.sum(p**2) for p in pts)


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


def quat_rotate(q, v):
    q = q / np.linalg.norm(q)
    p = np.concatenate([[0.0], v])
    qc = q * np.array([1.0, -1.0, -1.0, -1.0])
    return quat_mul(quat_mul(q, p), qc)[1:]


def quat_loss(q):
    v = quat_rotate(q, np.array([1.0, 0.0, 0.0]))
    return np.sum((v - np.array([0.0, 1.0, 0.0])) ** 2)


def quat_angle(q1, q2):
    q1 = q1 / np.linalg.norm(q1)
    q2 = q2 / np.linalg.norm(q2)
    d = np.clip(abs(np.dot(q1, q2)), -1.0, 1.0)
    return 2 * np.arccos(d)


def rigid_step(state, dt=0.01, n=20):
    x = state[:3].copy()
    v = state[3:6].copy()
    w = state[6:9].copy()
    I = np.array([1.0, 2.0, 3.0])  # noqa: E741
    for _ in range(n):
        v[2] -= 9.81 * dt
        x += v * dt
        if x[2] < 0:
            x[2] = -x[2]
            v[2] = -0.8 * v[2]
        torque = -np.cross(w, I * w)
        w = w + dt * torque / I
    return np.sum(x**2) + np.sum(w**2)


def cloth(pos, rest=0.5, k=50.0, steps=10, dt=0.01):
    p = pos.reshape(-1, 3).copy()
    vel = np.zeros_like(p)
    n = p.shape[0]
    for _ in range(steps):
        f = np.zeros_like(p)
        f[:, 2] -= 9.81
        for i in range(n - 1):
            d = p[i + 1] - p[i]
            L = np.linalg.norm(d)
            fs = k * (L - rest) * d / L
            f[i] += fs
            f[i + 1] -= fs
        vel = vel + dt * f
        vel[0] = 0.0
        p = p + dt * vel
        # constraint: stay above floor
        p[:, 2] = np.maximum(p[:, 2], -0.2)
    return np.sum(p[:, 2])


def sph_density(x, h=0.6):
    n = x.shape[0]
    rho = np.zeros(n)
    for i in range(n):
        r = np.linalg.norm(x - x[i], axis=1)
        q = r / h
        w = np.where(q < 1.0, (1 - q) ** 3, 0.0)
        rho[i] = np.sum(w)
    return np.sum((rho - 1.2) ** 2)


def nbody_energy(pos, masses, eps=0.05):
    n = pos.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            r = np.sqrt(np.sum((pos[i] - pos[j]) ** 2) + eps**2)
            e -= masses[i] * masses[j] / r
    return e


def nbody_leapfrog(pos, vel, masses, dt=0.01, steps=5, eps=0.1):
    pos = pos.copy()
    vel = vel.copy()
    for _ in range(steps):
        diff = pos[None, :, :] - pos[:, None, :]
        r2 = np.sum(diff**2, axis=-1) + eps**2
        inv = r2 ** (-1.5)
        np.fill_diagonal(inv, 0.0)
        acc = np.sum(diff * (masses[None, :, None] * inv[:, :, None]), axis=1)
        vel += dt * acc
        pos += dt * vel
    return np.sum(pos**2)


_R = np.random.default_rng(52)
CLOTH0 = np.stack(
    [np.linspace(0, 2, 4), np.zeros(4), np.zeros(4)], axis=1
).ravel() + 0.05 * _R.standard_normal(12)
SPH0 = _R.uniform(0, 1, (5, 2))
NB0 = _R.standard_normal((4, 3))
NBV = _R.standard_normal((4, 3)) * 0.1
MASS = np.array([1.0, 0.5, 2.0, 0.8])

CASES = [
    Case(ray_sphere_loss, (np.array([0.05, 0.1, 1.0, 1.0]),), (0,)),
    Case(tri_loss, (np.array([0.0, 0.0, 0.0, 1.0, 0.0, 0.2, 0.0, 1.0, 0.1]),), (0,)),
    Case(
        soft_raster,
        (np.array([[0.1, 0.1], [0.9, 0.2], [0.4, 0.8]]), _R.uniform(0, 1, (6, 2))),
        (0,),
    ),
    Case(fk_chain, (np.array([0.3, -0.4, 0.7, 0.2]), np.array([0.5, 0.4, 0.3, 0.2])), (0,)),
    Case(quat_loss, (np.array([0.9, 0.1, -0.2, 0.3]),), (0,)),
    Case(quat_angle, (np.array([0.9, 0.1, -0.2, 0.3]), np.array([0.5, 0.5, 0.5, 0.5])), (0,)),
    Case(rigid_step, (np.array([0.0, 0.0, 0.05, 0.5, 0.1, 0.3, 0.2, -0.1, 0.4]),), (0,)),
    Case(cloth, (CLOTH0,), (0,)),
    Case(sph_density, (SPH0,), (0,)),
    Case(nbody_energy, (NB0, MASS), (0, 1)),
    Case(nbody_leapfrog, (NB0, NBV, MASS), (0,)),
]
