"""Ported cases (session 16, hunt16), written anew after npbench kernels (nbody, softmax, mlp,
conv2d, arc distance, a Cholesky and a Durbin recursion by hand), pyperformance's numeric
programs in pure Python (spectral norm, a chaotic map) and Tangent's small functions (augmented
assignment, loops with break, Horner's rule), and this session's fixes: a np.where or
np.nan_to_num whose guarded value is reshaped, transposed or indexed on the way (nan derivatives
before), a duplicate-index write, an empty product.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])
MASS = np.array([[1.0], [2.0], [0.5], [1.5]])


# -- npbench-style kernels ------------------------------------------------------------------------
def _acc(pos, G, soft):
    x, y, z = pos[:, 0:1], pos[:, 1:2], pos[:, 2:3]
    dx, dy, dz = x.T - x, y.T - y, z.T - z
    inv_r3 = (dx**2 + dy**2 + dz**2 + soft**2) ** -1.5
    return np.hstack((G * (dx * inv_r3) @ MASS, G * (dy * inv_r3) @ MASS, G * (dz * inv_r3) @ MASS))


def npb_nbody(p):
    pos = p.reshape(4, 3)
    vel = np.zeros((4, 3))
    acc = _acc(pos, 1.0, 0.1)
    for _ in range(3):
        vel = vel + acc * 0.005
        pos = pos + vel * 0.01
        acc = _acc(pos, 1.0, 0.1)
        vel = vel + acc * 0.005
    return 0.5 * np.sum(MASS * vel**2) + np.sum(pos**2)


def _softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def npb_mlp(w):
    inp = np.array([[0.2, -0.4, 0.9], [1.1, 0.3, -0.2]])
    h = np.maximum(inp @ w[:9].reshape(3, 3) + 0.1, 0)
    return np.sum(np.log(_softmax(h @ w[9:12].reshape(3, 1) * np.array([1.0, -1.0]))[:, 0]))


def npb_conv2d(w):
    img = np.arange(32.0).reshape(1, 4, 4, 2) / 10 - 1.5
    k = w[:8].reshape(2, 2, 2, 1)
    out = np.empty((1, 3, 3, 1))
    for i in range(3):
        for j in range(3):
            out[:, i, j, :] = np.sum(img[:, i : i + 2, j : j + 2, :, np.newaxis] * k[np.newaxis],
                                     axis=(1, 2, 3))  # fmt: skip
    return np.sum(np.tanh(out))


def npb_arc_distance(x):
    t1, p1, t2, p2 = x[:3], x[3:6], x[6:9], x[9:]
    tmp = np.sin((t2 - t1) / 2) ** 2 + np.cos(t1) * np.cos(t2) * np.sin((p2 - p1) / 2) ** 2
    return np.sum(2 * np.arctan2(np.sqrt(tmp), np.sqrt(1 - tmp)))


def npb_cholesky(x):
    m = x[:9].reshape(3, 3)
    a = m @ m.T + 3 * np.eye(3)
    a[0, 0] = np.sqrt(a[0, 0])
    for i in range(1, 3):
        for j in range(i):
            a[i, j] -= np.dot(a[i, :j], a[j, :j])
            a[i, j] /= a[j, j]
        a[i, i] -= np.dot(a[i, :i], a[i, :i])
        a[i, i] = np.sqrt(a[i, i])
    return np.sum(np.tril(a) ** 3)


def npb_durbin(x):
    r = x[:4] * 0.5
    y = np.empty_like(r)
    alpha, beta = -r[0], 1.0
    y[0] = -r[0]
    for k in range(1, 4):
        beta *= 1.0 - alpha * alpha
        alpha = -(r[k] + np.dot(np.flip(r[:k]), y[:k])) / beta
        y[:k] += alpha * np.flip(y[:k])
        y[k] = alpha
    return np.sum(y**2)


# -- pure-Python numeric programs and Tangent-style functions -----------------------------------
def py_spectral_norm(x):
    u = [1.0 + x[0], 0.8 + x[1], 1.2 + x[2]]
    v = u
    for _ in range(3):
        v = [sum(u[j] / ((i + j) * (i + j + 1) / 2 + i + 1) for j in range(3)) for i in range(3)]
        u = [sum(v[j] / ((j + i) * (j + i + 1) / 2 + j + 1) for j in range(3)) for i in range(3)]
    return math.sqrt(sum(a * b for a, b in zip(u, v)) / sum(b * b for b in v))


def py_chaotic_map(x):
    px, py = x[0], x[1]
    for _ in range(10):
        px, py = 0.5 * px + 0.3 * math.sin(py), 0.4 * py + 0.2 * math.cos(px)
    return px * py


def py_augmented(x):
    b = x[0]
    b *= x[1]
    b += x[2]
    b /= x[3] + 3
    b **= 2
    s = 0.0
    for v in x:
        if s > 1.0:
            break
        s += v * v
    return b + s


def py_horner(x):
    def poly(c, z):
        r = 0.0
        for ci in c:
            r = r * z + ci
        return r

    return poly(x[:5], 0.7) + poly(x[5:1:-1], x[0])


# -- this session's fixes -------------------------------------------------------------------------
def fix_where_reshaped(x):
    y = np.sqrt(x).reshape(3, 4)
    return np.sum(np.where(x.reshape(3, 4) > 0, y, 0.0) ** 2) + np.sum(x)


def fix_where_transposed(x):
    m = x.reshape(3, 4)
    return np.sum(np.where(m.T > 0, np.log(m).T, m.T) * np.arange(12.0).reshape(4, 3))


def fix_where_indexed(x):
    idx = np.array([0, 1, 1, 5, 7])
    return np.sum(np.where(x[idx] > 0, np.sqrt(x)[idx], x[idx])) + np.sum(
        np.where(x[::-1] > 0, np.log(x)[::-1], 0.0)
    )


def fix_nan_to_num_moved(x):
    return np.sum(np.nan_to_num(np.log(x).reshape(2, 6)) ** 2) + np.sum(
        np.nan_to_num(np.sqrt(x)[2:9])
    )


def fix_duplicate_write(x):
    out = x.copy()
    out[[1, 1, 2, 4]] = x[:4] ** 2
    return np.sum(out**2) + np.prod(x[:0]) * x[0]


CASES = [
    Case(npb_nbody, (X,), (0,), extra="hvp"),
    Case(npb_mlp, (X,), (0,), extra="hvp"),
    Case(npb_conv2d, (X,), (0,), extra="hvp"),
    Case(npb_arc_distance, (X,), (0,), extra="hvp"),
    Case(npb_cholesky, (X,), (0,), extra="hvp"),
    Case(npb_durbin, (X,), (0,), extra="hvp"),
    Case(py_spectral_norm, (X,), (0,), extra="hvp"),
    Case(py_chaotic_map, (X,), (0,), extra="hvp"),
    Case(py_augmented, (X,), (0,), extra="hvp"),
    Case(py_horner, (X,), (0,), extra="hvp"),
    Case(fix_where_reshaped, (X,), (0,), extra="hvp"),
    Case(fix_where_transposed, (X,), (0,), extra="hvp"),
    Case(fix_where_indexed, (X,), (0,), extra="hvp"),
    Case(fix_nan_to_num_moved, (X,), (0,), extra="hvp"),
    Case(fix_duplicate_write, (X,), (0,), extra="hvp"),
]
