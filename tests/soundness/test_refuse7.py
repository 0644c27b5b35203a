"""Session 7's `refuse7`: the idioms tests/corpus/users_idioms7.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), and their
neighbours that must stay refused, each at its line with the reason."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_idioms7
from tests.corpus.users_idioms7 import Dense

X = np.array([0.3, -0.7, 1.2])

HVP = scalar_float_cases([c for c in users_idioms7.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def functions_aliased_then_appended(x):
    fs = [np.sin, np.cos]
    gs = fs
    gs.append(np.tanh)  # Python changes `fs` too: three functions in the loop
    s = 0.0
    for g in fs:
        s = s + g(x[0])
    return s


def layers_passed_then_looped(x):
    layers = [Dense(0.5), Dense(1.5)]
    _grow(layers)  # the helper appends a layer to the caller's list
    for layer in layers:
        x = layer(x)
    return np.sum(x)


def _grow(layers):
    layers.append(Dense(2.0))


def layers_used_in_loop_after_read(x):
    layers = [Dense(0.5), Dense(1.5)]
    s = 0.0
    for _ in range(2):
        for layer in layers:
            s = s + np.sum(layer(x))
        _grow(layers)  # the second pass runs three layers
    return s


def test_aliased_list_of_functions_was_wrong() -> None:
    """The loop unrolled the two functions the literal held: srcad.primal gave
    sin + cos (1.357 at 0.5) where Python gives sin + cos + tanh (1.819)."""
    x = np.array([0.5, 0.0, 0.0])
    assert np.isclose(functions_aliased_then_appended(x), np.sin(0.5) + np.cos(0.5) + np.tanh(0.5))
    with pytest.raises(srcad.SrcadError, match="not known here"):
        srcad.primal(functions_aliased_then_appended)(x)


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (functions_aliased_then_appended, "not known here"),
        (layers_passed_then_looped, "not known here"),
        (layers_used_in_loop_after_read, "in a nested block"),
    ],
)
def test_refused_neighbours(fn, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(X)
    assert "test_refuse7.py:" in str(e.value)


def test_run_time_key_missing_raises_as_python() -> None:
    """``table[key](x)`` with no such key raises KeyError / IndexError, as Python does."""
    from tests.corpus.users_idioms7 import ACTIVATIONS

    def f(x, name):
        return np.sum(ACTIVATIONS[name](x))

    def g(x, i):
        fs = [np.sin, np.cos]
        return np.sum(fs[i](x))

    with pytest.raises(KeyError):
        srcad.grad(f)(X, "nope")
    with pytest.raises(IndexError):
        srcad.grad(g)(X, 2)
    np.testing.assert_allclose(srcad.grad(g)(X, -1), -np.sin(X))


def test_global_table_replaced_remakes_the_transform() -> None:
    """The entries of a global table a transform chose from are recorded: replacing one
    re-makes the transform."""
    import tests.corpus.users_idioms7 as m

    def f(x, name):
        return np.sum(m.ACTIVATIONS[name](x))

    np.testing.assert_allclose(srcad.grad(f)(X, "square"), 2 * X)
    saved = m.ACTIVATIONS["square"]
    try:
        m.ACTIVATIONS["square"] = np.sin
        np.testing.assert_allclose(srcad.grad(f)(X, "square"), np.cos(X))
    finally:
        m.ACTIVATIONS["square"] = saved
