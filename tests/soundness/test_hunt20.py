"""Wrong results found by hunt20 (session 20), each fixed and checked here against central
differences (and the reverse mode against the forward mode).

Two ways users patch the entries of an array where a formula is singular gave nan gradients
(the forward mode was right), and a clamp written as a masked write, ``y[y < 0] = 0.0`` before
``np.sqrt(y)`` (or ``np.arccos``, ``y ** 0.5``), gave nan JVPs (and Hessians):

- a write under a boolean mask of the bad entries, ``r = a / b; r[np.isnan(r)] = 0.0`` (also
  ``r[~np.isfinite(r)] = 0``, ``r[A < 0] = 0`` after ``np.sqrt(A)``): the write zeroes the
  cotangent of the old `r` there, but the reverse sweep then multiplied that 0 by the division's
  local derivative, ``0 * r / b`` with ``r = nan``, ``b = 0``: nan. `srcad.ad.masks` now treats
  ``x[m] = v`` with a boolean `m` (a comparison's or a logical op's result) as the unselected side
  of a ``np.where``: the old `x`'s contributions are masked where `m` writes
  (``_srcad.unset_mask(x, m)``), and so are writes at ``np.nonzero(m)`` or ``np.where(m)``;
- ``np.select([c0, c1], [np.sqrt(x - 1), np.log(x)], default=..)``: each choice's cotangent is
  zero where it is not chosen, and the sweep multiplied it by ``0.5 / sqrt(-1)`` or ``1 / 0``.
  The choices (and the default) are now masked like the sides of a ``np.where``: the item ``vk``
  where ``ck`` holds and no earlier condition does, the default where none holds;
- the forward mode's zero tangents (`srcad.ad.fmasks`) know ``u[m] = 0.0`` with a boolean `m`
  and a value that is not differentiated, like ``np.where(m, 0.0, u)``: the tangent of a singular
  op's result is zero where every varied operand's is (``0 * inf`` was nan).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

ZEROS = np.array([1.0, 0.0, 2.0, 0.0])
X8 = np.array([0.3, 0.7, 1.1, 0.4, 0.9, 1.2, 0.8, 1.5])


def isnan_patched(x):
    a = x[:4] * np.array([1.0, 0.0, 1.0, 0.0])
    b = x[4:] * ZEROS
    with np.errstate(invalid="ignore", divide="ignore"):
        r = a / b
    r[np.isnan(r)] = 0.0
    return np.sum(r**2)


def nonfinite_patched(x):
    b = x[4:] * ZEROS
    with np.errstate(divide="ignore"):
        r = 1.0 / b
    r[~np.isfinite(r)] = 0.0
    return np.sum(r)


def sqrt_patched_2d(A):
    r = np.sqrt(A)
    r[A < 0] = 0.0
    r[:, 0] = 1.0
    return np.sum(r * A)


def select_guard(x):
    return np.sum(np.select([x > 1, x > 0], [np.sqrt(x - 1), np.log(x)], default=0.0))


def select_default(x):
    return np.sum(np.select([x < 0.0, x > 2.0], [x**2, np.sqrt(x - 2.0)], default=np.log(x)))


def select_tuples_in_loop(x):
    s = 0.0
    for k in range(2):
        y = x * (k + 1)
        s += np.sum(np.select((y < 0.0, y < 1.0), (y**2, np.sqrt(y)), np.log(y)))
    return s


def select_list_read_twice(x):
    ys = [np.sqrt(x), np.log(x)]
    out = np.select([x > 0], ys[:1], default=0.0)
    return np.sum(out) + np.sum(ys[1][x > 0])  # the list is read again: not masked by item


def clamped_by_mask_sqrt(x):
    y = x.copy()
    y[y < 0] = 0.0
    return np.sum(np.sqrt(y) * x)


def clamped_both_sides_arccos(x):
    c = x * 0.8
    c[c > 1] = 1.0
    c[c < -1] = -1.0
    return np.sum(np.arccos(c))


def clamped_in_loop_pow(x):
    s = 0.0
    for k in range(3):
        y = x - 0.3 * k
        y[y < 0] = 0.0
        s += np.sum(y**0.5)
    return s


def patched_at_nonzero(x):
    r = np.sqrt(x)
    r[np.nonzero(x < 0)] = 0.0
    return np.sum(r * x)


def clamped_at_where_positions(x):
    y = x * 1.5
    y[np.where(y < 0)] = 0.0
    return np.sum(np.sqrt(y))


V = np.array([-0.3, 0.7, 2.1, 0.4, 3.0])
CASES = [
    (patched_at_nonzero, V),
    (clamped_at_where_positions, V),
    (clamped_by_mask_sqrt, V),
    (clamped_both_sides_arccos, V),
    (clamped_in_loop_pow, V),
    (isnan_patched, X8),
    (nonfinite_patched, X8),
    (sqrt_patched_2d, np.array([[-0.3, 0.7, 2.1], [0.1, -0.3, 0.5]])),
    (select_guard, np.array([-0.3, 0.7, 2.1, 0.4])),
    (select_default, V),
    (select_tuples_in_loop, V),
]


def _fd(f, x, v, eps=1e-6):
    return (f(x + eps * v) - f(x - eps * v)) / (2 * eps)


@pytest.mark.parametrize("f, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradient_is_finite_and_right(f, x) -> None:
    g = srcad.grad(f)(x.copy())
    assert np.all(np.isfinite(g)), g  # nan before
    v = np.random.default_rng(0).standard_normal(x.shape)
    np.testing.assert_allclose(np.sum(g * v), _fd(f, x, v), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_reverse_and_second_order(f, x) -> None:
    check_grads(f, (x.copy(),), modes=("fwd", "rev"))
    v = np.random.default_rng(1).standard_normal(x.shape)
    g, hv = srcad.hvp(f, (x.copy(),), (v,))
    assert np.all(np.isfinite(hv)), hv
    grad = srcad.grad(f)
    np.testing.assert_allclose(hv, _fd(grad, x, v, 1e-5), rtol=1e-4, atol=1e-6)


def test_patch_mask_where_the_index_is_no_mask() -> None:
    """``r[idx] = v`` with an integer index (not a comparison): masked only when a singular op
    made `r` (`ad/writemasks.py`, session 35: ``np.log(x)`` is infinite at 0 there); a write
    into another value keeps the masking-free sweep."""

    def f(x):
        r = np.log(x)
        r[np.array([0, 2])] = 0.0
        return np.sum(r * x)

    def h(x):
        r = np.exp(x)
        r[np.array([0, 2])] = 0.0
        return np.sum(r * x)

    x = np.array([0.5, 1.5, 2.0])
    assert "unset_mask" in srcad.source(f, mode="grad")
    assert "unset_mask" not in srcad.source(h, mode="grad")
    check_grads(f, (x,), modes=("fwd", "rev"))
    check_grads(h, (x,), modes=("fwd", "rev"))


def test_select_whose_choice_list_is_read_again() -> None:
    """A choice list read elsewhere too is not masked item by item (the other read needs the
    whole cotangent); the result is still right where it is finite."""
    x = np.array([0.5, 1.5, 2.0])
    check_grads(select_list_read_twice, (x,), modes=("fwd", "rev"))


def test_unset_mask_runtime() -> None:
    from srcad.runtime import unset_mask

    x = np.zeros((2, 3))
    np.testing.assert_array_equal(unset_mask(x, x > 1), np.ones((2, 3), bool))
    np.testing.assert_array_equal(unset_mask(x, np.array([True, False])), [[False] * 3, [True] * 3])
    np.testing.assert_array_equal(unset_mask(x, (slice(None), 0)), [[False, True, True]] * 2)
    assert unset_mask([1.0, 2.0], 0) is True
    assert unset_mask(x, np.array([True, False, True])) is True  # (not an index of x)
