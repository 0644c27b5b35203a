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
