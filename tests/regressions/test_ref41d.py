"""Refusals of random programs that were spurious (ref41d), lifted soundly: each accepted form
checked against Python (primal and the arguments after the call) and numerically (forward and
reverse, second order where it applies), and its hazardous neighbours pinned as refused.

a. A helper updating its parameter with ``op=`` (``t *= np.tanh(t)``) called with the result of
   ``float(...)`` or ``int(...)``: that is a Python number whatever the operand is (a 0-d
   array, a NumPy scalar), so the update only rebinds the helper's name and the
   caller's value is unchanged (passes/scalars.py `_CONVERT`). It was refused as "`h` modifies
   its argument in place" unless the operand itself was known to be a number. A one-element
   ARRAY passed there (``np.atleast_1d(s)``, ``v[:1]``) stays refused: Python updates it.
b. ``np.einsum("i,i->", u, v)`` (an explicit empty output: every index contracted) of NumPy
   arrays is a NumPy scalar, which ``s op= v`` rebinds (passes/reductions.py), as ``np.sum``
   and ``u @ v`` were: ``s = min(np.einsum(..), np.einsum(..)); t = s; s *= 2.0; t`` was
   refused as `t` "read after the object it shares with another name is updated". With
   ``optimize=True`` (a 0-d array) or an output index (an array) it stays refused.
c. A parameter updated in place, then rebound (``x *= 2.0; ...; x = np.tanh(x)``) with a
   ``return`` before the rebinding (``if c: return np.sum(x)``): the caller's object is now kept
   before each such ``return`` too (lower/argsnap.py), so each path writes back what Python
   leaves there; it was refused as "the argument `x` is updated in place". A ``return`` of a
   view of `x`, a helper updating `x` in the returned expression, and a view of `x` updated
   before the ``return`` stay refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

V = np.array([0.3, -0.5, 0.7])


# -- a. float(...) / int(...) passed to a helper that updates its parameter with op= ----------
def _damp(t):
    t *= np.tanh(t)  # rebinds `t` for a number; updates the caller's array in place
    return t


def float_of_sum(v):
    s = float(np.sum(v * v))
    out = _damp(s)
    return out + s * np.sum(v)  # `s` read after the call: still the caller's number


def float_of_element(v):
    s = float(np.asarray(v @ v))  # a 0-d array made a number
    return _damp(s) * np.sum(np.sin(v)) + s


def int_of_argmax(v):
    k = int(np.argmax(v))
    return _damp(k) * np.sum(v * v) + k


@pytest.mark.parametrize("f", [float_of_sum, float_of_element, int_of_argmax])
def test_a_converted_number_passed_to_updating_helper(f):
    want = f(V.copy())
    x = V.copy()
    assert srcad.primal(f)(x) == pytest.approx(want, rel=1e-15)
    assert np.array_equal(x, V)  # the argument is not changed (as in Python)
    check_grads(f, (V.copy(),), modes=("fwd", "rev"))
    check_grads(f, (V.copy(),), modes=("fwd",), order=2)
    g = srcad.grad(f)(V.copy())
    assert g.shape == V.shape and np.all(np.isfinite(g))


def one_elem_array(v):
    s = np.atleast_1d(np.sum(v * v))  # an array: `_damp` updates it in place
    out = _damp(s)
    return np.sum(out) + np.sum(s)


def view_of_arg(v):
    return np.sum(_damp(v[:1])) + np.sum(v)  # a view of the argument: Python changes `v`


def float_then_array(v):
    s = float(np.sum(v))
    s = np.array([s, 1.0])  # rebound to an array before the call
    return np.sum(_damp(s)) + np.sum(s)


@pytest.mark.parametrize("f", [one_elem_array, view_of_arg, float_then_array])
def test_a_arrays_passed_to_updating_helper_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(V.copy())


# -- b. einsum contracting every index: a NumPy scalar ------------------------------------------
def einsum_min(v):
    s = min(np.einsum("i,i->", v, v), np.einsum("i,i->", v, v[::-1]))
    t = s
    s *= 2.0  # rebinds `s`: `t` keeps the old number
    return s + t * np.sum(v)


def einsum_matrix(v):
    m = np.outer(v, np.cos(v))
    s = max(np.einsum("ij,ij->", m, m), np.einsum("ii->", m))
    t = s
    s -= 1.0
    return s * t


@pytest.mark.parametrize("f", [einsum_min, einsum_matrix])
def test_b_einsum_full_contraction_is_a_number(f):
    assert srcad.primal(f)(V.copy()) == pytest.approx(f(V.copy()), rel=1e-14)
    check_grads(f, (V.copy(),), modes=("fwd", "rev"))
    check_grads(f, (V.copy(),), modes=("fwd",), order=2)


def einsum_optimized(v):
    s = min(np.einsum("i,i->", v, v, optimize=True), np.einsum("i,i->", v, v[::-1]))
    t = s
    s *= 2.0  # a 0-d array (optimize=True) when it is the smaller: updated in place
    return s + t


def einsum_rows(v):
    s = np.einsum("ij->i", np.outer(v, v))  # an array
    t = s
    s *= 2.0  # updates `t`'s array too
    return np.sum(s + t)


@pytest.mark.parametrize("f", [einsum_optimized, einsum_rows])
def test_b_einsum_arrays_follow_python(f):
    # refused by ref41d's branch alone; iter41c's lower/opfork.py forks `s *= 2.0` on the type
    # when it runs (an array updated in place, `t` seeing it), merged in the same session
    a, b = V.copy(), V.copy()
    assert srcad.primal(f)(a) == f(b)
    np.testing.assert_array_equal(a, b)
    check_grads(f, (V.copy(),), modes=("fwd", "rev"), order=2)


# -- c. a parameter updated, returned early or rebound --------------------------------------------
def scaled_then_rebound(x, c):
    x *= 2.0
    if c > 0.5:
        return np.sum(x * x)
    x = np.tanh(x)
    return np.sum(x)


def loop_return_then_rebound(x, c):
    for i in range(3):
        x[i] += c
        if x[i] > 2.0:
            return np.sum(x * x)
    x = x * 3.0
    return np.sum(x * x)


def finally_after_return(x, c):
    x *= 2.0
    try:
        if c > 0.5:
            return np.sum(x * x)
    finally:
        x[0] = 5.0  # after the return's value: the caller's object gets it
    x = np.tanh(x)
    return np.sum(x)


@pytest.mark.parametrize("f", [scaled_then_rebound, loop_return_then_rebound, finally_after_return])
@pytest.mark.parametrize("c", [2.0, -1.0])
def test_c_update_return_rebind(f, c):
    want_args, got_args = V.copy(), V.copy()
    want = f(want_args, c)
    assert srcad.primal(f)(got_args, c) == pytest.approx(want, rel=1e-15)
    assert np.array_equal(got_args, want_args)  # the caller's object left as Python leaves it
    x = V.copy()
    out, dout = srcad.jvp(f, (x, c), (np.ones(3), 0.0))
    assert out == pytest.approx(want, rel=1e-15) and np.array_equal(x, want_args)
    x = V.copy()
    g = srcad.grad(f)(x, c)
    assert np.array_equal(x, want_args) and g.shape == (3,)
    assert np.dot(g, np.ones(3)) == pytest.approx(dout, rel=1e-12)
    check_grads(f, (V.copy(), c), modes=("fwd", "rev"), wrt=0)
    check_grads(f, (V.copy(), c), modes=("fwd",), order=2, wrt=0)


def _bump(z):
    z[0] = 5.0
    return np.sum(z)


def helper_updates_in_return(x, c):
    x *= 2.0
    if c > 0.5:
        return _bump(x)  # updates `x` after the object was kept
    x = np.tanh(x)
    return np.sum(x)


def returns_view(x, c):
    x *= 2.0
    if c > 0.5:
        return x[1:]  # Python returns the caller's object's view
    x = np.tanh(x)
    return x


def view_updated_before_return(x, c):
    x *= 2.0
    y = x[1:]
    if c > 0.5:
        y[0] = 7.0
        return np.sum(x)
    x = np.tanh(x)
    return np.sum(x) + np.sum(y)


@pytest.mark.parametrize("f", [helper_updates_in_return, returns_view, view_updated_before_return])
def test_c_hazards_stay_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.jvp(f, (V.copy(), 2.0), (np.ones(3), 0.0))
