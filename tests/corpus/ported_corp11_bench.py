"""Ported cases (session 11, corp11), written anew after what pyperformance's and the benchmarks game's
numeric programs compute, differentiated in their float inputs: spectral norm (power iteration of
A^T A through Python lists), n-body (bodies as lists of coordinate lists updated in place over
pairs, then the energy), the chaos game's B-spline of GVector objects, a ray tracer with Vector
objects and a sphere's intersection time, the float benchmark's Point objects (normalize,
maximize), scimark's SOR sweep over rows of a list-of-lists grid, LU factorization with partial
pivoting and the solve, a seeded Monte-Carlo integral, CSR sparse matrix-vector products, an
in-place radix-2 FFT with bit reversal, and a fixed-iteration Mandelbrot orbit on complex numbers.

Small user functions -> `CASES`; scalar-valued, second order where ``extra="hvp"``."""

from __future__ import annotations

import math
import random

import numpy as np

from . import Case, refused_everywhere, refused_when_differentiated

R = np.random.default_rng(18600033)
XB = np.round(R.standard_normal(64) * 0.3, 3)


# -- spectral norm -------------------------------------------------------------------------------


def _eval_a(i, j, s):
    return s / ((i + j) * (i + j + 1) / 2 + i + 1)


def _a_times_u(u, s):
    return [sum(_eval_a(i, j, s) * uj for j, uj in enumerate(u)) for i in range(len(u))]


def _at_times_u(u, s):
    return [sum(_eval_a(j, i, s) * uj for j, uj in enumerate(u)) for i in range(len(u))]


def bench_spectral_norm(x):
    s = 1.0 + 0.1 * x[0]
    u = [1.0 + 0.1 * float(t) for t in x[1:7]]
    v = u
    for _ in range(4):
        v = _at_times_u(_a_times_u(u, s), s)
        u = _at_times_u(_a_times_u(v, s), s)
    vbv = sum(ue * ve for ue, ve in zip(u, v))
    vv = sum(ve * ve for ve in v)
    return math.sqrt(vbv / vv)


# -- n-body --------------------------------------------------------------------------------------


def _bodies(x):
    out = []
    for k in range(4):
        pos = [float(x[6 * k + i]) + 2.0 * k for i in range(3)]
        vel = [0.1 * float(x[6 * k + 3 + i]) for i in range(3)]
        out.append((pos, vel, 1.0 + 0.2 * k))
    return out


