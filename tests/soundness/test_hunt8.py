"""Soundness hunt 8: user-style programs. Crashes and hangs found and fixed here (each test fails
before its fix), and spurious refusals removed."""

from __future__ import annotations

import itertools
import math
from itertools import count, cycle, repeat

import numpy as np
import pytest

import srcad

X6 = np.array([0.3, -0.7, 1.05, 0.45, 0.9, -0.2])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


def _check(f, x=X6):
    np.testing.assert_allclose(srcad.primal(f)(x.copy()), f(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), _fd(f, x), rtol=1e-6, atol=1e-8)
    v = np.linspace(-1.0, 1.0, x.size)
    _, t = srcad.jvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(t, _fd(f, x) @ v, rtol=1e-6, atol=1e-8)


# -- an endless itertools iterator was listed: memory filled until MemoryError (a hang), in
# srcad.primal and every derivative mode. Now zip(count(a, b), xs) / zip(xs, repeat(v)) index
# them; any other use is refused when it runs.
def zip_count(x):
    return sum(i * v for i, v in zip(count(1), x))


def zip_count_kw_neg(x):
    return sum(v * k for v, k in zip(x, itertools.count(start=10, step=-3)))


def zip_repeat(x):
    s = 0.0
    for v, w in zip(x, repeat(x[0] ** 2)):
        s = s * 0.5 + v * w
    return s


def comp_zip_count(x):
    return np.sum(np.array([i * v * v for i, v in zip(count(), x)]))


@pytest.mark.parametrize("f", [zip_count, zip_count_kw_neg, zip_repeat, comp_zip_count])
def test_zip_with_endless_iterator(f):
    _check(f)


def for_count_break(x):
    s = 0.0
    for k in itertools.count():
        s += x[k] ** 2
        if k >= 3:
            break
    return s


def enumerate_cycle(x):
    s = 0.0
    for i, w in enumerate(cycle([1.0, 2.0])):
        if i >= 5:
            break
        s += w * x[i]
    return s


def zip_cycle(x):
    return sum(a * b for a, b in zip(cycle(x[:2]), x))


@pytest.mark.parametrize("f", [for_count_break, enumerate_cycle, zip_cycle])
@pytest.mark.parametrize("mode", ["primal", "grad"])
def test_endless_iterator_refused(f, mode):
    with pytest.raises(srcad.SrcadError):
        getattr(srcad, mode)(f)(X6.copy())


def zip_strict_count(x):
    return sum(i * v for i, v in zip(count(), x, strict=True))


def test_zip_strict_endless_refused():
    with pytest.raises(srcad.SrcadError, match="strict"):
        srcad.grad(zip_strict_count)(X6.copy())


# -- next() of a generator expression: srcad.primal called next() of a list (TypeError), the
# derivatives refused it. Items that cannot raise are listed and the first taken.
def next_first(x):
    return next((v * 2 for v in x if v > 0.5 and v < 1.0), x[0]) + x[1]


def next_default(x):
    return next((v for v in x if v > 5), x[2] ** 2)


def next_pairs(x):
    ps = list(zip(x, x[1:]))
    return next(u * w for u, w in ps if u > w)


@pytest.mark.parametrize("f", [next_first, next_default, next_pairs])
def test_next_of_generator_expression(f):
    _check(f)


def next_may_raise(x):
    return next((math.log(v) for v in x if v > 0), 0.0)


@pytest.mark.parametrize("mode", ["primal", "grad"])
def test_next_of_raising_generator_refused(mode):
    with pytest.raises(srcad.SrcadError, match="may raise"):
        getattr(srcad, mode)(next_may_raise)(X6.copy())


# -- spurious refusals removed: itertools.product and compress consumed at once
def product_pairs(x):
    return sum(a * b for a, b in itertools.product(x[:3], x[3:]))


def product_repeat(x):
    return sum(a * b - c for a, b, c in itertools.product(x[:2], repeat=3))


def product_loop(x):
    s = 0.0
    for i, j in itertools.product(range(3), range(2)):
        s += x[i] * x[3 + j] ** 2
    return s


def compress_mask(x):
    return sum(v**2 for v in itertools.compress(x, x > 0.4)) + sum(
        itertools.compress(x, [1, 0, 1, 1, 0, 1])
    )


@pytest.mark.parametrize("f", [product_pairs, product_repeat, product_loop, compress_mask])
def test_product_and_compress(f):
    _check(f)


# -- stale code: a callee's closure value rebound through `nonlocal` (or its __defaults__
# rebound) after the caller was transformed kept the old value in every mode (grad 5.0 for 21.0,
# jvp's value 3.0 for 11.0): the guard and the cache key compared only the callee's identity
def _make_helper():
    c = 2.0

    def helper(x):
        return c * x * x

    def set_c(v):
        nonlocal c
        c = v

    return helper, set_c


helper_c, set_helper_c = _make_helper()


def calls_helper_c(x):
    return helper_c(x) + x


