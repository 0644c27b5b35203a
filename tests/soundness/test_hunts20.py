"""Semantic corners found by hunts20 (session 20), each checked against plain Python and central
differences.

- CRASH (ValueError in the generated code): the gradient of an element of ``A.tolist()`` for a
  2-D `A` (``np.outer(x[:3], x).tolist()[1][2]``). The cotangent of the nested list holds None for
  the rows no output reached; `tolist_vjp` made those a scalar 0.0, so ``np.asarray`` met a ragged
  list. The missing rows are now zeros of the row's shape.
- NaN in forward mode: the tangent of ``max(r, 1.0)`` (and of ``min``) where the side not taken
  has an infinite slope (``r = np.sqrt(0.0)``, or ``1.0 / s`` at ``s = 0`` as a NumPy number)
  was ``0.0 * dr`` = nan; Python returns 1.0 there, whose derivative is 0. The reverse rule
  already gave a zero cotangent to the side not taken; the forward one now gives a zero tangent.
  (The reverse sweep still multiplies the zero cotangent of `r` by sqrt's infinite slope: nan,
  as JAX gives; not changed here.)
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X4 = np.array([0.31, -0.72, 1.13, 0.57])
V4 = np.array([0.3, -0.7, 1.1, 0.4])


def _fd(f, x, v, eps=1e-6):
    return (np.asarray(f(x + eps * v)) - np.asarray(f(x - eps * v))) / (2 * eps)


def tolist_entry(x):
    return np.outer(x[:3], x).tolist()[1][2]


def tolist_rows(x):
    rows = (np.outer(x[:3], x) + 0.1).tolist()
    return rows[1][2] * rows[0][0] + x.tolist()[3]


def tolist_3d(x):
    T = np.einsum("i,j,k->ijk", x[:2], x[:3], x)
    return T.tolist()[1][2][3] + T.tolist()[0][0][0] ** 2


@pytest.mark.parametrize("f", [tolist_entry, tolist_rows, tolist_3d])
def test_gradient_of_a_tolist_entry(f) -> None:
    value, g = srcad.value_and_grad(f)(X4.copy())
    assert value == f(X4.copy())
    np.testing.assert_allclose(g @ V4, _fd(f, X4, V4), rtol=1e-7, atol=1e-9)
    _, t = srcad.jvp(f, (X4.copy(),), (V4,))
    np.testing.assert_allclose(t, g @ V4, rtol=1e-12)


def max_over_infinite_slope(x):
    r = np.sqrt(np.abs(x[0] - 0.31))  # 0 here: sqrt's slope is infinite, and max takes 1.0
    return max(r, 1.0) * x[1] + min(-r, -0.5)


def numpy_zero_division(x):
    s = x[0] - x[0]  # a NumPy number: 1 / s is inf, NumPy raises no ZeroDivisionError
    try:
        r = 1.0 / s
    except ZeroDivisionError:
        r = 5.0
    return x[1] * min(r, 7.0)


def max_of_minus_infinity(x):
    r = np.log(np.abs(x[0] - 0.31))  # -inf, slope infinite
    return x[1] * max(r, -7.0) + max(x[2], r)


@pytest.mark.parametrize("f", [max_over_infinite_slope, numpy_zero_division, max_of_minus_infinity])
def test_builtin_max_min_tangent_of_the_side_not_taken(f) -> None:
    x = np.array([0.31, 0.72, 1.13, 0.57])
    want = f(x.copy())
    for v in (V4, np.eye(4)[0], np.eye(4)[1]):
        out, t = srcad.jvp(f, (x.copy(),), (v,))
        assert out == want
        np.testing.assert_allclose(t, _fd(f, x, v), rtol=1e-7, atol=1e-9)
    # second order: forward over reverse along v
    h = srcad.jacfwd(srcad.grad(f))(x.copy()) if f is not numpy_zero_division else None
    assert h is None or np.all(np.isfinite(h[1:, 1:]))


def test_builtin_max_min_tangents_keep_their_type() -> None:
    def f(x):
        a = np.float32(x[0])
        return max(a, np.float32(2.0)) + min(x[1], 5.0)

    _, t = srcad.jvp(f, (X4.copy(),), (V4,))
    assert t == pytest.approx(V4[1])


def test_corpus_programs_still_match_python() -> None:
    from tests.corpus import ported_semantics3 as m

    for case in m.CASES:
        want = case.fn(*copy.deepcopy(case.args))
        got = srcad.primal(case.fn)(*copy.deepcopy(case.args))
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want), err_msg=case.name)
