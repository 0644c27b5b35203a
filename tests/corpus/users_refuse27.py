"""Programs srcad used to refuse, session 27 (`refuse27`): spurious refusals users hit.

- slice assignments into a Python list in reverse mode, also when the list grows or shrinks:
  ``ls[1:3] = [a, b]``, ``ls[i:i + 1] = [p, q]`` in a loop, ``ls[:] = ...``, ``ls[::2] = ...``
  (rules/splices.py: the cotangent helpers read the old list's and the written sequence's
  lengths);
- ``try:`` bodies with ``sum(e for v in xs)``, a list comprehension, or a call of the function's
  own ``def h(t): return ..`` / lambda (lower/trybodies.py).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse27.py."""

from __future__ import annotations

import math

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def list_window_replaced(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[1:3] = [x[0] * x[4], np.sin(x[2])]
    return sum(v * v for v in ls) + ls[1] * ls[2]


def list_refined_in_a_loop(x):
    knots = [x[0], x[1]]
    for k in range(3):
        mid = 0.5 * (knots[k] + knots[k + 1]) * x[k + 2]
        knots[k + 1 : k + 1] = [mid]
    return sum(w * (i + 1) for i, w in enumerate(knots)) * knots[-1]


def list_replaced_whole_and_strided(x):
    ls = [x[0], x[1], x[2], x[3], x[4]]
    ls[::2] = [np.tanh(ls[0]), ls[2] * x[5], ls[4] ** 2]
    ls[:] = [a * b for a, b in zip(ls[:-1], ls[1:])]
    return sum(ls) + ls[0] * ls[-1]


def list_of_arrays_spliced(x):
    parts = [x[:2], x[2:4], x[4:]]
    parts[0:2] = [parts[0] * parts[1]]
    parts[1:1] = [np.cos(x[:2]), x[::3] * x[1]]
    return sum(np.sum(p**2) for p in parts) + np.sum(parts[0] * parts[-1])


def try_energy_with_fallback(x):
    def pair(a, b):
        return math.exp(-a * b) / (1.0 + a * a)

    try:
        e = sum(pair(x[k], x[k + 3]) * math.log(x[k + 3]) for k in range(3))
    except ValueError:  # (a negative distance: the quadratic fallback)
        e = float(np.sum((x[:3] - x[3:]) ** 2))
    return e * x[0]


def try_ratios(x):
    scale = lambda v: math.sqrt(v) * x[5]  # noqa: E731
    try:
        rs = [scale(v) / (1.0 + v) for v in x[2:5]]
        out = sum(rs) * rs[0]
    except ValueError:
        out = x[0] * x[1]
    return out + x[2]


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (
        list_window_replaced,
        list_refined_in_a_loop,
        list_replaced_whole_and_strided,
        list_of_arrays_spliced,
        try_energy_with_fallback,
        try_ratios,
    )
]
CASES += [
    Case(f, (np.abs(X6) + 0.1,), (0,), extra="hvp") for f in (try_energy_with_fallback, try_ratios)
]
