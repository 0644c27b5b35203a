"""Soundness fixes of session 29's hunt29a: NumPy semantics and aliasing in array code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import ported as _corpus
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
        ellipsis_of_mean_written,
        running_total_as_0d,
    ],
)
def test_new_array_indexed_from_a_scalar_updated_in_place_refused(f):
    # newaxis_of_reduction: accepted since iter41c (tests/regressions/test_iter41c.py)
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


# -- an array that a class (or a module) holds is an object, not a number: `P.c * v` is a new
# array that `op=` updates in place, and `P.c += v` changes the class --


class Consts:
    c = np.array([0.5, 1.5])

    def __init__(self):
        self.k = 1.0


def class_array_times_number(x):
    s = x[0] * Consts.c
    hist = [s]
    s += 1.0
    return np.sum(hist[0] * x[:2]) + np.sum(s)


def class_array_scaled_then_shared(x):
    s = Consts.c
    s = s * 1.0
    t = s
    s += x[0]
    return np.sum(t * x[:2])


def class_array_through_type_of(x):
    o = Consts()
    s = x[0] - type(o).c
    hist = [s]
    s += 1.0
    return np.sum(hist[0] * x[:2]) + np.sum(s)


@pytest.mark.parametrize(
    "f", [class_array_times_number, class_array_through_type_of]
)  # class_array_scaled_then_shared: accepted since iter41c (test_iter41c.py)
def test_array_of_a_class_shared_then_updated_refused(f):
    # the result was taken for a number, `s += v` for a rebinding: a wrong value and gradient
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(f)(X.copy())


def class_array_updated_in_place(x):
    c = Consts.c
    c += x[0]
    return np.sum(c * x[:2])


def test_array_of_a_class_updated_in_place_refused():
    # Python changes the class's array (on every call); srcad's code did not, and differentiated
    # `c + x[0]` as if `c` were a new value
    before = Consts.c.copy()
    with pytest.raises(srcad.SrcadError, match="global/closure object"):
        srcad.grad(class_array_updated_in_place)(X.copy())
    np.testing.assert_array_equal(Consts.c, before)


def class_array_read(x):
    acc = np.zeros(2)
    for i in range(3):
        acc = acc + Consts.c * x[i]
    return np.sum(acc**2) + np.sum((x[:2] - type(Consts()).c) ** 2)


def class_array_copied_then_updated(x):
    c = Consts.c.copy()
    c += x[0]
    return np.sum(c * x[:2])


@pytest.mark.parametrize("f", [class_array_read, class_array_copied_then_updated])
def test_array_of_a_class_read_still_differentiated(f):
    check_scalar(f, X)


def module_array_times_number(x):
    s = x[0] * _corpus.V3
    hist = [s]
    s += 1.0
    return np.sum(hist[0] * x[:3]) + np.sum(s)


def test_array_of_a_module_shared_then_updated_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(module_array_times_number)(X.copy())


def module_array_read(x):
    return np.sum((x[:3] * _corpus.V3) ** 2) + np.sum(x * np.pi) + np.sum(_scaled(x) ** 2)


def test_array_of_a_module_read_still_differentiated():
    check_scalar(module_array_read, X)


def _scaled(v):
    return v * 2.0


_scaled.weights = np.array([0.5, 1.5])


def function_attribute_times_number(x):
    s = x[0] * _scaled.weights
    hist = [s]
    s += 1.0
    return np.sum(hist[0] * x[:2]) + np.sum(_scaled(s))


def test_array_of_a_function_attribute_shared_then_updated_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(function_attribute_times_number)(X.copy())


# -- `t.repeat(k)` of a NumPy scalar is a new array (as `np.repeat(t, k)`), updated by `op=` --


def repeat_of_scalar(x):
    t = x[0] * 2
    s = t.repeat(2)
    hist = [s]
    s += 1.0
    return np.sum(hist[0]) * x[1] + s[0]


def test_repeat_of_a_scalar_shared_then_updated_refused():
    # the result reached no object (no record says the method owns it): `s += 1.0` was taken
    # for a rebinding, a wrong value and gradient
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(repeat_of_scalar)(X.copy())


def repeat_of_scalar_alone(x):
    t = x[0] * 2
    s = t.repeat(3)
    s += 1.0
    return np.sum(s * x[:3]) + t.take(0) * x[4]


def test_repeat_of_a_scalar_alone_still_differentiated():
    check_scalar(repeat_of_scalar_alone, X)


# -- `np.linspace(u, v, n)` of arrays has one row per sample: `L[i]` is a view, not a number --


def path_point_nudged(x):
    path = np.linspace(x[:2], x[2:4], 3)
    p = path[0]
    p += 1.0
    return np.sum(path * np.arange(6.0).reshape(3, 2))


def path_points_kept(x):
    path = np.linspace(x[:2], x[2:4], 3)
    p = path[1]
    kept = [p]
    p *= 2.0
    return np.sum(kept[0] * x[:2])


@pytest.mark.parametrize("f", [path_point_nudged, path_points_kept])
def test_row_of_linspace_of_arrays_updated_in_place_refused(f):
    # the mutation check took the result for 1-D (as of numbers), its `[i]` for a number and
    # `p += 1.0` for a rebinding: Python updates the path's row (a wrong value and gradient)
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(f)(X.copy())


def path_energy(x):
    path = np.linspace(x[:2], x[2:4], 4)
    grid = np.linspace(0.0, 1.0, 6)
    for i in range(6):
        grid[i] = grid[i] * x[i]
    s = np.sum(grid**2)
    for p in path:
        s = s + np.sum(np.sin(p) * x[4:])
    return s + np.sum(path[1] ** 2)


def test_linspace_of_arrays_read_still_differentiated():
    check_scalar(path_energy, X)


# -- `a op= v` with `v` of a higher rank than the float array `a`: NumPy raises ValueError --


def accumulate_column(x):
    acc = np.zeros(3)
    acc += x[:3, None]
    return np.sum(acc**2)


def accumulate_matrix(x):
    acc = x[:3].copy()
    acc *= x.reshape(2, 3)
    return np.sum(acc**2)


@pytest.mark.parametrize("f", [accumulate_column, accumulate_matrix])
def test_op_assign_that_would_grow_the_array_raises_as_numpy_does(f):
    # `acc += v` ran as `acc = acc + v`, broadcasting `acc` to (3, 3) / (2, 3): a value and a
    # gradient of a program Python does not run (NumPy: non-broadcastable output operand)
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        f(X.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.grad(f)(X.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.jvp(f, (X.copy(),), (X.copy(),))


def accumulate_rows(x):
    acc = np.zeros((2, 3))
    acc += x[:3]
    acc[0] *= x[3:]
    acc += x.reshape(2, 3)[:, :1]
    return np.sum(acc**2)


def test_op_assign_that_broadcasts_into_the_array_still_differentiated():
    check_scalar(accumulate_rows, X)


def complex_added_into_float_array(x):
    a = np.zeros(3)
    a += x[:3] * 1j + x[3:]
    return np.sum(a.real * x[:3])


def test_op_assign_of_a_complex_value_into_a_float_array_raises_as_numpy_does():
    # NumPy cannot cast the complex sum back into `a` (same_kind): srcad made `a` complex and
    # differentiated its real part
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):
        complex_added_into_float_array(X.copy())
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):
        srcad.grad(complex_added_into_float_array)(X.copy())


def accumulate_into_0d(x):
    a = np.zeros(())
    a -= x[:2]
    return np.sum(a**2)


def test_op_assign_into_a_0d_array_raises_as_numpy_does():
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        accumulate_into_0d(X.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.grad(accumulate_into_0d)(X.copy())


# -- an array a class holds, read through an instance made here (`o.c`), is the class's --


def class_array_via_instance_updated(x):
    o = Consts()
    c = o.c
    c += x[0]
    return np.sum(c * x[:2])


def class_array_via_instance_written(x):
    o = Consts()
    w = o.c
    w[1] = x[3]
    return np.sum(Consts.c * x[:2])


@pytest.mark.parametrize("f", [class_array_via_instance_updated, class_array_via_instance_written])
def test_array_of_a_class_through_an_instance_updated_refused(f):
    # Python changes `Consts.c` (every later call sees it); srcad took `o.c` for a value of its
    # own: a wrong value and gradient (the write was dropped as dead)
    before = Consts.c.copy()
    with pytest.raises(srcad.SrcadError, match="global/closure object `Consts.c`"):
        srcad.grad(f)(X.copy())
    np.testing.assert_array_equal(Consts.c, before)
