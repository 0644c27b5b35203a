"""Soundness fixes of session 29's hunt29a: NumPy semantics and aliasing in array code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.73, 0.218, -0.437, 1.1213, -0.9371, 0.3521])


# -- an index with `...` or `None` of a NumPy scalar makes a new array, which `op=` updates --


def ellipsis_of_scalar(x):
    t = x[0] * 2
    s = t[...]
    hist = [s]
    s += 1.0
    return hist[0] * x[1] + s


def none_of_scalar(x):
    t = x[0] * 2
    s = t[None]
    hist = [s]
    s += 1.0
    return hist[0][0] * x[1] + s[0]


def ellipsis_none_of_scalar(x):
    t = x[0] * 2
    s = t[..., None]
    hist = [s]
    s *= 3.0
    return hist[0][0] * x[1] + s[0]


def newaxis_of_reduction(x):
    t = np.sum(x**2)
    s = t[np.newaxis]
    u = s
    s += 1.0
    return u[0] * x[1]


def ellipsis_of_mean_written(x):
    t = np.mean(x)
    s = t[...]
    hist = [s]
    s[...] = x[2]
    return hist[0] * x[1] + s


def running_total_as_0d(x):
    hist = []
    acc = np.sum(x) * 0.0
    acc = acc[...]
    for i in range(3):
        acc += x[i] ** 2
        hist.append(acc)
    return hist[0] + 2.0 * hist[1]


@pytest.mark.parametrize(
    "f",
    [
        ellipsis_of_scalar,
        none_of_scalar,
        ellipsis_none_of_scalar,
        newaxis_of_reduction,
        ellipsis_of_mean_written,
        running_total_as_0d,
    ],
)
def test_new_array_indexed_from_a_scalar_updated_in_place_refused(f):
    # Python: `t[...]`/`t[None]` of a NumPy scalar is a new array and the list (the other name)
    # holds it; srcad took `s += 1.0` for a rebinding of a number (a wrong value and gradient)
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(f)(X.copy())


def ellipsis_of_scalar_alone(x):
    t = x[0] * 2
    s = t[...]
    s += 1.0
    return s * x[1] + np.sum(x**2)


def empty_tuple_of_scalar(x):
    t = x[0] * 2
    s = t[()]
    hist = [s]
    s += 1.0
    return hist[0] * x[1] + s


@pytest.mark.parametrize("f", [ellipsis_of_scalar_alone, empty_tuple_of_scalar])
def test_scalar_index_without_sharing_still_differentiated(f):
    check_scalar(f, X)
