"""Soundness fixes of session 33's hunt33b: simulations as users write them, and derivatives
taken inside differentiated code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
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


# -- a method of an object made in the function, called in a `srcad.checkpoint_loop` body -------
# The check that a checkpointed body gives the same values when it runs again resolved calls with
# the classes of the parameters only, so ``cell = Cell(w)`` then ``h = cell(h)`` (or
# ``cell.step(h)``) in the loop was refused ("srcad cannot tell which function this call ...
# runs"), though the same loop without the marker, or with `cell` passed in, is differentiated.
# The classes of ``C(...)`` results are known there now (ad/objclasses.py); a method that draws
# random numbers is still refused.


class Cell:
    def __init__(self, w):
        self.w = w

    def __call__(self, h):
        return np.tanh(self.w * h) + 0.5 * h

    def step(self, h):
        return np.sin(self.w * h) + 0.5 * h


class Decay:
    def __init__(self, w):
        self.w = w
        self.n = 0

    def __call__(self, h):
        self.w = self.w * 0.9
        self.n += 1
        return np.tanh(self.w * h) + 0.5 * h


class Noisy:
    def __init__(self, w):
        self.w = w
        self.rng = np.random.default_rng(0)

    def __call__(self, h):
        return np.tanh(self.w * h) + 0.1 * self.rng.normal(size=h.shape)


def checkpointed_call(p):
    cell = Cell(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5)):
        h = cell(h)
    return np.sum(h**3)


def checkpointed_method(p):
    cell = Cell(p[1])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell.step(h)
    return np.sum(h**3)


def checkpointed_stateful(p):
    cell = Decay(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell(h)
    return np.sum(h**3) + cell.w * cell.n


def checkpointed_noisy(p):
    cell = Noisy(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell(h)
    return np.sum(h**3)


@pytest.mark.parametrize("f", [checkpointed_call, checkpointed_method, checkpointed_stateful])
def test_checkpoint_loop_calls_method_of_local_object(f):
    check_scalar(f, np.array([0.4, 0.7]))


def test_checkpoint_loop_noisy_method_still_refused():
    with pytest.raises(srcad.SrcadError, match="checkpoint_loop"):
        srcad.grad(checkpointed_noisy)(np.array([0.4, 0.7]))
