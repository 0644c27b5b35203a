"""Soundness fixes of session 33's hunt33b: simulations as users write them, and derivatives
taken inside differentiated code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

from tests.soundness.numeric import check_scalar

# -- swapping two elements of a velocity array made by ``np.array([...])``, inside a loop ---------
# ``v[0], v[1] = v[1], v[0]`` routes the written value through `_srcad.copy_source` (it may be a
# view of `v`); the mutation check did not know that the copy of a number is a number, so the
# loop's `v` lost "1-D array of numbers" and the swap of an elastic collision was refused as a
# read of a view after its array changed ("a value is read after the object it shares with
# another name is modified"). Now the swap is accepted and differentiated.


def swap_in_loop(p):
    v = np.array([p[0], -p[1]])
    for _ in range(3):
        v[0], v[1] = v[1], v[0]
        v = v * 1.1
    return v[0] * v[1] ** 2


def collision_swap(p):
    x = np.array([0.0, 1.0])
    v = np.array([p[0], -p[1]])
    for _ in range(30):
        x = x + 0.05 * v
        if abs(x[1] - x[0]) < 0.1:
            v[0], v[1] = v[1], v[0]
    return x[0] ** 2 + 3 * x[1] + v[0] * v[1]


def collision_swap_temp(p):
    x = np.array([0.0, 1.0])
    v = np.array([p[0], -p[1]])
    for _ in range(30):
        x = x + 0.05 * v
        if abs(x[1] - x[0]) < 0.1:
            a = v[0]
            v[0] = v[1]
            v[1] = a
    return x[0] ** 2 + 3 * x[1] + v[0] * v[1]


@pytest.mark.parametrize("f", [swap_in_loop, collision_swap, collision_swap_temp])
def test_element_swap_in_loop(f):
    check_scalar(f, np.array([0.83, 0.41]))
