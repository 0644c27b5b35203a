"""Loops over the elements of float 1-D arrays (issue 11, item 2): linear, without helpers.

``out[i] = f(x[i])`` and ``out[i] = out[i - 1] * a + x[i]``: the reverse sweep reads one number
of an owned cotangent (``g = bout[i]; bout[i] = 0.0``) and adds into one (``bx[i] = bx[i] + g``)
without runtime helpers (srcad/ad/structural.py), numbers of float arrays are scalars
(srcad/passes/scalars.py: no ``unbroadcast``), and the forward loop updates the array in place even
when it reads one number of it first (srcad/passes/inplace.py), so the recurrence is O(n) in time
and memory (it was O(n^2): a copy of the array per iteration, all of them on the tape). Exact
numbers against hand-written gradients, central differences, and the generated source.
"""

from __future__ import annotations

import math
import tracemalloc

import numpy as np

import srcad
from srcad.testing import check_grads


def fill(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = math.sin(x[i]) * x[i]
    return np.sum(out)


def recurrence(x, a):
    out = np.zeros(len(x))
    out[0] = x[0]
    for i in range(1, len(x)):
        out[i] = out[i - 1] * a + x[i]
    return np.sum(out)


def recurrence_like(x, a, n):  # np.zeros_like of a 1-D argument, a bound that is a parameter
    out = np.zeros_like(x)
    out[0] = x[0]
    for i in range(1, n):
        out[i] = out[i - 1] * a + x[i]
    return np.sum(out * out)


def recurrence_grad(x, a):
    n = len(x)
    out = np.zeros(n)
    out[0] = x[0]
    for i in range(1, n):
        out[i] = out[i - 1] * a + x[i]
    bout, bx, ba = np.ones(n), np.zeros(n), 0.0
    for i in range(n - 1, 0, -1):
        bx[i] += bout[i]
        ba += bout[i] * out[i - 1]
        bout[i - 1] += bout[i] * a
    bx[0] += bout[0]
    return bx, ba


X = np.array([0.25, -0.5, 1.0, 0.75, 2.0])


def test_fill_loop_exact_and_without_helpers() -> None:
    g = srcad.grad(fill)(X)
    np.testing.assert_allclose(g, np.cos(X) * X + np.sin(X), rtol=1e-15, atol=0)
    check_grads(fill, (X,), modes=("fwd", "rev"))
    src = srcad.source(fill, args=(X,))
    for helper in ("add_at", "setitem_vjp", "unbroadcast", "_srcad.add("):
        assert helper not in src, helper
    # bx[k] written once (passes/slots.py: no read of its zeros); bout's slot is not zeroed
    # (nothing reads bout after the loop)
    assert "bx[k] = _t" in src and "= bx[k]" not in src and "] = 0.0" not in src
    assert ".copy()" not in src and "layout_copy(" not in src
    assert "saved" not in src and "x[k]" in src  # the tape holds sin(x[i]) alone: x[i] is re-read


def test_recurrence_exact_linear_and_in_place() -> None:
    gx, ga = srcad.grad(recurrence, wrt=(0, 1))(X, 0.5)
    hx, ha = recurrence_grad(X, 0.5)
    np.testing.assert_array_equal(gx, hx)  # the same additions in the same order
    assert ga == ha
    np.testing.assert_allclose(gx, [1.9375, 1.875, 1.75, 1.5, 1.0], rtol=1e-15)
    assert ga == 2.1875
    check_grads(recurrence, (X, 0.5), modes=("fwd", "rev"))
    src = srcad.source(recurrence, wrt=(0, 1), args=(X, 0.5))
    # no copy of out per iteration, none on the tape
    assert ".copy()" not in src and "layout_copy(" not in src
    assert "saved" not in src  # the tape holds out[i - 1] alone: i, i - 1, x[i] are recomputed
    for helper in ("add_at", "setitem_vjp_x", "unbroadcast", "_srcad.add("):
        assert helper not in src, helper


def test_recurrence_memory_is_linear() -> None:
    """The tape holds numbers, not versions of the array: 2,000 steps stay well under the 16 MB
    that one copy of the array per step would take."""
    x = np.linspace(-1.0, 1.0, 2000)
    grad = srcad.grad(recurrence, wrt=(0, 1))
    grad(x, 0.999)
    tracemalloc.start()
    try:
        gx, ga = grad(x, 0.999)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, peak
    hx, ha = recurrence_grad(x, 0.999)
    np.testing.assert_allclose(gx, hx, rtol=1e-13)
    np.testing.assert_allclose(ga, ha, rtol=1e-13)


def test_zeros_like_and_a_parameter_bound() -> None:
    args = (X, 0.5, 5)
    check_grads(recurrence_like, args, modes=("fwd", "rev"), wrt=(0, 1))
    src = srcad.source(recurrence_like, wrt=(0, 1), args=args)
    assert ".copy()" not in src and "layout_copy(" not in src
    gx, ga = srcad.grad(recurrence_like, wrt=(0, 1))(*args)
    np.testing.assert_array_equal(gx, [1.142578125, 1.28515625, 4.0703125, 4.890625, 5.15625])
    assert ga == 8.73046875  # by hand: bout = 2 out, then the recurrence's reverse


def read_after_the_update(x):
    out = np.zeros(len(x))
    s = 0.0
    for i in range(len(x)):
        out[i] = x[i] * x[i]
        s = s + out[i - 1] * 3.0  # i = 0 reads out[-1]: 0.0 then, written last
    return s + np.sum(out)


def same_slot(x):
    out = x.copy()
    for i in range(len(x)):
        out[i] = out[i] * out[i] + x[i]
    return np.sum(out * out)


def one_element_slices(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = np.sin(x[i : i + 1])[0] * 2.0
    return np.sum(out**2)


def while_recurrence(x, a):
    out = np.zeros_like(x)
    out[0] = x[0]
    i = 1
    while i < len(x):
        out[i] = out[i - 1] * a + math.cos(x[i])
        i = i + 1
    return np.sum(out * out)


def test_reads_around_the_update() -> None:
    """Reads of the array after its update, of the slot about to be written, negative indices,
    1-element slices and while loops: the values srcad gave before this change."""
    x = np.linspace(0.3, 1.4, 5)
    g = srcad.grad(read_after_the_update)(x)
    np.testing.assert_allclose(g, [2.4, 4.6, 6.8, 9.0, 2.8], rtol=1e-14)
    g = srcad.grad(same_slot)(x)
    np.testing.assert_allclose(g, [1.248, 3.8941875, 8.4915, 15.5390625, 25.536], rtol=1e-14)
    g = srcad.grad(one_element_slices)(x)
    np.testing.assert_allclose(g, 4.0 * np.sin(x) * np.cos(x) * 2.0, rtol=1e-14)
    gx, ga = srcad.grad(while_recurrence, wrt=(0, 1))(x, 0.7)
    np.testing.assert_allclose(
        gx, [4.95544273, -3.38377326, -4.42576758, -3.99850302, -2.27649808], rtol=1e-8
    )
    np.testing.assert_allclose(ga, 17.477845354483044, rtol=1e-14)
    for f, args in (
        (read_after_the_update, (x,)),
        (same_slot, (x,)),
        (one_element_slices, (x,)),
        (while_recurrence, (x, 0.7)),
    ):
        check_grads(f, args, modes=("fwd", "rev"))


def test_pullback_twice_and_second_order() -> None:
    """The in-place updates touch only the reverse sweep's own arrays: a pullback runs twice
    with the same result, and forward over reverse (functional, no in-place) agrees with FD."""
    out, pull = srcad.vjp(recurrence, X, 0.5)
    first = pull(1.0)
    np.testing.assert_array_equal(pull(1.0)[0], first[0])
    assert pull(1.0)[1] == first[1]
    h = srcad.hessian(recurrence, wrt=1)(X, 0.5)
    eps = 1e-5
    ga = lambda a: srcad.grad(recurrence, wrt=1)(X, a)  # noqa: E731
    np.testing.assert_allclose(h, (ga(0.5 + eps) - ga(0.5 - eps)) / (2 * eps), rtol=1e-7)


@srcad.custom_vjp
def doubled(x):
    return x * 2.0


def doubled_fwd(x):
    return x * 2.0, None


def doubled_bwd(res, g):
    return (None,)  # a zero cotangent, as JAX allows


doubled.defvjp(doubled_fwd, doubled_bwd)


def none_cotangents(x):
    s = 0.0
    for i in range(len(x)):
        s = s + doubled(x[i]) + x[i] * x[i]
    return s


def none_cotangent_scalar(x):
    return doubled(x) + x * x


def test_custom_rules_returning_none() -> None:
    """A custom rule's None cotangent is still added with `_srcad.add` (plain `+` would fail)."""
    np.testing.assert_array_equal(srcad.grad(none_cotangents)(np.array([1.0, 2.0])), [2.0, 4.0])
    assert srcad.grad(none_cotangent_scalar)(1.5) == 3.0


def test_forward_mode_recurrence_is_linear() -> None:
    """The tangent array is updated in place too (its reads come before its update)."""
    out, dout = srcad.jvp(recurrence, (X, 0.5), (np.ones(5), 1.0))
    assert out == recurrence(X, 0.5)
    assert dout == 10.25  # <grad, (1, 1)>: 8.0625 + 2.1875
    src = srcad.source(recurrence, mode="jvp", wrt=(0, 1), args=(X, 0.5))
    loop = src[src.index("for i in") :]
    assert ".copy()" not in loop and "layout_copy(" not in loop and "dout[i] = " in loop
