"""Session 37 (nan37): NaN derivatives where the true derivative is finite.

- NaN gradient, forward mode right: a write or a read in a branch of an ``if`` whose condition
  is no comparison (a bool parameter ``if flag:``, ``if m[0]:``, ``if x[1]:``) over a root's or a
  log's zero entries: `ad/branchmasks.py` took only comparisons as masks. Such a condition now
  masks by its truth value, computed again in the reverse sweep
  (``_srcad.recomputed('truth', flag)``; `UNKNOWN`, masking nothing, for a list or an object).
- NaN gradient, forward mode right: ``v = np.where(x > 0, v, 0.0)`` in a ``for`` body on the
  carried `v` (a root's), the loop's result summed, or two carries swapped (``a, b = b,
  np.where(..)``): `ad/loopmasks.py` ran only for loops whose results a where masks. The body's
  masks of its carried parameters now reach the first values where the loop runs
  (``_srcad.recomputed('range_some', a, b, s)``); where it does not, the results' masks do.
- NaN gradient, forward mode right: a loop overwriting a root's or log's zero entries other than
  by ``r[i] = v`` at its counter (session 36's `writemasks.loop_unset`): under an ``if`` in the
  body, at a tuple index (``r[i, 1]``), in nested loops, or before a break. `ad/loopwrites.py`
  makes such a loop carry a record of the positions it writes (``_srcad.unwritten(r)``,
  ``_srcad.mark_written(rec, idx)``), masking the first value there, when the body never reads
  `r` otherwise.
- NaN gradient, forward mode right: ``np.interp(1.0, xp, np.sqrt(x))`` with the 1.0 exactly on a
  knot whose neighbour's root is at 0: session 36's `interp_support` keeps a knot's neighbours
  (a varied x reads their slope). With x and xp fixed at every level (literals, globals, ops of
  them: `selmasks.fixed_interps`) the mask is the exact weights' (`condmasks.interp_weights`).
- Modes disagreeing: ``np.nanstd(a, axis=1, where=m)`` with a row `m` leaves empty: NumPy's value
  is NaN there, forward mode gave NaN, reverse mode 0 (the lowering's ``np.where(m, a, nan)``
  selects, so the NaN cotangent never reached the items left out). `where=` now lowers to
  ``_srcad.nan_unless(a, m)``, whose derivative is the product by `m`: NaN in both modes, as
  ``np.var(a, where=m)``'s; a slice with items left keeps 0 for those left out.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

V3 = np.cos(np.arange(3) + 1.0)


def _check(f, x, want, *rest):
    """grad and jvp of the scalar ``f(x, *rest)`` at the 1-D `x` against `want`."""
    v = np.cos(np.arange(len(x)) + 1.0)
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy(), *rest)
        _, t = srcad.jvp(f, (x.copy(), *rest), (v,) + (None,) * len(rest))
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    if np.all(np.isfinite(want)):
        np.testing.assert_allclose(t, np.dot(want, v), rtol=1e-5, atol=1e-6)


def _fd(f, x, *rest, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *rest) - f(x - eps * e, *rest)) / (2 * eps) for e in np.eye(len(x))]
    )


# -- 1. an ``if`` on a value that is no comparison ------------------------------------------------


def write_if_flag(x, flag):
    r = np.sqrt(x)
    if flag:
        r[1] = 0.0
    return np.sum(r)


def read_if_flag(x, flag):
    r = np.sqrt(x)
    if flag:
        y = 2.0 * x
    else:
        y = r
    return np.sum(y)


def write_if_entry(x, m):
    r = np.log(x)
    if m[1]:
        r[[0, 1]] = 0.0
    return np.sum(r)


def read_if_float(x):
    r = np.sqrt(x)
    if x[1]:  # (a float's truth: x[1] == 0 takes the else branch)
        y = r
    else:
        y = 3.0 * x
    return np.sum(y)


X3 = np.array([1.0, 0.0, 4.0])
IF_CASES = [
    (write_if_flag, (True,), [0.5, 0.0, 0.25], [0.5, np.inf, 0.25], (False,)),
    (write_if_flag, (np.float64(2.0),), [0.5, 0.0, 0.25], [0.5, np.inf, 0.25], (0,)),
    (read_if_flag, (True,), [2.0, 2.0, 2.0], [0.5, np.inf, 0.25], (False,)),
    (write_if_entry, (np.array([False, True]),), [0.0, 0.0, 0.25], None, None),
    (read_if_float, (), [3.0, 3.0, 3.0], None, None),
]


@pytest.mark.parametrize("f, rest, want, used, rest_used", IF_CASES)
def test_if_on_truth_value_masks_branch(f, rest, want, used, rest_used):
    """The branch taken never reads the root's zero entry (or overwrites it): derivative 0 there;
    with the other branch taken the infinite derivative is the truth and stays."""
    _check(f, X3, np.array(want), *rest)
    away = X3 + 0.25 * (X3 == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(
            srcad.grad(f)(away, *rest), _fd(f, away, *rest), rtol=1e-5, atol=1e-6
        )
    if used is not None:
        with np.errstate(all="ignore"):
            g = srcad.grad(f)(X3.copy(), *rest_used)
        np.testing.assert_array_equal(g, used)


def test_if_on_truth_value_hessian():
    with np.errstate(all="ignore"):
        h = srcad.hessian(read_if_flag)(X3.copy(), True)
        h2 = srcad.hessian(write_if_flag)(X3.copy(), True)
    np.testing.assert_array_equal(h, np.zeros((3, 3)))
    np.testing.assert_allclose(h2, np.diag([-0.25, 0.0, -1 / 32]))


def test_if_on_list_masks_by_its_length():
    """A list's truth is not its entries' but whether it is empty (nan38: the mask is its
    length's; it was `UNKNOWN`, a NaN gradient)."""
    with np.errstate(all="ignore"):
        g = srcad.grad(write_if_flag)(X3.copy(), [0])
        g_empty = srcad.grad(write_if_flag)(X3.copy(), [])
    assert g[1] == 0.0 and g[0] == 0.5
    assert g_empty[1] == np.inf


# -- 3. a where on the carried value in a loop body -----------------------------------------------


def where_in_body(x, n=2):
    v = np.sqrt(x)
    for _ in range(n):
        v = np.where(x > 0, v, 0.0)
        v = v * 2.0
    return np.sum(v)


def where_swapped(x):
    a = np.sqrt(x)
    b = np.log(x + 1.0) + np.sqrt(x)
    for _ in range(2):
        a, b = b, np.where(x > 0, a, 0.0)
    return np.sum(b)


LOOP_CASES = [
    (where_in_body, (), [2.0, 0.0, 1.0]),
    (where_in_body, (1,), [1.0, 0.0, 0.5]),
    (where_swapped, (), [1.0, 0.0, 0.45]),
]


@pytest.mark.parametrize("f, rest, want", LOOP_CASES)
def test_where_on_loop_carry_masks_first_value(f, rest, want):
    _check(f, X3, np.array(want), *rest)
    away = X3 + 0.25 * (X3 == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(
            srcad.grad(f)(away, *rest), _fd(f, away, *rest), rtol=1e-5, atol=1e-6
        )
        h = srcad.hessian(f)(X3.copy(), *rest)
    assert np.all(np.isfinite(h))


def test_loop_not_running_keeps_infinite_derivative():
    """``range(0)``: the root reaches the sum unmasked; its infinite derivative is the truth."""
    with np.errstate(all="ignore"):
        g = srcad.grad(where_in_body)(X3.copy(), 0)
    np.testing.assert_array_equal(g, [0.5, np.inf, 0.25])


def test_loop_reading_carry_unmasked_keeps_infinite_derivative():
    def f(x):
        v = np.sqrt(x)
        s = 0.0
        for _ in range(2):
            s = s + np.sum(v)
            v = np.where(x > 0, v, 0.0)
        return np.sum(v) + s

    with np.errstate(all="ignore"):
        g = srcad.grad(f)(X3.copy())
    assert np.isinf(g[1]) and g[0] == 1.5


# -- 2. a loop's writes: conditional, by a tuple index, nested, with a break ---------------------


def loop_if_write(x):
    r = np.log(x)
    for i in range(4):
        if x[i] <= 0:
            r[i] = 0.0
    return np.sum(r * r) + np.sum(r)


def loop_tuple_write(x):
    r = np.sqrt(x.reshape(2, 2))
    for i in range(2):
        r[i, 1] = 1.0
    return np.sum(r)


def nested_write(x):
    r = np.sqrt(x.reshape(2, 2))
    for i in range(2):
        for j in range(2):
            if x[2 * i + j] == 0:
                r[i, j] = 1.0
    return np.sum(r)


def write_then_break(x):
    r = np.sqrt(x)
    for i in range(4):
        r[i] = 1.0
        if i == 1:
            break
    return np.sum(r)


def write_unless_break(x):
    r = np.sqrt(x)
    for i in [1, 3]:
        if x[i] > 0.5:  # (x[3] = 2: breaks after writing r[1]; session 36 masked nothing)
            break
        r[i] = 1.0
    return np.sum(r)


def write_by_list(x, idx):
    r = np.sqrt(x)
    for k in range(len(idx)):
        if k >= 0:
            r[idx[k]] = 2.0
    return np.sum(r)


X4 = np.array([1.0, 0.0, 4.0, 2.0])
S2 = 1 / (2 * np.sqrt(2.0))
WRITE_CASES = [
    (loop_if_write, (), [1.0, 0.0, 0.25 + 2 * np.log(4.0) / 4, 0.5 + np.log(2.0)]),
    (loop_tuple_write, (), [0.5, 0.0, 0.25, 0.0]),
    (nested_write, (), [0.5, 0.0, 0.25, S2]),
    (write_then_break, (), [0.0, 0.0, 0.25, S2]),
    (write_by_list, ([1, 3],), [0.5, 0.0, 0.25, 0.0]),
    (write_unless_break, (), [0.5, 0.0, 0.25, S2]),
]


@pytest.mark.parametrize("f, rest, want", WRITE_CASES)
def test_loop_write_over_singular_entries(f, rest, want):
    _check(f, X4, np.array(want), *rest)
    away = X4 + 0.25 * (X4 == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(
            srcad.grad(f)(away, *rest), _fd(f, away, *rest), rtol=1e-5, atol=1e-6
        )
        h = srcad.hessian(f)(X4.copy(), *rest)
    assert np.all(np.isfinite(h))
    np.testing.assert_allclose(h, h.T)


def test_loop_write_elsewhere_keeps_infinite_derivative():
    """A loop that does not overwrite the zero entry (or reads `r` first) keeps its inf."""

    def elsewhere(x):
        r = np.sqrt(x)
        for i in range(4):
            if x[i] > 3:
                r[i] = 0.0
        return np.sum(r)

    def read_first(x):
        r = np.sqrt(x)
        s = 0.0
        for i in range(4):
            s = s + r[i]
            r[i] = 1.0
        return np.sum(r) + s

    with np.errstate(all="ignore"):
        g1 = srcad.grad(elsewhere)(X4.copy())
        g2 = srcad.grad(read_first)(X4.copy())
        g3 = srcad.grad(write_by_list)(X4.copy(), [0, 3])
    np.testing.assert_array_equal(g1, [0.5, np.inf, 0.0, S2])
    np.testing.assert_array_equal(g2, [0.5, np.inf, 0.25, S2])
    np.testing.assert_array_equal(g3, [0.0, np.inf, 0.25, 0.0])


# -- 5. np.interp exactly on a knot -----------------------------------------------------------------

XP = np.array([0.0, 1.0, 2.0, 3.0])


def interp_on_knot(x):
    xp = np.array([0.0, 1.0, 2.0, 3.0])
    return np.interp(1.0, xp, np.sqrt(x))


def interp_global_knots(x):
    return np.sum(np.interp(np.array([1.0, 0.5, -1.0]), XP, np.sqrt(x)) * np.array([1, 2, 3]))


def interp_varied_x(x):
    return np.interp(x[0] - 3.0, XP, np.sqrt(x))  # (x[0] = 4: on knot 1)


X4I = np.array([4.0, 1.0, 0.0, 0.0])


@pytest.mark.parametrize(
    "f, want",
    [
        (interp_on_knot, [0.0, 0.5, 0.0, 0.0]),
        (interp_global_knots, [0.25 + 0.75, 0.5 + 0.5, 0.0, 0.0]),
    ],
)
def test_interp_on_knot_with_fixed_x(f, want):
    _check(f, X4I, np.array(want))
    away = X4I + 0.25 * (X4I == 0)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(away), _fd(f, away), rtol=1e-5, atol=1e-6)
        h = srcad.hessian(f)(X4I.copy())
    assert np.all(np.isfinite(h))


def test_interp_on_knot_keeps_the_truth():
    """The knot's own root at 0: infinite; a varied x on a knot reads its neighbours' slope,
    so their mask stays (NaN, as before: not a wrong 0)."""
    with np.errstate(all="ignore"):
        g = srcad.grad(interp_on_knot)(np.array([4.0, 0.0, 1.0, 1.0]))
        g2 = srcad.grad(interp_varied_x)(X4I.copy())
    assert np.isinf(g[1]) and g[0] == 0.0 and g[2] == 0.0
    assert np.isnan(g2[2]) and g2[3] == 0.0


# -- 7. nanvar/nanstd with where= emptying a slice ---------------------------------------------------

ROWS = np.array([[True, True], [False, False]])


def nanstd_empty_row(x):
    return np.nanstd(x.reshape(2, 2), axis=1, where=ROWS)[1]


def nanvar_rows(x):
    return np.nansum(np.nanvar(x.reshape(2, 2), axis=1, where=ROWS) * np.array([1.0, 3.0]))


def nanvar_log_where(x):
    return np.nanvar(np.log(x), where=x > 0)


def test_nanvar_where_empty_slice_nan_in_both_modes():
    x = np.array([1.0, 3.0, 4.0, 2.0])
    v = np.cos(np.arange(4) + 1.0)
    with np.errstate(all="ignore"):
        g = srcad.grad(nanstd_empty_row)(x.copy())
        _, t = srcad.jvp(nanstd_empty_row, (x.copy(),), (v,))
        assert np.isnan(nanstd_empty_row(x))
    assert np.isnan(t)
    np.testing.assert_array_equal(np.isnan(g), [False, False, True, True])  # (row 0: 0)
    assert np.isnan(np.dot(g, v))  # (<J^T u, v> = <u, J v>: NaN both)


@pytest.mark.parametrize(
    "f, x",
    [(nanvar_rows, np.array([1.0, 3.0, 4.0, 2.0])), (nanvar_log_where, X4.copy())],
)
def test_nanvar_where_items_left_out_get_zero(f, x):
    """Slices with items left: those `where=` leaves out get 0, also after a log of 0 there."""
    v = np.cos(np.arange(4) + 1.0)
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy())
        _, t = srcad.jvp(f, (x.copy(),), (v,))
        away = x + 0.25 * (x == 0)
        np.testing.assert_allclose(srcad.grad(f)(away), _fd(f, away), rtol=1e-5, atol=1e-6)
    assert np.all(np.isfinite(g)) and g[1 if f is nanvar_log_where else 2] == 0.0
    np.testing.assert_allclose(t, np.dot(g, v), rtol=1e-10)
