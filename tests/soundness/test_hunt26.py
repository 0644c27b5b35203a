"""Soundness of what hunt26 found wrong, checked numerically (value, gradient against central
differences, the JVP/VJP dot test, the Hessian against differences of the gradient):

- a nested def inlined where it is called (lower/closures.inline) whose own nested def writes the
  first one's variable (``nonlocal tot``) inside a loop, comprehension or generator of its body:
  the loop did not carry the variable (`lw.enclosing_writes` named only the writes of functions
  nested in the transformed function, not in the inlined one), so every call saw its first
  value; wrong values and derivatives on main.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.5, -0.7])


def nl_loop(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        out = []
        for xi in x:
            out.append(add(xi * xi))
        return out

    return sum(outer())


def nl_generator(x):
    def gen():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        for xi in x:
            yield add(xi * xi)

    return sum(gen())


def nl_comprehension(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        return [add(xi * xi) for xi in x]

    return sum(outer())


def nl_three_levels(x):
    def a():
        def b():
            tot = 1.0

            def c(v):
                nonlocal tot
                tot *= v

            for xi in x:
                c(xi + 2.0)
            return tot

        return b()

    return a()


def nl_generator_for(x):
    def gen():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        for xi in x:
            yield add(xi * xi)

    s = 0.0
    for v in gen():
        s += v * v
    return s


@pytest.mark.parametrize(
    "f", [nl_loop, nl_generator, nl_comprehension, nl_three_levels, nl_generator_for]
)
def test_nonlocal_in_inlined_nested_def(f):
    check_scalar(f, X.copy())


def nl_while(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot = tot * 0.5 + v

        i = 0
        while i < len(x):
            add(x[i] ** 2)
            i += 1
        return tot

    return outer() * 2


def test_nonlocal_in_inlined_while_right_or_refused():
    try:
        g = srcad.grad(nl_while)(X.copy())
    except srcad.SrcadError:
        return
    check_scalar(nl_while, X.copy())
    assert np.all(np.isfinite(g))
