"""Session 12's `try12`: the ``try`` statements tests/corpus/users_try12.py accepts, at second
order, their values against Python at both inputs, and the neighbours that must stay refused
(where Python's handler would see what srcad cannot follow)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_try12
from tests.soundness.numeric import check_scalar

HVP = scalar_float_cases([c for c in users_try12.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


@pytest.mark.parametrize("case", users_try12.CASES, ids=[c.name for c in users_try12.CASES])
def test_values_and_gradient(case: Case) -> None:
    (x,) = case.args
    np.testing.assert_allclose(srcad.primal(case.fn)(x.copy()), case.fn(x.copy()), rtol=1e-13)
    h = 1e-6
    fd = [(case.fn(x + h * e.reshape(x.shape)) - case.fn(x - h * e.reshape(x.shape))) / (2 * h)
          for e in np.eye(x.size)]  # fmt: skip
    g = np.ravel(srcad.grad(case.fn)(x.copy()))
    np.testing.assert_allclose(g, np.array(fd), rtol=1e-6, atol=1e-8)


def test_handlers_taken_where_python_takes_them() -> None:
    """Each case's two inputs run different parts (so both parts are checked)."""
    f = users_try12.library_raises_in_branch
    assert f(users_try12.SMALL) == pytest.approx(0.1 * 0.2)  # math.log(-0.65): the handler
    g = users_try12.index_error_in_loop
    assert g(users_try12.SMALL) == pytest.approx(1.0 + 0.01 + 0.04 + 0.0025)  # a[3]: IndexError


def uncaught_raise(a):
    try:
        if float(a[0]) > 0.3:
            raise RuntimeError("large")  # no handler: it leaves the function
        y = np.tanh(a)
    except ValueError:
        y = a
    return np.sum(y)


def test_uncaught_raise_leaves_the_function() -> None:
    """(not a corpus case: the exception's constructor has no primitive record)"""
    small = users_try12.SMALL
    np.testing.assert_allclose(srcad.grad(uncaught_raise)(small), 1.0 - np.tanh(small) ** 2)
    with pytest.raises(RuntimeError, match="large"):
        srcad.grad(uncaught_raise)(users_try12.LARGE)


def unbound_read_caught(a):
    try:
        if float(a[0]) > 5.0:
            y = a * 2.0
        z = np.sum(y)  # UnboundLocalError, a NameError: the handler
    except Exception:
        z = 7.0
    return z


def unbound_read_straight_line(a):
    if float(a[0, 0]) > 5.0:
        y = a * 2.0
    try:
        z = np.sum(y)  # UnboundLocalError, caught below (srcad gave None before session 12)
    except Exception:
        z = 7.0
    return z


def test_unbound_read_never_a_wrong_value() -> None:
    m = np.array([[2.0, 0.1], [0.1, 1.5]])
    assert unbound_read_straight_line(m) == 7.0
    try:
        got = srcad.primal(unbound_read_straight_line)(m)
    except srcad.SrcadError:
        return
    assert got == 7.0


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
        y = h(a)  # the function's own one-expression helper: inlined (lower/trybodies.py)
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


def copyto_fancy(m):
    u = m.copy()
    np.copyto(u[[0, 1]], 2.0)  # a copy: Python leaves `u` as it is
    return np.sum(u * m)


def copyto_name_index(m):
    u = m.copy()
    i = np.array([0, 2])
    np.copyto(u[i, :], 2.0)  # `i` may be an array: a copy
    return np.sum(u * m)


def copyto_loop_index(m):
    u = m.copy()
    for k in range(2):
        np.copyto(u[k + 1, :], 2.0)  # an index whose kind (int or array) is known when it runs
    return np.sum(u * m)


def copyto_view_read_after(m):
    u = m.copy()
    w = u[:, 1]
    np.copyto(u[1:, :], 0.5 * m[:-1])
    return np.sum(w * m[:, 1])  # `w` sees the write: the view rules decide


def ndindex_star_list(m):
    t = 0.0
    dims = list(m.shape)
    for i, j in np.ndindex(*dims):  # no shape: its length is not known when lowering
        t = t + m[i, j]
    return t


@pytest.mark.parametrize(
    "f, match",
    [
        (copyto_fancy, "`numpy.copyto` writes into an existing array"),
        (copyto_name_index, "`numpy.copyto` writes into an existing array"),
        (copyto_loop_index, "`numpy.copyto` writes into an existing array"),
        (copyto_view_read_after, "`w` is read after the object it shares"),
        (ndindex_star_list, "`\\*args` in a call"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_refused_array_writes(f, match) -> None:
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(users_try12.M43.copy())


@pytest.mark.parametrize(
    "f, match",
    [
        (unbound_read_caught, "`try`/`except` is supported"),
        (unbound_read_straight_line, "`try`/`except` is supported"),
        (nested_try, "`try`/`except` is supported"),
        (raise_computed_message, "`try`/`except` is supported"),
        (finally_returns, "with `finally` is supported only when no part returns"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_refused(f, match) -> None:
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(np.array([[2.0, 0.1], [0.1, 1.5]]))


def test_helper_in_try_inlined() -> None:
    # refused until refuse27; now the helper's body is checked step by step: both parts, and
    # Python's own TypeError (float() of a row) where Python raises it
    for x in (np.array([0.2, 0.5, 1.3]), np.array([0.5, 0.7, 1.3])):
        check_scalar(helper_in_try, x)
    with pytest.raises(TypeError):
        srcad.grad(helper_in_try)(np.array([[2.0, 0.1], [0.1, 1.5]]))


@pytest.mark.parametrize(
    "f",
    [users_try12.reshape_view_of_copy, users_try12.ravel_view_of_arithmetic,
     users_try12.reshape_view_of_astype],
    ids=lambda f: f.__name__,
)  # fmt: skip
def test_reshape_view_of_fortran_array_refused_when_run(f) -> None:
    """Of an F-ordered argument `u` may be F-ordered too: its reshape is then a copy and Python
    leaves `u` as it was; the rewrite's assertion refuses it when it runs (never a wrong value)."""
    m = np.asfortranarray(users_try12.M43)
    try:
        got = srcad.primal(f)(m)
    except srcad.SrcadError as e:
        assert "C-contiguous" in str(e) and f is not users_try12.ravel_view_of_arithmetic
    else:  # (`np.ones(...) * m` is C-contiguous whatever `m`'s layout)
        assert f is users_try12.ravel_view_of_arithmetic
        np.testing.assert_allclose(got, f(m), rtol=1e-13)
    np.testing.assert_allclose(srcad.primal(f)(users_try12.M43), f(users_try12.M43), rtol=1e-13)


def alias_of_a_number(m):
    u = np.exp(np.zeros(()))  # np.float64, no array: `t += v` rebinds `t` only
    t = u
    t += m[0, 0]
    return u * m[0, 1] + t


def test_alias_of_a_number_refused_when_run() -> None:
    m = users_try12.M43
    with pytest.raises(srcad.SrcadError, match="is not a NumPy array"):
        srcad.primal(alias_of_a_number)(m)
