"""The cotangent of a mean of squares written as a person does (srcad/passes/shapes.py with
srcad/passes/shapes_mean.py): ``mean_vjp(1.0, t ** 2) * pow_dx(t, 2)`` is
``(2.0 / max(t2.size, 1)) * t``; along axes, the reduced cotangent divided by the lengths
averaged over before it is broadcast. Each variant (axes, keepdims, negative axes, 3-D,
a scale, the method form, empty arrays, no specialization) is checked numerically."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

RNG = np.random.default_rng(3)
P = RNG.standard_normal((4, 3))
Y = RNG.standard_normal((4, 3))
P3 = RNG.standard_normal((2, 3, 4))
Y3 = RNG.standard_normal((2, 3, 4))


def mse(p, y):
    return np.mean((p - y) ** 2)


def mse_method(p, y):
    return ((p - y) ** 2).mean()


def half_mse(p, y):
    return 0.5 * np.mean((p - y) ** 2)


def mse_axis0(p, y):
    return np.sum(np.mean((p - y) ** 2, axis=0) * y[0])


def mse_axis_neg(p, y):
    return np.sum(np.sin(np.mean((p - y) ** 2, axis=-1)))


def mse_keepdims(p, y):
    return np.sum(np.mean((p - y) ** 2, axis=1, keepdims=True))


def mse_axes(p, y):
    return np.sum(np.mean((p - y) ** 2, axis=(0, 2)) ** 2)


def mse_all_axes(p, y):
    return np.mean((p - y) ** 2, axis=(0, 1))


CASES = [
    (mse, (P, Y)),
    (mse_method, (P, Y)),
    (half_mse, (P, Y)),
    (mse_axis0, (P, Y)),
    (mse_axis_neg, (P, Y)),
    (mse_keepdims, (P, Y)),
    (mse_axes, (P3, Y3)),
    (mse_all_axes, (P, Y)),
    (mse, (P3, Y3)),
    (mse, (np.array([0.5, -1.0]), 0.25)),
]


@pytest.mark.parametrize(
    ("f", "args"), CASES, ids=[f"{f.__name__}-{np.ndim(a[0])}d" for f, a in CASES]
)
def test_mean_of_squares(f, args) -> None:
    check_grads(f, args, modes=("fwd", "rev"), wrt=(0,))
    src = srcad.source(f, mode="grad", wrt=(0,), args=args)
    assert "pow_dx" not in src, src  # (`mean_vjp` too where the axes are known)
    g = srcad.grad(f)(*args)
    g0 = srcad.grad(f)(*(np.asarray(args[0]) + 0.0, *args[1:]))
    np.testing.assert_array_equal(g, g0)


def test_the_generated_line() -> None:
    src = srcad.source(mse, mode="grad", args=(P, Y))
    assert "2.0 / max(_t2.size, 1) * _t1" in src, src


def test_unspecialized() -> None:
    """The default `Spec()` (arrays or numbers of unknown rank): ``p - y`` may be a Python
    float, which has no ``.size``, so the helper stays."""
    src = srcad.source(mse, mode="grad")
    assert "mean_vjp" in src, src
    for args in ((P, Y), (P3, Y3), (np.array(0.5), np.array(0.25)), (0.5, 0.25)):
        check_grads(mse, args, modes=("rev",), wrt=(0,))


@pytest.mark.parametrize("f", [mse, mse_axis_neg, mse_keepdims])
def test_empty(f) -> None:
    """An empty array's gradient is empty (no ``2.0 / 0``)."""
    p = np.zeros((0, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's mean of an empty array)
        g = srcad.grad(f)(p, p)
    assert g.shape == (0, 3)
