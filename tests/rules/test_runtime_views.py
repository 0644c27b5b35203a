"""Broadcast views the reduction helpers return (srcad/rules/bviews.py) and unbroadcast's sum of
a keepdims reduction's axes: what ``np.broadcast_to`` and the general paths give, to the bit, with
the same shape, dtype, read-only flag and values for every layout (contiguous, transposed,
sliced, zero-stride, empty, float32, complex, int).

Input: cotangents of the shapes and kinds generated code passes. Output: pass/fail against plain
NumPy references written here."""

from __future__ import annotations

import numpy as np
import pytest

import srcad.runtime as rt
from srcad.rules.bviews import broadcast_view, filled

RNG = np.random.default_rng(11)


def _layouts(shape: tuple) -> list[np.ndarray]:
    """Arrays of `shape` laid out differently: contiguous, Fortran, a strided slice, a
    transpose's, one number broadcast (zero strides), read-only."""
    a = RNG.standard_normal(shape)
    out = [a, np.asfortranarray(a)]
    big = RNG.standard_normal(tuple(2 * n + 1 for n in shape))
    out.append(big[tuple(slice(1, 2 * n + 1, 2) for n in shape)])
    out.append(np.ascontiguousarray(a.T).T)
    out.append(np.broadcast_to(np.float64(RNG.standard_normal()), shape))
    ro = a.copy()
    ro.setflags(write=False)
    out.append(ro)
    return out


CASES = [
    ((3, 1), (3, 4)),
    ((1, 4), (3, 4)),
    ((1, 1), (2, 3)),
    ((2, 1, 4), (2, 5, 4)),
    ((1, 3, 1), (2, 3, 4)),
    ((3, 4), (3, 4)),
    ((1,), (6,)),
    ((1, 1), (1, 1)),
    ((1, 3), (0, 3)),
]


@pytest.mark.parametrize("es, shape", CASES)
def test_broadcast_view_is_broadcast_to(es, shape):
    for e in _layouts(es):
        got, want = broadcast_view(e, shape), np.broadcast_to(e, shape)
        assert type(got) is np.ndarray and got.shape == shape and got.dtype == want.dtype
        assert not got.flags.writeable
        np.testing.assert_array_equal(got, want)
        assert np.shares_memory(got, e) or got.size == 0 or not any(e.strides)


@pytest.mark.parametrize("dtype", [np.float32, np.complex128, np.int64, bool])
def test_broadcast_view_other_dtypes(dtype):
    e = np.arange(3).reshape(3, 1).astype(dtype)
    got = broadcast_view(e, (3, 4))
    assert got.dtype == dtype and not got.flags.writeable
    np.testing.assert_array_equal(got, np.broadcast_to(e, (3, 4)))


def test_broadcast_view_keeps_signs_and_nans():
    for v in (-0.0, np.nan, np.inf):
        got = broadcast_view(np.broadcast_to(np.float64(v), (2, 1)), (2, 3))
        np.testing.assert_array_equal(got, np.full((2, 3), v))
        assert np.all(np.signbit(got) == np.signbit(v))
    assert filled(-0.0, (2,)).tolist() == [-0.0, -0.0] and np.signbit(filled(-0.0, (2,))).all()


@pytest.mark.parametrize("es, shape", [((3, 2), (3, 4)), ((2, 4), (3, 4)), ((3,), (3, 4))])
def test_broadcast_view_refuses_what_broadcast_to_refuses(es, shape):
    e = np.ones(es)
    with pytest.raises(ValueError):
        np.broadcast_to(e, shape)
    with pytest.raises(ValueError):
        broadcast_view(e, shape)


@pytest.mark.parametrize("gs, xs", [((3, 4), (3, 1)), ((3, 4), (1, 1)), ((2, 3, 4), (2, 1, 4)),
                                    ((2, 3, 4), (1, 3, 1)), ((0, 4), (1, 4)), ((3, 4), (3, 4))])  # fmt: skip
def test_unbroadcast_keepdims_axes(gs, xs):
    for g in _layouts(gs):
        got = rt.unbroadcast(g, np.zeros(xs))
        axes = tuple(i for i, n in enumerate(xs) if n == 1 and gs[i] != 1)
        want = g.sum(axis=axes, keepdims=True) if axes else g
        assert type(got) is np.ndarray and got.shape == xs
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("gs, xs", [((3, 1), (3, 4)), ((1, 4), (3, 4)), ((3, 4), (2, 4))])
def test_unbroadcast_other_shapes_take_the_general_path(gs, xs):
    g = RNG.standard_normal(gs)
    if gs[0] < xs[0] or gs[1] < xs[1]:  # `g` smaller than `x`: broadcast, a fresh copy
        got = rt.unbroadcast(g, np.zeros(xs))
        np.testing.assert_array_equal(got, np.broadcast_to(g, xs))
        assert got.flags.writeable
    else:
        with pytest.raises(ValueError):
            rt.unbroadcast(g, np.zeros(xs))


@pytest.mark.parametrize("shape, axis, keep", [((4, 5), 1, False), ((4, 5), 0, True),
                                               ((4, 5), None, False), ((2, 3, 4), (0, 2), False),
                                               ((2, 3, 4), -1, True), ((0, 3), 1, False),
                                               ((3, 0), 1, False), ((0,), None, False)])  # fmt: skip
@pytest.mark.parametrize("helper", ["sum", "mean"])
def test_sum_and_mean_vjp_values(shape, axis, keep, helper):
    a = RNG.standard_normal(shape)
    red = np.sum(a, axis=axis, keepdims=keep)
    gs = [RNG.standard_normal(np.shape(red))] if np.ndim(red) else [1.5, np.float64(-2.0)]
    for g in gs:
        got = getattr(rt, f"{helper}_vjp")(g, a, axis, keep)
        ge = g if keep or axis is None else np.expand_dims(g, axis)
        count = a.size // max(np.size(red), 1) if a.size else 0
        with np.errstate(all="ignore"):
            want = np.broadcast_to(ge, shape) / (count if helper == "mean" else 1)
        assert got.shape == shape and got.dtype == np.float64
        np.testing.assert_array_equal(got, want)


def test_mean_vjp_of_a_list_and_with_where():
    got = rt.mean_vjp(2.0, [1.0, 2.0, 3.0, 4.0])
    assert got == [0.5, 0.5, 0.5, 0.5]
    w = np.array([True, False, True])
    got = rt.mean_vjp(1.0, np.ones(3), None, False, w)
    np.testing.assert_array_equal(got, [0.5, 0.0, 0.5])
