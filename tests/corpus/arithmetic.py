"""Arithmetic, comparison and boolean operators; assignment forms; `math` and aliased NumPy."""

from __future__ import annotations

import math
from math import sin

import numpy as onp

from . import Case


def poly(x):
    return 3.0 * x**3 - 2.0 * x**2 + x - 7.0


def all_binops(x, y):
    a = x + y
    b = x - y
    c = x * y
    d = x / y
    e = x**2 + y**-1.5
    return a * b + c - d + e


def floordiv_mod(x, n):
    q = n // 3
    r = n % 3
    return x * q + x**2 * r + (x % 2.0) * 0.5


def matmul_op(A, x):
    return A @ x


def quadratic_form(A, x):
    y = A @ x
    return x @ y


def tuple_unpack(x, y):
    a, b = x * 2.0, y + 1.0
    a, b = b, a
    (c, d), e = (a, b), a * b
    return c - d + e


def chained_assign(x):
    a = b = x * 2.0
    c = d = e = a + b
    return c * d - e


def augmented(x, y):
    s = x
    s += y
    s *= 2.0
    s -= x
    s /= 3.0
    s **= 2
    return s


def unary_ops(x):
    return -x + (+x) * 2.0 - (-(x**2))


def ternary(x):
    y = x * 2.0 if x > 0.0 else -x
    return y * y


def compare_chain(x, lo, hi):
    if lo < x < hi:
        return x * x
    return x


def bool_ops(x, flag):
    ok = flag and x > 1.0
    alt = not flag or x < -1.0
    if ok:
        return x * 3.0
    if alt:
        return x * 5.0
    return x


def comparisons(x, y):
    out = 0.0
    if x == y:
        out = out + 1.0
    if x != y:
        out = out + x * y
    if x >= y:
        out = out + x
    if x <= y:
        out = out - y
    return out


def math_funcs(x):
    return sin(x) + math.cos(x) * math.exp(-x) + math.log(1.0 + x * x) + math.sqrt(x + 2.0)


def numpy_alias(x):
    return onp.sum(onp.tanh(x) * onp.exp(-(x**2)))


def division_by_param(x, scale=2.0):
    return x / scale + scale / (1.0 + x * x)


CASES = [
    Case(poly, (1.3,), (0,)),
    Case(all_binops, (1.5, 0.7), (0, 1)),
    Case(floordiv_mod, (1.3, 7), (0,)),
    Case(
        matmul_op,
        (onp.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.2]]), onp.array([0.3, -0.8])),
        (0, 1),
    ),
    Case(quadratic_form, (onp.array([[2.0, 0.5], [0.5, 1.0]]), onp.array([0.3, -0.8])), (0, 1)),
    Case(tuple_unpack, (0.4, 1.2), (0, 1)),
    Case(chained_assign, (onp.array([0.5, -1.5, 2.0]),), (0,)),
    Case(augmented, (1.2, 0.3), (0, 1)),
    Case(unary_ops, (onp.array([0.5, -2.0]),), (0,)),
    Case(ternary, (0.7,), (0,), name="arithmetic.ternary_pos"),
    Case(ternary, (-0.7,), (0,), name="arithmetic.ternary_neg"),
    Case(compare_chain, (0.5, 0.0, 1.0), (0, 1, 2)),
    Case(bool_ops, (1.5, True), (0,)),
    Case(bool_ops, (-1.5, False), (0,), name="arithmetic.bool_ops_false"),
    Case(comparisons, (0.8, 1.1), (0, 1)),
    Case(math_funcs, (0.6,), (0,)),
    Case(numpy_alias, (onp.array([0.1, -0.4, 1.2]),), (0,)),
    Case(division_by_param, (0.9,), (0,)),
]
