"""Standard-library and small NumPy idioms srcad used to refuse (session 6, `stdlib`): two-input
ufuncs' ``.outer`` (``np.add.outer``, ``np.subtract.outer``, ``np.maximum.outer``: NumPy's
definition, lower/library_np.ufunc_outer), ``math.modf`` (``np.modf``'s parts as Python floats),
``np.extract`` (NumPy's ``take`` of the nonzero positions), and ``sum``/``max``/``min`` of a
dict (its keys: no derivative; they crashed). Each checked forward, reverse and at second order."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def add_outer(x):
    return np.sum(np.add.outer(x, x) ** 2) + np.sum(np.subtract.outer(x[:2], x) * x[0])


def maximum_outer(x):
    return np.sum(np.maximum.outer(x, 0.5 * x) * x[1]) + np.sum(np.divide.outer(x, x + 2.0))


def outer_scalars(x):
    return np.add.outer(x[0], x[1]) * np.power.outer(x, 2.0)[1]


def outer_matrix(x):
    return np.sum(np.add.outer(np.outer(x, x), x[:2]) ** 2)


def modf_parts(x):
    fr = math.modf(x[0] * 3.0)[0]
    return fr * x[1] + math.modf(-x[2])[0] ** 2 + math.modf(x[1])[1]


def extract_mask(x):
    return np.sum(np.extract(x > 0.5, x) ** 2) + np.sum(np.extract([1, 0, 1], x * x[0]))


def dict_keys_reduced(x):
    d = {1.0: x[0], 2.0: x[1]}
    return sum(d) * x[0] + max(d) * x[1] + min(d) * x[2] + sum(d.values()) * x[2]


V3 = np.array([0.3, 0.7, 1.1])

CASES = [
    Case(add_outer, (V3,), (0,), extra="hvp"),
    Case(maximum_outer, (V3,), (0,), extra="hvp"),
    Case(outer_scalars, (V3,), (0,), extra="hvp"),
    Case(outer_matrix, (V3,), (0,), extra="hvp"),
    Case(modf_parts, (V3,), (0,), extra="hvp"),
    Case(extract_mask, (V3,), (0,), extra="hvp"),
    Case(dict_keys_reduced, (V3,), (0,), extra="hvp"),
]
