"""Session 28 (hunt28b): what the hunt over Python idioms, objects and control flow found.

- A method call srcad runs as Python (a method of an argument's class, ``m.step()`` updating
  ``self.w``; ``d.rotate(1)`` of a deque) may update its receiver, but CSE merged a read of the
  receiver after the call with the same read before it (``m.w[0]`` before and after ``m.step()``:
  the gradient and the round trip used the old field), and `fold`/CSE's "values a call may reach"
  knew only `call` ops. A method op without a pure record is now such a call
  (passes/fold.py `updates_operands`).
"""

from __future__ import annotations

import copy
from collections import deque

import numpy as np
import pytest

import srcad


class Stepper:
    def __init__(self, w):
        self.w = w

    def step(self):
        self.w *= 2.0

    def rebind(self):
        self.w = self.w * 2.0


def read_around_step(x, m):
    a = m.w[0] * x
    m.step()
    return a + m.w[0] * x


def read_around_rebind(x, m):
    a = m.w[0] * x
    m.rebind()
    return a + m.w[0] * x


def read_around_item_step(x, ms):
    a = ms[0].w[0] * x
    ms[0].step()
    return a + ms[0].w[0] * x


@pytest.mark.parametrize("fn", [read_around_step, read_around_rebind])
def test_method_updating_an_argument_object(fn):
    m = Stepper(np.array([1.0, 2.0]))
    want = fn(0.5, copy.deepcopy(m))  # 0.5 + 1.0
    assert srcad.primal(fn)(0.5, copy.deepcopy(m)) == pytest.approx(want)
    assert srcad.grad(fn)(0.5, copy.deepcopy(m)) == pytest.approx(3.0)
    _, t = srcad.jvp(fn, (0.5, copy.deepcopy(m)), (1.0, None))
    assert t == pytest.approx(3.0)


def test_method_updating_a_list_item_object():
    ms = [Stepper(np.array([1.0, 2.0]))]
    assert srcad.grad(read_around_item_step)(0.5, copy.deepcopy(ms)) == pytest.approx(3.0)


def deque_rotations(x):
    d = deque(x)
    d.rotate(1)
    a = d[0]
    d.rotate(-2)
    return a * d[0] + d[-1]


def test_deque_rotate_round_trip():
    x = np.array([0.3, -0.5, 0.8])
    assert srcad.primal(deque_rotations)(x) == pytest.approx(deque_rotations(x))
