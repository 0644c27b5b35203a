"""Session 8's `refuse8`: the idioms tests/corpus/users_idioms8.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), and their
neighbours that must stay refused, each at its line with the reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_idioms8

X = np.array([0.3, -0.7, 1.2])

HVP = scalar_float_cases([c for c in users_idioms8.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def try_method_statement(x):
    out = []
    try:
        out.append(math.log(x[0]))  # a statement with an effect: not a step
    except ValueError:
        out.append(x[1])
    return out[0]


def try_slice(x):
    try:
        y = np.sum(x[1:] ** 2)
    except IndexError:
        y = x[0]
    return y


def try_unpacking(x):
    try:
        a, b = np.divmod(x[0], x[1])  # unpacking could raise too
    except ValueError:
        a, b = x[0], x[1]
    return a * b


def try_attribute(x):
    try:
        y = np.sum(x.T * 2.0)  # an attribute read is not a step
    except AttributeError:
        y = x[0]
    return y


def try_loop_body(x):
    s = 0.0
    try:
        for v in x:
            s = s + math.log(v)
    except ValueError:
        s = -1.0
    return s


def test_try_slice_taken() -> None:
    """(session 12: a slice is a checked step, ``operator.getitem(x, slice(1, None))``)"""
    x = np.array([0.3, -0.7, 1.2])
    assert srcad.primal(try_slice)(x) == pytest.approx(try_slice(x))
    np.testing.assert_allclose(srcad.grad(try_slice)(x), [0.0, 2 * x[1], 2 * x[2]])


def test_try_loop_body_taken() -> None:
    """(session 12: a loop in the body is taken, lower/tryflow.py) math.log(-0.7): the handler."""
    x = np.array([0.3, -0.7, 1.2])
    assert srcad.primal(try_loop_body)(x) == try_loop_body(x) == -1.0
    np.testing.assert_allclose(srcad.grad(try_loop_body)(np.abs(x)), 1.0 / np.abs(x))


def try_reads_exception(x):
    try:
        y = math.log(x[0] - 5.0)
    except ValueError as e:
        y = x[1] * len(str(e))
    return y


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (try_method_statement, "pure NumPy/SciPy function only"),  # (`out.append`)
        (try_unpacking, "assignments of arithmetic"),
    ],
)
def test_refused_neighbours(fn, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(X)
    assert "test_refuse8.py:" in str(e.value)


def test_try_zero_division_takes_the_handler() -> None:
    """``a / (b - 1.0)`` of Python floats with ``b == 1.0`` raises ZeroDivisionError: the handler
    ``r = a * 3.0`` runs, so ``r * a + b`` has the gradient ``(6 a, 1)``."""
    f = users_idioms8.try_zero_division
    assert f(2.0, 1.0) == 13.0
    assert srcad.primal(f)(2.0, 1.0) == 13.0
    assert srcad.grad(f, wrt=(0, 1))(2.0, 1.0) == pytest.approx((12.0, 1.0))
    assert srcad.grad(f, wrt=(0, 1))(2.0, 3.0) == pytest.approx((2.0, 1.0 - 1.0))


def test_step_exception_no_handler_names_propagates() -> None:
    """A step raising what no handler names (IndexError from ``xs[5]`` under ``except
    ValueError``) propagates from the check, as from Python's statement."""

    def f(x):
        xs = [x[0], x[1]]
        try:
            y = math.log(xs[5])
        except ValueError:
            y = x[0]
        return y

    with pytest.raises(IndexError):
        f(X)
    with pytest.raises(IndexError):
        srcad.grad(f)(X)


def test_names_bound_before_the_failing_step_are_seen_by_the_handler() -> None:
    """The handler sees what the body's first statements bound (Python's state at the raise)."""

    def f(x):
        t = x[0]
        try:
            t = x[1] * 3.0
            u = math.sqrt(t)  # raises for x[1] < 0, after `t` was rebound
        except ValueError:
            u = t * x[2]
        return u

    for x in (X, np.abs(X)):
        assert srcad.primal(f)(x) == pytest.approx(f(x))
        eps = 1e-6
        fd = [(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(3)]
        np.testing.assert_allclose(srcad.grad(f)(x), fd, rtol=1e-6, atol=1e-8)


def import_module_list(x):
    from tests.corpus.users_idioms8 import TABLE  # a list the module could change

    return x[0] * TABLE[0]


def test_local_import_of_a_value_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="cannot use `TABLE` from a local import") as e:
        srcad.grad(import_module_list)(X)
    assert "test_refuse8.py:" in str(e.value)


