"""Session 51's spurious refusals of everyday idioms, and answers where Python raises.

An unused extended slice write of another length (``t[::2] = [1.0]`` of a list,
``a[::2] = [1.0, 2.0, 3.0]`` of an array) answered where Python raises ValueError: now kept
(passes/raising.py), it raises. ``next(it)`` past the end of an ``it = iter(...)`` raised
IndexError where Python raises StopIteration: now a check raises StopIteration.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences, check_scalar

X4 = np.array([0.3, 0.5, 0.7, 0.9])


def _modes(f):
    return [f, srcad.grad(f), lambda x: srcad.jvp(f, (x,), (np.ones_like(x),))[1]]


def list_extended_slice(x):
    t = [x[0], x[1], x[2], x[3]]
    t[::2] = [1.0]
    return x[0] ** 2


def array_extended_slice(x):
    t = np.zeros(4)
    t[::2] = [1.0, 2.0, 3.0]
    return x[0] ** 2


def list_extended_slice_fits(x):
    t = [x[0], x[1], x[2], x[3]]
    t[::2] = [1.0, x[1]]
    u = np.zeros(4)
    u[1::2] = 2.0
    return x[0] ** 2 * x[3]


@pytest.mark.parametrize("f", [list_extended_slice, array_extended_slice])
def test_dead_extended_slice_write_raises_as_python(f):
    for g in _modes(f):
        with pytest.raises(ValueError):
            g(X4.copy())


def test_dead_extended_slice_write_that_fits():
    check_scalar(list_extended_slice_fits, X4.copy())


def next_past_the_end(x):
    it = iter([x[0], x[1]])
    a = next(it)
    b = next(it)
    c = next(it)
    return a * b + c


def next_in_loop(x):
    it = iter([x[0], x[1], x[2]])
    s = next(it) ** 2
    for _ in range(2):
        s = s + next(it) * x[3]
    return s


def test_next_past_the_end_raises_stop_iteration():
    for g in _modes(next_past_the_end):
        with pytest.raises(StopIteration):
            g(X4.copy())


def test_next_in_a_loop():
    check_scalar(next_in_loop, X4.copy())


def _sq(v, scale=1.0):
    return scale * v**2


def _cube(v, scale=1.0):
    return scale * v**3


def chosen_numpy(x, mode=True):
    f = np.sin if mode else np.cos
    return np.sum(f(x) * x)


def chosen_helpers(x, mode=False):
    g = _sq if mode else _cube
    return np.sum(g(x, scale=x[0])) + np.sum(g(x[1:]))


def chosen_nested(x, k=1):
    def a(v):
        return np.exp(v) * x[0]

    def b(v):
        return np.tanh(v) * x[1]

    h = a if k > 0 else b
    s = 0.0
    for i in range(3):
        s = s + np.sum(h(x * i))
    return s


def chosen_by_value(x):
    f = np.sin if x[0] > 0.4 else np.cos
    return np.sum(f(x) * x)


def chosen_then_rebound(x, mode=True):
    f = np.exp if mode else np.log
    mode = not mode
    return f(x[0]) * (2.0 if mode else 3.0)


def chosen_in_loop(x):
    s = 0.0
    for i in range(4):
        f = np.sin if i % 2 else np.cos
        s = s + f(x[i]) ** 2
    return s


def chosen_by_statement(x, c=True):
    if c:
        f = np.sin
    else:
        f = np.cos
    if x[1] > 0.4:
        f = np.tanh
    return np.sum(f(x))


def chosen_nested_by_statement(x, c=False):
    def a(v):
        return np.sin(v) * x[0]

    if c:
        f = a
    else:
        f = np.cos
    return np.sum(f(x) ** 2)


def chosen_vectorized(x, c=True):
    if c:
        f = np.sin
    else:
        f = np.cos
    return np.sum(np.vectorize(f)(x) * x)


CHOSEN = [chosen_numpy, chosen_helpers, chosen_nested, chosen_by_value, chosen_then_rebound,
          chosen_in_loop, chosen_by_statement, chosen_nested_by_statement, chosen_vectorized]  # fmt: skip


def check_with(f, x, *rest):
    """`check_scalar` of ``f(x, *rest)`` in `x` (jvp: the tangent of `rest` None)."""
    fx = lambda v: f(v, *rest)  # noqa: E731
    val, g = srcad.value_and_grad(f)(x.copy(), *rest)
    np.testing.assert_allclose(val, fx(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(g, central_differences(fx, x), rtol=1e-5, atol=1e-7)
    u = np.cos(np.arange(len(x)) + 1.0)
    _, t = srcad.jvp(f, (x.copy(), *rest), (u, *(None for _ in rest)))
    np.testing.assert_allclose(t, np.dot(g, u), rtol=1e-10, atol=1e-12)
    _, pull = srcad.vjp(f, x.copy(), *rest, wrt=0)
    np.testing.assert_allclose(1.7 * t, np.dot(pull(1.7), u), rtol=1e-10, atol=1e-12)
    h = srcad.hessian(f)(x.copy(), *rest)
    gr = srcad.grad(f)
    hfd = [(gr(x + 1e-5 * e, *rest) - gr(x - 1e-5 * e, *rest)) / 2e-5 for e in np.eye(len(x))]
    np.testing.assert_allclose(h, np.array(hfd), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f", CHOSEN)
@pytest.mark.parametrize("flag", [0, 1])
def test_function_chosen_by_a_condition(f, flag):
    x = X4.copy() if flag else X4 - 0.25
    if f.__defaults__:  # each function the flag argument chooses
        check_with(f, x, type(f.__defaults__[0])(flag))
    else:
        check_with(f, x)


def _bump(a):
    a[0] = a[0] + 1.0
    return a


def _scale_head(a):
    a[:2] *= 3.0
    return a


def _head(a):
    return a[:3]


def bump_bump(x):
    return np.sum(_bump(_bump(np.sin(x))) ** 2)


def bump_a_view(x):
    return np.sum(_bump(_head(np.exp(x) * x)) ** 2) + x[3]


def updates_chained(x):
    return np.sum(_scale_head(_bump(_scale_head(x * x))) * x)


@pytest.mark.parametrize("f", [bump_bump, bump_a_view, updates_chained])
def test_helper_updating_what_a_helper_returned(f):
    """A helper returning its argument (or a view of it), a private temporary: the result is
    one too, which the next helper may update in place (nothing else sees it)."""
    check_scalar(f, X4.copy())


def bump_then_read(x):
    y = np.sin(x)
    z = _bump(_bump(y))
    return np.sum(z) * np.sum(y)


def test_helper_updating_a_value_read_again_still_refused():
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(bump_then_read)(X4.copy())


def _mul(a, b, scale=1.0):
    return a * b * scale


def _loss(w, v, p=2):
    return np.abs(w - v) ** p


def partials_called(x):
    fs = [functools.partial(_mul, x[i]) for i in range(4)]
    return sum(f(x[(i + 1) % 4]) for i, f in enumerate(fs))


def partials_in_a_loop(x):
    fs = [functools.partial(_mul, x[i], scale=x[3]) for i in range(3)]
    s = 0.0
    for f in fs:
        s = s + f(x[0] + 1.0)
    return s


def partials_of_a_nested_function(x):
    def g(a, b):
        return np.sin(a) * b

    fs = [functools.partial(g, x[i]) for i in range(4)]
    return sum(f(x[3 - k]) for k, f in enumerate(fs))


def partials_by_keyword(x):
    fs = [functools.partial(_loss, p=k) for k in (2, 3)]
    return sum(np.sum(f(x, 0.1)) for f in fs)


def partials_of_numpy(x):
    fs = [functools.partial(np.power, x[i]) for i in range(2)]
    return fs[0](2.0) + fs[1](3.0) * fs[0](x[2])


def partials_bound_early(x):
    ws = [x[0], x[1]]
    fs = [functools.partial(_mul, ws[i]) for i in range(2)]
    ws[0] = 10.0 * x[2]  # (the partial holds the old item, as Python's)
    return fs[0](x[3]) + fs[1](1.0) + ws[0]


PARTIALS = [partials_called, partials_in_a_loop, partials_of_a_nested_function,
            partials_by_keyword, partials_of_numpy, partials_bound_early]  # fmt: skip


@pytest.mark.parametrize("f", PARTIALS)
def test_list_of_partials_made_by_a_comprehension(f):
    check_scalar(f, X4.copy())


def chosen_from_three(x, mode="c"):
    def a(v):
        return v * x[0]

    f = np.sin if mode == "a" else a if mode == "b" else np.exp
    return np.sum(f(x) ** 2)


@pytest.mark.parametrize("mode", ["a", "b", "c"])
def test_function_chosen_among_three(mode):
    check_with(chosen_from_three, X4.copy(), mode)


def _twice(g, v, k=2.0):
    return g(v) * k + g(v * 0.5)


def chosen_then_passed(x, mode=False):
    f = np.tanh if mode else np.exp
    return np.sum(_twice(f, x, k=x[0]))


@pytest.mark.parametrize("flag", [False, True])
def test_function_chosen_then_passed_to_a_helper(flag):
    check_with(chosen_then_passed, X4.copy(), flag)
