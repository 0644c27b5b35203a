"""`for ... else` and `while ... else`: the `else` runs when the loop ends without `break`.

Each function is checked against plain Python (the value), central finite differences and the
dot-product test (forward and reverse mode), with the break taken and not taken.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def for_else(x, limit):
    s = 0.0
    for i in range(3):
        s = s + x[i] * x[i]
        if s > limit:
            break
    else:
        s = s * 3.0
    return s


def while_else(x, limit):
    s = 1.0
    i = 0
    while i < 3:
        s = s * x[i]
        i += 1
        if s > limit:
            break
    else:
        s = s + np.sin(x[0])
    return s


def for_else_nested(x):
    """The inner loop's break does not skip the outer loop's `else`; the inner `else` runs
    only when its own loop finishes."""
    s = 0.0
    for i in range(2):
        for j in range(3):
            s = s + x[j] * (i + 1)
            if j == 1:
                break
        else:
            s = s * 100.0
    else:
        s = s * x[2]
    return s


def for_else_return(x):
    for i in range(3):
        if x[i] > 0.6:
            return x[i] * 10.0
    else:
        y = x[0] * 2.0
    return y + x[1]


def else_in_loop_break(x):
    """A `break` inside the `else` of an inner loop leaves the outer loop (clears its flag)."""
    s = x[0]
    for _i in range(3):
        for _j in range(2):
            s = s * x[1]
        else:
            s = s + 1.0
            break
    else:
        s = s * 50.0
    return s


X = np.array([0.3, 0.5, 0.7])

CASES = [
    # (function, args, expected value by plain Python)
    (for_else, (X, 100.0), 3 * (0.09 + 0.25 + 0.49)),  # no break: the else runs
    (for_else, (X, 0.2), 0.09 + 0.25),  # break at i=1: the else is skipped
    (while_else, (X, 100.0), 0.3 * 0.5 * 0.7 + np.sin(0.3)),
    (while_else, (np.array([2.0, 3.0, 0.5]), 4.0), 6.0),
    (for_else_nested, (X,), ((0.3 + 0.5) + 2 * (0.3 + 0.5)) * 0.7),
    (for_else_return, (X,), 7.0),
    (for_else_return, (np.array([0.1, 0.2, 0.3]),), 0.4),
    (else_in_loop_break, (X,), 0.3 * 0.25 + 1.0),
]


@pytest.mark.parametrize("f, args, expected", CASES)
def test_value_and_derivatives(f, args, expected):
    assert f(*args) == pytest.approx(expected, rel=1e-14)
    assert srcad.primal(f)(*args) == pytest.approx(expected, rel=1e-14)
    check_grads(f, args, modes=("fwd", "rev"), wrt=0)


def test_exact_gradients():
    # for_else without break: 3 * sum(x**2) -> 6 x
    np.testing.assert_allclose(srcad.grad(for_else)(X, 100.0), 6.0 * X, rtol=1e-15)
    # with the break at i=1: x0**2 + x1**2 -> (2 x0, 2 x1, 0)
    np.testing.assert_allclose(srcad.grad(for_else)(X, 0.2), [0.6, 1.0, 0.0], rtol=1e-15)
    # while_else without break: x0 x1 x2 + sin(x0)
    g = srcad.grad(while_else)(X, 100.0)
    np.testing.assert_allclose(g, [0.35 + np.cos(0.3), 0.21, 0.15], rtol=1e-14)
    _, t = srcad.jvp(while_else, (X, 100.0), (np.array([1.0, 0.0, 0.0]), 0.0))
    assert t == pytest.approx(0.35 + np.cos(0.3), rel=1e-14)
    # with the break after i=1 (2*3 = 6 > 4): x0 x1
    g = srcad.grad(while_else)(np.array([2.0, 3.0, 0.5]), 4.0)
    np.testing.assert_allclose(g, [3.0, 2.0, 0.0], rtol=1e-15)


def test_second_order():
    h = srcad.hessian(for_else)(X, 100.0)
    np.testing.assert_allclose(h, 6.0 * np.eye(3), rtol=1e-14)
    h = srcad.hessian(while_else)(X, 100.0)
    expected = np.array([[-np.sin(0.3), 0.7, 0.5], [0.7, 0.0, 0.3], [0.5, 0.3, 0.0]])
    np.testing.assert_allclose(h, expected, rtol=1e-14, atol=1e-15)
