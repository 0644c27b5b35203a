"""Refusals: every unsupported construct raises `srcad.SrcadError` pointing at the user's source.

Each test checks the exception type, the ``file:line:col`` (computed from the helper function's
own position with `inspect.getsourcelines`, so editing this file does not break the tests), the
offending source line and the caret under the right column.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import srcad

G = 0

# -- functions srcad must refuse -----------------------------------------------------------------


def uses_try(x):
    try:  # a dict comprehension is not taken apart (lower/trys.py, lower/trybodies.py)
        y = {k: v * 2.0 for k, v in enumerate(x)}
    except ValueError:
        y = x
    return y


def uses_with(x):
    with open("data.txt") as fh:
        x = x + len(fh.read())
    return x


def uses_yield(x):
    yield x * 2.0


def uses_global(x):
    global G
    G = 1
    return x * G


def _nonlocal_outside():
    y = 1.0

    def uses_nonlocal(x):  # a nested function writing a variable of the factory, not of this one
        def inner():
            nonlocal y
            y = y * x

        inner()
        return y

    return uses_nonlocal


uses_nonlocal = _nonlocal_outside()


def uses_del(x):
    y = x * 2.0
    del y[0]  # not known to be a list or a dict
    return x


def uses_class(x):
    class Point:  # (a class reading no variable of the function is made: lower/localclass.py)
        def at(self):
            return x

    return x


async def uses_async(x):
    return x * 2.0


class _Keys:
    A = "a"


def uses_match(x):
    match {"a": x, "b": 1.0}:  # a key by name (other patterns lower: tests/lower/test_matches.py)
        case {_Keys.A: a, **rest}:
            return a * len(rest)
    return x * 2.0


def uses_star_args(x, args):
    return np.maximum(*args) * x


def _apply(fn, x):
    return fn(x)


def uses_lambda_value(x):
    g = lambda t: t * 2.0  # noqa: E731
    h = g if x > 0 else g  # joined: not a function known where it is passed
    return _apply(h, x)


def uses_fill(x):  # (a fresh local array may be filled: tests/lower/test_inplace_numpy.py)
    y = x
    y.fill(1.0)
    return y.sum()


def uses_for_else(x):
    for _ in range(3):
        x = x * 2.0
    else:
        x = x + 1.0
    return x


def uses_roots(x):  # (np.roots is eigvals of the companion matrix since lib25: complex roots)
    return np.roots(x).real.sum()


def uses_eigvals(x):  # (eigvals, cond, tensorinv, unwrap have rules now: poly has none)
    return np.poly(x * np.ones(4)).sum().real


def uses_varargs(*xs):
    return xs[0] * 2.0


def kwarg_fn(x, **opts):
    return x * opts.get("s", 2.0)


def reads_alias_after_write(x):
    y = x * 2.0
    z = y
    z[0] = 1.0
    return y.sum()


def _helper_with_try(x):
    try:  # (a `return` in the body alone is taken since refuse34b: lower/finallies.py)
        y = x * 3.0
    finally:
        return y  # noqa: B012 (refused: what it tests)


def calls_bad_helper(x):
    return _helper_with_try(x) + 1.0


def integer_input(n):
    return n * 2


# -- the check -----------------------------------------------------------------------------------


def expect_refusal(call, fn, offset: int, needle: str, *words: str) -> srcad.SrcadError:
    """`call()` raises SrcadError at line `offset` of `fn` (0 = the def line), column of `needle`."""
    with pytest.raises(srcad.SrcadError) as info:
        call()
    err = info.value
    msg = str(err)
    lines, start = inspect.getsourcelines(fn)
    text = lines[offset].rstrip("\n")
    line = start + offset
    col = text.index(needle) + 1
    where = f"{inspect.getsourcefile(fn)}:{line}:{col}: error: "
    assert msg.startswith(where), f"expected {where!r} in:\n{msg}"
    out = msg.splitlines()
    stripped = text.strip()
    assert "    " + stripped in out, f"source line {stripped!r} missing from:\n{msg}"
    indent = len(text) - len(text.lstrip())
    caret = "    " + " " * (col - 1 - indent) + "^"
    assert out[out.index("    " + stripped) + 1] == caret, f"caret misplaced in:\n{msg}"
    for w in words:
        assert w in msg, f"{w!r} not in:\n{msg}"
    return err


def jvp1(fn, x=1.0):
    return lambda: srcad.jvp(fn, (x,), (x,))


def test_try():
    expect_refusal(jvp1(uses_try), uses_try, 1, "try", "`try`")


def test_with():
    expect_refusal(jvp1(uses_with), uses_with, 1, "with", "`with`")


def test_yield():
    expect_refusal(jvp1(uses_yield), uses_yield, 1, "yield", "yield")


def test_global_write():
    expect_refusal(jvp1(uses_global), uses_global, 1, "global", "global name `G`")


def test_nonlocal_write():
    expect_refusal(jvp1(uses_nonlocal), uses_nonlocal, 5, "inner()", "writes `y`", "not a variable")


def test_del():
    expect_refusal(jvp1(uses_del), uses_del, 2, "del", "`del`")


def test_class_definition():
    expect_refusal(jvp1(uses_class), uses_class, 1, "class", "class")


def test_async_def():
    expect_refusal(jvp1(uses_async), uses_async, 0, "async", "async")


def test_async_def_location():
    with pytest.raises(srcad.SrcadError) as info:
        srcad.jvp(uses_async, (1.0,), (1.0,))
    line = inspect.getsourcelines(uses_async)[1]
    assert str(info.value).startswith(f"{inspect.getsourcefile(uses_async)}:{line}:1: error: ")


def test_match():
    expect_refusal(jvp1(uses_match), uses_match, 1, "match", "`match`")


def test_star_args_unknown_arity():
    call = lambda: srcad.jvp(uses_star_args, (1.0, (np.ones(2), np.zeros(2))), (1.0, None))
    expect_refusal(call, uses_star_args, 1, "*args", "`*args`")


def test_lambda_used_as_value():
    # (the conditional of two functions is followed to its use since session 51: fnchoice.py)
    expect_refusal(jvp1(uses_lambda_value), uses_lambda_value, 3, "h, x", "used as a value")
    # passed straight to the helper it is inlined there (lower/fnargs.py)
    assert srcad.jvp(_apply_doubled, (1.0,), (1.0,)) == (2.0, 2.0)


def _apply_doubled(x):  # (a def: Python 3.10's code objects cannot tell two lambdas on a line)
    return _apply(lambda t: t * 2.0, x)


def test_in_place_fill_through_an_alias_of_the_argument():
    # accepted since refuse15: `y = x; y.fill(1.0)` fills the caller's array, as Python does
    # (lower/viewwrites.py writes into `x`, lower/argcopy.py writes it back); of a dict or
    # list argument Python raises AttributeError, srcad refuses when it runs
    x = np.array([3.0, 1.0, 2.0])
    assert srcad.jvp(uses_fill, (x,), (np.ones(3),)) == (3.0, 0.0)
    np.testing.assert_array_equal(x, np.ones(3))
    with pytest.raises(srcad.SrcadError, match="not a NumPy array"):
        srcad.primal(uses_fill)({"a": 1.0})


def test_for_else():
    # Supported since issue 10 item 6 (tests/lower/test_loop_else.py): no longer a refusal.
    assert srcad.jvp(uses_for_else, (2.0,), (1.0,)) == (17.0, 8.0)


def test_complex_roots_jvp_refused():
    # lib25: np.roots is eigvals of the companion matrix; 3 t^2 + t + 2 has complex roots
    x = np.array([3.0, 1.0, 2.0])
    with pytest.raises(srcad.SrcadError, match="complex eigenvalues"):
        jvp1(uses_roots, x)()


def test_no_rule_roots_primal_is_fine():
    x = np.array([3.0, 1.0, 2.0])
    assert srcad.primal(uses_roots)(x) == pytest.approx(uses_roots(x))


@pytest.mark.skipif(not hasattr(srcad, "grad"), reason="reverse mode not implemented yet")
def test_no_rule_eigvals_grad():
    call = lambda: srcad.grad(uses_eigvals)(1.5)
    expect_refusal(call, uses_eigvals, 1, "np.poly", "numpy.poly")


def test_varargs_definition():
    # a top-level `def f(*xs)` is differentiated now (srcad/starargs.py), and `**opts` too
    # (session 11: the call's keywords become keyword-only parameters of the shim)
    assert srcad.jvp(uses_varargs, (1.5,), (1.0,)) == (3.0, 2.0)
    assert srcad.jvp(kwarg_fn, (1.5,), (1.0,)) == (3.0, 2.0)
    assert srcad.grad(kwarg_fn)(1.5, s=3.0) == 3.0


def test_error_in_callee_points_at_callee():
    expect_refusal(jvp1(calls_bad_helper), _helper_with_try, 1, "try", "`try`")


def test_integer_input_with_float_tangent():
    with pytest.raises(srcad.SrcadError) as info:
        srcad.jvp(integer_input, (2,), (1.0,))
    msg = str(info.value)
    assert "integer" in msg and "pass 2.0, not 2" in msg


def test_integer_input_points_at_parameter():
    call = lambda: srcad.jvp(integer_input, (2,), (1.0,))
    expect_refusal(call, integer_input, 0, "n)", "integer")


@pytest.mark.skipif(not hasattr(srcad, "grad"), reason="reverse mode not implemented yet")
def test_integer_input_grad():
    with pytest.raises(srcad.SrcadError, match="integer"):
        srcad.grad(integer_input)(2)
