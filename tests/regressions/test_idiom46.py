"""Idioms refused before session 46 (idiom46), checked by value: derivatives against central
differences (forward and reverse, to order 2) and the primal (and the caller's objects) against
Python's own run.

1. A dict argument of numbers updated in a loop over its keys (``for q in ("scale", "shift"):
   params[q] += v``, ``for q in params: params[q] *= v``; fuzz wild45 seed 4626, 7% of its
   programs): the mutation check (passes/alias.check_transform) did not know an item read from a
   dict of numbers (`Spec.numbers`) is a number, so ``params[q] += v`` looked like an in-place
   update of an object the next iteration reads ("`params` is read after the object it shares
   with another name is updated with `op=`"). passes/scalars.py now follows such dicts (their
   entry copy, loop carries, ``d[k] = number``): ``d[k]`` of one is a number, and ``+=`` rebinds
   it. The caller's dict is updated as Python updates it (lower/argcopy.py's write-back).
2. ``with contextlib.nullcontext(v) as t:`` (``t = v``) and ``with contextlib.ExitStack():``
   without a target (no callback can be registered: its exit does nothing), alone or beside
   other such items (lower/withs.null_items); before, "`with` statements are not supported".
   ``with ExitStack() as st:`` stays refused (the body may register callbacks).
3. ``try: v = helper(x) except ValueError: v = fallback`` around a module-level helper that raises
   on data (``if np.min(v) < t: raise ValueError(..)``; fuzz wild44 seed 4606, 12% of its
   programs): the helper's body is inlined into the ``try`` as the function's own helpers were
   (lower/tryglobals.py), so the ``raise`` reaches the handlers; before, "`try`/`except` is
   supported around calls of a pure NumPy/SciPy function only" (the pinned refusals
   ``try_user_function`` of tests/soundness/test_refuse6.py and
   ``try_user_function_in_expression`` of test_refuse8.py moved here, by value). A helper
   reading a global the function shadows (a parameter or local of the same name) stays refused;
   rebinding the helper's global name is followed (the cache guards it).
4. ``with gain(c) as g:`` on a user's ``@contextlib.contextmanager`` generator given a
   differentiated value, whose code around its one ``yield`` only assigns names
   (lower/withgens.py): the generator's text inlined around the body; before, "cannot
   differentiate through `gain`: in its source (contextlib.py): functions with *args or **kwargs
   are not supported" (fuzz wild44 seed 4604, 2.7%). A manager with other statements (a log
   appended to) is run as before. (The pinned refusal ``with_differentiated_manager`` of
   tests/regressions/test_idiom43.py moved here, by value.)
5. ``np.fmax.accumulate(a)`` / ``np.fmin.accumulate(a, axis)`` (lower/library.py): the running
   extreme's rule of ``np.maximum.accumulate`` (``_srcad.ext_accumulate``), a NaN (which fmax
   skips) getting no derivative; before, "cannot differentiate through `accumulate`".
6. ``np.hypot.reduce(a, axis, keepdims=, initial=, where=)`` (``_srcad.hypot_reduce``,
   rules/numpy_more.py): ``a / |a|`` along the axis, 0 at 0 (as ``np.hypot``'s and
   ``np.linalg.norm``'s rules); before, "cannot differentiate through `reduce`".
"""

from __future__ import annotations

import contextlib
import math
from contextlib import ExitStack, nullcontext

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.7, 1.1])


# -- 1. a dict argument of numbers updated in a loop over keys ----------------------------------


def _keys_tuple(x, params):
    for q in ("scale", "shift"):
        params[q] += 0.23 * np.exp(-(float(np.sum(x)) ** 2))
    a = params["scale"] * np.cos(x) + params["shift"]
    return np.sum(np.sin(a))


def _keys_of_dict(x, params):
    for q in params:
        params[q] *= x[0]
    return params["scale"] * x[1] + params["shift"]


def _alias_read(x, params):
    y = params
    for q in ("scale", "shift"):
        params[q] += x[0]
    return y["scale"] * x[1]


def _sgd(p, lr, g):
    for q in p:
        p[q] -= lr * (p[q] - g)


def _helper_loop(x, params):
    _sgd(params, 0.189, np.sin(float(np.sum(x))))
    return np.sum(params["scale"] * np.sin(x) + params["shift"])


DICT_CASES = [_keys_tuple, _keys_of_dict, _alias_read, _helper_loop]


@pytest.mark.parametrize("fn", DICT_CASES)
def test_dict_of_numbers_updated_by_key(fn):
    P = {"scale": 1.3, "shift": 0.4}
    for wrt in (None, 0):
        check_grads(fn, (X.copy(), dict(P)), modes=("fwd", "rev"), order=2, wrt=wrt)
    mine, theirs = dict(P), dict(P)
    v, g = srcad.value_and_grad(fn)(X.copy(), mine)
    assert v == pytest.approx(fn(X.copy(), theirs), rel=1e-12)
    assert mine.keys() == theirs.keys()
    for k in theirs:  # the caller's dict updated as Python updates it
        assert mine[k] == pytest.approx(theirs[k], rel=1e-12)


