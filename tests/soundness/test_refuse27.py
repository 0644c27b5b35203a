"""What refuse27 accepts, checked numerically (value and gradient against Python and central
differences, the JVP against the gradient, the VJP/JVP dot test, the Hessian against differences
of the gradient), and the neighbours that must stay refused or right (tests/corpus/
users_refuse27.py holds the corpus cases):

- slice assignments into a Python list in reverse mode (``ls[1:3] = [a, b]``, growing,
  shrinking, inserting, ``ls[:] = ...``, ``ls[::2] = ...``, ``ls[::-2] = ...``, a list of
  arrays, an array as the written sequence): rules/splices.py's helpers read the old list's
  length. An argument of unknown kind that is an array (or an int array, which truncates) at run
  time takes the array helpers; a list argument grows in the caller as in Python.
- ``try:`` bodies calling the function's own one-expression helpers (``def h(t): return ..``,
  ``k = lambda a, b: ..``) or holding ``y = [e for v in xs]`` / ``y = sum(e for v in xs)``
  (lower/trybodies.py: inlined, or loops), at points where the body completes and where the
  handler runs; a helper bound twice, a try in a nested function calling the outer function's
  helper, a helper that mutates, and iteration where a handler catches TypeError stay refused.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad import runtime
from tests.soundness.numeric import central_differences, check_scalar

X = np.array([0.3, 1.2, -0.7, 2.0])


# -- 1. slice assignments into lists (rules/splices.py) ------------------------------------------
def splice_same_length(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[1:3] = [x[0] * x[1], np.sin(x[2])]
    return sum(v * v for v in ls)


def splice_grows(x):
    ls = [x[0], x[1], x[2]]
    ls[1:2] = [x[0] * x[2], x[1] ** 2, 3.0 * x[2]]
    return ls[0] * ls[1] + ls[2] * ls[3] + ls[-1] * len(ls)


def splice_shrinks(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[0:3] = [x[1] * x[2]]
    return ls[0] * ls[1] + ls[-1]


def splice_extended(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[::2] = [x[1] ** 2, x[3] * x[0]]
    return ls[0] * ls[1] + ls[2] * ls[3]


def splice_extended_reversed(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[::-2] = (x[1] ** 2, x[3] * x[0])
    return ls[0] * ls[1] + ls[2] ** 3 * ls[3]


def splice_whole(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[:] = [v * 2.0 for v in ls[1:]]
    return ls[0] * ls[1] * ls[2]


def splice_arrays(x):
    ls = [x[:2], x[2:]]
    ls[0:1] = [np.sin(x[:2]), x[:2] * x[1]]
    return np.sum(ls[0] * ls[1] + ls[2])


def splice_inserts(x):
    ls = [x[0], x[1]]
    ls[1:1] = [x[2] * x[3], x[0]]
    ls[5:] = [x[1] ** 2]
    ls[3:1] = [np.exp(x[3])]  # an empty slice: inserts at 3
    return sum(v * (k + 1) for k, v in enumerate(ls)) * ls[2]


def splice_from_array(x):
    ls = [x[0], x[1], x[2]]
    ls[1:] = np.tanh(x) * x[0]
    return sum(v * v for v in ls) * len(ls)


def splice_in_loop(x):
    ls = [x[0]]
    for i in range(3):
        ls[i : i + 1] = [ls[i] * x[i + 1], np.cos(ls[i]) + x[i]]
    return sum(ls) * ls[-1]


def splice_bounds_from_argument(x, k=2):
    ls = list(x)
    ls[1:k] = [x[0] * x[1], x[2] * x[3], x[0]]
    return ls[0] * ls[1] + ls[-1] * ls[3] + len(ls)


def _shorten(ls, y):
    ls[1:3] = [y * ls[0]]
    return ls


def splice_in_helper(x):
    out = _shorten([x[0], x[1], x[2]], x[3])
    return out[0] * out[1] * out[-1]


def _put(a, y):
    a[1:3] = y
    return a


def splice_unknown_kind(x):
    a = _put(x * 1.0, x[:2] * x[3])  # an array at run time
    b = _put([x[0], x[1], x[2]], [x[3]])  # a list
    c = _put(np.array([1, 2, 3, 4]), x[:2] * 3.0)  # an int array: truncates, no derivative
    return np.sum(a * a) + b[0] * b[1] + np.sum(c * x)


def splice_aliased(x):
    ls = [x[0], x[1], x[2]]
    other = ls
    ls[1:2] = [x[3] * x[0], x[2]]
    return other[1] * other[2] + len(other)


SPLICES = [
    splice_same_length, splice_grows, splice_shrinks, splice_extended, splice_extended_reversed,
    splice_whole, splice_arrays, splice_inserts, splice_from_array, splice_in_loop,
    splice_bounds_from_argument, splice_in_helper, splice_unknown_kind, splice_aliased,
]  # fmt: skip


@pytest.mark.parametrize("f", SPLICES)
def test_list_slice_assignment_accepted(f):
    check_scalar(f, X)


def splice_into_argument(ls, x):
    ls[1:2] = [x * 2.0, x]
    return ls[0] * ls[1] + ls[2]


def test_slice_assignment_into_an_argument_list():
    # the caller's list grows as in Python; the old entry 2 moved to 3, unread
    a = [1.0, 2.0, 3.0]
    g = srcad.grad(splice_into_argument, wrt=(0, 1))(a, 0.5)
    assert a == [1.0, 1.0, 0.5, 3.0]
    np.testing.assert_allclose(g[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(g[1], 3.0)


def test_splice_helpers_refuse_an_unknown_written_sequence():
    # (lowering turns generators, maps and dict views into lists; a set reaching the helper
    # has no order srcad could follow)
    with pytest.raises(srcad.SrcadError, match="ys` a set"):
        runtime.splice_vjp_v([1.0, 2.0, 3.0], slice(1, 2), [1.0, 2.0], {1.0, 2.0})

    class Row(list):
        pass

    with pytest.raises(srcad.SrcadError, match="into a Row"):  # (a subclass may override it)
        runtime.splice_vjp_x([1.0, 2.0, 3.0], slice(1, 2), Row([1.0, 2.0]), [1.0, 2.0])
    g = runtime.splice_vjp_x([1.0, 2.0, 3.0, 4.0], slice(0, 1), [5.0, 6.0, 7.0], "ab")
    assert g == [None, 3.0, 4.0]  # "ab" wrote entries 0 and 1 of the new list


def test_splice_gradient_values():
    # ls = [x0, x0 x2, x1^2, 3 x2, x2]: the old tail entry x2 moved from index 2 to 4
    g = srcad.grad(splice_grows)(X)
    np.testing.assert_allclose(g, central_differences(splice_grows, X), rtol=1e-6)


# -- 2. try bodies with comprehensions and helper calls (lower/trybodies.py) ---------------------
XP = np.array([0.31, 0.72, 1.13, 0.57])
XN = np.array([0.31, -0.72, 1.13, 0.57])  # (math.log/sqrt of x[1] raise: the handler runs)


def try_list_comprehension(x):
    try:
        logs = [math.log(v) * x[0] for v in x if v != 0.5]
        s = sum(logs)
    except ValueError:
        s = float(np.sum(x**2))
    return s * x[1]


def try_sum_generator(x):
    t = x[3]
    try:
        s = sum(math.log(v) * t for v in x)
    except ValueError:
        s = x[0] * 3.0
    return s + t


def try_nested_helpers(x):
    def h(t):
        return math.sqrt(t) * x[2]

    k = lambda a, b: a * b - math.log(b)  # noqa: E731
    try:
        y = h(x[1]) + k(x[0], x[3])
    except ValueError:
        y = x[1] * x[2]
    return y * x[0]


def try_helper_in_loop(x):
    def h(t):
        return math.log(t) * t

    acc = 0.0
    for v in x:
        try:
            acc = acc + h(v)
        except ValueError:
            acc = acc - v * v
    return acc


def try_two_generators(x):
    try:
        m = [a * b for a in x[:2] for b in x[2:] if a > -5.0]
        s = sum(math.sqrt(p) for p in m)
    except ValueError:
        s = -1.0 * x[0]
    return s * x[2]


def try_helper_reads_late(x):
    c = x[0]
    h = lambda t: t * c  # noqa: E731
    c = x[1] * 2.0  # (the helper reads this c when called)
    try:
        y = h(x[2])
    except ValueError:
        y = 0.0
    return y * c


def try_comprehension_shadows(x):
    v = x[0]
    try:
        s = sum(v * 2.0 for v in x)
    except ValueError:
        s = 0.0
    return s * v  # (the comprehension's v is its own)


def try_mask_operators(x):
    try:  # (`&`, `|`, `^` are checked steps too: fuzz seed wild 27100081)
        m = (x > 0.2) & (x < 1.0) | (x > 1.5) ^ (x < -2.0)
        y = float(np.sum(np.where(m, x * x, x))) / float(np.sum(m))
    except ZeroDivisionError:
        y = np.sum(x) * 2.0
    return y * x[0]


def test_try_mask_operators_both_parts():
    for x in (XP, np.array([1.2, 1.3, 1.1, 1.05])):  # (the second: no entry masked)
        check_scalar(try_mask_operators, x)


TRIES = [
    try_list_comprehension, try_sum_generator, try_nested_helpers, try_helper_in_loop,
    try_two_generators, try_helper_reads_late, try_comprehension_shadows,
]  # fmt: skip


@pytest.mark.parametrize("x", [XP, XN], ids=["body", "handler"])
@pytest.mark.parametrize("f", TRIES)
def test_try_with_comprehension_or_helper_accepted(f, x):
    check_scalar(f, x)


def try_rebound_helper(x):
    h = lambda t: t * 2.0  # noqa: E731
    h = lambda t: t * 3.0  # noqa: E731
    try:
        y = h(x[0])
    except ValueError:
        y = 0.0
    return y


def try_outer_helper(x):
    h = lambda t: math.log(t)  # noqa: E731

    def g(z):
        try:
            return h(z)
        except ValueError:
            return z

    return g(x[0]) * x[1]


def try_mutating_helper(x):
    def h(ls):
        ls.append(1.0)
        return ls[0]

    ls = [x[0]]
    try:
        y = h(ls)
    except ValueError:
        y = 0.0
    return y * len(ls)


def try_generator_type_error(x):
    try:
        s = sum(v * 2.0 for v in x)
    except TypeError:  # (iterating may raise it: a 0-d array)
        s = 0.0
    return s


@pytest.mark.parametrize(
    "f", [try_rebound_helper, try_outer_helper, try_mutating_helper, try_generator_type_error]
)
def test_try_neighbours_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="try"):
        srcad.grad(f)(XP.copy())
