"""Ported cases (session 27, hunt27d), written anew after aliasing in user code: an adaptive integrator
appending each accepted state then rebinding it, rows swapped by fancy indexing, chained ``a = b =``
names, writes through ``A.T[0]`` and a reshaped view, repeated indices (``a[[0, 0, 1]] += v`` against
``np.add.at``), overlapping ``a[:] = a[::-1]`` and ``a[1:] += a[:-1]``, ``out=`` arguments and
``np.copyto``, ``a.sort()``, fancy-index and mask copies updated apart from their source, tuple-swapped
arrays, late-binding lambdas in a comprehension, an object with ``__setitem__``/``__getitem__``
written by ``g[i, j] = v`` (an AttributeError before this session), a property with a setter, rows of
a loop over a 2-D array scaled in place, ``A.flat[::2] = ...``; ``np.cumsum(a, out=a)``, strided
swaps, ``np.put``/``np.putmask``, a buffer refilled by ``fill`` per round, masks of the array being
updated, lists of arrays updated through the loop variable, ``np.meshgrid``, ``np.stack`` then a column
update, and ``inv``/``slogdet``/``solve``/``eigh``/``cholesky``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case


def rk45_history(x):
    # adaptive integrator storing accepted states; y updated in place after append
    k = x[0]
    y = np.array([1.0, x[1]])
    hist = []
    t, h = 0.0, 0.2
    while t < 1.0:
        h = min(h, 1.0 - t)
        f1 = np.array([y[1], -k * y[0]])
        y2 = y + h * f1
        f2 = np.array([y2[1], -k * y2[0]])
        err = h * np.max(np.abs(f2 - f1))
        if err > 0.05:
            h *= 0.5
            continue
        hist.append(y)
        y = y + 0.5 * h * (f1 + f2)
        t += h
    return np.sum(y**2) + sum(np.sum(s) for s in hist)


def swap_rows_copy(x):
    A = x.reshape(2, 3).copy()
    A[[0, 1]] = A[[1, 0]]
    return np.sum(A * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))


def chained_alias(x):
    a = b = np.zeros(3)
    a += x
    b *= 2.0
    return np.sum(a * x) + np.sum(b)


def transpose_write(x):
    A = np.outer(x[:2], x[2:])
    A.T[0] += 1.0
    A.T[1, :] *= x[0]
    return np.sum(A**2)


def reshape_view_write(x):
    A = x.copy()
    B = A.reshape(2, 2)
    B[1] *= 2.0
    A[0] += B[1, 1]
    return np.sum(A * B.ravel())


def repeated_idx(x):
    a = np.zeros(3)
    a[[0, 0, 1]] += x[:3]
    b = np.zeros(3)
    np.add.at(b, [0, 0, 1], x[:3])
    return np.sum(a**2) + np.sum(b**2)


def reverse_inplace(x):
    a = x.copy()
    a[:] = a[::-1]
    a[1:] += a[:-1]
    return np.sum(a * np.arange(1.0, len(a) + 1))


def out_param(x):
    a = x.copy()
    np.multiply(a, 2.0, out=a)
    np.add(a, x, out=a)
    b = np.empty_like(a)
    np.exp(a, out=b)
    np.copyto(a, b)
    return np.sum(a) + np.sum(b**2)


def sort_inplace(x):
    a = x * 2.0
    a.sort()
    return np.sum(a * np.arange(len(a)))


def fancy_copy_no_alias(x):
    a = x.copy()
    b = a[[0, 1]]
    b *= 10.0
    m = a[a > 0]
    m += 5.0
    c = a[1:3]
    c[...] = c**2
    return np.sum(a) + np.sum(b) + np.sum(m)


def fib_arrays(x):
    a, b = x[:2].copy(), x[2:].copy()
    for _ in range(4):
        a, b = b, a + 0.5 * b
    return np.sum(a * b)


def late_binding(x):
    fs = [lambda t: t * k for k in range(1, 4)]  # noqa: B023 (late binding: every k is 3)
    gs = [lambda t, k=k: t * k for k in range(1, 4)]
    return sum(f(x[0]) for f in fs) + sum(g(x[1]) for g in gs) ** 2


class Grid:
    def __init__(self, n):
        self.data = np.zeros((n, n))

    def __setitem__(self, ij, v):
        self.data[ij] = v

    def __getitem__(self, ij):
        return self.data[ij]


def setitem_obj(x):
    g = Grid(2)
    g[0, 0] = x[0]
    g[1, :] = x[1:3] * 2
    g[0, 1] = g[1, 0] * g[0, 0]
    return np.sum(g.data**2)


class Particle:
    def __init__(self, p):
        self._p = p

    @property
    def pos(self):
        return self._p

    @pos.setter
    def pos(self, v):
        self._p = v * 1.0


def prop_setter(x):
    pt = Particle(x.copy())
    for _ in range(3):
        pt.pos = pt.pos + 0.1 * pt.pos**2
    return np.sum(pt.pos)


def row_loop_view(x):
    M = x.reshape(3, 2).copy()
    for row in M:
        row *= row.sum()
    return np.sum(M)


def flat_write(x):
    A = x.reshape(2, 3).copy()
    A.flat[::2] = A.flat[::2] ** 2
    return np.sum(A * np.arange(6).reshape(2, 3))


def cumsum_out(x):
    a = x * 1.0
    np.cumsum(a, out=a)
    return np.sum(a**2)


def swap_strided(x):
    a = x.copy()
    a[::2], a[1::2] = a[1::2], a[::2].copy()
    return np.sum(a * np.arange(1.0, 5.0))


def negative_out(x):
    a = x.copy()
    np.negative(a[:2], out=a[:2])
    np.multiply(a[1:], a[:-1], out=a[1:])
    return np.sum(a * np.array([1.0, 2.0, 3.0, 4.0]))


def put_place(x):
    a = x.copy()
    np.put(a, [0, 2], a[[1, 3]] ** 2)
    np.putmask(a, a < 0, a * 0.5)
    return np.sum(a * np.arange(1.0, 5.0))


def fill_reuse(x):
    buf = np.empty(3)
    tot = 0.0
    for k in range(3):
        buf.fill(0.0)
        buf[k] = x[k] ** 2
        buf[(k + 1) % 3] += x[k]
        tot += buf @ x
    return tot


def self_mask(x):
    a = x * 2.0
    a[a > 0.5] += 1.0
    a[a < 0] *= a[a < 0]
    return np.sum(a**2)


def int_idx_update(x):
    a = x.copy()
    idx = np.array([0, 2])
    a[idx] *= x[idx]
    a[np.array([3, 1])] = a[np.array([1, 3])]
    return np.sum(a * np.arange(1.0, 5.0))


def list_of_arrays_loop(x):
    ws = [x[:2].copy(), x[2:].copy()]
    for w in ws:
        w *= 2.0
        w[0] += 1.0
    return sum(np.sum(w**2) for w in ws)


def list_arrays_rebind(x):
    ws = [x[:2].copy(), x[2:].copy()]
    for w in ws:
        w = w * 2.0
    return sum(np.sum(w**2) for w in ws)


def sorted_inplace_second(x):
    a = np.sort(x)
    a[0] = a[-1] * a[1]
    return np.sum(a**3)


def meshgrid_energy(x):
    X, Y = np.meshgrid(x[:2], x[2:])
    Z = X * Y
    Z[0] += 1.0
    return np.sum(np.sin(Z))


def stack_then_update(x):
    P = np.stack([x[:2], x[2:]], axis=1)
    P[:, 0] -= P[:, 0].mean()
    return np.sum(P**2) + P[1, 1]


def linalg_mix(x):
    A = x.reshape(2, 2) + 3 * np.eye(2)
    Ainv = np.linalg.inv(A)
    s, logdet = np.linalg.slogdet(A)
    sol = np.linalg.solve(A, np.array([1.0, 2.0]))
    return np.trace(Ainv) + logdet + sol @ sol


def eigh_energy(x):
    A = x.reshape(2, 2)
    S = A + A.T + np.diag([3.0, 1.0])
    w, V = np.linalg.eigh(S)
    return w[0] * 2 + w[1] ** 2


def cholesky_nll(x):
    L0 = np.array([[1.0, 0.0], [x[0], 1.0 + x[1] ** 2]])
    S = L0 @ L0.T + 0.1 * np.eye(2)
    L = np.linalg.cholesky(S)
    y = np.array([0.3, -0.2])
    z = np.linalg.solve(L, y)
    return 0.5 * z @ z + np.sum(np.log(np.diag(L)))


CASES = [
    Case(rk45_history, (np.array([2.0, 0.5]),), (0,), extra="hvp"),
    Case(swap_rows_copy, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(chained_alias, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(transpose_write, (np.array([0.3, -0.5, 0.2, 0.7, 0.4]),), (0,), extra="hvp"),
    Case(reshape_view_write, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(repeated_idx, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(reverse_inplace, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(out_param, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(sort_inplace, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(fancy_copy_no_alias, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(fib_arrays, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(late_binding, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(setitem_obj, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(prop_setter, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(row_loop_view, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(flat_write, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(cumsum_out, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(swap_strided, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(negative_out, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(put_place, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(fill_reuse, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(self_mask, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(int_idx_update, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(list_of_arrays_loop, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(list_arrays_rebind, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(sorted_inplace_second, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(meshgrid_energy, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(stack_then_update, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(linalg_mix, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(eigh_energy, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(cholesky_nll, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
]
