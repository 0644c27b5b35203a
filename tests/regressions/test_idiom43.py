"""What idiom43 accepts in idiomatic user code, checked numerically (primal against Python,
forward and reverse to order 2), and the neighbours that stay refused, cleanly:

a. a method read into a local and called (``step = self._step_mid; step(x)``), and
   ``getattr(self, f"_step_{method}")(x)`` with the name a constant, an f-string or ``+`` of
   constants, or a string parameter the caller passes as a constant (or leaves to its default):
   ad/boundcalls.py resolves the call to the method of the receiver's known class, as it does
   ``self._step_mid(x)``; the string parameter is part of the callee's key (one version per
   string). A name known only when the code runs (a loop over names): lower/methodpick.py
   (tests/regressions/test_idiom44.py).
   Where the object is built here and its method inlined, ``getattr(self, f"_step_{m}")``
   with `m` bound to a constant string is ``self._step_...`` (lower/getattrs.named_now), so
   the method may be called with a lambda; a name rebound in a loop or a branch stays refused.
b. ``with`` on a ``contextlib.contextmanager`` generator of the user's (timing, logging,
   setting a global), and such a manager beside ``np.errstate(...)`` in one ``with``:
   lower/withs.user_manager makes the block ``cm = mgr(args); v = cm.__enter__()``, the body,
   ``cm.__exit__(None, None, None)``, run when the code runs. A manager given a differentiated
   value (or yielding one) is refused: srcad does not differentiate through contextlib (unless
   its code around the ``yield`` only assigns names: inlined, lower/withgens.py, session 46,
   tests/regressions/test_idiom46.py).
"""

from __future__ import annotations

import contextlib
import functools
import math
import statistics
import sys
import time

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X3 = np.array([0.3, -0.7, 1.2])


def _check(f, *args):
    assert np.allclose(srcad.primal(f)(*args), f(*args))
    check_grads(f, args, modes=("fwd", "rev"), order=2)


class _Integ:
    def __init__(self, h):
        self.h = h

    def _step_euler(self, x):
        return x + self.h * np.sin(x)

    def _step_mid(self, x):
        return x + self.h * np.sin(x + 0.5 * self.h * np.sin(x))

    def run(self, x, method="mid"):
        step = getattr(self, f"_step_{method}")
        for _ in range(3):
            x = step(x)
        return x

    def run_plus(self, x, method):
        return getattr(self, "_step_" + method)(x)


class _Shadow:
    def __init__(self, f):
        self.act = f  # the instance's attribute hides the method

    def act(self, x):
        return x * 100.0


def method_in_a_local(x):
    ig = _Integ(0.2)
    f = ig._step_mid
    return np.sum(f(x) * x)


def getattr_constant_name(x):
    ig = _Integ(0.2)
    f = getattr(ig, "_step_euler")  # noqa: B009 (the idiom under test)
    return np.sum(f(x) ** 2)


def getattr_fstring_of_local(x):
    method = "mid"
    return np.sum(getattr(_Integ(0.1), f"_step_{method}")(x) * x)


def getattr_default_parameter(x):
    return np.sum(_Integ(0.1).run(x))


def getattr_passed_strings(x):
    ig = _Integ(0.1)
    return np.sum(ig.run(x, "euler") * ig.run(x, method="mid")) + np.sum(ig.run_plus(x, "mid"))


def shadowed_method_in_a_local(x):
    k = _Shadow(np.tanh)
    m = k.act
    return np.sum(m(x))


@pytest.mark.parametrize(
    "f",
    [
        method_in_a_local,
        getattr_constant_name,
        getattr_fstring_of_local,
        getattr_default_parameter,
        getattr_passed_strings,
        shadowed_method_in_a_local,
    ],
)
def test_bound_method_called_from_a_local(f):
    _check(f, X3)


STATE = {"scale": 1.0}


@contextlib.contextmanager
def _timer(log):
    t0 = time.perf_counter()
    yield
    log.append(time.perf_counter() - t0)


@contextlib.contextmanager
def _scale(v):
    old = STATE["scale"]
    STATE["scale"] = v
    try:
        yield v + 1.0
    finally:
        STATE["scale"] = old


def with_timer(x):
    log = []
    with _timer(log):
        y = np.sin(x) * x
    return np.sum(y) * len(log)


def with_manager_setting_a_global(x):
    with _scale(3.0) as k:
        y = np.sum(x**2) * STATE["scale"] * k
    return y * STATE["scale"]


def with_errstate_and_a_manager(x):
    log = []
    with np.errstate(divide="ignore", invalid="ignore"), _timer(log):
        y = x / (1.0 + x * x)
    return np.sum(y)


@pytest.mark.parametrize(
    "f", [with_timer, with_manager_setting_a_global, with_errstate_and_a_manager]
)
def test_with_a_generator_context_manager(f):
    _check(f, X3)
    assert STATE["scale"] == 1.0


