"""Programs srcad used to refuse for aliasing that Python's semantics decide, session 16
(`refuse16`):

- ``for row in A:`` whose body writes into `A` itself (``A[i, j] = v``, ``A *= c``) and reads
  `row` after: NumPy's rows are views, so the write shows through `row`; lower/viewwrites.py
  runs the loop over positions (``row = A[k]``, lower/rowloops.py) and reads `A[k]` for `row`
  (`A` a base made here of two or more dimensions, ``np.vstack``/``np.stack``/
  ``np.concatenate``/``np.hstack`` results included, or an argument or copy written with a
  tuple index, asserted a 2-D array when the loop starts);
- ``r.fill(v)`` through a view or a second name with a value `v` that is no number constant
  (``r.fill(x[0] * 2.0)``): ``r[...] = v`` after asserting `v` has no dimensions
  (lower/viewfill.py; NumPy's ``fill`` raises for any other);
- ``np.f(..., out=y)`` of an argument `y` (its update written back by lower/argcopy.py) and
  through a second name of the array (``d = c; np.add(a, b, out=c)``, ``t = x;
  np.add(y, 1.0, out=t)``);
- a helper holding a nested ``def`` that writes a global array but that nothing calls or names
  (it never runs: lower/argcopy.py no longer takes the global as the helper's update);
- a ``math`` function's value is a Python number (rules/facts.py: `immutable`), so ``s -= c``
  rebinds `s` and leaves a list holding the old `s` alone (``math.prod``, ``floor``, ``ceil``,
  ``trunc``, ``sumprod`` excepted: their value is what the operands make, an array of arrays).

Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/corpus/test_second_order.py); tests/lower/test_views16.py holds the neighbours that
must stay refused or right."""

from __future__ import annotations

import math

import numpy as np

from . import Case

V3 = np.array([0.31, -0.72, 1.13])
M23 = np.array([[0.5, -0.4, 1.1], [0.9, 0.2, -0.6]])


def rows_of_stack_base_written(x):
    b = np.stack([x, x * 2.0])
    s = 0.0
    for r in b:
        b[-1, 0] += x[1]
        s = s + np.sum(r * x)
    return s + np.sum(b)


def rows_scaled_in_place(x):
    b = np.outer(x, x[:2])
    s = 0.0
    for i, r in enumerate(b):
        b *= 0.9
        s = s + np.sum(r) * (i + 1)
    return s + np.sum(b**2)


def rows_read_between_writes(x):
    b = np.outer(x, x) + 1.0
    s = 0.0
    for i, r in enumerate(b):
        s = s + r[0]
        b[(i + 1) % 3, 0] = s * x[i]
        s = s + np.sum(r)
        if s > 50.0:
            break
    return s + np.sum(b**2)


def rows_of_vstack(x):
    b = np.vstack([np.sin(x), x * x])
    out = 0.0
    for r in b:
        b[1, 1:] = b[1, 1:] * 0.5 + r[0]
        out = out + np.sum(r**2)
    return out


def argument_rows_written(m, x):
    s = 0.0
    for r in m:
        for j in range(1, 3):
            m[-2, j] = x[j] * 2.0
        s = s + np.sum(r - r * x)
    return s + np.sum(m)


def copy_rows_written(m):
    b = m.copy()
    s = 0.0
    for r in b:
        b[0, 1] = s
        s = s + np.sum(r**2)
    return s


def fill_row_with_value(x):
    a = np.zeros((2, 3))
    r = a[1]
    r.fill(x[0] * 2.0)
    return np.sum(a * x)


def fill_row_reading_itself(x):
    a = np.outer(x, x)
    r = a[1]
    r.fill(r[0] * 2.0 + x[2])
    return np.sum(a * a)


def fill_seen_through_alias(x):
    a = np.zeros(3)
    b = a
    a.fill(x[0] * x[1])
    return np.sum(b * x)


def out_into_argument(x):
    np.multiply(x, 2.0, out=x)
    return np.sum(x**2)


def out_seen_through_alias(x):
    c = np.empty(3)
    d = c
    np.add(x, np.sin(x), out=c)
    return np.sum(d * x)


def out_through_argument_alias(x, y):
    t = x
    np.add(y, 1.0, out=t)
    return np.sum(x * y)


GW = np.array([0.3, -1.2, 0.8])


def _helper_with_dead_def(m):
    if np.sum(m) > 100.0:

        def never(t):
            GW[1] = t * 2.0
            return t

    return np.sum(m**2) + GW[0]


def dead_def_in_helper(x):
    return _helper_with_dead_def(np.stack([x, x * 2.0])) * x[1]


def math_value_rebound(x):
    s = math.tanh(np.linalg.norm(x))
    kept = [s, 1.0]
    for _ in range(2):
        s -= math.cos(s) * x[0]
    return s + kept[0] * x[2]


def argument_rebound_then_aliased(x):
    x = np.outer(x, x)
    t = x
    x[0, 1] = 5.0 * t[1, 1]
    return np.sum(t * t)


def argument_rebound_then_viewed(x):
    x = x * 2.0
    r = x[1:]
    r *= 3.0
    return np.sum(x**2)


CASES = [
    Case(f, (V3.copy(),), (0,), extra="hvp")
    for f in (
        rows_of_stack_base_written,
        rows_scaled_in_place,
        rows_read_between_writes,
        rows_of_vstack,
        fill_row_with_value,
        fill_row_reading_itself,
        fill_seen_through_alias,
        out_into_argument,
        out_seen_through_alias,
        dead_def_in_helper,
        math_value_rebound,
        argument_rebound_then_aliased,
        argument_rebound_then_viewed,
    )
] + [
    Case(argument_rows_written, (M23.copy(), V3.copy()), (0, 1), extra="hvp"),
    Case(copy_rows_written, (M23.copy(),), (0,), extra="hvp"),
    Case(out_through_argument_alias, (V3.copy(), V3[::-1].copy()), (0, 1), extra="hvp"),
]
