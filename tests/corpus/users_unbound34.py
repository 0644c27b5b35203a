"""Programs reading names a path may leave without a value, on the paths that bind them
(session 34, `unbound34`): the reads after a loop that may not run, in a branch, of a loop
variable, of a value bound before a ``break``, in a method, and a handler's ``except E as e``.

srcad checks each such read at run time (lower/unbound.py: ``_srcad.bound(y, 'y')``, Python's
UnboundLocalError when the path left none; tests/soundness/test_unbound34.py); where every
path binds the value the derivatives are those of the value read, forward, reverse and
(``extra="hvp"``) at second order."""

from __future__ import annotations

import numpy as np

from . import Case

X5 = np.array([0.4, -0.7, 1.3, 0.25, -1.1])


def last_hidden_state(x):
    h0 = np.tanh(x)
    for i in range(len(x)):
        h = np.tanh(h0 * x[i] + 0.1 * i)
    return np.sum(h**2)


def loop_variable_after_loop(x):
    s = 0.0
    for i in range(len(x)):
        s = s + x[i] ** 2 * (i + 1.0)
    return s * i


def value_before_break(x):
    k = 0
    while k < 10:
        best = np.sin(x) * (k + 1.0)
        k += 1
        if np.sum(best**2) > 1.0:
            break
    return np.sum(best * x)


def bound_in_taken_branch(x):
    if np.sum(x**2) > 0.5:
        scale = np.exp(0.3 * x)
    return np.sum(scale * x)


class Smoother:
    def __init__(self, width):
        self.width = width

    def apply(self, x):
        for j in range(self.width):
            out = np.convolve(x, np.ones(j + 1) / (j + 1.0), mode="same")
        return out


SMOOTH = Smoother(3)


def method_reads_loop_value(x):
    return np.sum(SMOOTH.apply(x) ** 2)


def handler_fallback(x):
    try:
        y = np.linalg.solve(np.outer(x[:2], x[:2]) + np.eye(2), x[2:4])
    except np.linalg.LinAlgError as err:  # noqa: F841 (deleted when the handler ends)
        y = x[2:4]
    return np.sum(y**2)


CASES = [
    Case(last_hidden_state, (X5,), (0,), extra="hvp"),
    Case(loop_variable_after_loop, (X5,), (0,), extra="hvp"),
    Case(value_before_break, (X5,), (0,), extra="hvp"),
    Case(bound_in_taken_branch, (X5,), (0,), extra="hvp"),
    Case(method_reads_loop_value, (X5,), (0,), extra="hvp"),
    Case(handler_fallback, (X5,), (0,), extra="hvp"),
]
