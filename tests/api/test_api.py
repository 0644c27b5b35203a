"""Public API behaviour: grad/value_and_grad/vjp/jacrev/jvp/jacfwd, errors, the cache, tapes."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

import srcad
from tests.api import other_module

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 3))


def loss(w):
    return np.sum(np.tanh(X @ w) ** 2)


def two(a, b):
    return np.sum(a * np.sin(b))


def scalar_loop(x):
    for _ in range(50):
        x = math.sin(x) * 1.0001 + 0.1 * x
    return x


def with_aux(w):
    y = X @ w
    return np.sum(y**2), {"mean": np.mean(y)}


def vector_out(x):
    return np.sin(x) * x


def int_arg(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * i
    return s


def loop_free(a, b):
    c = a * b + np.exp(a)
    if np.sum(c) > 0:
        d = c * 2.0
    else:
        d = c - 1.0
    return np.sum(d * b)


def _fd(f, x, eps=1e-6):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = eps
        e = e.reshape(x.shape)
        g.flat[j] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def test_grad_decorator_and_function_forms() -> None:
    w = RNG.normal(size=3)
    g1 = srcad.grad(loss)(w)
    g2 = srcad.grad()(loss)(w)

    @srcad.grad
    def decorated(w):
        return np.sum(np.tanh(X @ w) ** 2)

    np.testing.assert_allclose(g1, _fd(loss, w), rtol=1e-6)
    np.testing.assert_allclose(g2, g1)
    np.testing.assert_allclose(decorated(w), g1)


def test_wrt_tuple_and_names() -> None:
    a, b = RNG.normal(size=4), RNG.normal(size=4)
    ga, gb = srcad.grad(two, wrt=(0, "b"))(a, b)
    np.testing.assert_allclose(ga, np.sin(b))
    np.testing.assert_allclose(gb, a * np.cos(b))
    np.testing.assert_allclose(srcad.grad(two, wrt="b")(a, b), gb)


def test_value_and_grad_and_has_aux() -> None:
    w = RNG.normal(size=3)
    v, g = srcad.value_and_grad(loss)(w)
    assert v == pytest.approx(loss(w))
    g2, aux = srcad.grad(with_aux, has_aux=True)(w)
    np.testing.assert_allclose(g2, 2 * X.T @ (X @ w))
    assert aux["mean"] == pytest.approx(np.mean(X @ w))
    (v2, aux2), g3 = srcad.value_and_grad(with_aux, has_aux=True)(w)
    np.testing.assert_allclose(g3, g2)


def test_vjp_pullback_can_be_called_twice() -> None:
    x = RNG.normal(size=4)
    out, pull = srcad.vjp(vector_out, x)
    np.testing.assert_allclose(out, vector_out(x))
    u = RNG.normal(size=4)
    (c1,) = pull(u)
    (c2,) = pull(u)
    np.testing.assert_allclose(c1, u * (np.cos(x) * x + np.sin(x)))
    np.testing.assert_allclose(c1, c2)


def test_vjp_pullback_through_a_loop_twice() -> None:
    out, pull = srcad.vjp(int_arg, 1.5, 4, wrt=0)
    assert pull(1.0) == pytest.approx(6.0)
    assert pull(2.0) == pytest.approx(12.0)


def test_jacrev_equals_jacfwd() -> None:
    x = RNG.normal(size=3)
    np.testing.assert_allclose(srcad.jacrev(vector_out)(x), srcad.jacfwd(vector_out)(x))


def test_jvp_and_none_tangent() -> None:
    out, dout = srcad.jvp(int_arg, (1.5, 4), (1.0, None))
    assert out == pytest.approx(int_arg(1.5, 4)) and dout == pytest.approx(6.0)


def test_non_scalar_output_to_grad_is_an_error() -> None:
    with pytest.raises(srcad.SrcadError, match="scalar output"):
        srcad.grad(vector_out)(np.ones(3))


@pytest.mark.parametrize("call", [
    lambda: srcad.grad(scalar_loop)(2),
    lambda: srcad.grad(loss)(np.ones(3, dtype=int)),
    lambda: srcad.jvp(scalar_loop, (2,), (1.0,)),
])  # fmt: skip
def test_integer_inputs_are_refused(call) -> None:
    with pytest.raises(srcad.SrcadError, match="integer|dtype"):
        call()


def test_second_derivative_through_a_loop_with_a_tape() -> None:
    # was refused ("already a derivative"); now forward over reverse, the tape differentiated
    g = srcad.grad(scalar_loop)
    eps = 1e-5
    fd = (g(0.5 + eps) - g(0.5 - eps)) / (2 * eps)
    assert srcad.grad(g)(0.5) == pytest.approx(fd, rel=1e-7, abs=1e-9)


def test_loop_free_vjp_has_no_tape() -> None:
    src = srcad.source(loop_free, mode="grad", wrt=(0, 1))
    assert "tape" not in src and ".append(" not in src
    a, b = RNG.normal(size=3), RNG.normal(size=3)
    ga, gb = srcad.grad(loop_free, wrt=(0, 1))(a, b)
    np.testing.assert_allclose(ga, _fd(lambda t: loop_free(t, b), a), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb, _fd(lambda t: loop_free(a, t), b), rtol=1e-6, atol=1e-8)


def test_scalar_loop_tapes_only_what_the_reverse_sweep_reads() -> None:
    srcad.grad(scalar_loop)(0.3)
    generated = [c.source for c in srcad.api._CACHE.data.values() if "grad_scalar_loop" in c.source]
    # the Python-float specialization saves x alone (for cos(x)); no broadcasting helpers
    assert any("tape.append(x)" in s and "unbroadcast" not in s for s in generated)
    g = srcad.grad(scalar_loop)(0.3)
    eps = 1e-6
    assert g == pytest.approx((scalar_loop(0.3 + eps) - scalar_loop(0.3 - eps)) / (2 * eps))


def test_cache_hits_and_misses() -> None:
    srcad.cache_clear()
    w = RNG.normal(size=3)
    f = srcad.grad(loss)
    f(w)
    info = srcad.cache_info()
    assert (info.hits, info.misses) == (0, 1)
    f(w)
    f(w + 1.0)
    info = srcad.cache_info()
    assert (info.hits, info.misses) == (2, 1)
    srcad.value_and_grad(loss)(w)  # same key as grad: shares the transform
    assert srcad.cache_info().misses == 1


def test_cache_is_thread_safe() -> None:
    srcad.cache_clear()
    w = RNG.normal(size=3)
    results = []

    def work() -> None:
        results.append(srcad.grad(loss)(w))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and srcad.cache_info().misses == 1
    for r in results:
        np.testing.assert_allclose(r, results[0])


def test_rebinding_a_global_callee_recompiles() -> None:
    import types

    ns: dict = {"np": np}
    src = "def inner(x):\n    return x * 2.0\n\ndef outer(x):\n    return np.sum(inner(x))\n"
    import linecache

    fname = "<test rebinding>"
    linecache.cache[fname] = (len(src), None, src.splitlines(True), fname)
    exec(compile(src, fname, "exec"), ns)
    outer = ns["outer"]
    np.testing.assert_allclose(srcad.grad(outer)(np.ones(2)), [2.0, 2.0])
    src2 = "def inner(x):\n    return x * 3.0\n"
    fname2 = "<test rebinding 2>"
    linecache.cache[fname2] = (len(src2), None, src2.splitlines(True), fname2)
    exec(compile(src2, fname2, "exec"), ns)
    np.testing.assert_allclose(srcad.grad(outer)(np.ones(2)), [3.0, 3.0])
    assert isinstance(outer, types.FunctionType)


def alias_then_modify(x):
    b = x
    x[0] = 1.0
    return b.sum()


def view_then_modify(x):
    v = x[1:3]
    x[1] = 0.0
    return v.sum()


def modified_copy(x):
    y = x.copy()
    y[0] = 5.0
    return y.sum() + x.sum()


def iadd_alias(x):
    y = x
    y += 1.0
    return x.sum()


def iadd_on_number(x):
    prev = x
    x -= 0.1 * x
    return x - prev


def test_augmented_assignment_alias_depends_on_the_type() -> None:
    # y += 1.0 also changes x in Python: refused until lower/opfork.py (session 41), which forks
    # the statement on the type when it runs; the caller's array is updated as Python updates it
    a, b = np.ones(2), np.ones(2)
    assert srcad.primal(iadd_alias)(a) == iadd_alias(b) == 4.0
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(srcad.grad(iadd_alias)(np.ones(2)), [1.0, 1.0])
    # on a Python float, `x -= ...` rebinds: nothing else changes, so this is fine
    assert srcad.grad(iadd_on_number)(2.0) == pytest.approx(-0.1)
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(iadd_on_number)(np.array(2.0))


@pytest.mark.parametrize(
    ("f", "want"),
    [(alias_then_modify, [0.0, 1.0, 1.0, 1.0]), (view_then_modify, [0.0, 0.0, 1.0, 0.0])],
)
def test_reading_an_alias_after_setitem_sees_the_change(f, want) -> None:
    # refused until refuse15: `b` / `v` of the argument read after ``x[k] = c`` is `x` itself / a
    # view of it (lower/viewwrites.py); the write reaches the caller's array, as in Python
    a, b = np.arange(4.0), np.arange(4.0)
    assert srcad.primal(f)(a) == f(b)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(srcad.grad(f)(np.ones(4)), want)


def test_setitem_on_a_copy_is_fine() -> None:
    np.testing.assert_allclose(srcad.grad(modified_copy)(np.ones(3)), [1.0, 2.0, 2.0])


class Scaled:
    def __init__(self, k):
        self.k = k

    def f(self, x):
        return self.k * np.sum(self.g(x))

    def g(self, x):
        return np.sin(x)


def test_methods_and_self_calls() -> None:
    m = Scaled(3.0)
    x = RNG.normal(size=3)
    np.testing.assert_allclose(srcad.grad(m.f)(x), 3.0 * np.cos(x))
    np.testing.assert_allclose(srcad.jvp(m.f, (x,), (np.ones(3),))[1], 3.0 * np.sum(np.cos(x)))


def _rhs(y, k):
    return np.array([y[1], -k * y[0]])


def _rk4_step(f, y, dt, k):
    k1 = f(y, k)
    k2 = f(y + 0.5 * dt * k1, k)
    k3 = f(y + 0.5 * dt * k2, k)
    k4 = f(y + dt * k3, k)
    return y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def rk4_integrate(y0, k):
    y = y0
    for _ in range(20):
        y = _rk4_step(_rhs, y, 0.05, k)
    return y[0] ** 2 + y[1]


def test_function_passed_as_an_argument() -> None:
    y0 = np.array([1.0, 0.0])
    gy, gk = srcad.grad(rk4_integrate, wrt=(0, 1))(y0, 2.0)
    np.testing.assert_allclose(gy, _fd(lambda t: rk4_integrate(t, 2.0), y0), rtol=1e-6)
    assert gk == pytest.approx(
        (rk4_integrate(y0, 2.0 + 1e-6) - rk4_integrate(y0, 2.0 - 1e-6)) / 2e-6
    )
    assert srcad.jvp(rk4_integrate, (y0, 2.0), (None, 1.0))[1] == pytest.approx(gk)


def aux_from_branch(x):
    if x > 0:
        return x * x, 0
    return x, 1


def dup_write(x):
    y = np.zeros(3)
    y[np.array([0, 1, 1])] = x
    return y[1]


def with_default(w, s=1.0):
    return s * w * w


def test_fixes_from_adversarial_testing() -> None:
    assert srcad.grad(aux_from_branch, has_aux=True)(1.5) == (pytest.approx(3.0), 0)
    x = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(srcad.grad(dup_write)(x), [0.0, 0.0, 1.0])  # last write wins
    np.testing.assert_allclose(srcad.jacfwd(dup_write)(x), [0.0, 0.0, 1.0])
    f = with_default
    saved = f.__defaults__
    try:
        assert srcad.grad(f)(1.0) == pytest.approx(2.0)
        f.__defaults__ = (4.0,)
        assert srcad.grad(f)(1.0) == pytest.approx(8.0)
    finally:
        f.__defaults__ = saved


def dict_regularizer(p, x):
    s = sum(np.sum(v**2) for v in p.values())
    for _, v in p.items():
        s = s + np.sum(v * x)
    for k in p:
        s = s + np.sum(p[k])
    return s


def list_concat(x):
    parts = [x] + [x * 2.0]
    parts += [x**2]
    return parts[0] * parts[1] + parts[2]


def test_dict_views_and_list_concatenation() -> None:
    p = {"a": np.ones(2), "b": np.array([1.0, 2.0])}
    x = np.array([3.0, 4.0])
    g = srcad.grad(dict_regularizer)(p, x)
    assert list(g) == ["a", "b"]
    for k in p:
        np.testing.assert_allclose(g[k], 2 * p[k] + x + 1.0)
    assert srcad.grad(list_concat)(0.5) == pytest.approx(4 * 0.5 + 2 * 0.5)
    assert srcad.jvp(list_concat, (0.5,), (1.0,))[1] == pytest.approx(3.0)


def idioms(x):
    vals = [x[i] * (i + 1) for i in range(len(x))]
    best = max(vals)
    total = sum(v for v in vals if v > 0)
    sq = {i: v * v for i, v in enumerate(vals)}
    acc = 0.0
    for i, v in sq.items():
        acc += v / (i + 1)
    ordered = sorted(vals, reverse=True)
    return best + total + acc + ordered[0] * ordered[-1]


def test_python_idioms() -> None:
    from srcad.testing import check_grads

    check_grads(idioms, (np.array([0.3, -1.2, 2.5]),), modes=("fwd", "rev"))


def swap_elements(x):
    y = x.copy()
    y[0], y[1] = y[1], y[0]
    return y[0] * 2.0 + y[1]


def element_then_update(x):
    y = x.copy()
    e = y[0]
    y[0] = 5.0
    return e * 2.0 + np.sum(y)


def test_element_reads_after_an_update_depend_on_the_rank() -> None:
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(srcad.grad(swap_elements)(x), [1.0, 2.0, 0.0])
    np.testing.assert_allclose(srcad.grad(element_then_update)(x), [2.0, 1.0, 1.0])
    # on a 2-D array y[0] is a row view: Python's e would see the update, so it is refused
    with pytest.raises(srcad.SrcadError, match="Python would see the change"):
        srcad.grad(element_then_update)(np.ones((2, 2)))


K = 10.0  # same name as other_module.K: the helper must read its own module's


def uses_other_module(x):
    return other_module.helper(x)


def same_helper_twice(a, x):
    return other_module.ln(other_module.ln(x, a), 2.0)


def _scale_in_place(a):
    a *= 2.0


def calls_mutating_helper(x):
    y = x.copy()
    _scale_in_place(y)
    return np.sum(y)


def test_helpers_in_other_modules_and_mutating_helpers() -> None:
    assert srcad.value_and_grad(uses_other_module)(1.0) == (pytest.approx(3.0), pytest.approx(6.0))
    assert srcad.jvp(uses_other_module, (1.0,), (1.0,))[1] == pytest.approx(6.0)
    g = srcad.grad(same_helper_twice, wrt=(0, 1))(0.5, 1.1)
    eps = 1e-6
    fa = (same_helper_twice(0.5 + eps, 1.1) - same_helper_twice(0.5 - eps, 1.1)) / (2 * eps)
    fx = (same_helper_twice(0.5, 1.1 + eps) - same_helper_twice(0.5, 1.1 - eps)) / (2 * eps)
    assert g == (pytest.approx(fa), pytest.approx(fx))
    with pytest.raises(srcad.SrcadError, match="modifies its argument `a` in place"):
        srcad.grad(calls_mutating_helper)(np.ones(2))


class _Net:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w * x)

    @staticmethod
    def sq(x):
        return x * x


NET = _Net(1.5)


def calls_instance_and_staticmethod(x):
    return np.sum(NET(x)) + np.sum(_Net.sq(x))


def version_branch(x):
    if hasattr(np, "surely_not_a_numpy_function"):
        return np.surely_not_a_numpy_function(x)
    return np.sum(x * x)


def test_callable_objects_static_methods_and_version_checks() -> None:
    x = np.array([0.2, -0.4])
    expect = 1.5 * (1 - np.tanh(1.5 * x) ** 2) + 2 * x
    np.testing.assert_allclose(srcad.grad(calls_instance_and_staticmethod)(x), expect)
    np.testing.assert_allclose(srcad.grad(version_branch)(x), 2 * x)


def fill_loop(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = np.sin(x[i]) * 2.0
    return np.sum(out**2)


def slice_fill_loop(x):
    out = np.zeros(6)
    for i in range(3):
        out[2 * i : 2 * i + 2] = x[2 * i : 2 * i + 2] * (i + 1.0)
    return np.sum(out**2)


def append_loop(x):
    acc = []
    for i in range(len(x)):
        acc.append(x[i] ** 2)
    return np.sum(np.array(acc))


def test_loops_that_fill_arrays_and_lists_update_in_place() -> None:
    from srcad.testing import check_grads

    x = np.linspace(0.1, 1.0, 6)
    for f in (fill_loop, slice_fill_loop, append_loop):
        check_grads(f, (x,), modes=("fwd", "rev"))
    src = srcad.source(fill_loop, args=(x,))
    assert "out[i] = " in src and ".copy()" not in src  # no copy per iteration
    # out's cotangent is read one slot per step and not after the loop: no zeroing, no helper
    assert "] = 0.0" not in src and "_srcad.setitem_vjp" not in src
    out, pull = srcad.vjp(fill_loop, x)
    u = np.float64(1.0)
    np.testing.assert_allclose(pull(u)[0], pull(u)[0])  # the pullback can run twice


lam_sq, lam_lin = (lambda x: x * x), (lambda x: 3.0 * x)
ACT = np.tanh
BUF = np.zeros(2)


def uses_global_act(x):
    return ACT(x)


def writes_global_through_alias(x):
    b = BUF
    b[0] = x[0]
    return np.sum(BUF * x)


def positional_out(x):
    y = np.zeros(2)
    np.exp(x, y)
    return np.sum(y)


def copy_false(x):
    z = np.array(x, copy=False)
    return np.sum(z)


def test_fixes_from_the_third_adversarial_round() -> None:
    global ACT
    assert srcad.value_and_grad(lam_lin)(2.0) == (pytest.approx(6.0), pytest.approx(3.0))
    assert srcad.grad(uses_global_act)(0.3) == pytest.approx(1 - np.tanh(0.3) ** 2)
    saved = ACT
    try:
        ACT = np.sin
        assert srcad.grad(uses_global_act)(0.3) == pytest.approx(np.cos(0.3))
    finally:
        ACT = saved
    for f, what in [
        (writes_global_through_alias, "Python would see the change"),
        (copy_false, "copy="),
    ]:
        with pytest.raises(srcad.SrcadError, match=what):
            srcad.grad(f)(np.array([0.3, 0.5]))
    # an output array passed positionally is `out=` (refused until session 36)
    x = np.array([0.3, 0.5])
    np.testing.assert_allclose(srcad.grad(positional_out)(x), np.exp(x), rtol=1e-14)
    out, pull = srcad.vjp(vector_out, np.ones(3))
    with pytest.raises(srcad.SrcadError, match="cotangent has shape"):
        pull(np.ones((3, 3)))


def test_lambda_after_text_that_parses_alone() -> None:
    """A lambda whose line starts with text that parses alone (the body of a generator
    expression): its source is read from the ``lambda`` on, at its own columns."""
    x = np.array([0.1, 0.2, 0.3])
    got = [g for g in srcad.grad(lambda z: np.sum(z * z))(x)]
    np.testing.assert_allclose(got, 2 * x)
    assert all(
        g.flags.writeable for g in srcad.grad(lambda a, b: np.sum(a) + np.sum(b), wrt=(0, 1))(x, x)
    )
    with pytest.raises(srcad.SrcadError) as e:
        all(g for g in srcad.grad(lambda z: np.sum(z) * len({1, 2}))(x))
    msg = str(e.value).splitlines()
    assert "set literals" in msg[0]
    assert msg[2].index("^") == msg[1].index("{1, 2}")  # the caret under the set


def test_check_grads_refuses_to_check_nothing() -> None:
    """`check_grads` with no argument to differentiate (a complex array, ints only) raises
    instead of passing without checking anything; `wrt` still selects an argument."""
    from srcad.testing import check_grads

    z = np.array([0.3 + 0.1j, -0.5 + 0.2j])
    with pytest.raises(ValueError, match="no argument to differentiate"):
        check_grads(lambda a: np.sum(np.abs(a) ** 2), (z,))
    with pytest.raises(ValueError, match="no argument to differentiate"):
        check_grads(lambda n: float(n) * 2.0, (3,))
    check_grads(lambda n, x: n * np.sum(x**2), (3, np.ones(2)), modes=("fwd", "rev"))
