"""Session 49's soundness fixes: second derivatives at an abs's exact 0, and of roots of sums a
loop accumulates. A smooth function of ``r = |d|`` (``(1 + r) * np.exp(-r)``: Hessian -1 per
entry at ``d = 0``), ``np.dot(np.abs(d), np.abs(d))`` of a ``d`` of unknown rank (2), a
nonlinear one with a kink there (``(1 + |x|) ** 2``, ``np.linalg.norm(x, 1) ** 2``: none) all
gave 0 in the six second-order modes, as did ``np.maximum(x, -x)`` and ``np.sign(x) * x``
(``|x|`` written out), ``math.fabs`` and ``abs`` in loops: now refused where ``x == 0`` along
a nonzero direction (rules/root_at0.py's check, ad/abscheck.py). L1 penalties, the mean
absolute error and Huber's loss (linear in ``|d|``: 0 there, as JAX answers), ``np.abs(x) **
2`` (smooth: 2) and ``|x| ** 3`` (0) stay accepted and right. Reverse over reverse of a
function of ``math.sqrt(d)`` of a sum a loop accumulates (``d += v * v``, ``sum(v * v for v
in ...)``) gave 0 at its centre: refused as the other modes were."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

C = np.array([0.3, -0.2, 0.5])
_V = np.array([0.6, -0.3, 0.8])
_OFF = np.array([0.1, 0.2, -0.3])
_Z = np.zeros(3)


def _mat(r):
    return (1 + r) * np.exp(-r)


def mat_abs(x):
    r = np.abs(x - C)
    return np.sum((1 + r) * np.exp(-r))


def dot_abs(x):
    d = x - C
    return np.dot(np.abs(d), np.abs(d))


def dot_abs_two(x):
    return np.dot(np.abs(x), np.abs(x * 1.0))


def fabs_loop(x):
    s = 0.0
    for v in x:
        r = math.fabs(v)
        s += (1 + r) * math.exp(-r)
    return s


def abs_loop(x):
    s = 0.0
    for v in x:
        r = abs(v)
        s = s + (1 + r) * math.exp(-r)
    return s


def absolute_fn(x):
    return np.sum(_mat(np.absolute(x)))


def np_fabs(x):
    return np.sum(_mat(np.fabs(x)))


def norm1_sq(x):
    return np.linalg.norm(x, 1) ** 2


def max_neg(x):
    return np.sum(_mat(np.maximum(x, -x)))


def sign_times(x):
    return np.sum(_mat(np.sign(x) * x))


def one_plus_sq(x):
    r = np.abs(x)
    return np.sum((1 + r) ** 2)


def inv_one_plus(x):
    return np.sum(1.0 / (1.0 + np.abs(x)))


def mat_written(x):
    pen = np.zeros(x.size)
    for i in range(x.size):
        pen[i] = abs(x[i])
    return np.sum(np.exp(-pen) * (1 + pen))


def root_gen(x):
    r = math.sqrt(sum(v * v for v in x - C))
    return (1 + r) * math.exp(-r)


def root_loop(x):
    d = 0.0
    for v in x - C:
        d += v * v
    r = math.sqrt(d)
    return (1 + r) * math.exp(-r)


def _l1(w):
    return 0.7 * np.sum(np.abs(w))


def l1_helper_sq(x):
    return _l1(x) ** 2


def _mat_of_abs(v):
    r = np.abs(v)
    return (1 + r) * np.exp(-r)


def mat_helper(x):
    return np.sum(_mat_of_abs(x - C))


def _abs_of(v):
    return np.abs(v)


def abs_from_helper(x):
    return np.sum(_mat(_abs_of(x - C)))


# (function, its zero: where the magnitude is 0 in every entry)
WRONG = [
    (mat_abs, C), (dot_abs, C), (dot_abs_two, _Z), (fabs_loop, _Z), (abs_loop, _Z),
    (absolute_fn, _Z), (np_fabs, _Z), (norm1_sq, _Z), (max_neg, _Z), (sign_times, _Z),
    (one_plus_sq, _Z), (root_gen, C), (root_loop, C), (l1_helper_sq, _Z), (mat_helper, C),
    (abs_from_helper, C), (inv_one_plus, _Z), (mat_written, _Z),
]  # fmt: skip


def _hessian(f, x):
    return srcad.hessian(f)(x.copy()) @ _V


def _hvp(f, x):
    return srcad.hvp(f, (x.copy(),), (_V,))[1]


def _grad_grad(f, x):
    def inner(y):
        return np.sum(srcad.grad(f)(y) * _V)

    return srcad.grad(inner)(x.copy())


def _grad_jvp(f, x):
    def inner(y):
        return srcad.jvp(f, (y,), (_V,))[1]

    return srcad.grad(inner)(x.copy())


def _jvp_grad(f, x):
    return srcad.jvp(srcad.grad(f), (x.copy(),), (_V,))[1]


def _jvp_jvp(f, x):
    def row(e):
        def inner(y):
            return srcad.jvp(f, (y,), (e,))[1]

        return srcad.jvp(inner, (x.copy(),), (_V,))[1]

    return np.array([row(e) for e in np.eye(x.size)])


MODES = [_hessian, _hvp, _grad_grad, _grad_jvp, _jvp_grad, _jvp_jvp]
_IDS = [m.__name__[1:] for m in MODES]


def _fd_hv(f, x, v, h=1e-5):
    """Central differences of the gradient along `v`."""
    g = srcad.grad(f)
    return (g(x + h * v) - g(x - h * v)) / (2 * h)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f, x0", WRONG, ids=[f.__name__ for f, _ in WRONG])
def test_at_zero_refused(f, x0, mode):
    """These gave 0 (the Hessian is -1, 2 per entry, or none at a kink of a nonlinear g)."""
    with pytest.raises(srcad.SrcadError, match="at 0"):
        mode(f, x0)


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f, x0", WRONG, ids=[f.__name__ for f, _ in WRONG])
def test_away_from_zero_right(f, x0, mode):
    x = x0 + _OFF
    np.testing.assert_allclose(mode(f, x), _fd_hv(f, x, _V), rtol=1e-5, atol=1e-6)


def test_entry_at_zero_not_moved_accepted():
    """At a zero the direction does not move the answer is right (the abs's entry is 0)."""
    x = C + np.array([0.0, 0.2, -0.3])
    v = np.array([0.0, -0.3, 0.8])
    got = srcad.hvp(mat_abs, (x,), (v,))[1]
    np.testing.assert_allclose(got, _fd_hv(mat_abs, x, v), rtol=1e-5, atol=1e-6)


_W0 = np.array([0.0, 0.4, 0.0])


def lasso(x):
    return 0.5 * np.sum((x - C) ** 2) + 0.7 * np.sum(np.abs(x))


def lasso_loop(x):
    s = 0.5 * np.sum((x - C) ** 2)
    for v in x:
        s = s + 0.7 * abs(v)
    return s


def lasso_helper(x):
    return 0.5 * np.sum((x - C) ** 2) + _l1(x)


def lasso_written(x):
    pen = np.zeros(x.size)
    for i in range(x.size):
        pen[i] = abs(x[i])
    return 0.5 * np.sum((x - C) ** 2) + 0.7 * np.sum(pen)


def mae(x):
    return np.mean(np.abs(x - C))


def huber(x):
    r = x - C
    a = np.abs(r)
    return np.sum(np.where(a <= 1.0, 0.5 * r**2, 1.0 * (a - 0.5)))


def huber_sq(x):
    a = np.abs(x - C)
    return np.sum(np.where(a <= 1.0, 0.5 * a**2, a - 0.5))


def abs_sq(x):
    return np.sum(np.abs(x) ** 2)


def abs_mul(x):
    return np.sum(np.abs(x) * np.abs(x))


def abs_cube(x):
    return np.sum(np.abs(x) ** 3)


def abs_cube_loop(x):
    s = 0.0
    for v in x:
        s += abs(v) ** 3
    return s


def exp_abs_cube(x):
    return np.exp(-np.sum(np.abs(x) ** 3))


# (function, point, the Hessian times _V there: JAX's answer at the L1 family's kinks, the
# true Hessian where the function is twice differentiable)
KEPT = [
    (lasso, _W0, _V), (lasso_loop, _W0, _V), (lasso_helper, _W0, _V),
    (lasso_written, _W0, _V), (mae, C, 0 * _V), (huber, C, _V),
    (huber_sq, C, _V), (abs_sq, _Z, 2 * _V), (abs_mul, _Z, 2 * _V), (abs_cube, _Z, 0 * _V),
    (abs_cube_loop, _Z, 0 * _V), (exp_abs_cube, _Z, 0 * _V),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES, ids=_IDS)
@pytest.mark.parametrize("f, x, want", KEPT, ids=[f.__name__ for f, _, _ in KEPT])
def test_linear_and_smooth_kept(f, x, want, mode):
    np.testing.assert_allclose(mode(f, x), want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("f, x, want", KEPT[5:], ids=[f.__name__ for f, _, _ in KEPT[5:]])
def test_kept_smooth_match_differences(f, x, want):
    """Where the function is twice differentiable the answer is its Hessian."""
    np.testing.assert_allclose(_fd_hv(f, x, _V, 1e-6), want, atol=1e-5)
