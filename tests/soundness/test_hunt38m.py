"""Metamorphic hunt (session 38, hunt38m): corpus programs rewritten in another style
(tests/corpus/ported_corp38m_*.py) that srcad refused or failed on.

- Wrong values and derivatives: ``h(xs.pop(), *xs)`` of a module-level `h` (``*xs`` filling
  its parameters, lower/starcalls.expand) lowered ``*xs`` before the arguments before it, so it
  unpacked the list before the pop (h(a, *rest) = a * sum(rest): 8.82 where Python gives 4.41,
  gradient 25.2 where differences give 12.6). Python evaluates the arguments left to right: an
  argument before the star that may change the list (a call) is lowered first now.

- Spurious refusal: a generator expression unpacked by an assignment (``p, q = (np.exp(v) for
  v in vs)``) counted as consumed later, and any name it reads rebound afterwards (even `np`,
  or the unpacked targets themselves) refused it. Unpacking runs the generator at once and
  whole, as `list(...)` does (lower/idioms_more.unpacked_iterator).
- Crash (an internal error): a relative import inside the function (``from .mod import f``,
  ``from . import sub``) was imported by its bare name, ignoring the dots. It now resolves
  against the function's package, as Python does (lower/imports.from_import).
- Spurious refusals: a lambda or nested def passed to a helper that takes ``*args`` or
  ``**kwargs`` (``apply(lambda v: .., x, times=3)`` of ``def apply(f, *args, times=1, **kw)``)
  was "used as a value": such a helper now gets it as a helper without them does
  (lower/fnargs.call_args). ``f(*args[1:])`` of the helper's ``*args`` was refused (a slice of a
  tuple literal is one of known length: lower/starlits.literal_elts), and ``np.sin(x,
  *args[1:])`` with nothing left in it counted as passing `out` (lower/fnargs.spread).
- Spurious refusal: ``f(*y)`` / ``f(*[a + h * b for a, b in zip(y, k)])`` of a nested def or
  lambda, `y` a list of run-time length (a comprehension's), as RK4 on lists of floats is
  written. Its items now fill the parameters left as for a module-level function
  (lower/starcalls.nested: Python's TypeError when their number differs).
- Spurious refusal: an array attribute read in a ``try`` body (``g = X.T @ r`` under ``except
  ValueError``). It is now a step checked like a method call (lower/trysteps.py), by the real
  ``getattr`` when the code runs, so a handler of AttributeError (``x.shape`` of a list) is
  taken exactly when Python takes it; of an object srcad builds, still refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def _unpack_gen(a, *logits):
    p, q = (np.exp(lg - np.max(lg)) for lg in logits)
    return np.sum(p * q) + np.sum(a**2)


def unpack_generator(x):
    return _unpack_gen(x[:2], x[2:4], x[4:6])


def unpack_generator_rebinds(x):
    a, b = (v * v for v in x[:2])
    a, b = b, a  # names the generator reads after it ran: no matter
    return a + 2.0 * b + x[2]


def unpack_generator_star(x):
    first, *rest = (np.sin(v) for v in x)
    return first * sum(rest)


def _writer(x):
    out = []

    def put(v):
        out.append(v)
        return v * 2.0

    a, b = (put(v) for v in x[:2])
    return a * b + out[0] * out[1]  # (the writes happened by the assignment)


X6 = np.array([0.3, -0.4, 0.8, 0.1, -0.6, 0.5])


@pytest.mark.parametrize(
    "fn", [unpack_generator, unpack_generator_rebinds, unpack_generator_star, _writer]
)
def test_unpacked_generator_expression(fn) -> None:
    check_grads(fn, (X6,), modes=("fwd", "rev"))
    check_grads(fn, (X6,), modes=("fwd",), order=2)
    np.testing.assert_allclose(srcad.primal(fn)(X6.copy()), fn(X6.copy()), rtol=1e-14)


def relative_import(x):
    from ..corpus.ported_corp10_sim import _sim_positions

    return np.sum(_sim_positions(x) ** 2)


def relative_package_import(x):
    from ..corpus import users_sim

    return users_sim.newton_sqrt(x * x + 1.0)


def test_relative_import_in_function() -> None:
    x = np.linspace(-1.0, 1.0, 15)
    check_grads(relative_import, (x,), modes=("fwd", "rev"))
    g = srcad.grad(relative_import)(x)
    from tests.corpus.ported_corp10_sim import _sim_positions

    np.testing.assert_allclose(g, 2 * 0.05 * _sim_positions(x).ravel(), rtol=1e-12)
    check_grads(relative_package_import, (0.7,), modes=("fwd", "rev"), order=2)


def _apply(f, *args, times=1, **kw):
    out = args[0]
    for _ in range(times):
        out = f(out, *args[1:], **kw)
    return out


def _apply_star(f, *args):
    return f(*args)


def _hyp(*args):
    rest = args[1:]
    return args[0] * np.hypot(*rest)


def apply_lambda_kw(x):
    return _apply(lambda v, scale=1.0: np.sin(v) * scale, x, times=3, scale=1.5)


def apply_nested_def_extra(x):
    def g(v, w, scale=1.0):
        return np.sin(v) * w * scale

    return _apply(g, x, 0.5 * x, times=2, scale=2.0)


def apply_library(x):
    return _apply(np.sin, x, times=3)


def apply_star_lambda(x):
    return _apply_star(lambda a, b: a * np.exp(b), x, x * x)


def star_tuple_slice(x):
    return _hyp(x, 2.0 * x, x * x)


@pytest.mark.parametrize(
    "fn",
    [apply_lambda_kw, apply_nested_def_extra, apply_library, apply_star_lambda, star_tuple_slice],
)
def test_function_given_to_varargs_helper(fn) -> None:
    check_grads(fn, (0.7,), modes=("fwd", "rev"), order=2)
    assert srcad.primal(fn)(0.7) == pytest.approx(fn(0.7), rel=1e-14)


def test_varargs_helper_values() -> None:
    s = np.sin
    assert srcad.grad(apply_library)(0.7) == pytest.approx(
        np.cos(s(s(0.7))) * np.cos(s(0.7)) * np.cos(0.7), rel=1e-13
    )
    assert srcad.grad(star_tuple_slice)(0.7) == pytest.approx(
        np.hypot(1.4, 0.49) + 0.7 * (1.4 * 2 + 0.49 * 1.4) / np.hypot(1.4, 0.49), rel=1e-13
    )


def rk4_lists(x):
    beta = 0.3 + 0.1 * x
    y = [0.99, 0.01, 0.0]
    f = lambda s, i, r: [-beta * s * i, beta * s * i - 0.1 * i, 0.1 * i]  # noqa: E731
    for _ in range(4):
        k1 = f(*y)
        k2 = f(*[a + 0.25 * b for a, b in zip(y, k1)])
        y = [a + 0.5 * b for a, b in zip(y, k2)]
    return y[1] + 0.1 * y[2]


def star_array_argument(x):
    def g(s, a, b):
        return s * np.sin(a) * b

    return g(2.0, *x)


def star_too_many(x):
    g = lambda a, b: a * b  # noqa: E731
    ys = [v for v in x]
    return g(*ys)


def test_star_of_runtime_list_into_nested_function() -> None:
    check_grads(rk4_lists, (0.7,), modes=("fwd", "rev"), order=2)
    assert srcad.primal(rk4_lists)(0.7) == pytest.approx(rk4_lists(0.7), rel=1e-14)
    x = np.array([0.4, 0.9])
    check_grads(star_array_argument, (x,), modes=("fwd", "rev"), order=2)
    np.testing.assert_allclose(
        srcad.grad(star_array_argument)(x), [2.0 * np.cos(0.4) * 0.9, 2.0 * np.sin(0.4)]
    )
    with pytest.raises(TypeError, match="2 more positional arguments"):
        srcad.grad(star_too_many)(np.array([0.3, 0.5, 0.7]))


def try_transpose(w, X):
    for _ in range(2):
        try:
            g = X.T @ (X @ w) / len(w)
        except ValueError:
            g = w * 0.0
        w = w - 0.1 * g
    return np.sum(w**2)


def try_shape_or_len(x, k):
    try:
        n = x.shape[0]
    except AttributeError:
        n = len(x) + 10
    return k * n + k**2


class _HasT:
    def __init__(self, v):
        self.T = v


def try_attr_of_object(x):
    o = _HasT(x)
    try:
        y = o.T * 2.0
    except ValueError:
        y = x
    return y


def test_attribute_read_in_try_body() -> None:
    X = np.arange(6.0).reshape(2, 3) / 5
    w = np.array([0.3, 0.2, 0.1])
    check_grads(try_transpose, (w, X), modes=("fwd", "rev"), order=2)
    assert srcad.primal(try_transpose)(w, X) == pytest.approx(try_transpose(w, X), rel=1e-14)
    f = srcad.grad(try_shape_or_len, 1)
    assert f(np.zeros(3), 0.5) == pytest.approx(3 + 1.0)  # x.shape[0]: no handler
    assert f([0.0, 0.0], 0.5) == pytest.approx(12 + 1.0)  # a list: AttributeError caught
    assert srcad.primal(try_shape_or_len)([0.0, 0.0], 0.5) == try_shape_or_len([0.0, 0.0], 0.5)
    with pytest.raises(srcad.SrcadError, match="attribute read in a `try` body"):
        srcad.grad(try_attr_of_object)(0.7)


def _h(a, *rest):
    return a * sum(rest)


def _k(a, b, c):
    return a * b + c


def pop_before_star(x):
    xs = [x, 2.0 * x, 3.0 * x]
    return _h(xs.pop(), *xs)


def pop_before_star_arg(xs):
    return _k(xs.pop(0), *xs)


def test_arguments_before_a_star_run_first() -> None:
    assert srcad.primal(pop_before_star)(0.7) == pytest.approx(9 * 0.49, rel=1e-14)
    assert srcad.grad(pop_before_star)(0.7) == pytest.approx(18 * 0.7, rel=1e-14)
    check_grads(pop_before_star, (0.7,), modes=("fwd", "rev"), order=2)
    xs = [0.7, 1.4, 2.1]
    assert srcad.primal(pop_before_star_arg)(list(xs)) == pytest.approx(0.7 * 1.4 + 2.1)
    np.testing.assert_allclose(srcad.grad(pop_before_star_arg)(list(xs)), [1.4, 0.7, 1.0])
