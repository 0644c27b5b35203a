"""Wrong results left from session 7 (sound8): each case is right or refused, never silently wrong."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([1.06, 1.0, 0.5])


def _fd(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def _right_or_refused(f, x=X3):
    """primal, grad and jvp of `f` at `x` agree with Python / central differences, or refuse."""
    want, fd = f(x.copy()), _fd(f, x)
    for name, call, expect in (
        ("primal", lambda: srcad.primal(f)(x.copy()), want),
        ("grad", lambda: srcad.grad(f)(x.copy()), fd),
        ("jvp", lambda: srcad.jvp(f, (x.copy(),), (np.ones_like(x),))[1], fd.sum()),
    ):
        try:
            got = call()
        except srcad.SrcadError:
            continue
        np.testing.assert_allclose(got, expect, rtol=1e-6, atol=1e-8, err_msg=name)


# -- 1. `a op= v` on a user object runs `a.__iop__(v)`; srcad.primal ran `a + v` (1.06 for 3.06)
class Acc:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Acc(self.v + o)

    def __iadd__(self, o):
        return Acc(self.v + 2 * o)

    def __sub__(self, o):
        return Acc(self.v - o)

    def __isub__(self, o):
        return Acc(self.v - 3 * o)

    def __mul__(self, o):
        return Acc(self.v * o)

    def __imul__(self, o):
        return Acc(self.v * o * 2)

    def __truediv__(self, o):
        return Acc(self.v / o)

    def __itruediv__(self, o):
        return Acc(self.v / o / 2)


class OnlyAdd:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return OnlyAdd(self.v + o)


def iadd(x):
    a = Acc(x[0])
    a += x[1]
    return a.v


def isub(x):
    a = Acc(x[0])
    a -= x[1]
    return a.v


def imul(x):
    a = Acc(x[0])
    a *= x[1]
    return a.v


def idiv(x):
    a = Acc(x[0])
    a /= x[1]
    return a.v


def iadd_loop(x):
    a = Acc(x[0])
    for v in x:
        a += v
    return a.v


def iadd_item(x):  # `ls[0] += v`: grad/jvp ran __add__ too ([1, 0, 1] for [1, 0, 2])
    ls = [Acc(x[0]), Acc(x[1])]
    ls[0] += x[2]
    return ls[0].v * ls[1].v


def only_add(x):  # no __iadd__: `a += v` is `a = a + v`
    a = OnlyAdd(x[0])
    a += x[1]
    return a.v


@pytest.mark.parametrize("f", [iadd, isub, imul, idiv, iadd_loop, iadd_item, only_add])
def test_augmented_assignment_runs_the_inplace_method(f):
    want = f(X3.copy())
    assert srcad.primal(f)(X3.copy()) == pytest.approx(want, rel=1e-12)
    fd = _fd(f, X3)
    np.testing.assert_allclose(srcad.grad(f)(X3.copy()), fd, rtol=1e-6, atol=1e-8)
    y, t = srcad.jvp(f, (X3.copy(),), (np.ones(3),))
    assert y == pytest.approx(want) and t == pytest.approx(fd.sum(), rel=1e-6)
