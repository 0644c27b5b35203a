"""Soundness hunt 18h: wrong derivatives at second order and of srcad's transforms called inside a
differentiated function, found by probes written like users' code.

- WRONG value and derivative: ``srcad.grad(make_loss(c))`` (or ``srcad.value_and_grad``) inside
  a transformed function, ``make_loss`` a helper returning a nested function that reads the
  helper's variable ``c``. The returned function (lower/fnargs.Carried, which keeps the helper's
  environment) was lifted (lower/lift.py) in the *caller's* environment: a caller's variable of
  the same name was passed instead of the helper's (``c = 5.0`` in the caller: the primal
  itself wrong, srcad.primal too), or, with none, the lifted function read an undefined global
  (a spurious refusal); ``srcad.hessian/jacfwd/jacrev/jvp/hvp/vjp`` of it were refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

W4 = np.array([0.31, -0.53, 0.82, 0.13])


def _fd(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)])


# -- a function a helper returned, differentiated inside -------------------------------------------
def _make_loss(c):
    def loss(z):
        return np.sum((z * c) ** 2) + np.sum(np.cos(z))

    return loss


def _make_vec(v):
    def f(z):
        return np.sin(z * v) * v[0]

    return f


def _grad_shadowed(w):
    c = 5.0
    return np.sum(srcad.grad(_make_loss(w[0]))(w) * w) + c


def _grad_rebound(w):
    c = w[0]
    f = _make_loss(c)
    c = 100.0
    return np.sum(srcad.grad(f)(w)) + c


def _value_and_grad_shadowed(w):
    c = 5.0
    v, g = srcad.value_and_grad(_make_loss(w[2]))(w)
    return v * np.sum(g) + c


def _grad_unshadowed(w):
    return np.sum(srcad.grad(_make_loss(w[0]))(w) * w)


def _grad_in_loop(w):
    t = 0.0
    for i in range(3):
        t = t + np.sum(srcad.grad(_make_loss(w[i]))(w) ** 2)
    return t


def _hessian_of_made(w):
    c = 5.0
    return np.sum(srcad.hessian(_make_loss(w[0]))(w) * np.outer(w, w)) + c


def _jacrev_of_made(w):
    v = 7.0
    return np.sum(srcad.jacrev(_make_vec(w * 2))(w) ** 2) * v


def _jvp_of_made(w):
    c = 5.0
    y, t = srcad.jvp(_make_loss(w[1]), (w,), (w**2,))
    return y * t + c


def _hvp_of_made(w):
    c = 5.0
    g, hv = srcad.hvp(_make_loss(w[1]), (w,), (w,))
    return np.sum(g * hv) + c


def _vjp_of_made(w):
    y, pb = srcad.vjp(_make_vec(w), w[::-1])
    (g,) = pb(np.ones(4) * 3.0)
    return np.sum(g**2 * w)


def _make_pair(c):
    def f1(z):
        return np.sum(z**2 * c)

    def f2(z):
        return np.sum(np.cos(z) * c)

    return f1, f2


def _make_default(c, k=3.0):
    def f(z, p=2.0):
        return np.sum(z**p * c * k)

    return f


def _grad_of_a_returned_pair(w):
    c = 9.0
    f1, f2 = _make_pair(w[1])
    return np.sum(srcad.grad(f1)(w) * srcad.grad(f2)(w)) + c


def _grad_with_defaults(w):
    c, k, p = 9.0, 7.0, 5.0
    return np.sum(srcad.grad(_make_default(w[2]))(w) * w) + c * k * p


MADE = [
    _grad_shadowed,
    _grad_rebound,
    _value_and_grad_shadowed,
    _grad_unshadowed,
    _grad_in_loop,
    _hessian_of_made,
    _jacrev_of_made,
    _jvp_of_made,
    _hvp_of_made,
    _vjp_of_made,
    _grad_of_a_returned_pair,
    _grad_with_defaults,
]


@pytest.mark.parametrize("f", MADE, ids=lambda f: f.__name__)
def test_transform_of_a_function_a_helper_returned(f):
    w = W4.copy()
    assert np.allclose(srcad.primal(f)(w), f(w), rtol=1e-12)
    g = srcad.grad(f)(w)
    assert np.allclose(g, _fd(f, w), rtol=1e-6, atol=1e-7)
    if f in (_grad_shadowed, _grad_unshadowed, _jvp_of_made):  # and at second order
        ref = np.stack([_fd(lambda z, i=i: srcad.grad(f)(z)[i], w, 1e-5) for i in range(4)])
        assert np.allclose(srcad.hessian(f)(w), ref, rtol=1e-5, atol=1e-6)


# -- reverse over reverse of `d[k] = v` / `xs[i] = v` on a dict or list with an unread entry -------
def _dict_comp_unread(x):
    d = {k: x[[1], [1]] * (i + 1.0) for i, k in enumerate(("a", "b", "c"))}
    return np.sum(np.sin(d["a"] * d["c"]))


def _dict_loop_unread(x):
    d = {}
    for i, k in enumerate(("a", "b")):
        d[k] = x[1] * (i + 1.0)
    return np.sum(np.sin(d["a"]))


def _dict_update_unread(x):
    d = {"a": x[0], "b": x[1]}
    for k in ("a", "b"):
        d[k] = np.sin(d[k]) * 2.0
    return np.sum(d["b"] ** 2)


def _list_setitem_unread(x):
    xs = [np.zeros(2), np.zeros(2), np.zeros(2)]
    for i in range(3):
        xs[i] = x[1] * (i + 1.0)
    return np.sum(np.sin(xs[0]))


def _list_update_unread(x):
    xs = [x[0]] * 3
    for i in range(3):
        xs[i] = xs[i] * x[1] * (i + 1.0)
    return np.sum(np.sin(xs[2]))


UNREAD = [
    _dict_comp_unread,
    _dict_loop_unread,
    _dict_update_unread,
    _list_setitem_unread,
    _list_update_unread,
]
X22 = np.array([[0.3, -0.2], [0.5, 0.9]])
V22 = np.array([[0.7, -1.1], [0.4, 0.2]])


@pytest.mark.parametrize("f", UNREAD, ids=lambda f: f.__name__)
def test_grad_of_grad_through_a_container_entry_nothing_reads(f):
    """The first gradient's cotangent of the dict/list holds None (a symbolic zero) for the
    entries nothing read; the transpose of `setitem_vjp_v` broadcast the second cotangent to the
    shape of that None (np.broadcast_to(g, ()): ValueError when the generated code ran)."""
    gf = srcad.grad(f)

    def gg(x):
        return np.sum(gf(x) * V22)

    ref = np.stack([_fd(lambda z, i=i: gf(z.reshape(2, 2)).ravel()[i], X22.ravel(), 1e-5)
                    for i in range(4)])  # fmt: skip
    assert np.allclose(srcad.grad(gg)(X22).ravel(), ref.T @ V22.ravel(), rtol=1e-6, atol=1e-7)
    assert np.allclose(srcad.jacrev(gf)(X22).reshape(4, 4), ref, rtol=1e-6, atol=1e-7)


# -- reverse over reverse of np.select with a constant choice --------------------------------------
X4 = np.array([0.3, -0.7, 0.9, 0.1])
V4 = np.array([0.7, -1.1, 0.4, 0.2])
C4 = np.sin(np.linspace(0.3, 0.8, 4))


def _select_const_array(x):
    t = np.select([x < -0.5, x > 0.5], [x * 2.0, C4], default=x**2)
    return np.sum(np.exp(np.sin(t)))


def _select_const_number(x):
    t = np.select([x < -0.5, x > 0.5], [1.0, x**3], default=x**2)
    return np.sum(np.sin(t) * x)


@pytest.mark.parametrize("f", [_select_const_array, _select_const_number], ids=lambda f: f.__name__)
def test_grad_of_grad_of_select_with_a_constant_choice(f):
    """select_vjp's transpose passed the cotangents of the choices to np.select as they were,
    None (a symbolic zero) for a constant choice: TypeError (float + None) when it ran."""
    gf = srcad.grad(f)

    def gg(x):
        return np.sum(gf(x) * V4)

    ref = np.stack([_fd(lambda z, i=i: gf(z)[i], X4, 1e-5) for i in range(4)])
    assert np.allclose(srcad.grad(gg)(X4), ref.T @ V4, rtol=1e-6, atol=1e-7)
    assert np.allclose(srcad.jacrev(gf)(X4), ref, rtol=1e-6, atol=1e-7)


# -- srcad.grad called inside: the level made for it knows the arguments are float arrays ----------
W6 = np.array([0.31, -0.53, 0.82, 0.13, 0.45, -0.27])
V6 = np.arange(6.0) - 2.5


def _view_write_on_copy(w):
    a = w.copy()
    v = a[1:4]
    v[1] = np.sin(v[0])
    return np.sum(a**2 * w)


def _number_read_after_row_update(x):
    x = np.maximum(x, 0.0)
    s = x[1][-1]
    x[-1] -= np.array([0.3, -1.2, 0.8])
    return np.sum(x**2 * np.cos(x)) * s


@pytest.mark.parametrize(
    "f", [_view_write_on_copy, _number_read_after_row_update], ids=lambda f: f.__name__
)
def test_grad_of_grad_called_inside_knows_the_argument_is_an_array(f):
    """``srcad.grad(f)`` called in a differentiated function was transformed with nothing known
    of its arguments (ad/compose.derivative_callee), so `w.copy()` might have been a list's
    shallow copy and `m[1][-1]` an object: refused ("an object inside the argument `w` is
    modified in place", "`s` is read after the object it shares ... is modified"), though the
    first gradient, the Hessian and jacrev(grad) were right."""
    x0 = W6 if f is _view_write_on_copy else W6.reshape(2, 3)
    gf = srcad.grad(f)

    def gg(x):
        return np.sum(gf(x) * V6.reshape(x.shape))

    ref = np.reshape(srcad.jacrev(gf)(x0), (6, 6))
    fd = np.stack(
        [_fd(lambda z, i=i: gf(z.reshape(x0.shape)).ravel()[i], W6, 1e-5) for i in range(6)]
    )
    assert np.allclose(ref, fd, rtol=1e-6, atol=1e-7)
    assert np.allclose(srcad.grad(gg)(x0).ravel(), ref.T @ V6, rtol=1e-9, atol=1e-10)
