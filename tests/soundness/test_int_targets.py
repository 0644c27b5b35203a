"""A differentiated value assigned into an integer (or bool) array is truncated by NumPy, so no
derivative reaches the array through it. srcad knows float arrays at transform time
(`srcad.passes.scalars.inexact_vars`); for the others the generated code checks the dtype
(``_srcad.is_inexact``, in the forward sweep, from the updated array so loops still update in
place) and keeps `v`'s derivative only for float arrays. Found 2026-11-30: the gradient used to
be 6.0 where it is 3.0."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def int_target(x):
    out = np.zeros(3, dtype=int)
    out[0] = x[0] * 10  # int(3.0000000000000004) == 3: no derivative through out[0]
    return np.sum(out * x)


def int_loop(x):
    n = x.shape[0]
    out = np.zeros(n, dtype=int)
    s = 0.0
    for i in range(n):
        out[i] = x[i] * 10
        s = s + out[i] * x[i]
    return s


def astype_target(x):
    out = np.zeros(3).astype(int)
    out[1] = x[1] * 10.0
    return np.sum(out * x)


def float_target(x):
    out = np.zeros(3)
    out[0] = x[0] * 10
    return np.sum(out * x)


def test_setitem_into_an_int_array_has_no_derivative_through_the_value() -> None:
    x = np.array([0.3, 0.575, 0.85])
    np.testing.assert_allclose(srcad.grad(int_target)(x), [3.0, 0.0, 0.0])
    assert srcad.jvp(int_target, (x,), (np.ones(3),))[1] == pytest.approx(3.0)
    np.testing.assert_allclose(srcad.grad(astype_target)(x), [0.0, 5.0, 0.0])


def test_in_a_loop_and_at_second_order() -> None:
    x = np.linspace(0.3, 1.4, 5)
    np.testing.assert_allclose(srcad.grad(int_loop)(x), np.floor(10 * x))
    assert srcad.jvp(int_loop, (x,), (np.ones(5),))[1] == pytest.approx(np.sum(np.floor(10 * x)))
    np.testing.assert_allclose(srcad.hessian(int_loop)(x), np.zeros((5, 5)))


def test_float_targets_keep_the_derivative_without_a_check() -> None:
    x = np.array([0.3, 0.575, 0.85])
    np.testing.assert_allclose(srcad.grad(float_target)(x), [6.0, 0.0, 0.0])
    assert "is_inexact" not in srcad.source(srcad.grad(float_target), args=(x,))
    assert "is_inexact" in srcad.source(srcad.grad(int_target), args=(x,))
