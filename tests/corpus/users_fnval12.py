"""Functions as values and recursion (session 12, `fnval12`): functions made in a loop over
constants and kept in a list (``fs.append(g)`` of a nested def or lambda, its loop variable bound
early by a default or read late, when the function is called: Python's late binding), loops over
constants making and calling a function each round (lower/fnlists.py); a nested function called
inside a comprehension reads its own scope's variable of the comprehension target's name, not the
comprehension's (WRONG before: ``sum(g(x) for i in range(3))`` with ``g`` reading the function's
``i`` gave 2.7 for Python's 27.0; lower/closures.unshadow); recursive nested functions whose
depth is known only at run time (a list's or an array's length, a tolerance: lifted to a function
of their own, lower/recursion.py; refused before: "the nested function `rec` is recursive");
a factory's function updating the factory's variables (``nonlocal total``: a counter, a running
state; lower/fnstate.py), called in sequence (refused before: "... writes a variable of the
function around it"); a list of lambdas made by a comprehension over an array's rows, its
item bound by a default (``[lambda z, row=row: ... for row in m]``, lower/fnrows.py); a nested
function or lambda passed to another nested function (a JAX-style ``scan(step, init, xs)``
written inside the loss, ``apply(lambda z: z * w, x)``: carried with the caller's environment,
lower/closures._function_args).
Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/lower/test_fnval12.py)."""

from __future__ import annotations

import numpy as np

from . import Case

V3 = np.array([0.4, -0.7, 1.2])
B = np.array([0.3, -1.1, 0.7])


def appended_defaults(a):
    fs = []
    for i in range(3):

        def g(z, i=i):
            return z * (i + 1.0) + np.sin(B * a)

        fs.append(g)
    return np.sum(sum(g(a) for g in fs))


def appended_late(a):
    fs = []
    for w in (a, B * a):

        def g(z):
            return z * w  # noqa: B023 - late binding meant

        fs.append(g)
    return np.sum(fs[0](a) - fs[1](B))


def appended_late_index(a):
    fs = []
    for i in range(3):

        def g(z):
            return z * (i + 1.0)  # noqa: B023 - late binding meant

        fs.append(g)
    i = 7
    return np.sum(fs[0](a) * fs[1](np.cos(a)))


def appended_lambdas(a):
    fs = [np.tanh]
    for k in (1.0, 2.0, 3.0):
        fs.append(lambda z: np.sin(z) * k)  # noqa: B023 - late binding meant
    for k2 in (0.5, 1.5):
        fs.append(lambda z, k2=k2: z**2 * k2)
    y = a
    for f in fs:
        y = f(y)
    return np.sum(y) + len(fs)


def appended_with_continue(a):
    fs = []
    for i in range(4):
        if i == 2:
            continue

        def g(z, i=i):
            return z * i + np.cos(z)

        fs.append(g)
    return np.sum(fs[-1](a) * fs[0](a)) + len(fs)


def step_per_round(a):
    t = a * 1.0
    for k in range(3):

        def step(z):
            return np.tanh(z) * (k + 1.0) * 0.5 + t * 0.1  # noqa: B023 - called at once

        t = step(t)
    return np.sum(t)


def comprehension_target_shadow(a):
    i = 10.0

    def g(z):
        return z * i

    return np.sum(sum(g(a) for i in range(3)))


def comprehension_target_shadow_lambda(a):
    i = 10.0
    g = lambda z: z * np.sin(i * z)  # noqa: E731
    return np.sum([g(a) for i in range(3)])


def halving_recursion(a):
    def rec(z):
        if len(z) <= 1:
            return np.sum(np.sin(z))
        k = len(z) // 2
        return rec(z[:k]) * 0.5 + np.cos(rec(z[k:]))

    return rec(np.concatenate([a, a * 2.0]))


def list_tail_recursion(a):
    def tot(xs):
        if not xs:
            return 0.0
        return xs[0] ** 2 + 0.5 * tot(xs[1:])

    return tot(list(a))


