"""List/dict updating methods on a receiver whose kind the lowering cannot see (lower/anykind.py):
an argument (``xs.pop()`` as a statement, ``v = xs.pop(0)``, ``d.pop(k)``, ``xs.insert(i, v)``,
``xs.reverse()``, ``xs.remove(v)``, ``xs.clear()``) or a helper's result. Each is checked against
plain Python (the value and the caller's object afterwards), central finite differences and the
dot-product test, at first and second order; other types are refused when they run."""

from __future__ import annotations

import collections
import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def pop_stmt(xs):
    xs.pop()
    return sum(xs) ** 2


def pop_value(xs):
    v = xs.pop()
    return v * sum(xs)


def pop_front(xs):
    xs.pop(0)
    return xs[0] * xs[-1]


def pop_index_value(xs):
    v = xs.pop(-2)
    return v**2 * xs[0] + len(xs)


def pop_in_loop(xs):
    acc = 0.0
    while len(xs) > 1:
        acc = acc + xs.pop() * xs[-1]
    return acc + xs[0]


def insert_reverse(xs):
    xs.insert(1, xs[0] * xs[-1])
    xs.reverse()
    return xs[0] * 3.0 + xs[1] * xs[2]


def remove_clear(xs):
    xs.remove(xs[1])
    s = xs[0] * xs[1]
    xs.clear()
    return s + len(xs)


def dict_pop(d):
    a = d.pop("a")
    return a * d["b"] ** 2


def dict_pop_stmt_clear(d):
    d.pop("b")
    s = d["a"] * 3.0
    d.clear()
    return s + len(d)


def _tail(v):
    return [v[0], v[1] * v[2], v[2]]


def pop_of_helper_result(x):
    ys = _tail(x)
    ys.pop(1)
    return ys[0] * ys[1]


LIST = [0.5, 1.5, -0.75, 2.0]
DICT = {"a": 0.5, "b": 1.5, "c": -2.0}
CASES = [
    (pop_stmt, LIST),
    (pop_value, LIST),
    (pop_front, LIST),
    (pop_index_value, LIST),
    (pop_in_loop, LIST),
    (insert_reverse, LIST),
    (remove_clear, LIST),
    (dict_pop, DICT),
    (dict_pop_stmt_clear, DICT),
    (pop_of_helper_result, np.array([0.3, -1.1, 0.8])),
]


@pytest.mark.parametrize("f, arg", CASES, ids=[f.__name__ for f, _ in CASES])
def test_values_and_the_callers_object(f, arg):
    mine, theirs = copy.deepcopy(arg), copy.deepcopy(arg)
    assert srcad.primal(f)(mine) == pytest.approx(f(theirs))
    assert type(mine) is type(theirs) and np.all(np.asarray(mine) == np.asarray(theirs))
    assert not isinstance(mine, dict) or list(mine) == list(theirs)
    mine = copy.deepcopy(arg)
    srcad.grad(f)(mine)
    assert np.all(np.asarray(mine) == np.asarray(theirs))


@pytest.mark.parametrize("f, arg", CASES, ids=[f.__name__ for f, _ in CASES])
def test_derivatives(f, arg):
    check_grads(f, (copy.deepcopy(arg),), modes=("fwd", "rev"))
    check_grads(f, (copy.deepcopy(arg),), order=2)


def pop_one(c):
    return c.pop(1) * 2.0 + c[0]


def test_pop_of_a_list_or_a_dict_at_run_time():
    # one transform, two kinds: the path is chosen when it runs
    g = srcad.grad(pop_one)
    assert g({0: 0.5, 1: 1.5}) == {0: 1.0, 1: 2.0}
    assert g([0.5, 1.5, 2.5]) == [1.0, 2.0, 0.0]


@pytest.mark.parametrize(
    "f, arg",
    [(pop_stmt, collections.deque([0.5, 1.5])), (pop_stmt, np.array([0.5, 1.5])),
     (dict_pop, collections.defaultdict(float, {"a": 0.5, "b": 1.5})),
     (insert_reverse, collections.UserList([0.5, 1.5]))],
)  # fmt: skip
def test_other_types_refused_when_they_run(f, arg):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(arg)


def del_entries(xs):
    del xs[0]
    return xs[0] * xs[-1]


def del_slice(xs):
    del xs[1:3]
    return xs[0] * xs[-1] + len(xs)


def del_key(d):
    del d["a"]
    return d["b"] * 2.0 + len(d)


DEL_CASES = [(del_entries, LIST), (del_slice, LIST), (del_key, DICT)]


@pytest.mark.parametrize("f, arg", DEL_CASES, ids=[f.__name__ for f, _ in DEL_CASES])
def test_del_of_an_argument_entry(f, arg):
    test_values_and_the_callers_object(f, arg)
    test_derivatives(f, arg)
