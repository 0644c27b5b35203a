"""Ported cases (session 27, corp27), written anew as user code after Pythran's test and benchmark
programs and pyperformance-style numeric kernels, where they are differentiable in float inputs:
the n-body energy (pyperformance ``nbody``: bodies as lists ``[pos, vel, mass]``, pairs by
``itertools.combinations``), the spectral norm by power iteration (``eval_A`` as a function of
two ints), a tiny ray tracer's sphere intersection with a branch on the discriminant, the arc
(great-circle) distance, a growcut-like cellular automaton loop with a strength update, the
Harris corner response, Pythran's ``grouping``-free kernels (``allpairs_distances``,
``wave`` propagation, ``lapl`` stencils and ``hyantes`` smoothing), a Julia-set style
escape iteration with a fixed count, and the pyperformance ``chaos``/``float`` point kernels.

Float arrays -> float scalar, checked at second order where marked ``extra="hvp"``."""

from __future__ import annotations

import itertools
import math

import numpy as np

from . import Case, refused_everywhere

R = np.random.default_rng(270)


def nbody_energy(pos, vel, mass):
    """pyperformance nbody's report_energy over bodies built as lists [pos, vel, m]."""
    bodies = [[pos[i], vel[i], mass[i]] for i in range(len(mass))]
    e = 0.0
    for (p1, _v1, m1), (p2, _v2, m2) in itertools.combinations(bodies, 2):
        d = p1 - p2
        e -= m1 * m2 / math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
    for _, v, m in bodies:
        e += 0.5 * m * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
    return e


def nbody_advance_energy(pos, vel, mass):
    """Three symplectic Euler steps of the pairwise update, then the total energy."""
    n = len(mass)
    p, v = pos, vel
    dt = 0.01
    for _ in range(3):
        acc = np.zeros_like(p)
        for i in range(n):
            for j in range(i + 1, n):
                d = p[i] - p[j]
                mag = dt / np.sum(d * d) ** 1.5
                acc[i] = acc[i] - d * mass[j] * mag
                acc[j] = acc[j] + d * mass[i] * mag
        v = v + acc
        p = p + dt * v
    return nbody_energy(p, v, mass)


def eval_A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def spectral_norm(u):
    """pyperformance spectral_norm: 5 power iterations of A^T A, sqrt(vBv / vv)."""
    n = len(u)
    A = np.array([[eval_A(i, j) for j in range(n)] for i in range(n)])
    v = u
    for _ in range(5):
        v = A.T @ (A @ u)
        u = A.T @ (A @ v)
    return math.sqrt(np.dot(u, v) / np.dot(v, v))


def spectral_norm_loops(u):
    """The same with the pure-Python matrix-vector products of the benchmark."""
    n = len(u)

    def mult_Av(x):
        return [sum(eval_A(i, j) * x[j] for j in range(n)) for i in range(n)]

    def mult_Atv(x):
        return [sum(eval_A(j, i) * x[j] for j in range(n)) for i in range(n)]

    v = list(u)
    w = list(u)
    for _ in range(3):
        v = mult_Atv(mult_Av(w))
        w = mult_Atv(mult_Av(v))
    vBv = sum(a * b for a, b in zip(w, v))
    vv = sum(b * b for b in v)
    return math.sqrt(vBv / vv)


def sphere_hit(origin, direction, center, radius):
    """Ray-sphere intersection: the nearest positive t, with a branch on the discriminant."""
    oc = origin - center
    a = direction @ direction
    b = 2.0 * oc @ direction
    c = oc @ oc - radius * radius
    disc = b * b - 4 * a * c
    if disc < 0:
        return 1e3
    sq = math.sqrt(disc)
    t = (-b - sq) / (2 * a)
    if t < 1e-6:
        t = (-b + sq) / (2 * a)
    return t


def raytrace_shade(origin, light):
    """Lambert shading of the first hit over three spheres (min over hits, a loop of branches)."""
    spheres = [
        (np.array([0.0, 0.0, 5.0]), 1.0),
        (np.array([1.5, 0.5, 6.0]), 0.8),
        (np.array([-1.2, -0.4, 4.5]), 0.5),
    ]
    total = 0.0
    for k in range(4):
        d = np.array([0.1 * k - 0.15, 0.05 * k - 0.1, 1.0])
        d = d / np.linalg.norm(d)
        best, nrm = 1e3, None
        for c, r in spheres:
            t = sphere_hit(origin, d, c, r)
            if t < best:
                best = t
                nrm = (origin + t * d - c) / r
        if nrm is not None:
            p = origin + best * d
            ldir = light - p
            ldir = ldir / np.linalg.norm(ldir)
            total += max(nrm @ ldir, 0.0)
    return total


def arc_distance(theta_1, phi_1, theta_2, phi_2):
    """Pythran's arc_distance: the great-circle distance of arrays of points, summed."""
    temp = (
        np.sin((theta_2 - theta_1) / 2) ** 2
        + np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2) ** 2
    )
    d = 2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp))
    return np.sum(d)


