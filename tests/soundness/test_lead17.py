"""Lead's probes of session 17: forward mode through namedtuples whose fields no varied value reaches.

- CRASH (TypeError when the generated code ran, not a `SrcadError`): ``srcad.jvp`` (and hvp,
  hessian, which run forward mode) of ``a, b, c = P(p[0], 2.0, np.ones(2))``. The tangent of a
  record holds None (zero) for a field no varied value reaches; an attribute read
  (``_srcad.field``) turned it into a zero, an item read ``t[2]`` (the unpacking) did not.
  Now such fields' tangents are zeros when they are numbers or arrays (a namedtuple carried by a
  loop, kept in a list, returned by a helper), and an item read of a record built in the function
  reads through ``_srcad.elem`` (a string field's tangent stays None).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import srcad

P = namedtuple("P", "a b c")
X = np.array([0.5, 0.3, -0.2])
V = np.array([0.3, -0.7, 1.1])


def unpacked(p):
    a, b, c = P(p[0], 2.0, np.ones(2))
    return np.sum(c * a) * b + p[1] ** 2


def carried(p):
    t = P(p[0], 3, np.ones(2))
    s = 0.0
    for k in range(3):
        a, n, c = t
        s = s + np.sum(c * a) * n + p[k] * a
        t = P(a * p[2], n, c)
    return s


def labelled(p):
    t = P(p[0], "lbl", p[1:])
    return t[0] * np.sum(t[2]) + len(t[1])


def in_a_list(p):
    ts = [P(p[i], 1.0, np.ones(2)) for i in range(3)]
    return sum(np.sum(t[2]) * t[0] for t in ts)


def _make(p):
    return P(p[0], 2.0, np.ones(2))


def from_a_helper(p):
    a, b, c = _make(p)
    return np.sum(c * a) * b + p[2] * a


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


@pytest.mark.parametrize("f", [unpacked, carried, labelled, in_a_list, from_a_helper])
def test_namedtuple_items_in_forward_mode(f):
    y, t = srcad.jvp(f, (X,), (V,))
    assert np.isclose(y, f(X))
    assert np.isclose(t, _fd(f, X, V), rtol=1e-6, atol=1e-8)
    g = srcad.grad(f)
    assert np.isclose(g(X) @ V, t, rtol=1e-9, atol=1e-12)
    h_ref = np.array([_fd(g, X, e) for e in np.eye(3)])
    np.testing.assert_allclose(srcad.hessian(f)(X), h_ref, rtol=1e-6, atol=1e-6)