def recursion_reading_enclosing(a):
    w = np.cos(a)

    def rec(z):
        if len(z) <= 1:
            return np.sum(np.sin(z * w[: len(z)]))
        k = len(z) // 2
        return rec(z[:k]) * 0.5 + np.cos(rec(z[k:])) * w[0]

    return rec(a * 2.0)


def recursion_enclosing_rebound(a):
    w = 2.0

    def tot(xs):
        if len(xs) == 0:
            return 0.0
        return xs[0] * w + tot(xs[1:])

    r1 = tot(list(a))
    w = a[1]
    return r1 + tot(list(a * a))


def recursion_to_tolerance(a):
    def shrink(z):
        if float(np.sum(z * z)) < 0.05:
            return z
        return shrink(0.7 * z + 0.01 * np.sin(z))

    return np.sum(shrink(a))


def recursion_constant_depth(a):
    def rec(z, n):
        if n == 0:
            return z
        return rec(np.tanh(z) * 0.9 + 0.1, n - 1) + 0.1 * z

    return np.sum(rec(a, 3))


def counter_factory(a):
    def make():
        total = 0.0

        def add(z):
            nonlocal total
            total = total + np.sum(z**2)
            return total

        return add

    t = make()
    t(a)
    return t(B * a) * 1.0


def _make_running(s):
    total = s

    def add(z):
        nonlocal total
        total = total * 0.5 + np.sum(np.sin(z))
        return total

    return add


def two_running_states(a):
    t1 = _make_running(1.0)
    t2 = _make_running(a[0])
    t1(a)
    t2(a * 2.0)
    t1(a * a)
    u = t2
    u(B)
    return t1(a) + t2(B * a)


def counter_in_unrolled_loop(a):
    def make():
        n = 0
        acc = 0.0

        def add(z):
            nonlocal n, acc
            n += 1
            acc = acc + z * n
            return acc

        return add

    t = make()
    for k in range(3):
        t(a[k])
    return t(1.0)


def lambdas_over_rows(a):
    m = np.outer(a, B)
    fs = [lambda z, row=row: np.sum(z * row) for row in m]
    return sum(g(B) for g in fs) * a[0]


def lambdas_over_rows_looped(a):
    m = np.outer(a, B)
    fs = [lambda z, row=row: np.tanh(z * row) for row in m]
    y = a
    for g in fs:
        y = g(y) + 0.1
    return np.sum(y)


def lambdas_over_rows_indexed(a):
    m = np.outer(a, B)
    fs = [lambda z, row=row, c=2.0: np.sum(z * row) * c for row in m]
    k = 1
    return fs[0](a) + fs[-1](B) + fs[k](a * a) + len(fs)


def lambdas_over_zip(a):
    fs = [lambda z, p=p, q=q: z * p + q for p, q in zip(a, B)]
    return sum(f(1.5) for f in fs if f(1.5) > -5.0)


def nested_apply(a):
    w = np.sin(a)

    def apply(g, v):
        return g(v) * 2.0

    return np.sum(apply(lambda z: z * w, a) + apply(np.tanh, a))


def nested_apply_shadowing(a):
    w = np.sin(a)

    def apply(g, v):
        w = 100.0  # the helper's own `w`: the lambda reads the caller's
        return g(v) + w

    return np.sum(apply(lambda z: z * w, a))


def nested_compose(a):
    def compose(f, g):
        return lambda x: f(g(x))

    h = compose(np.sin, lambda z: z * 2.0)
    return np.sum(h(a))


def nested_scan(a):
    def scan(f, init, xs):
        c = init
        ys = []
        for x in xs:
            c, y = f(c, x)
            ys.append(y)
        return c, np.stack(ys)

    W = np.outer(a, B)

    def step(h, x):
        h = np.tanh(W @ h + x)
        return h, np.sum(h)

    h, ys = scan(step, np.zeros(3), [a, B, a * B])
    return np.sum(h) + np.sum(ys)


