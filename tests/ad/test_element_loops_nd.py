"""Loops over the elements of float N-D arrays (issue 11, items 1-2): ``out[i, j] = v``.

The 2-D form of tests/ad/test_element_loops.py: a float array of known rank indexed by a tuple of
as many ints reads and writes one number (srcad/passes/scalars.float_ranks, element_index), so
the forward loop nest updates the array in place, also through the outer loop's carry
(srcad/passes/inplace.py), the reverse sweep reads and zeroes one slot of the owned cotangent
and adds into one (srcad/ad/structural.py), the index tuples are recomputed from the tape
position instead of taped (srcad/ad/vjp_loops.py), and no dtype check runs per step on a float
array. Exact numbers against hand-written gradients, central differences, and the source.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from problems import heat_loops_grad as heat_grad  # noqa: E402

K = 0.2


def heat(u, k):
    n, m = u.shape
    out = u.copy()
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
            out[i, j] = u[i, j] + k * lap
    return 0.5 * np.sum(out * out)


def heat_zeros(u, k):  # np.zeros((n, m)), the boundary copied by slices
    n, m = u.shape
    out = np.zeros((n, m))
    out[0, :] = u[0, :]
    out[-1, :] = u[-1, :]
    out[:, 0] = u[:, 0]
    out[:, -1] = u[:, -1]
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
            out[i, j] = u[i, j] + k * lap
    return 0.5 * np.sum(out * out)


def heat_np_copy(u, k):  # np.copy of the float argument
    n, m = u.shape
    out = np.copy(u)
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
            out[i, j] = u[i, j] + k * lap
    return 0.5 * np.sum(out * out)


def recurrence2(x, a):
    """Each row from the row above it, which the loop wrote: out[i, j] = a out[i-1, j] + x[i, j]."""
    n, m = x.shape
    out = x.copy()
    for i in range(1, n):
        for j in range(m):
            out[i, j] = out[i - 1, j] * a + x[i, j]
    return np.sum(out * out)


def recurrence2_grad(x, a):
    n, m = x.shape
    out = x.copy()
    for i in range(1, n):
        for j in range(m):
            out[i, j] = out[i - 1, j] * a + x[i, j]
    bout, bx, ba = 2.0 * out, np.zeros((n, m)), 0.0
    for i in range(n - 1, 0, -1):
        for j in range(m - 1, -1, -1):
            bx[i, j] += bout[i, j]
            ba += bout[i, j] * out[i - 1, j]
            bout[i - 1, j] += bout[i, j] * a
    bx[0] += bout[0]
    return bx, ba


def alias_read_after(x):
    """`a` is the same object as `out`: it sees every update (read as `out` itself since session
    12, lower/viewwrites.py; refused before: srcad's values are not objects)."""
    n, m = x.shape
    out = np.zeros((n, m))
    s = 0.0
    for i in range(n):
        for j in range(m):
            a = out
            out[i, j] = x[i, j] * x[i, j]
            s = s + np.sum(a) * x[i, j]
    return s


def whole_read_before(x):
    """The whole array is read before each update and the reverse sweep needs it (the cotangent
    of out * out): the tape keeps each step's version, so a copy per step is still needed."""
    n, m = x.shape
    out = np.zeros((n, m))
    s = 0.0
    for i in range(n):
        for j in range(m):
            s = s + np.sum(out * out) * x[i, j]
            out[i, j] = x[i, j] * x[i, j]
    return s


def whole_read_before_grad(x):
    """s = sum over steps t of x_t * (sum of x_r**4 over earlier steps r), row-major order."""
    v = x.ravel()
    before = np.cumsum(v**4) - v**4
    after = np.cumsum(v[::-1])[::-1] - v  # the sum of x_t over later steps t
    return (before + 4.0 * v**3 * after).reshape(x.shape)


def int_target(x):
    """An integer array truncates what is written: no derivative flows through it."""
    n, m = x.shape
    out = np.zeros((n, m), dtype=int)
    for i in range(n):
        for j in range(m):
            out[i, j] = x[i, j] * 3.7
    return np.sum(out * x)


def int_argument_target(x, z):
    """The same through a copy of an integer array argument (its dtype known only at run time)."""
    out = z.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = x[i, j] * 3.7
    return np.sum(out * x)


U = np.random.default_rng(11).standard_normal((6, 5))
X = np.array([[0.25, -0.5, 1.0], [0.75, 2.0, -1.25], [0.5, 0.125, -0.75], [1.5, -0.25, 0.375]])


def _forward_loop(src: str) -> str:
    return src[src.index("for i in") : src.index("# reverse sweep")]


def _reverse_loop(src: str) -> str:
    """The lines of the first reverse loop (``for k...``) and its body."""
    lines = src[src.index("# reverse sweep") :].splitlines()
    start = next(n for n, line in enumerate(lines) if line.lstrip().startswith("for k"))
    indent = len(lines[start]) - len(lines[start].lstrip())
    body = [lines[start]]
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= indent:
            break
        body.append(line)
    return "\n".join(body)


@pytest.mark.parametrize("f", [heat, heat_zeros, heat_np_copy])
def test_stencil_exact_in_place_and_without_helpers(f) -> None:
    gu, gk = srcad.grad(f, wrt=(0, 1))(U, K)
    hu, hk = heat_grad(U, K)
    np.testing.assert_allclose(gu, hu, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(gk, hk, rtol=1e-14)
    assert f(U, K) == heat(U, K)
    check_grads(f, (U, K), modes=("fwd", "rev"))
    src = srcad.source(f, wrt=(0, 1), args=(U, K))
    loop = _forward_loop(src)
    assert "layout_copy(" not in loop and "is_inexact" not in src  # in place, no dtype check
    for helper in ("add_at", "setitem_vjp", "unbroadcast(_t", "keep_if"):
        assert helper not in _reverse_loop(src), helper
    # the tape holds lap (and the previous lap, a loop carry), not the index tuples nor the values
    assert "saved[2]" not in src


def test_stencil_pullback_twice() -> None:
    out, pull = srcad.vjp(heat, U, K)
    first = pull(1.0)
    second = pull(1.0)
    np.testing.assert_array_equal(first[0], second[0])
    assert first[1] == second[1]
    np.testing.assert_allclose(first[0], heat_grad(U, K)[0], rtol=1e-14, atol=1e-15)


def test_recurrence_in_two_dimensions() -> None:
    gx, ga = srcad.grad(recurrence2, wrt=(0, 1))(X, 0.5)
    hx, ha = recurrence2_grad(X, 0.5)
    np.testing.assert_allclose(gx, hx, rtol=1e-15, atol=0)
    np.testing.assert_allclose(ga, ha, rtol=1e-15)
    assert ga == 9.62890625
    check_grads(recurrence2, (X, 0.5), modes=("fwd", "rev"))
    src = srcad.source(recurrence2, wrt=(0, 1), args=(X, 0.5))
    assert "layout_copy(" not in _forward_loop(src)  # reads out[i - 1, j] first, then updates


def test_alias_still_copies_and_is_right() -> None:
    assert srcad.primal(alias_read_after)(X.copy()) == pytest.approx(alias_read_after(X.copy()))
    check_grads(alias_read_after, (X,), modes=("fwd", "rev"))
    g = srcad.grad(whole_read_before)(X)
    np.testing.assert_allclose(g, whole_read_before_grad(X), rtol=1e-14)
    check_grads(whole_read_before, (X,), modes=("fwd", "rev"))
    src = srcad.source(whole_read_before, args=(X,))
    assert "layout_copy(out)" in _forward_loop(src)  # the tape holds every version of out


def test_integer_target_truncates_the_derivative() -> None:
    want = np.trunc(X * 3.7)  # d/dx sum(out * x) with out constant
    np.testing.assert_array_equal(srcad.grad(int_target)(X), want)
    z = np.zeros((4, 3), dtype=np.int64)
    np.testing.assert_array_equal(srcad.grad(int_argument_target)(X, z), want)
    # and through a float array argument the derivative flows: out = 3.7 x, d sum(3.7 x^2) = 7.4 x
    np.testing.assert_allclose(
        srcad.grad(int_argument_target)(X, z.astype(float)), 7.4 * X, rtol=1e-15
    )
    _, dout = srcad.jvp(int_target, (X,), (np.ones_like(X),))
    assert dout == np.sum(want)


def test_second_order_hvp_against_differences_of_grad() -> None:
    t = np.random.default_rng(12).standard_normal(U.shape)
    g, hv = srcad.hvp(heat, (U, K), (t, None))
    np.testing.assert_allclose(g, heat_grad(U, K)[0], rtol=1e-14, atol=1e-15)
    eps = 1e-5
    grad_u = srcad.grad(heat)
    fd = (grad_u(U + eps * t, K) - grad_u(U - eps * t, K)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-8, atol=1e-9)
    # in k: the objective is quadratic in k, d2/dk2 = sum(lap**2) over the interior
    lap = U[:-2, 1:-1] + U[2:, 1:-1] + U[1:-1, :-2] + U[1:-1, 2:] - 4.0 * U[1:-1, 1:-1]
    h = srcad.hessian(heat, wrt=1)(U, K)
    np.testing.assert_allclose(h, np.sum(lap * lap), rtol=1e-13)
    h2 = srcad.hessian(recurrence2, wrt=1)(X, 0.5)
    ga = lambda a: srcad.grad(recurrence2, wrt=1)(X, a)  # noqa: E731
    np.testing.assert_allclose(h2, (ga(0.5 + eps) - ga(0.5 - eps)) / (2 * eps), rtol=1e-8)


def test_forward_mode() -> None:
    t = np.random.default_rng(13).standard_normal(U.shape)
    out, dout = srcad.jvp(heat, (U, K), (t, 1.0))
    hu, hk = heat_grad(U, K)
    assert out == heat(U, K)
    np.testing.assert_allclose(dout, np.sum(hu * t) + hk, rtol=1e-13)
    out, dout = srcad.jvp(recurrence2, (X, 0.5), (np.ones_like(X), 1.0))
    hx, ha = recurrence2_grad(X, 0.5)
    np.testing.assert_allclose(dout, np.sum(hx) + ha, rtol=1e-14)


def dead_carry(x, y, n):
    """`t` is a number computed anew each step (its previous value unread) but starts as the
    array `y`: y's cotangent is zeros of y's shape after one step or more, the output's when the
    loop does not run."""
    t = y
    s = 0.0
    for i in range(n):
        t = x[i] * 2.0
        s = s + t * t
    return s + np.sum(t)


def test_carry_recomputed_each_step_gets_a_zero_of_its_initial_shape() -> None:
    x, y = np.array([0.5, -1.5, 2.0]), np.array([[1.0, 2.0], [3.0, 4.0]])
    gx, gy = srcad.grad(dead_carry, wrt=(0, 1))(x, y, 3)
    np.testing.assert_array_equal(gx, 8.0 * x + np.array([0.0, 0.0, 2.0]))
    assert isinstance(gy, np.ndarray) and gy.shape == y.shape and not gy.any()
    gx, gy = srcad.grad(dead_carry, wrt=(0, 1))(x, y, 0)
    np.testing.assert_array_equal(gx, np.zeros(3))
    np.testing.assert_array_equal(gy, np.ones((2, 2)))
    check_grads(dead_carry, (x, y, 3), modes=("rev",), wrt=(0, 1))
    src = srcad.source(dead_carry, wrt=(0, 1), args=(x, y, 3))
    assert "zeros_like(t" not in _reverse_loop(src)  # no zeros_like of the taped previous t
