"""Session 12 (lead): a `random.Random` of a constant seed made inside the function and drawn
from in a loop is the same draws on every run (scimark's MonteCarlo), so jacfwd/hessian may run
it once per column; one of no seed or a seed from an argument stays refused."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.1])


def seeded_in_loop(x):
    rnd = random.Random(113)
    k = 1.0 + 0.2 * float(x[0])
    acc = 0.0
    for _ in range(10):
        u = rnd.random()
        acc += math.exp(-k * u * u) * x[1]
    return acc


def unseeded_in_loop(x):
    rnd = random.Random()
    acc = 0.0
    for _ in range(3):
        acc += rnd.random() * x[0] ** 2
    return acc


def seed_from_argument(x, seed):
    rnd = random.Random(seed)
    acc = 0.0
    for _ in range(3):
        acc += rnd.random() * x[0] ** 2
    return acc


def test_constant_seed_generator_in_loop_hessian() -> None:
    H = srcad.hessian(seeded_in_loop)(X)
    g = srcad.grad(seeded_in_loop)
    h = 1e-5
    fd = np.array([(g(X + h * e) - g(X - h * e)) / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-9)
    assert abs(H[0, 1]) > 1e-3  # the draws' coupling of x[0] and x[1] is there


@pytest.mark.parametrize("f,args", [(unseeded_in_loop, (X,)), (seed_from_argument, (X, 5))])
def test_fresh_draws_in_loop_refused_by_columns(f, args) -> None:
    with pytest.raises(srcad.SrcadError, match="draw other random numbers"):
        srcad.hessian(f)(*args)
