"""Neighbours of the helpers refuse18 accepts when called (tests/corpus/users_refuse18.py,
ad/callfacts.py): each is right (primal, argument effects, derivatives to second order) or
refused, never wrong: helpers given 1-D and 2-D arrays, numbers, NumPy scalars, lists of
arrays, arrays whose rank the caller does not know, fresh temporaries (``np.cos(z)``) they
update in place.

A NumPy ufunc writing into a view of a local array (``out=u[1:]``, lower/inplace_np.py): the
view read after through another name, the call's value kept and written, a fancy-index `out`
(a copy), a list, ``np.dot`` into a strided view, an int array, a result larger than the view,
a view of an argument.

``p[0] += v`` on a list or dict argument (`Spec.numbers`): numbers, NumPy scalars, ints, arrays,
a mix, a tuple, nested lists, an appended item, a helper doing it, an alias of the list; a
helper doing it on a list, tuple or dict the call builds (of numbers, of an array, kept and
read after); copies of such arguments (``p[:]``, ``list(p)``, ``p + [1.0]``, ``p[1:]``,
``d.get(k)``) updated, of lists and tuples of numbers, of arrays, of lists (passes/alias_flow
`all_boxes`: a list argument's copy holds its items, not the list)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.lower.rightref import right_or_refused

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def _swap(y):
    y = y * 1.0
    y[0], y[1] = y[1], y[0]
    return np.sum(y * np.arange(1.0, 1.0 + y.size).reshape(y.shape))


def _masked(x):
    y = x * 1.0
    v = y[y > 0]
    v *= 0.5
    return np.sum(y**2) + np.sum(v)


def _bubble(x):
    a = x.copy()
    for i in range(len(a)):
        for j in range(len(a) - 1 - i):
            if np.sum(a[j]) > np.sum(a[j + 1]):
                t = a[j].copy()
                a[j] = a[j + 1]
                a[j + 1] = t
    return np.sum(a * np.arange(1.0, 1.0 + a.size).reshape(a.shape))


def _edit(a):
    r = a[0]
    a[0] = a[1] * 2.0
    return np.sum(r) + np.sum(a)


def _acc(s, v):
    t = s
    s += v
    return np.sum(t * s)


def _write(a):
    a[0] = a[1] * 2.0
    return np.sum(a)


CASES = [
    lambda z: _swap(z),
    lambda z: _swap(z.reshape(2, 3)),
    lambda z: _swap(z[:4]) + _swap(z.reshape(3, 2)),
    lambda z: _swap([z[:3], z[3:]]),
    lambda z: _swap(np.stack([z[:3], z[3:]])),
    lambda z: _swap([z, z * 2.0][1]),
    lambda z: _masked(z) + _masked(z.reshape(2, 3)),
    lambda z: _masked(z[0]),
    lambda z: _masked(np.sum(z)),
    lambda z: _bubble(z),
    lambda z: _bubble(z.reshape(3, 2)),
    lambda z: _bubble(z.reshape(2, 3).T),
    lambda z: _edit(z * 1.0),
    lambda z: _edit(z.reshape(3, 2) * 1.0),
    lambda z: _edit(np.cos(z).reshape(2, 3)),
    lambda z: _acc(float(z[0]), z[1]) + _acc(z[2], 1.5) + _acc(np.float64(z[3]), z[4]),
    lambda z: _acc(z[:3] * 1.0, z[3:]),
    lambda z: _acc(np.sum(z), z[0]),
    lambda z: _acc(np.array(z[0]), z[1]),
    lambda z: _acc(z[:2].sum(keepdims=True), z[1]),
    lambda z: _write(np.cos(z)) + _write(np.maximum(z, 0.0)) + _write(np.where(z > 0, z, -z)),
    lambda z: _write(np.cos(z, out=z)) + np.sum(z),
    lambda z: _write(np.sin(z)) * np.sum(np.sin(z)),
]


def _out_other_view(x):
    u = x * 1.0
    w = u[1:]
    v = u[:2]
    np.multiply(w, 0.5, out=w)
    return np.sum(v * v) + np.sum(u)


def _out_value_kept(x):
    u = x * 1.0
    w = u[1:]
    r = np.exp(w, out=w)
    r[0] = 3.0
    return np.sum(u * u) + np.sum(r)


def _out_fancy(x):
    u = x * 1.0
    np.multiply(u[[0, 1]], 0.5, out=u[[0, 1]])
    return np.sum(u * u)


def _out_list(x):
    u = [x[0], x[1], x[2]]
    np.multiply(u[1:], 0.5, out=u[1:])
    return u[0] * u[1]


def _out_dot(x):
    u = np.zeros(8)
    np.dot(x[:2], np.eye(2), out=u[::4])
    return np.sum(u * x[0])


def _out_int(x):
    u = np.arange(6)
    np.multiply(u[1:], x[1:], out=u[1:])
    return np.sum(u * x)


def _out_larger(x):
    u = x * 1.0
    np.add(x, x, out=u[1:])
    return np.sum(u)


def _out_argument(x):
    np.multiply(x[1:], 0.5, out=x[1:])
    return np.sum(x * x)


def _out_loop(x):
    u = x * 1.0
    w = u[1:]
    for _ in range(3):
        np.multiply(w, 0.9, out=w)
        np.add(w, 0.1, out=w)
    return np.sum(u**2) + np.sum(w)


def _out_row(x):
    u = np.outer(x, x)
    row = u[0]
    np.tanh(row, out=row)
    return np.sum(u) + np.sum(row)


def _out_broadcast(x):
    u = np.outer(x, x)
    np.multiply(x[0], 2.0, out=u[1:, 1:])
    return np.sum(u * u)


CASES += [_out_other_view, _out_value_kept, _out_fancy, _out_list, _out_dot, _out_int]
CASES += [_out_larger, _out_argument, _out_loop, _out_row, _out_broadcast]


def _bump(p, v):
    p[0] += v
    return p[0] * p[-1]


def _bump_append(p, v):
    p.append(v * 2.0)
    p[-1] += v
    return p[0] * p[-1]


def _bump_helper(p, v):
    _bump(p, v)
    return p[0]


def _bump_twice(p, v):
    q = p
    p[0] += v
    q[0] *= v
    return p[0] + q[0]


def _bump_entry(d, v):
    d["b"] += v
    d["c"] = d["b"] * 2.0
    return d["a"] * d["c"]


def _fresh_list(x):
    return _bump([float(x[0]), float(x[1])], x[2])


def _fresh_list_of_array(x):
    a = x[:2] * 1.0
    return np.sum(_bump([a, 2.0], x[2])) + np.sum(a)


def _fresh_list_kept(x):
    p = [x[0], x[1]]
    return _bump(p, x[2]) + p[0]


def _fresh_tuple(x):
    return _bump((x[0], x[1]), x[2])


def _fresh_dict(x):
    d = {"a": x[0], "b": x[1]}
    return _bump_entry({"a": x[0], "b": x[1]}, x[2]) + d["b"]


CASES += [_fresh_list, _fresh_list_of_array, _fresh_list_kept, _fresh_tuple, _fresh_dict]

ARG_CASES = [
    (_bump, ([0.5, 2.0], 3.0)),
    (_bump, ([0.5, np.float64(2.0)], 3.0)),
    (_bump, ([1, 2], 3.0)),
    (_bump, ([np.array([0.5]), np.array([2.0])], 3.0)),
    (_bump, ([0.5, np.array([2.0, 1.0])], 3.0)),
    (_bump, ((0.5, 2.0), 3.0)),
    (_bump, ([[0.5], [2.0]], 3.0)),
    (_bump_append, ([0.5, 2.0], 3.0)),
    (_bump_helper, ([0.5, 2.0], 3.0)),
    (_bump_twice, ([0.5, 2.0], 3.0)),
    (_bump_entry, ({"a": 2.0, "b": 1.5}, 0.5)),
    (_bump_entry, ({"a": 2.0, "b": np.array([1.5])}, 0.5)),
]


def _copy1(p, v):
    b = p[:]
    b[0] = b[0] * v
    return b[0] + p[0]


def _copy2(p, v):
    b = p[:]
    b[0] += v
    return np.sum(b[0]) + np.sum(p[0])


def _copy3(p, v):
    b = list(p)
    b[0] *= v
    return np.sum(b[0]) * np.sum(p[0])


def _copy4(p, v):
    b = p + [1.0]
    b[0] += v
    return np.sum(b[0]) + np.sum(p[0])


def _copy5(d, v):
    e = d.get("a")
    e += v
    return np.sum(e) + np.sum(d["a"])


def _copy6(p, v):
    b = p
    b[0] = b[0] * v
    return np.sum(b[0]) + np.sum(p[0])


def _copy7(p, v):
    b = p[:]
    p[0] = p[0] * v
    return np.sum(b[0]) + np.sum(p[0])


def _copy8(p, v):
    b = list(p)
    for k in range(len(b)):
        b[k] -= v * b[k]
    return sum(np.sum(e) for e in b) + np.sum(p[1])


def _copy9(p, v):
    b = p[1:]
    b[0] += v
    return np.sum(b[0]) * np.sum(p[1])


_LISTS = [
    [0.5, 2.0],
    [np.array([0.5, 1.0]), np.array([2.0, 3.0])],
    (0.5, 2.0),
    (np.array([0.5]), np.array([2.0])),
    [[0.5], [2.0]],
]
_COPIES = [_copy1, _copy2, _copy3, _copy4, _copy6, _copy7, _copy8, _copy9]
ARG_CASES += [(f, (p, 3.0)) for f in _COPIES for p in _LISTS]
ARG_CASES += [(_copy5, ({"a": 0.5, "b": 2.0}, 3.0)), (_copy5, ({"a": np.array([0.5, 1.0])}, 3.0))]


@pytest.mark.parametrize("k", range(len(ARG_CASES)))
def test_argument_items_right_or_refused(k):
    f, args = ARG_CASES[k]
    right_or_refused(f, args, grads_of=(float, list, tuple, dict, np.ndarray))


@pytest.mark.parametrize("k", range(len(CASES)))
def test_right_or_refused(k):
    right_or_refused(CASES[k], (X6.copy(),))
