"""Closures reading a second name of an array the function then writes into (session 40).

A nested def or lambda reads its free names when it runs: after ``buf = state`` or ``row =
grid[1]`` and a write through the other name, it sees the written object (lower/chained.py
`_sync`, lower/viewwrites.py `sync`).
"""

from __future__ import annotations

import numpy as np

from tests.corpus import Case

_RNG = np.random.default_rng(40)


def ema_with_alias(x):
    """An exponential moving average kept in `state`; the loss closure reads it as `avg`."""
    state = np.zeros_like(x)
    avg = state

    def loss(t):
        return np.sum((t - avg) ** 2)

    total = 0.0
    for k in range(3):
        state *= 0.5
        state += 0.5 * np.sin(x * (k + 1))
        total = total + loss(x)
    return total


def stencil_row_view(x):
    """A 3x3 grid built from `x`, a closure over its middle row's view, the grid updated."""
    grid = np.outer(x, x) + 1.0
    mid = grid[1]
    energy = lambda w: np.sum(w * mid**2)  # noqa: E731
    first = energy(x)
    grid[1, 0] = np.tanh(x[2])
    grid[:, 2] *= x[0]
    return first + energy(x)


def transpose_closure_in_loop(x):
    """A Gram-like matrix read through its transpose by a helper closure, filled row by row."""
    a = np.eye(3) * 0.5
    at = a.T

    def proj(v):
        return v @ at @ v

    s = 0.0
    for i in range(3):
        a[i] = a[i] + x[i] * x
        s = s + proj(x) * 0.1
    return s


CASES = [
    Case(ema_with_alias, (_RNG.standard_normal(4),), (0,), extra="hvp"),
    Case(stencil_row_view, (_RNG.standard_normal(3),), (0,), extra="hvp"),
    Case(transpose_closure_in_loop, (_RNG.standard_normal(3),), (0,), extra="hvp"),
]
