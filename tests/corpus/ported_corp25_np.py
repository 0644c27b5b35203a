"""Ported cases (session 25, corp25), written anew as user code after serge-sans-paille's
numpy-benchmarks (the pythran test programs): arc_distance, cronbach, evolve (np.roll laplacian),
grayscott (slice-view updates), harris, hyantes (a triple loop over rows with a threshold),
lstsqr, log_likelihood, multiple_sum, periodic_dist (boolean-mask wrap-around), vibr_energy, the
string-of-masses wave step, wdist, smoothing, laplacien, diffusion, l2norm, rosen, fdtd,
pairwise / allpairs distances, euclidean_distance_square, hasting, repeating, reverse_cumsum,
create_grid, specialconvolve and slowparts, with float array inputs (growcut's windowed
loops: ported_corp25_nb).

Float arrays / scalars -> float scalar (checked at second order with ``extra="hvp"``) or a float
array."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(25000001)


def arc_distance(theta_1, phi_1, theta_2, phi_2):
    t = (
        np.sin((theta_2 - theta_1) / 2) ** 2
        + np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2) ** 2
    )
    return 2 * np.arctan2(np.sqrt(t), np.sqrt(1 - t))


def arc_distance_matrix(theta):
    a = theta[:, None]
    b = theta[None, :] + 0.3
    return np.sum(arc_distance(a, 0.5 * a, b, 0.2 - b))


def cronbach(itemscores):
    itemvars = itemscores.var(axis=1, ddof=1)
    tscores = itemscores.sum(axis=0)
    nitems = len(itemscores)
    return nitems / (nitems - 1) * (1 - itemvars.sum() / tscores.var(ddof=1))


def _roll_laplacian(grid):
    return (
        np.roll(grid, +1, 0)
        + np.roll(grid, -1, 0)
        + np.roll(grid, +1, 1)
        + np.roll(grid, -1, 1)
        - 4 * grid
    )


def evolve(grid, dt):
    out = grid
    for _ in range(3):
        out = out + dt * 1.0 * _roll_laplacian(out)
    return np.sum(out**2)


def grayscott(ru, rv):
    n = 6
    U = np.zeros((n + 2, n + 2))
    V = np.zeros((n + 2, n + 2))
    u, v = U[1:-1, 1:-1], V[1:-1, 1:-1]
    u[:] = 1.0
    U[2:5, 2:5] = 0.5
    V[2:5, 2:5] = 0.25
    u += 0.15 * ru
    v += 0.15 * rv
    Du, Dv, F, k = 0.16, 0.08, 0.035, 0.065
    for _ in range(4):
        Lu = U[0:-2, 1:-1] + U[1:-1, 0:-2] - 4 * U[1:-1, 1:-1] + U[1:-1, 2:] + U[2:, 1:-1]
        Lv = V[0:-2, 1:-1] + V[1:-1, 0:-2] - 4 * V[1:-1, 1:-1] + V[1:-1, 2:] + V[2:, 1:-1]
        uvv = u * v * v
        u += Du * Lu - uvv + F * (1 - u)
        v += Dv * Lv + uvv - (F + k) * v
    return V


def grayscott_sum(ru):
    return np.sum(grayscott(ru, 0.5 * ru) ** 2)


def harris(img):
    m, n = img.shape
    dx = (img[1:, :] - img[: m - 1, :])[:, 1:]
    dy = (img[:, 1:] - img[:, : n - 1])[1:, :]
    A = dx * dx
    B = dy * dy
    C = dx * dy
    tr = A + B
    det = A * B - C * C
    return det - 0.05 * tr * tr


def hyantes(t, xmin, ymin, step, range_):
    X, Y = 3, 4
    pt = np.zeros((X, Y))
    for i in range(X):
        for j in range(Y):
            for k in t:
                c = np.cos(xmin + step * i) * np.cos(k[0]) * np.cos(ymin + step * j - k[1])
                tmp = 6368.0 * np.arccos(c + np.sin(xmin + step * i) * np.sin(k[0]))
                if tmp < range_:
                    pt[i, j] += k[2] / (1 + tmp)
    return pt


def lstsqr(x, y):
    x_avg = np.average(x)
    y_avg = np.average(y)
    dx = x - x_avg
    dy = y - y_avg
    slope = np.sum(dx * dy) / np.sum(dx**2)
    return slope, y_avg - slope * x_avg


def log_likelihood(data, mean, sigma):
    s = (data - mean) ** 2 / (2 * sigma**2)
    pdfs = np.exp(-s)
    pdfs /= np.sqrt(2 * np.pi) * sigma
    return np.log(pdfs).sum()


def multiple_sum(array):
    rows, cols = array.shape[0], array.shape[1]
    out = np.zeros((rows, cols))
    for row in range(rows):
        out[row, :] = np.sum(array - array[row, :], 0) * array[row, :]
    return out


def periodic_dist(x, y, z, L):
    N = len(x)
    xt = np.tile(x, (N, 1))
    dx = xt - xt.T
    yt = np.tile(y, (N, 1))
    dy = yt - yt.T
    zt = np.tile(z, (N, 1))
    dz = zt - zt.T
    dx[dx > L / 2] = dx[dx > L / 2] - L
    dx[dx < -L / 2] = dx[dx < -L / 2] + L
    dy[dy > L / 2] = dy[dy > L / 2] - L
    dy[dy < -L / 2] = dy[dy < -L / 2] + L
    d = np.sqrt(dx**2 + dy**2 + dz**2 + 1e-3)
    return np.sum(1.0 / d)


def vibr_energy(harmonic, anharmonic, i):
    return np.sum(np.exp(-harmonic * i - anharmonic * (i**2)))


def wave_step(cpos, ppos):
    N = cpos.shape[0]
    force = np.zeros((N, 2))
    for i in range(1, N):
        dx, dy = cpos[i] - cpos[i - 1]
        dist = np.sqrt(dx**2 + dy**2)
        fmag = -2.1 * dist
        fvec = np.array([fmag * dx / dist, fmag * dy / dist])
        force[i - 1] -= fvec
        force[i] += fvec
    force[0] = force[-1] = 0, 0
    force[N // 2][1] += 1.5
    accel = force / 0.01
    return (2 - 1e-4) * cpos - (1 - 1e-4) * ppos + accel * (0.01**2)


def wdist(A, B, W):
    _, m = A.shape
    _, n = B.shape
    D = np.zeros((m, n))
    for ii in range(m):
        for jj in range(n):
            wdiff = (A[:, ii] - B[:, jj]) / W[:, ii]
            D[ii, jj] = np.sqrt((wdiff**2).sum())
    return D


def smoothing(x, alpha):
    s = x.copy()
    for i in range(1, len(x)):
        s[i] = alpha * x[i] + (1 - alpha) * s[i - 1]
    return s


def laplacien(image):
    out = np.abs(
        4 * image[1:-1, 1:-1]
        - image[0:-2, 1:-1]
        - image[2:, 1:-1]
        - image[1:-1, 0:-2]
        - image[1:-1, 2:]
    )
    valmax = np.max(out)
    valmax = max(1.0, valmax) + 1.0e-9
    out /= valmax
    return out


def diffusion(u0):
    u = u0.copy()
    tmp = np.zeros_like(u)
    mu = 0.1
    for _ in range(3):
        tmp[1:-1, 1:-1] = u[1:-1, 1:-1] + mu * (
            u[2:, 1:-1]
            - 2 * u[1:-1, 1:-1]
            + u[0:-2, 1:-1]
            + u[1:-1, 2:]
            - 2 * u[1:-1, 1:-1]
            + u[1:-1, 0:-2]
        )
        u[:, :] = tmp[:, :]
        tmp[:, :] = 0.0
    return np.sum(u**3)


def l2norm(x):
    return np.sqrt(np.sum(np.abs(x) ** 2, 1))


def rosen(x):
    t0 = 100 * (x[1:] - x[:-1] ** 2) ** 2
    t1 = (1 - x[:-1]) ** 2
    return np.sum(t0 + t1)


def fdtd(input_grid):
    grid = input_grid.copy()
    old = np.zeros_like(input_grid)
    prev = np.zeros_like(input_grid)
    lx, ly = grid.shape
    for _ in range(2):
        np.copyto(prev, old)
        np.copyto(old, grid)
        for x in range(lx):
            for y in range(ly):
                grid[x, y] = 0.0
                if 0 < x + 1 < lx:
                    grid[x, y] += old[x + 1, y]
                if 0 < x - 1 < lx:
                    grid[x, y] += old[x - 1, y]
                if 0 < y + 1 < ly:
                    grid[x, y] += old[x, y + 1]
                if 0 < y - 1 < ly:
                    grid[x, y] += old[x, y - 1]
                grid[x, y] /= 2.0
                grid[x, y] -= prev[x, y]
    return np.sum(grid * input_grid)


def pairwise(pts):
    return np.sum((pts[None, :] - pts[:, None]) ** 2 + 0.01, -1) ** 0.5


def allpairs_distances(X, Y):
    return np.array([[np.sum((x - y) ** 2) for x in X] for y in Y])


def euclidean_distance_square(x1, x2):
    return (
        -2 * np.dot(x1, x2.T)
        + np.sum(np.square(x1), axis=1)[:, np.newaxis]
        + np.sum(np.square(x2), axis=1)
    )


def hasting(y, a1, a2):
    b1, b2, d1, d2 = 3.0, 2.0, 0.4, 0.01
    yp = np.empty((3,))
    yp[0] = y[0] * (1.0 - y[0]) - a1 * y[0] * y[1] / (1.0 + b1 * y[0])
    yp[1] = a1 * y[0] * y[1] / (1.0 + b1 * y[0]) - a2 * y[1] * y[2] / (1.0 + b2 * y[1]) - d1 * y[1]
    yp[2] = a2 * y[1] * y[2] / (1.0 + b2 * y[1]) - d2 * y[2]
    return yp


def repeating(x):
    nx = x.shape[0]
    y = np.empty(nx * 3)
    y[0:nx] = x[0:nx]
    y[nx:] = np.repeat(x, 2)
    return y * np.arange(1.0, 3 * nx + 1)


def reverse_cumsum(x):
    return np.cumsum(x[::-1] ** 2)[::-1]


def create_grid(x):
    N = x.shape[0]
    z = np.zeros((N, N, 3))
    z[:, :, 0] = x.reshape(-1, 1)
    z[:, :, 1] = x
    z[:, :, 2] = x.reshape(-1, 1) * x
    return z.reshape(N * N, 3)


def specialconvolve(a):
    row = a[1:-1, :] + a[:-2, :] + a[2:, :]
    return row[:, 1:-1] + row[:, :-2] + row[:, 2:] - 9 * a[1:-1, 1:-1]


def slowparts(preDz, preWz, SRW, yxV):
    d = preWz.shape[0]
    fprime = lambda x: 1 - np.power(np.tanh(x), 2)  # noqa: E731
    out = np.zeros((d + 1, 2, 2 * d, d))
    for k in range(2 * d):
        for i in range(d):
            out[:, :, k, i] = fprime(preDz[k]) * fprime(preWz[i]) * SRW[i, k] * yxV[:, :, i]
    return np.sum(out**2)


TH = np.round(R.uniform(0.1, 1.2, 5), 3)
IMG = np.round(R.uniform(0.0, 1.0, (5, 6)), 3)
T3 = np.column_stack([R.uniform(0.2, 0.6, 4), R.uniform(0.1, 0.5, 4), R.uniform(1.0, 2.0, 4)])
DATA = np.round(R.normal(0.3, 1.1, 10), 3)
PX = np.round(R.uniform(0.0, 4.0, 5), 3)
CPOS = np.column_stack([np.arange(6.0) * 2.0, 1.0 + 0.2 * np.sin(np.arange(6.0))])
A34 = np.round(R.uniform(0.5, 2.0, (3, 4)), 3)
B35 = np.round(R.uniform(0.5, 2.0, (3, 5)), 3)
B54 = np.round(R.uniform(-1.0, 1.0, (5, 4)), 3)
CASES = [
    Case(arc_distance_matrix, (TH,), (0,), extra="hvp"),
    Case(arc_distance, (0.3, 0.8, 1.1, 0.2), (0, 1, 2, 3)),
    Case(cronbach, (np.round(R.uniform(1.0, 5.0, (4, 6)), 3),), (0,), extra="hvp"),
    Case(evolve, (np.round(R.uniform(0, 1, (4, 5)), 3), 0.05), (0, 1), extra="hvp"),
    Case(
        grayscott,
        (np.round(R.uniform(0, 1, (6, 6)), 3), np.round(R.uniform(0, 1, (6, 6)), 3)),
        (0, 1),
    ),
    Case(grayscott_sum, (np.round(R.uniform(0, 1, (6, 6)), 3),), (0,), extra="hvp"),
    Case(harris, (IMG,), (0,)),
    Case(hyantes, (T3, 0.3, 0.2, 0.05, 1500.0), (0, 1, 2, 3)),
    Case(lstsqr, (np.round(R.uniform(0, 3, 8), 3), np.round(R.uniform(0, 3, 8), 3)), (0, 1)),
    Case(log_likelihood, (DATA, 0.2, 1.3), (0, 1, 2), extra="hvp"),
    Case(multiple_sum, (np.round(R.uniform(-1, 1, (4, 3)), 3),), (0,)),
    Case(periodic_dist, (PX, PX[::-1] * 0.7, PX * 0.3, 4.0), (0, 1, 2), extra="hvp"),
    Case(vibr_energy, (0.3, 0.05, np.arange(1.0, 6.0)), (0, 1), extra="hvp"),
    Case(wave_step, (CPOS, CPOS - 0.01), (0, 1), extra="hvp"),
    Case(wdist, (A34, B35, np.round(R.uniform(0.5, 1.5, (3, 4)), 3)), (0, 1, 2)),
    Case(smoothing, (DATA, 0.3), (0, 1)),
    Case(laplacien, (IMG * 3.0,), (0,)),
    Case(diffusion, (np.round(R.uniform(0, 1, (5, 5)), 3),), (0,), extra="hvp"),
    Case(l2norm, (np.round(R.uniform(-1, 1, (4, 3)), 3),), (0,)),
    Case(rosen, (np.round(R.uniform(-1, 1, 6), 3),), (0,), extra="hvp"),
    Case(fdtd, (np.round(R.uniform(0, 1, (4, 4)), 3),), (0,), extra="hvp"),
    Case(pairwise, (np.round(R.uniform(0, 1, (5, 2)), 3),), (0,)),
    Case(allpairs_distances, (A34, B54), (0, 1)),
    Case(euclidean_distance_square, (A34, B54), (0, 1)),
    Case(hasting, (np.array([0.8, 0.2, 9.0]), 5.0, 0.1), (0, 1, 2)),
    Case(repeating, (np.round(R.uniform(-1, 1, 4), 3),), (0,)),
    Case(reverse_cumsum, (np.round(R.uniform(-1, 1, 6), 3),), (0,)),
    Case(create_grid, (np.round(R.uniform(-1, 1, 4), 3),), (0,)),
    Case(specialconvolve, (IMG,), (0,)),
    Case(
        slowparts,
        (
            R.uniform(-1, 1, 6),
            R.uniform(-1, 1, 3),
            R.uniform(-1, 1, (3, 6)),
            R.uniform(-1, 1, (4, 2, 3)),
        ),
        (0, 1, 2, 3),
        extra="hvp",
    ),
]