def test_dict_with_array_item_still_checked():
    """An array stored into the dict first: ``params[q] += 1.0`` updates it in place, which
    `y` sees in Python; srcad must not give the value of a copy."""

    def f(x, params):
        params["scale"] = x * 1.0
        y = params["scale"]
        for q in ("scale", "shift"):
            params[q] += 1.0
        return np.sum(y * y)

    try:
        got = srcad.grad(f)(X.copy(), {"scale": 1.0, "shift": 0.5})
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(got, 2 * (X + 1.0))


def _array_stored_then_looped(x, params):
    arr = x * 1.0
    params["scale"] = arr  # (an array: ``+=`` below updates `arr` in place)
    for q in ("scale", "shift"):
        params[q] += 1.0
    return np.sum(arr)


def _alias_stores_array(x, params):
    p2 = params
    p2["scale"] = x * 1.0
    for q in ("scale", "shift"):
        params[q] += 1.0
    return np.sum(p2["scale"] * params["shift"])


@pytest.mark.parametrize("fn", [_array_stored_then_looped, _alias_stores_array])
def test_dict_holding_an_array_correct_or_refused(fn):
    P = {"scale": 1.0, "shift": 0.5}
    want = fn(X.copy(), dict(P))
    try:
        v, _ = srcad.value_and_grad(fn)(X.copy(), dict(P))
    except srcad.SrcadError:
        return
    assert v == pytest.approx(want, rel=1e-12)
    check_grads(fn, (X.copy(), dict(P)), modes=("fwd", "rev"), wrt=0)


# -- 2. nullcontext / ExitStack -----------------------------------------------------------------


def _null(x):
    with contextlib.nullcontext():
        y = np.sin(x)
    with nullcontext(x * 2.0) as z:
        y = y * z
    return np.sum(y)


def _exitstack(x):
    with contextlib.ExitStack():
        y = np.cos(x)
    with ExitStack(), nullcontext(y) as w, np.errstate(divide="ignore"):
        y = y + w * x
    return np.sum(y**2)


def _null_none(x):
    with nullcontext() as t:
        y = x * 3.0
    return np.sum(y) if t is None else 0.0


@pytest.mark.parametrize("fn", [_null, _exitstack, _null_none])
def test_null_managers(fn):
    check_grads(fn, (X.copy(),), modes=("fwd", "rev"), order=2)
    assert srcad.value_and_grad(fn)(X.copy())[0] == pytest.approx(fn(X.copy()), rel=1e-12)


def test_exitstack_with_target_stays_refused():
    def f(x):
        with ExitStack() as st:
            st.callback(print, "done")
            y = np.sin(x)
        return np.sum(y)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


# -- 3. a module-level helper raising inside `try` ---------------------------------------------


def _checked_log(v, t):
    if np.min(v) < t:
        raise ValueError("below threshold")
    return np.log(v - t + 1.0)


def _try_fuzz4606(x1):
    try:
        a4 = _checked_log(x1, -0.054)
    except ValueError as e:
        a4 = x1 * (2.0 if "below" in str(e) else 1.0)
    return np.sum(np.sin(a4))


def _solve_then(A, b):
    return np.linalg.solve(A, b) * 2.0


def _try_user_function(x):  # (tests/soundness/test_refuse6.py's, refused before)
    A = np.eye(3) + np.outer(x, x)
    try:
        y = _solve_then(A, x)
    except np.linalg.LinAlgError:
        y = x
    return np.sum(y)


def _user_log(v):
    return math.log(v)


def _try_user_function_in_expression(x):  # (tests/soundness/test_refuse8.py's)
    try:
        y = _user_log(x[0] * 2.0)
    except ValueError:
        y = x[1]
    return y


@pytest.mark.parametrize(
    "fn, xs",
    [
        (_try_fuzz4606, [np.array([0.3, 0.5]), np.array([-0.3, 0.5])]),
        (_try_user_function, [X.copy()]),
        (_try_user_function_in_expression, [np.array([0.7, 0.2]), np.array([-0.7, 0.2])]),
    ],
)
def test_try_around_module_helper(fn, xs):
    for x in xs:  # (the helper returns, or raises and the handler runs)
        check_grads(fn, (x,), modes=("fwd", "rev"), order=2)
        assert srcad.value_and_grad(fn)(x.copy())[0] == pytest.approx(fn(x.copy()), rel=1e-12)


SCALE = 2.0


def _scaled(v):
    if np.min(v) < -5.0:
        raise ValueError("low")
    return v * SCALE


def _shadowing(x, SCALE):  # noqa: N803 (the helper's global, shadowed by a parameter)
    try:
        a = _scaled(x)
    except ValueError:
        a = x * 0.5
    return np.sum(a**2)


