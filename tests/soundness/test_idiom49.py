"""Spurious first-order refusals idiom49 lifts, each checked against Python's value and central
differences (forward, reverse, dot test, Hessian: tests/soundness/numeric.check_scalar):

- a ``functools.partial`` (or an ``operator`` getter) made in the function and passed to a user
  helper that calls it (lower/partials.passed, lower/fnargs.call_args);
- ``sorted(rows, key=operator.methodcaller("sum"))`` (lower/idioms.py's keyed calls);
- ``[f(*t) for t in pairs]`` of a helper reading a parameter twice (lower/starcomp.py's length
  check was a generator expression located at the call: taken for a one-shot argument of `f`);
- ``pow(*L[0])`` of a list literal of tuple literals (lower/starlits.literal_elts: an item at a
  constant index that is a tuple literal; a list item, which another name may change, is not);
- ``a = v * next(g, d)`` of a generator expression `g` (lower/nextgens.py took ``t = next(g, d)``
  as a statement only): the call is taken out first when nothing else in the statement runs user
  code and it runs exactly once (``c and next(g)``, a user call beside it: refused as before);
- a user's ``with np.errstate(divide="ignore"):`` (lowered as its body) kept around the ops of
  the body and their tangents in the generated code (lower/withs.ignored, backend/quiet.py):
  under the caller's ``np.errstate(all="raise")`` srcad raised FloatingPointError where Python
  returns;

and refusals whose message was wrong: a recursive generator is named a generator (not "a
function with *args/**kwargs").
"""

from __future__ import annotations

import functools
import operator

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X6 = np.array([0.31, 0.72, 1.13, 1.64, 0.47, 0.93])


def gauss(x, s=1.0):
    return np.exp(-(x**2) / s)


def apply(k, x):
    return np.sum(k(x))


def twice(k, x):
    return np.sum(k(k(x) + x))


def by_keyword(x, *, fn):
    return np.sum(fn(x) * fn(x[::-1]))


def partial_arg(x):
    return apply(functools.partial(gauss, s=2.0 + x[0]), x)


def partial_name_twice(x):
    k = functools.partial(gauss, s=x[0] + 1.0)
    return apply(k, x) + twice(k, x)


def partial_of_nested(x):
    w = x[2]

    def inner(z, a):
        return np.sin(a * z + w)

    return twice(functools.partial(inner, a=x[1]), x)


def partial_keyword_of_ufunc(x):
    return by_keyword(x, fn=functools.partial(np.multiply, x[2]))


def getter_arg(x):
    rows = [x[:3], x[3:]]
    return sum(apply(operator.itemgetter(1), r) * r[0] for r in rows)


def sorted_methodcaller(x):
    rows = [x[:3], x[3:] ** 2]
    s = sorted(rows, key=operator.methodcaller("sum"))
    return np.sum(s[0] * 2.0 + s[1] ** 2)


def _f2(a, b):
    return a * b + a


def starred_items(x):
    pairs = [(x[0], x[1]), (x[2], x[3]), (x[4], x[5])]
    return sum([_f2(*t) for t in pairs])


def next_in_expression(x):
    h = (v * v for v in x)
    g = (v for v in x if v > 1.0)
    s = x[0] * next(g, 1.0)
    s += np.sin(x[1]) * next(h)
    s += next(h) * np.cos(x[2])
    return s + next(h, 0.0)


def star_of_item(x):
    terms = [(x[0], 2.0), (x[1] + x[2], 3.0), (x[3], x[4])]
    return pow(*terms[0]) + pow(*terms[-2]) * pow(*terms[2])


@pytest.mark.parametrize(
    "f",
    [
        star_of_item,
        next_in_expression,
        starred_items,
        partial_arg,
        partial_name_twice,
        partial_of_nested,
        partial_keyword_of_ufunc,
        getter_arg,
        sorted_methodcaller,
    ],
)
def test_callable_objects_passed(f) -> None:
    check_scalar(f, X6)


def _rec(k, x, n):
    if n == 0:
        return np.sum(k(x))
    return _rec(k, x * 0.9, n - 1)


def partial_recursive_helper(x):
    return _rec(functools.partial(gauss, s=x[0]), x, 30)


def _walk(t):
    for e in t:
        if isinstance(e, list):
            yield from _walk(e)
        else:
            yield e


def recursive_generator(x):
    t = [x[0], [x[1], [x[2]]], x[3]]
    return sum(v * v for v in _walk(t))


def test_too_deep_says_why() -> None:
    with pytest.raises(srcad.SrcadError, match=r"`_walk` \(a generator, lowered as the list"):
        srcad.grad(recursive_generator)(X6)
    with pytest.raises(srcad.SrcadError, match=r"`_rec` \(given a function or updating"):
        srcad.grad(partial_recursive_helper)(X6)


def _next_short_circuit(x):
    g = (v for v in x if v > 1.0)
    return x[0] > 0 and next(g, 2.0)


def _next_after_user_call(x):
    vals = [x[0], x[1]]
    g = (vals[0] * v for v in x)

    def bump():
        vals[0] = vals[0] * 3.0  # (Python's next, after it, reads the new vals[0])
        return 1.0

    return bump() * next(g)


def test_next_in_expression_kept_refused_where_order_matters() -> None:
    for f in (_next_short_circuit, _next_after_user_call):
        with pytest.raises(srcad.SrcadError, match=r"`next\(\)` of `g`"):
            srcad.grad(f)(X6)


def _star_of_changed_list_item(x):
    a = [x[0], 2.0]
    rows = [a, (x[1], 3.0)]
    a[1] = 4.0  # (rows[0] is a: Python's pow reads 4.0)
    return pow(*rows[0]) + pow(*rows[1])


def test_star_of_list_item_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError, match=r"`\*args` in a call"):
        srcad.grad(_star_of_changed_list_item)(X6)


def errstate_masked(x):
    with np.errstate(divide="ignore", invalid="ignore"):  # (x == 0.31: 1 / 0, log(-0.19))
        r = np.where(x > 0.5, np.log(x - 0.5) + 1.0 / (x - 0.31), 0.0)
    return np.sum(r * r) + np.sum(x)


def errstate_in_loop(x):
    s = 0.0
    for k in range(3):
        with np.errstate(divide="ignore"):
            r = np.where(x > 0.4, x / (x - 0.31) * (k + 1.0), 0.0)
        s = s + np.sum(r**2)
    return s


def errstate_around_branch(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        if x[0] > 0.0:  # (an `if` the forward transform rebuilds: its branches' ops marked)
            r = np.where(x > 0.5, np.log(x - 0.5) + 1.0 / (x - 0.31), 0.0)
        else:
            r = x
    return np.sum(r * r)


@pytest.mark.parametrize("f", [errstate_masked, errstate_in_loop, errstate_around_branch])
def test_user_errstate_kept_under_callers_raise(f) -> None:
    with np.errstate(all="raise"):
        f(X6.copy())  # (Python returns)
        check_scalar(f, X6)
