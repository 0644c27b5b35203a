"""fnargs26: function-valued arguments (passed or defaulted) of the transformed function.

The transform is specialised to the function passed (`srcad.backend.fnspec`); another function
makes (or reuses) another specialisation, never the code built for the first one."""

import functools
import linecache
import math

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.2, 0.5])
V = np.array([1.0, -2.0, 0.5])


def relu(z):
    return np.maximum(z, 0.0)


def cube(z):
    return z**3


def scaled(z, k=2.0):
    return z * k


def loss(w, act=np.tanh):
    return np.sum(act(w) ** 2)


def loss2(w, act):
    return np.sum(act(w) ** 2)


def loss_kw(w, *, act=np.sin):
    return np.sum(act(w) * w)


def vec(w, act):
    return act(w) * w[::-1]


def fd_grad(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def fd_jac(f, x, eps=1e-6):
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        cols.append((f(x + e) - f(x - e)) / (2 * eps))
    return np.stack(cols, axis=-1)


class Scale:
    def __init__(self, k):
        self.k = k

    def apply(self, z):
        return np.sin(z) * self.k


ACTS = [
    np.tanh,
    relu,
    cube,
    lambda z: np.exp(z) - z,
    functools.partial(scaled, k=3.0),
    Scale(1.5).apply,
]


@pytest.mark.parametrize("act", ACTS)
def test_grad_passed(act):
    got = srcad.grad(loss2)(X, act)
    np.testing.assert_allclose(got, fd_grad(lambda x: loss2(x, act), X), rtol=1e-6, atol=1e-8)


def test_grad_default_and_decorator():
    np.testing.assert_allclose(srcad.grad(loss)(X), fd_grad(loss, X), rtol=1e-6)
    deco = srcad.grad(loss)
    np.testing.assert_allclose(deco(X, relu), fd_grad(lambda x: loss(x, relu), X), atol=1e-8)
    np.testing.assert_allclose(deco(X, act=cube), fd_grad(lambda x: loss(x, cube), X), rtol=1e-6)
    np.testing.assert_allclose(deco(X), fd_grad(loss, X), rtol=1e-6)


def test_keyword_only_default():
    np.testing.assert_allclose(srcad.grad(loss_kw)(X), fd_grad(loss_kw, X), rtol=1e-6)
    got = srcad.grad(loss_kw)(X, act=np.cos)
    np.testing.assert_allclose(got, fd_grad(lambda x: loss_kw(x, act=np.cos), X), rtol=1e-6)


def test_math_exp_scalar():
    def f(a, g):
        return g(a) * a

    assert abs(srcad.grad(f)(0.7, math.exp) - math.exp(0.7) * 1.7) < 1e-12


def test_forms():
    ref = fd_grad(lambda x: loss2(x, cube), X)
    v, g = srcad.value_and_grad(loss2)(X, cube)
    assert abs(v - loss2(X, cube)) < 1e-12
    np.testing.assert_allclose(g, ref, rtol=1e-6)
    out, d = srcad.jvp(loss2, (X, np.tanh), (V, None))
    np.testing.assert_allclose(d, fd_grad(lambda x: loss2(x, np.tanh), X) @ V, rtol=1e-6)
    out, pull = srcad.vjp(vec, X, relu, wrt=0)
    jac = fd_jac(lambda x: vec(x, relu), X)
    (ct,) = pull(V) if isinstance(pull(V), tuple) else (pull(V),)
    np.testing.assert_allclose(ct, V @ jac, atol=1e-7)
    for form in (srcad.jacfwd, srcad.jacrev):
        np.testing.assert_allclose(form(vec)(X, np.sin), fd_jac(lambda x: vec(x, np.sin), X),
                                   rtol=1e-6)  # fmt: skip
    h = srcad.hessian(loss2)(X, np.sin)
    gs = lambda x: srcad.grad(loss2)(x, np.sin)  # noqa: E731
    np.testing.assert_allclose(h, fd_jac(gs, X), rtol=1e-5, atol=1e-8)
    g, hv = srcad.hvp(loss2, (X, np.sin), (V, None))
    np.testing.assert_allclose(hv, fd_jac(gs, X) @ V, rtol=1e-5, atol=1e-8)


def test_alternating_functions_no_stale_reuse():
    g = srcad.grad(loss2)
    for _ in range(3):
        for act in (np.tanh, relu, np.sin, cube):
            np.testing.assert_allclose(
                g(X, act), fd_grad(lambda x, a=act: loss2(x, a), X), rtol=1e-6, atol=1e-8
            )


def _times(k):
    return lambda z: z * k


def test_same_code_lambdas_different_closures():
    g = srcad.grad(loss2)
    fs = [_times(k) for k in (2.0, 3.0)]
    for _ in range(2):
        for k, f in zip((2.0, 3.0), fs):
            np.testing.assert_allclose(g(X, f), 2 * k * k * X, rtol=1e-12)


def test_closure_value_followed():
    k = 2.0

    def act(z):
        return z * k

    g = srcad.grad(loss2)
    np.testing.assert_allclose(g(X, act), 8.0 * X, rtol=1e-12)
    k = 3.0
    np.testing.assert_allclose(g(X, act), 18.0 * X, rtol=1e-12)


def test_default_rebound():
    def act(z, k=2.0):
        return z * k

    g = srcad.grad(loss2)
    np.testing.assert_allclose(g(X, act), 8.0 * X, rtol=1e-12)
    act.__defaults__ = (3.0,)
    np.testing.assert_allclose(g(X, act), 18.0 * X, rtol=1e-12)


def test_wrt_function_refused():
    with pytest.raises(srcad.SrcadError, match="is a function"):
        srcad.grad(loss2, wrt=1)(X, np.tanh)
    with pytest.raises(srcad.SrcadError, match="is a function"):
        srcad.grad(loss, wrt="act")(X, np.tanh)


def test_partials_and_methods_alternate():
    g = srcad.grad(loss2)
    ps = [functools.partial(scaled, k=2.0), functools.partial(scaled, k=3.0)]
    s = Scale(1.5)
    for _ in range(2):
        for k, p in zip((2.0, 3.0), ps):
            np.testing.assert_allclose(g(X, p), 2 * k * k * X, rtol=1e-12)
        np.testing.assert_allclose(g(X, s.apply), 2 * 2.25 * np.sin(X) * np.cos(X), rtol=1e-12)
    s.k = 2.0  # the method's object changed: its new value
    np.testing.assert_allclose(g(X, s.apply), 2 * 4.0 * np.sin(X) * np.cos(X), rtol=1e-12)


class Act:
    def __init__(self, z):
        self.z = z

    def value(self):
        return np.sin(self.z)


def via_class(w, cls):
    return np.sum(cls(w).value() ** 2)


def test_class_argument():
    got = srcad.grad(via_class)(X, Act)
    np.testing.assert_allclose(got, 2 * np.sin(X) * np.cos(X), rtol=1e-12)


def test_array_arguments_unchanged():
    def f(w, c):
        return np.sum(w * c)

    np.testing.assert_allclose(srcad.grad(f)(X, V), V)


@srcad.grad
def dloss(w, act=np.tanh):
    return np.sum(act(w) ** 2)


def test_decorator_syntax():
    np.testing.assert_allclose(dloss(X), fd_grad(loss, X), rtol=1e-6)
    np.testing.assert_allclose(dloss(X, relu), 2 * relu(X), rtol=1e-12)
    np.testing.assert_allclose(dloss(X, act=np.sin), 2 * np.sin(X) * np.cos(X), rtol=1e-12)
    np.testing.assert_allclose(dloss(X), fd_grad(loss, X), rtol=1e-6)


def test_method_with_function_default():
    class M:
        def __init__(self, c):
            self.c = c

        def f(self, w, act=np.sin):
            return np.sum(act(w) * self.c)

    m = M(2.0)
    np.testing.assert_allclose(srcad.grad(m.f)(X), 2 * np.cos(X), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(m.f)(X, relu), 2.0 * (X > 0), rtol=1e-12)


def _settable(k):
    def act(z):
        return z * k

    def setk(v):
        nonlocal k
        k = v

    return act, setk


_ACT, _SETK = _settable(2.0)


def _act2(z, k=2.0):
    return z * k


def loss_cell(w, act=_ACT):
    return np.sum(act(w) ** 2)


def loss_default(w, act=_act2):
    return np.sum(act(w) ** 2)


@pytest.mark.parametrize("fn", [loss_cell, loss_default])
def test_default_function_state_followed_by_every_form(fn):
    e0 = np.array([1.0, 0.0, 0.0])
    g, jf, jr, h = srcad.grad(fn), srcad.jacfwd(fn), srcad.jacrev(fn), srcad.hessian(fn)
    try:
        for k in (2.0, 2.0, 3.0, 3.0, 2.0):
            _SETK(k)
            _act2.__defaults__ = (k,)
            want = 2 * k * k * X
            got = [
                g(X),
                srcad.value_and_grad(fn)(X)[1],
                jf(X),
                jr(X),
                srcad.vjp(fn, X)[1](1.0)[0],
            ]
            for r in got:
                np.testing.assert_allclose(r, want, rtol=1e-12)
            assert abs(srcad.jvp(fn, (X,), (e0,))[1] - want[0]) < 1e-12
            np.testing.assert_allclose(h(X), 2 * k * k * np.eye(3), rtol=1e-12)
            np.testing.assert_allclose(srcad.hvp(fn, (X,), (e0,))[1], 2 * k * k * e0, rtol=1e-12)
    finally:
        _SETK(2.0)
        _act2.__defaults__ = (2.0,)


def test_linecache_cleared_between_builds():
    def lc(w, act):
        return np.sum(act(w) ** 3)

    np.testing.assert_allclose(srcad.grad(lc)(X, np.sin), 3 * np.sin(X) ** 2 * np.cos(X))
    linecache.clearcache()  # (a traceback printer, IPython): the wrapper's source goes
    srcad.cache_clear()
    out, d = srcad.jvp(lc, (X, np.sin), (V, None))
    assert abs(d - np.sum(3 * np.sin(X) ** 2 * np.cos(X) * V)) < 1e-12
