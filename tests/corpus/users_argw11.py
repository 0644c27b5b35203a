"""Functions that update their own arguments in place (session 11, `argw11`): numerical kernels
written to update buffers (``x *= 2.0``, ``x[0] = v``, a recurrence ``x[i] = x[i - 1] * ...``,
``x[:] = ...``, a helper writing into the argument, a log list appended to). srcad works on a
private copy and writes the final value back into the caller's object (lower/argcopy.py). Each is
checked forward, reverse and (``extra="hvp"``) at second order; tests/soundness/test_argw11.py
checks the caller's objects after every transform."""

from __future__ import annotations

import numpy as np

from . import Case

V4 = np.array([0.31, -0.72, 1.13, 0.57])
M23 = np.array([[0.4, -0.3, 0.8], [1.1, 0.2, -0.6]])


def scale_in_place(x):
    x *= 2.0
    return np.sum(x**2)


def set_element(x):
    x[0] = np.sin(x[1])
    return np.sum(x**2)


def recurrence(x):
    for i in range(1, x.shape[0]):
        x[i] = x[i - 1] * np.cos(x[i])
    return np.sum(x)


def branch_updates(x):
    x[1:] += x[:-1] * 0.5
    if x[0] > 0:
        x *= 3.0
        return np.sum(np.sin(x))
    x -= 1.0
    return np.sum(x * x)


def fill_all(x):
    y = np.tanh(x)
    x[:] = y**2
    return np.sum(x * y)


def row_update(a, w):
    a[0] = a[1] * w
    a[1] -= 0.5 * a[0]
    return np.sum(np.tanh(a)) * w


def _smooth(b, u):
    b[1:-1] = 0.25 * u[:-2] + 0.5 * u[1:-1] + 0.25 * u[2:]


def helper_writes_arg(x):
    u = np.sin(x)
    _smooth(x, u)
    return np.sum(x * u)


def logs_to_list(x, hist):
    s = np.sum(np.exp(x))
    hist.append(float(s))
    return s * len(hist)


def dict_state(x, state):
    state["n"] = state["n"] + 1
    state["last"] = state["n"] * 0.5
    return np.sum(x**3) * state["n"]


def early_return(x):
    x[0] = x[0] * x[1]
    if x[0] > 10.0:
        return np.sum(x)
    x[2] = np.exp(x[3])
    return np.sum(x**2)


CASES = [
    Case(scale_in_place, (V4,), (0,), extra="hvp"),
    Case(set_element, (V4,), (0,), extra="hvp"),
    Case(recurrence, (V4,), (0,), extra="hvp"),
    Case(branch_updates, (V4,), (0,), extra="hvp"),
    Case(fill_all, (V4,), (0,), extra="hvp"),
    Case(row_update, (M23, 0.7), (0, 1)),
    Case(helper_writes_arg, (V4,), (0,), extra="hvp"),
    Case(logs_to_list, (V4, [1.0]), (0,), extra="hvp"),
    Case(dict_state, (V4, {"n": 1, "last": 0.0}), (0,), extra="hvp"),
    Case(early_return, (V4,), (0,), extra="hvp"),
]
