"""Ported cases (session 22, bench22), written anew after what other projects' benchmark programs
compute, differentiated in a parameter vector that feeds their numbers: pyperformance's n-body as
written there (a dict of bodies, a combinations list of pairs, advance and report_energy), its ray
tracer with operator-overloading vectors, its spectral norm passing the matrix function around, scimark's
Monte Carlo with its own generator, its sparse product writing into an argument, its SOR into an
argument grid and a pure-Python FFT with complex twiddles (iterative and recursive); the
numpy-benchmarks / pythran kernels not yet in the corpus (l2norm, vibr_energy, evolve,
allpairs_distances with and without loops, hyantes, lstsqr, multiple_sum, reverse_cumsum,
specialconvolve, slowparts, lapl3d, repeating, norm, deriv, smoothing of rows, log-likelihood of a
normal, cronbach of a 2-D sample).

Small user functions -> `CASES`; scalar-valued, second order where ``extra="hvp"``."""

from __future__ import annotations

import cmath
import math

import numpy as np

from . import Case

R = np.random.default_rng(22002200)
XB = np.round(R.standard_normal(64) * 0.3, 3)


# -- pyperformance n-body ------------------------------------------------------------------------

PI = 3.14159265358979323
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24


def _combinations(seq):
    out = []
    for i, a in enumerate(seq):
        for b in seq[i + 1 :]:
            out.append((a, b))
    return out


def _nbody_system(x):
    bodies = {
        "sun": ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], SOLAR_MASS),
        "jupiter": (
            [4.84 + 0.1 * float(x[0]), -1.16 + 0.1 * float(x[1]), -0.10],
            [1.66e-03 * DAYS_PER_YEAR, 7.69e-03 * DAYS_PER_YEAR, -6.9e-05 * DAYS_PER_YEAR],
            9.54e-04 * SOLAR_MASS,
        ),
        "saturn": (
            [8.34, 4.12 + 0.1 * float(x[2]), -0.40],
            [-2.76e-03 * DAYS_PER_YEAR, 4.99e-03 * DAYS_PER_YEAR, 2.3e-05 * DAYS_PER_YEAR],
            2.86e-04 * SOLAR_MASS,
        ),
    }
    return bodies


def _advance(dt, n, bodies, pairs):
    for _ in range(n):
        for ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1m = m1 * mag
            b2m = m2 * mag
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


def _report_energy(bodies, pairs, e=0.0):
    for ((x1, y1, z1), _v1, m1), ((x2, y2, z2), _v2, m2) in pairs:
        dx = x1 - x2
        dy = y1 - y2
        dz = z1 - z2
        e -= (m1 * m2) / ((dx * dx + dy * dy + dz * dz) ** 0.5)
    for _r, [vx, vy, vz], m in bodies:
        e += m * (vx * vx + vy * vy + vz * vz) / 2.0
    return e


def bench_nbody_pyperf(x):
    system = _nbody_system(x)
    bodies = list(system.values())
    pairs = _combinations(bodies)
    _advance(0.01, 4, bodies, pairs)
    return _report_energy(bodies, pairs)


# -- pyperformance ray tracer: operator vectors --------------------------------------------------


class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, other):
        return self.x * other.x + self.y * other.y + self.z * other.z

    def magnitude(self):
        return math.sqrt(self.dot(self))

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y, self.z - other.z)

    def __mul__(self, f):
        return Vec(self.x * f, self.y * f, self.z * f)

    def normalized(self):
        return self * (1.0 / self.magnitude())


def _intersection(centre, radius, origin, direction):
    cp = centre - origin
    v = cp.dot(direction)
    disc = radius * radius - (cp.dot(cp) - v * v)
    if disc < 0:
        return None
    return v - math.sqrt(disc)


def bench_raytrace_ops(x):
    centre = Vec(0.2 * float(x[0]), 0.2 * float(x[1]), 4.0 + float(x[2]))
    radius = 1.2 + 0.1 * float(x[3])
    light = Vec(3.0, 2.0 + float(x[4]), -2.0)
    eye = Vec(0.0, 0.0, 0.0)
    total = 0.0
    for px in (-0.3, -0.15, 0.0, 0.15, 0.3):
        for py in (-0.2, 0.0, 0.2):
            d = Vec(px, py, 1.0).normalized()
            t = _intersection(centre, radius, eye, d)
            if t is None:
                total += 0.01
            else:
                p = eye + d * t
                n = (p - centre).normalized()
                lam = n.dot((light - p).normalized())
                if lam > 0:
                    total += lam
                total += 0.02 * t
    return total


# -- pyperformance spectral norm: the matrix function passed around -------------------------------


