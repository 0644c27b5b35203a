"""Session 9's `refuse9`: the idioms tests/corpus/users_idioms9.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), their
neighbours that must stay refused, and helpers inlined from another module reading that
module's globals (not the caller's of the same name)."""

from __future__ import annotations

import functools
import math
import time

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_idioms9
from tests.soundness import _foreign9

X = np.array([0.3, -0.7, 1.2])

HVP = scalar_float_cases([c for c in users_idioms9.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


# -- another module's globals -------------------------------------------------------------------
W = np.ones(3)  # the same names as _foreign9's: the inlined bodies must read theirs
C = 100.0


def calls_foreign_varargs(x):
    return np.sum(_foreign9.total(x, x * 2.0))


def builds_foreign_object(x):
    m = _foreign9.Lin(2.0)
    return m(x) * x[0]


@pytest.mark.parametrize("f", [calls_foreign_varargs, builds_foreign_object])
def test_foreign_globals(f) -> None:
    want = f(X.copy())
    assert np.allclose(srcad.primal(f)(X.copy()), want, rtol=1e-13, atol=0)
    g = srcad.grad(f)(X.copy())
    h = 1e-6
    fd = [(f(X + h * e) - f(X - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_foreign_global_rebound(monkeypatch) -> None:
    f = calls_foreign_varargs
    srcad.grad(f)(X)
    monkeypatch.setattr(_foreign9, "W", np.array([5.0, 0.0, 0.0]))
    monkeypatch.setattr(_foreign9, "C", 1.0)
    # sum(3x * C + sum(W * x)): 3C + 3W_i
    np.testing.assert_allclose(srcad.grad(f)(X), [18.0, 3.0, 3.0])
    np.testing.assert_allclose(srcad.primal(f)(X), f(X))


# -- decorators that stay refused ---------------------------------------------------------------
def counting(fn):
    n = 0

    @functools.wraps(fn)
    def wrapper(*a, **k):
        nonlocal n
        n += 1  # state the transform would not update
        return fn(*a, **k)

    return wrapper


def counts_args(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return fn(*a, **k) * len(a)  # w(x) and w(x=x) differ: bound another way at the top

    return wrapper


def _other(x, c=1.0):
    return np.sum(x) * 100.0


def calls_another(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return _other(*a, **k)  # not fn: its parameters may be bound another way

    return wrapper


@counting
def counted(x):
    return np.sum(x**2)


@counts_args
def len_of_args(x, c=2.0):
    return np.sum(x**2) * c


@calls_another
def forwards_elsewhere(x, c=1.0):
    return np.sum(x**2) * c


@pytest.mark.parametrize(
    "f, what",
    [
        (counted, "nonlocal"),
        (len_of_args, "with \\*args or"),
        (forwards_elsewhere, "with \\*args or"),
    ],
)
def test_wrappers_refused_at_the_top(f, what) -> None:
    with pytest.raises(srcad.SrcadError, match=what):
        srcad.grad(f)(X)


def test_wrapper_inlined_where_called() -> None:
    # called from transformed code the wrapper is inlined: `len(a)` as Python binds it
    def f(x):
        return len_of_args(x) + 0.5 * len_of_args(x=x) + forwards_elsewhere(x, c=2.0)

    assert np.isclose(srcad.primal(f)(X), f(X))
    np.testing.assert_allclose(srcad.grad(f)(X), 2 * 2.0 * X + 100.0)


# -- generators that stay refused ---------------------------------------------------------------
def _terms(x):
    for k in range(5):
        yield x**k / math.factorial(k)


def _doubling(xs):
    for i in range(len(xs)):
        xs[i] = xs[i] * 2.0
        yield xs[i]


def _walk(xs):
    for v in xs:
        yield v * 1.0


def loop_breaks(x):
    s = 0.0
    for t in _terms(x[0]):
        if t < 0.01:
            break  # Python never computes the rest
        s = s + t
    return s


def stored_generator(x):
    g = _terms(x[0])
    return sum(g)


def next_item(x):
    return next(_terms(x[0]))


def loop_over_writer(x):
    xs = [x[0], x[1]]
    s = 0.0
    for t in _doubling(xs):  # the loop body reads xs while the generator doubles its items
        s = s + t * xs[1]
    return s


def loop_body_appends(x):
    xs = [x[0], x[1]]
    s = 0.0
    for t in _walk(xs):  # Python's generator sees the appended items
        s = s + t
        if len(xs) < 4:
            xs.append(t)
    return s


@pytest.mark.parametrize(
    "f, what",
    [
        (next_item, "is a generator"),
        (loop_over_writer, "writes into an object"),
        (loop_body_appends, "rebound or updated"),
    ],
)
def test_generators_refused(f, what) -> None:
    with pytest.raises(srcad.SrcadError, match=what):
        srcad.grad(f)(X)


def test_stored_generator_consumed_later() -> None:
    """``g = _terms(x[0]); sum(g)``: since refuse10 lowered at the read (lower/lazygen.py)."""
    assert srcad.primal(stored_generator)(X) == pytest.approx(stored_generator(X), rel=1e-14)
    h = 1e-6
    e = np.eye(3)[0]
    fd = (stored_generator(X + h * e) - stored_generator(X - h * e)) / (2 * h)
    assert srcad.grad(stored_generator)(X)[0] == pytest.approx(fd, rel=1e-6)


# -- clocks -------------------------------------------------------------------------------------
def clock_in_value(x):
    t = time.perf_counter()
    return np.sum(x**2) * (1.0 + 0.0 * t)  # the value depends on the clock (in principle)


def clock_in_branch(x):
    y = x * 2.0
    if time.time() > 0.0:
        y = x * 3.0
    return np.sum(y**2)


@pytest.mark.parametrize("f", [clock_in_value, clock_in_branch])
def test_clock_reaching_the_result_refused_by_columns(f) -> None:
    with pytest.raises(srcad.SrcadError, match="draw other random numbers"):
        srcad.hessian(f)(X)


def test_unused_clock_read_not_a_draw() -> None:
    # a timing wrapper's reads reach nothing returned: jacfwd/hessian run it once per column
    H = srcad.hessian(users_idioms9.timed_norm)(X)
    r = np.sqrt(np.sum(X**2) + 1.0)
    np.testing.assert_allclose(H, np.eye(3) / r - np.outer(X, X) / r**3, rtol=1e-12)


# -- callable objects, tuple outputs, functions passed on ---------------------------------------
class Model:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.sum(np.tanh(self.w * x))


def test_callable_object() -> None:
    m = Model(np.array([1.0, 2.0, 0.5]))
    g = srcad.grad(m)
    np.testing.assert_allclose(g(X), m.w * (1 - np.tanh(m.w * X) ** 2), rtol=1e-12)
    m.w = np.array([0.0, 0.0, 1.0])  # read when it runs, as a bound method's `self`
    np.testing.assert_allclose(g(X), m.w * (1 - np.tanh(m.w * X) ** 2), rtol=1e-12)
    H = srcad.hessian(m)(X)
    np.testing.assert_allclose(np.diag(H), -2 * np.tanh(X[2]) * (1 - np.tanh(X[2]) ** 2) * m.w)


def two_outputs(x, y):
    return np.sin(x[0]) * y[1], x**2 + y[2]


@pytest.mark.parametrize("jac", [srcad.jacfwd, srcad.jacrev])
def test_tuple_output_jacobians(jac) -> None:
    Y = np.array([2.0, 1.0, 0.5])
    J = jac(two_outputs, wrt=(0, 1))(X, Y)
    h = 1e-6
    for k, arg in enumerate((X, Y)):
        for i in range(2):
            cols = []
            for e in np.eye(3):
                a = [X, Y]
                a[k] = arg + h * e
                b = [X, Y]
                b[k] = arg - h * e
                cols.append(
                    (np.asarray(two_outputs(*a)[i]) - np.asarray(two_outputs(*b)[i])) / 2 / h
                )
            np.testing.assert_allclose(J[i][k], np.stack(cols, axis=-1), atol=1e-8)
    J0 = jac(two_outputs)(X, Y)  # one input: a block per output
    assert [np.shape(b) for b in J0] == [(3,), (3, 3)]
    H = srcad.jacfwd(jac(two_outputs))(X, Y)
    np.testing.assert_allclose(H[0], srcad.hessian(lambda x: np.sin(x[0]) * Y[1])(X), atol=1e-12)


def _apply(f, v):
    return f(v)


def nested_writer_passed(x):
    acc = []

    def g(v):
        acc.append(v)  # a write the helper's inlining would move
        return v

    return _apply(g, x[0]) + len(acc)


def _appends_then_calls(f, ys):
    ys.append(1.0)
    return f(2.0)


def helper_updates_what_lambda_reads(x):
    xs = [x[0]]
    return _appends_then_calls(lambda t: sum(xs) * t, xs)  # Python's lambda sees the append


@pytest.mark.parametrize(
    "f, what",
    [(nested_writer_passed, "writes a variable"), (helper_updates_what_lambda_reads, "shares")],
)
def test_functions_passed_refused(f, what) -> None:
    with pytest.raises(srcad.SrcadError, match=what):
        srcad.grad(f)(X)
