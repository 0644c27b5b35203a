"""Functions as values and recursion (lower/fnlists.py, lower/closures.unshadow): the idioms
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


def _recursion_writing_enclosing(a):
    cnt = 0

    def tot(xs):
        nonlocal cnt
        cnt += 1
        if not xs:
            return 0.0
        return xs[0] * 2.0 + tot(xs[1:])

    return tot(list(a)) + cnt


def _mutual_recursion(a):
    def ev(xs):
        if not xs:
            return 0.0
        return xs[0] + od(xs[1:])

    def od(xs):
        if not xs:
            return 0.0
        return 2.0 * xs[0] + ev(xs[1:])

    return ev(list(a))


def _make_counter():
    total = 0.0

    def add(z):
        nonlocal total
        total = total + z
        return total

    return add


def _counter_in_a_loop(a):
    t = _make_counter()
    for v in a:
        t(v)
    return t(0.0)


def _counter_in_a_branch(a):
    t = _make_counter()
    if a[0] > 0:
        t(a[1])
    return t(a[2])


def _make_pair():
    total = 0.0

    def add(z):
        nonlocal total
        total = total + z
        return total

    def get():
        return total

    return add, get


def _pair_sharing_state(a):
    add, get = _make_pair()
    add(a[0])
    return get() * a[1]


def _lambdas_reading_the_target(a):
    m = np.outer(a, a)
    fs = [lambda z: np.sum(z * row) for row in m]  # noqa: B023 - every lambda sees the last row
    return sum(g(a) for g in fs)


def _helper_writing_the_callers_variable(a):
    w = np.sin(a)

    def apply(g, v):
        nonlocal w
        w = w * 2.0
        return g(v)

    return np.sum(apply(lambda z: z * w, a))


def _helper_calling_a_writer(a):
    w = 1.0

    def bump():
        nonlocal w
        w = w + 1.0

    def apply(g, v):
        bump()  # Python's lambda then reads w = 2.0 (carried, it read 1.0: 0.9 for 1.8)
        return g(v)

    return np.sum(apply(lambda z: z * w, a))


def _lambdas_used_where_a_target_hides_their_name(a):
    v = 10.0
    m = np.outer(a, a)
    fs = [lambda z, row=row: np.sum(z * row) * v for row in m]
    # Python's lambdas read the function's v (10.0); made inside this comprehension (the
    # rewrite of lower/fnrows.py) they read its target: 1.1 for Python's 31.7 before the check
    return sum(g(v) for v in (a, a * a) for g in fs)


REFUSED = [
    _lambdas_used_where_a_target_hides_their_name,
    _helper_calling_a_writer,
    _helper_writing_the_callers_variable,
    _lambdas_reading_the_target,
    _counter_in_a_loop,
    _counter_in_a_branch,
    _pair_sharing_state,
    _alias_before_append,
    _append_in_branch,
    _list_passed_on,
    _recursion_writing_enclosing,
    _mutual_recursion,
]


@pytest.mark.parametrize("fn", REFUSED)
def test_stays_refused(fn):
    """A list another name holds, an append on one path only, a list of nested functions used
    as a value: srcad's list of known functions would not be Python's list. A recursive
    function writing an enclosing variable, or calling another nested function: not lifted. A
    factory's function updating its state called in a loop body or a branch, or two sharing
    it: the state would need a loop carry or a join (or be copied)."""
    with pytest.raises(srcad.SrcadError):
        srcad.grad(fn)(X.copy())


SCALE = 2.0


def _reads_a_global(a):
    def tot(xs):
        if len(xs) == 0:
            return 0.0
        return xs[0] * SCALE + tot(xs[1:])

    return tot(a * a)


def test_lifted_recursion_reads_globals_when_it_runs():
    """The lifted function reads the module's globals as they are when it runs (a copy of the
    module's dict taken when lifting kept SCALE at 2.0 after it was rebound: 4.18 for 10.45)."""
    global SCALE
    x = X.copy()
    g = srcad.grad(_reads_a_global)
    try:
        np.testing.assert_allclose(g(x), 2 * x * SCALE, rtol=1e-14)
        SCALE = 5.0
        np.testing.assert_allclose(g(x), 2 * x * SCALE, rtol=1e-14)
        assert srcad.primal(_reads_a_global)(x) == pytest.approx(_reads_a_global(x), rel=1e-14)
    finally:
        SCALE = 2.0


def _grad_of_inner_with_import(x):
    import math

    inner = lambda y: np.sum(y * y * SCALE) + math.sin(y[0])  # noqa: E731
    return np.sum(srcad.grad(inner)(x) * x)


def test_lifted_inner_reads_globals_when_it_runs():
    """WRONG on main: `srcad.grad(inner)` of a lambda in a function that imports a module was
    lifted with a copy of the module's globals (to add the import), so a global rebound later
    kept its old value: 12.91 for Python's 21.27 after SCALE went from 3.0 to 5.0."""
    global SCALE
    x = X.copy()
    try:
        SCALE = 3.0
        assert srcad.primal(_grad_of_inner_with_import)(x) == pytest.approx(
            _grad_of_inner_with_import(x), rel=1e-14
        )
        SCALE = 5.0
        assert srcad.primal(_grad_of_inner_with_import)(x) == pytest.approx(
            _grad_of_inner_with_import(x), rel=1e-14
        )
        want = 4 * SCALE * x + np.array([np.cos(x[0]) - x[0] * np.sin(x[0]), 0.0, 0.0])
        np.testing.assert_allclose(srcad.grad(_grad_of_inner_with_import)(x), want, rtol=1e-12)
    finally:
        SCALE = 2.0


def _derivative_of_inner_in_a_comprehension(x):
    w = 10.0
    inner = lambda y: np.sum(y * y * w)  # noqa: E731
    return sum(np.sum(srcad.grad(inner)(x)) for w in (1.0, 2.0))


def test_derivative_of_a_nested_function_reads_its_own_scope():
    """WRONG on main: `srcad.grad(inner)(x)` called in a comprehension whose target has the name
    of a variable `inner` reads passed the comprehension's value (5.4 for Python's 36.0)."""
    x = X.copy()
    f = _derivative_of_inner_in_a_comprehension
    assert srcad.primal(f)(x) == pytest.approx(f(X.copy()), rel=1e-14)
    np.testing.assert_allclose(srcad.grad(f)(x), np.full(3, 40.0), rtol=1e-13)