def test_local_import_follows_the_module() -> None:
    """A function imported inside the function is recorded: replacing it in its module makes
    the transform again."""
    import tests.corpus.users_idioms8 as m

    def f(x):
        from tests.corpus.users_idioms8 import _safe_acos

        return _safe_acos(x[0])

    x = np.array([0.5, 0.0, 0.0])
    assert srcad.grad(f)(x)[0] == pytest.approx(-0.5 / math.sqrt(1 - 0.0625))
    saved = m._safe_acos
    try:
        m._safe_acos = lambda v: v * v
        assert srcad.grad(f)(x)[0] == pytest.approx(1.0)
    finally:
        m._safe_acos = saved


def fancy_copy_aliased(x):
    t = x[[1, 0]]
    u = t
    t *= 2.0  # `u` is the same copy: Python sees the change through it
    return np.sum(u) + x[2]


def fancy_copy_written_back(x):
    y = x.copy()
    y[[1, 0]][0] = 5.0  # Python writes into a copy and loses it
    return np.sum(y * y)


def mask_of_a_list(x):
    xs = [x[0], x[1]]
    t = xs[float(x[0]) > 0.0]  # a bool picks an item of a list: no copy
    t += 1.0
    return t


def test_fancy_copy_aliased_checked() -> None:
    """``u = t; t *= 2.0`` of the copy ``x[[1, 0]]``: `u` sees the update, as in Python
    (refused before iter41c: lower/opfork.py)."""
    assert srcad.primal(fancy_copy_aliased)(X.copy()) == pytest.approx(fancy_copy_aliased(X))
    check_grads(fancy_copy_aliased, (X.copy(),), modes=("fwd", "rev"), order=2)


def test_fancy_copy_write_is_lost() -> None:
    """``y[[1, 0]][0] = 5.0`` writes into NumPy's copy: `y` unchanged, as in Python
    (lower/copywrites.py; refused before)."""
    assert srcad.primal(fancy_copy_written_back)(X) == pytest.approx(fancy_copy_written_back(X))
    np.testing.assert_allclose(srcad.grad(fancy_copy_written_back)(X), 2.0 * X)


def test_mask_of_a_list_is_an_item() -> None:
    """``xs[b]`` of a list with a bool `b` is an item (shares with `xs`): the update of a float
    item rebinds it, as in Python."""
    assert srcad.primal(mask_of_a_list)(X) == pytest.approx(mask_of_a_list(X))
    np.testing.assert_allclose(srcad.grad(mask_of_a_list)(X), [0.0, 1.0, 0.0])  # xs[True]


def nested_varargs_one_shot(x):
    def twice(*vs):
        return sum(vs[0]) + sum(vs[0])  # Python's second sum finds the generator exhausted

    return twice(v * 2.0 for v in x)


def nested_keyword_only_missing(x):
    def g(a, *, c):
        return a * c

    return g(x[0])


def nested_unexpected_keyword(x):
    def g(a, b=1.0):
        return a * b

    return g(x[0], c=2.0)


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (nested_varargs_one_shot, "one-shot iterator"),
        (nested_keyword_only_missing, "missing the argument `c`"),
        (nested_unexpected_keyword, "unexpected argument `c`"),
    ],
)
def test_nested_arguments_refused(fn, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(X)
    assert "test_refuse8.py:" in str(e.value)


def test_table_get_without_default_raises_as_python() -> None:
    """``acts.get(name)(x)`` with no such key calls None: TypeError, as in Python."""

    def f(x, name):
        acts = {"tanh": np.tanh, "sin": np.sin}
        return np.sum(acts.get(name)(x))

    with pytest.raises(TypeError):
        f(X, "nope")
    with pytest.raises(TypeError):
        srcad.grad(f)(X, "nope")
    np.testing.assert_allclose(srcad.grad(f)(X, "sin"), np.cos(X))


def test_try_attribute_read_is_checked_as_a_step() -> None:
    # an array attribute (`x.T`) in a `try` body: checked with the real getattr (hunt38m's
    # lower/trysteps), so the body runs: d/dx sum(2 x.T) = 2
    np.testing.assert_allclose(srcad.grad(try_attribute)(X), 2.0 * np.ones_like(X), rtol=1e-15)
    assert srcad.jvp(try_attribute, (X,), (np.ones_like(X),))[1] == pytest.approx(2.0 * X.size)
