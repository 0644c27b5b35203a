"""Ported cases: Tangent's tests (scalars, branches, loops, calls, subscripts).

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import V3, V5, XB, R


def tg_identity(a):
    b = a
    return b


def tg_negate(a):
    return -a


def tg_increment(a):
    return a + 1


def tg_saxpy(a, b, c):
    return a * b + c


def _mul(a, b):
    return a * b


def _add(a, b):
    return a + b


def tg_saxpy_calls(a, b, c):
    return _add(_mul(a, b), c)


def tg_saxpy_rebind(a, b, c):
    t = a * b
    t = t + c
    return t


def tg_binops(a):
    return a * 3.0 + 3.0 * a + a * a + a / 3.0 + 3.0 / a + a / a + (a - 3.0) * (3.0 - a) + a - a


def tg_branch_overwrite(a):
    if a > 0:
        a = a * 3.0
    else:
        a = a * 2.0
    return a


def tg_nested_branch(a):
    if a > 0:
        if a < 10:
            a = a * a
    else:
        a = 3.0 * a
    return a


def tg_spammy_branches(a):
    if a * a / 3.0 > 0:
        b = 3.0
    else:
        b = 4.0
    a = a * b
    if a < b - a * b:
        a = a * a
    elif a > b + 3.0 * a:
        if a / 2.0 < 0:
            a = a / b
        else:
            a = a * b
    else:
        a = -a
    return a


def tg_np_multiply(a):
    return np.multiply(a, 3.0)


def tg_two_outputs(a):
    return 2 * a, a


def tg_list_sum(a):
    b = [1, a * a, 2]
    return np.sum(b)


def tg_list_of_products(x):
    b = [1, x[0] * x[1] * x[2], 3]
    return np.sum(b)


def tg_subscripts(x):
    p = x[0]
    q = x[1]
    return p * q


def tg_overwrite_element(x):
    x = x.copy()
    p = x[0]
    q = x[1]
    x[0] = p * q
    return np.sum(x)


def tg_overwrite_from_squares(x):
    x = x.copy()
    y = x**2.0
    x[0] = y[1] * y[2]
    return np.sum(x * y)


def tg_list_index(a):
    x = [1.0, a, 3.0]
    return x[0] * x[1]


def tg_serial_branches(a):
    if a > 0:
        a = a * a
    a = a + a
    if a < 0:
        a = 3.0 * a
    return a


def tg_two_var_branch(a, b):
    if a > b:
        a = a * a
    else:
        a = a * b
    return a


def tg_serial_loops(a, n):
    for _ in range(n):
        a = a * a
    a = 2.0 * a
    for _ in range(n + 1):
        a = a * 3.0
    return a


def tg_branch_then_loop(a, n):
    if a > 0:
        a = a * a
    a = 2.0 * a
    for _ in range(n):
        a = a * a
    return a


def tg_loop_then_branch(a, n):
    for _ in range(n):
        a = a * a
    a = 2.0 * a
    if a > 0:
        a = a * a
    return a


def tg_devil_branch(a):
    if a > 0:
        a = a * 3.0
        if a < 10:
            a = a * a
        else:
            a = a * 2.0
    return a


def tg_elif(a):
    if a > 0:
        a = a * 3.0
    elif 0 > a:
        a = a * 2.0
    else:
        a = 1.0 * a
    return a


def tg_cubes(a):
    return a * a * a + a**3


def tg_loop_cube(a):
    out = 1
    for _ in range(3):
        out = out * a
    return out


def tg_loop_cube2(a):
    out = a
    for _ in range(3 - 1):
        out = out * a
    return out


def tg_iterated_square(a, n):
    for _ in range(n):
        a = a * a
    return a


def tg_conditional_square(a):
    for _ in range(3):
        if a < 20:
            a = a * a
    return a


def tg_guarded_loop(a):
    if a < 20:
        for _ in range(3):
            a = a * a
    return a


def tg_double_loop(a):
    for _ in range(2):
        for _ in range(2):
            a = a * a
    return a


def tg_loop_triple(a):
    for _ in range(3):
        a = a * a * a
    return a


def tg_np_basics(x):
    return np.sum(x) + np.mean(x) + np.sum(np.exp(np.exp(x * 0.1))) + np.sum(np.sqrt(x * x + 1))


def tg_logistic(inputs, label, W, b):
    h1 = np.dot(inputs, W) + b
    prediction = 0.5 * (np.tanh(h1) + 1)
    probs = prediction * label + (1 - prediction) * (1 - label)
    return -np.sum(np.log(probs))


def tg_call_branch(a, b):
    if a > b:
        o = _mul(a, b)
    else:
        o = _mul(b, a)
    return o


def tg_call_loop(a, n):
    for _ in range(n):
        a = _mul(a, a)
    return a


def tg_nested_def_loop(a, n):
    def times(p, q):
        return p * q

    for _ in range(n):
        a = times(a, a)
    return a


def tg_unpack_tuple(abc):
    a, b, c = abc
    return a * b + c


def _dict_saxpy(d):
    return d["a"] * d["b"] + d["c"]


def tg_dict_wrapper(abc):
    a, b, c = abc
    return _dict_saxpy(dict(a=a, b=b, c=c))


def tg_pick_from_tuple(a, b, c, i):
    x = a, b, c
    return x[i]


def tg_polar(a, b):
    r = np.sqrt(a**2.0 + b**2.0)
    theta = np.arctan2(b, a)
    return r, theta


def tg_listcomp_sum(x):
    return np.sum([v * 3 for v in x])


def tg_halving_while(a):
    while np.abs(a) > 0.1:
        a = a * 0.5
    return a


def tg_copy_loop(x):
    y = np.zeros_like(x)
    for i in range(len(x)):
        y[i] = x[i]
    return np.sum(y)


def tg_fill_rows(x):
    h = np.zeros((len(x), 3))
    for t in range(len(h)):
        h[t] = x[t]
    return np.sum(h)


def tg_slice_sum(x):
    return np.sum(x[1:])


CASES: list[Case] = [
    Case(tg_identity, (0.7,), (0,)),
    Case(tg_negate, (0.7,), (0,)),
    Case(tg_increment, (0.7,), (0,)),
    Case(tg_saxpy, (0.7, -1.2, 0.4), (0, 1, 2)),
    Case(tg_saxpy_calls, (0.7, -1.2, 0.4), (0, 1, 2)),
    Case(tg_saxpy_rebind, (V3, V3[::-1].copy(), 0.4), (0, 1, 2)),
    Case(tg_binops, (0.7,), (0,)),
    Case(tg_binops, (V3,), (0,), name="ported.tg_binops_array"),
    Case(tg_branch_overwrite, (0.7,), (0,)),
    Case(tg_branch_overwrite, (-0.7,), (0,), name="ported.tg_branch_overwrite_neg"),
    Case(tg_nested_branch, (2.5,), (0,)),
    Case(tg_nested_branch, (-2.5,), (0,), name="ported.tg_nested_branch_neg"),
    Case(tg_spammy_branches, (0.7,), (0,)),
    Case(tg_spammy_branches, (-0.7,), (0,), name="ported.tg_spammy_branches_neg"),
    Case(tg_np_multiply, (V3,), (0,)),
    Case(tg_two_outputs, (0.7,), (0,)),
    Case(tg_list_sum, (0.7,), (0,)),
    Case(tg_list_of_products, (V3,), (0,)),
    Case(tg_subscripts, (V3,), (0,)),
    Case(tg_overwrite_element, (V3,), (0,)),
    Case(tg_overwrite_from_squares, (V3,), (0,)),
    Case(tg_list_index, (0.7,), (0,)),
    Case(tg_serial_branches, (0.7,), (0,)),
    Case(tg_serial_branches, (-0.7,), (0,), name="ported.tg_serial_branches_neg"),
    Case(tg_two_var_branch, (0.7, 0.2), (0, 1)),
    Case(tg_two_var_branch, (0.2, 0.7), (0, 1), name="ported.tg_two_var_branch_else"),
    Case(tg_serial_loops, (0.9, 2), (0,)),
    Case(tg_branch_then_loop, (0.9, 2), (0,)),
    Case(tg_loop_then_branch, (-0.9, 2), (0,)),
    Case(tg_devil_branch, (0.7,), (0,)),
    Case(tg_devil_branch, (4.0,), (0,), name="ported.tg_devil_branch_big"),
    Case(tg_elif, (-0.7,), (0,)),
    Case(tg_cubes, (0.7,), (0,)),
    Case(tg_loop_cube, (0.7,), (0,)),
    Case(tg_loop_cube2, (V3,), (0,)),
    Case(tg_iterated_square, (1.1, 3), (0,)),
    Case(tg_conditional_square, (1.7,), (0,)),
    Case(tg_guarded_loop, (1.2,), (0,)),
    Case(tg_double_loop, (1.01,), (0,)),
    Case(tg_loop_triple, (1.05,), (0,)),
    Case(tg_np_basics, (V5,), (0,)),
    Case(
        tg_logistic,
        (XB, np.array([0.0, 1.0, 1.0, 0.0, 1.0])[:, None], R.standard_normal((3, 1)), 0.1),
        (2, 3),
        jitter=0.0,  # labels stay 0/1
    ),
    Case(tg_call_branch, (0.7, 0.3), (0, 1)),
    Case(tg_call_loop, (1.1, 3), (0,)),
    Case(tg_nested_def_loop, (1.1, 3), (0,)),
    Case(tg_unpack_tuple, ((0.7, -1.2, 0.4),), (0,)),
    Case(tg_dict_wrapper, ((0.7, -1.2, 0.4),), (0,)),
    Case(tg_pick_from_tuple, (0.7, -1.2, 0.4, 1), (0, 1, 2)),
    Case(tg_polar, (0.7, -1.2), (0, 1)),
    Case(tg_listcomp_sum, (V3,), (0,)),
    Case(tg_halving_while, (3.3,), (0,)),
    Case(tg_copy_loop, (V5,), (0,)),
    Case(tg_fill_rows, (V3,), (0,)),
    Case(tg_slice_sum, (V5,), (0,)),
]