def nested_twice(a):
    def twice(g, v):
        return g(g(v))

    def inc(z):
        return np.sin(z) + a[0]

    return np.sum(twice(inc, a))


def recursion_in_a_loop_with_break(a):
    t = a
    for _ in range(3):

        def rec(z, n):
            if n == 0:
                return z
            return rec(np.sin(z), n - 1)

        t = rec(t, 2)
        if float(np.sum(t)) > 5.0:
            break
    return np.sum(t)


def functions_made_in_nested_loops(a):
    t = 0.0
    for k in range(2):
        fs = []
        for i in range(3):

            def g(z, i=i):
                return z * (i + 1.0) + np.sin(a[0])

            fs.append(g)
        t = t + sum(g(a * (k + 1.0)) for g in fs)
    return np.sum(t)


def lambdas_over_rows_in_a_comprehension(a):
    v = 10.0
    m = np.outer(a, B)
    fs = [lambda z, row=row: np.sum(z * row) * v for row in m]
    return sum(g(u) for u in (a, B) for g in fs)


def recursion_called_in_a_comprehension(a):
    w = 10.0

    def tot(xs):
        if len(xs) == 0:
            return 0.0
        return xs[0] * w + tot(xs[1:])

    # tot reads the function's w (10.0), not the comprehension's (lifted: 4.5 for 27.0 before
    # lower/recursion.py read the captured values in the function's scope)
    return sum(tot(a * w) for w in (1.0, 2.0))


CASES = [
    Case(appended_defaults, (V3,), (0,), extra="hvp"),
    Case(appended_late, (V3,), (0,), extra="hvp"),
    Case(appended_late_index, (V3,), (0,), extra="hvp"),
    Case(appended_lambdas, (V3,), (0,), extra="hvp"),
    Case(appended_with_continue, (V3,), (0,), extra="hvp"),
    Case(step_per_round, (V3,), (0,), extra="hvp"),
    Case(comprehension_target_shadow, (V3,), (0,), extra="hvp"),
    Case(comprehension_target_shadow_lambda, (V3,), (0,), extra="hvp"),
    Case(halving_recursion, (V3,), (0,), extra="hvp"),
    Case(list_tail_recursion, (V3,), (0,), extra="hvp"),
    Case(recursion_reading_enclosing, (V3,), (0,), extra="hvp"),
    Case(recursion_enclosing_rebound, (V3,), (0,), extra="hvp"),
    Case(recursion_to_tolerance, (V3,), (0,), extra="hvp"),
    Case(recursion_constant_depth, (V3,), (0,), extra="hvp"),
    Case(counter_factory, (V3,), (0,), extra="hvp"),
    Case(two_running_states, (V3,), (0,), extra="hvp"),
    Case(counter_in_unrolled_loop, (V3,), (0,), extra="hvp"),
    Case(lambdas_over_rows, (V3,), (0,), extra="hvp"),
    Case(lambdas_over_rows_looped, (V3,), (0,), extra="hvp"),
    Case(lambdas_over_rows_indexed, (V3,), (0,), extra="hvp"),
    Case(lambdas_over_zip, (V3,), (0,), extra="hvp"),
    Case(nested_apply, (V3,), (0,), extra="hvp"),
    Case(nested_apply_shadowing, (V3,), (0,), extra="hvp"),
    Case(nested_compose, (V3,), (0,), extra="hvp"),
    Case(nested_scan, (V3,), (0,), extra="hvp"),
    Case(nested_twice, (V3,), (0,), extra="hvp"),
    Case(recursion_in_a_loop_with_break, (V3,), (0,), extra="hvp"),
    Case(functions_made_in_nested_loops, (V3,), (0,), extra="hvp"),
    Case(lambdas_over_rows_in_a_comprehension, (V3,), (0,), extra="hvp"),
    Case(recursion_called_in_a_comprehension, (V3,), (0,), extra="hvp"),
]
