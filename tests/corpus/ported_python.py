"""Ported cases: Python semantics: scoping, binding, control flow.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import math

import numpy as np

from . import Case
from .ported import _STATE, M23, P5, V3, V5
from .ported_tangent1 import _mul


def py_late_binding(x):
    fs = [lambda t: t * k for k in range(1, 4)]  # noqa: B023 (late binding is the point)
    return fs[0](x) + fs[2](x)


def py_default_binding(x):
    fs = [lambda t, k=k: t * k for k in range(1, 4)]
    return fs[0](x) + fs[2](x)


def py_closure_rebind(x):
    a = 2.0

    def f(t):
        return t * a

    a = 5.0
    return f(x)


def py_closure_reads_later_value(x):
    def f(t):
        return t * y

    y = x * x
    return f(x)


def py_chained_assign(x):
    a = b = x * 2.0
    b = b * 3.0
    return a * b


def py_walrus(x):
    if (y := x * x) > 0.1:
        return y * x
    return y


def py_for_else(x):
    s = x
    for _ in range(4):
        s = s * 1.5
        if s > 100.0:
            break
    else:
        s = s + x * x
    return s


def py_while_else(x):
    k = 0
    while k < 3:
        x = x * 1.1
        k += 1
    else:
        x = x - 0.5
    return x


def py_nested_break(x):
    s = 0.0
    for i in range(4):
        for j in range(4):
            if j > i:
                break
            s = s + x ** (i + j)
    return s


def py_return_in_nested_loop(x):
    for i in range(5):
        for j in range(5):
            if x * (i + j) > 2.0:
                return x * i - j
    return x


def py_x_dependent_trip_count(x):
    s = 0.0
    y = x
    while y < 10.0:
        y = y * 2.0
        s = s + y
    return s


def py_loop_var_shadow(x):
    for x_i in [x, 2.0 * x]:
        x = x + x_i
    return x


def py_swap_loop(a, b):
    for _ in range(3):
        a, b = b, a * b
    return a + b


def py_aug_tuple_elem(x):
    t = [x, x * 2.0]
    t[0] += t[1]
    t[1] *= t[0]
    return t[0] + t[1]


def py_comprehension_filter(x):
    return sum([v * v for v in x if v > 0])


def py_nested_comprehension(x):
    return sum([a * b for a in x for b in x if a < b])


def py_generator_sum(x):
    return sum(v**3 for v in x)


def py_math_fsum(x):
    return math.fsum([x, x * x, 1.0])


def py_item(x):
    return x[1].item() * x[0] + float(x[2]) * x[1]


def py_tolist(x):
    vals = x.tolist()
    return vals[0] * vals[1] + sum(vals)


def py_asarray_alias(x):
    y = np.asarray(x)
    return y * x


def py_numpy_scalar(x):
    s = np.float64(2.5)
    return s * x + np.float64(x) ** 2


def py_ellipsis_assign(x):
    y = np.empty_like(x)
    y[...] = x * 2.0
    return y


def py_ravel_then_update(A):
    f = A.ravel().copy()
    f[0] = f[1] * 3.0
    return f


def py_list_of_lists_update(x):
    grid = [[0.0, 0.0], [0.0, 0.0]]
    grid[0][1] = x
    grid[1][0] = grid[0][1] * 3.0
    return grid[0][1] * grid[1][0]


def py_dict_default_get(d):
    return d.get("a", 1.0) * d.get("z", 2.0)


def py_int_float_division(x, n):
    return x * (n / 2) + x * (n // 2)


def py_power_int_array(x):
    return x ** np.array([1, 2, 3])


def py_negative_base_float_exp(x):
    return (-x) ** 2.0 + x**2


def py_abs_builtin_array(x):
    return abs(x - 0.1) * x


def py_bool_arith(x):
    return x * True + x * (x > 0)


def py_shadow_builtin(x):
    sum_ = 0.0
    for v in x:
        sum_ = sum_ + v
    return sum_ * max(x)


def py_recursion(x, n):
    if n == 0:
        return x
    return np.sin(py_recursion(x, n - 1))


def py_helper_mutates_local(x):
    y = x.copy()
    _scale_in_place(y)
    return y * x


def _scale_in_place(a):
    a *= 2.0


def py_argument_mutation(x):
    x[0] = x[0] * 2.0
    return x * x


def py_argument_aug(x):
    x += 1.0
    return x * x


def py_returns_argument_alias(x):
    y = x
    return y, x * 2.0


def py_same_array_twice(x):
    return _mul(x, x) + np.dot(x, x)


def py_kwonly_call(x):
    return _kwonly(x, scale=3.0)


def _kwonly(x, *, scale=1.0):
    return x * scale


def py_global_mutable_read(x):
    return x * _STATE["k"]


def py_isinstance_list(x):
    items = [x, 2.0 * x]
    if isinstance(items, list):
        return items[0] * items[1]
    return x


def py_len_of_list(x):
    items = [v for v in x if v > 0]
    return sum(items) / len(items)


def py_enumerate_start(x):
    return sum(i * v for i, v in enumerate(x, start=1))


def py_zip_strict_3(x, y):
    return sum(a * b * c for a, b, c in zip(x, y, x[::-1]))


def py_range_step(x):
    s = 0.0
    for i in range(4, -1, -2):
        s = s * 0.5 + x[i]
    return s


def py_np_ndenumerate(A):
    s = 0.0
    for (i, j), v in np.ndenumerate(A):
        s = s + v * (i + 2 * j)
    return s


def py_string_keys_loop(p):
    out = 0.0
    for name in ["w", "b"]:
        out = out + np.sum(p[name] ** 2)
    return out


def py_conditional_expression_array(x):
    return np.sum(x) if x[0] > 0 else np.prod(x)


def py_min_of_generator(x):
    return min(v * v for v in x)


CASES: list[Case] = [
    Case(py_late_binding, (0.7,), (0,)),
    Case(py_default_binding, (0.7,), (0,)),
    Case(py_closure_rebind, (0.7,), (0,)),
    Case(py_closure_reads_later_value, (0.7,), (0,)),
    Case(py_chained_assign, (0.7,), (0,)),
    Case(py_walrus, (0.7,), (0,)),
    Case(py_for_else, (0.7,), (0,)),
    Case(py_for_else, (30.0,), (0,), name="ported.py_for_else_break"),
    Case(py_while_else, (0.7,), (0,)),
    Case(py_nested_break, (0.7,), (0,)),
    Case(py_return_in_nested_loop, (0.7,), (0,)),
    Case(py_x_dependent_trip_count, (0.7,), (0,)),
    Case(py_loop_var_shadow, (0.7,), (0,)),
    Case(py_swap_loop, (0.7, 1.3), (0, 1)),
    Case(py_aug_tuple_elem, (0.7,), (0,)),
    Case(py_comprehension_filter, (V5,), (0,)),
    Case(py_nested_comprehension, (V5,), (0,)),
    Case(py_generator_sum, (V5,), (0,)),
    Case(py_math_fsum, (0.7,), (0,)),
    Case(py_item, (V3,), (0,)),
    Case(py_tolist, (V3,), (0,)),
    Case(py_asarray_alias, (V3,), (0,)),
    Case(py_numpy_scalar, (0.7,), (0,)),
    Case(py_ellipsis_assign, (V3,), (0,)),
    Case(py_ravel_then_update, (M23,), (0,)),
    Case(py_list_of_lists_update, (0.7,), (0,)),
    Case(py_dict_default_get, ({"a": 0.7, "b": 2.0},), (0,)),
    Case(py_int_float_division, (0.7, 5), (0,)),
    Case(py_power_int_array, (V3,), (0,)),
    Case(py_negative_base_float_exp, (V3,), (0,)),
    Case(py_abs_builtin_array, (V3,), (0,)),
    Case(py_bool_arith, (V3,), (0,)),
    Case(py_shadow_builtin, (V5,), (0,)),
    Case(py_recursion, (0.7, 3), (0,)),
    Case(py_returns_argument_alias, (V3,), (0,)),
    Case(py_same_array_twice, (V3,), (0,)),
    Case(py_kwonly_call, (0.7,), (0,)),
    Case(py_global_mutable_read, (0.7,), (0,)),
    Case(py_isinstance_list, (0.7,), (0,)),
    Case(py_len_of_list, (V5,), (0,)),
    Case(py_enumerate_start, (V5,), (0,)),
    Case(py_zip_strict_3, (V5, P5), (0, 1)),
    Case(py_range_step, (V5,), (0,)),
    Case(py_np_ndenumerate, (M23,), (0,)),
    Case(py_string_keys_loop, ({"w": V3, "b": 0.5},), (0,)),
    Case(py_conditional_expression_array, (V5,), (0,)),
    Case(py_min_of_generator, (V5,), (0,)),
]
