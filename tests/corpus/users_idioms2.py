"""Python idioms users write that srcad used to refuse (session 4, `refuse`): list methods that
update a local list inside loops and branches, in-place sorts, ``dict.pop``, ``del``,
``try``/``finally``, reading ``a[i, j]`` before overwriting it, double buffers swapped in a
time-stepping loop, lists of lambdas made by a comprehension, helpers with ``*args`` and
``**kwargs``. Each is
checked forward, reverse and (``extra="hvp"``) at second order; the aliasing variants that must
stay refused are in tests/lower/test_idioms2.py."""

from __future__ import annotations

import numpy as np

from . import Case


def pop_in_for(x):
    xs = [x[0], x[1], x[2], x[3]]
    acc = 0.0
    for i in range(3):
        acc = acc + xs.pop() * (i + 1)
    return acc + xs[0]


def pop_front_while(x):
    queue = [x[0], x[1], x[2], x[3]]
    acc = 0.0
    while len(queue) > 1:
        acc = acc * 0.5 + queue.pop(0) ** 2
    return acc + queue[0]


def insert_in_branch(x):
    xs = [x[0], x[1]]
    if x[2] > 0:
        xs.insert(0, x[2] * 2.0)
    return xs[0] * xs[1]


def insert_front_loop(x):
    xs = []
    for i in range(3):
        xs.insert(0, x[i] * (i + 1))
    return xs[0] * xs[1] + xs[2] ** 2


def stack_machine(x):
    stack = [x[0]]
    for i in range(1, 4):
        if x[i] > 0:
            stack.append(x[i])
        else:
            top = stack.pop()
            stack.append(top * x[i])
    return sum(stack) * stack[-1]


def copy_sort(x):
    y = x.copy()
    y.sort()
    return y[0] * 2.0 + y[-1] * y[1]


def list_sort_reverse(x):
    xs = [x[0], x[1] * 2.0, x[2]]
    xs.sort()
    xs.reverse()
    return xs[0] * 3.0 + xs[1] * xs[2]


def list_sort_key(x):
    xs = [x[0], x[1], x[2], x[3]]
    xs.sort(key=lambda v: v * v, reverse=True)
    return xs[0] * 2.0 + xs[-1]


def sort_in_loop(x):
    best = []
    for i in range(4):
        best.append(x[i] ** 2)
        best.sort()
    return best[0] + best[-1] * 0.5


