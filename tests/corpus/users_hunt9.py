"""User-style programs of soundness hunt 9, accepted and right: augmented assignments and writes
through a subscript of a subscript of an array made in the function (``u[0][1:] *= 2``,
``u[1:][0] += v``, ``u[:, 1][::-1] += w``, a row of a dict's or a list's array). Checked
forward, reverse and (``extra="hvp"``) at second order (tests/corpus/test_second_order.py)."""

from __future__ import annotations

import numpy as np

from . import Case

M3 = np.array([[0.3, -0.5, 0.9], [1.2, 0.4, -0.8], [0.1, 0.6, -0.2]])


def row_slice_aug(x):
    u = np.array(x)
    u[0][1:] *= x[1, 1:]
    u[2][:2] += np.sin(x[0, :2])
    return np.sum(u**2)


def slice_row_aug(x):
    u = x * 1.0
    u[1:][0] += x[0] ** 2
    return np.sum(np.sin(u))


def column_reversed_aug(x):
    u = np.array(x)
    u[:, 1][::-1] += x[:, 0]
    return np.sum(np.sin(u) * u)


def column_element_aug(x):
    u = np.copy(x)
    u[:, 1][1] -= 2.0 * x[0, 0]
    return np.sum(u**3)


def grid_update_chained(x):
    u = np.array(x)
    for i in range(1, u.shape[0]):
        u[i][1:] += 0.5 * u[i - 1][:-1]
    return np.sum(np.tanh(u))


def dict_row_aug(x):
    d = {"w": np.array(x), "b": 0.5}
    d["w"][0] *= x[1]
    d["w"][1:] -= d["b"] * x[2]
    return np.sum(d["w"] ** 2)


CASES = [
    Case(f, (M3.copy(),), (0,), extra="hvp")
    for f in (
        row_slice_aug,
        slice_row_aug,
        column_reversed_aug,
        column_element_aug,
        grid_update_chained,
        dict_row_aug,
    )
]
