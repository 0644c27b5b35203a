"""Python-float parameters are known floats in the specialization (`Spec.floats`): the reverse
sweep of ``x * y`` reads ``bx = y``, not ``bx = 1.0 * y`` (which an int `y` needs: its product by
1.0 is a float). The derivatives, their types and the int versions are unchanged."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.backend.request import spec_of


def prod(x, y):
    return x * y + math.sin(x)


def scaled(x, n):
    return x * n + n * np.cos(x)


def test_spec_tells_floats_from_ints() -> None:
    assert spec_of([0.5, 2, True, np.float64(1.0)]).floats == (0,)
    assert spec_of([0.5, 2]).scalars == (0, 1)


def test_unit_products_of_float_parameters_go() -> None:
    g = srcad.grad(prod, wrt=(0, 1))
    src = srcad.source(g, args=(0.5, 2.0))
    assert "1.0 * y" not in src and "1.0 * x" not in src, src
    for x, y in [(0.5, 2.0), (-1.25, 0.75)]:
        bx, by = g(x, y)
        assert type(bx) is float and type(by) is float
        assert bx == pytest.approx(y + math.cos(x), rel=1e-14)
        assert by == pytest.approx(x, rel=1e-14)


@pytest.mark.parametrize("n", [3, 3.0])
def test_int_parameter_keeps_its_float_product(n) -> None:
    g = srcad.grad(scaled)
    src = srcad.source(g, args=(0.5, n))
    assert ("1.0 * n" in src) == (type(n) is int), src
    for x in (0.5, -2.0):
        h = 1e-6
        want = (scaled(x + h, n) - scaled(x - h, n)) / (2 * h)
        got = g(x, n)
        assert got == pytest.approx(want, rel=1e-7)
        assert isinstance(got, float)
