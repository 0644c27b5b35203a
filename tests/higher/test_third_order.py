"""Third derivatives of scalar functions of one float: ``grad(grad(grad(f)))`` (three levels
stacked on the IR: reverse, then two forward) against closed forms, and against high-order
central differences of srcad's own second derivative and of the primal, through loops, branches,
a data-dependent ``while``, ``x[i] = v`` into a temporary array, a helper call and containers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad


def _helper(u):
    return u * np.exp(-u)


def poly5(x):
    return 3.0 * x**5 - 2.0 * x**3 + x - 7.0


def sin_exp_log(x):
    return math.sin(x) * math.exp(0.5 * x) + math.log(1.0 + x * x)


def np_composite(x):
    return np.exp(np.sin(x)) * np.log(2.0 + np.cos(x))


def loop_product(x):
    s = 1.0
    for k in range(1, 4):
        s = s * (x + k)  # (x + 1)(x + 2)(x + 3)
    return s


def loop_carry_nonlinear(x):
    y = x
    for _ in range(3):
        y = np.sin(y) + 0.5 * y * y
    return y


def branch(x):
    if x > 0.5:
        y = x**4
    else:
        y = np.cos(3.0 * x)
    return y


def while_data_dependent(x):
    # trip count depends on x: 0.8 -> 0.8, 1.6, 3.2, 6.4 (3 doublings), a locally smooth 8 x^3
    y = x
    n = 0
    while y < 5.0:
        y = y * 2.0
        n += 1
    return y * y * y / n


def setitem_temp(x):
    a = np.zeros(3)
    a[0] = x
    a[1] = x * x
    a[2] = np.sin(x)
    return a[0] * a[1] * a[2]


def setitem_in_loop(x):
    a = np.zeros(4)
    a[0] = x
    for i in range(1, 4):
        a[i] = a[i - 1] * x  # a = [x, x^2, x^3, x^4]
    return np.sum(a * a)


def calls_helper(x):
    return _helper(x) * _helper(2.0 * x)


def dict_and_list(x):
    d = {"a": x * x, "b": np.sin(x)}
    parts = [d["a"], d["b"], x]
    parts.append(d["a"] * d["b"])
    return sum(parts) * parts[3]


def _d3_fd(f, x, h=1e-2):
    """Third derivative by a sixth-order central stencil of the primal (h = 1e-2 keeps the
    roundoff of f at 1e-16 * |f| / h**3 below 1e-9)."""
    c = [(1, -488 / 240), (2, 338 / 240), (3, -72 / 240), (4, 7 / 240)]
    return sum(w * (f(x + k * h) - f(x - k * h)) for k, w in c) / h**3


S, C = math.sin, math.cos


def _d3_sin_exp_log(x):
    e = math.exp(0.5 * x)
    # (sin x e^{x/2})''' by Leibniz's rule: sum_k C(3, k) sin^(k)(x) (e^{x/2})^(3-k)
    s = [S(x), C(x), -S(x), -C(x)]
    ex = [e, 0.5 * e, 0.25 * e, 0.125 * e]
    part = sum(math.comb(3, k) * s[k] * ex[3 - k] for k in range(4))
    # log(1 + x^2)''' = 4 x (x^2 - 3) / (1 + x^2)^3
    return part + 4 * x * (x * x - 3) / (1 + x * x) ** 3


CASES = [
    (poly5, 0.7, lambda x: 180.0 * x * x - 12.0),
    (sin_exp_log, 0.4, _d3_sin_exp_log),
    (np_composite, 0.3, None),
    (loop_product, 0.6, lambda x: 6.0),
    (loop_carry_nonlinear, 0.3, None),
    (branch, 0.9, lambda x: 24.0 * x),
    (branch, 0.2, lambda x: 27.0 * math.sin(3.0 * x)),
    (while_data_dependent, 0.8, lambda x: 8.0**3 * 6.0 / 3.0),
    (setitem_temp, 0.45, None),
    (setitem_in_loop, 0.8, lambda x: 24.0 * x + 120.0 * x**3 + 336.0 * x**5),
    (calls_helper, 0.35, None),
    (dict_and_list, 0.6, None),
]


@pytest.mark.parametrize("f, x, exact", CASES, ids=[f"{c[0].__name__}@{c[1]}" for c in CASES])
def test_third_derivative(f, x, exact) -> None:
    d1 = srcad.grad(f)
    d2 = srcad.grad(d1)
    d3 = srcad.grad(d2)
    got = d3(x)
    ref = _d3_fd(f, x)
    assert got == pytest.approx(ref, rel=1e-6, abs=1e-6)
    if exact is not None:
        assert got == pytest.approx(exact(x), rel=1e-12, abs=1e-12)
    # second differences of srcad's own second derivative agree too
    h = 1e-4
    assert got == pytest.approx((d2(x + h) - d2(x - h)) / (2 * h), rel=1e-6, abs=1e-6)
