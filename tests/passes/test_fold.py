"""passes/fold.py: a constant-index read of a literal container is the element itself."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.passes.fold import fold
from tests.passes.irtext import PassCase, check_case


def tuple_read(x):
    p = (0.0, x)
    return np.sqrt(p[0]) + p[1]


def dict_read(x):
    d = {"a": 0.0, "b": x, "a": 2.0}  # noqa: F601 - the last entry of a key wins
    return d["a"] * d["b"]


def dynamic_read(x, i):
    p = (x, 2.0 * x)
    return p[i]


CASES = [
    PassCase(
        tuple_read,
        before="""
        def tuple_read(x):
            p = tuple(0.0, x)
            %0 = getitem(p, 0)
            %1 = numpy.sqrt(%0)
            %2 = getitem(p, 1)
            %3 = add(%1, %2)
            return %3
        """,
        after="""
        def tuple_read(x):
            p = tuple(0.0, x)
            %0 = getitem(p, 0)
            %1 = numpy.sqrt(0.0)
            %2 = getitem(p, 1)
            %3 = add(%1, x)
            return %3
        """,
    ),
    PassCase(
        dict_read,
        before="""
        def dict_read(x):
            d = dict('a', 0.0, 'b', x, 'a', 2.0)
            %0 = getitem(d, 'a')
            %1 = getitem(d, 'b')
            %2 = mul(%0, %1)
            return %2
        """,
        after="""
        def dict_read(x):
            d = dict('a', 0.0, 'b', x, 'a', 2.0)
            %0 = getitem(d, 'a')
            %1 = getitem(d, 'b')
            %2 = mul(2.0, x)
            return %2
        """,
    ),
    PassCase(
        dynamic_read,
        before="""
        def dynamic_read(x, i):
            %0 = mul(2.0, x)
            p = tuple(x, %0)
            %1 = getitem(p, i)
            return %1
        """,
        after=None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.fn.__name__)
def test_fold(case: PassCase) -> None:
    check_case(fold, case)


def test_a_constant_in_a_container_keeps_no_derivative() -> None:
    # read through the container, 0.0 got a zero tangent times sqrt'(0) = inf: jvp was nan
    assert srcad.jvp(tuple_read, (0.7,), (1.0,)) == (0.7, 1.0)
    assert srcad.grad(dict_read)(0.7) == 2.0
