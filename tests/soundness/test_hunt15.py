"""Soundness hunt 15: wrong results found by probes written like users' code and by the order-2
fuzz campaigns (seeds 20300000-20399999).

- WRONG derivative (nan), forward mode (jvp, and so hvp/hessian): a selection makes a value
  locally constant and the next function is singular there: ``np.sqrt(np.maximum(x, 0))``,
  ``np.sqrt(np.clip(x, 0, None))``, ``np.sqrt(np.where(x > 0, x, 0))``, ``np.maximum(x, 0) **
  0.5``, ``np.arccos(np.clip(2 * x, -1, 1))``, ``math.sqrt(max(v, 0.0))``, ``(v if v > 0 else
  0.0) ** 1.5``: the tangent, structurally 0, was multiplied by inf (ad/fmasks.py now masks it).
- WRONG derivative (nan), reverse mode: ``np.sqrt(x * (x > 0))`` (the product by a boolean now
  masks like ``np.where``, ad/masks.py) and ``max(v, 0.0) ** 0.5`` (Python's max gave the side
  it does not take ``0.0 * g``: nan for an infinite g).
- WRONG derivative (nan), reverse mode: a value masked by ``np.where`` inside a loop body (or a
  comprehension) under a condition computed before the loop (``y = np.sqrt(x); c = x > 0; for k
  in ..: tot += np.sum(np.where(c, y * k, 0))``): a use in a nested block left it unmasked.
- WRONG derivative (nan), both modes: the root of a sum of squares at 0, pairwise distances
  without an epsilon (``np.sqrt(np.sum((E[:, None] - E[None]) ** 2, -1))``: the diagonal is
  exactly 0), ``np.sqrt(d @ d)`` and ``math.sqrt(dx * dx + dy * dy)`` of a point with itself: now
  the norm's derivative at 0, the minimum-norm subgradient 0 (as np.linalg.norm and np.hypot).
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import srcad

X6 = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58])
M = np.array([[0.31, -0.72, 1.13], [0.45, 0.27, -0.58]])


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


# -- a selection feeding an op with an infinite derivative (ad/fmasks.py) ----------------------
def _sqrt_maximum(x):
    return np.sum(np.sqrt(np.maximum(x, 0.0)) * x)


def _sqrt_clip(x):
    return np.sum(np.sqrt(np.clip(x, 0.0, None)) + x)


def _sqrt_clip_kw(x):
    return np.sum(np.sqrt(np.clip(x, a_min=0.0, a_max=None)) * x + np.sqrt(x.clip(min=0.0)))


def _sqrt_where(x):
    return np.sum(np.sqrt(np.where(x > 0, x, 0.0)) + x)


def _pow_maximum(x):
    return np.sum(np.maximum(x, 0.0) ** 0.5 * 2 + x**2 + np.maximum(x, 0.0) ** (1 / 3) * x)


def _arccos_clip(x):
    return np.sum(np.arccos(np.clip(x * 2, -1, 1)) + np.arcsin(np.clip(x, -0.5, 0.5)) * x)


def _minimum_fmin(x):
    return np.sum(np.sqrt(-np.minimum(x, 0.0)) * x + np.sqrt(np.fmax(x, 0.0)))


def _variance(x):
    var = np.mean(x**2) - np.mean(x) ** 2 - 1.0  # negative: clipped to 0
    return np.sqrt(np.maximum(var, 0.0)) + np.sum(x)


def _both_sides(x):
    y = np.maximum(x, 0.0)
    z = np.where(x > 1.0, x, y)  # both sides varied: zero where x < 0 (the y side)
    return np.sum(np.sqrt(z) * x + np.sqrt(y * np.maximum(x + 0.1, 0.0)))


def _in_a_loop(x):
    tot = 0.0
    for k in range(3):
        tot = tot + np.sum(np.sqrt(np.maximum(x - 0.1 * k, 0.0)) * x)
    return tot


def _dead_zone(x):
    return np.sum(np.sqrt(np.where(np.abs(x) < 0.5, 0.0, np.abs(x) - 0.5)) * x)


def _broadcast_condition(m):
    return np.sum(np.sqrt(np.where(m[0] > 0, np.abs(m), 0.0)) * m)


def _python_max(x):
    return sum(math.sqrt(max(v, 0.0)) * v + min(v, 0.0) ** 2 for v in x)


def _python_if(x):
    return sum((v if v > 0 else 0.0) ** 1.5 + math.sqrt(v if v > 0 else 0.0) for v in x)


def _python_max_pow(x):
    return sum(max(v, 0.0) ** 0.5 for v in x) + np.sum(x)


# -- products by a boolean (ad/masks.py) ---------------------------------------------------------
def _relu_by_mask(x):
    return np.sum(np.sqrt(x * (x > 0)) + x)


def _relu_by_float_mask(x):
    return np.sum(np.sqrt((x > 0).astype(float) * x) * x + np.sqrt(np.abs(x) * (x > 0)))


# -- uses in a loop body under a condition computed before the loop (ad/masks.py) ----------------
def _loop_where(x):
    y, c = np.sqrt(x), x > 0
    tot = 0.0
    for k in range(3):
        tot = tot + np.sum(np.where(c, y * k, 0.0))
    return tot


def _nested_loops_where(x):
    y, c = np.sqrt(x), x > 0
    tot = 0.0
    for _ in range(2):
        for j in range(2):
            tot = tot + np.sum(np.where(c, y + j, 0.0))
    return tot


def _generator_where(x):
    y, c = np.sqrt(x), x > 0
    return sum(np.sum(np.where(c, y * w, 0.0)) for w in (1.0, 2.0))


def _comprehension_where(x):
    y, c = np.log(x), x > 0
    out = [np.where(c, y, 0.0) * k for k in range(3)]
    return np.sum(out[0] + out[2] ** 2)


# -- roots of sums of squares at 0 (ad/fmasks.square_sums) -------------------------------------
def _pairwise(x):
    e = x.reshape(2, 3)
    d = np.sqrt(np.sum((e[:, None, :] - e[None, :, :]) ** 2, axis=-1))
    return np.sum(d * np.array([[1.0, 2.0], [3.0, 4.0]]) + np.exp(-(d**2)))


def _pairwise_terms(x):
    e = x.reshape(3, 2)
    dx, dy = e[:, None, 0] - e[None, :, 0], e[:, None, 1] - e[None, :, 1]
    return np.sum(np.sqrt(dx**2 + dy**2) + np.mean((e[:, None] - e[None]) ** 2, axis=-1) ** 0.5)


def _rows_matmul(x):
    e = x.reshape((2, 3))
    tot = 0.0
    for i in range(2):
        for j in range(2):
            d = e[i] - e[j]
            tot = tot + np.sqrt(d @ d) * (i + 2 * j + 1)
    return tot


def _python_points(x):
    pts = [(x[2 * k], x[2 * k + 1]) for k in range(3)]
    tot = 0.0
    for ax, ay in pts:
        for bx, by in pts:
            dx, dy = ax - bx, ay - by
            tot += math.sqrt(dx * dx + dy * dy) * ax
    return tot


CASES = [
    (_sqrt_maximum, X6), (_sqrt_clip, X6), (_sqrt_clip_kw, X6), (_sqrt_where, X6),
    (_pow_maximum, X6), (_arccos_clip, X6), (_minimum_fmin, X6), (_variance, X6),
    (_both_sides, X6), (_in_a_loop, X6), (_dead_zone, X6), (_broadcast_condition, M),
    (_python_max, X6), (_python_if, X6), (_python_max_pow, X6), (_relu_by_mask, X6),
    (_relu_by_float_mask, X6), (_loop_where, X6), (_nested_loops_where, X6),
    (_generator_where, X6), (_comprehension_where, X6), (_pairwise, X6), (_pairwise_terms, X6),
    (_rows_matmul, X6), (_python_points, X6),
]  # fmt: skip


@pytest.mark.parametrize("fn, x", CASES, ids=[f.__name__ for f, _ in CASES])
def test_selected_constant_into_singular_op(fn, x):
    v = np.cos(np.arange(x.size) + 0.5).reshape(x.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = _fd(fn, x, v)
        out, dout = srcad.jvp(fn, (x,), (v,))
        np.testing.assert_allclose(out, fn(x), rtol=1e-12)
        np.testing.assert_allclose(dout, want, rtol=1e-6, atol=1e-9)
        g = srcad.grad(fn)(x)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(np.sum(g * v), want, rtol=1e-6, atol=1e-9)
        grad = srcad.grad(fn)
        hfd = (grad(x + 1e-5 * v) - grad(x - 1e-5 * v)) / 2e-5
        hv = srcad.hvp(fn, (x,), (v,))[1]
        np.testing.assert_allclose(hv, hfd, rtol=1e-5, atol=1e-7)
        h = srcad.hessian(fn)(x)
        assert np.all(np.isfinite(h))


def test_mask_never_hides_a_real_derivative():
    # where the selection takes the varied side, the tangent is the usual one (x at the bound
    # included: np.maximum's tie gives half)
    x = np.array([0.0, 0.25, -0.5, 4.0])
    v = np.ones(4)

    def f(x):
        return np.sqrt(np.maximum(x, 0.0) + 1.0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        dout = srcad.jvp(f, (x,), (v,))[1]
    np.testing.assert_allclose(dout, [0.25, 0.5 / np.sqrt(1.25), 0.0, 0.5 / np.sqrt(5.0)])


def test_no_mask_without_a_selection_into_a_singular_op():
    # the generated code of a program without the pattern is unchanged: no mask
    # ``np.where(zero, 0.0, t)`` added (np.maximum's own tangent is a np.where)
    def f(x):
        return np.sum(np.sqrt(x * x + 1.0) + np.exp(np.maximum(x, 0.0)))

    def g(x):
        return np.sum(np.sqrt(np.maximum(x, 0.0) + 1.0))

    assert not re.search(r"np\.where\([^,()]+, 0\.0, ", srcad.source(f, mode="jvp"))
    assert re.search(r"np\.where\([^,()]+, 0\.0, ", srcad.source(g, mode="jvp"))


def test_matrix_times_itself_is_not_a_sum_of_squares():
    # ``a @ a`` of a matrix with a zero entry: its root keeps the (infinite) derivative
    def f(x):
        a = x.reshape(2, 2)
        return np.sum(np.sqrt(a @ a))

    x = np.array([0.0, 0.0, 1.0, 2.0])  # (a @ a)[0, 0] == 0, (a @ a)[0, 1] == 0: moved by x
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        dout = srcad.jvp(f, (x,), (np.ones(4),))[1]
        g = srcad.grad(f)(x)
    assert not np.isfinite(dout)
    assert not np.all(np.isfinite(g))
