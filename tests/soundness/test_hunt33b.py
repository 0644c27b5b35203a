"""Soundness fixes of session 33's hunt33b: simulations as users write them, and derivatives
taken inside differentiated code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

# -- swapping two elements of a velocity array made by ``np.array([...])``, inside a loop ---------
# ``v[0], v[1] = v[1], v[0]`` routes the written value through `_srcad.copy_source` (it may be a
# view of `v`); the mutation check did not know that the copy of a number is a number, so the
# loop's `v` lost "1-D array of numbers" and the swap of an elastic collision was refused as a
# read of a view after its array changed ("a value is read after the object it shares with
# another name is modified"). Now the swap is accepted and differentiated.


def swap_in_loop(p):
    v = np.array([p[0], -p[1]])
    for _ in range(3):
        v[0], v[1] = v[1], v[0]
        v = v * 1.1
    return v[0] * v[1] ** 2


def collision_swap(p):
    x = np.array([0.0, 1.0])
    v = np.array([p[0], -p[1]])
    for _ in range(30):
        x = x + 0.05 * v
        if abs(x[1] - x[0]) < 0.1:
            v[0], v[1] = v[1], v[0]
    return x[0] ** 2 + 3 * x[1] + v[0] * v[1]


def collision_swap_temp(p):
    x = np.array([0.0, 1.0])
    v = np.array([p[0], -p[1]])
    for _ in range(30):
        x = x + 0.05 * v
        if abs(x[1] - x[0]) < 0.1:
            a = v[0]
            v[0] = v[1]
            v[1] = a
    return x[0] ** 2 + 3 * x[1] + v[0] * v[1]


def swap_then_clip(p):
    v = np.array([p[0], -p[1]])
    for _ in range(3):
        v[0], v[1] = v[1], v[0]
        v = np.clip(v, -2.0, 2.0)
    return v[0] * v[1] ** 2


def swap_then_copy(p):
    v = np.array([p[0], -p[1]])
    for _ in range(3):
        v[0], v[1] = v[1], v[0]
        v = v.copy()
    return v[0] * v[1] ** 2


def swap_then_where(p):
    v = np.array([p[0], -p[1]])
    for _ in range(3):
        v[0], v[1] = v[1], v[0]
        v = np.where(v > 0, v, 0.5 * v)
    return v[0] * v[1] ** 2


@pytest.mark.parametrize(
    "f",
    [
        swap_in_loop,
        collision_swap,
        collision_swap_temp,
        swap_then_clip,
        swap_then_copy,
        swap_then_where,
    ],
)
def test_element_swap_in_loop(f):
    check_scalar(f, np.array([0.83, 0.41]))


def swap_rows_of_views(p):
    M = np.array([[p[0], 1.0], [p[1], 2.0]])
    for _ in range(2):
        M[0], M[1] = M[1], M[0]  # NumPy's trap: rows are views, both become the old M[1]
        M = M * 1.1
    return np.sum(M * np.array([[1.0, 2.0], [3.0, 4.0]]))


def test_swap_of_row_views_still_refused():
    with pytest.raises(srcad.SrcadError, match="read after the object it shares"):
        srcad.grad(swap_rows_of_views)(np.array([0.83, 0.41]))


# -- a method of an object made in the function, called in a `srcad.checkpoint_loop` body -------
# The check that a checkpointed body gives the same values when it runs again resolved calls with
# the classes of the parameters only, so ``cell = Cell(w)`` then ``h = cell(h)`` (or
# ``cell.step(h)``) in the loop was refused ("srcad cannot tell which function this call ...
# runs"), though the same loop without the marker, or with `cell` passed in, is differentiated;
# so was ``c = Cell(w)`` inside a `srcad.checkpoint` function (the constructor itself). The
# classes of ``C(...)`` results are known there now and a constructor is followed into its
# ``__init__`` (ad/objclasses.py); a method or ``__init__`` that draws random numbers is still
# refused.


class Cell:
    def __init__(self, w):
        self.w = w

    def __call__(self, h):
        return np.tanh(self.w * h) + 0.5 * h

    def step(self, h):
        return np.sin(self.w * h) + 0.5 * h


class Decay:
    def __init__(self, w):
        self.w = w
        self.n = 0

    def __call__(self, h):
        self.w = self.w * 0.9
        self.n += 1
        return np.tanh(self.w * h) + 0.5 * h


class Noisy:
    def __init__(self, w):
        self.w = w
        self.rng = np.random.default_rng(0)

    def __call__(self, h):
        return np.tanh(self.w * h) + 0.1 * self.rng.normal(size=h.shape)


def checkpointed_call(p):
    cell = Cell(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5)):
        h = cell(h)
    return np.sum(h**3)


def checkpointed_method(p):
    cell = Cell(p[1])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell.step(h)
    return np.sum(h**3)


def checkpointed_stateful(p):
    cell = Decay(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell(h)
    return np.sum(h**3) + cell.w * cell.n


def checkpointed_noisy(p):
    cell = Noisy(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell(h)
    return np.sum(h**3)


def two_cells(h, w):
    c = Cell(w)
    return c(c(h))


def checkpointed_function_builds_object(p):
    blk = srcad.checkpoint(two_cells)
    h = p
    for _ in range(3):
        h = blk(h, p[0])
    return np.sum(h**2)


class NoisyInit:
    def __init__(self, w):
        self.w = w + 0.1 * np.random.normal()

    def __call__(self, h):
        return np.tanh(self.w * h)


def checkpointed_noisy_init(p):
    np.random.seed(0)
    h = p
    for _ in srcad.checkpoint_loop(range(4), every=2):
        c = NoisyInit(p[0])
        h = c(h)
    return np.sum(h**2)


@pytest.mark.parametrize(
    "f",
    [
        checkpointed_call,
        checkpointed_method,
        checkpointed_stateful,
        checkpointed_function_builds_object,
    ],
)
def test_checkpoint_loop_calls_method_of_local_object(f):
    check_scalar(f, np.array([0.4, 0.7]))


@pytest.mark.parametrize("f", [checkpointed_noisy, checkpointed_noisy_init])
def test_checkpoint_loop_noisy_method_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="checkpoint_loop"):
        srcad.grad(f)(np.array([0.4, 0.7]))


# -- ``for q in ps: q["x"] = ...`` and a ``key=lambda q: ...`` elsewhere in the function --------
# The loop that writes into the items of a list is rewritten to write into ``ps[i]`` only when
# its `q` is used nowhere else in the function; a lambda's (or nested function's) own parameter
# `q` counted as such a use, so sorting the particles with ``key=lambda q: q["x"]`` after the
# update loop made srcad refuse the loop ("an element of a container (read here) is read after
# the object it shares with another name is modified"). Renaming the lambda's parameter made it
# work; now the lambda's own `q` is told apart (lower/loopitems.py).


def update_then_sort(p):
    ps = [{"x": p[i], "v": 0.0} for i in range(len(p))]
    for q in ps:
        q["v"] -= 0.1 * q["x"] ** 3
        q["x"] += 0.1 * q["v"]
    ps = sorted(ps, key=lambda q: q["x"])
    return sum((k + 1) * q["x"] for k, q in enumerate(ps))


def update_then_key_function(p):
    def by_x(q, scale=p[0]):
        return q["x"] * scale

    ps = [{"x": p[i], "v": p[i] * 0.5} for i in range(len(p))]
    for q in ps:
        q["x"] = q["x"] + 0.1 * q["v"] ** 2
    return max(by_x(r) for r in ps) + sum(r["x"] for r in ps)


@pytest.mark.parametrize("f", [update_then_sort, update_then_key_function])
def test_item_loop_with_lambda_of_same_name(f):
    check_scalar(f, np.array([0.4, -0.7, 0.1]))


def reads_loop_name_later(p):
    ps = [[p[i], 0.0] for i in range(len(p))]
    for q in ps:
        q[0] = q[0] * 2.0
    f = lambda r: r[0] + q[0]  # `q` here is the loop's last item, so not rewritten
    return f(ps[0]) + ps[1][0]


def test_item_loop_name_read_by_lambda_still_follows_python():
    x = np.array([0.4, -0.7, 0.1])
    try:
        v, g = srcad.value_and_grad(reads_loop_name_later)(x.copy())
    except srcad.SrcadError:
        return  # refused: fine
    np.testing.assert_allclose(v, reads_loop_name_later(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(g, [2.0, 2.0, 2.0], rtol=1e-12)


# -- ``x[None][0]``: a row of a view with a new axis is `x` itself, not a number ----------------
# The mutation check knows that ``a[i]`` of a 1-D array made in the function is a number (a
# copy). ``x[None]`` is a view of that same array with a new leading axis, so ``x[None][0]`` is
# `x` itself, a view; the check took it for a number, and after ``x += v`` srcad read the old
# values where Python reads the new ones: a wrong value and gradient with no error (3.06 where
# Python gives 4.69). An index with ``None`` now makes the array's elements unknown to be
# numbers, and such a read after an update is refused (passes/alias_index.index_read).


def newaxis_row_then_update(p):
    x = p * 1.0
    y = x[None][0]
    x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + x[0]


def newaxis_slice_row_then_update(p):
    x = p * 1.0
    y = x[np.newaxis, :][0]
    x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + x[0]


def column_view_row_then_update(p):
    x = p * 1.0
    y = x[:, None][0]  # a (1,) view of x[0]
    x += 1.0
    return np.sum(y) * p[1] + x[0]


def newaxis_ellipsis_row_then_update(p):
    x = p * 1.0
    y = x[None, ...][0]
    x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + x[0]


def newaxis_row_written(p):
    x = p * 1.0
    y = x[None][0]
    y[0] = 7.0
    return np.sum(x * np.array([1.0, 3.0]))


def newaxis_index_tuple(p):
    x = p * 1.0
    idx = (None, slice(None))
    y = x[idx][0]
    x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + x[0]


def newaxis_view_in_tuple(p):
    x = p * 1.0
    t = (x[None],)
    y = t[0][0]
    x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + x[0]


def newaxis_in_loop(p):
    x = p * 1.0
    for _ in range(2):
        y = x[None][0]
        x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + x[0]


NEWAXIS_ROWS = [
    newaxis_row_then_update,
    newaxis_slice_row_then_update,
    column_view_row_then_update,
    newaxis_ellipsis_row_then_update,
    newaxis_row_written,
    newaxis_index_tuple,
    newaxis_view_in_tuple,
    newaxis_in_loop,
]


@pytest.mark.parametrize("f", NEWAXIS_ROWS)
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_row_of_newaxis_view_is_no_number(f, mode):
    x = np.array([0.4, 0.7])
    try:
        if mode == "grad":
            v, g = srcad.value_and_grad(f)(x.copy())
            t = g @ np.array([1.0, -0.5])
        else:
            v, t = srcad.jvp(f, (x.copy(),), (np.array([1.0, -0.5]),))
    except srcad.SrcadError:
        return  # refused: fine (never a wrong value)
    np.testing.assert_allclose(v, f(x.copy()), rtol=1e-12)
    eps = 1e-6
    fd = (f(x + eps * np.array([1.0, -0.5])) - f(x - eps * np.array([1.0, -0.5]))) / (2 * eps)
    np.testing.assert_allclose(t, fd, rtol=1e-6)


def element_before_newaxis_view(p):
    x = p * 1.0
    a = x[0]  # a number, read before any view: still accepted
    y = x[None]
    x += p**2
    return np.sum(y * np.array([1.0, 3.0])) + a


def test_element_read_before_newaxis_view_accepted():
    check_scalar(element_before_newaxis_view, np.array([0.4, 0.7]))


def number_of_newaxis_view(p):
    x = p * 1.0
    y = x[None][0][1]  # a float array of rank 2, its row, its element: a number
    v = x[None]
    z = v[0, 0]
    x += p**2
    return y * 2.0 + z + x[0]


def test_number_read_through_newaxis_view_accepted():
    check_scalar(number_of_newaxis_view, np.array([0.4, 0.7]))
