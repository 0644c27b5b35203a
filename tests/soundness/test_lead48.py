"""Python raises, srcad raises: dead reads past the end of a list the function shortened, and a
dead ``np.zeros(shape)[None, k]`` out of bounds (passes/raising.py pairs the index with the axes as
NumPy does). Each raises Python's error where the primal raises, and the answering twins answer."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def pop_then_read(x):
    t = [x, 2 * x]
    t.pop()
    y = t[1]  # noqa: F841
    return np.sum(x)


def del_then_read(x):
    t = [x, 2 * x]
    del t[0]
    t[1]
    return np.sum(x)


def newaxis_out_of_bounds(x):
    np.zeros((3, 4))[None, 3]
    return np.sum(x)


def newaxis_slice_out_of_bounds(x):
    np.zeros((3, 4))[None, :, 4]
    return np.sum(x)


def pop_then_read_in_bounds(x):
    t = [x, 2 * x, 3 * x]
    t.pop()
    t[1]
    return np.sum(x)


def newaxis_in_bounds(x):
    np.zeros((3, 4))[None, 2, ..., 3]
    return np.sum(x)


RAISING = [pop_then_read, del_then_read, newaxis_out_of_bounds, newaxis_slice_out_of_bounds]


@pytest.mark.parametrize("f", RAISING, ids=lambda f: f.__name__)
@pytest.mark.parametrize("how", ["grad", "jvp"])
def test_dead_read_raises_as_python(f, how):
    x = np.ones(3)
    with pytest.raises(IndexError):
        f(x)
    with pytest.raises(IndexError):
        if how == "grad":
            srcad.grad(f)(x)
        else:
            srcad.jvp(f, (x,), (np.ones(3),))


@pytest.mark.parametrize(
    "f", [pop_then_read_in_bounds, newaxis_in_bounds], ids=lambda f: f.__name__
)
def test_dead_read_in_bounds_answers(f):
    x = np.array([0.5, -1.0, 2.0])
    assert f(x) == pytest.approx(np.sum(x))
    np.testing.assert_allclose(srcad.grad(f)(x), np.ones(3))
