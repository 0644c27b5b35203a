"""Common-subexpression elimination (srcad/passes/cse.py) alone, on lowered IR: before and after.

Each case is a small function lowered by srcad (no other pass run), then `cse`; the IR text before
and after is pinned. CSE merges a pure op with an equal earlier one (same primitive, operands,
constants by type and value, keyword arguments) visible at that point: in the same block or an
enclosing one, never from a sibling branch or from inside a block. It must never merge new
objects the code may update in place (`np.zeros`, `np.array`, lists, dicts), method calls, impure
calls (`np.random`), global reads, values passed to a called user function (which may update its
argument in place), nor values a reverse-mode accumulator updates in place.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from srcad.passes.cse import cse
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Function, Var
from tests.passes.irtext import PassCase, check_case, lower, text


def helper(v):
    return v


# -- merged -----------------------------------------------------------------------------------


def chain(a, b):
    c = np.sin(a) * b
    d = np.sin(a) * b  # merging sin makes the two products equal too
    return c + d


def constants(x):
    return x * 2.0 + x * 2.0 - x * 3.0


def keywords(x):
    return np.sum(x, axis=0) + np.sum(x, axis=0) + np.sum(x, axis=1)


def outer_value_in_branch(x, flag):
    y = np.exp(x)
    if flag:
        y = np.exp(x) + 1.0
    return y


def inside_loop_body(x, n):
    s = 0.0
    for i in range(n):
        s = s + np.cos(x) * i + np.cos(x)
    return s


def element_reads(x, i):
    return x[i] + x[i] * x[i]


def python_math(x):
    return math.sin(x) + math.sin(x)


def tuples(a, b):
    return (a, b), (a, b)


# -- not merged -------------------------------------------------------------------------------


def sibling_branches(x, flag):
    if flag:
        y = np.exp(x)
    else:
        y = np.exp(x) * 2.0
    return y + np.exp(x)  # neither branch's exp is visible here


def int_and_float_constants(x):
    return x * 1 + x * 1.0 + x * True


def fresh_arrays(n):
    z = np.zeros(n)
    w = np.zeros(n)
    return z, w


def array_literals(a):
    return np.array([a, a]), np.array([a, a])


def lists(a, b):
    u = [a, b]
    v = [a, b]
    return u, v


def dicts(a):
    return {"k": a}, {"k": a}


def passed_to_helper(a):
    u = np.sin(a)
    v = np.sin(a)
    return helper(u) + helper(v)  # the helper may update its argument; also two global reads


def operator_passed_to_helper(a):
    u = a * 2.0
    v = a * 2.0
    return helper(u) + v


def methods(x):
    return x.sum() + x.sum()


def random_draws(n):
    return np.random.normal(size=n) + np.random.normal(size=n)


CASES = [
    PassCase(
        chain,
        """
        def chain(a, b):
            %0 = numpy.sin(a)
            c = mul(%0, b)
            %1 = numpy.sin(a)
            d = mul(%1, b)
            %2 = add(c, d)
            return %2
        """,
        """
        def chain(a, b):
            %0 = numpy.sin(a)
            c = mul(%0, b)
            %1 = add(c, c)
            return %1
        """,
    ),
    PassCase(
        constants,
        """
        def constants(x):
            %0 = mul(x, 2.0)
            %1 = mul(x, 2.0)
            %2 = add(%0, %1)
            %3 = mul(x, 3.0)
            %4 = sub(%2, %3)
            return %4
        """,
        """
        def constants(x):
            %0 = mul(x, 2.0)
            %1 = add(%0, %0)
            %2 = mul(x, 3.0)
            %3 = sub(%1, %2)
            return %3
        """,
    ),
    PassCase(
        keywords,
        """
        def keywords(x):
            %0 = numpy.sum(x, axis=0)
            %1 = numpy.sum(x, axis=0)
            %2 = add(%0, %1)
            %3 = numpy.sum(x, axis=1)
            %4 = add(%2, %3)
            return %4
        """,
        """
        def keywords(x):
            %0 = numpy.sum(x, axis=0)
            %1 = add(%0, %0)
            %2 = numpy.sum(x, axis=1)
            %3 = add(%1, %2)
            return %3
        """,
    ),
    PassCase(
        outer_value_in_branch,
        """
        def outer_value_in_branch(x, flag):
            y = numpy.exp(x)
            y.1 = if flag {
                %0 = numpy.exp(x)
                y.2 = add(%0, 1.0)
                yield y.2
            } else {
                yield y
            }
            return y.1
        """,
        """
        def outer_value_in_branch(x, flag):
            y = numpy.exp(x)
            y.1 = if flag {
                y.2 = add(y, 1.0)
                yield y.2
            } else {
                yield y
            }
            return y.1
        """,
    ),
    PassCase(
        inside_loop_body,
        """
        def inside_loop_body(x, n):
            s.1 = for i in range(0, n, 1) carry(s = 0.0) {
                %0 = numpy.cos(x)
                %1 = mul(%0, i)
                %2 = add(s, %1)
                %3 = numpy.cos(x)
                s.2 = add(%2, %3)
                yield s.2
            }
            return s.1
        """,
        """
        def inside_loop_body(x, n):
            s.1 = for i in range(0, n, 1) carry(s = 0.0) {
                %0 = numpy.cos(x)
                %1 = mul(%0, i)
                %2 = add(s, %1)
                s.2 = add(%2, %0)
                yield s.2
            }
            return s.1
        """,
    ),
    PassCase(
        element_reads,
        """
        def element_reads(x, i):
            %0 = getitem(x, i)
            %1 = getitem(x, i)
            %2 = getitem(x, i)
            %3 = mul(%1, %2)
            %4 = add(%0, %3)
            return %4
        """,
        """
        def element_reads(x, i):
            %0 = getitem(x, i)
            %1 = mul(%0, %0)
            %2 = add(%0, %1)
            return %2
        """,
    ),
    PassCase(
        python_math,
        """
        def python_math(x):
            %0 = math.sin(x)
            %1 = math.sin(x)
            %2 = add(%0, %1)
            return %2
        """,
        """
        def python_math(x):
            %0 = math.sin(x)
            %1 = add(%0, %0)
            return %1
        """,
    ),
    PassCase(
        tuples,
        """
        def tuples(a, b):
            %0 = tuple(a, b)
            %1 = tuple(a, b)
            %2 = tuple(%0, %1)
            return %2
        """,
        """
        def tuples(a, b):
            %0 = tuple(a, b)
            %1 = tuple(%0, %0)
            return %1
        """,
    ),
    PassCase(
        sibling_branches,
        """
        def sibling_branches(x, flag):
            y = if flag {
                y.1 = numpy.exp(x)
                yield y.1
            } else {
                %0 = numpy.exp(x)
                y.2 = mul(%0, 2.0)
                yield y.2
            }
            %1 = numpy.exp(x)
            %2 = add(y, %1)
            return %2
        """,
    ),
    PassCase(
        int_and_float_constants,
        """
        def int_and_float_constants(x):
            %0 = mul(x, 1)
            %1 = mul(x, 1.0)
            %2 = add(%0, %1)
            %3 = mul(x, True)
            %4 = add(%2, %3)
            return %4
        """,
    ),
    PassCase(
        fresh_arrays,
        """
        def fresh_arrays(n):
            z = numpy.zeros(n)
            w = numpy.zeros(n)
            %0 = tuple(z, w)
            return %0
        """,
    ),
    PassCase(
        array_literals,
        """
        def array_literals(a):
            %0 = list(a, a)
            %1 = numpy.array(%0)
            %2 = list(a, a)
            %3 = numpy.array(%2)
            %4 = tuple(%1, %3)
            return %4
        """,
    ),
    PassCase(
        lists,
        """
        def lists(a, b):
            u = list(a, b)
            v = list(a, b)
            %0 = tuple(u, v)
            return %0
        """,
    ),
    PassCase(
        dicts,
        """
        def dicts(a):
            %0 = dict('k', a)
            %1 = dict('k', a)
            %2 = tuple(%0, %1)
            return %2
        """,
    ),
    PassCase(
        passed_to_helper,
        """
        def passed_to_helper(a):
            u = numpy.sin(a)
            v = numpy.sin(a)
            helper = global helper
            %0 = call(helper, u)
            helper.1 = global helper
            %1 = call(helper.1, v)
            %2 = add(%0, %1)
            return %2
        """,
    ),
    PassCase(
        operator_passed_to_helper,
        """
        def operator_passed_to_helper(a):
            u = mul(a, 2.0)
            v = mul(a, 2.0)
            helper = global helper
            %0 = call(helper, u)
            %1 = add(%0, v)
            return %1
        """,
    ),
    PassCase(
        methods,
        """
        def methods(x):
            %0 = method.sum(x)
            %1 = method.sum(x)
            %2 = add(%0, %1)
            return %2
        """,
    ),
    PassCase(
        random_draws,
        """
        def random_draws(n):
            %0 = numpy.random.normal(size=n)
            %1 = numpy.random.normal(size=n)
            %2 = add(%0, %1)
            return %2
        """,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cse(case: PassCase) -> None:
    check_case(cse, case)


def accumulator_ir() -> Function:
    """``a = neg(x); b = neg(x); a.1 = add_at(a, i, g)``: `a` is a reverse-mode accumulator."""
    x, i, g = Var("x"), Var("i"), Var("g")
    body = Block([x, i, g])
    bld = Builder(body)
    a = bld.op("neg", [x], hint="a")
    b = bld.op("neg", [x], hint="b")
    a1 = bld.op("srcad.runtime.add_at", [a, i, g], hint="a")
    body.yields = [bld.op("tuple", [a1, b])]
    return Function("f", [x, i, g], ["x", "i", "g"], body)


def test_values_updated_in_place_are_not_merged() -> None:
    fn = accumulator_ir()
    before = text(fn)
    assert before == (
        "def f(x, i, g):\n"
        "    a = neg(x)\n"
        "    b = neg(x)\n"
        "    a.1 = srcad.runtime.add_at(a, i, g)\n"
        "    %0 = tuple(a.1, b)\n"
        "    return %0"
    )
    assert not cse(fn)
    assert text(fn) == before


def test_merging_reaches_a_fixpoint_in_one_run() -> None:
    """The second product becomes equal to the first only once sin is merged: one run does both,
    and a second run finds nothing."""
    fn = lower(chain)
    assert cse(fn)
    assert not cse(fn)
