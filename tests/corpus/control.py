"""Branches, several returns, `while`, `break`/`continue`, `pass`."""

from __future__ import annotations

import numpy as np

from . import Case


def piecewise(x):
    if x < -1.0:
        y = -x
    elif x < 1.0:
        y = x * x * 0.5 + 0.5
    else:
        y = x
    return y


def early_return(x, n):
    if n == 0:
        return x
    if n == 1:
        return x * x
    y = np.sin(x)
    if n > 5:
        return y * 2.0
    return y + x


def returns_in_loop(x, thresh):
    y = x
    for _ in range(20):
        y = y * 1.5
        if y > thresh:
            return y - thresh
    return y


def huber(r, delta=1.0):
    a = abs(r)
    if a <= delta:
        return 0.5 * r * r
    else:
        return delta * (a - 0.5 * delta)


def leaky_relu_sum(x):
    total = 0.0
    for v in x:
        if v > 0.0:
            total = total + v
        else:
            total = total + 0.01 * v
    return total


def newton_sqrt(a):
    x = a
    while abs(x * x - a) > 1e-12:
        x = 0.5 * (x + a / x)
    return x


def while_counter(x, n):
    i = 0
    acc = x
    while i < n:
        acc = acc * 0.9 + np.cos(acc)
        i += 1
    return acc


def loop_break(x):
    y = x
    for i in range(100):
        if i >= 4:
            break
        y = y * y * 0.5 + 0.1
    return y


def loop_continue(xs):
    total = 0.0
    for i in range(len(xs)):
        if i % 2 == 1:
            continue
        total = total + xs[i] ** 2
    return total


def while_break_continue(x):
    i = 0
    s = 0.0
    while True:
        i += 1
        if i == 2:
            continue
        if i > 6:
            break
        s = s + x**i / i
    return s


def with_pass(x):
    if x > 0.0:
        pass
    else:
        x = -x
    for _ in range(2):
        pass
    return x * 3.0


def nested_branches(x, y):
    if x > 0.0:
        if y > 0.0:
            r = x * y
        else:
            r = x - y
    else:
        if y > 0.0:
            r = y * y
        else:
            r = x + y
    return r


CASES = [
    Case(piecewise, (-2.0,), (0,), name="control.piecewise_left"),
    Case(piecewise, (0.3,), (0,), name="control.piecewise_mid"),
    Case(piecewise, (2.5,), (0,), name="control.piecewise_right"),
    Case(early_return, (0.7, 0), (0,), name="control.early_return_0"),
    Case(early_return, (0.7, 1), (0,), name="control.early_return_1"),
    Case(early_return, (0.7, 3), (0,), name="control.early_return_3"),
    Case(early_return, (0.7, 9), (0,), name="control.early_return_9"),
    Case(returns_in_loop, (0.3, 4.0), (0, 1)),
    Case(huber, (0.4,), (0,), name="control.huber_quad"),
    Case(huber, (-2.5,), (0,), name="control.huber_lin"),
    Case(leaky_relu_sum, (np.array([0.5, -1.0, 2.0, -0.3]),), (0,)),
    Case(newton_sqrt, (2.0,), (0,), jitter=0.0),
    Case(while_counter, (0.5, 4), (0,)),
    Case(loop_break, (0.8,), (0,)),
    Case(loop_continue, (np.array([1.0, 2.0, -3.0, 0.5, 1.5]),), (0,)),
    Case(while_break_continue, (0.9,), (0,)),
    Case(with_pass, (-1.3,), (0,)),
    Case(nested_branches, (0.5, -0.7), (0, 1)),
    Case(nested_branches, (-0.5, 0.7), (0, 1), name="control.nested_branches_2"),
]
