"""Functions as values and recursion (lower/fnlists.py, lower/closures._unshadow): the idioms
tests/corpus/users_fnval12.py accepts, at second order, Python's late binding against its own
values, and the neighbours that stay refused."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_fnval12

X = np.array([0.4, -0.7, 1.2])
HVP = scalar_float_cases([c for c in users_fnval12.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


@pytest.mark.parametrize("case", users_fnval12.CASES, ids=[c.name for c in users_fnval12.CASES])
def test_primal_is_pythons(case: Case) -> None:
    x = X.copy()
    assert srcad.primal(case.fn)(x) == pytest.approx(case.fn(X.copy()), rel=1e-14)


def test_comprehension_target_is_not_the_functions_variable():
    """`g` reads the function's `i` (10.0), not the comprehension's (Python gives the
    comprehension a scope of its own): srcad inlined g's body in the comprehension's environment
    and gave a tenth of Python's value (8.1 for 81.0)."""
    f = users_fnval12.comprehension_target_shadow
    x = np.array([0.5, 1.0, 1.2])
    assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-14)
    np.testing.assert_allclose(srcad.grad(f)(x), np.full(3, 30.0), rtol=1e-14)


def _alias_before_append(a):
    fs = []
    hs = fs
    for k in range(2):
        fs.append(lambda z, k=k: z * k)
    return np.sum(hs[1](a))


def _append_in_branch(a):
    fs = [np.sin]
    if a[0] > 0:
        fs.append(np.cos)
    return np.sum(fs[-1](a))


def _list_passed_on(a):
    fs = []
    for i in range(2):
        fs.append(lambda z, i=i: z + i)
    return len(list(fs)) * np.sum(a)


@pytest.mark.parametrize("fn", [_alias_before_append, _append_in_branch, _list_passed_on])
def test_stays_refused(fn):
    """A list another name holds, an append on one path only, a list of nested functions used
    as a value: srcad's list of known functions would not be Python's list."""
    with pytest.raises(srcad.SrcadError):
        srcad.grad(fn)(X.copy())
