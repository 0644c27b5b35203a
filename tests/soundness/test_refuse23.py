"""What refuse23 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused (tests/corpus/users_refuse23.py holds the corpus cases):

- ``u = np.asarray(w)``, ``np.asanyarray(w)``, ``np.asarray(w, dtype=float)``, ``w.view()`` of a
  local array then ``u[k] = v``: `u` is `w` (lower/viewwrites.py writes into `w`, after a
  run-time check that `w` is an ndarray, of dtype float64 for ``dtype=float``);
- ``l.reverse()``, ``l.extend([...])`` of a list of arrays then a row write ``l[0][0] = v``
  (passes/alias_flow.py: a slice of a list is a list, ``extend`` repeats nothing); ``list(a)``
  of a list holding one array twice is known to hold it twice (it was not: a wrong derivative);
- a helper ``a = l[0]; a += 2.0`` called with a list of numbers the caller built (ad/callfacts.py:
  the list holds no object, ``a += 2.0`` rebinds `a`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences as _fd
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])


def _check(f, x=X):
    check_scalar(f, x)


# -- np.asarray / np.asanyarray / .view() of a local array: the array itself ----------------------
def asarray_write(x):
    w = x * 1.0
    u = np.asarray(w)
    u[0] = 5.0 * x[1]
    return np.sum(w * w) + np.sum(u * x)


def asarray_float_write(x):
    w = np.sin(x)
    u = np.asarray(w, dtype=float)
    u[1:3] *= x[0]
    return np.sum(w**2)


def asanyarray_write(x):
    w = np.outer(x, x)
    u = np.asanyarray(w)
    u[0, :] = x**2
    return np.sum(w * w)


def view_write(x):
    w = x * 2.0
    u = w.view()
    u[::2] += x[1::2] ** 2
    return np.sum(w**2) + u[3] * x[0]


@pytest.mark.parametrize("f", [asarray_write, asarray_float_write, asanyarray_write, view_write])
def test_same_array_accepted(f):
    _check(f)


def asarray_float32_copy(x):
    w = x.astype(np.float32)
    u = np.asarray(w, dtype=float)  # a copy: the write does not reach `w`
    u[0] = 5.0
    return float(np.sum(w.astype(float) * x)) + float(np.sum(u * x))


def asarray_of_list(x):
    w = [x[0] * 1.0, x[1] * 1.0]
    u = np.asarray(w)  # a new array: `w` unchanged
    u[0] = 5.0 * x[1]
    return w[0] * x[2] + np.sum(u * x[:2])


@pytest.mark.parametrize("f", [asarray_float32_copy, asarray_of_list])
def test_copies_not_taken_for_the_array(f):
    try:
        g = srcad.grad(f)(X.copy())
    except srcad.SrcadError:
        return  # refused: fine
    np.testing.assert_allclose(g, _fd(f, X), rtol=1e-5, atol=1e-7)


def asarray_int_base(x):
    w = np.arange(4) * 2  # an int array: `np.asarray(w, dtype=float)` is a copy
    u = np.asarray(w, dtype=float)
    u[0] = x[0]
    return np.sum(w * x) + np.sum(u * x)


def test_asarray_float_of_int_array_checked_when_it_runs():
    with pytest.raises(srcad.SrcadError, match="dtype float64"):
        srcad.grad(asarray_int_base)(X.copy())


def asarray_argument(x):
    u = np.asarray(x)
    u[0] = 2.0 * x[1]
    return np.sum(u)


def asarray_alias_read(x):
    w = x * 1.0
    v = w
    u = np.asarray(v)
    u[0] = 5.0 * x[1]
    return np.sum(w * w)


def test_asarray_of_argument_still_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(asarray_argument)(X.copy())


def test_asarray_of_other_name_correct_or_refused():
    try:
        g = srcad.grad(asarray_alias_read)(X.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, _fd(asarray_alias_read, X), rtol=1e-5, atol=1e-7)


# -- list edits then a row write -------------------------------------------------------------------
def reverse_then_row_write(x):
    rows = [x * 1.0, np.sin(x)]
    rows.reverse()
    rows[0][0] = 0.4 * x[3]
    return np.sum(rows[0] * rows[1])


def extend_then_row_write(x):
    rows = [x * 1.0]
    rows.extend([np.sin(x), x**2])
    rows[1][0] = 0.4
    rows[2][3] *= x[1]
    return np.sum(rows[0] * rows[1] + rows[2])


@pytest.mark.parametrize("f", [reverse_then_row_write, extend_then_row_write])
def test_list_edits_then_row_write_accepted(f):
    _check(f)


def reverse_other_name(x):
    rows = [x * 1.0, np.sin(x)]
    keep = rows
    rows.reverse()
    rows[0][0] = 0.4
    return np.sum(keep[0] * x)  # Python: `keep` is `rows`, reversed and written


def reverse_element_name(x):
    rows = [x * 1.0, np.sin(x)]
    a = rows[1]
    rows.reverse()
    rows[0][0] = 0.4
    return np.sum(a * x)  # Python: `a` sees the write


def extend_twice_same(x):
    y = np.sin(x)
    rows = [x * 1.0]
    rows.extend([y, y])
    rows[1][0] = 0.4  # Python: rows[2] (the same array) sees it too
    return np.sum(rows[2] * x)


def extend_with_itself(x):
    rows = [x * 1.0]
    rows.extend(rows)
    rows[0][0] = 0.4
    return np.sum(rows[1] * x)


@pytest.mark.parametrize("f", [reverse_element_name, extend_twice_same, extend_with_itself])
def test_list_edits_with_shared_rows_refused(f):
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(f)(X.copy())


# -- a helper's `a = l[0]; a += v` of a list of numbers ---------------------------------------------
def _bump(vals):
    a = vals[0]
    a += 2.0
    return a * vals[1]


def bump_numbers(x):
    return _bump([x[0], x[1]]) + _bump((x[2] * x[3], 1.5))


def test_helper_list_of_numbers_accepted():
    _check(bump_numbers)


def bump_arrays(x):
    return np.sum(_bump([x * 1.0, x]))  # `a += 2.0` updates `x * 1.0`: `vals[1]` unaffected


def bump_shared(x):
    y = x * 1.0
    return np.sum(_bump([y, y]))  # Python: `vals[1]` is `vals[0]`, updated


def test_helper_list_of_arrays_still_refused():
    try:
        g = srcad.grad(bump_arrays)(X.copy())
        np.testing.assert_allclose(g, _fd(bump_arrays, X), rtol=1e-5, atol=1e-7)
    except srcad.SrcadError:
        pass
    with pytest.raises(srcad.SrcadError):
        srcad.grad(bump_shared)(X.copy())


def list_copy_of_repeated(x):
    y = np.sin(x)
    a = [y, y]
    b = list(a)  # (wrong before refuse23: the copy was not known to hold `y` twice)
    b[0][0] = 0.4
    return np.sum(b[1] * x)


def insert_existing(x):
    y = np.sin(x)
    b = [y, x * 1.0]
    b.insert(0, y)
    b[0][0] = 0.4
    return np.sum(b[1] * x)


def append_then_reverse(x):
    y = np.sin(x)
    b = [y, x * 1.0]
    b.append(y)
    b.reverse()
    b[0][0] = 0.4
    return np.sum(b[2] * x)


def slice_of_repeated(x):
    y = np.sin(x)
    b = [y, y][:]
    b[0][0] = 0.4
    return np.sum(b[1] * x)


@pytest.mark.parametrize(
    "f", [list_copy_of_repeated, insert_existing, append_then_reverse, slice_of_repeated]
)
def test_lists_holding_one_array_twice_refused(f):
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(f)(X.copy())


# -- messages that say what to write instead ----------------------------------------------------------
class _V:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def __mul__(self, o):
        if isinstance(o, _V):
            return self.x * o.x + self.y * o.y + self.z * o.z
        return _V(self.x * o, self.y * o, self.z * o)

    __rmul__ = __mul__

    def norm(self):
        return math.sqrt(self * self)


def dunder_of_two_result_types(x):
    d = _V(x[0], x[1], x[2])
    e = d.__rmul__(x[3])  # (the hint of `x[3] * d`)
    return e.norm()


def test_method_on_an_untyped_result_says_why():
    with pytest.raises(srcad.SrcadError, match=r"whose class srcad could not tell"):
        srcad.grad(dunder_of_two_result_types)(X.copy())


def _advance(bodies, pairs, dt):
    for (r1, v1), (r2, _v2) in pairs:
        v1[0] -= dt * (r1[0] - r2[0])
    for r, v in bodies:
        r[0] += dt * v[0]


def nbody_pairs(x):
    bodies = [([float(x[i])], [float(x[i + 1])]) for i in range(2)]
    pairs = [(bodies[0], bodies[1])]
    _advance(bodies, pairs, 0.1)
    return bodies[0][0][0] * bodies[1][0][0]


def test_helper_updating_shared_lists_names_the_other_argument():
    with pytest.raises(srcad.SrcadError, match=r"`pairs`, passed too, may hold the same objects"):
        srcad.grad(nbody_pairs)(X.copy())
