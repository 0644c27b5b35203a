"""Ported cases: NumPy and Python semantics probed by hunts21 (session 21): einsum with repeated
and implicit indices, tensordot's axes forms, matrix and vector norms on stacks, cumulative
reductions on 3-D arrays, take/put with negative indices and clip/wrap modes, rolls with tuple
shifts, diff with arrays prepended, kron/outer/inner/vdot (which flatten or broadcast), linspace
with differentiated ends, weighted histograms and bincounts, piecewise functions, batched linear
algebra, Python's floor division and modulo of negative numbers, tuple and list repetition, and
helpers holding literal arguments (``np.percentile(x, [10, 50, 95])``, ``np.polyfit(t, y, 2)``)
whose Hessians were refused.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

X9 = np.array([0.31, -0.72, 1.13, 0.57, 0.9, -0.4, 0.25, 1.7, -1.1])
T9 = np.arange(9.0)


def _cube(x):
    return np.concatenate([x, x[::-1], x * 2]).reshape(3, 3, 3)


def s4_einsum_repeated(x):
    a = x.reshape(3, 3)
    return np.concatenate(
        [
            np.einsum("ii->i", a),
            [np.einsum("ii", a * a), np.einsum("ij,ij->", a, a)],
            np.einsum("ij,jj->i", a, a),
            np.einsum("iij->j", _cube(x)),
            np.einsum("ji", a).ravel() * T9,
        ]
    )


def s4_einsum_ellipsis_optimize(x):
    a = x.reshape(3, 3)
    c = _cube(x)
    return (
        np.einsum("ij,jk,kl->il", a, a, a, optimize=True).sum()
        + np.einsum("...j,...j->...", x[:3], a).sum()
        + np.einsum("...ii->...i", c).sum()
        + np.einsum("bij,bjk->bik", c, c, optimize="greedy")[1, 2, 0]
    )


def s4_tensordot_forms(x):
    a = x.reshape(3, 3)
    return (
        np.tensordot(a, a, 1).sum()
        + np.tensordot(x[:3], x[:3], axes=0)[0, 2]
        + np.tensordot(a, a.T, axes=([0, 1], [1, 0]))
        + np.tensordot(_cube(x), _cube(x), axes=([0, 2], [2, 1]))[1, 2]
    )


def s4_norms(x):
    a = x.reshape(3, 3)
    c = _cube(x)
    return np.concatenate(
        [
            np.linalg.norm(a, axis=1, keepdims=True).ravel(),
            [np.linalg.norm(a, ord=-np.inf), np.linalg.norm(x, ord=-np.inf)],
            [np.linalg.norm(a, ord=1), np.linalg.norm(x, ord=3), np.linalg.norm(x, ord=0.5)],
            np.linalg.norm(c, ord="fro", axis=(1, 2)),
            np.linalg.norm(c, ord=np.inf, axis=(1, 2)),
            np.linalg.norm(c, ord=-1, axis=(2, 0)),
        ]
    )


def s4_cumulative_3d(x):
    c = _cube(x)
    return (
        np.cumsum(c, axis=-1, dtype=np.float64)[2, 1]
        + np.cumprod(c, axis=-2)[1, :, 2]
        + c.cumsum(1).cumprod(-1)[0, 2]
    )


def s4_take_modes(x):
    a = x.reshape(3, 3)
    idx = np.array([[0, 0, -1], [2, 1, 1], [-1, -1, -1]])
    return np.concatenate(
        [
            np.take(x, [-1, -1, 2, -9]),
            np.take(x, [-3, 20, 2, 2], mode="clip"),
            np.take(x, [-12, 20, 2, 2], mode="wrap"),
            np.take(a, [2, -1, 0], axis=1).ravel(),
            np.take_along_axis(a, idx, axis=1).ravel(),
        ]
    )


def s4_put_along_and_put(x):
    a = x.reshape(3, 3).copy()
    idx = np.array([[0, 0], [2, -1], [1, 1]])
    np.put_along_axis(a, idx, x[:6].reshape(3, 2) ** 2, axis=1)
    b = x * 1.0
    np.put(b, [-1, 10, 3], x[:3] ** 2, mode="wrap")
    return a.ravel() * b


def s4_rolls_and_diffs(x):
    a = x.reshape(3, 3)
    w = T9.reshape(3, 3)
    return np.concatenate(
        [
            (np.roll(a, (1, -2), axis=(0, 1)) * w).ravel(),
            (np.roll(a, (1, 1), axis=(1, 1)) * w).ravel(),
            np.roll(a, 4).ravel() * T9,
            np.diff(x[:4], prepend=x[5:7], append=x[7:]),
            np.diff(a, n=2, axis=0, prepend=x[:3].reshape(1, 3)).ravel(),
            np.diff(x, prepend=x[0] * 3),
        ]
    )


def s4_products_that_flatten(x):
    a = x.reshape(3, 3)
    return (
        np.kron(x[:4].reshape(2, 2), x[4:8].reshape(2, 2)).sum(axis=0)
        + np.outer(x[:4].reshape(2, 2), x[4:8])[1:3].sum(axis=0)
        + np.inner(a, a)[1, 0]
        + np.vdot(a, a.T)
        + np.dot(_cube(x), a)[2, 1, 0:4].sum()
    )


def s4_linspace_ends(x):
    v, s = np.linspace(x[0], x[1], 5, retstep=True)
    return np.concatenate(
        [np.linspace(x[0], x[1], 5) ** 2, np.linspace(x[2], x[3], 4, endpoint=False), v * s]
    )


def s4_meshgrid_and_weights(x):
    a, b = np.meshgrid(x[:2], x[2:5], indexing="ij")
    h, _ = np.histogram(T9, bins=3, weights=x)
    n = np.bincount(np.array([0, 2, 2, 1, 0, 4, 4, 4, 0]), weights=x, minlength=7)
    return np.concatenate([(a * b + a).ravel(), h, n])


def s4_select_piecewise(x):
    s = np.select([x > 1, x < -0.5], [x, x**2], default=np.sin(x))
    p = np.piecewise(x, [x < 0, x >= 0], [lambda v: v**2, np.sin])
    q = np.piecewise(x, [x < 0], [lambda v: v**2, lambda v: 3 * v])
    return s + p * q


def s4_convolve_sort_partition(x):
    return np.concatenate(
        [
            np.convolve(x[:4], x[4:6], mode="same"),
            np.convolve(x[:2], x[2:8], mode="same"),
            np.sort(x.reshape(3, 3), axis=None) * T9,
            [np.partition(x, 3)[:3].sum() + np.partition(x, 3)[3]],
        ]
    )


def s4_batched_linalg(x):
    c = _cube(x) + 4 * np.eye(3)
    m = x.reshape(3, 3)
    return (
        np.linalg.solve(c, m).sum(axis=(0, 1))
        + np.linalg.solve(c, x[:3]).sum(axis=0)
        + np.linalg.det(c)
        + np.linalg.slogdet(c)[1]
    )


def s4_python_division_of_negatives(x):
    n = int(x[2] * 10)
    q, r = divmod(x[0] * 7, -2.0)
    return (
        (x[1] * 3) // 1.0 * x[0]
        + (x[1] * 3) % 1.0
        + x[1] % -1
        + math.fmod(x[1] * 5, 1.0)
        + (n // 3) * x[0]
        + (-n % 4) * x[1]
        + q * x[0]
        + r
        + (x[2] % x[5])
        + divmod(x[2], x[5])[1]
    )


def s4_repetition_not_arithmetic(x):
    t = tuple(x[:3]) * 2
    u = x[:3].tolist() * 2
    v = [x[0], x[1]]
    v *= 2
    return np.array(t) * T9[:6] + np.array(u) + np.concatenate([v, v[:2]])


def s4_size_one_truthiness(x):
    a = x[:1]
    b = a and x[1:2]
    c = (x[:1] - x[0]) or x[1:2] * 2
    s = np.sum(x) - 10
    return b * 3 + c + (x[0] if s else x[1]) + (x[0] * 2 if x[:1] > 0 else x[1])


def _quantiles(x):
    return np.percentile(x, [10, 50, 95]) + np.quantile(x, np.array([0.3, 0.6]))[0]


def s4_helper_with_literal_quantiles(x):
    return np.sum(_quantiles(x) * x[:3])


def _fit(y):
    return np.polyfit([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], y, 2)


def s4_helper_with_literal_abscissae(x):
    return np.sum(_fit(x) ** 2)


CASES: list[Case] = [
    Case(s4_einsum_repeated, (X9,), (0,)),
    Case(s4_einsum_ellipsis_optimize, (X9,), (0,)),
    Case(s4_tensordot_forms, (X9,), (0,)),
    Case(s4_norms, (X9,), (0,)),
    Case(s4_cumulative_3d, (X9,), (0,)),
    Case(s4_take_modes, (X9,), (0,)),
    Case(s4_put_along_and_put, (X9,), (0,)),
    Case(s4_rolls_and_diffs, (X9,), (0,)),
    Case(s4_products_that_flatten, (X9,), (0,)),
    Case(s4_linspace_ends, (X9,), (0,)),
    Case(s4_meshgrid_and_weights, (X9,), (0,)),
    Case(s4_select_piecewise, (X9,), (0,)),
    Case(s4_convolve_sort_partition, (X9,), (0,)),
    Case(s4_batched_linalg, (X9,), (0,)),
    Case(s4_python_division_of_negatives, (X9,), (0,), jitter=0.0),
    Case(s4_repetition_not_arithmetic, (X9,), (0,)),
    Case(s4_size_one_truthiness, (X9,), (0,)),
    Case(s4_helper_with_literal_quantiles, (X9,), (0,)),
    Case(s4_helper_with_literal_abscissae, (X9,), (0,)),
]
