"""What corp23's ports of other projects' test corpora found, checked numerically (gradient
against central differences, the JVP against the gradient, the Hessian against differences of the
gradient), with the corpus cases in tests/corpus/ported_corp23_*.py:

- a ``try`` body reading a module attribute (``np.pi``, ``math.pi``) was refused: lower/trysteps
  took names and constants as the values that cannot raise, not ``np.pi`` (SciPy's Damavandi
  benchmark, ``try: ... np.pi ** 2 * (x[0] - 2.0) ... except ZeroDivisionError``); a module's
  attribute that exists when srcad lowers reads as a value now. An attribute of anything else
  (an argument, an object) stays refused;
- a ``try`` in a function taking ``*args``/``**kwargs`` was refused (SciPy's benchmark methods,
  ``def fun(self, x, *args): try: ...``): such a function is lowered by inlining its body at the
  call (lower/varargs.py, also how grad of it runs), and that body skipped the rewrite of
  ``try``/``with``/``match`` statements the lowering gives every function it lowers itself
  (lower/tryprep.py now, shared)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.7, 0.2, 0.9])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x=X):
    val, g = srcad.value_and_grad(f)(x.copy())
    np.testing.assert_allclose(val, f(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(g, _fd(f, x), rtol=1e-5, atol=1e-7)
    u = np.cos(np.arange(len(x)) + 1.0)
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    np.testing.assert_allclose(t, np.dot(g, u), rtol=1e-10, atol=1e-12)
    h = srcad.hessian(f)(x.copy())
    hfd = np.array(
        [(srcad.grad(f)(x + 1e-5 * e) - srcad.grad(f)(x - 1e-5 * e)) / 2e-5 for e in np.eye(len(x))]
    )
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-6)


def damavandi(x):
    try:
        num = np.sin(np.pi * (x[0] - 2.0)) * np.sin(np.pi * (x[1] - 2.0))
        den = np.pi**2 * (x[0] - 2.0) * (x[1] - 2.0)
        return (1.0 - np.abs(num / den) ** 5.0) * (2.0 + (x[0] - 7.0) ** 2 + (x[2] - x[3]) ** 2)
    except ZeroDivisionError:
        return np.nan


def test_try_body_reads_np_pi() -> None:
    _check(damavandi, np.array([5.71, 8.78, 0.3, -0.4]))


def ratio(a, b):
    try:
        r = math.sin(math.pi * a) / (b - 1.0)
    except ZeroDivisionError:
        r = math.tau * a * b
    return r


@pytest.mark.parametrize("b", [2.5, 1.0])
def test_try_math_pi_both_parts(b: float) -> None:
    # b = 1.0 divides by zero: the handler runs, in Python and in srcad
    a = 0.3
    val, (ga, gb) = srcad.value_and_grad(ratio, (0, 1))(a, b)
    assert val == ratio(a, b)
    e = 1e-6
    np.testing.assert_allclose(ga, (ratio(a + e, b) - ratio(a - e, b)) / (2 * e), rtol=1e-6)
    if b != 1.0:
        np.testing.assert_allclose(gb, (ratio(a, b + e) - ratio(a, b - e)) / (2 * e), rtol=1e-6)
    else:
        assert gb == math.tau * a


class _Scale:
    k = 2.0


def attr_of_argument(x, s):
    try:
        return np.sum(x * s.k) / (x[0] - 1.0)
    except ZeroDivisionError:
        return 0.0


def test_try_attribute_of_argument_still_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="try"):
        srcad.grad(attr_of_argument)(X.copy(), _Scale())


class _Bench:
    def fun(self, x, *args):
        try:
            return np.sum((x**6.0) * (2.0 + np.sin(1.0 / x)))
        except ZeroDivisionError:
            return np.nan


def test_try_in_method_with_star_args() -> None:
    _check(_Bench().fun, np.array([0.6, -0.8, 0.9, 1.1]))


def _helper(a, b, *extra):
    try:
        q = math.sin(a) / (b - 1.0)
    except ZeroDivisionError:
        q = math.cos(a) * b
    return q + sum(extra)


def outer(a, b):
    try:
        t = math.log(b)
    except ValueError:
        t = 0.0
    return _helper(a, b, t) + _helper(a * 2.0, b + 1.0)


def test_try_in_star_args_helper_both_parts() -> None:
    a, e = 0.4, 1e-6
    for b in (2.5, 1.0, -0.5):  # 1.0: the first helper's handler; -0.5: the caller's
        val, (ga, gb) = srcad.value_and_grad(outer, (0, 1))(a, b)
        assert val == outer(a, b)
        np.testing.assert_allclose(ga, (outer(a + e, b) - outer(a - e, b)) / (2 * e), rtol=1e-6)
        if b != 1.0:
            np.testing.assert_allclose(
                gb, (outer(a, b + e) - outer(a, b - e)) / (2 * e), rtol=1e-6, atol=1e-9
            )
        else:  # cos(a) * b + log(b), then sin(2a) / b
            np.testing.assert_allclose(gb, math.cos(a) + 1.0 - math.sin(2 * a), rtol=1e-12)


def test_try_with_kwargs() -> None:
    def f(x, **kw):
        s = kw.get("s", 2.0)
        try:
            y = np.sin(x) * s
        except ValueError:
            y = x
        return np.sum(y**2)

    _check(f)