class _Module:
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)


class _Linear(_Module):
    def __init__(self, w):
        self.w = w

    def forward(self, x, scale=1.0):
        return np.tanh(self.w * x) * scale


class _Doubled(_Linear):
    def __call__(self, x):
        return 2.0 * super().__call__(x)


class _Sequential(_Module):
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class _Residual(_Module):
    def __init__(self, inner):
        self.inner = inner

    def forward(self, x, *, gate=1.0):
        return x + gate * self.inner(x)


def torch_style_module(x):
    return np.sum(_Linear(0.5)(x) + _Linear(-1.5)(x, scale=3.0) + _Linear(2.0)(x=x))


def torch_style_super_call(x):
    return np.sum(_Doubled(0.5)(x) ** 2)


def torch_style_sequential(x):
    net = _Sequential(_Linear(0.5), _Doubled(-2.0), _Residual(_Linear(0.7)))
    return np.sum(net(x) ** 2)


def torch_style_keyword_only(x, w):
    net = _Residual(_Linear(w))
    return np.sum(net(x, gate=w) * net(x))


@pytest.mark.parametrize("f", [torch_style_module, torch_style_super_call, torch_style_sequential])
def test_torch_style_modules(f):
    _check(f, X3)


def test_torch_style_keyword_only_two_arguments():
    _check(torch_style_keyword_only, X3, 0.4)


def _then(f, g):
    return lambda x: g(f(x))


def _compose_loop(*fs):
    def h(x):
        for f in fs:
            x = f(x)
        return x

    return h


def _compose_reduce(*fs):
    return functools.reduce(_then, fs)


def _apply_all(x, *fs):
    return functools.reduce(lambda a, f: a + np.sum(f(x)), fs, 0.0)


def reduce_lambda_of_lambda(x):
    h = functools.reduce(lambda f, g: lambda v: g(f(v)), [np.sin, lambda v: v * 2.0, np.tanh])
    return np.sum(h(x))


def compose_star_loop(x):
    return np.sum(_compose_loop(np.sin, lambda v: v**2, np.exp)(x))


def compose_star_reduce(x):
    return np.sum(_compose_reduce(np.sin, np.tanh, np.exp)(x))


def reduce_over_functions_with_init(x):
    return _apply_all(x, np.sin, np.tanh, lambda v: v**3)


@pytest.mark.parametrize(
    "f",
    [
        reduce_lambda_of_lambda,
        compose_star_loop,
        compose_star_reduce,
        reduce_over_functions_with_init,
    ],
)
def test_functions_combined_by_higher_order_helpers(f):
    _check(f, X3)


def stats_with_centre(x):
    m = statistics.fmean(x)
    return (
        statistics.pvariance(list(x), mu=m)
        + statistics.pstdev(x, m)
        + statistics.variance(x, xbar=0.1)
        + statistics.stdev(list(x), m)
    )


def test_statistics_with_a_given_centre():
    _check(stats_with_centre, X3)


def weighted_fmean(x, w):
    return statistics.fmean(list(x), weights=list(w)) * statistics.fmean(x, w)


def weighted_fmean_mismatch(x):
    return statistics.fmean(list(x), weights=[1.0, 2.0])


def weighted_fmean_zero(x):
    return statistics.fmean(list(x), weights=[1.0, -1.0, 0.0])


needs_311 = pytest.mark.skipif(sys.version_info < (3, 11), reason="fmean(weights=) is 3.11+")


@needs_311
def test_weighted_fmean():
    _check(weighted_fmean, X3, np.array([0.5, 1.5, 2.0]))


@needs_311
@pytest.mark.parametrize(
    ("f", "msg"),
    [(weighted_fmean_mismatch, "same length"), (weighted_fmean_zero, "non-zero")],
)
def test_weighted_fmean_errors_as_python(f, msg):
    with pytest.raises(statistics.StatisticsError, match=msg):
        f(X3)
    with pytest.raises(statistics.StatisticsError, match=msg):
        srcad.grad(f)(X3)


MESSAGES: list = []


def except_as_logged(x):
    k = np.outer(x, x) + 0.01 * np.eye(3)
    try:
        low = np.linalg.cholesky(k - 0.5 * np.eye(3))
    except np.linalg.LinAlgError as e:
        MESSAGES.append(str(e))
        low = np.linalg.cholesky(k + np.eye(3))
    return np.sum(low)


def except_as_type_name(x):
    try:
        v = math.log(x[0] - 1.0)
    except ValueError as err:
        kind = type(err).__name__
        v = x[0] ** 2 if kind == "ValueError" else x[0]
    return v * x[1]


