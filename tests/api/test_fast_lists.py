"""``srcad.vjp``/``srcad.hvp`` with `wrt` given as a list take the fast path of a cached call
(a list does not hash: they took the full path, Spec and key, on every call, 5x slower; libode's
adjoint called ``srcad.vjp`` that way once per right-hand-side step), and ``np.array([a, b])``'s
cotangent split without a reshape per item (rules/trees.array_vjp) gives the same types as the
general path: a Python number's a float, a NumPy scalar's a NumPy scalar."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
import srcad.api
from srcad.rules.trees import array_vjp


def rhs(y, t, a, b):
    return np.array([a * y[0] - b * y[0] * y[1], -a * y[1] + b * y[0] * y[1]])


@pytest.mark.parametrize("wrt", [[0, 2, 3], (0, 2, 3)])
def test_vjp_wrt_list_is_cached(monkeypatch, wrt):
    y, g = np.array([1.0, 2.0]), np.array([0.3, 0.4])
    out, pull = srcad.vjp(rhs, y, 0.0, 1.0, 0.5, wrt=wrt)
    want = pull(g)
    calls = []
    full = srcad.api.vjp_bound
    monkeypatch.setattr(srcad.api, "vjp_bound", lambda *a: calls.append(1) or full(*a))
    out2, pull2 = srcad.vjp(rhs, y, 0.0, 1.0, 0.5, wrt=list(wrt))
    got = pull2(g)
    assert not calls  # the fast path: the full path's vjp_bound is not called
    assert np.array_equal(out, out2)
    assert np.allclose(got[0], want[0]) and got[1:] == want[1:]
    assert type(got[1]) is float and type(got[2]) is float


def test_hvp_wrt_list():
    def f(x, c):
        return np.sum(x**3) * c

    x, v = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    a = srcad.hvp(f, (x, 2.0), (v, 0.0), wrt=[0, 1])
    b = srcad.hvp(f, (x, 2.0), (v, 0.0), wrt=(0, 1))
    assert np.allclose(a[1][0], b[1][0]) and np.allclose(a[1][0], 6.0 * x * v * 2.0)


def test_array_vjp_items_keep_their_kinds():
    obj = [1.0, np.float64(2.0), 3, True]
    g = np.array([0.1, 0.2, 0.3, 0.4])
    got = array_vjp(g, obj)
    assert [type(v) for v in got] == [float, np.float64, float, float]
    assert got == [0.1, 0.2, 0.3, 0.4]
    slow = array_vjp(g.astype(np.float32).astype(float).tolist(), obj)  # (a list: the loop)
    assert [type(v) for v in slow] == [type(v) for v in got]
    assert isinstance(array_vjp(g, tuple(obj)), tuple)