def _eval_A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def _part_A_times_u(i, u):
    partial_sum = 0
    for j, u_j in enumerate(u):
        partial_sum += _eval_A(i, j) * u_j
    return partial_sum


def _part_At_times_u(i, u):
    partial_sum = 0
    for j, u_j in enumerate(u):
        partial_sum += _eval_A(j, i) * u_j
    return partial_sum


def _eval_times_u(func, u):
    return [func(i, u) for i in range(len(list(u)))]


def _eval_AtA_times_u(u):
    return _eval_times_u(_part_At_times_u, _eval_times_u(_part_A_times_u, u))


def bench_spectral_pyperf(x):
    u = [1.0 + 0.1 * float(t) for t in x[:6]]
    for _ in range(3):
        v = _eval_AtA_times_u(u)
        u = _eval_AtA_times_u(v)
    vBv = vv = 0
    for ue, ve in zip(u, v):
        vBv += ue * ve
        vv += ve * ve
    return math.sqrt(vBv / vv)


# -- scimark Monte Carlo with its own generator -------------------------------------------------


class _LCG:
    def __init__(self, seed):
        self.state = seed

    def next_double(self):
        self.state = (1103515245 * self.state + 12345) % 2147483648
        return self.state / 2147483648.0


def bench_monte_carlo_lcg(x):
    rnd = _LCG(113)
    a = 1.0 + 0.2 * float(x[0])
    b = 0.5 + 0.1 * float(x[1])
    under = 0.0
    for _ in range(50):
        px = rnd.next_double()
        py = rnd.next_double()
        under += math.exp(-a * px * px - b * py * py)
    return under / 50 * 4.0


# -- scimark sparse product and SOR writing into arguments ---------------------------------------


def _sparse_matmult(y, val, row, col, v, iterations):
    m = len(row) - 1
    for _ in range(iterations):
        for r in range(m):
            s = 0.0
            for i in range(row[r], row[r + 1]):
                s += v[col[i]] * val[i]
            y[r] = s


def bench_sparse_args(x):
    row = [0, 2, 4, 7, 9, 11, 13]
    col = [0, 3, 1, 2, 0, 2, 5, 1, 3, 2, 4, 0, 5]
    val = [float(t) for t in x[:13]]
    v = [1.0 + 0.1 * float(t) for t in x[13:19]]
    y = [0.0] * 6
    _sparse_matmult(y, val, row, col, v, 2)
    return sum(t * t for t in y)


def _sor_execute(omega, G, cycles):
    m, n = len(G), len(G[0])
    omega_over_four = omega * 0.25
    one_minus_omega = 1.0 - omega
    for _ in range(cycles):
        for i in range(1, m - 1):
            Gi, Gim1, Gip1 = G[i], G[i - 1], G[i + 1]
            for j in range(1, n - 1):
                Gi[j] = omega_over_four * (Gim1[j] + Gip1[j] + Gi[j - 1] + Gi[j + 1]) + (
                    one_minus_omega * Gi[j]
                )


def bench_sor_args(x):
    G = [[float(x[(5 * i + j) % 40]) for j in range(5)] for i in range(5)]
    _sor_execute(1.25 + 0.1 * float(x[40]), G, 2)
    return sum(sum(v * v for v in row) for row in G)


def bench_sor_array_arg(x):
    G = x[:25].reshape(5, 5).copy()
    _sor_execute(1.25 + 0.1 * x[40], G, 2)
    return np.sum(G**2)


# -- pure-Python FFT with complex numbers -------------------------------------------------------


