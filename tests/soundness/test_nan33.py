"""Session 33 (nan33): NaN derivatives where the math is finite, and values where Python gives
another. Input: small functions written like users' code; output: assertions against Python and
central differences (tests/soundness/numeric.py), or the error Python raises."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences, check_scalar


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


# -- a Jacobian of a tuple or list taken inside a differentiated function ------------------------
# Outside, ``srcad.jacfwd(f)(x)`` of an `f` returning a tuple of same-shape arrays is a tuple of
# Jacobians (a list for a list; a Hessian with respect to a tuple of numbers: a tuple of rows).
# Inside (lower/api_calls.py's templates) it was one stacked array: ``(J + J)[2]`` raised
# IndexError where Python returns J[0], ``J * 2`` doubled entries instead of repeating, and
# ``J.append(v)`` was refused; `srcad.primal` of a function calling ``jacrev`` of a pair failed
# (its cotangents, one stacked array, not the output's pair). Now the stacked Jacobian is split
# back into the container, and jacrev's cotangents have the output's structure.


def two_parts(x):
    return np.sin(x), np.cos(x) * x


def list_parts(x):
    return [np.sin(x), x**2]


def two_sums(x):
    return (np.sum(x), np.sum(x**3))


def jacfwd_concat(x):
    J = srcad.jacfwd(two_parts)(x)
    return np.sum((J + J)[2] * J[1])


def jacrev_repeat(x):
    J = srcad.jacrev(two_sums)(x)
    return np.sum((J * 2)[3] * x) + len(J * 3)


def jacfwd_list_append(x):
    J = srcad.jacfwd(list_parts)(x)
    J.append(x)
    return np.sum(J[1] * J[2]) * len(J)


def hessian_of_tuple_arg(x):
    H = srcad.hessian(lambda t: t[0] ** 2 * t[1] * t[2])((x[0], x[1], x[2]))
    return np.sum((H + H)[4] * x) + len(H)


def jacrev_unpacked(x):
    a, b = srcad.jacrev(two_parts)(x)
    return np.sum(a * b) + np.sum(srcad.jacfwd(np.sin)(x) * x)


JACS = [jacfwd_concat, jacrev_repeat, jacfwd_list_append, hessian_of_tuple_arg, jacrev_unpacked]


@pytest.mark.parametrize("f", JACS, ids=lambda f: f.__name__)
def test_jacobian_of_a_tuple_is_a_tuple_inside(f):
    x = np.array([0.3, 0.7, 1.1])
    val, g = srcad.value_and_grad(f)(x)
    np.testing.assert_allclose(val, f(x), rtol=1e-12)
    np.testing.assert_allclose(srcad.primal(f)(x), val, rtol=1e-12)
    np.testing.assert_allclose(g, central_differences(f, x), rtol=1e-5, atol=1e-7)
    _, t = srcad.jvp(f, (x,), (np.ones(3),))
    np.testing.assert_allclose(t, np.sum(g), rtol=1e-10)


# -- an overflow next to a written infinity ------------------------------------------------------
# The written-infinity rule (nan32: an elementwise op whose result may hold a written infinity has
# derivative 0 where it is infinite) also fired where the result OVERFLOWED from finite operands:
# ``np.exp(1000 w[0])`` in an array holding a written -inf had gradient 0 for w[0] (true: 1000
# e^1000, inf; JAX gives inf), a stationary point where the function explodes. Now only the
# entries an infinite operand made are fixed (`ad/infsources.py`: ``_srcad.inf_from``,
# ``_srcad.inf_kept``); an overflow keeps its infinite derivative, 0 in a direction that does not
# move it.

MASK3 = np.array([True, False, True])


def overflow_next_to_written(w):
    s = np.where(MASK3, 1000.0 * w, -np.inf)
    return np.sum(np.exp(s))


def overflow_in_array(w):
    u = np.array([np.inf, 1000.0 * w[0]])
    return np.exp(u)[1] + w[1]


def overflow_times_weight(w):
    s = np.where(MASK3, 1000.0 * w, -np.inf)
    return np.sum(np.exp(s) * w[1])


W = np.array([1.0, 0.5, 0.2])
E200 = 1000.0 * np.exp(200.0)
OVERFLOWS = [
    (overflow_next_to_written, [np.inf, 0.0, E200]),
    (overflow_in_array, [np.inf, 1.0, 0.0]),
    (overflow_times_weight, [np.inf, np.inf, 0.5 * E200]),
]


@pytest.mark.parametrize("f, want", OVERFLOWS, ids=[f.__name__ for f, _ in OVERFLOWS])
def test_overflow_next_to_a_written_infinity_keeps_its_derivative(f, want):
    g = _quiet(srcad.grad(f), W)
    np.testing.assert_allclose(g, want, rtol=1e-12)
    for k, e in enumerate(np.eye(3)):
        _, t = _quiet(srcad.jvp, f, (W,), (e,))
        np.testing.assert_allclose(t, want[k], rtol=1e-12)


# -- a partial read of a singular value through a loop's index -----------------------------------
# ``r = np.sqrt(x); for i in range(2): s = s + r[i]`` at x = [.5, 1, -2]: the gradient was
# [0.71, 0.5, nan] where the function does not depend on x[2]. The read's mask (partreads:
# ``_srcad.read_mask(r, i)``) names a body value, so it was dropped outside the loop. Now the loop
# carries a record of the positions it read (`ad/loopreads.py`: ``_srcad.unread``,
# ``_srcad.mark_read``), and sqrt's contributions are masked by it.


def loop_read(x):
    r = np.sqrt(x)
    s = 0.0
    for i in range(2):
        s = s + r[i]
    return s


def loop_read_twice(x):
    r = np.log(x) * x[0]
    s = 0.0
    for i in range(1, 3):
        s = s + r[i] * r[i - 1]
    return s


def loop_read_with_break(x):
    r = np.sqrt(x) / x[1]
    s = 0.0
    for i in range(len(x)):
        if x[i] < 0:
            break
        s = s + r[i] ** 2
    return s


def loop_read_rows(x):
    r = np.sqrt(np.reshape(x, (2, 2)))
    s = 0.0
    for i in range(1):
        s = s + np.sum(r[i] * x[i])
    return s


def loop_read_computed_index(x):
    r = np.arcsin(x / 2.0) + np.sqrt(x)
    s = 0.0
    for k in range(2):
        j = 2 * k
        s = s + r[j] * x[1]
    return s


def loop_read_nested(x):
    r = np.sqrt(x) * x[0]
    s = 0.0
    for j in range(2):
        for i in range(j + 1):
            if i > 0:
                s = s + r[i] * j
    return s + r[0]


LOOPS = [loop_read, loop_read_twice, loop_read_with_break, loop_read_rows,
         loop_read_computed_index, loop_read_nested]  # fmt: skip


@pytest.mark.parametrize("f", LOOPS, ids=lambda f: f.__name__)
def test_partial_read_through_a_loop_index(f):
    x = {
        loop_read: [0.5, 1.0, -2.0],
        loop_read_twice: [0.5, 2.0, 0.7, -1.0],
        loop_read_with_break: [0.5, 1.5, -2.0, 3.0],
        loop_read_rows: [0.5, 1.5, -2.0, -3.0],
        loop_read_computed_index: [0.5, -1.5, 0.7],
        loop_read_nested: [0.5, 1.5, -2.0],
    }[f]
    _quiet(check_scalar, f, np.array(x))


# -- a guarded xlogy at 0 (moved here from the corpus: its Hessian is -inf at p = 0) -------------
def _guarded_xlogy_square(p):
    import scipy.special as sp

    q = p**2
    return np.sum(np.where(q > 0, sp.xlogy(q, np.where(q > 0, q, 1.0)), 0.0)) + np.sum(p)


def test_guarded_xlogy_square_at_zero():
    pytest.importorskip("scipy")
    p = np.array([0.0, 0.35, 0.65])
    want = np.where(p != 0, 2 * p * np.log(np.where(p != 0, p**2, 1.0)) + 2 * p, 0.0) + 1.0
    g = _quiet(srcad.grad(_guarded_xlogy_square), p)
    np.testing.assert_allclose(g, want, rtol=1e-12, atol=1e-14)
    _, t = _quiet(srcad.jvp, _guarded_xlogy_square, (p,), (np.array([1.0, 0.0, 0.0]),))
    assert t == 1.0
