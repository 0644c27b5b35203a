"""Python semantics that are easy to get wrong in a functional IR."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def loop_var_after_loop(x, n):
    for i in range(n):  # noqa: B007 (i is read after the loop)
        x = x * 1.1
    return x * i


def reassign_loop_var(x):
    s = 0.0
    for i in range(4):
        i = i * 2
        s = s + x * i
    return s


def enumerate_zip_unpack(x, y):
    s = 0.0
    for i, (a, b) in enumerate(zip(x, y)):
        s = s + i * a * b
    return s


def nested_comprehension(x):
    rows = [[x[i] * x[j] for j in range(3)] for i in range(3)]
    return np.array(rows).sum() + rows[1][2]


def dict_comprehension(x):
    d = {k: x * k for k in range(1, 4)}
    return d[1] + d[2] * d[3]


def subscript_augassign(x):
    y = x.copy()
    y[1] += 2.0 * x[0]
    y[1:3] *= 3.0
    for i in range(3):
        y[i] -= x[i] ** 2
    return y


def setitem_int_array(x, idx):
    y = np.zeros(5)
    y[idx] = x
    return y * np.arange(5.0)


def reversed_slice(x):
    return x[::-1] * x + x[-1:0:-1].sum()


def or_value(x, y):
    z = y or 2.0
    w = x and 3.0
    return x * z + w


def builtins_min_max_abs(x, y):
    return max(x, y) * min(x, y) + abs(x - y) + max(x, y, 0.5)


def return_from_nested_loops(x):
    s = x
    for i in range(5):
        j = 0
        while j < 5:
            s = s * 1.2 + 0.1
            if s > 3.0:
                return s + i + j
            j += 1
    return s


def break_inner_only(x):
    s = 0.0
    for i in range(4):
        for j in range(10):
            if j > i:
                break
            s = s + x ** (j + 1)
    return s


def kw_only(x, *, scale=2.0, bias=0.5):
    return x * scale + bias


def calls_kw_only(x):
    return kw_only(x) + kw_only(x, scale=0.5) * kw_only(x, bias=-1.0, scale=3.0)


def empty_range(x, n):
    y = x
    for _ in range(n):
        y = y * 100.0
    return y + 1.0


def methods_on_arrays(A, x):
    return A.dot(x).reshape(-1).max() + np.einsum("ij,j->i", A, x).sum() + A.T.trace()


def int_counter_average(x):
    count = 0
    total = 0.0
    for v in x:
        if v > 0.0:
            total += v
            count += 1
    return total / count


def closure_late_binding(x):
    fs = []
    for k in range(3):
        fs.append(k)
    g = lambda t: t * fs[-1]
    return g(x)


def shadow_in_comprehension(x):
    v = [x * 2.0 for x in range(3)]
    return x + v[2]


def float64_scalars(x):
    c = np.float64(0.5)
    return np.exp(c * x) + np.float64(x) ** 2


def tuple_swap_in_loop(a, b):
    for _ in range(5):
        a, b = b, a + b * 0.5
    return a * b


def while_carry_conditional(x):
    y = x
    n = 0
    while y < 10.0:
        if n % 2 == 0:
            y = y * 1.5
        else:
            y = y + 1.0
        n += 1
    return y + n


def mutate_param_array(x):
    x[0] = x[0] * 2.0
    return x.sum()


def inplace_iadd_alias(x):
    y = x
    y += 1.0
    return x.sum()


def iadd_on_copy(x):
    y = x.copy()
    y += x * 2.0
    return y


def pow_both(x, y):
    return x**y + np.power(y, x)


def branch_only_def(x, flag):
    if flag:
        z = x * 2.0
    return z + 1.0


def tuple_axis_sum(A):
    return np.sum(A**2, axis=(0, 1)) + math.pi * A.mean()


def broadcast_add(x, y):
    return (np.exp(x[:, None] + y) * y).sum()


def int_to_float_carry(x):
    s = 0
    for i in range(3):
        s = s + x * i
    return s


def loop_over_2d_slices(A):
    s = 0.0
    for row in A[1:]:
        s = s + row @ row
    return s


def while_return(x):
    n = 0
    while n < 10:
        x = x * 1.3
        if x > 2.0:
            return x
        n += 1
    return -x


def listcomp_over_array(x):
    return sum([v * v for v in x])


def nested_fn_default_arg(x, c):
    def g(t, k=2.0):
        return t * k + c

    return g(x) + g(x, k=3.0)


def conditional_assign_loop(x):
    best = x[0]
    for v in x[1:]:
        if v > best:
            best = v
    return best * 2.0


def scalar_array_mix(x, w):
    h = w * x
    h = h + np.array([1.0, 2.0])
    return float(h.sum()) * x


def reduce_max_axis(A):
    return A.max(axis=1).sum() + np.min(A, axis=0).sum()


def dot_method_chain(A, x):
    return A.T.dot(A.dot(x)).sum()


def outer_var_in_nested_loop(x):
    acc = x
    for _i in range(3):
        t = acc
        for _j in range(2):
            t = t * 0.5 + acc
        acc = t
    return acc


def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def argmax_index(x):
    best = 0
    for i in range(1, len(x)):
        if x[i] > x[best]:
            best = i
    return best


# Known srcad problems (xfail strict: a fix shows up as XPASS; remove the xfail then).


CASES = [
    Case(loop_var_after_loop, (0.5, 3), (0,)),
    Case(reassign_loop_var, (0.7,), (0,)),
    Case(
        enumerate_zip_unpack,
        (np.array([0.2, -0.5, 0.9]), np.array([1.5, 0.3, -0.7])),
        (0, 1),
    ),
    Case(nested_comprehension, (np.array([0.2, -0.5, 0.9]),), (0,)),
    Case(dict_comprehension, (0.7,), (0,)),
    Case(subscript_augassign, (np.array([0.2, -0.5, 0.9, 1.1]),), (0,)),
    Case(setitem_int_array, (np.array([0.2, -0.5]), np.array([1, 3])), (0,)),
    Case(reversed_slice, (np.array([0.2, -0.5, 0.9, 1.1]),), (0,)),
    Case(or_value, (0.7, 1.3), (0, 1)),
    Case(builtins_min_max_abs, (0.7, 1.3), (0, 1)),
    Case(return_from_nested_loops, (0.4,), (0,)),
    Case(break_inner_only, (0.6,), (0,)),
    Case(calls_kw_only, (0.6,), (0,)),
    Case(empty_range, (0.6, 0), (0,)),
    Case(methods_on_arrays, (np.array([[0.5, 1.0], [1.5, -2.0]]), np.array([0.3, 0.7])), (0, 1)),
    Case(int_counter_average, (np.array([0.5, -1.0, 2.0, 0.25]),), (0,)),
    Case(closure_late_binding, (0.6,), (0,)),
    Case(shadow_in_comprehension, (0.6,), (0,)),
    Case(float64_scalars, (0.6,), (0,)),
    Case(tuple_swap_in_loop, (0.3, 0.4), (0, 1)),
    Case(while_carry_conditional, (0.7,), (0,)),
    # mutate_param_array is refused (tests/passes/test_soundness_alias.py): Python changes the caller's
    # array, the generated code would not.
    # inplace_iadd_alias is refused (tests/api/test_api.py): Python updates the array behind `x` too.
    Case(iadd_on_copy, (np.array([1.0, 2.0]),), (0,)),
    Case(pow_both, (1.3, 0.7), (0, 1)),
    Case(branch_only_def, (0.5, True), (0,)),
    Case(tuple_axis_sum, (np.ones((2, 3)) * 0.5,), (0,)),
    Case(broadcast_add, (np.array([0.1, 0.2]), np.array([0.3, -0.1, 0.4])), (0, 1)),
    Case(int_to_float_carry, (0.6,), (0,)),
    Case(loop_over_2d_slices, (np.arange(6.0).reshape(3, 2),), (0,)),
    Case(while_return, (0.5,), (0,)),
    Case(while_return, (-0.5,), (0,), name="tricky.while_return_neg"),
    Case(listcomp_over_array, (np.array([0.5, 1.5]),), (0,)),
    Case(nested_fn_default_arg, (0.5, 2.0), (0, 1)),
    Case(conditional_assign_loop, (np.array([0.5, 1.5, 0.2, 2.5]),), (0,)),
    Case(scalar_array_mix, (0.5, np.array([1.0, 3.0])), (0, 1)),
    Case(reduce_max_axis, (np.array([[0.5, 1.5, 0.2], [2.5, -1.0, 0.3]]),), (0,)),
    Case(dot_method_chain, (np.array([[0.5, 1.5], [2.5, -1.0]]), np.array([0.3, 0.4])), (0, 1)),
    Case(outer_var_in_nested_loop, (0.7,), (0,)),
    Case(gcd, (84, 36), ()),
    Case(argmax_index, (np.array([0.5, 2.5, -1.0, 1.5]),), ()),
]
