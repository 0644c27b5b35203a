"""Programs srcad used to refuse, session 23 (`refuse23`): aliasing of arrays and lists.

- ``u = np.asarray(w)`` / ``np.asanyarray(w)`` / ``np.asarray(w, dtype=float)`` / ``w.view()`` of
  a local array, then writes through `u` (lower/viewwrites.py: `u` is `w`, checked an ndarray,
  of dtype float64 for the ``dtype=float`` form, when the code runs);
- ``rows.reverse()`` and ``rows.extend([...])`` of a list of arrays, then ``rows[k][j] = v``
  (passes/alias_flow.py: a slice of a list is a list; ``extend`` repeats no element);
- a helper reading ``a = vals[0]; a += c`` of a list of numbers its caller built
  (ad/callfacts.py: the list holds no object, so ``a += c`` rebinds `a`).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse23.py."""

from __future__ import annotations

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def asarray_clamp_first(x):
    w = np.tanh(x) * 2.0
    u = np.asarray(w)
    u[0] = 5.0 * x[1]
    u[-2:] *= x[2]
    return np.sum(w * w) + np.sum(u * x)


def asarray_float_rescale(x):
    w = np.exp(0.3 * x)
    u = np.asarray(w, dtype=float)
    u /= np.sum(u)
    return np.sum(w * np.log(w))


def asanyarray_matrix_row(x):
    m = np.outer(x[:3], x[3:])
    u = np.asanyarray(m)
    u[1, :] = x[:3] ** 2
    return np.sum(np.sin(m))


def view_strided_bump(x):
    w = x * 2.0
    u = w.view()
    u[::2] += x[1::2] ** 2
    return np.sum(w**2) + u[3] * x[0]


def reversed_rows_edit(x):
    rows = [x * 1.0, np.cos(x)]
    rows.reverse()
    rows[0][0] = 0.4 * x[3]
    return np.sum(rows[0] * rows[1])


def extended_rows_edit(x):
    rows = [x**2]
    rows.extend([np.sin(x), x * 3.0])
    rows[1][2] = x[0] * x[5]
    rows[2][1:3] *= x[4]
    return np.sum(rows[0] * rows[1] + rows[2] ** 2)


def _shifted_product(vals, c):
    a = vals[0]
    a += c
    return a * vals[1]


def helper_list_of_numbers(x):
    total = 0.0
    for i in range(5):
        total += _shifted_product([x[i], x[i + 1]], 0.5)
    return total + _shifted_product((x[0] * x[1], 2.0), x[2])


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (
        asarray_clamp_first,
        asarray_float_rescale,
        asanyarray_matrix_row,
        view_strided_bump,
        reversed_rows_edit,
        extended_rows_edit,
        helper_list_of_numbers,
    )
]
