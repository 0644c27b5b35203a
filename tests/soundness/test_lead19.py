"""``lst += tup``: Python extends the list (list has no ``+`` with a tuple, so CPython falls back to
the in-place concatenation); srcad's `concat` made ``lst + tup`` and raised TypeError in the
generated code (hunt19's find). Each program: value and gradient against Python and central
differences, the argument list updated as Python updates it, the Hessian against jacfwd(grad)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad


def extend_once(x):
    items = [x[0]]
    items += (x[1], x[2] ** 2)
    return sum(items) * len(items)


def extend_in_loop(x):
    rows = []
    for i in range(3):
        rows += (x[i], x[i + 3])
    return sum(v * v for v in rows)


def extend_argument(x, acc):
    acc += (x[0] * x[1],)
    return np.sin(acc[-1]) + acc[0]


def tuple_stays_tuple(x):
    t = (x[0],)
    t += (x[1] * 2.0, x[2])
    return t[0] * t[1] + t[2]


def extend_by_a_named_tuple(x):
    out = []
    for i in range(3):
        pair = (np.sin(x[i]), x[i] * x[5])
        out += pair
    s = 0.0
    for k, v in enumerate(out):
        s = s + (k + 1) * v
    return s


X = np.array([0.53, -1.17, 0.71, 2.09, -0.33, 1.61])
CASES = [
    (extend_once, ()),
    (extend_in_loop, ()),
    (extend_argument, ([1.5],)),
    (tuple_stays_tuple, ()),
    (extend_by_a_named_tuple, ()),
]


def _fd(f, x, rest):
    g = np.zeros_like(x)
    for i in range(x.size):
        d = np.zeros_like(x)
        d[i] = 1e-6
        hi, lo = f(x + d, *copy.deepcopy(rest)), f(x - d, *copy.deepcopy(rest))
        g[i] = (hi - lo) / 2e-6
    return g


@pytest.mark.parametrize("f, rest", CASES, ids=[c[0].__name__ for c in CASES])
def test_list_extended_by_a_tuple(f, rest) -> None:
    r_py, r_ad = copy.deepcopy(rest), copy.deepcopy(rest)
    want = f(X.copy(), *r_py)
    v, g = srcad.value_and_grad(f)(X.copy(), *r_ad)
    assert v == pytest.approx(want, rel=1e-12)
    assert r_ad == r_py  # the caller's list extended as Python extends it
    np.testing.assert_allclose(g, _fd(f, X, rest), atol=1e-6)
    H = srcad.hessian(f)(X.copy(), *copy.deepcopy(rest))
    np.testing.assert_allclose(H, srcad.jacfwd(srcad.grad(f))(X.copy(), *copy.deepcopy(rest)))
