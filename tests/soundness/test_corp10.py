"""Regressions found by porting other projects' programs (session 10, corp10: autograd's
examples, scikit-learn/PyTorch losses in NumPy, simulations). Each test failed before its fix (a
wrong value, or a refusal of a program srcad differentiates correctly); /tmp/s10/findings.md and
/tmp/s10/refusals_found.md name the program."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import srcad


def _windows_then_write(p):
    x = np.zeros(5)
    w = sliding_window_view(x, 2)  # a read-only view of x: it sees the write below
    x[1:3] = 1.0
    return np.sum(w) * p


def _trimmed_then_write(p):
    x = np.array([0.0, 1.0, 2.0, 0.0, 3.0, 0.0])
    w = np.trim_zeros(x)  # NumPy returns a slice of x
    x[1:3] = 5.0
    return np.sum(w) * p


@pytest.mark.parametrize("f", [_windows_then_write, _trimmed_then_write])
def test_view_returning_numpy_functions_are_views(f) -> None:
    # `sliding_window_view` and `trim_zeros` were taken for functions returning new arrays, so
    # the write into `x` was not seen through `w`: the primal and the derivative were the
    # values before the write (0.0 instead of 2.8). Now reading `w` after the write is refused
    # like reading any view of a changed array.
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.primal(f)(0.7)
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(f)(0.7)


def _fd_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _dyn(y, t, w):
    return np.tanh(y * w[:2] + t) * w[2]


def _rk4(func, y0, ts, args):
    y = y0
    for i in range(len(ts) - 1):
        h = ts[i + 1] - ts[i]
        k1 = func(y, ts[i], *args)
        k2 = func(y + h * k1 / 2, ts[i] + h / 2, *args)
        k3 = func(y + h * k2 / 2, ts[i] + h / 2, *args)
        k4 = func(y + h * k3, ts[i] + h, *args)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def _ode_loss(w):
    return np.sum(_rk4(_dyn, np.array([1.0, 0.5]), np.linspace(0.0, 1.0, 4), (w,)) ** 2)


def _ode_loss_lambda(w):
    args = (w[0], w[1])
    y = _rk4(lambda y, t, a, b: -a * y + b * np.sin(t), np.array([1.0, 0.5]), [0.0, 0.5, 1.0], args)
    return np.sum(y**2)


def _apply(f, x, args=()):
    return f(x, *args)


def _apply_ufunc(w):
    return np.sum(_apply(np.sin, w) * w)


@pytest.mark.parametrize("f", [_ode_loss, _ode_loss_lambda, _apply_ufunc])
def test_tuple_parameter_passed_on_with_star(f) -> None:
    # autograd's ode_net / scipy's `func(y, t, *args)`: a helper passing a tuple parameter on
    # with `*` was refused ("`*args` in a call is supported only for tuple/list literals"), and
    # `np.sin(x, *args)` with `args=()` was taken for an output array. Such a helper is now
    # inlined where it is called with a tuple written there, so the elements are known.
    w = np.array([0.4, -0.3, 0.8])
    np.testing.assert_allclose(srcad.grad(f)(w), _fd_grad(f, w), rtol=1e-6, atol=1e-8)


def _scaled(x):
    return x * 2.0


def _bump(a, s):
    a *= s  # updates the caller's array in place
    a += 1.0
    return np.sum(a)


def _bump_returned(a, s):
    a *= s
    return a


def _bump_fresh(w):
    return _bump(_scaled(w), w[0])


def _bump_fresh_kept(w):
    t = _scaled(w)
    return np.sum(_bump_returned(t, w[1]) * w)


def _bump_then_read(w):
    t = _scaled(w)
    s = _bump(t, w[0])
    return s + np.sum(t)  # Python sees t updated: refused


def _bump_view_then_read(w):
    u = w * 1.0
    s = _bump(u[1:], w[0])
    return s + np.sum(u * w)  # u updated through the view: refused


def _gather(f, rows, cols):
    return 0.5 * f[rows, cols] + 0.5 * f[cols, rows]  # fancy indexing: numbers of f, copied


def _gathered_then_bumped(w):
    a = w.reshape(2, 2) * 1.0
    for _ in range(2):
        s = _bump(_gather(a, np.array([0, 1]), np.array([1, 1])), w[0])
        a = a * s
    return np.sum(a)


def _first(xs):
    return xs[0]


def _list_item_then_read(w):
    xs = [w * 1.0, w * 2.0]
    s = _bump(_first(xs), w[0])  # the list's own array: Python sees it updated
    return s + np.sum(xs[0])


def _row_then_read(w):
    a = np.outer(w, w)
    s = _bump(_first(a), w[0])  # a row of a: a view
    return s + np.sum(a)


@pytest.mark.parametrize("f", [_bump_fresh, _bump_fresh_kept, _gathered_then_bumped])
def test_callee_updating_a_fresh_helper_result(f) -> None:
    # the argument is the only reference to a new array a user function returned (fluid code's
    # `project(advect(vx, ...), ...)`): nothing else sees the update, as for `np.zeros(3)`
    w = np.array([0.4, -0.3, 0.8, 0.6])
    np.testing.assert_allclose(srcad.grad(f)(w), _fd_grad(f, w), rtol=1e-6, atol=1e-8)


def _double_first(lst):
    x = lst[0]
    x *= 2.0  # updates the array inside the list: the caller's `a`
    return 1.0


def _pair(a):
    return [a, a * 3.0]


def _inside_a_list_literal(w):
    a = w * 1.0
    _double_first([a])  # the list is new and read once, its element is not
    return np.sum(a * w)


def _inside_a_helper_list(w):
    a = w * 1.0
    _double_first(_pair(a))
    return np.sum(a * w)


@pytest.mark.parametrize(
    "f",
    [
        _bump_then_read,
        _bump_view_then_read,
        _list_item_then_read,
        _row_then_read,
        _inside_a_list_literal,
        _inside_a_helper_list,
    ],
)
def test_callee_updating_a_value_read_later_stays_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(np.array([0.4, -0.3, 0.8, 0.6]))


class _Adam:
    def __init__(self, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps  # one statement, four fields
        self.m = None
        self.v = None
        self.t = 0

    def step(self, p, g):
        if self.m is None:
            self.m = np.zeros_like(p)
            self.v = np.zeros_like(p)
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        mh = self.m / (1 - self.b1**self.t)
        vh = self.v / (1 - self.b2**self.t)
        return p - self.lr * mh / (np.sqrt(vh) + self.eps)


def _unrolled_adam(x):
    opt = _Adam()
    p = x.copy()
    for _ in range(3):
        p = opt.step(p, 2 * (p - 1.0) + np.sin(p))
    return np.sum(p**2)


class _Swapped:
    def __init__(self, a, b):
        self.a, self.b = a, b * 2.0
        self.a, self.b = self.b, self.a  # the values are read before either field is written
        self.n = 0

    def step(self, x):
        self.n += 1
        self.a = self.a * x + self.b
        return self.a * self.n


def _swapped_fields(x):
    s = _Swapped(x[0], x[1])
    return np.sum(s.step(s.step(x))) + s.b


@pytest.mark.parametrize("f", [_unrolled_adam, _swapped_fields])
def test_fields_set_by_one_tuple_assignment_in_init(f) -> None:
    # an optimizer object whose __init__ sets its hyperparameters in one tuple assignment and
    # whose methods update its state was refused ("cannot differentiate through `_Adam(...)`")
    w = np.array([0.4, -0.3, 0.8])
    assert srcad.primal(f)(w) == pytest.approx(f(w), rel=1e-13)
    np.testing.assert_allclose(srcad.grad(f)(w), _fd_grad(f, w), rtol=1e-6, atol=1e-8)


@functools.cache
def _cached_ones(n):
    return np.ones(n)


def _update_cached(w):
    y = _cached_ones(3)
    y[0] = y[0] + 1.0  # Python updates the cached array: every later call sees it
    return np.sum(y * w)


def _bump_cached(w):
    return _bump(_cached_ones(4), w[0])


def test_updating_what_an_lru_cache_returned_is_refused() -> None:
    # the helper's own code returns a new array, but the cache hands every call the same one:
    # srcad's result stayed the first call's (1.9, 1.9) where Python's grows (1.9, 2.4)
    w = np.array([0.5, 0.7, 0.2])
    with pytest.raises(srcad.SrcadError, match="shared with module globals"):
        srcad.primal(_update_cached)(w)
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(_bump_cached)(np.array([0.5, 0.7, 0.2, 0.1]))


_G_LIST = [1.0, 2.0]
_G_ARRAY = np.ones(3)


def _global_list():
    return _G_LIST


def _global_array():
    return _G_ARRAY


def _concat_global_list(w):
    a = _global_list() + [w[0]]  # a new list
    a[0] = a[0] * 2.0
    return np.sum(np.array(a) * w[1])


def _update_global_array(w):
    y = _global_array()
    y[0] = w[0]
    return np.sum(y * w)


def test_objects_a_helper_returns_from_globals() -> None:
    # both were internal errors (IndexError in the mutation check's object tuples)
    w = np.array([0.5, 0.7, 0.2])
    assert srcad.primal(_concat_global_list)(w) == pytest.approx(_concat_global_list(w))
    np.testing.assert_allclose(srcad.grad(_concat_global_list)(w), [0.7, 4.5, 0.0])
    with pytest.raises(srcad.SrcadError, match="shared with module globals"):
        srcad.grad(_update_global_array)(w)


def _half_squared(y, raw):
    return 0.5 * (raw - y) ** 2


def _half_cubed(y, raw):
    return (raw - y) ** 3 / 3.0


class _FnLoss:  # scikit-learn's BaseLoss keeps its pointwise loss as a field
    def __init__(self, closs):
        self.closs = closs

    def __call__(self, y, raw):
        return np.mean(self.closs(y, raw))


_LOSSES = {"squared_error": _FnLoss(_half_squared)}
_Y3 = np.array([1.0, 2.0, 0.5])


def _global_loss_object(w):
    return _LOSSES["squared_error"](_Y3, w)


def test_method_calling_a_function_held_by_a_global_object() -> None:
    # `self.closs(y, raw)` in a method of a global object reached the transform as an unknown
    # method ("no derivative rule for `.closs()`"); now read from the object, and rebinding the
    # field builds again
    w = np.array([0.45, 0.7, 0.2])
    g = srcad.grad(_global_loss_object)
    np.testing.assert_allclose(g(w), (w - _Y3) / 3, rtol=1e-13)
    saved = _LOSSES["squared_error"].closs
    try:
        _LOSSES["squared_error"].closs = _half_cubed
        np.testing.assert_allclose(g(w), (w - _Y3) ** 2 / 3, rtol=1e-13)
    finally:
        _LOSSES["squared_error"].closs = saved


def _pinball(y, raw, quantile):
    d = y - raw
    return np.where(d >= 0, quantile * d, (quantile - 1) * d)


class _PinballLoss(_FnLoss):
    def __init__(self, quantile):
        super().__init__(functools.partial(_pinball, quantile=quantile * 0.5))


def _pinball_built_here(w):
    return _PinballLoss(w[0] + 1.0)(_Y3, w)


def test_partial_passed_to_super_init_is_a_field() -> None:
    # `super().__init__(functools.partial(...))` made the object's construction fail ("cannot use
    # a functools.partial object made here as a value"), so `self.closs(...)` was refused
    w = np.array([0.45, 0.7, 0.2])
    np.testing.assert_allclose(
        srcad.grad(_pinball_built_here)(w), _fd_grad(_pinball_built_here, w), rtol=1e-6, atol=1e-8
    )


class _Scaled:
    def apply(self, v):
        return v * 3.0


class _Doubled(_Scaled):
    def apply(self, v):
        return super().apply(v) * 2.0  # zero-argument super(): needs the method's own frame


def _no_init_with_super(w):
    return np.sum(_Doubled().apply(w) ** 2)


def test_class_without_init_whose_method_calls_super() -> None:
    # an object built here has its methods inlined, where `super()` finds no `__class__` cell:
    # such a class stays a run-time object (as before 3ded308, which built it here and crashed)
    w = np.array([0.45, 0.7, 0.2])
    np.testing.assert_allclose(srcad.grad(_no_init_with_super)(w), 72.0 * w, rtol=1e-13)