def arc_distance_loop(coords):
    """Haversine over consecutive points of a track in a Python loop (a path length)."""
    total = 0.0
    for k in range(len(coords) - 1):
        la1, lo1 = coords[k]
        la2, lo2 = coords[k + 1]
        a = (
            math.sin((la2 - la1) / 2) ** 2
            + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
        )
        total += 2 * math.asin(math.sqrt(a))
    return total


def growcut_soft(image, strength):
    """A growcut-like automaton (Pythran's growcut) with a soft attack: 3 sweeps over a 5x5
    image, each cell attacked by its 4 neighbours, g = 1 - |I_p - I_q| / max|I|."""
    h, w = image.shape
    s = strength
    imax = np.max(np.abs(image))
    for _ in range(3):
        new = s.copy()
        for i in range(1, h - 1):
            for j in range(1, w - 1):
                for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    g = 1.0 - abs(image[i, j] - image[i + di, j + dj]) / imax
                    att = g * s[i + di, j + dj]
                    new[i, j] = new[i, j] + 0.1 * (att - new[i, j]) ** 2
        s = new
    return np.sum(s**2)


def harris_response(img, k):
    """Harris corner response: gradients by differences, structure tensor by a 3x3 box sum,
    R = det(M) - k trace(M)^2, summed over the interior."""
    Ix = img[1:-1, 2:] - img[1:-1, :-2]
    Iy = img[2:, 1:-1] - img[:-2, 1:-1]
    Ixx, Iyy, Ixy = Ix * Ix, Iy * Iy, Ix * Iy

    def box(a):
        return (
            a[:-2, :-2]
            + a[:-2, 1:-1]
            + a[:-2, 2:]
            + a[1:-1, :-2]
            + a[1:-1, 1:-1]
            + a[1:-1, 2:]
            + a[2:, :-2]
            + a[2:, 1:-1]
            + a[2:, 2:]
        )

    Sxx, Syy, Sxy = box(Ixx), box(Iyy), box(Ixy)
    Rm = Sxx * Syy - Sxy**2 - k * (Sxx + Syy) ** 2
    return np.sum(Rm)


def harris_loops(img):
    """The same response with explicit loops over pixels (pythran's harris in loop form)."""
    h, w = img.shape
    total = 0.0
    for i in range(2, h - 2):
        for j in range(2, w - 2):
            sxx = syy = sxy = 0.0
            for a in range(i - 1, i + 2):
                for b in range(j - 1, j + 2):
                    ix = img[a, b + 1] - img[a, b - 1]
                    iy = img[a + 1, b] - img[a - 1, b]
                    sxx += ix * ix
                    syy += iy * iy
                    sxy += ix * iy
            total += sxx * syy - sxy * sxy - 0.04 * (sxx + syy) ** 2
    return total


def allpairs_distances(X, Y):
    """Pythran's allpairs_distances: sum of squared distances via broadcasting."""
    d = X[:, None, :] - Y[None, :, :]
    return np.sum(np.sqrt(np.sum(d * d, axis=-1) + 1e-3))


def wave_propagation(u0, c):
    """A 1-D wave equation leapfrog (Pythran's wave): 20 steps, energy at the end."""
    u_prev = u0.copy()
    u = u0.copy()
    for _ in range(20):
        lap = np.zeros_like(u)
        lap[1:-1] = u[2:] - 2 * u[1:-1] + u[:-2]
        u_next = 2 * u - u_prev + (c * 0.4) ** 2 * lap
        u_prev, u = u, u_next
    return np.sum(u**2) + np.sum((u - u_prev) ** 2)


def laplacian_2d(a):
    """Pythran's lapl: 5-point stencil with slices, squared norm of the result."""
    lap = a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:] - 4 * a[1:-1, 1:-1]
    return np.sum(lap**2)


def hyantes_smoothing(pts, vals):
    """Pythran's hyantes: the potential of weighted points on a grid with a distance cutoff."""
    xs = np.linspace(0.0, 1.0, 4)
    total = 0.0
    for gx in xs:
        for gy in xs:
            pot = 0.0
            for (px, py), v in zip(pts, vals):
                d = math.sqrt((gx - px) ** 2 + (gy - py) ** 2)
                if d < 0.6:
                    pot += v / (1.0 + d)
            total += pot**2
    return total


def julia_escape(c):
    """z <- z^2 + c on a 4-point grid with a fixed iteration count (no escape test), |z|^2."""
    zs = np.array([0.1 + 0.1j, -0.2 + 0.05j, 0.15 - 0.2j, 0.0 + 0.3j])
    cc = c[0] + 1j * c[1]
    for _ in range(6):
        zs = zs * zs + cc
    return np.sum(np.abs(zs) ** 2)


def chaos_spline(pts, t):
    """pyperformance chaos's B-spline: evaluate a cubic spline (de Boor) at t, squared norm."""
    knots = [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0]
    deg = 3
    k = 4 if t >= 0.5 else 3
    d = [pts[j + k - deg] for j in range(deg + 1)]
    for r in range(1, deg + 1):
        for j in range(deg, r - 1, -1):
            a = (t - knots[j + k - deg]) / (knots[j + 1 + k - r] - knots[j + k - deg])
            d[j] = (1.0 - a) * d[j - 1] + a * d[j]
    return float(d[deg] @ d[deg])


