"""Wrong values the session-47 review of session 46's code found, now right or refused.

- The second derivative of the square root of a sum of squares (``np.sqrt(np.sum(d ** 2))``,
  ``np.sqrt(d @ d)``), of ``np.hypot``/``math.hypot`` and of ``np.std`` where it is 0, along a
  nonzero direction: as for ``np.linalg.norm`` (rules/norm_at0.py), their first derivative
  there is the subgradient 0, and its derivative came out 0 along every direction. With the
  root in a helper (``dist(x, c)``, which `ad/squares.py` cannot see squared), the Hessian of
  the Gaussian kernel ``np.exp(-dist(x, c) ** 2)`` at ``x = c`` was 0 (it is ``-2 I``), of
  ``hyp(x) ** 2`` 0 (``2 I``), of ``sd(x) ** 2`` 0 (the variance's); refused at run time now
  (rules/root_at0.py, ad/rootat0.py), as the cone ``np.exp(-r)`` is. A zero direction there
  (pairwise distances' diagonal) and the squares `ad/squares.py` recognizes keep their values.
- ``np.abs(z)`` of a complex `z` at 0, read by anything but the in-function square: the Hessian
  of ``np.sum(np.cos(np.abs(z)))`` at ``z = 0`` was 0 (it is ``-2 I`` for ``z = x + 1j x[::-1]``),
  of ``n[1] ** 2 + n[0] * n[0]`` with ``n = np.abs(z)`` 0 (``diag(2, 4, 2)``): the "even" and
  "item" square rules are for real values, and the complex ``|z|``'s second-order term
  (``abs_d2_vjp``) took 0 there. Refused at run time where ``z == 0`` along a nonzero direction.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

C = np.array([0.3, -0.2, 0.5])
V = np.array([0.6, -0.3, 0.8])
MSG = "magnitude at 0"


def _dist(a, b):
    return np.sqrt(np.sum((a - b) ** 2))


def _dot_dist(a, b):
    d = a - b
    return np.sqrt(d @ d)


def _hyp(x):
    return np.hypot(x[0], x[1])


def _mhyp(x):
    return math.hypot(x[0], x[1])


def _sd(x):
    return np.std(x)


def rbf_helper(x):
    return np.exp(-(_dist(x, C) ** 2))


def dot_helper_square(x):
    return _dot_dist(x, C) ** 2


def hypot_helper_square(x):
    return _hyp(x - C) ** 2


def math_hypot_helper_square(x):
    return _mhyp(x - C) ** 2


def std_helper_square(x):
    return _sd(x - C) ** 2


def root_cone(x):
    return np.exp(-np.sqrt(np.sum((x - C) ** 2)))


WRONG = [rbf_helper, dot_helper_square, hypot_helper_square, math_hypot_helper_square, root_cone]


@pytest.mark.parametrize("fn", WRONG)
def test_hessian_of_a_root_of_squares_at_its_zero_is_refused(fn):
    with pytest.raises(srcad.SrcadError, match=MSG):
        srcad.hessian(fn)(C.copy())
    with pytest.raises(srcad.SrcadError, match=MSG):
        srcad.hvp(fn, (C.copy(),), (V,))


def test_hessian_of_a_std_at_constant_data_is_refused():
    x = np.full(3, 0.4)
    with pytest.raises(srcad.SrcadError, match=MSG):
        srcad.hessian(lambda z: _sd(z) ** 2)(x)


def test_forward_over_forward_is_refused_too():
    def second(x):
        return srcad.jvp(lambda y: srcad.jvp(rbf_helper, (y,), (V,))[1], (x,), (V,))[1]

    with pytest.raises(srcad.SrcadError, match=MSG):
        second(C.copy())


@pytest.mark.parametrize("fn", [*WRONG, std_helper_square])
def test_first_derivative_and_hessian_away_from_zero_unchanged(fn):
    g = srcad.grad(fn)
    x = C + np.array([0.2, 0.1, -0.3])
    _, hv = srcad.hvp(fn, (x,), (V,))
    eps = 1e-5
    fd = (g(x + eps * V) - g(x - eps * V)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-9)
    if fn is not std_helper_square:
        np.testing.assert_array_equal(g(C.copy()), np.zeros(3))  # (the subgradient 0)


def pairwise_root(x):
    d = x[:, None, :] - x[None, :, :]
    return np.sum(np.exp(-np.sqrt(np.sum(d**2, axis=-1))))


def pairwise_hypot(x):
    r = np.hypot(x[:, None, 0] - x[None, :, 0], x[:, None, 1] - x[None, :, 1])
    return np.sum(np.exp(-r))


@pytest.mark.parametrize("fn", [pairwise_root, pairwise_hypot])
def test_zero_direction_at_a_zero_sum_keeps_its_value(fn):
    # the diagonal of a pairwise distance: its tangent is 0 too, the chain rule's 0 is right
    x = np.array([[0.1, 0.4], [-0.3, 0.2], [0.5, -0.6]])
    v = np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1]])
    _, hv = srcad.hvp(fn, (x,), (v,))
    g = srcad.grad(fn)
    eps = 1e-6
    fd = (g(x + eps * v) - g(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-8)


def test_squares_in_the_same_function_keep_their_values():
    def f(x):
        r = np.sqrt(np.sum((x - C) ** 2))
        return np.exp(-r * r) + math.hypot(x[0] - C[0], x[1] - C[1]) ** 2

    want = -2 * np.eye(3) + np.diag([2.0, 2.0, 0.0])
    np.testing.assert_allclose(srcad.hessian(f)(C.copy()), want, atol=1e-12)


def in_ifexp(x):
    h = math.hypot(x[0], x[1])
    y = h**2 if x[2] > -1.0 else h
    return y + x[2] ** 2


def test_hypot_read_in_the_branch_not_taken_is_refused_at_zero():
    # right by luck before (the branch not taken gave the hypot's rule a cotangent of 0), as
    # test_sound44's in_branch for the norm: the rule cannot tell it from exp(-h ** 2)
    with pytest.raises(srcad.SrcadError, match=MSG):
        srcad.hessian(in_ifexp)(np.zeros(3))
    x = np.array([0.3, -1.2, 0.7])
    srcad.check_grads(in_ifexp, (x,), modes=("fwd", "rev"), order=2)


def cos_abs_complex(x):
    z = x + 1j * x[::-1]
    return np.sum(np.cos(np.abs(z)))


def items_abs_complex(x):
    n = np.abs(x + 1j * x[::-1])
    return n[1] ** 2 + n[0] * n[0]


@pytest.mark.parametrize("fn", [cos_abs_complex, items_abs_complex])
def test_hessian_of_a_complex_abs_at_zero_is_refused(fn):
    with pytest.raises(srcad.SrcadError, match=r"magnitude at 0 \(np.abs of a complex value\)"):
        srcad.hessian(fn)(np.zeros(3))
    x = np.array([0.3, -0.7, 1.1])
    srcad.check_grads(fn, (x,), modes=("fwd", "rev"), order=2)


def test_complex_abs_squared_keeps_its_value_at_zero():
    def f(x):
        return np.sum(np.abs(x + 1j * x[::-1]) ** 2)

    np.testing.assert_allclose(srcad.hessian(f)(np.zeros(3)), 4 * np.eye(3), atol=1e-12)