def bench_nbody(x):
    bodies = _bodies(x)
    pairs = [(bodies[i], bodies[j]) for i in range(4) for j in range(i + 1, 4)]
    dt = 0.01
    for _ in range(5):
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
    for ((x1, y1, z1), _v1, m1), ((x2, y2, z2), _v2, m2) in pairs:
        e -= (m1 * m2) / ((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2) ** 0.5
    for _r, [vx, vy, vz], m in bodies:
        e += m * (vx * vx + vy * vy + vz * vz) / 2.0
    return e


# -- chaos: B-spline of GVector objects ----------------------------------------------------------


class GVector:
    def __init__(self, x=0.0, y=0.0, z=0.0):
        self.x, self.y, self.z = x, y, z

    def mag(self):
        return math.sqrt(self.x**2 + self.y**2 + self.z**2)

    def __add__(self, other):
        return GVector(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return self + other * -1

    def __mul__(self, c):
        return GVector(self.x * c, self.y * c, self.z * c)

    def linear_combination(self, other, l1, l2=None):
        if l2 is None:
            l2 = 1 - l1
        return GVector(
            self.x * l1 + other.x * l2, self.y * l1 + other.y * l2, self.z * l1 + other.z * l2
        )


class Spline:
    def __init__(self, points, degree, knots):
        self.points, self.degree, self.knots = points, degree, knots

    def get_index(self, u):
        dom = self.knots[self.degree - 1], self.knots[len(self.knots) - self.degree]
        for ii in range(self.degree - 1, len(self.knots) - self.degree):
            if self.knots[ii] <= u < self.knots[ii + 1]:
                return ii
        return dom[1] - 1

    def __call__(self, u):
        dom = self.degree - 1
        i = self.get_index(u)
        d = [self.points[i - self.degree + 1 + ii] for ii in range(self.degree + 1)]
        for ik in range(1, self.degree + 1):
            for ii in range(i - self.degree + ik + 1, i + 2):
                ua = self.knots[ii + self.degree - ik]
                ub = self.knots[ii - 1]
                co1 = (ua - u) / (ua - ub)
                co2 = (u - ub) / (ua - ub)
                index = ii - i + self.degree - ik - 1
                d[index] = d[index].linear_combination(d[index + 1], co1, co2)
        del dom
        return d[0]


def bench_chaos_spline(x):
    pts = [
        GVector(float(x[3 * k]) + k, float(x[3 * k + 1]), 0.1 * float(x[3 * k + 2]))
        for k in range(6)
    ]
    spline = Spline(pts, 3, [0, 0, 0, 1, 2, 3, 3, 3])
    total = 0.0
    for u in (0.1, 0.8, 1.3, 2.2, 2.7):
        p = spline(u)
        total += p.mag() + (p - pts[0]).x * 0.5
    return total


# -- ray tracer ----------------------------------------------------------------------------------


class Vector:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def magnitude(self):
        return math.sqrt(self.dot(self))

    def scale(self, f):
        return Vector(self.x * f, self.y * f, self.z * f)

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return Vector(self.x - other.x, self.y - other.y, self.z - other.z)

    def normalized(self):
        return self.scale(1.0 / self.magnitude())

    def reflect_through(self, normal):
        d = normal.scale(self.dot(normal))
        return self - d.scale(2)


class Ray:
    def __init__(self, point, vector):
        self.point, self.vector = point, vector.normalized()

    def point_at_time(self, t):
        return self.point + self.vector.scale(t)


class Sphere:
    def __init__(self, centre, radius):
        self.centre, self.radius = centre, radius

    def intersection_time(self, ray):
        cp = self.centre - ray.point
        v = cp.dot(ray.vector)
        discriminant = self.radius * self.radius - (cp.dot(cp) - v * v)
        if discriminant < 0:
            return None
        return v - math.sqrt(discriminant)

    def normal_at(self, p):
        return (p - self.centre).normalized()


def bench_raytrace(x):
    sphere = Sphere(Vector(float(x[0]), float(x[1]), 5.0 + float(x[2])), 1.5 + 0.1 * float(x[3]))
    light = Vector(2.0 + float(x[4]), 3.0, -1.0)
    eye = Vector(0.0, 0.0, 0.0)
    total = 0.0
    for px in (-0.2, -0.1, 0.0, 0.1, 0.2):
        for py in (-0.15, 0.0, 0.15):
            ray = Ray(eye, Vector(px, py, 1.0))
            t = sphere.intersection_time(ray)
            if t is None:
                total += 0.05
                continue
            p = ray.point_at_time(t)
            n = sphere.normal_at(p)
            to_light = (light - p).normalized()
            lambert = max(n.dot(to_light), 0.0)
            refl = ray.vector.reflect_through(n)
            spec = max(refl.dot(to_light), 0.0) ** 4
            total += 0.7 * lambert + 0.3 * spec + 0.01 * t
    return total


# -- float benchmark -----------------------------------------------------------------------------


class Point:
    def __init__(self, i):
        self.x = x = math.sin(i)
        self.y = math.cos(i) * 3
        self.z = (x * x) / 2

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


def bench_float(x):
    points = [Point(float(t) + 0.7 * k) for k, t in enumerate(x[:8])]
    for p in points:
        p.normalize()
    nxt = points[0]
    for p in points[1:]:
        nxt = nxt.maximize(p)
    return nxt.x + 2 * nxt.y + 3 * nxt.z


# -- scimark -------------------------------------------------------------------------------------


def bench_sor(x):
    n = 6
    grid = [[float(x[(i * n + j) % 60]) for j in range(n)] for i in range(n)]
    omega = 1.25 + 0.1 * x[60]
    omega_over_four = omega * 0.25
    one_minus_omega = 1.0 - omega
    for _ in range(3):
        for i in range(1, n - 1):
            gi, gim1, gip1 = grid[i], grid[i - 1], grid[i + 1]
            for j in range(1, n - 1):
                gi[j] = omega_over_four * (gim1[j] + gip1[j] + gi[j - 1] + gi[j + 1]) + (
                    one_minus_omega * gi[j]
                )
    return sum(sum(v * v for v in row) for row in grid)


def bench_sor_numpy(x):
    g = x[:36].reshape(6, 6).copy()
    omega = 1.25 + 0.1 * x[60]
    for _ in range(3):
        for i in range(1, 5):
            for j in range(1, 5):
                g[i, j] = (
                    omega * 0.25 * (g[i - 1, j] + g[i + 1, j] + g[i, j - 1] + g[i, j + 1])
                    + (1 - omega) * g[i, j]
                )
    return np.sum(g**2)


def _lu_factor(a, pivot):
    n = len(a)
    for j in range(n):
        jp = j
        t = abs(a[j][j])
        for i in range(j + 1, n):
            ab = abs(a[i][j])
            if ab > t:
                jp, t = i, ab
        pivot[j] = jp
        if jp != j:
            a[j], a[jp] = a[jp], a[j]
        if j < n - 1:
            recp = 1.0 / a[j][j]
            for k in range(j + 1, n):
                a[k][j] *= recp
        for ii in range(j + 1, n):
            aii, aj = a[ii], a[j]
            aiij = aii[j]
            for jj in range(j + 1, n):
                aii[jj] -= aiij * aj[jj]


def _lu_solve(lu, pivot, b):
    n = len(lu)
    b = list(b)
    for i in range(n):
        p = pivot[i]
        b[i], b[p] = b[p], b[i]
    for i in range(n):
        s = b[i]
        for j in range(i):
            s -= lu[i][j] * b[j]
        b[i] = s
    for i in range(n - 1, -1, -1):
        s = b[i]
        for j in range(i + 1, n):
            s -= lu[i][j] * b[j]
        b[i] = s / lu[i][i]
    return b


def bench_lu(x):
    a = [[float(x[4 * i + j]) + (3.0 if i == j else 0.0) for j in range(4)] for i in range(4)]
    a[2][0] += 4.0
    pivot = [0] * 4
    _lu_factor(a, pivot)
    sol = _lu_solve(a, pivot, [1.0, 2.0, -1.0, 0.5])
    return sum(s * s for s in sol)


def bench_monte_carlo(x):
    rnd = random.Random(113)
    k = 1.0 + 0.2 * float(x[0])
    acc = 0.0
    for _ in range(40):
        u, v = rnd.random(), rnd.random()
        acc += math.exp(-k * (u * u + v * v))
    return 4.0 * acc / 40


def bench_sparse_matmult(x):
    n = 6
    row = [0, 2, 4, 7, 9, 11, 13]
    col = [0, 3, 1, 2, 0, 2, 5, 1, 3, 2, 4, 0, 5]
    val = [float(t) for t in x[:13]]
    y = [0.0] * n
    v = [1.0 + 0.1 * float(t) for t in x[13:19]]
    for _ in range(3):
        for r in range(n):
            s = 0.0
            for i in range(row[r], row[r + 1]):
                s += v[col[i]] * val[i]
            y[r] = s
        v = [0.5 * t for t in y]
    return sum(t * t for t in y)


def bench_sparse_numpy(x):
    row = np.array([0, 2, 4, 7, 9, 11, 13])
    col = np.array([0, 3, 1, 2, 0, 2, 5, 1, 3, 2, 4, 0, 5])
    val = x[:13]
    v = 1.0 + 0.1 * x[13:19]
    y = np.zeros(6)
    for r in range(6):
        lo, hi = row[r], row[r + 1]
        y[r] = np.dot(val[lo:hi], v[col[lo:hi]])
    y2 = np.zeros(6)
    np.add.at(y2, np.repeat(np.arange(6), np.diff(row)), val * v[col])
    return np.sum(y**2) + np.sum(y * y2)


# -- FFT (scimark) -------------------------------------------------------------------------------


def _bitreverse(data):
    n = len(data) // 2
    j = 0
    for i in range(n - 1):
        ii, jj = i << 1, j << 1
        k = n >> 1
        if i < j:
            data[ii], data[jj] = data[jj], data[ii]
            data[ii + 1], data[jj + 1] = data[jj + 1], data[ii + 1]
        while k <= j:
            j -= k
            k >>= 1
        j += k


def _fft_transform(data, direction):
    n = len(data) // 2
    if n <= 1:
        return
    logn = n.bit_length() - 1
    _bitreverse(data)
    dual = 1
    for _ in range(logn):
        w_real, w_imag = 1.0, 0.0
        theta = 2.0 * direction * math.pi / (2.0 * dual)
        s = math.sin(theta)
        t = math.sin(theta / 2.0)
        s2 = 2.0 * t * t
        for b in range(0, n, 2 * dual):
            i, j = 2 * b, 2 * (b + dual)
            wd_real, wd_imag = data[j], data[j + 1]
            data[j], data[j + 1] = data[i] - wd_real, data[i + 1] - wd_imag
            data[i] += wd_real
            data[i + 1] += wd_imag
        for a in range(1, dual):
            tmp_real = w_real - s * w_imag - s2 * w_real
            tmp_imag = w_imag + s * w_real - s2 * w_imag
            w_real, w_imag = tmp_real, tmp_imag
            for b in range(0, n, 2 * dual):
                i, j = 2 * (b + a), 2 * (b + a + dual)
                z1_real, z1_imag = data[j], data[j + 1]
                wd_real = w_real * z1_real - w_imag * z1_imag
                wd_imag = w_real * z1_imag + w_imag * z1_real
                data[j], data[j + 1] = data[i] - wd_real, data[i + 1] - wd_imag
                data[i] += wd_real
                data[i + 1] += wd_imag
        dual *= 2


def bench_fft(x):
    data = [float(t) for t in x[:16]]
    _fft_transform(data, -1)
    power = sum(data[2 * k] ** 2 + data[2 * k + 1] ** 2 for k in range(8))
    return power + data[2] * data[5]


def bench_fft_numpy(x):
    z = x[:8] + 1j * x[8:16]
    spec = np.fft.fft(z)
    return np.sum(np.abs(spec) ** 2) + np.real(spec[1]) * np.imag(spec[2])


# -- Mandelbrot orbit on complex numbers --------------------------------------------------------


def bench_mandelbrot(x):
    total = 0.0
    for k in range(4):
        c = complex(-0.5 + 0.3 * float(x[2 * k]), 0.3 * float(x[2 * k + 1]))
        z = 0j
        for _ in range(6):
            z = z * z + c
        total += abs(z) ** 2 + z.real
    return total


# spurious refusals, each in /tmp/s11/refusals_found.md (corp11)
_ROWS = "row aliases of a list of lists updated in place, refused as Python-visible aliasing "
_OBJ_LIST = "a list of GVector objects rebound element-wise in a loop (`d[index] = ...`)"
_PIVOT = (  # (the factorization itself accepted since session 21: refuse21)
    "the helper `_lu_solve` is checked without its arguments' kinds: `p = pivot[i]` of a "
    "parameter is no known int (`b[p]` may be a slice) and `s = b[i]; s -= ...` of `b = "
    "list(b)` may update an array in place"
)
_NBODY = (  # (session 21, refuse21: the message says so)
    "`b2m = m2 * mag` of items of a helper's tuples, not known numbers, may share the bodies' "
    "lists, which `v1[0] -= dx * b2m` updates; with `float(...)` the unpacked floats are still "
    "taken for elements of the updated lists"
)


def _hvp(fn, x=XB, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(bench_spectral_norm),
    Case(bench_nbody, (XB,), (0,), xfail=refused_everywhere(_NBODY)),
    Case(bench_chaos_spline, (XB,), (0,), xfail=refused_everywhere(_OBJ_LIST)),
    _hvp(bench_raytrace),
    _hvp(bench_float),  # (refused before session 22: bench22, objects of `enumerate(x[:8])`)
    _hvp(bench_sor),  # (refused before session 21: refuse21, rows bound by one tuple assignment)
    _hvp(bench_sor_numpy),
    Case(bench_lu, (XB,), (0,), xfail=refused_when_differentiated(_PIVOT)),
    Case(bench_monte_carlo, (XB,), (0,)),
    _hvp(bench_sparse_matmult),
    _hvp(bench_sparse_numpy),
    _hvp(bench_fft),  # (refused before session 12: mut12)
    _hvp(bench_fft_numpy),
    _hvp(bench_mandelbrot),  # (refused before session 12: no rule for complex(re, im))
]
