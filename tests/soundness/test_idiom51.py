"""Session 51's spurious refusals of everyday idioms, and answers where Python raises.

An unused extended slice write of another length (``t[::2] = [1.0]`` of a list,
``a[::2] = [1.0, 2.0, 3.0]`` of an array) answered where Python raises ValueError: now kept
(passes/raising.py), it raises. ``next(it)`` past the end of an ``it = iter(...)`` raised
IndexError where Python raises StopIteration: now a check raises StopIteration.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X4 = np.array([0.3, 0.5, 0.7, 0.9])


def _modes(f):
    return [f, srcad.grad(f), lambda x: srcad.jvp(f, (x,), (np.ones_like(x),))[1]]


def list_extended_slice(x):
    t = [x[0], x[1], x[2], x[3]]
    t[::2] = [1.0]
    return x[0] ** 2


def array_extended_slice(x):
    t = np.zeros(4)
    t[::2] = [1.0, 2.0, 3.0]
    return x[0] ** 2


def list_extended_slice_fits(x):
    t = [x[0], x[1], x[2], x[3]]
    t[::2] = [1.0, x[1]]
    u = np.zeros(4)
    u[1::2] = 2.0
    return x[0] ** 2 * x[3]


@pytest.mark.parametrize("f", [list_extended_slice, array_extended_slice])
def test_dead_extended_slice_write_raises_as_python(f):
    for g in _modes(f):
        with pytest.raises(ValueError):
            g(X4.copy())


def test_dead_extended_slice_write_that_fits():
    check_scalar(list_extended_slice_fits, X4.copy())


def next_past_the_end(x):
    it = iter([x[0], x[1]])
    a = next(it)
    b = next(it)
    c = next(it)
    return a * b + c


def next_in_loop(x):
    it = iter([x[0], x[1], x[2]])
    s = next(it) ** 2
    for _ in range(2):
        s = s + next(it) * x[3]
    return s


def test_next_past_the_end_raises_stop_iteration():
    for g in _modes(next_past_the_end):
        with pytest.raises(StopIteration):
            g(X4.copy())


def test_next_in_a_loop():
    check_scalar(next_in_loop, X4.copy())