def dict_pop(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    a = d.pop("a")
    z = d.pop("z", 1.5)
    return a * d["b"] + z * d["c"] + len(d)


def dict_pop_loop(x):
    pending = {"a": x[0], "b": x[1], "c": x[2]}
    acc = 0.0
    for k in ("c", "a"):
        acc = acc * x[3] + pending.pop(k)
    return acc + pending["b"] * len(pending)


def del_dict_entry(x):
    d = {"a": x[0], "b": x[1]}
    del d["a"]
    return d["b"] ** 2 + len(d)


def del_list_entry(x):
    xs = [x[0], x[1], x[2], x[3]]
    del xs[1]
    del xs[-1]
    return xs[0] * xs[1]


def del_in_branch(x):
    xs = [x[0], x[1], x[2]]
    if x[3] > 0:
        del xs[0]
    return sum(v * v for v in xs) * len(xs)


def del_name(x):
    tmp = x * 2.0
    y = np.sin(tmp)
    del tmp
    return np.sum(y)


def try_finally_loop(x):
    acc = 0.0
    for i in range(3):
        try:
            y = np.sin(x[i]) * acc
        finally:
            acc = acc + x[i] ** 2
        acc = acc + y
    return acc


def try_finally_nested(x):
    try:
        try:
            a = np.tanh(x)
        finally:
            b = a * 2.0
        c = np.sum(a * b)
    finally:
        scale = 0.5
    return c * scale


def read_then_overwrite(a):
    a = a.copy()
    v = a[0, 1]
    a[0, 1] = v * v
    return np.sum(a) + v * 3.0


def read_then_overwrite_loop(a):
    a = a.copy()
    acc = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            v = a[i, j]
            a[i, j] = v * v + 0.1
            acc = acc + v * a[i, j]
    return acc + np.sum(a)


def read_then_overwrite_tuple(a):
    b = np.array(a)
    idx = (1, 0)
    v = b[idx]
    b[idx] = v * 3.0
    return v * np.sum(b)


def heat_double_buffer(u0):
    old = u0.copy()
    new = np.zeros_like(u0)
    n = len(u0)
    for _ in range(4):
        for i in range(1, n - 1):
            new[i] = old[i] + 0.1 * (old[i - 1] - 2.0 * old[i] + old[i + 1])
        new[0] = old[0]
        new[n - 1] = old[n - 1]
        old, new = new, old
    return np.sum(old**2) + new[1]


def wave_leapfrog(u0):
    u = u0.copy()
    u_prev = u0 * 0.9
    for _ in range(4):
        u_next = 2.0 * u - u_prev + 0.01 * np.sin(u)
        u, u_prev = u_next, u
    return np.sum(u**2)


def rotate_three_buffers(u0):
    a = u0.copy()
    b = np.zeros_like(u0)
    c = np.ones_like(u0)
    for _ in range(4):
        c[0] = a[0] * b[1] + 1.0
        c[1] = a[1] + b[0]
        a, b, c = b, c, a
    return np.sum(a * b) + np.sum(c)


def swap_lists(u0):
    a = [u0[0], u0[1]]
    b = [0.0, 0.0]
    for _ in range(3):
        b[0] = a[0] * a[1]
        b[1] = a[1] + 1.0
        a, b = b, a
    return a[0] + a[1] * b[0]


def lambdas_with_defaults(x):
    fs = [lambda v, k=k: v * k for k in range(3)]
    return sum(f(x) for f in fs) ** 2


def lambdas_late_binding(x):
    # Python: every lambda reads the comprehension's k when called, which is then 3
    fs = [lambda v: v * k for k in range(1, 4)]  # noqa: B023
    return fs[0](x) + fs[1](x) * x


def lambdas_over_weights(x):
    ws = [0.5, 1.5]
    fs = [lambda v, i=i: np.sin(v * ws[i]) for i in range(2)]
    out = 0.0
    for f in fs:
        out = out + np.sum(f(x) ** 2)
    return out


def lambdas_powers(x):
    k = 10.0
    fs = [lambda v, p=p: v**p + k for p in (1, 2, 3)]
    return fs[0](x) * fs[2](x) + fs[1](x)


def _total(*xs):
    return sum(xs)


def _weighted_sum(*xs, scale=1.0):
    return scale * sum(w * v for w, v in zip((1.0, 2.0, 3.0), xs))


def _affine(x, scale=1.0, shift=0.0):
    return x * scale + shift


def _affine_kw(x, **kw):
    return _affine(x, **kw)


def _opts(x, **kw):
    return x * kw.get("w", 1.0) + kw.get("b", 0.0) + len(kw)


def _forward_all(*xs, **kw):
    return _weighted_sum(*xs, **kw) + _total(*xs)


def star_args_sum(x):
    return _total(x[0], x[1] * 2.0, x[2]) ** 2 + _total(x[3])


def star_args_keyword_only(x):
    return _weighted_sum(x[0], x[1], x[2], scale=x[3]) * x[0]


def kwargs_pass_through(x):
    return np.sum(_affine_kw(x, scale=2.0, shift=x[0]) ** 2) + np.sum(_affine_kw(x))


def kwargs_get(x):
    return _opts(x[0], w=x[1]) * _opts(x[2], b=x[3], w=2.0)


def star_args_and_kwargs(x):
    return _forward_all(x[0], x[1], x[2], scale=x[3]) * x[1]


def numpy_kwargs_dict(x):
    kw = {"axis": 0}
    return np.sum(np.sum(x**2, **kw) * np.arange(1.0, 5.0))


def stack_pop_pairs(x):
    stack = [x[0], x[1], x[2], x[3]]
    while len(stack) > 1:
        b, a = stack.pop(), stack.pop()
        stack.append(a * b + 0.5)
    return stack[0]


def list_of_array_reversed(x):
    xs = list(x)
    xs.reverse()
    return xs[0] * 2.0 + xs[-1] * xs[1]


V4 = np.array([0.5, -1.2, 2.3, 0.1])
V4N = np.array([0.5, -1.2, 2.3, -0.1])
M22 = np.array([[0.3, -0.7], [1.1, 0.4]])

CASES = [
    Case(pop_in_for, (V4,), (0,), extra="hvp"),
    Case(pop_front_while, (V4,), (0,), extra="hvp"),
    Case(insert_in_branch, (V4,), (0,), extra="hvp"),
    Case(insert_in_branch, (V4 * -1.0,), (0,), name="users_idioms2.insert_in_branch_neg"),
    Case(insert_front_loop, (V4,), (0,), extra="hvp"),
    Case(stack_machine, (V4,), (0,), extra="hvp"),
    Case(stack_machine, (V4N,), (0,), name="users_idioms2.stack_machine_neg"),
    Case(copy_sort, (V4,), (0,), extra="hvp"),
    Case(list_sort_reverse, (V4,), (0,), extra="hvp"),
    Case(list_sort_key, (V4,), (0,)),
    Case(sort_in_loop, (V4,), (0,), extra="hvp"),
    Case(dict_pop, (V4,), (0,), extra="hvp"),
    Case(dict_pop_loop, (V4,), (0,), extra="hvp"),
    Case(del_dict_entry, (V4,), (0,), extra="hvp"),
    Case(del_list_entry, (V4,), (0,), extra="hvp"),
    Case(del_in_branch, (V4,), (0,), extra="hvp"),
    Case(del_in_branch, (V4N,), (0,), name="users_idioms2.del_in_branch_neg"),
    Case(del_name, (V4,), (0,), extra="hvp"),
    Case(try_finally_loop, (V4,), (0,), extra="hvp"),
    Case(try_finally_nested, (V4,), (0,), extra="hvp"),
    Case(read_then_overwrite, (M22,), (0,), extra="hvp"),
    Case(read_then_overwrite_loop, (M22,), (0,), extra="hvp"),
    Case(read_then_overwrite_tuple, (M22,), (0,), extra="hvp"),
    Case(heat_double_buffer, (np.linspace(0.0, 1.0, 6) ** 2,), (0,), extra="hvp"),
    Case(wave_leapfrog, (V4,), (0,), extra="hvp"),
    Case(rotate_three_buffers, (V4[:2].copy(),), (0,), extra="hvp"),
    Case(swap_lists, (V4[:2].copy(),), (0,), extra="hvp"),
    Case(lambdas_with_defaults, (0.7,), (0,), extra="hvp"),
    Case(lambdas_late_binding, (0.7,), (0,), extra="hvp"),
    Case(lambdas_over_weights, (V4,), (0,), extra="hvp"),
    Case(lambdas_powers, (0.7,), (0,), extra="hvp"),
    Case(star_args_sum, (V4,), (0,), extra="hvp"),
    Case(star_args_keyword_only, (V4,), (0,), extra="hvp"),
    Case(kwargs_pass_through, (V4,), (0,), extra="hvp"),
    Case(kwargs_get, (V4,), (0,), extra="hvp"),
    Case(star_args_and_kwargs, (V4,), (0,), extra="hvp"),
    Case(numpy_kwargs_dict, (np.array([[0.3, -0.2, 0.5, 1.0], [1.1, 0.4, -0.7, 0.2]]),), (0,)),
    Case(stack_pop_pairs, (V4,), (0,), extra="hvp"),
    Case(list_of_array_reversed, (V4,), (0,), extra="hvp"),
]
