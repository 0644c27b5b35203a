"""Soundness hunt 7: user-style programs. Wrong results found and fixed here (each test fails
before its fix), and spurious refusals removed."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

X3 = np.array([0.31, 0.72, -0.43])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


class Body:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel * 1.0  # computed: an object built in the lowered code

    def step(self, dt):
        self.pos = self.pos + dt * self.vel


class Point:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def step(self, dt):
        self.pos = self.pos + dt * self.vel


class Acc:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Acc(self.v + o)

    def __iadd__(self, o):
        return Acc(self.v + 2 * o)


def kick(b, k):
    b.vel = b.vel + k


# -- a method updating an object read from a list: grad ignored the update ([1, 0] for [1, 0.1])
def step_in_list(x):
    objs = [Point(x[0], x[1])]
    for b in objs:
        b.step(0.1)
    return objs[0].pos


def step_nested(x):
    o = Point(Point(x[0], x[1]), x[2])
    o.pos.step(0.1)
    return o.pos.pos


@pytest.mark.parametrize("f", [step_in_list, step_nested])
def test_method_updating_a_runtime_object_is_right_or_refused_in_reverse_mode(f):
    fd = _fd(f, X3)
    try:
        g = srcad.grad(f)(X3.copy())
    except srcad.SrcadError:
        g = fd  # refused: never a silently wrong gradient
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    try:
        (r,) = srcad.vjp(f, X3.copy())[1](1.0)
    except srcad.SrcadError:
        r = fd
    np.testing.assert_allclose(r, fd, rtol=1e-6, atol=1e-8)


# -- a field read after the object went to a function writing it: stale (grad [2, 0, 0] for [5, 0, 0])
def kick_const(x):
    b = Body(1.0, 2.0)
    kick(b, 3.0)
    return x[0] * b.vel


def _make_kick():
    def k(b, v):
        b.vel = b.vel + v

    return k


kick_closure = _make_kick()  # a closure: not inlined (lower/objcalls.py), `b` escapes to it


def kick_not_inlined(x):
    b = Body(1.0, 2.0)
    kick_closure(b, 3.0)
    return x[0] * b.vel


def test_field_read_after_an_escape_to_a_writer_is_right_or_refused():
    assert kick_const(X3.copy()) == pytest.approx(5.0 * X3[0])
    # session 9: `kick` is inlined with the object itself, so its write is seen
    assert srcad.primal(kick_const)(X3) == pytest.approx(5.0 * X3[0])
    np.testing.assert_allclose(srcad.grad(kick_const)(X3.copy()), [5.0, 0.0, 0.0])
    f = kick_not_inlined
    for call in (lambda: srcad.grad(f)(X3.copy()), lambda: srcad.primal(f)(X3)):
        with pytest.raises(srcad.SrcadError, match="after it was used as a value"):
            call()


# -- `a += v` on a user object runs its class's __iadd__ (srcad ran __add__: a wrong value/grad)
def iadd_user(x):
    a = Acc(x[0])
    a += x[1]
    return a.v**2


def iadd_from_list(x):
    objs = [Acc(x[0]), Acc(x[2])]
    a = objs[1]
    a += x[1]
    return a.v**2


@pytest.mark.parametrize("f", [iadd_user, iadd_from_list])
def test_augmented_assignment_runs_iadd(f):
    fd = _fd(f, X3)
    np.testing.assert_allclose(srcad.grad(f)(X3.copy()), fd, rtol=1e-6, atol=1e-8)
    y, t = srcad.jvp(f, (X3.copy(),), (np.ones(3),))
    assert y == pytest.approx(f(X3.copy()))
    assert t == pytest.approx(fd.sum(), rel=1e-6)


# -- math.prod of an array: its reverse rule crashed (np.ndarray(generator))
def mprod(x):
    return math.prod(x - x[1]) + math.prod(x[:2])


def test_math_prod_of_an_array():
    np.testing.assert_allclose(srcad.grad(mprod)(X3.copy()), _fd(mprod, X3), rtol=1e-6)


# -- spurious refusal: acc += x[i] * k[j] with k = np.array([...]) a local list of numbers
def conv_loops(x):
    k = np.array([0.25, 0.5, -0.25])
    out = []
    for i in range(len(x) - len(k) + 1):
        acc = 0.0
        for j in range(len(k)):
            acc += x[i + j] * k[j]
        out.append(acc)
    return sum(o**2 for o in out)


def test_accumulating_products_with_a_local_array_is_accepted():
    x = np.array([0.31, 0.72, -0.43, 1.12, 0.05])
    np.testing.assert_allclose(srcad.grad(conv_loops)(x.copy()), _fd(conv_loops, x), rtol=1e-6)
    H = srcad.hessian(conv_loops)(x.copy())
    g = srcad.grad(conv_loops)
    Hfd = np.stack([(g(x + 1e-5 * e) - g(x - 1e-5 * e)) / 2e-5 for e in np.eye(5)])
    np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-7)