class Point:
    """pyperformance float's Point: sin/cos/sqrt, normalize, maximize."""

    def __init__(self, i):
        self.x = math.sin(i)
        self.y = math.cos(i) * 3
        self.z = self.x * self.x / 2

    def normalize(self):
        norm = math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self


def float_benchmark(s):
    points = [Point(s * i) for i in range(1, 6)]
    for p in points:
        p.normalize()
    nxt = points[0]
    for p in points[1:]:
        nxt = nxt.maximize(p)
    return nxt.x + 2 * nxt.y + 3 * nxt.z


def nbody_advance_lists(x):
    """pyperformance nbody's advance as written: bodies ([x, y, z], [vx, vy, vz], m) as lists,
    pairs by itertools.combinations sharing them, velocities updated through the unpacked names
    (``v1[0] -= dx * b2m``), positions through ``r[0] += dt * vx``; then the energy."""
    bodies = [
        ([x[0], x[1], 0.0], [0.0, 0.1, 0.0], 1.0),
        ([x[2], 0.5, 0.2], [0.0, -0.2, 0.1], 0.5),
        ([-1.0, x[3], 0.1], [0.1, 0.0, 0.0], 0.3),
    ]
    pairs = list(itertools.combinations(bodies, 2))
    dt = 0.01
    for _ in range(3):
        for ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) in pairs:
            dx, dy, dz = x1 - x2, y1 - y2, z1 - z2
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1m, b2m = m1 * mag, m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for r, [vx, vy, vz], _m in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz
    e = 0.0
    for r, v, m in bodies:
        e += 0.5 * m * (v[0] ** 2 + v[1] ** 2 + v[2] ** 2) + r[0] * r[1]
    return e


IMG = np.round(R.uniform(0, 1, (6, 6)), 3)
POS = R.standard_normal((4, 3)) * 2
VEL = R.standard_normal((4, 3)) * 0.3
CASES = [
    Case(nbody_energy, (POS, VEL, np.array([1.0, 0.5, 0.3, 0.2])), (0, 1, 2), extra="hvp"),
    Case(nbody_advance_energy, (POS, VEL, np.array([1.0, 0.5, 0.3, 0.2])), (0, 1, 2), extra="hvp"),
    Case(
        nbody_advance_lists,
        (np.array([0.1, 0.2, 1.0, -0.5]),),
        (0,),
        xfail=refused_everywhere(
            "pyperformance nbody's in-place updates of the lists `pairs` shares with `bodies`"
            " (`v1[0] -= dx * b2m`): 'an element of `pairs` is read after the object it shares"
            " with another name is modified' (as corp26_phys.leapfrog_bodies' dicts)"
        ),
    ),
    Case(spectral_norm, (np.linspace(1.0, 2.0, 6),), (0,), extra="hvp"),
    Case(spectral_norm_loops, (np.linspace(1.0, 2.0, 5),), (0,), extra="hvp"),
    Case(
        sphere_hit,
        (np.array([0.1, 0.2, 0.0]), np.array([0.05, -0.02, 1.0]), np.array([0.0, 0.0, 5.0]), 1.0),
        (0, 1, 2, 3),
        extra="hvp",
    ),
    Case(
        raytrace_shade,
        (np.array([0.05, 0.02, 0.0]), np.array([3.0, 4.0, -2.0])),
        (0, 1),
        extra="hvp",
        jitter=0.0,
    ),
    Case(arc_distance, tuple(R.uniform(-1, 1, (4, 10))), (0, 1, 2, 3), extra="hvp"),
    Case(arc_distance_loop, (R.uniform(-1, 1, (6, 2)),), (0,), extra="hvp"),
    Case(
        growcut_soft,
        (IMG[:5, :5] + np.eye(5) * 0.3, R.uniform(0.2, 0.8, (5, 5))),
        (1,),
        extra="hvp",
    ),
    Case(harris_response, (IMG, 0.05), (0, 1), extra="hvp"),
    Case(harris_loops, (IMG,), (0,), extra="hvp"),
    Case(
        allpairs_distances,
        (R.standard_normal((4, 3)), R.standard_normal((5, 3))),
        (0, 1),
        extra="hvp",
    ),
    Case(wave_propagation, (np.exp(-((np.linspace(-2, 2, 9)) ** 2)), 1.0), (0, 1), extra="hvp"),
    Case(laplacian_2d, (IMG,), (0,), extra="hvp"),
    Case(
        hyantes_smoothing,
        (R.uniform(0, 1, (5, 2)), R.uniform(0.5, 1.5, 5)),
        (0, 1),
        extra="hvp",
        jitter=0.0,
    ),
    Case(julia_escape, (np.array([-0.4, 0.3]),), (0,), extra="hvp"),
    Case(chaos_spline, (R.standard_normal((5, 2)), 0.3), (0, 1), extra="hvp"),
    Case(float_benchmark, (0.7,), (0,), extra="hvp"),
]
