"""Spurious refusals the session-46 hunt lifted, checked by value.

- A helper that sums into a fresh float and appends it (``acc = 0.0; acc += s * u[j];
  out.append(acc)``, spectral_norm's ``eval_times_u``) called with ``list(u)`` of a 1-D float
  array or of a list argument of numbers: the caller did not tell the helper that the list holds
  numbers only, so ``acc op= v`` might have updated an object appended before, and it was refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

U = np.array([0.7, -1.2, 0.4])


def _times(u, s):
    out = []
    for i in range(len(u)):
        acc = 0.0
        for j in range(len(u)):
            acc += s / (i + j + 1) * u[j]
        out.append(acc)
    return out


def listed_array(s, u):
    v = _times(list(u), s)
    return v[0] * v[1] + v[2]


def tupled_array(s, u):
    v = _times(tuple(u), s)
    return v[0] ** 2 + v[2]


def _expected(s, u):
    v = [sum(s / (i + j + 1) * u[j] for j in range(len(u))) for i in range(len(u))]
    return v


@pytest.mark.parametrize("fn", [listed_array, tupled_array])
def test_list_of_array_passed_to_summing_helper(fn):
    s = 1.3
    v = _expected(s, list(U))
    want = v[0] * v[1] + v[2] if fn is listed_array else v[0] ** 2 + v[2]
    assert srcad.primal(fn)(s, U) == pytest.approx(want, rel=1e-14)
    check_grads(fn, (s, U), modes=("fwd", "rev"), order=2)


def test_list_of_list_argument_passed_to_summing_helper():
    u = [0.7, -1.2, 0.4]
    g = srcad.grad(listed_array)(1.3, u)
    v = _expected(1.0, u)
    np.testing.assert_allclose(g, 2 * 1.3 * v[0] * v[1] + v[2], rtol=1e-12)


# - A running sum (``s = 0.0; s += x[i] * vals[i]; y[r] = s``) stored in a list of numbers while
#   the loop's `x` becomes a list (a display of numbers, a comprehension): a list display or
#   ``list_append`` of numbers was not known to hold numbers only, so ``x[i]`` might be an
#   object and ``s op= v`` an update of the one stored in `y` before: refused (scimark's sparse
#   mat-mult with its vector rebuilt as a list).


def carried_comprehension(vals, x):
    y = [0.0] * 2
    for _ in range(2):
        for r in range(2):
            s = 0.0
            for i in range(2):
                s += x[i] * vals[i]
            y[r] = s
        x = [y[k] * 0.5 + x[k] for k in range(2)]
    return sum(y)


def carried_display(vals, x):
    y = [0.0] * 2
    for _ in range(2):
        for r in range(2):
            s = 0.0
            for i in range(2):
                s += x[i] * vals[i]
            y[r] = s
        x = [2.0, 3.0 * vals[0]]
    return sum(y)


VALS = np.array([1.0, 2.0])
XS = np.array([0.5, 0.7])


def test_list_rebuilt_in_loop_read_by_running_sum():
    # x1 = 0.5 * (x0 . vals) + x0; sum(y) = 2 * (x1 . vals)
    s1 = XS @ VALS
    x1 = 0.5 * s1 + XS
    np.testing.assert_allclose(srcad.grad(carried_comprehension)(VALS, XS),
                               2 * (x1 + 0.5 * VALS.sum() * XS), rtol=1e-13)  # fmt: skip
    check_grads(carried_comprehension, (VALS, XS), modes=("fwd", "rev"), order=2)
    assert srcad.primal(carried_display)(VALS, XS) == pytest.approx(
        2 * (2.0 * 1.0 + 3.0 * 1.0 * 2.0)
    )
    check_grads(carried_display, (VALS, XS), modes=("fwd", "rev"), order=2)
