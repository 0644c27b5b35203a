"""Reverse mode through the unselected side of `np.where` (srcad.ad.masks): exact values, no NaN.

A cotangent that reaches a value only through the side of `np.where` the condition does not
select is exactly zero there, even where the chain's local derivative is inf or nan
(``exp(1000)``, ``0.5 / sqrt(-1)``, ``0 / 0``). Each case compares `srcad.grad` with the true
derivative, forward mode with reverse mode (the dot-product test) and both with central finite
differences at moderate points.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the primal warns: sqrt(-1)

W = np.array([1.0, -1.0])


def softplus(x):
    return np.sum(np.where(x > 0, x + np.log1p(np.exp(-np.abs(x))), np.log1p(np.exp(x))))


def safe_sqrt(x):
    return np.sum(np.where(x > 0, np.sqrt(x), 0.0))


def sinc(x):
    return np.sum(np.where(x != 0, np.sin(x) / x, 1.0))


def sqrt_on_else(x):
    return np.sum(np.where(x > 0, 0.0, np.sqrt(-x)))


def sinc_and_sin(x):  # sin(x) is also used outside the where: its own cotangent is not masked
    s = np.sin(x)
    return np.sum(np.where(x != 0, s / x, 1.0)) + np.sum(s)


def nested(x):
    return np.sum(np.where(x > 0, np.where(x < 10, np.log(x), 0.0), 0.0))


def nested_else(x):
    return np.sum(np.where(x < 0, 0.0, np.where(x > 100, 1.0, np.sqrt(x))))


def larger_cond(x, w):  # the condition (2, 3) is larger than the branch sqrt(x) (3,)
    return np.sum(np.where((x > 0) & (w[:, None] > 0), np.sqrt(x), 0.0))


def column_cond(x, w):  # the condition (2, 1) broadcasts differently from the branch (3,)
    return np.sum(np.where(w[:, None] > 0, np.log(x), 0.0))


def larger_branch(x, w):  # the branch (2, 3) is larger than the condition (3,)
    return np.sum(np.where(x > 0, np.sqrt(x * w[:, None]), 0.0))


def scalar_branch(x, w):  # a Python-float branch against an array condition
    return np.sum(np.where(w > 0, np.sqrt(x), 0.0))


def in_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.sum(np.where(x > i, np.sqrt(x - i), 0.0))
    return s


def carried(x):
    for _ in range(2):
        x = np.where(x > 0, np.sqrt(x), x)
    return np.sum(x)


def in_branch(x, flag):
    if flag:
        y = np.where(x > 0, np.sqrt(x), 0.0)
    else:
        y = x * 2.0
    return np.sum(y)


def _where_sqrt(x):
    return np.where(x > 0, np.sqrt(x), 0.0)


def helper(x):
    return np.sum(_where_sqrt(x) * 3.0)


def scalar_sqrt(x):
    return np.where(x > 0, math.sqrt(abs(x)), 0.0) * 1.0


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _grad(f, *args, **kw):
    g = srcad.grad(f, **kw)(*args)
    assert not np.any(np.isnan(g)), g
    return g


def test_softplus_at_huge_arguments():
    x = np.array([1000.0, -1000.0, 0.5])
    np.testing.assert_allclose(_grad(softplus, x), _sigmoid(x), rtol=1e-15, atol=0)
    assert _grad(softplus, x)[0] == 1.0 and _grad(softplus, x)[1] == 0.0


def test_softplus_scalar_and_moderate():
    assert _grad(softplus, 1000.0) == 1.0
    assert _grad(softplus, -1000.0) == 0.0
    x = np.array([-2.0, -0.3, 0.7, 3.0])
    np.testing.assert_allclose(_grad(softplus, x), _sigmoid(x), rtol=1e-14)
    check_grads(softplus, (x,), modes=("fwd", "rev"))


def test_sqrt_and_sinc():
    np.testing.assert_array_equal(
        _grad(safe_sqrt, np.array([-1.0, 2.0])), [0.0, 0.5 / math.sqrt(2.0)]
    )
    g = _grad(sinc, np.array([0.0, 2.0]))
    assert g[0] == 0.0
    assert g[1] == pytest.approx((2 * math.cos(2) - math.sin(2)) / 4, rel=1e-14)
    np.testing.assert_array_equal(_grad(sqrt_on_else, np.array([1.0, -4.0])), [0.0, -0.25])
    for f in (safe_sqrt, sinc, sqrt_on_else):
        check_grads(f, (np.array([-1.5, 0.4, 2.0]),), modes=("fwd", "rev"))


def test_scalar_floats():
    assert _grad(safe_sqrt, -1.0) == 0.0
    assert _grad(safe_sqrt, 2.0) == pytest.approx(0.5 / math.sqrt(2.0), rel=1e-15)
    assert _grad(sinc, 0.0) == 0.0
    assert _grad(sqrt_on_else, 1.0) == 0.0
    assert _grad(scalar_sqrt, -4.0) == 0.0
    assert _grad(scalar_sqrt, 4.0) == 0.25
    assert isinstance(_grad(safe_sqrt, -1.0), float)


def test_value_also_used_outside_the_where():
    g = _grad(sinc_and_sin, np.array([0.0, 2.0]))
    assert g[0] == 1.0  # cos(0) from the second use, nothing from the where's unselected side
    assert g[1] == pytest.approx((2 * math.cos(2) - math.sin(2)) / 4 + math.cos(2), rel=1e-14)
    check_grads(sinc_and_sin, (np.array([-1.5, 0.4, 2.0]),), modes=("fwd", "rev"))


def test_nested_wheres():
    np.testing.assert_array_equal(
        _grad(nested, np.array([-1.0, 0.0, 5.0, 20.0])), [0.0, 0.0, 0.2, 0.0]
    )
    np.testing.assert_array_equal(
        _grad(nested_else, np.array([-4.0, 4.0, 400.0])), [0.0, 0.25, 0.0]
    )
    check_grads(nested, (np.array([0.5, 3.0, 12.0]),), modes=("fwd", "rev"))


def test_condition_broadcasts_against_the_branch():
    x = np.array([-1.0, 4.0, 9.0])
    np.testing.assert_array_equal(_grad(larger_cond, x, W), [0.0, 0.25, 1 / 6])
    g = _grad(larger_cond, x, np.array([1.0, 2.0]))
    np.testing.assert_allclose(g, [0.0, 0.5, 1 / 3], rtol=1e-15)
    # a (2, 1) condition against a (3,) branch: a position is masked only when no row selects it
    x0 = np.array([0.0, 1.0, 2.0])
    np.testing.assert_array_equal(_grad(column_cond, x0, np.array([-1.0, -2.0])), [0.0] * 3)
    x1 = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(_grad(column_cond, x1, W), 1 / x1, rtol=1e-15)
    np.testing.assert_allclose(_grad(column_cond, x1, np.array([1.0, 3.0])), 2 / x1)
    # a (3,) condition against a (2, 3) branch
    w = np.array([1.0, 4.0])
    expected = [0.0] + [sum(0.5 * wi / math.sqrt(xj * wi) for wi in w) for xj in (4.0, 9.0)]
    np.testing.assert_allclose(_grad(larger_branch, x, w), expected, rtol=1e-15)
    assert _grad(scalar_branch, -1.0, np.array([-1.0, -2.0])) == 0.0
    assert _grad(scalar_branch, 4.0, np.array([1.0, -2.0])) == 0.25
    assert _grad(scalar_branch, 4.0, np.array([1.0, 2.0])) == 0.5
    for f, w_ in ((larger_cond, W), (column_cond, W), (larger_branch, w)):
        check_grads(f, (np.array([0.5, 2.0, 3.0]), w_), modes=("fwd", "rev"), wrt=(0,))


def test_where_in_a_loop_and_in_a_helper():
    x = np.array([0.5, 2.5])
    expected = [0.5 / math.sqrt(0.5), sum(0.5 / math.sqrt(2.5 - i) for i in range(3))]
    np.testing.assert_allclose(_grad(in_loop, x, 3), expected, rtol=1e-15)
    assert _grad(in_loop, x, 3)[0] == 0.5 / math.sqrt(0.5)
    check_grads(in_loop, (np.array([3.5, 4.5]), 3), modes=("fwd", "rev"))
    xc = np.array([-2.0, 16.0])
    np.testing.assert_array_equal(_grad(carried, xc), [1.0, 0.5 / 4.0 * 0.5 / 2.0])
    np.testing.assert_array_equal(_grad(helper, np.array([-1.0, 4.0])), [0.0, 0.75])
    np.testing.assert_array_equal(_grad(in_branch, np.array([-1.0, 4.0]), True), [0.0, 0.25])
    np.testing.assert_array_equal(_grad(in_branch, np.array([-1.0, 4.0]), False), [2.0, 2.0])
    check_grads(helper, (np.array([0.5, 4.0]),), modes=("fwd", "rev"))


def test_split_vjp_and_forward_mode_agree():
    x = np.array([1000.0, -1000.0, 0.5])
    out, pullback = srcad.vjp(softplus, x)
    (bx,) = pullback(2.0)
    np.testing.assert_allclose(bx, 2 * _sigmoid(x), rtol=1e-15, atol=0)
    cases = ((softplus, x), (safe_sqrt, np.array([-1.0, 2.0])), (sinc, np.array([0.0, 2.0])))
    for f, xf in cases:
        np.testing.assert_array_equal(srcad.jacfwd(f)(xf), srcad.grad(f)(xf))


def test_generated_code_masks_only_the_chain():
    src = srcad.source(sinc_and_sin, mode="grad")
    assert src.count("_srcad.where_mask(") == 1  # the truediv; sin(x) is used outside too
    assert "where_mask" not in srcad.source(lambda x: np.sum(np.sqrt(x)), mode="grad")


_SEL = np.array([True, False, False])


def _flip_then_where(x):
    return np.sum(np.where(_SEL, np.flip(x) * 2.0, 0.0))


def _concat_then_where(x):
    c = np.concatenate([x[1:], x[:1]])
    return np.sum(np.where(_SEL, np.exp(c), 0.0))


def test_masks_stop_at_ops_that_move_positions():
    # The mask belongs to positions of the where's result; a flip or a concatenation moves them,
    # so only elementwise ops are masked (masking np.flip's contribution gave [0, 0, 0]).
    x = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(srcad.grad(_flip_then_where)(x), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(srcad.grad(_concat_then_where)(x), [0.0, np.exp(0.2), 0.0])
