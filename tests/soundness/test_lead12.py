"""Session 12 (lead): a `random.Random` of a constant seed made inside the function and drawn
from in a loop is the same draws on every run (scimark's MonteCarlo), so jacfwd/hessian may run
it once per column; one of no seed or a seed from an argument stays refused."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.1])


def seeded_in_loop(x):
    rnd = random.Random(113)
    k = 1.0 + 0.2 * float(x[0])
    acc = 0.0
    for _ in range(10):
        u = rnd.random()
        acc += math.exp(-k * u * u) * x[1]
    return acc


def unseeded_in_loop(x):
    rnd = random.Random()
    acc = 0.0
    for _ in range(3):
        acc += rnd.random() * x[0] ** 2
    return acc


def seed_from_argument(x, seed):
    rnd = random.Random(seed)
    acc = 0.0
    for _ in range(3):
        acc += rnd.random() * x[0] ** 2
    return acc


def test_constant_seed_generator_in_loop_hessian() -> None:
    H = srcad.hessian(seeded_in_loop)(X)
    g = srcad.grad(seeded_in_loop)
    h = 1e-5
    fd = np.array([(g(X + h * e) - g(X - h * e)) / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-9)
    assert abs(H[0, 1]) > 1e-3  # the draws' coupling of x[0] and x[1] is there


@pytest.mark.parametrize("f,args", [(unseeded_in_loop, (X,)), (seed_from_argument, (X, 5))])
def test_fresh_draws_in_loop_refused_by_columns(f, args) -> None:
    with pytest.raises(srcad.SrcadError, match="draw other random numbers"):
        srcad.hessian(f)(*args)


# -- a ufunc's where= with out= (the safe-division idiom), refused before ------------------------
XW = np.array([0.3, -0.4, 0.9, 0.05, 1.5, -1.2])


def safe_divide(x):
    b = x[::-1] * (np.abs(x[::-1]) > 0.35)  # zeros where the mask excludes
    return np.sum(np.divide(x, b, out=np.zeros_like(x), where=b != 0) ** 2)


def safe_log(x):
    return np.sum(np.log(x, out=np.full_like(x, -1.0), where=x > 0) * x)


def local_out_where(x):
    out = x * 2.0
    np.add(x, x**2, out=out, where=x > 0)
    return np.sum(out**2)


def returned_out(x):
    out = np.zeros_like(x)
    r = np.multiply(x, x, out=out, where=x > 0.2)
    return np.sum(r * out) + np.sum(np.sqrt(x, where=x >= 0, out=np.zeros(6)) * np.cos(x))


def _fd(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


@pytest.mark.parametrize("f", [safe_divide, safe_log, local_out_where, returned_out])
def test_ufunc_where_out(f) -> None:
    assert srcad.primal(f)(XW.copy()) == pytest.approx(f(XW.copy()), rel=1e-14)
    fd = _fd(f, XW)
    np.testing.assert_allclose(srcad.grad(f)(XW.copy()), fd, rtol=1e-6, atol=1e-8)
    v = np.linspace(-1.0, 1.0, 6)
    _, t = srcad.jvp(f, (XW.copy(),), (v,))
    assert t == pytest.approx(fd @ v, rel=1e-6, abs=1e-8)
    H = srcad.hessian(f)(XW.copy())
    np.testing.assert_allclose(H, _fd(srcad.grad(f), XW, 1e-5), rtol=1e-5, atol=1e-6)


def int_out_for_float_result(x):
    k = np.arange(6)
    return np.sum(x * np.divide(k, k - 2, out=np.zeros_like(k), where=k != 2))


def test_ufunc_where_out_refuses_numpys_refused_cast() -> None:
    with pytest.raises(TypeError):
        int_out_for_float_result(XW)
    with pytest.raises(TypeError, match="same_kind"):
        srcad.grad(int_out_for_float_result)(XW)


# -- np.linspace(retstep=True), np.geomspace, np.asfortranarray/ascontiguousarray (hunt12) -------
def retstep(x):
    u, step = np.linspace(x[1], 2.0, 5, retstep=True)
    v, s2 = np.linspace(x[1], x[2], 4, endpoint=False, retstep=True)
    return np.sum(u**2) * step + np.sum(v * x[0]) + s2**2


def geometric(x):
    g = np.geomspace(1.0, 2.0 + x[2] ** 2, 4)
    h = np.geomspace(-0.5 - x[0] ** 2, -3.0 - x[1] ** 2, 5, endpoint=False)
    return np.sum(g * x[:4]) + np.sum(np.log(-h) * h)


def orders(x):
    M = np.asfortranarray(x[:6].reshape(2, 3))
    C = np.ascontiguousarray(M.T)
    return np.sum(M * M) + np.sum(C[0] * x[:2]) + np.sum(np.asfortranarray(x[0]))


@pytest.mark.parametrize("f", [retstep, geometric, orders])
def test_spaces_and_orders(f) -> None:
    assert srcad.primal(f)(XW.copy()) == pytest.approx(f(XW.copy()), rel=1e-14)
    np.testing.assert_allclose(srcad.grad(f)(XW.copy()), _fd(f, XW), rtol=1e-6, atol=1e-8)
    H = srcad.hessian(f)(XW.copy())
    np.testing.assert_allclose(H, _fd(srcad.grad(f), XW, 1e-5), rtol=1e-5, atol=1e-6)


def fortran_alias(x):
    A = np.asfortranarray(np.outer(x[:2], x[2:4]))  # F-ordered already: M is A itself
    M = np.asfortranarray(A)
    M[0, 0] = 7.0
    return np.sum(A * x[0])


def test_asfortranarray_of_a_fortran_array_is_that_array() -> None:
    try:
        got = srcad.grad(fortran_alias)(XW.copy())
    except srcad.SrcadError:
        return  # refused: fine
    np.testing.assert_allclose(got, _fd(fortran_alias, XW), rtol=1e-6, atol=1e-8)


# -- a loop over an array argument's rows writing into each row (control fuzz seed 19710038) ------
def rows_written(xm, xv):
    xm[-2, -1] = 0.5
    for row in xm:
        s = row[-1]
        row[2] -= 1.25**2 * s
    return np.sum(xm * xv) + np.sum(xv**2)


def test_loop_writing_into_an_arrays_rows() -> None:
    """The loop over positions checked that the container is a list with a bare assert: an
    AssertionError at run time for an array (whose rows are views, as the rewrite needs)."""
    xm = np.array([[-0.88, -0.61, -0.05], [0.39, 0.6, 0.87]])
    xv = np.array([-0.98, -0.14, 2.19])
    want = rows_written(xm.copy(), xv)
    assert srcad.primal(rows_written)(xm.copy(), xv) == pytest.approx(want, rel=1e-14)
    g = srcad.grad(rows_written, wrt=(0, 1))(xm.copy(), xv)
    h = 1e-6
    for k, a in enumerate((xm, xv)):
        fd = np.zeros(a.shape)
        for i in np.ndindex(a.shape):
            e = np.zeros(a.shape)
            e[i] = h
            args_p = [xm.copy(), xv.copy()]
            args_m = [xm.copy(), xv.copy()]
            args_p[k] = args_p[k] + e
            args_m[k] = args_m[k] - e
            fd[i] = (rows_written(*args_p) - rows_written(*args_m)) / (2 * h)
        np.testing.assert_allclose(g[k], fd, rtol=1e-6, atol=1e-8)
