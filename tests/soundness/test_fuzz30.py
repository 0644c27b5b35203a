"""Session 30 (fuzz30): what the wild grammar's session-30 forms (tests/fuzz/gen_wild_30.py) found.

- ``raise E(t)`` inside a ``try`` whose handler catches it, with a name or an f-string of names as
  the argument (``raise KeyError(t)`` in a loop, ``raise ValueError(f"norm {s} too large")``),
  was refused: only constant arguments were taken (lower/tryflow.py). The handlers do not read
  the exception, and evaluating a name or ``str`` of one cannot raise, so the handler taken is
  decided as for constants; a name stays refused when a handler may catch the NameError of an
  unbound one, and so does an f-string with a format spec (``f"{x:.3f}"`` raises TypeError for
  an array).
- A call of the function's own helper of several statements inside a ``try`` (``def g(z): y =
  np.log(z * z + 1.0); if float(np.sum(y)) > c: raise ArithmeticError(...); return y`` then
  ``try: v = g(x) + 1.0 except ArithmeticError: ...``, a validation helper) was refused as "a
  call of a pure NumPy/SciPy function only": only one-expression helpers were inlined. Such a
  helper called as the first thing its statement evaluates (after names and constants) is now
  inlined as statements, its locals renamed (lower/trycalls.py), so the ``raise`` inside it
  reaches the handlers as Python's does; not when a handler may catch NameError.
- ``srcad.hessian`` (and ``jacrev(grad)``) of a loss of ``np.linalg.lstsq(A, b)[0]`` was refused
  ("eigenvectors (singular vectors) of a repeated eigenvalue ... have no derivative") when the
  full-rank A had tied singular values (``np.outer(a, a) + 3 * np.eye(3)``): lstsq's VJP always
  added its singular values' term, reading the singular vectors, even with a zero cotangent, and
  the second order differentiated them. The term is added only when the singular values have a
  cotangent (found by the fuzzer's new check of the Hessian entry points, tests/fuzz/oracle3.py).
- A dict comprehension whose values share one array, updated in place through one key, was
  refused (rightly) naming "a list built by a comprehension": the message says list or dict.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

from .numeric import check_scalar


def raise_name_in_loop(x):
    v = x * 0.0
    for t in range(3):
        try:
            if t == 1:
                raise KeyError(t)
            v = v + np.cos(x * (t + 1.0))
        except KeyError:
            v = v * 0.5
    return np.sum(v)


def raise_fstring(x):
    s = float(np.sum(x * x))
    try:
        if s > 1.0:
            raise ValueError(f"norm {s} too large for {x!r}")
        v = np.sin(x)
    except ValueError:
        v = x / s
    return np.sum(v)


def raise_fstring_uncaught(x):
    s = float(np.sum(x * x))
    try:
        if s > 100.0:
            raise ValueError(f"norm {s} too large")
        v = np.sin(x)
    except KeyError:
        v = x / s
    return np.sum(v)


@pytest.mark.parametrize("fn", [raise_name_in_loop, raise_fstring, raise_fstring_uncaught])
@pytest.mark.parametrize("scale", [1.0, 0.1])
def test_raise_with_name_arguments_in_try(fn, scale):
    check_scalar(fn, np.array([0.3, -0.7, 1.1]) * scale)


def test_raise_with_name_arguments_uncaught_leaves_as_in_python():
    x = np.array([3.0, -7.0, 11.0])
    with pytest.raises(ValueError, match="too large"):
        raise_fstring_uncaught(x)
    with pytest.raises(ValueError, match="too large"):
        srcad.grad(raise_fstring_uncaught)(x)


def raise_unbound_name_caught(x):
    try:
        if float(np.sum(x)) > 0.0:
            raise ValueError(not_defined_anywhere)  # noqa: F821 - Python raises NameError here
        v = np.sin(x)
    except (ValueError, NameError):
        v = x * 2.0
    return np.sum(v)


def raise_format_spec(x):
    try:
        if float(np.sum(x)) > 0.0:
            raise ValueError(f"{x:.3f}")  # (TypeError for an array: not caught)
        v = np.sin(x)
    except ValueError:
        v = x * 2.0
    return np.sum(v)


@pytest.mark.parametrize("fn", [raise_unbound_name_caught, raise_format_spec])
def test_raise_arguments_that_may_raise_stay_refused(fn):
    with pytest.raises(srcad.SrcadError, match="try"):
        srcad.grad(fn)(np.array([0.3, 0.7]))


def dict_comp_sharing_one_array(x):
    y = x * 1.0
    d = {k: y for k in "ab"}
    d["a"] += 1.0  # (also d["b"]: one array)
    return np.sum(d["b"] * x)


def test_dict_comprehension_sharing_an_array_refused_naming_a_dict():
    # the refusal named "a list built by a comprehension" for a dict comprehension's value
    with pytest.raises(srcad.SrcadError, match="a list or dict built by a comprehension"):
        srcad.grad(dict_comp_sharing_one_array)(np.array([0.3, 0.7]))


def helper_raise(x):
    def g(z):
        y = np.log(z * z + 1.0)
        if float(np.sum(y)) > 0.5:
            raise ArithmeticError("too big")
        return y

    try:
        v = g(x) + 1.0
    except ArithmeticError:
        v = np.tanh(x)
    return np.sum(v)


def helper_reads_rebound_closure(x):
    c = 1.0

    def g(z):
        y = z * c
        if float(np.sum(y)) > 0.0:
            raise ValueError("positive")
        return y

    c = -2.0  # (read by g when called)
    try:
        v = g(x)
    except ValueError:
        v = x * 3.0
    return np.sum(v)


def helper_calling_helper(x):
    def h(z):
        y = z * 0.5
        if float(np.sum(y)) > 0.2:
            raise KeyError("h")
        return y

    def g(z):
        y = h(z) + 1.0
        return y * y

    try:
        v = g(x)
    except KeyError:
        v = x
    return np.sum(v)


def helper_local_shadows(x):
    y = x * 10.0

    def g(z):
        y = z * 2.0
        if float(np.sum(y)) > 0.0:
            raise ValueError("positive")
        return y

    try:
        v = g(x) + y
    except ValueError:
        v = y * 3.0
    return np.sum(v)


def helper_twice(x):
    def g(z):
        y = np.sin(z)
        if float(np.sum(y)) > 0.1:
            raise ValueError("positive")
        return y

    try:
        v = g(x) + g(x * 0.5)
    except ValueError:
        v = x * 3.0
    return np.sum(v)


def helper_in_loop(x):
    def g(z, t):
        y = z * (t + 1.0)
        if float(np.sum(y)) > 1.0:
            raise ValueError("large")
        return y

    v = x * 0.0
    for t in range(4):
        try:
            v = v + g(x, t)
        except ValueError:
            v = v * 0.5
    return np.sum(v)


def helper_with_loop_in_library_call(x):
    def g(z, n):
        acc = z * 0.0
        for k in range(n):
            acc = acc + np.sin(z * (k + 1))
            if float(np.max(acc)) > 1.5:
                raise ValueError(f"diverged at {k}")
        return acc

    try:
        v = np.sum(g(x, 3)) * 2.0
    except ValueError:
        v = np.sum(x**2)
    return v


HELPERS = [
    helper_raise,
    helper_with_loop_in_library_call,
    helper_reads_rebound_closure,
    helper_calling_helper,
    helper_local_shadows,
    helper_twice,
    helper_in_loop,
]


@pytest.mark.parametrize("fn", HELPERS)
@pytest.mark.parametrize("x", [[0.3, -0.7, 1.1], [0.01, -0.02, 0.03], [-0.3, -0.5, 0.1]])
def test_helper_raising_inside_try(fn, x):
    check_scalar(fn, np.array(x))


def helper_uncaught(x):
    def g(z):
        y = z * 2.0
        if float(np.sum(y)) > 100.0:
            raise ValueError("big")
        return y

    try:
        v = g(x)
    except KeyError:
        v = x * 3.0
    return np.sum(v)


def test_helper_raising_what_no_handler_catches_leaves_as_in_python():
    check_scalar(helper_uncaught, np.array([0.3, -0.7, 1.1]))
    with pytest.raises(ValueError, match="big"):
        srcad.grad(helper_uncaught)(np.array([30.0, 70.0, 11.0]))


def helper_caught_by_exception(x):
    def g(z):
        y = z * 2.0
        if float(np.sum(y)) > 0.0:
            raise ValueError("positive")
        return y

    try:
        v = g(x)
    except Exception:  # (would catch the NameError of a helper local read unbound)
        v = x * 3.0
    return np.sum(v)


def test_helper_in_try_whose_handler_may_catch_name_error_stays_refused():
    with pytest.raises(srcad.SrcadError, match="try"):
        srcad.grad(helper_caught_by_exception)(np.array([0.3, 0.7]))


SCALE = 2.0


def helper_reads_its_local_unbound(x):
    def g(z):
        y = z * SCALE  # noqa: F823 - SCALE is g's local: UnboundLocalError in Python
        if float(np.sum(y)) > 0.0:
            SCALE = 1.0
        return y * SCALE

    try:
        v = g(x)
    except TypeError:
        v = x * 3.0
    return np.sum(v)


def test_helper_in_try_reading_its_local_unbound_stays_refused():
    x = np.array([0.3, 0.5])
    with pytest.raises(UnboundLocalError):
        helper_reads_its_local_unbound(x)
    with pytest.raises(srcad.SrcadError, match="try"):
        srcad.grad(helper_reads_its_local_unbound)(x)


def lstsq_of_tied_singular_values(a):
    A = np.outer(a, a) + 3.0 * np.eye(3)  # (singular values 3 + |a|^2, 3, 3)
    return np.sum(np.linalg.lstsq(A, a, rcond=None)[0] ** 2)


def lstsq_with_its_singular_values(a):
    A = np.outer(a, a) + 3.0 * np.eye(3) + np.diag([0.0, 0.5, 1.0])
    x, _, _, sv = np.linalg.lstsq(A, a, rcond=None)
    return np.sum(x**2) + np.sum(sv**2)


@pytest.mark.parametrize("fn", [lstsq_of_tied_singular_values, lstsq_with_its_singular_values])
def test_hessian_of_lstsq_of_a_full_rank_matrix(fn):
    a = np.array([0.3, -0.7, 1.1])
    check_scalar(fn, a)
    np.testing.assert_allclose(
        srcad.jacrev(srcad.grad(fn))(a), srcad.hessian(fn)(a), rtol=1e-8, atol=1e-10
    )
