"""lower/attrloops.unrolled asks the cached reads of a loop's body before walking it: a body
reading none of ``setattr``/``getattr``/``hasattr`` is no such loop (nothing walked), one that
reads them is still unrolled, wherever in the body the call is (nested in an ``if``, in an
inlined method's loop, which the lowering meets statement by statement), and the derivatives
are the same as before."""

from __future__ import annotations

import gast
import numpy as np
import pytest

import srcad
from srcad.lower import attrloops, scope
from srcad.testing import check_grads


class _Scaled:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def scale(self, s):  # inlined where the function calls it: `unrolled` at the statement
        for k in ("a", "b"):
            if s > 0.0:
                setattr(self, k, getattr(self, k) * s)
        return self.a + self.b**2


class _Shifted:
    def __init__(self, a):
        self.a = a
        self.w0 = self.w1 = 0.0

    def shift(self, s):  # (lower/escapes.self_stores sees `w0`, `w1` stored: `range` unrolled)
        for i in range(2):
            setattr(self, f"w{i}", s * (i + 1.0))
        return self.w0 * self.a + self.w1 * s


def method_range_setattr(x):  # refused before: "did not see this write of `_Shifted.w0` coming"
    p = _Shifted(x[0])
    return p.shift(x[1]) * x[2]


class _Layers:
    def __init__(self, w):  # (lower/objinit.parts asks `unrolled` for `__init__`'s loops)
        for i in range(2):  # `range` of literals: the f-string names are formatted
            setattr(self, f"w{i}", w * (i + 1.0))


def inlined_nested_setattr(x):
    p = _Scaled(x[0], x[1])
    return p.scale(x[2]) * x[0]


def inlined_range_setattr(x):
    p = _Layers(x[2])
    return p.w0 * x[0] + p.w1 * x[1]


def own_loop_getattr(x):
    p = _Scaled(x[0], x[1])
    tot = 0.0
    for k in ("a", "b"):
        if hasattr(p, k):
            tot = tot + getattr(p, k) * x[2]
    return tot


X = np.array([0.7, -1.3, 0.4])


@pytest.mark.parametrize(
    "f",
    [inlined_nested_setattr, inlined_range_setattr, own_loop_getattr, method_range_setattr],
    ids=lambda f: f.__name__,
)
def test_attribute_loops_still_unrolled_and_differentiated(f):
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)
    np.testing.assert_allclose(srcad.primal(f)(X.copy()), f(X.copy()))


def _loop(text: str) -> gast.For:
    return gast.parse(text).body[0]


@pytest.mark.parametrize(
    "text, unrolled",
    [
        ('for k in ("a", "b"):\n    setattr(p, k, 1.0)', True),
        ('for k in ("a", "b"):\n    if c:\n        t = getattr(p, k)', True),
        ('for k in ("a", "b"):\n    t = [hasattr(p, k) for _ in q]', True),
        ('for k in ("a", "b"):\n    t = p.k + 1.0', False),
        ('for k in ("a", "b"):\n    t = f(p, k)', False),
        ('for k in ("a", "b"):\n    t = getattr', False),  # read, but no call: walked, kept
    ],
)
def test_gate_agrees_with_the_walk(text, unrolled):
    # (inside a lowering's cache, as lower/stmts.py asks, and outside one, as a class body does)
    for cached in (True, False):
        s = _loop(text)
        if cached:
            with scope.caching():
                got = attrloops.unrolled(s)
        else:
            got = attrloops.unrolled(s)
        assert (got is not None) == unrolled, text
