"""The runtime helpers' fast paths give what their general paths give: the same values, types,
dtypes and shapes, and the same aliasing (a view of the cotangent where the general path gave
one, a fresh array where it gave one, the caller's accumulator updated in place).

Input: cotangents of the shapes and kinds generated code passes (arrays against arrays and
numbers, basic and advanced indices). Output: pass/fail against references written here with
plain NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import srcad.runtime as rt

RNG = np.random.default_rng(0)


def _sum_to(g: np.ndarray, shape: tuple) -> np.ndarray:
    lead = g.ndim - len(shape)
    g = g.sum(axis=tuple(range(lead))) if lead else g
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


@pytest.mark.parametrize(
    "gs, xs",
    [((3, 4), (4,)), ((2, 3, 4), (3, 4)), ((2, 3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 4))],
)
def test_unbroadcast_arrays(gs, xs):
    g = RNG.standard_normal(gs)
    got = rt.unbroadcast(g, np.zeros(xs))
    assert type(got) is np.ndarray and got.shape == xs and got.dtype == np.float64
    np.testing.assert_array_equal(got, _sum_to(g, xs))
    assert (got is g) == (gs == xs)  # the same array only when nothing is summed


@pytest.mark.parametrize("gs", [(5,), (2, 3), (1,)])
@pytest.mark.parametrize("x", [1.5, 2, np.float64(0.5)])
def test_unbroadcast_to_a_number(gs, x):
    g = RNG.standard_normal(gs)
    got = rt.unbroadcast(g, x)
    want = g.sum()
    assert got == want
    # a NumPy number's cotangent stays a NumPy number, a Python number's is a Python float
    assert type(got) is (np.float64 if type(x) is np.float64 else float)


def test_unbroadcast_complex_to_a_real_number():
    g = np.array([1 + 2j, 3 - 1j])
    assert rt.unbroadcast(g, 1.0) == 4.0 and type(rt.unbroadcast(g, 1.0)) is float


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("seq", [list, tuple])
def test_concatenate_vjp_views(axis, seq):
    parts = [RNG.standard_normal((k, 2) if axis == 0 else (2, k)) for k in (1, 3)]
    g = RNG.standard_normal(np.concatenate(parts, axis).shape)
    got = rt.concatenate_vjp(g, seq(parts), axis)
    assert type(got) is seq
    for p, want, x in zip(got, np.split(g, [parts[0].shape[axis]], axis), parts):
        assert p.shape == x.shape and np.shares_memory(p, g)  # views of g, as np.split's
        np.testing.assert_array_equal(p, want)


def test_concatenate_vjp_other_operands():
    g = np.arange(5.0)
    a, b = rt.concatenate_vjp(g, [np.ones(2), [1.0, 2.0, 3.0]], 0)
    np.testing.assert_array_equal(a, [0.0, 1.0])
    assert b == [2.0, 3.0, 4.0]  # a list operand's cotangent is a list


@pytest.mark.parametrize(
    "idx",
    [slice(1, 3), 0, -1, (slice(None), 1), (0, 1), (slice(None), slice(0, 2)), ()],
)
def test_getitem_vjp_basic(idx):
    x = RNG.standard_normal((3, 3))
    g = RNG.standard_normal(np.shape(x[idx]))
    got = rt.getitem_vjp(g, x, idx)
    want = np.zeros((3, 3))
    want[idx] = g
    np.testing.assert_array_equal(got, want)
    assert not np.shares_memory(got, g) and got.flags.writeable


@pytest.mark.parametrize(
    "idx",
    [
        slice(1, 3),
        (slice(None), 1),
        (0, 1),
        1,
        np.array([0, 0, 2]),  # repeats accumulate
        [1, 1],
        np.array([True, False, True]),  # a mask selects a copy: acc itself is updated
        (slice(None), np.array([0, 2, 2])),
    ],
)
def test_add_at_updates_the_accumulator(idx):
    x = np.zeros((3, 3))
    g = RNG.standard_normal(np.shape(x[idx]))
    acc = RNG.standard_normal((3, 3))
    want = acc.copy()
    np.add.at(want, idx, g)
    got = rt.add_at(acc, idx, g, x)
    assert got is acc
    np.testing.assert_allclose(acc, want, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "shape, axis, n", [((6,), 0, 1), ((3, 5), 1, 2), ((4, 3), 0, 1), ((2, 4), -1, 3)]
)
def test_diff_vjp_is_the_transpose_of_diff(shape, axis, n):
    a = RNG.standard_normal(shape)
    g = RNG.standard_normal(np.diff(a, n, axis).shape)
    got = rt.diff_vjp(g, a, n, axis)
    # <g, diff(t)> == <diff_vjp(g), t> for every t: the columns of the transpose
    eye = np.eye(a.size).reshape((a.size, *shape))
    want = np.array([np.sum(g * np.diff(t, n, axis)) for t in eye]).reshape(shape)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert got.dtype == np.float64


def test_shape_like_stand_ins():
    for dtype in (np.float64, np.float32, np.int64, complex, bool, object):
        x = np.zeros((3, 2), dtype)
        s = rt.shape_like(x)
        assert type(s) is np.ndarray and s.shape == x.shape and s.dtype == x.dtype
        assert s.strides == (0, 0) and not s.flags.writeable
        assert rt.shape_like(np.ones((3, 2), dtype)) is s  # one per shape and dtype
    assert rt.shape_like(np.zeros(3, ">f8")).dtype == np.dtype(">f8")
    assert rt.shape_like(1.5) == 1.5


SLICE_CASES = [
    ((3, 8), (slice(None), slice(2, 4))),  # a loop's gate: z[:, a:b]
    ((3, 8), (slice(None), slice(6, None))),
    ((3, 8), (slice(1, None), slice(None, None, 2))),
    ((3, 8), (slice(None), slice(-3, -1))),
    ((3, 8), (slice(None), slice(5, 2))),  # empty
    ((3, 8), (slice(None),)),
    ((3, 8), ()),
    ((2, 3, 4), (slice(None), slice(1, 2), slice(None))),
    ((), ()),  # a 0-d accumulator: acc[()] is a number, not a view
]


@pytest.mark.parametrize("shape, idx", SLICE_CASES)
@pytest.mark.parametrize("g_kind", ["exact", "broadcast", "float32", "complex", "number"])
def test_add_at_with_slices_like_the_general_path(shape, idx, g_kind):
    """`add_at`'s float64-and-slices path: the general path's value, in place (acc itself)."""
    acc = RNG.standard_normal(shape)
    sel = np.shape(acc[idx])
    g = {
        "exact": lambda: RNG.standard_normal(sel),
        "broadcast": lambda: RNG.standard_normal(sel[-1:]),
        "float32": lambda: RNG.standard_normal(sel).astype(np.float32),
        "complex": lambda: RNG.standard_normal(sel) + 1j,  # a real array's: the real part
        "number": lambda: 1.5,
    }[g_kind]()
    want = acc.copy()
    want[idx] += np.real(g)
    got = rt.add_at(acc, idx, g, np.zeros(shape))
    assert type(got) is np.ndarray and got.dtype == np.float64
    np.testing.assert_array_equal(got, want)
    if shape:
        assert got is acc


def test_add_at_with_slices_refuses_what_numpy_refuses():
    acc = np.zeros((3, 4))
    with pytest.raises(ValueError):
        rt.add_at(acc, (slice(None), slice(0, 2)), np.ones((3, 3)), acc)
    with pytest.raises(IndexError):
        rt.add_at(acc, (slice(None),) * 3, np.ones((3, 4)), acc)


@pytest.mark.parametrize("dtype", ["<f8", ">f8", np.float32, complex])
def test_add_into_equal_dtypes(dtype):
    """`add_into` adds in place for equal dtypes (the same object or not), else makes a sum."""
    acc = np.ones(3, dtype)
    c = np.full(3, 2.0, np.dtype(dtype).newbyteorder("=") if dtype == ">f8" else dtype)
    got = rt.add_into(acc, c)
    np.testing.assert_array_equal(got, np.full(3, 3.0))
    assert (got is acc) == (c.dtype == acc.dtype)