def except_as_reraised(x):
    try:
        v = math.sqrt(x[1])
    except ValueError as err:
        raise RuntimeError(f"bad input: {err}") from err
    return v


def except_as_in_a_raising_body(x):
    try:
        y = np.sum(x**2)
        if y > 1.0:
            raise ValueError("big")
    except ValueError as e:
        MESSAGES.append(str(e))
        y = 0.5 * np.sum(x)
    return y


def except_as_in_a_loop(x):
    s = 0.0
    try:
        for i in range(3):
            s = s + math.log(x[i] + 1.0)
    except ValueError as err:
        msg = f"stopped: {err}"
        s = s + len(msg) * 0.01 * x[0]
    return s


def except_as_raise_with_a_format_spec(x):
    try:
        y = np.sum(x**2)
        if y > 1.0:
            raise ValueError(f"big {y:.3f}")
    except ValueError as e:
        y = y * (2.0 if "big" in str(e) else 1.0)
    return y


@pytest.mark.parametrize(
    "f", [except_as_logged, except_as_type_name, except_as_in_a_raising_body, except_as_in_a_loop]
)
def test_handler_reading_the_exception(f):
    _check(f, X3)
    _check(f, np.array([0.3, -1.7, 1.2]))


def test_handler_reading_the_exception_formerly_refused():
    # (tests/soundness/test_refuse6.py, test_refuse8.py, tests/lower/test_idioms16.py listed
    # these as refused)
    from tests.lower import test_idioms16
    from tests.soundness import test_refuse6, test_refuse8

    _check(test_idioms16.reads_exception, X3)
    with pytest.raises(RuntimeError, match="math domain error"):
        srcad.grad(test_idioms16.reads_exception)(-X3)
    _check(test_refuse6.try_reads_exception, X3)
    _check(test_refuse8.try_reads_exception, np.array([5.3, -0.7, 1.2]))
    _check(test_refuse8.try_reads_exception, np.array([4.3, -0.7, 1.2]))


def test_handler_reading_a_raised_exception_logs_once_per_call():
    n = len(MESSAGES)
    srcad.grad(except_as_in_a_raising_body)(X3)
    assert MESSAGES[n:] == ["big"]


def test_handler_reading_the_exception_logs_once_per_call():
    n = len(MESSAGES)
    srcad.grad(except_as_logged)(X3)
    assert MESSAGES[n:] == ["Matrix is not positive definite"]


def test_handler_reraising_with_the_message():
    with pytest.raises(RuntimeError, match="bad input: math domain error"):
        srcad.grad(except_as_reraised)(X3)


def test_raise_whose_message_may_raise_stays_refused():
    with pytest.raises(srcad.SrcadError, match="try"):
        srcad.grad(except_as_raise_with_a_format_spec)(X3)


class _Solver:
    def __init__(self, h):
        self.h = h

    def _step_euler(self, f, y):
        return y + self.h * f(y)

    def _step_rk2(self, f, y):
        return y + self.h * f(y + 0.5 * self.h * f(y))

    def solve(self, f, y, method="rk2"):
        step = getattr(self, f"_step_{method}")
        for _ in range(3):
            y = step(f, y)
        return y

    def solve_plus(self, f, y, method="rk2"):
        return getattr(self, "_step_" + method)(f, y)


def getattr_method_given_a_lambda(y0):
    s = _Solver(0.1)
    a = s.solve(lambda y: -y + np.sin(y), y0)
    b = s.solve(lambda y: -0.5 * y, y0, method="euler")
    return np.sum(a * b) + np.sum(s.solve_plus(lambda y: np.tanh(y), y0, "euler"))


def test_getattr_method_called_with_a_lambda():
    _check(getattr_method_given_a_lambda, X3)


def name_rebound_in_a_loop(y0):
    s = _Solver(0.1)
    m = "euler"
    y = y0
    for _ in range(2):
        y = getattr(s, f"_step_{m}")(np.sin, y)
        m = "rk2"
    return np.sum(y)


def name_chosen_by_a_branch(y0):
    s = _Solver(0.1)
    m = "euler"
    if y0[0] > 0:
        m = "rk2"
    return np.sum(getattr(s, "_step_" + m)(np.sin, y0))


@pytest.mark.parametrize("f", [name_rebound_in_a_loop, name_chosen_by_a_branch])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_name_known_only_when_running(f, sign):
    """Refused until session 44; lower/methodpick.py chooses among `_Solver`'s `_step_*` methods
    when the code runs (its branches read `s` as ``s._step_euler(...)`` does)."""
    x = sign * X3
    check_grads(f, (x,), order=2)
    e = np.eye(3) * 1e-6
    fd = [(f(x + e[i]) - f(x - e[i])) / 2e-6 for i in range(3)]
    np.testing.assert_allclose(srcad.grad(f)(x), fd, rtol=1e-6, atol=1e-8)