def test_callee_closure_rebound_is_seen():
    set_helper_c(2.0)
    assert srcad.grad(calls_helper_c)(1.0) == 5.0
    assert srcad.jvp(calls_helper_c, (1.0,), (1.0,)) == (3.0, 5.0)
    assert srcad.vjp(calls_helper_c, 1.0)[1](1.0) == (5.0,)
    set_helper_c(10.0)
    assert srcad.grad(calls_helper_c)(1.0) == 21.0
    assert srcad.value_and_grad(calls_helper_c)(1.0) == (11.0, 21.0)
    assert srcad.jvp(calls_helper_c, (1.0,), (1.0,)) == (11.0, 21.0)
    assert srcad.vjp(calls_helper_c, 1.0)[1](1.0) == (21.0,)
    assert srcad.hessian(calls_helper_c)(1.0) == 20.0
    set_helper_c(2.0)


def _scaled(x, k=2.0):
    return x * x * k


def calls_scaled(x):
    return _scaled(x) + x


def test_callee_defaults_rebound_are_seen():
    assert srcad.grad(calls_scaled)(1.0) == 5.0
    _scaled.__defaults__ = (1.0,)
    try:
        assert srcad.grad(calls_scaled)(1.0) == 3.0
        assert srcad.jvp(calls_scaled, (1.0,), (1.0,)) == (2.0, 3.0)
    finally:
        _scaled.__defaults__ = (2.0,)


def _make_loop():
    n, act = 2, np.sin

    def inner(x):
        s = 0.0
        for i in range(n):
            s = s + act(x) * (i + 1)
        return s

    def set_loop(v, a):
        nonlocal n, act
        n, act = v, a

    return inner, set_loop


def _wrap(fn):
    def loss(x):
        return fn(x) * 2.0

    return loss


def test_function_in_a_closure_cell_followed():
    inner, set_loop = _make_loop()
    loss = _wrap(inner)  # `inner` reached through loss's cell, not a global
    assert np.isclose(srcad.grad(loss)(0.5), 6 * np.cos(0.5))
    set_loop(3, np.cos)
    assert np.isclose(srcad.grad(loss)(0.5), -12 * np.sin(0.5))
    assert np.isclose(srcad.jvp(loss, (0.5,), (1.0,))[1], -12 * np.sin(0.5))


# -- stale code: a global table of functions rebound to another table (``ACTS = {...}``) after
# the transform read an item of it ran the old item (grad of ACTS["a"](x) stayed sin's): the
# guards re-read other globals live, the transform had used the table's items
def _sq(v):
    return v * v


def _cube(v):
    return v**3


TABLE_NP = {"a": np.sin}
LIST_NP = [np.sin, np.cos]
TABLE_PY = {"a": _sq}
LIST_PY = [_sq, _cube]
KEY = "a"


def reads_table_np(x):
    return TABLE_NP["a"](x) + LIST_NP[1](x)


def reads_table_py(x):
    return TABLE_PY[KEY](x) + LIST_PY[1](x)


def reads_table_py_runtime_index(x):
    s = 0.0
    for i in range(2):
        s = s + LIST_PY[i](x) * (i + 1)
    return s


def test_global_tables_rebound_are_seen():
    global TABLE_NP, LIST_NP, TABLE_PY, LIST_PY
    fs = (reads_table_np, reads_table_py, reads_table_py_runtime_index)
    for f in fs:
        srcad.grad(f)(0.3)
    saved = TABLE_NP, LIST_NP, TABLE_PY, LIST_PY
    TABLE_NP, LIST_NP = {"a": np.cos}, [np.exp, np.exp]
    TABLE_PY, LIST_PY = {"a": _cube}, [_cube, _sq]
    try:
        for f in fs:
            fd = (f(0.3 + 1e-6) - f(0.3 - 1e-6)) / 2e-6
            assert np.isclose(srcad.grad(f)(0.3), fd, rtol=1e-6), f.__name__
            assert np.isclose(srcad.jvp(f, (0.3,), (1.0,))[1], fd, rtol=1e-6), f.__name__
    finally:
        TABLE_NP, LIST_NP, TABLE_PY, LIST_PY = saved


# -- the same through a table or an object attribute: a closure read as ``HS[0]``, ``HD["a"]``,
# ``OB.fn`` or a loop over a global tuple kept its old cell value in reverse mode
def _make_k():
    k = 2.0

    def helper(x):
        return k * x * x

    def set_k(v):
        nonlocal k
        k = v

    return helper, set_k


helper_k, set_helper_k = _make_k()
HS = (helper_k,)
HD = {"a": helper_k}


class _Holder:
    pass


OB = _Holder()
OB.fn = helper_k


def via_tuple(x):
    return HS[0](x) + x


def via_dict(x):
    return HD["a"](x) + x


def via_attr(x):
    return OB.fn(x) + x


def via_loop(x):
    s = 0.0
    for h in HS:
        s = s + h(x)
    return s + x


def test_closure_read_through_a_table_or_attribute_rebound_is_seen():
    fs = (via_tuple, via_dict, via_attr, via_loop)
    set_helper_k(2.0)
    assert [srcad.grad(f)(1.0) for f in fs] == [5.0] * 4
    set_helper_k(10.0)
    try:
        assert [srcad.grad(f)(1.0) for f in fs] == [21.0] * 4
        assert [srcad.vjp(f, 1.0)[1](1.0)[0] for f in fs] == [21.0] * 4
    finally:
        set_helper_k(2.0)
