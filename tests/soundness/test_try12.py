"""Session 12's `try12`: the ``try`` statements tests/corpus/users_try12.py accepts, at second
order, their values against Python at both inputs, and the neighbours that must stay refused
(where Python's handler would see what srcad cannot follow)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_try12

HVP = scalar_float_cases([c for c in users_try12.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


@pytest.mark.parametrize("case", users_try12.CASES, ids=[c.name for c in users_try12.CASES])
def test_values_and_gradient(case: Case) -> None:
    (x,) = case.args
    np.testing.assert_allclose(srcad.primal(case.fn)(x.copy()), case.fn(x.copy()), rtol=1e-13)
    h = 1e-6
    fd = [(case.fn(x + h * e) - case.fn(x - h * e)) / (2 * h) for e in np.eye(len(x))]
    np.testing.assert_allclose(srcad.grad(case.fn)(x.copy()), fd, rtol=1e-6, atol=1e-8)


def test_handlers_taken_where_python_takes_them() -> None:
    """Each case's two inputs run different parts (so both parts are checked)."""
    f = users_try12.library_raises_in_branch
    assert f(users_try12.SMALL) == pytest.approx(0.1 * 0.2)  # math.log(-0.65): the handler
    g = users_try12.index_error_in_loop
    assert g(users_try12.SMALL) == pytest.approx(1.0 + 0.01 + 0.04 + 0.0025)  # a[3]: IndexError


def unbound_read_caught(a):
    try:
        if float(a[0]) > 5.0:
            y = a * 2.0
        z = np.sum(y)  # UnboundLocalError, a NameError: the handler
    except Exception:
        z = 7.0
    return z


def nested_try(a):
    try:
        try:
            y = np.linalg.cholesky(a)
        except ValueError:
            y = a
    except np.linalg.LinAlgError:  # would have to see through the inner statement
        y = a * 2.0
    return np.sum(y)


def raise_computed_message(a):
    try:
        if float(a[0]) > 0.3:
            raise ValueError(f"big {a[0]}")  # formatting could raise: not taken
        y = a
    except ValueError:
        y = a * 2.0
    return np.sum(y)


def helper_in_try(a):
    def h(v):
        return np.log(v)

    try:
        if float(a[0]) > 0.3:
            raise ValueError
        y = h(a)  # a user function: not checked step by step
    except ValueError:
        y = a
    return np.sum(y)


def finally_returns(a):
    y = a
    for _ in range(2):
        try:
            y = np.log(y)
            break  # (the `finally` part runs between the exit and its target)
        except ValueError:
            y = a
        finally:
            y = y * 2.0
    return np.sum(y)


@pytest.mark.parametrize(
    "f, match",
    [
        (unbound_read_caught, "`try`/`except` is supported"),
        (nested_try, "`try`/`except` is supported"),
        (raise_computed_message, "`try`/`except` is supported"),
        (helper_in_try, "`try`/`except` is supported"),
        (finally_returns, "with `finally` is supported only when no part returns"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_refused(f, match) -> None:
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(np.array([[2.0, 0.1], [0.1, 1.5]]))
