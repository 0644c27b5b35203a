"""Programs srcad used to refuse, session 18 (`refuse18`):

- a helper that is accepted when differentiated directly but was refused when another function
  called it, since a helper is checked without its arguments' types (any of them might be a list
  or an array of any rank): a swap ``y[0], y[1] = y[1], y[0]`` of a 1-D copy, a bubble sort with
  ``t = a[j].copy()``, a masked copy updated with ``v *= 0``, ``r = a[0]`` of a 1-D array read
  after ``a[0] = ...``, ``t = s; s += v`` of a number. The caller now hands over what it knows
  of the arguments (numbers, float arrays of a known rank: ad/callfacts.py);
- a NumPy ufunc writing into a view of a local array, ``np.multiply(w, 0.5, out=w)`` with
  ``w = u[1:]`` (idioms fuzz, 6 of 17 refusals at seeds 24200000 x200): written back as
  ``u[1:] = ...`` (lower/inplace_np.py; in a loop `u` is carried: lower/scope.py).
- ``p[0] += v`` on a list argument holding numbers, ``d["b"] += 1.0`` on a dict argument's
  float entry (hunt17 probes/p_argmut.py; fuzz 20400214, 22200081): an item rebound, not an
  object updated; the list is written back as Python leaves it (`Spec.numbers`, the mutation
  check's argument kinds: a list of arrays stays refused).
- a copy of such a list argument updated (``b = list(p); b[1] -= v``, ``p + [1.0]``; control
  fuzz 22200081): the copy holds the list's items, not the list (passes/alias_flow.all_boxes);
- a helper updating an item of a list the call builds of numbers, ``bump([float(x[0]), 2.0],
  v)``, or a NumPy elementwise result, ``edit(np.cos(z))``: a fresh object nothing else holds
  (ad/base._private_temporaries; was "modifies its argument in place").

Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/corpus/test_second_order.py); tests/lower/test_views18.py and
tests/soundness/test_refuse18.py hold the neighbours that must stay refused or right."""

from __future__ import annotations

import numpy as np

from . import Case

V6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def _masked(x):
    y = x * 1.0
    v = y[y > 0]
    v *= 0.5
    return np.sum(y**2) + np.sum(v**2)


def masked_via_helper(z):
    return _masked(z) * 2.0


def _swap_first(x):
    y = x * 1.0
    y[0], y[1] = y[1], y[0]
    return np.sum(y * np.arange(1.0, 1.0 + len(y)))


def swap_via_helper(z):
    return _swap_first(np.sin(z)) + _swap_first(z[::-1])


def _bubble(x):
    a = x.copy()
    n = len(a)
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                t = a[j].copy()
                a[j] = a[j + 1]
                a[j + 1] = t
    return a


def sorted_via_helper(z):
    return np.sum(_bubble(z) * np.arange(1.0, 7.0)) + np.sum(_bubble(z**2)[:2])


def _first_then_edit(a):
    r = a[0]
    a[0] = a[1] * 2.0
    return r * np.sum(a)


def edit_via_helper(z):
    return _first_then_edit(z * 1.0) + _first_then_edit(np.cos(z))


def _product_of_update(s, v):
    t = s
    s += v
    return t * s


def update_via_helper(z):
    return _product_of_update(float(z[0]), z[1]) + _product_of_update(z[2], 1.5)


def scaled_tail(x):
    u = np.array(x)
    w = u[1:]
    np.multiply(w, 0.5, out=w)
    z = np.sin(w) * w
    return np.sum(u * u) + np.sum(w * np.cos(w)) + np.sum(z)


def column_update(x):
    u = np.outer(x[:3], x[3:])
    np.add(u[:, 0], x[:3], out=u[:, 0])
    np.exp(u[1:, 1:], out=u[1:, 1:])
    return np.sum(u**2)


def strided_update(x):
    u = x * 1.0
    w = u[::2]
    np.tanh(w, out=w)
    r = np.multiply(u[1::2], w, out=u[1::2])
    return np.sum(u * np.arange(6.0)) + np.sum(r)


def decayed_tail(x):
    u = x * 1.0
    w = u[2:]
    for _ in range(3):
        np.multiply(w, 0.8, out=w)
        np.add(w, u[0] * 0.1, out=w)
    return np.sum(u**2) + np.sum(np.sin(w))


def accumulate_into_list(x, acc):
    for k in range(3):
        acc[k % 2] += x[k] * x[k + 1]
    acc[1] *= 0.5
    return acc[0] * acc[1] + np.sum(np.sin(x))


def running_stats(x, stats):
    stats["n"] += 1
    stats["total"] += float(np.sum(x))
    stats["sq"] += float(np.sum(x**2))
    mean = stats["total"] / stats["n"]
    return stats["sq"] / stats["n"] - mean**2


def shifted_copy(x, p):
    b = list(p)
    if x[0] <= 0.9:
        b[1] = sum(b)
    for k in range(2):
        b[k] -= np.sum(np.maximum(x, 0.0)) * b[k]
    c = p + [1.0]
    c[0] *= x[1]
    return b[0] * b[1] + c[0] + p[0] * x[2]


def _bump(p, v):
    p[0] += v
    p[1] *= v
    return p[0] * 2.0 + p[1]


def bump_fresh_list(x):
    return _bump([float(x[0]), float(x[1])], x[2]) + _bump([x[3], 2.0], x[4])


CASES = [
    Case(f, (V6.copy(),), (0,), extra="hvp")
    for f in (
        masked_via_helper,
        swap_via_helper,
        sorted_via_helper,
        edit_via_helper,
        update_via_helper,
        scaled_tail,
        column_update,
        strided_update,
        decayed_tail,
        bump_fresh_list,
    )
] + [
    Case(accumulate_into_list, (V6.copy(), [0.25, -0.5]), (0,), extra="hvp"),
    Case(shifted_copy, (V6.copy(), [0.75, -1.5]), (0,), extra="hvp"),
    Case(running_stats, (V6.copy(), {"n": 2, "total": 0.5, "sq": 1.25}), (0,), extra="hvp"),
]
