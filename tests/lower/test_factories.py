"""Function factories (lower/factories.py): the idioms tests/corpus/users_lead11.py accepts at
second order, the choice of function by a helper's branch, and the neighbours that stay refused
because Python's closure would see something srcad's inlined body would not."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_lead11

X4 = np.array([0.7, 0.5, 0.13, 0.9])
HVP = scalar_float_cases([c for c in users_lead11.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def _make_branch(kind, a):
    if kind == "sin":
        return lambda v: a * np.sin(v)
    return lambda v: a * np.cos(v)


def branch_by_constant(x):
    return _make_branch("sin", x[0])(x[1]) + _make_branch("cos", x[2])(x[3])


def test_a_branch_on_a_constant_picks_its_function():
    """Before string comparisons folded, the join of the two `return`s kept the path that had
    not returned: both calls used the cosine (0.437 for Python's 0.416)."""
    x = X4.copy()
    assert srcad.primal(branch_by_constant)(x) == pytest.approx(branch_by_constant(x), rel=1e-14)
    want = np.array([np.sin(x[1]), x[0] * np.cos(x[1]), np.cos(x[3]), -x[2] * np.sin(x[3])])
    np.testing.assert_allclose(srcad.grad(branch_by_constant)(x), want, rtol=1e-13)


def _make_dyn(a):
    if a > 0.5:
        return lambda v: a * np.sin(v)
    return lambda v: a * np.cos(v)


def branch_at_run_time(x):
    return _make_dyn(x[0])(x[1]) + _make_dyn(x[2])(x[3])


def _make(a):
    def g(v):
        return a * np.sin(v)

    return g


def argument_updated_after(x):
    w = x * 1.0
    g = _make(w)
    w[0] = 5.0  # Python's g sees it (its `a` is this array)
    return np.sum(g(x))


def _make_acc():
    hist = []

    def g(v):
        hist.append(v)
        return sum(hist)

    return g


def state_kept_between_calls(x):
    g = _make_acc()
    return g(x[0]) + g(x[1])  # Python: x0 + (x0 + x1)


def _make_counter(a):
    n = 0

    def g(v):
        nonlocal n
        n += 1
        return a * v * n

    return g


def nonlocal_counter(x):
    g = _make_counter(x[0])
    return g(x[1]) + g(x[2])


def reads_the_callers_variable(x):
    def mk(a):
        return lambda v: a * v * x[0]  # `x` read when the lambda runs

    g = mk(x[1])
    x = x * 2.0
    return np.sum(g(x))


def _make_appending(buf):
    buf.append(1.0)
    return lambda v: v * buf[0]


def factory_updating_its_argument(x):
    buf = [x[0]]
    g = _make_appending(buf)
    return g(x[1]) + buf[1] * x[2]


def _pair(a):
    return (lambda v: a * v), (lambda v: a + v)


def pair_kept_whole(x):
    p = _pair(x[0])
    return np.sum(p[0](x))


def pair_passed_on(x):
    return _apply_first(_pair(x[0]), x)


def _apply_first(p, v):
    return np.sum(p[0](v))


@pytest.mark.parametrize("f", [state_kept_between_calls, nonlocal_counter])
def test_state_kept_between_calls(f):
    """Refused before session 12 (lower/fnstate.py): the factory's variables the returned
    function updates are kept between its calls, as Python's closure cells are."""
    x = X4.copy()
    assert srcad.primal(f)(x) == pytest.approx(f(X4.copy()), rel=1e-14)
    check_hvp_and_hessian(Case(f, (X4,), (0,)))
    v = np.array([0.3, -0.2, 0.5, 0.1])
    fd = (f(x + 1e-6 * v) - f(x - 1e-6 * v)) / 2e-6
    assert float(srcad.grad(f)(x) @ v) == pytest.approx(fd, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize(
    "f, match",
    [
        (pair_kept_whole, "can only be unpacked into names"),
        (pair_passed_on, "a tuple of functions a helper returned is used as a value"),
        (branch_at_run_time, "returns a function on one path and another"),
        (argument_updated_after, "is read after the object it shares with another name"),
        (reads_the_callers_variable, "`mk` returns reads `x` of the function around it"),
        (factory_updating_its_argument, "used as a value"),
    ],
)
def test_refused_neighbours(f, match):
    f(X4.copy())  # plain Python runs it
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X4.copy())


SCALE = 2.0


def _make_scaled(a):
    def g(v):
        return a * np.sin(v) * SCALE

    return g


def scaled(x):
    return np.sum(_make_scaled(x[0])(x))


def test_a_global_the_returned_function_reads_is_followed():
    global SCALE
    x = X4.copy()
    try:
        first = srcad.grad(scaled)(x)
        SCALE = 3.0
        again = srcad.grad(scaled)(x)
    finally:
        SCALE = 2.0
    np.testing.assert_allclose(again, first * 1.5, rtol=1e-13)
