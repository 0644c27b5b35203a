"""Session 23 (fuzz23): what the wild generator (tests/fuzz/gen_wild.py) found.

- Chained assignment of one object to several names (``p = q = np.zeros(4); p[1] = x[0];
  q += x``) was refused ("`p` is read after the object it shares with another name is
  modified"): 40 of 600 wild programs (seeds 2300000-2300599). lower/chained.py now binds one
  name to the object and reads the others through it until one of them is rebound. Neighbours
  where the names may part (a branch rebinding one, ``op=`` of a number or a tuple) keep the
  exact answer or the refusal.
- ``np.array(x, dtype=float)`` with an array computed in a loop from it crashed ("internal
  error: AttributeError: 'NoneType' object has no attribute 'lookup'", seeds 2300231, 2300310,
  2300468): passes/inplace._Slice made the part of the function without its namespace, which
  ranks.float64_dtype reads to resolve ``float``.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.7, 1.1, 2.0])
V = np.array([0.3, 0.5, -0.9, 0.2])


def _check(f, x: np.ndarray = X, second: bool = True) -> None:
    """primal, grad against central differences, hvp against differences of the gradient."""
    np.testing.assert_allclose(srcad.primal(f)(x), f(x), rtol=1e-12)
    g = srcad.grad(f)(x)
    h = 1e-6
    fd = (f(x + h * V) - f(x - h * V)) / (2 * h)
    np.testing.assert_allclose(np.dot(g, V), fd, rtol=1e-6, atol=1e-8)
    if second:
        _, hv = srcad.hvp(f, (x,), (V,))
        fd2 = (srcad.grad(f)(x + h * V) - srcad.grad(f)(x - h * V)) / (2 * h)
        np.testing.assert_allclose(hv, fd2, rtol=1e-4, atol=1e-4)


def chain_array(x):
    p = q = np.zeros(4)
    p[1] = x[0]
    q += x
    return np.sum(p * q) + np.sum(q**2)


def chain_generated(x):  # the wild generator's form: `p` rebound after the writes
    u1 = u2 = np.zeros(4)
    u1[2] = np.sum(x**2)
    u2 += x
    u1 = u1 * u2
    return np.sum(u1) + np.sum(u2)


def chain_view(x):
    y = x * 1.0
    a = b = y[:3]
    a[0] = 5.0 * x[1]
    b *= 2
    return np.sum(y**2)


def chain_list(x):
    p = q = []
    p.append(x[0])
    q.append(x[1] * 2)
    return p[0] * q[1] + len(p)


def chain_dict(x):
    d = e = {}
    d["a"] = x[0]
    e["b"] = x[1] * 3.0
    return d["a"] * d["b"] + len(e)


def chain_three(x):
    a = b = c = np.zeros(4)
    a += x
    b[2] = np.sin(x[0])
    c *= 2.0
    return np.sum(a * b * c)


def chain_loop(x):
    s = 0.0
    for i in range(3):
        p = q = np.ones(4)
        p[i] = x[i] ** 2
        q *= x
        s = s + np.sum(p) * q[3]
    return s + np.sum(q)


def chain_then_view(x):
    p = q = x * 1.0
    v = p[1:]
    v *= 3.0
    return np.sum(q**2)


def chain_list_iadd(x):
    p = q = [x[0]]
    q += [x[1]]
    p *= 2
    return sum(p) * len(q) + q[3]


def chain_loop_continue(x):
    p = q = []
    for i in range(4):
        if i == 2:
            continue
        p.append(x[i])
    return sum(q) * q[0]


def chain_like(x):  # `np.ones_like(v)` is an ndarray whatever `v`: `q += x` is in place
    p = q = np.ones_like(x)
    q += x
    return np.sum(p * q)


def chain_number(x):  # `q += v` of a number rebinds q only
    p = q = x[0] * 1.0
    q += x[1]
    return p * 3.0 + q


CHAINS = {
    f.__name__: f
    for f in (
        chain_array,
        chain_generated,
        chain_view,
        chain_list,
        chain_dict,
        chain_three,
        chain_loop,
        chain_then_view,
        chain_list_iadd,
        chain_loop_continue,
        chain_like,
        chain_number,
    )
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_chained_assignment_shares_one_object(name: str) -> None:
    _check(CHAINS[name])


def branch_parts(x):  # the names part on one path: Python's result depends on the branch
    p = q = np.zeros(4)
    p[0] = x[1]
    if x[0] > 0:
        q = x * 2.0
    q[1] = x[2]
    return np.sum(p**2) + np.sum(q)


def closure_reads(x):  # a lambda reads `p` later: the rewrite is not made
    p = q = np.zeros(4)
    g = lambda: np.sum(p)  # noqa: E731
    q[0] = x[0]
    p = p + x
    return g() * x[1]


@pytest.mark.parametrize("f", [branch_parts, closure_reads], ids=lambda f: f.__name__)
def test_chained_assignment_neighbours_exact_or_refused(f) -> None:
    try:
        g = srcad.grad(f)(X)
    except srcad.SrcadError as e:
        assert "shares with another name" in str(e) or "read after" in str(e)
        return
    h = 1e-6
    fd = (f(X + h * V) - f(X - h * V)) / (2 * h)
    np.testing.assert_allclose(np.dot(g, V), fd, rtol=1e-6)


def test_branch_rebinding_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(branch_parts)(X)


def dtype_float_in_loop(x):  # seed 2300468, minimised
    w1 = x
    w3 = np.array(x, dtype=float)
    k = 0
    while k < 5:
        v6 = np.multiply.outer(w1, w3)
        k += 1
    return np.sum(v6**2)


def test_dtype_float_array_read_in_loop_no_crash() -> None:
    _check(dtype_float_in_loop)