def test_try_helper_reading_a_shadowed_global_stays_refused():
    with pytest.raises(srcad.SrcadError, match="pure NumPy/SciPy function only"):
        srcad.grad(_shadowing)(X.copy(), 3.0)


def _swap_target(v):
    if np.min(v) < -5.0:
        raise ValueError("low")
    return v * 3.0


def _calls_swap(x):
    try:
        a = _swapped(x)
    except ValueError:
        a = x * 0.5
    return np.sum(a**2)


_swapped = _scaled


def test_try_helper_rebound_is_followed():
    global _swapped
    g = srcad.grad(_calls_swap)
    np.testing.assert_allclose(g(X.copy()), 8.0 * X)
    try:
        _swapped = _swap_target
        np.testing.assert_allclose(g(X.copy()), 18.0 * X)
    finally:
        _swapped = _scaled


# -- 4. a @contextmanager generator given a differentiated value -----------------------------


@contextlib.contextmanager
def _gain(c):
    yield c * 1.152


@contextlib.contextmanager
def _shifted(c, k):
    """A docstring."""
    s = np.sin(c) + k
    t = s * 2.0
    yield t + c
    s = s + 1.0  # (after the body: no effect but its own)


@contextlib.contextmanager
def _logged(log):
    log.append(0.0)
    yield
    log.append(1.0)


@contextlib.contextmanager
def _doubled(v):
    yield v * 2.0


def _with_doubled(x):  # (tests/regressions/test_idiom43.py's, refused before)
    with _doubled(x) as y:
        z = np.sum(y**2)
    return z


def _with_gain(x):
    with _gain(np.sin(x[1])) as g:
        a3 = g * x * 0.518
    return np.sum(a3**2)


def _with_shifted(x):
    s = 0.0
    with _shifted(x[0], 0.5) as t:
        s = s + t * x[1]
    return s + np.sum(x)


def _with_logged(x):
    lg = []
    with _logged(lg):
        y = np.cos(x) * (len(lg) + 1.0)
    return np.sum(y) * len(lg)


@pytest.mark.parametrize("fn", [_with_doubled, _with_gain, _with_shifted, _with_logged])
def test_generator_manager(fn):
    check_grads(fn, (X.copy(),), modes=("fwd", "rev"), order=2)
    assert srcad.value_and_grad(fn)(X.copy())[0] == pytest.approx(fn(X.copy()), rel=1e-12)


def _with_shadow(x, c):  # the generator's `np` is the function's parameter here
    np = c  # noqa: F841
    with _shifted(x[0], 0.5) as t:
        s = t * x[1]
    return s


def test_generator_manager_reading_a_shadowed_name_is_not_inlined():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(_with_shadow)(X.copy(), 1.0)


# -- 5. np.fmax / np.fmin .accumulate ----------------------------------------------------------


def _running_fmax(x):
    return np.sum(np.fmax.accumulate(x) * np.arange(1.0, 1.0 + x.size))


def _running_fmin(a):
    return np.sum(np.fmin.accumulate(a, axis=1) ** 2)


def test_fmax_fmin_accumulate():
    check_grads(_running_fmax, (np.array([0.3, -0.7, 1.1, 0.5]),), modes=("fwd", "rev"), order=2)
    b = np.array([[0.3, -0.2, 0.5], [1.0, 2.0, -3.0]])
    check_grads(_running_fmin, (b,), modes=("fwd", "rev"), order=2)
    a = np.array([1.0, np.nan, 2.0, -1.0])  # (fmax skips the NaN: it gets no derivative)
    v, g = srcad.value_and_grad(_running_fmax)(a)
    assert v == _running_fmax(a) == 17.0
    np.testing.assert_array_equal(g, [3.0, 0.0, 7.0, 0.0])


# -- 6. np.hypot.reduce ----------------------------------------------------------------------------


def _hypot_all(x):
    return np.hypot.reduce(x) + np.hypot.reduce([x[0], x[1] * 2.0, 3.0])


def _hypot_rows(a):
    return np.sum(np.hypot.reduce(a, axis=1) ** 3) + np.sum(np.hypot.reduce(a, 0, keepdims=True))


def _hypot_where(x):
    return np.hypot.reduce(x, where=x > 0, initial=0.5)


def test_hypot_reduce():
    x = np.array([0.3, -0.7, 1.1, 0.5])
    a = np.array([[0.3, -0.2, 0.5], [1.0, 2.0, -3.0]])
    for fn, arg in ((_hypot_all, x), (_hypot_rows, a), (_hypot_where, x)):
        check_grads(fn, (arg,), modes=("fwd", "rev"), order=2)
        assert srcad.value_and_grad(fn)(arg)[0] == fn(arg)
    np.testing.assert_array_equal(srcad.grad(_hypot_where)(-np.abs(x)), np.zeros(4))  # (none kept)
    np.testing.assert_array_equal(srcad.grad(_hypot_all)(np.zeros(4)), [0.0, 0.0, 0.0, 0.0])
