"""Writes through a second name of an array that srcad used to refuse ("read after the object
it shares with another name is modified"), session 15 (`refuse15`): lower/viewwrites.py now
also rewrites, into writes into the array itself,

- names bound by a tuple assignment (``n, t = len(a), a``: every value is evaluated before any
  name is bound, lower/viewfacts.pairs), and bases rebound to themselves (``a = a`` in a loop);
- bases made by a transpose of a new array (``np.transpose(np.outer(x, y))``), a matrix product
  with a 2-D operand (``GK @ v``), any ufunc or ``np.clip`` of an array made here, arithmetic and
  ``np.array([a, b])`` of such names (`Facts.operand`), a copy of a reshape to a known rank
  (``u = x.reshape(3, 4).copy(); row = u[1]; row *= 2.0``: a row, no number);
- arguments never rebound: ``t = x; t[1:] = ...; read x`` (``x`` an array, list or dict,
  asserted when it runs; its update written back by lower/argcopy.py), ``v = x[1:]; x[0] = ...;
  read v``. ``t = x; t += 1.0`` keeps Python's number semantics (no rewrite: a float `x`
  rebinds `t` only) unless an item of `t` or `x` is written in the region too (``t[0] = v``: a
  float's raises; the assertion refuses one when it runs).

Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/corpus/test_second_order.py); tests/lower/test_views15.py holds the neighbours that
must stay refused or right."""

from __future__ import annotations

import numpy as np

from . import Case

V3 = np.array([0.31, -0.72, 1.13])
GK = np.array([[0.6, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.4, 0.1, 0.7]])


def tuple_bound_alias(x):
    a = np.outer(x, x) + 1.0
    n, b = 2.0, a
    a[0] = x * n
    return np.sum(b**2)


def tuple_bound_row(x):
    a = np.ones((2, 3)) * 0.5
    r, s = a[1], np.sum(x)
    r *= x
    return np.sum(a**2) + s * r[0]


def self_rebound_in_loop(x):
    a = np.clip(np.ones(3) * x, -1.0, 1.0)
    s = 0.0
    for i in range(3):
        a = a
        v = a.reshape(3)
        a[i] -= 0.5 * x[i] ** 2
        s = s + np.sum(v**2)
    return s + np.sum(a)


def transposed_new_base(x):
    b = np.transpose(np.outer(x, x[:2]))
    c = b
    b[0, 1] = x[2] ** 2
    c *= 2.0
    return np.sum(c) + np.sum(b * b)


def matmul_base(x):
    a = GK @ np.sin(x)
    t = a
    a[1:] = a[:2] * 2.0
    return np.sum(t**2)


def ufunc_of_base(x):
    a = np.ones(3) * 0.5
    b = np.maximum(a + a, np.tanh(x))
    c = b
    b[0] = x[1] * 3.0
    return np.sum(c * x)


def array_of_bases(x):
    a = np.linspace(0.1, 1.0, 3) + x
    b = np.array([a + a, np.cos(a)])
    r = b[1]
    b[1] = x * x
    return np.sum(r * x) + np.sum(b)


def row_of_reshaped_copy(x):
    u = np.concatenate([x, x, x, x]).reshape(3, 4).copy()
    row = u[1]
    row *= 2.0  # (a 2-D copy's row is a view: `u` changes)
    return np.sum(u**2)


def argument_alias(x):
    t = x
    t[1:] = x[:2] * 2.0
    return np.sum(x**2) + np.sum(t)


def argument_view(x):
    v = x[1:]
    x[1] = x[0] * 3.0
    return np.sum(x**2) + np.sum(v * v)


def argument_alias_then_base(x):
    t = x
    x[0] = x[1] * x[2]
    return np.sum(t**2)


def argument_alias_item_then_op(x):
    t = x
    t[0] = x[1] * x[2]
    t *= 2.0  # (an array's `*=` is in place: `x` changes too)
    return np.sum(x**2) + t[1]


def list_argument_alias(xs):
    t = xs
    t[0] = xs[1] * 2.0
    return xs[0] * t[1] + xs[1]


def number_alias_rebinds(x):
    t = x
    t += 1.0
    return x * t


CASES = [
    Case(f, (V3.copy(),), (0,), extra="hvp")
    for f in (
        tuple_bound_alias,
        tuple_bound_row,
        self_rebound_in_loop,
        transposed_new_base,
        matmul_base,
        ufunc_of_base,
        array_of_bases,
        row_of_reshaped_copy,
        argument_alias,
        argument_view,
        argument_alias_then_base,
        argument_alias_item_then_op,
    )
] + [
    Case(list_argument_alias, ([0.3, -0.4, 0.9],), (0,), extra="hvp"),
    Case(number_alias_rebinds, (0.7,), (0,), extra="hvp"),
]
