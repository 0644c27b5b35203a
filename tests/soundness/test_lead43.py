"""A list or dict edited by a method that srcad lowers as a new value (`xs.reverse()`, `xs.sort()`,
`del xs[i]`, `xs.pop()`, `xs.insert(i, v)`, `xs.remove(v)`, `d.pop(k)`), then written through
another name that holds the same object: Python's edited name sees the write. srcad gave the
value without it (2.0 off in `reverse_then_alias_write`); now refused, while the edits without
such a write stay right."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def reverse_then_alias_write(x):
    a = [x[0], x[1]]
    b = [a, a]
    a.reverse()
    b[0][0] += 1.0
    return a[0] * 2 + a[1]


def del_then_alias_write(x):
    a = [x[0], x[1], x[2]]
    b = [a]
    del a[0]
    b[0][0] *= 5.0
    return a[0]


def sort_then_alias_write(x):
    a = [x[1], x[0]]
    t = {"a": a}
    a.sort()
    t["a"][1] = t["a"][1] * x[2]
    return a[1] + a[0]


def pop_then_alias_write(x):
    d = {"p": x[0], "q": x[1]}
    h = [d]
    d.pop("p")
    h[0]["q"] = 5.0 * x[2]
    return d["q"]


def reverse_then_alias_write_in_loop(x):
    a = [x[0], x[1]]
    b = [a]
    for _ in range(2):
        b[0][0] = b[0][0] + x[2]
        a.reverse()
    return a[0] - 3.0 * a[1]


def list_pop_then_alias_write(x):
    a = [x[0], x[1], x[2]]
    b = [a]
    a.pop()
    b[0][0] = b[0][0] * 3.0
    return a[0] + a[1]


def insert_then_alias_write(x):
    a = [x[0], x[1]]
    b = [a]
    a.insert(0, x[2])
    b[0][1] = 7.0 * x[0]
    return a[1] + a[0]


def remove_then_alias_write(x):
    a = [x[0], x[1], x[2]]
    b = [a]
    a.remove(a[1])
    b[0][0] = 7.0 * x[2]
    return a[0]


WRITTEN = [
    reverse_then_alias_write,
    del_then_alias_write,
    sort_then_alias_write,
    pop_then_alias_write,
    list_pop_then_alias_write,
    insert_then_alias_write,
    remove_then_alias_write,
    reverse_then_alias_write_in_loop,
]


def reverse(x):
    a = [x[0], x[1]]
    a.reverse()
    return a[0] * 2 + a[1]


def reverse_then_own_write_in_loop(x):
    a = [x[0], x[1]]
    for _ in range(2):
        a.reverse()
        a[0] += 1.0
    return a[0] * a[1]


def sort_then_name_alias(x):
    a = [x[1], x[0]]
    b = a
    a.sort()
    return b[0] * 3 + a[1]


RIGHT = [reverse, reverse_then_own_write_in_loop, sort_then_name_alias]
X = np.array([0.7, -0.4, 1.3])


@pytest.mark.parametrize("f", WRITTEN, ids=lambda f: f.__name__)
def test_write_through_another_name_after_an_edit_is_right_or_refused(f):
    try:
        got = srcad.value_and_grad(f)(X.copy())[0]
    except srcad.SrcadError:
        return
    assert np.allclose(got, f(X.copy()))
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=1)


@pytest.mark.parametrize("f", WRITTEN[:7], ids=lambda f: f.__name__)
def test_the_straight_line_cases_are_refused(f):
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(f)(X.copy())


@pytest.mark.parametrize("f", RIGHT, ids=lambda f: f.__name__)
def test_edits_without_such_a_write_stay_right(f):
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)
