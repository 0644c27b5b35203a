"""Ported cases (session 38, corp38m_py): metamorphic variants of the Python-semantics programs
of tests/corpus/ported_python.py, one style aspect changed each: for/else against a flag,
`break` + return after against an early `return`, tuples / lists / dicts for loop state,
`enumerate(start=)` against an index, `reversed` against a negative step, `d.get` against
`in` tests, a helper with `*args` / keyword-only / default arguments / returning a dict, a
lambda against a def, a recursive helper against a loop, `sum(gen, start)`, a list updated
with `+=` against `[...] + [...]`.

Floats and float64 arrays -> floats or arrays. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

import functools
import math

import numpy as np

from . import Case, refused_everywhere
from .ported import M23, V5
from .ported_python import (
    py_aug_tuple_elem,
    py_comprehension_filter,
    py_dict_default_get,
    py_enumerate_start,
    py_for_else,
    py_len_of_list,
    py_nested_break,
    py_nested_comprehension,
    py_np_ndenumerate,
    py_range_step,
    py_recursion,
    py_return_in_nested_loop,
    py_swap_loop,
    py_x_dependent_trip_count,
    py_zip_strict_3,
)


def for_else_flag(x):
    s = x
    broke = False
    for _ in range(4):
        s *= 1.5
        if s > 100.0:
            broke = True
            break
    if not broke:
        s += x * x
    return s


def for_else_while(x):
    s, k = x, 0
    while k < 4:
        s = s * 1.5
        k += 1
        if s > 100.0:
            return s
    return s + x**2


def nested_break_return(x):
    def row(i):
        out = 0.0
        for j in range(4):
            if j > i:
                return out
            out += x ** (i + j)
        return out

    return sum(row(i) for i in range(4))


def nested_break_comprehension(x):
    return sum([x ** (i + j) for i in range(4) for j in range(i + 1)])


def return_nested_flag(x):
    result = None
    for i in range(5):
        for j in range(5):
            if x * (i + j) > 2.0:
                result = x * i - j
                break
        if result is not None:
            break
    return x if result is None else result


def return_nested_generator(x):
    hits = ((i, j) for i in range(5) for j in range(5) if x * (i + j) > 2.0)
    i, j = next(hits, (None, None))
    return x if i is None else x * i - j


def trip_count_recursive(x):
    def go(y, s):
        if y >= 10.0:
            return s
        y = 2.0 * y
        return go(y, s + y)

    return go(x, 0.0)


def trip_count_for_break(x):
    s, y = 0.0, x
    for _ in range(1000):
        if not y < 10.0:
            break
        y *= 2.0
        s += y
    return s


def swap_loop_list(a, b):
    ab = [a, b]
    for _ in range(3):
        ab = [ab[1], ab[0] * ab[1]]
    return sum(ab)


def swap_loop_dict(a, b):
    st = {"a": a, "b": b}
    for _ in range(3):
        st["a"], st["b"] = st["b"], st["a"] * st["b"]
    return st["a"] + st["b"]


def swap_loop_reduce(a, b):
    a, b = functools.reduce(lambda p, _: (p[1], p[0] * p[1]), range(3), (a, b))
    return a + b


def aug_elem_dict(x):
    t = {0: x, 1: x * 2.0}
    t[0] = t[0] + t[1]
    t[1] = t[1] * t[0]
    return sum(t.values())


def aug_elem_array(x):
    t = np.array([x, 2.0 * x])
    t[0] += t[1]
    t[1] *= t[0]
    return t.sum()


def filter_where(x):
    return np.sum(np.where(x > 0, x * x, 0.0))


def filter_loop_continue(x):
    total = 0.0
    for v in x:
        if v <= 0:
            continue
        total = total + v**2
    return total


def nested_comprehension_mask(x):
    P = np.outer(x, x)
    return np.sum(P[x[:, None] < x[None, :]])


def nested_comprehension_loops(x):
    s = 0.0
    for i, a in enumerate(x):
        for b in x[:i].tolist() + x[i + 1 :].tolist():
            if a < b:
                s += a * b
    return s


def dict_get_in(d):
    a = d["a"] if "a" in d else 1.0
    z = d["z"] if "z" in d else 2.0
    return a * z


def dict_get_setdefault(d):
    e = dict(d)
    e.setdefault("z", 2.0)
    return e.get("a", 1.0) * e["z"]


def enumerate_index(x):
    return sum((i + 1) * x[i] for i in range(len(x)))


def enumerate_arange(x):
    return np.arange(1, len(x) + 1) @ x


def zip3_index(x, y):
    n = len(x)
    return sum(x[i] * y[i] * x[n - 1 - i] for i in range(n))


def zip3_reversed(x, y):
    return float(np.sum(x * y * np.array(list(reversed(x)))))


def range_step_reversed(x):
    s = 0.0
    for v in reversed(x[::2]):
        s = 0.5 * s + v
    return s


def range_step_while(x):
    s, i = 0.0, 4
    while i >= 0:
        s = s * 0.5 + x[i]
        i -= 2
    return s


def len_of_list_count(x):
    pos = x[x > 0]
    return pos.sum() / pos.size


def len_of_list_acc(x):
    total, n = 0.0, 0
    for v in x:
        if v > 0:
            total, n = total + v, n + 1
    return total / n


def ndenumerate_indices(A):
    i, j = np.indices(A.shape)
    return np.sum(A * (i + 2 * j))


def ndenumerate_loops(A):
    s = 0.0
    for i in range(A.shape[0]):
        for j, v in enumerate(A[i]):
            s += v * (i + 2 * j)
    return s


def recursion_loop(x, n):
    for _ in range(n):
        x = np.sin(x)
    return x


def recursion_reduce(x, n):
    return functools.reduce(lambda acc, _: math.sin(acc), range(n), x)


def _apply(f, *args, times=1, **kw):
    out = args[0]
    for _ in range(times):
        out = f(out, *args[1:], **kw)
    return out


def recursion_star_kw(x, n):
    return _apply(lambda v, scale=1.0: np.sin(v) * scale, x, times=n, scale=1.0)


_NEXT = refused_everywhere("`next(g, default)` of a filtered generator expression bound to a name")
CASES = [
    Case(for_else_flag, (0.7,), (0,)),
    Case(for_else_flag, (30.0,), (0,), name="ported_corp38m_py.for_else_flag_break"),
    Case(for_else_while, (0.7,), (0,), extra="hvp"),
    Case(for_else_while, (30.0,), (0,), name="ported_corp38m_py.for_else_while_break"),
    Case(nested_break_return, (0.7,), (0,), extra="hvp"),
    Case(nested_break_comprehension, (0.7,), (0,)),
    Case(return_nested_flag, (0.7,), (0,)),
    Case(return_nested_generator, (0.7,), (0,), xfail=_NEXT),
    Case(return_nested_flag, (0.3,), (0,), name="ported_corp38m_py.return_nested_flag_late"),
    Case(
        return_nested_generator,
        (0.3,),
        (0,),
        name="ported_corp38m_py.return_nested_gen_late",
        xfail=_NEXT,
    ),
    Case(trip_count_recursive, (0.7,), (0,), extra="hvp"),
    Case(trip_count_for_break, (0.7,), (0,)),
    Case(swap_loop_list, (0.7, 1.3), (0, 1)),
    Case(swap_loop_dict, (0.7, 1.3), (0, 1), extra="hvp"),
    Case(swap_loop_reduce, (0.7, 1.3), (0, 1)),
    Case(aug_elem_dict, (0.7,), (0,)),
    Case(aug_elem_array, (0.7,), (0,), extra="hvp"),
    Case(filter_where, (V5,), (0,)),
    Case(filter_loop_continue, (V5,), (0,)),
    Case(nested_comprehension_mask, (V5,), (0,)),
    Case(nested_comprehension_loops, (V5,), (0,)),
    Case(dict_get_in, ({"a": 0.7, "b": 2.0},), (0,)),
    Case(dict_get_setdefault, ({"a": 0.7, "b": 2.0},), (0,)),
    Case(enumerate_index, (V5,), (0,)),
    Case(enumerate_arange, (V5,), (0,)),
    Case(zip3_index, (V5, V5 * 2.0), (0, 1)),
    Case(zip3_reversed, (V5, V5 * 2.0), (0, 1)),
    Case(range_step_reversed, (V5,), (0,)),
    Case(range_step_while, (V5,), (0,)),
    Case(len_of_list_count, (V5,), (0,)),
    Case(len_of_list_acc, (V5,), (0,)),
    Case(ndenumerate_indices, (M23,), (0,)),
    Case(ndenumerate_loops, (M23,), (0,)),
    Case(recursion_loop, (0.7, 3), (0,), extra="hvp"),
    Case(recursion_reduce, (0.7, 3), (0,)),
    Case(recursion_star_kw, (0.7, 3), (0,), extra="hvp"),
]

SAME_AS = {
    for_else_flag: py_for_else,
    for_else_while: py_for_else,
    nested_break_return: py_nested_break,
    nested_break_comprehension: py_nested_break,
    return_nested_flag: py_return_in_nested_loop,
    return_nested_generator: py_return_in_nested_loop,
    trip_count_recursive: py_x_dependent_trip_count,
    trip_count_for_break: py_x_dependent_trip_count,
    swap_loop_list: py_swap_loop,
    swap_loop_dict: py_swap_loop,
    swap_loop_reduce: py_swap_loop,
    aug_elem_dict: py_aug_tuple_elem,
    aug_elem_array: py_aug_tuple_elem,
    filter_where: py_comprehension_filter,
    filter_loop_continue: py_comprehension_filter,
    nested_comprehension_mask: py_nested_comprehension,
    nested_comprehension_loops: py_nested_comprehension,
    dict_get_in: py_dict_default_get,
    dict_get_setdefault: py_dict_default_get,
    enumerate_index: py_enumerate_start,
    enumerate_arange: py_enumerate_start,
    zip3_index: py_zip_strict_3,
    zip3_reversed: py_zip_strict_3,
    range_step_reversed: py_range_step,
    range_step_while: py_range_step,
    len_of_list_count: py_len_of_list,
    len_of_list_acc: py_len_of_list,
    ndenumerate_indices: py_np_ndenumerate,
    ndenumerate_loops: py_np_ndenumerate,
    recursion_loop: py_recursion,
    recursion_reduce: py_recursion,
    recursion_star_kw: py_recursion,
}