def _fft_rec(a):
    n = len(a)
    if n == 1:
        return a
    even = _fft_rec(a[0::2])
    odd = _fft_rec(a[1::2])
    out = [0j] * n
    for k in range(n // 2):
        t = cmath.exp(-2j * math.pi * k / n) * odd[k]
        out[k] = even[k] + t
        out[k + n // 2] = even[k] - t
    return out


def bench_fft_recursive(x):
    a = [complex(float(x[k]), float(x[k + 8])) for k in range(8)]
    spec = _fft_rec(a)
    return sum(abs(s) ** 2 for s in spec) + spec[1].real * spec[2].imag


def _fft_iter(a):
    n = len(a)
    a = list(a)
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    length = 2
    while length <= n:
        ang = -2 * math.pi / length
        wl = complex(math.cos(ang), math.sin(ang))
        for i in range(0, n, length):
            w = 1 + 0j
            for k in range(length // 2):
                u = a[i + k]
                v = a[i + k + length // 2] * w
                a[i + k] = u + v
                a[i + k + length // 2] = u - v
                w *= wl
        length <<= 1
    return a


def bench_fft_complex(x):
    a = [complex(float(x[k]), float(x[k + 8])) for k in range(8)]
    spec = _fft_iter(a)
    return sum((s * s.conjugate()).real for s in spec) + spec[3].imag


# -- numpy-benchmarks / pythran kernels ---------------------------------------------------------


def l2norm(x):
    return np.sqrt(np.sum(np.abs(x) ** 2, 1))


def bench_l2norm(x):
    return l2norm(x[:24].reshape(6, 4))


def vibr_energy(harmonic, x, y):
    return np.log(np.sum(harmonic * np.exp(-np.outer(x, y)), axis=1))


def bench_vibr_energy(x):
    return vibr_energy(1.0 + 0.1 * x[:5], x[5:9], 0.5 + x[9:14] ** 2)


def _laplacian(grid):
    return (
        np.roll(grid, +1, 0)
        + np.roll(grid, -1, 0)
        + np.roll(grid, +1, 1)
        + np.roll(grid, -1, 1)
        - 4 * grid
    )


def evolve(grid, dt, D=1.0):
    return grid + dt * D * _laplacian(grid)


def bench_evolve(x):
    g = x[:36].reshape(6, 6)
    for _ in range(3):
        g = evolve(g, 0.1, 1.0 + 0.1 * x[40])
    return np.sum(g**3)


def allpairs_distances(X, Y):
    return np.sum((X[:, None, :] - Y[None, :, :]) ** 2, axis=-1)


def allpairs_distances_loops(X, Y):
    result = np.zeros((X.shape[0], Y.shape[0]), X.dtype)
    for i in range(X.shape[0]):
        for j in range(Y.shape[0]):
            result[i, j] = np.sum((X[i, :] - Y[j, :]) ** 2)
    return result


def bench_allpairs(x):
    X, Y = x[:12].reshape(4, 3), x[12:21].reshape(3, 3)
    return np.sum(np.sqrt(allpairs_distances(X, Y) + 0.1))


def bench_allpairs_loops(x):
    X, Y = x[:12].reshape(4, 3), x[12:21].reshape(3, 3)
    return allpairs_distances_loops(X, Y)


def hyantes(xmin, ymin, step, range_, t, nx, ny):
    pt = np.zeros((nx, ny))
    for i in range(nx):
        for j in range(ny):
            for k in t:
                tmp = 6368.0 * np.arccos(
                    np.cos(xmin + step * i) * np.cos(k[0]) * np.cos((ymin + step * j) - k[1])
                    + np.sin(xmin + step * i) * np.sin(k[0])
                )
                if tmp < range_:
                    pt[i][j] += k[2] / (1 + tmp)
    return pt


def bench_hyantes(x):
    t = np.stack([0.1 + 0.05 * x[:4], 0.2 + 0.05 * x[4:8], 1.0 + x[8:12]], axis=1)
    return np.sum(hyantes(0.08, 0.18, 0.02, 400.0, t, 3, 3))


def lstsqr(x, y):
    x_avg = np.average(x)
    y_avg = np.average(y)
    dx = x - x_avg
    dy = y - y_avg
    slope = np.dot(dx, dy) / np.dot(dx, dx)
    return slope, y_avg - slope * x_avg


def bench_lstsqr(x):
    slope, icept = lstsqr(np.arange(10.0) + 0.1 * x[:10], 2.0 * np.arange(10.0) + x[10:20])
    return slope * slope + icept


def multiple_sum(array):
    rows = array.shape[0]
    cols = array.shape[1]
    out = np.zeros((rows, cols))
    for row in range(0, rows):
        out[row, :] = np.sum(array - array[row, :], 0)
    return out


def bench_multiple_sum(x):
    return multiple_sum(x[:20].reshape(5, 4))


def reverse_cumsum(x):
    return np.cumsum(x[::-1])[::-1]


def bench_reverse_cumsum(x):
    return np.sum(reverse_cumsum(x[:10]) ** 2)


def specialconvolve(a):
    rowconvol = a[1:-1, :] + a[:-2, :] + a[2:, :]
    colconvol = rowconvol[:, 1:-1] + rowconvol[:, :-2] + rowconvol[:, 2:] - 9 * a[1:-1, 1:-1]
    return colconvol


def bench_specialconvolve(x):
    return specialconvolve(x[:30].reshape(5, 6) ** 2)


def slowparts(d, re, preDz, preWz, SRW, RSW, yxV):
    def fprime(t):
        return 1 - np.power(np.tanh(t), 2)

    partialDU = np.zeros((d + 1, re, 2 * d, d))
    for k in range(2 * d):
        for i in range(d):
            partialDU[:, :, k, i] = (
                fprime(preDz[k]) * fprime(preWz[i]) * (SRW[i, k] + RSW[i, k]) * yxV[:, :, i]
            )
    return partialDU


def bench_slowparts(x):
    d, re = 2, 3
    out = slowparts(
        d,
        re,
        x[:4],
        x[4:6],
        x[6:14].reshape(2, 4),
        x[14:22].reshape(2, 4),
        x[22:40].reshape(3, 3, 2),
    )
    return np.sum(out * np.linspace(0.5, 1.5, out.size).reshape(out.shape))


def lapl3d(u, dx):
    return (
        u[2:, 1:-1, 1:-1]
        + u[:-2, 1:-1, 1:-1]
        + u[1:-1, 2:, 1:-1]
        + u[1:-1, :-2, 1:-1]
        + u[1:-1, 1:-1, 2:]
        + u[1:-1, 1:-1, :-2]
        - 6 * u[1:-1, 1:-1, 1:-1]
    ) / dx**2


def bench_lapl3d(x):
    u = np.sin(x[:27].reshape(3, 3, 3) + x[27:54].reshape(3, 3, 3) ** 2)
    return np.sum(lapl3d(u, 0.5 + 0.1 * x[60]) ** 2)


def repeating(x, nvar_y):
    nvar_x = x.shape[0]
    y = np.empty(nvar_x * (1 + nvar_y))
    y[0:nvar_x] = x[0:nvar_x]
    y[nvar_x:] = np.repeat(x, nvar_y)
    return y


def bench_repeating(x):
    return repeating(x[:5] ** 2, 3)


def norm_loops(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * a[i, j]
    return math.sqrt(s)


def bench_norm_loops(x):
    return norm_loops(x[:12].reshape(3, 4))


def deriv(x):
    out = np.empty_like(x)
    out[1:-1] = (x[2:] - x[:-2]) / 2
    out[0] = x[1] - x[0]
    out[-1] = x[-1] - x[-2]
    return out


def bench_deriv(x):
    return deriv(np.sin(x[:12]))


def smoothing_rows(x, alpha):
    out = x.copy()
    for i in range(1, x.shape[0]):
        out[i] = alpha * out[i - 1] + (1 - alpha) * x[i]
    return out


def bench_smoothing_rows(x):
    return np.sum(smoothing_rows(x[:20].reshape(5, 4), 0.3 + 0.1 * x[20]) ** 2)


def log_likelihood(data, mean, sigma):
    s = (data - mean) ** 2 / (2 * (sigma**2))
    pdfs = np.exp(-s)
    pdfs /= np.sqrt(2 * np.pi) * sigma
    return np.log(pdfs).sum()


def bench_log_likelihood(x):
    return log_likelihood(x[:20], 0.1 + x[20], 1.0 + 0.1 * x[21] ** 2)


def cronbach(itemscores):
    itemvars = itemscores.var(axis=1, ddof=1)
    tscores = itemscores.sum(axis=0)
    nitems = len(itemscores)
    return nitems / (nitems - 1.0) * (1 - itemvars.sum() / tscores.var(ddof=1))


def bench_cronbach(x):
    return cronbach(x[:24].reshape(4, 6) + np.arange(6.0))


def _hvp(fn, x=XB, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(bench_nbody_pyperf),  # (refused before nbody43: lists shared by `bodies` and `pairs`)
    _hvp(bench_raytrace_ops),
    _hvp(bench_spectral_pyperf),
    _hvp(bench_monte_carlo_lcg),
    _hvp(bench_sparse_args),
    _hvp(bench_sor_args),
    Case(
        bench_sor_array_arg, (XB,), (0,)
    ),  # (rows `Gi = G[i]` of an argument written in a helper: followed since session 30)
    _hvp(bench_fft_recursive),
    _hvp(bench_fft_complex),  # (refused before bench22: `j ^= bit`, `list(a)` of complex)
    Case(bench_l2norm, (XB,), (0,)),
    Case(bench_vibr_energy, (XB,), (0,)),
    _hvp(bench_evolve),
    _hvp(bench_allpairs),
    Case(bench_allpairs_loops, (XB,), (0,)),
    _hvp(bench_hyantes),
    _hvp(bench_lstsqr),
    Case(bench_multiple_sum, (XB,), (0,)),
    _hvp(bench_reverse_cumsum),
    Case(bench_specialconvolve, (XB,), (0,)),
    _hvp(bench_slowparts),
    _hvp(bench_lapl3d),
    Case(bench_repeating, (XB,), (0,)),
    _hvp(bench_norm_loops),
    Case(bench_deriv, (XB,), (0,)),
    _hvp(bench_smoothing_rows),
    _hvp(bench_log_likelihood),
    _hvp(bench_cronbach),
]
