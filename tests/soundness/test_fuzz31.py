"""Session 31 (fuzz31): what the fuzzer (tests/fuzz, seeds 31100000+) found.

- Spurious refusal (wild seed 31100022): a ``:=`` target of a comprehension, read nowhere else in
  the function, was refused ("binds `y` in the function, which has no value before it") when a
  nested def or lambda had a parameter or local of the same name (``def g(y): ...``): its reads
  of its own `y` counted as reads of the function's (lower/closures._read_only_in). Names local
  to a nested def/lambda are now left out, not its defaults (which run in the function) nor a
  free or ``nonlocal`` use of the name, which stayed refused (lifted by refuse31 the same
  session: the target is the last item's value after the comprehension, checked here).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X4 = np.array([0.31, -0.72, 1.13, 0.57])


def walrus_and_param(x):
    def g(y):
        return y * 2.0

    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    return sum(a) + g(x[0])


def walrus_and_lambda(x):
    g = lambda y: y * 2.0  # noqa: E731
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    return sum(a) + g(x[0])


def walrus_and_local(x):
    def g(t):
        y = t * 3.0
        return y * t

    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    return sum(a) + g(x[1])


def walrus_and_closure_of_param(x):
    def g(y):
        def h(t):
            return t * y

        return h(2.0)

    a = [y * e for e in x if (y := e * 2.0 - 0.1) > 0.0]
    return sum(a) + g(x[1])


def _want(x):
    """The gradient of ``sum(2 e - 0.1 for e > 0)``."""
    return np.where(x * 2.0 - 0.1 > 0.0, 2.0, 0.0)


@pytest.mark.parametrize(
    ("f", "extra"),
    [
        (walrus_and_param, np.array([2.0, 0.0, 0.0, 0.0])),
        (walrus_and_lambda, np.array([2.0, 0.0, 0.0, 0.0])),
        (walrus_and_local, np.array([0.0, 6.0 * X4[1], 0.0, 0.0])),
    ],
)
def test_walrus_target_shadowed_in_nested_function(f, extra) -> None:
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), _want(X4) + extra, rtol=1e-12)
    check_grads(f, (X4.copy(),))


def test_walrus_target_closure_of_nested_param() -> None:
    f = walrus_and_closure_of_param
    want = np.where(X4 * 2.0 - 0.1 > 0.0, 4.0 * X4 - 0.1, 0.0) + np.array([0, 2.0, 0, 0])
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), want, rtol=1e-12)
    check_grads(f, (X4.copy(),))


def free_read(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]

    def g(t):
        return t * y

    return sum(a) + g(x[1])


def default_read(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]

    def g(t, y=y):
        return t * y

    return sum(a) + g(x[1])


def nonlocal_read(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]

    def g(t):
        nonlocal y
        return t * y

    return sum(a) + g(x[1])


def lambda_default_read(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    g = lambda t, y=y: t * y  # noqa: E731
    return sum(a) + g(x[1])


@pytest.mark.parametrize("f", [free_read, default_read, nonlocal_read, lambda_default_read])
def test_walrus_target_read_by_nested_function(f) -> None:
    # (refused when fuzz31 wrote this; refuse31's f614663 binds the target as a `for` loop's
    # name, the last item's value, which the nested function reads as Python's does)
    np.testing.assert_allclose(srcad.primal(f)(X4.copy()), f(X4.copy()), rtol=1e-14)
    check_grads(f, (X4.copy(),))
