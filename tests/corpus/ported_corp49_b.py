"""Ported cases (session 49, hunt49b): pythran's test cases not ported before, rewritten in the
same computations: the D2Q9 lattice-Boltzmann step (helpers writing moments and populations
into the caller's work arrays, periodic edges copied in place), a 2-D convolution with clamped
indices, the filter-bank correlation over 4-D nested lists (``output[i][f][r][c] += ...``) and
over arrays written into an output argument, the largest-triangle-three-buckets downsampling
(``bs[np.argmax(areas)]``), the smallest circle through two points (``None`` results, three-way
``min``/``max``, tuples of coordinates), class distances through boolean masks, the wave
equation by ``while t <= t_stop`` over lists of lists, and Polybench's heat-3d and a 3-D stencil
written over nested lists as in C (``B[i][j][k] = ...``).

Float64 arrays, floats and nested lists of floats -> a float. Each row is checked forward and
reverse (the array rows also at second order)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(49202)


def _m(*shape: int) -> np.ndarray:
    return np.round(R.standard_normal(shape) * 0.5, 3)


# ---------------------------------------------------------------- D2Q9 lattice Boltzmann


def _moments_to_populations(m, f):
    c0, c1, c2, c3, c4 = 1.0 / 6, 1.0 / 9, 1.0 / 18, 1.0 / 36, 1.0 / 12
    f[0] = c1 * m[0] - c1 * m[3] + c1 * m[4]
    f[1] = c1 * m[0] + c0 * m[1] - c3 * m[3] - c2 * m[4] - c0 * m[5] + 0.25 * m[7]
    f[2] = c1 * m[0] + c0 * m[2] - c3 * m[3] - c2 * m[4] - c0 * m[6] - 0.25 * m[7]
    f[3] = c1 * m[0] - c0 * m[1] - c3 * m[3] - c2 * m[4] + c0 * m[5] + 0.25 * m[7]
    f[4] = c1 * m[0] - c0 * m[2] - c3 * m[3] - c2 * m[4] + c0 * m[6] - 0.25 * m[7]
    s = c1 * m[0] + c2 * m[3] + c3 * m[4]
    f[5] = s + c0 * m[1] + c0 * m[2] + c4 * m[5] + c4 * m[6] + 0.25 * m[8]
    f[6] = s - c0 * m[1] + c0 * m[2] - c4 * m[5] + c4 * m[6] - 0.25 * m[8]
    f[7] = s - c0 * m[1] - c0 * m[2] - c4 * m[5] - c4 * m[6] + 0.25 * m[8]
    f[8] = s + c0 * m[1] - c0 * m[2] + c4 * m[5] - c4 * m[6] - 0.25 * m[8]


def _populations_to_moments(f, m):
    m[0] = f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7] + f[8]
    m[1] = f[1] - f[3] + f[5] - f[6] - f[7] + f[8]
    m[2] = f[2] - f[4] + f[5] + f[6] - f[7] - f[8]
    m[3] = -4.0 * f[0] - f[1] - f[2] - f[3] - f[4] + 2.0 * (f[5] + f[6] + f[7] + f[8])
    m[4] = 4.0 * f[0] - 2.0 * (f[1] + f[2] + f[3] + f[4]) + f[5] + f[6] + f[7] + f[8]
    m[5] = -2.0 * f[1] + 2.0 * f[3] + f[5] - f[6] - f[7] + f[8]
    m[6] = -2.0 * f[2] + 2.0 * f[4] + f[5] + f[6] - f[7] - f[8]
    m[7] = f[1] - f[2] + f[3] - f[4]
    m[8] = f[5] - f[6] + f[7] - f[8]


def _gather(f, floc, i, j):
    floc[0] = f[i, j, 0]
    floc[1] = f[i - 1, j, 1]
    floc[2] = f[i, j - 1, 2]
    floc[3] = f[i + 1, j, 3]
    floc[4] = f[i, j + 1, 4]
    floc[5] = f[i - 1, j - 1, 5]
    floc[6] = f[i + 1, j - 1, 6]
    floc[7] = f[i + 1, j + 1, 7]
    floc[8] = f[i - 1, j + 1, 8]


def _relax(m):
    s1, s2 = 1.1312217194570136, 1.8573551263001487
    m[3] += s1 * (-2 * m[0] + 3.0 * m[1] * m[1] + 3.0 * m[2] * m[2] - m[3])
    m[4] += s1 * (m[0] + 1.5 * m[1] * m[1] + 1.5 * m[2] * m[2] - m[4])
    m[5] += s1 * (-m[1] - m[5])
    m[6] += s1 * (-m[2] - m[6])
    m[7] += s2 * (m[1] * m[1] - m[2] * m[2] - m[7])
    m[8] += s2 * (m[1] * m[2] - m[8])


def _periodic(f):
    nx, ny, ns = f.shape
    for j in range(ny):
        for k in range(ns):
            f[0, j, k] = f[nx - 2, j, k]
            f[nx - 1, j, k] = f[1, j, k]
    for i in range(nx):
        for k in range(ns):
            f[i, 0, k] = f[i, ny - 2, k]
            f[i, ny - 1, k] = f[i, 1, k]


def _lbm_step(f1, f2):
    nx, ny, ns = f1.shape
    floc = np.zeros(ns)
    mloc = np.zeros(ns)
    _periodic(f1)
    for i in range(1, nx - 1):
        for j in range(1, ny - 1):
            _gather(f1, floc, i, j)
            _populations_to_moments(floc, mloc)
            _relax(mloc)
            _moments_to_populations(mloc, floc)
            for k in range(ns):
                f2[i, j, k] = floc[k]
    return f2


def d2q9(f0):
    f1 = f0.copy()
    f2 = np.zeros_like(f0)
    for _ in range(2):
        f2 = _lbm_step(f1, f2)
        f1, f2 = f2, f1
    return np.sum(f1**2)


# ---------------------------------------------------------------- convolutions and correlations


def _clamp(i, offset, maxval):
    j = max(0, i + offset)
    return min(j, maxval)


def conv_clamped(x, weights):
    sx, sw = x.shape, weights.shape
    result = np.zeros_like(x)
    for i in range(sx[0]):
        for j in range(sx[1]):
            for ii in range(sw[0]):
                for jj in range(sw[1]):
                    idx = _clamp(i, ii - sw[0] // 2, sw[0]), _clamp(j, jj - sw[0] // 2, sw[0])
                    result[i, j] += x[idx] * weights[ii, jj]
    return np.sum(result * result)


def fbcorr_lists(imgs, filters):
    n_imgs, n_rows, n_cols, n_channels = (
        len(imgs),
        len(imgs[0]),
        len(imgs[0][0]),
        len(imgs[0][0][0]),
    )
    n_filters, height, width = len(filters), len(filters[0]), len(filters[0][0])
    out_rows, out_cols = n_rows - height + 1, n_cols - width + 1
    output = [
        [[[0 for _ in range(out_cols)] for _ in range(out_rows)] for _ in range(n_filters)]
        for _ in range(n_imgs)
    ]
    for ii in range(n_imgs):
        for rr in range(out_rows):
            for cc in range(out_cols):
                for hh in range(height):
                    for ww in range(width):
                        for jj in range(n_channels):
                            for ff in range(n_filters):
                                imgval = imgs[ii][rr + hh][cc + ww][jj]
                                filterval = filters[ff][hh][ww][jj]
                                output[ii][ff][rr][cc] += imgval * filterval
    total = 0.0
    for per_img in output:
        for plane in per_img:
            for row in plane:
                for v in row:
                    total += math.tanh(v)
    return total


def _fbcorr_into(imgs, filters, output):
    n_imgs, n_rows, n_cols, n_channels = imgs.shape
    n_filters, height, width, _ = filters.shape
    for ii in range(n_imgs):
        for rr in range(n_rows - height + 1):
            for cc in range(n_cols - width + 1):
                for hh in range(height):
                    for ww in range(width):
                        for jj in range(n_channels):
                            for ff in range(n_filters):
                                imgval = imgs[ii, rr + hh, cc + ww, jj]
                                filterval = filters[ff, hh, ww, jj]
                                output[ii, ff, rr, cc] += imgval * filterval


def fbcorr_arrays(imgs, filters):
    n, rows, cols, _ = imgs.shape
    f, h, w, _ = filters.shape
    out = np.zeros((n, f, rows - h + 1, cols - w + 1))
    _fbcorr_into(imgs, filters, out)
    return np.sum(np.tanh(out))


# ---------------------------------------------------------------- geometry


def _triangle_areas(a, bs, c):
    return 0.5 * abs((a[0] - c[0]) * (bs - a)[:, 1] - (a - bs)[:, 0] * (c[1] - a[1]))


def lttb(data, n_out=5):
    n_bins = n_out - 2
    bins = np.array_split(data[1 : len(data) - 1], n_bins)
    out = np.zeros((n_out, 2))
    out[0] = data[0]
    out[len(out) - 1] = data[len(data) - 1]
    for i in range(len(bins)):
        nxt = bins[i + 1] if i < n_bins - 1 else data[len(data) - 1 :]
        areas = _triangle_areas(out[i], bins[i], nxt.mean(axis=0))
        out[i + 1] = bins[i][np.argmax(areas)]
    return np.sum(out**2)


def _cross(x0, y0, x1, y1, x2, y2):
    return (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0)


def _circumcircle(a, b, c):
    ox = (min(a[0], b[0], c[0]) + max(a[0], b[0], c[0])) / 2.0
    oy = (min(a[1], b[1], c[1]) + max(a[1], b[1], c[1])) / 2.0
    ax, ay = a[0] - ox, a[1] - oy
    bx, by = b[0] - ox, b[1] - oy
    cx, cy = c[0] - ox, c[1] - oy
    d = (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by)) * 2.0
    if d == 0.0:
        return None
    a2, b2, c2 = ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy
    x = ox + (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d
    y = oy + (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d
    ra = math.hypot(x - a[0], y - a[1])
    rb = math.hypot(x - b[0], y - b[1])
    rc = math.hypot(x - c[0], y - c[1])
    return (x, y, max(ra, rb, rc))


def _diameter(a, b):
    cx, cy = (a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0
    r0 = math.hypot(cx - a[0], cy - a[1])
    r1 = math.hypot(cx - b[0], cy - b[1])
    return (cx, cy, max(r0, r1))


def _inside(c, p):
    return math.hypot(p[0] - c[0], p[1] - c[1]) <= c[2] * (1 + 1e-14)


def _circle_two_points(points, p, q):
    circ = _diameter(p, q)
    left = None
    right = None
    px, py = p
    qx, qy = q
    for r in points:
        if _inside(circ, r):
            continue
        cross = _cross(px, py, qx, qy, r[0], r[1])
        c = _circumcircle(p, q, r)
        if c is None:
            continue
        elif cross > 0.0 and (
            left is None
            or _cross(px, py, qx, qy, c[0], c[1]) > _cross(px, py, qx, qy, left[0], left[1])
        ):
            left = c
        elif cross < 0.0 and (
            right is None
            or _cross(px, py, qx, qy, c[0], c[1]) < _cross(px, py, qx, qy, right[0], right[1])
        ):
            right = c
    if left is None and right is None:
        return circ
    elif left is None:
        return right
    elif right is None:
        return left
    return left if left[2] <= right[2] else right


def circle_two_points(pts):
    points = [(pts[i, 0], pts[i, 1]) for i in range(pts.shape[0])]
    c = _circle_two_points(points, points[0], points[1])
    return c[0] + 2 * c[1] + 3 * c[2]


def circle_tuples(pts):
    points = [tuple(p) for p in pts.tolist()]
    c = _circle_two_points(points[2:], points[0], points[1])
    return c[2] ** 2 + c[0]


_CLASSES = np.array([0, 1, 2, 1, 0, 2, 2])


def class_distance(dat, centers):
    total = 0
    for i in range(3):
        total += np.sum(np.linalg.norm(dat[_CLASSES == i] - centers[i], axis=1))
    return total


# ---------------------------------------------------------------- stencils over nested lists


def _wave_step(dt, dx, dy, u, um, k):
    up = [[0.0] * len(u[0]) for _ in range(len(u))]
    cx, cy = (dt / dx) ** 2, (dt / dy) ** 2
    for i in range(1, len(u) - 1):
        for j in range(1, len(u[0]) - 1):
            up[i][j] = (
                2 * u[i][j]
                - um[i][j]
                + cx
                * (
                    0.5 * (k[i + 1][j] + k[i][j]) * (u[i + 1][j] - u[i][j])
                    - 0.5 * (k[i][j] + k[i - 1][j]) * (u[i][j] - u[i - 1][j])
                )
                + cy
                * (
                    0.5 * (k[i][j + 1] + k[i][j]) * (u[i][j + 1] - u[i][j])
                    - 0.5 * (k[i][j] + k[i][j - 1]) * (u[i][j] - u[i][j - 1])
                )
            )
    return up


def wave_lists(u0, k):
    u = u0.tolist()
    kk = k.tolist()
    um = [row[:] for row in u]
    t, t_stop, dt = 0.0, 0.25, 0.1
    while t <= t_stop:
        t += dt
        new_u = _wave_step(dt, 0.5, 0.5, u, um, kk)
        um = u
        u = new_u
    return sum(sum(v * v for v in row) for row in u)


def heat3d_lists(A0):
    # Polybench heat-3d with its arrays as C's nested lists: ``B[i][j][k] = ...``
    n = len(A0)
    A = [[list(row) for row in plane] for plane in A0]
    B = [[[0.0] * n for _ in range(n)] for _ in range(n)]
    for _ in range(2):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                for k in range(1, n - 1):
                    B[i][j][k] = (
                        0.125 * (A[i + 1][j][k] - 2.0 * A[i][j][k] + A[i - 1][j][k])
                        + 0.125 * (A[i][j + 1][k] - 2.0 * A[i][j][k] + A[i][j - 1][k])
                        + 0.125 * (A[i][j][k + 1] - 2.0 * A[i][j][k] + A[i][j][k - 1])
                        + A[i][j][k]
                    )
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                for k in range(1, n - 1):
                    A[i][j][k] = (
                        0.125 * (B[i + 1][j][k] - 2.0 * B[i][j][k] + B[i - 1][j][k])
                        + 0.125 * (B[i][j + 1][k] - 2.0 * B[i][j][k] + B[i][j - 1][k])
                        + 0.125 * (B[i][j][k + 1] - 2.0 * B[i][j][k] + B[i][j][k - 1])
                        + B[i][j][k]
                    )
    return sum(sum(sum(v * v for v in row) for row in plane) for plane in A)


def tensor3_lists(x, W):
    # a third-order tensor accumulated as C writes it: ``T[i][j][k] += ...`` into zeros
    n = len(x)
    T = [[[0.0 for _ in range(n)] for _ in range(n)] for _ in range(n)]
    for i in range(n):
        for j in range(n):
            for k in range(n):
                T[i][j][k] += x[i] * W[j][k] + x[j] * x[k]
    s = 0.0
    for i in range(n):
        for j in range(n):
            s += T[i][j][(i + j) % n] * T[j][i][0]
    return s


def _c(fn, *args, diff=None, **kw):
    if diff is None:
        diff = tuple(i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray)))
    return Case(fn, args, diff, extra="hvp", **kw)


_SUB = np.abs(_m(5, 5)) + 0.2

CASES = [
    _c(d2q9, np.abs(_m(4, 4, 9)) * 0.2 + 0.1),
    _c(conv_clamped, _m(4, 5), _m(3, 3)),
    Case(fbcorr_lists, (_m(1, 4, 4, 2).tolist(), _m(2, 2, 2, 2).tolist()), (0, 1)),
    _c(fbcorr_arrays, _m(1, 4, 4, 2), _m(2, 2, 2, 2)),
    _c(lttb, _m(11, 2), jitter=0.0),
    _c(circle_two_points, _m(6, 2), jitter=0.0),
    _c(circle_tuples, _m(6, 2), jitter=0.0),
    _c(class_distance, _m(7, 3), _m(3, 3)),
    _c(wave_lists, _m(5, 5), np.abs(_m(5, 5)) + 0.5),
    Case(heat3d_lists, (_m(4, 4, 4).tolist(),), (0,)),
    Case(tensor3_lists, (_m(3).tolist(), _m(3, 3).tolist()), (0, 1)),
]
