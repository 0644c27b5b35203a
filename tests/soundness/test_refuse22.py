"""What refuse22 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused (tests/corpus/users_refuse22.py holds the corpus cases):

- NumPy's flat iterator indexed: ``A.flat[k] = v`` / ``A.flat[k] op= v`` on a local array (as
  ``np.put``, lower/flatiter.py), ``e.flat[k]`` read (``np.take``); refused on an argument, on an
  array another name holds and reads later, on a view of a local;
- ``np.place``, ``y.put(i, v)``, ``y.partition(k)`` on a local array, and ``np.put`` /
  ``np.putmask`` / ``np.place`` inside loops (a write the loop carries: they were refused there,
  lower/scope.written_by_call did not list them); refused on arguments and shared arrays."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])


def _check(f, x=X):
    check_scalar(f, x)


# -- the flat iterator -------------------------------------------------------------------------
def flat_list_index(x):
    A = np.zeros(9)
    A.flat[[1, 4]] = x[:2] ** 2
    return np.sum(A * x[0]) + A[4] * x[3]


def flat_int_index(x):
    A = np.outer(x, x)
    A.flat[3] = x[1] ** 3
    A.flat[-1] = A.flat[3] * x[2]
    return np.sum(A**2)


def flat_slice_cyclic(x):
    A = np.zeros((2, 3))
    A.flat[:] = x[:2] * x[3]  # repeated over the six positions, as NumPy's
    A.flat[1::2] = x[1:4] ** 2
    return np.sum(A**2 * np.arange(6.0).reshape(2, 3))


def flat_mask_and_repeats(x):
    A = np.outer(x[:2], x[2:])
    A.flat[np.array([True, False, False, True])] = x[:2] * 2.0
    A.flat[[0, 0, 2]] = x[1:4]  # the last write of a repeated position wins
    return np.sum(A**2)


def flat_augmented_loop(x):
    A = np.zeros((2, 2))
    for i in range(4):
        A.flat[i] = x[i] ** 2 + A.flat[i - 1]
    A.flat[1:3] *= x[:2]
    A.flat[[3, 3]] += x[0]  # read once, written once: += x[0] once, as Python's
    return np.sum(A**2)


def flat_read_of_transpose(x):
    A = np.outer(x, x + 1.0)
    return np.sum(A.T.flat[[1, 2, 7]] ** 2) + A.T.flat[5] * A.flat[2:6].sum()


def flat_int_array(x):
    k = np.zeros(4, dtype=int)
    k.flat[1] = 3
    return np.sum(x[k] ** 2)


@pytest.mark.parametrize(
    "f",
    [
        flat_list_index,
        flat_int_index,
        flat_slice_cyclic,
        flat_mask_and_repeats,
        flat_augmented_loop,
        flat_read_of_transpose,
        flat_int_array,
    ],
)
def test_flat_accepted(f):
    _check(f)


def flat_argument(x):
    x.flat[0] = 2.0 * x[1]
    return np.sum(x)


def flat_alias_read(x):
    A = np.zeros(4)
    B = A
    A.flat[1] = x[0]
    return np.sum(B * x)


def flat_through_row_view(x):
    A = np.zeros((2, 2))
    r = A[0]
    r.flat[1] = x[0]
    return np.sum(A * x.reshape(2, 2))


@pytest.mark.parametrize("f", [flat_argument, flat_through_row_view])
def test_flat_writes_seen_elsewhere_refused(f):
    with pytest.raises(srcad.SrcadError, match=r"`\.flat\[\.\.\.\]`"):
        srcad.grad(f)(X.copy())


# -- np.place, y.put, y.partition, writers in loops ----------------------------------------------
def place_cyclic(x):
    y = x.copy()
    np.place(y, y > 0.25, x[:2] ** 2)  # three positions, two values: repeated
    return np.sum(y**2 * x)


def place_int_mask_loop(x):
    y = x * 1.0
    for _i in range(2):
        np.place(y, (y > 0.25).astype(int), y[:2] * x[1])
    return np.sum(y**2)


def put_method_loop(x):
    y = np.zeros(4)
    for i in range(3):
        y.put(i, x[i] ** 2 + y[i - 1])
    y.put([-1, 5], x[:2], mode="clip")
    return np.sum(y**2)


def np_put_loop(x):
    y = np.zeros(4)
    for i in range(3):
        np.put(y, [i], x[i] ** 2 + y[i - 1])
    return np.sum(y**2)


def putmask_loop(x):
    y = x.copy()
    for _i in range(2):
        np.putmask(y, y > 0.25, y * x)
    return np.sum(y**2)


def partition_loop(x):
    B = x * 2.0
    for i in range(2):
        B.partition(i + 1)
        B[0] = B[0] * x[i]
    return B[1] + B[0] * 3 + B[2] * B[3]


@pytest.mark.parametrize(
    "f",
    [place_cyclic, place_int_mask_loop, put_method_loop, np_put_loop, putmask_loop, partition_loop],
)
def test_writers_accepted(f):
    _check(f)


def put_argument(x):
    x.put([0], x[1])
    return np.sum(x)


def partition_argument(x):
    x.partition(1)
    return x[0]


def place_shared(x):
    y = x * 1.0
    z = y
    np.place(y, y > 0.5, x[0])
    return np.sum(z)


@pytest.mark.parametrize("f", [put_argument, partition_argument])
def test_writers_on_shared_arrays_refused(f):
    with pytest.raises(srcad.SrcadError, match="in place|shares with another name"):
        srcad.grad(f)(X.copy())


def test_place_errors_as_numpy():
    def wrong_size(x):
        y = x.copy()
        np.place(y, np.array([True, False]), x[0])
        return np.sum(y)

    def empty_vals(x):
        y = x.copy()
        np.place(y, y > 0.0, x[:0])
        return np.sum(y)

    for f in (wrong_size, empty_vals):
        with pytest.raises(ValueError):
            f(X.copy())
        with pytest.raises(ValueError):
            srcad.grad(f)(X.copy())


# -- np.multiply.at / divide.at / maximum.at / minimum.at --------------------------------------
def mul_at_repeated(x):
    out = np.zeros(3)
    np.add.at(out, [0, 0, 1], x[:3])
    np.multiply.at(out, [0, 2, 0], x[1:4])  # position 0 multiplied twice
    return np.sum(out**2)


def mul_at_zero_factor(x):
    out = np.ones(3) * x[3]
    w = np.array([0.0, 1.0, 1.0]) * x[:3]  # a zero factor at a repeated position
    np.multiply.at(out, [1, 1, 1], w)
    return np.sum(out**2) + out[1]


def mul_at_2d_tuple_index(x):
    A = np.outer(x, x[::-1])
    np.multiply.at(A, (np.array([0, 1, 0]), np.array([2, 3, 2])), x[:3] + 1.0)
    np.multiply.at(A, (slice(None), 1), 2.0 * x[0])  # a column, one scalar broadcast
    return np.sum(A**2)


def div_at_repeated(x):
    out = np.ones(4) + x
    np.divide.at(out, [3, 3, 0, 3], x + 1.5)
    return np.sum(out**2)


def max_at_repeated(x):
    out = np.zeros(3)
    np.maximum.at(out, [0, 0, 1, 2], np.array([1.0, -1.0, 1.0, -1.0]) * x)
    return np.sum(out**2 * np.array([1.0, 2.0, 3.0]))


def min_at_rows(x):
    A = np.outer(x[:2], x[2:]) - 0.2
    np.minimum.at(A, [1, 0, 1], x[:2] * 0.3)  # rows, the values broadcast along them
    return np.sum(A**2)


def max_at_tie(x):
    out = x * 1.0
    np.maximum.at(out, [0, 0], np.array([x[0], x[0]]))  # three equal values at position 0
    return out[0] ** 2 + out[1]


def ufunc_at_loop(x):
    out = np.ones(2)
    for i in range(4):
        np.multiply.at(out, [i % 2, 0], x[i] + 0.5)
        np.maximum.at(out, [1], out[0] * 0.5)
    return np.sum(out)


@pytest.mark.parametrize(
    "f",
    [
        mul_at_repeated,
        mul_at_zero_factor,
        mul_at_2d_tuple_index,
        div_at_repeated,
        max_at_repeated,
        min_at_rows,
        max_at_tie,
        ufunc_at_loop,
    ],
)
def test_ufunc_at_accepted(f):
    _check(f)


_RNG = np.random.default_rng(5)
_IDX = (_RNG.integers(0, 4, size=12), _RNG.integers(0, 3, size=12))


def _mul(a, v):
    a = a * 1.0
    np.multiply.at(a, _IDX, v)
    return a


def _div(a, v):
    a = a * 1.0
    np.divide.at(a, _IDX, v)
    return a


def _max(a, v):
    a = a * 1.0
    np.maximum.at(a, _IDX, v)
    return a


def _min(a, v):
    a = a * 1.0
    np.minimum.at(a, _IDX, v)
    return a


@pytest.mark.parametrize("f", [_mul, _div, _max, _min])
def test_ufunc_at_values_exact(f):
    a0 = _RNG.normal(size=(4, 3))
    v0 = _RNG.normal(size=12) + 2.0
    want = f(a0, v0)
    val, _ = srcad.jvp(f, (a0, v0), (np.zeros_like(a0), np.ones_like(v0)))
    if f is _div:  # the quotient by the product, corrected to NumPy's within rounding
        np.testing.assert_allclose(val, want, rtol=1e-14)
    else:
        np.testing.assert_array_equal(val, want)  # the same sequential operations
    # the Jacobian in v against central differences
    jac = srcad.jacfwd(f, wrt=1)(a0, v0)
    eps = 1e-6
    fd = np.stack([(f(a0, v0 + eps * e) - f(a0, v0 - eps * e)) / (2 * eps) for e in np.eye(12)], -1)
    np.testing.assert_allclose(jac, fd, rtol=1e-5, atol=1e-6)


def mul_at_argument(x):
    np.multiply.at(x, [0], 2.0)
    return np.sum(x)


def max_at_shared(x):
    out = np.zeros(4)
    keep = out
    np.maximum.at(out, [0, 1], x[:2])
    return np.sum(keep * x)


@pytest.mark.parametrize("f", [mul_at_argument])
def test_ufunc_at_shared_refused(f):
    with pytest.raises(srcad.SrcadError, match=r"np\.(multiply|maximum)\.at"):
        srcad.grad(f)(X.copy())


def test_ufunc_at_integer_array_refused_when_it_runs():
    def f(x):
        k = np.ones(3, dtype=int)
        np.multiply.at(k, [0, 0], 3)
        return np.sum(x[:3] * k)

    with pytest.raises(srcad.SrcadError, match="float arrays only"):
        srcad.grad(f)(X.copy())


def test_ufunc_at_numpy_errors():
    def f(x):
        out = np.zeros(3)
        np.maximum.at(out, [0, 5], x[:2])
        return np.sum(out)

    with pytest.raises(IndexError):
        srcad.grad(f)(X.copy())


def test_divide_at_overflowing_product_refused_when_it_runs():
    def f(x):
        out = np.full(2, 1e300) * x[0]
        np.divide.at(out, [0, 0, 0], np.array([1e200, 1e200, 1e-200]) * x[1])
        return np.sum(out)

    with pytest.raises(srcad.SrcadError, match="overflows or underflows"):
        srcad.grad(f)(X.copy())


# -- `v op= w` on an object built here whose class has no `__iop__` ------------------------------
class Vec:
    def __init__(self, a):
        self.a = a

    def __add__(self, o):
        return Vec(self.a + o.a)

    def __mul__(self, c):
        return Vec(self.a * c)


class IVec(Vec):
    def __iadd__(self, o):
        self.a = self.a + o.a
        return self


def vec_rebinds(x):
    v = Vec(x)
    w = v
    v += Vec(x**2)  # `v = v + ...`: a new object, `w` the old one
    v *= 0.5
    return np.sum(v.a * x) + np.sum(w.a**2)


def ivec_updates(x):
    v = IVec(x)
    w = v
    v += IVec(x**2)  # `v.__iadd__(...)`: the same object, `w` sees it
    return np.sum(v.a * x) + np.sum(w.a**2)


@pytest.mark.parametrize("f", [vec_rebinds, ivec_updates])
def test_object_augmented_assignment_accepted(f):
    _check(f)


# -- getattr(obj, "name", default) with a constant name ------------------------------------------
class Scaled:
    scale = 2.0

    def __init__(self, a):
        self.a = a

    def grow(self):
        self.b = self.a * 3


def getattr_module_default(x):
    f = getattr(np, "no_such_function", np.sin)  # absent: the default
    g = getattr(np, "cos", None)  # present: np.cos
    return np.sum(f(x) * g(x))


def getattr_object_present(x):
    p = Scaled(x)
    return np.sum(getattr(p, "scale", 1.0) * getattr(p, "a", None))


@pytest.mark.parametrize("f", [getattr_module_default, getattr_object_present])
def test_getattr_with_default_accepted(f):
    _check(f)


def getattr_maybe_set(x):
    p = Scaled(x)
    if x[0] > 0:
        p.grow()
    return np.sum(getattr(p, "b", x))


def test_getattr_of_a_field_a_method_may_set_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(getattr_maybe_set)(X.copy())
