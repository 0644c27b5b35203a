"""Ported cases (session 22, hunt22f), after what this hunt fixed: object arrays used as
containers of numbers and arrays (``np.empty(n, dtype=object)``, ``np.array([None] * n)``,
``np.zeros(n, dtype=object)``; their stores' derivatives were dropped before), NumPy scalar
arguments updated through an alias with ``op=`` (refused before; the float32 cases are in
tests/soundness/test_hunt22.py: central differences in float32 are too coarse for this harness).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case


def obj_scalars(x):
    box = np.empty(2, dtype=object)
    box[0] = x
    box[1] = 2.0 * x
    return box[0] * box[1]


def obj_arrays(w):
    box = np.empty(2, dtype=object)
    box[0] = w * 2.0
    box[1] = np.sin(w)
    return np.sum(box[0] * box[1])


def obj_ragged_loop(w):
    box = np.empty(3, dtype=object)
    for i in range(3):
        box[i] = w[: i + 1] * (i + 1)
    total = 0.0
    for arr in box:
        total = total + np.sum(arr**2)
    return total


def obj_none_filled(w):
    box = np.array([None, None])
    for i in range(2):
        box[i] = w[i] ** 2
    return box[0] + box[1] * 3.0


def obj_zeros_iadd(w):
    box = np.zeros(3, dtype=object)
    box[1] = w[0] ** 2
    box[2] += w[1]
    return box[1] + box[2] * 3 + np.tanh(w[2])


def obj_sum_scale(w):
    box = np.empty(2, dtype=object)
    box[0] = w[0]
    box[1] = w[1]
    box = box * 2.0
    return box.sum() ** 2 + box[0] * box[1]


def npscalar_running(x):
    acc = x
    for _ in range(4):
        acc *= 1.0 + 0.1 * x
    return acc


def npscalar_list_item(x):
    t = [x, x * 2.0]
    t[0] += t[1]
    t[1] *= t[0]
    return t[0] + t[1]


W3 = np.array([0.3, -0.5, 0.7])
CASES = [
    Case(obj_scalars, (0.7,), (0,), extra="hvp"),
    Case(obj_arrays, (W3,), (0,), extra="hvp"),
    Case(obj_ragged_loop, (W3,), (0,), extra="hvp"),
    Case(obj_none_filled, (W3,), (0,), extra="hvp"),
    Case(obj_zeros_iadd, (W3,), (0,), extra="hvp"),
    Case(obj_sum_scale, (W3,), (0,), extra="hvp"),
    Case(npscalar_running, (np.float64(0.7),), (0,), extra="hvp"),
    Case(npscalar_list_item, (np.float64(0.7),), (0,), extra="hvp"),
]
