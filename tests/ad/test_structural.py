"""The structural rules (srcad/ad/structural.py), each in both modes with exact numbers.

Building tuples and lists (`jvp_seq`/`vjp_seq`), dicts (`jvp_dict`/`vjp_dict`: a value whose key
a later entry repeats, as a constant or only at run time, gets no cotangent), reading items
(`jvp_getitem`/`vjp_getitem`: `_srcad.getitem_vjp`, or `_srcad.add_at` into a loop's owned
accumulator, or ``bx[i] = bx[i] + g`` for one number of a float 1-D array), item assignment
(`jvp_setitem`/`vjp_setitem`: `setitem_vjp_v`, and `setitem_vjp_x` or its in-place form on an
owned cotangent, or ``g[i]`` then ``g[i] = 0.0`` for one number) and `append`
(`jvp_append`/`vjp_append`: `elem`, and a slice or `drop_last_inplace`). Each case: the
derivative by hand, srcad's forward and reverse mode against it, the path taken (a name in the
generated source), and `check_grads`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X3 = np.array([1.0, 2.0, 3.0])
X22 = np.array([[1.0, 2.0], [3.0, 4.0]])


def seq_tuple(x, y):
    return (x * y, y)


def seq_list(x, y):
    return [x, y, x * y]


def dict_out(x, y):
    return {"a": x * y, "b": y}


# The reads go through helpers: a constant-key read of a literal in the same function is the
# element itself (passes/fold.py), which would leave the structural rules nothing to do.
def read_a(d):
    return d["a"]


def read_1(d):
    return d[1]


def dict_dup_const(x, y):
    d = {"a": x, "a": y * 2.0}  # noqa: F601 - the repeated key is the case
    return read_a(d)


def dict_dup_true(x, y):
    d = {1: x, True: y * 3.0}  # noqa: F601 - 1 and True are one key
    return read_1(d)


def dict_runtime_key(x, y, k):
    d = {k: x, "b": y}
    return d["b"] * d[k]


def product_of_pair(t):
    return t[0] * t[1]


def getitem_tuple(x, y):
    return product_of_pair((x, y))


def getitem_loop(x):
    s = 0.0
    for i in range(3):
        s = s + x[i] * x[i]
    return s


def getitem_loop_rows(x):  # rows of a 2-D array: `_srcad.add_at` (1-D elements: `bx[i] = ...`)
    s = 0.0
    for i in range(2):
        s = s + np.sum(x[i] * x[i])
    return s


def setitem_loop_rows(x):
    z = np.zeros((2, 2))
    for i in range(2):
        z[i] = x[i] * 2.0
    return np.sum(z * z)


def setitem_plain(x, y):
    z = np.zeros(3)
    z[1] = x
    return np.sum(z * y)


def setitem_twice(x, y):
    z = np.zeros(2)
    z[0] = x
    z[0] = y
    return z[0] * 3.0 + z[1]


def setitem_loop(x):
    z = np.zeros(3)
    for i in range(3):
        z[i] = x[i] * 2.0
    return np.sum(z * z)


def append_plain(x, y):
    xs = []
    xs.append(x)
    xs.append(x * y)
    return xs[0] + xs[1]


def append_loop(x):
    xs = []
    for i in range(3):
        xs.append(x * i)
    return xs[0] + xs[1] * xs[2]


# f, primals, tangents, jvp (dout), cotangent, vjp (cotangents), a name the gradient source shows
# (a runtime helper, or a piece of code: one number of a float 1-D array is updated in place)
CASES: list[tuple[Any, ...]] = [
    (seq_tuple, (1.5, 2.0), (1.0, 0.5), (2.75, 0.5), (1.0, 3.0), (2.0, 4.5), "elem"),
    (seq_list, (1.5, 2.0), (1.0, 0.5), [1.0, 0.5, 2.75], [1.0, 2.0, 3.0], (7.0, 6.5), "elem"),
    (dict_out, (1.5, 2.0), (1.0, 0.5), {"a": 2.75, "b": 0.5}, {"a": 1.0, "b": 3.0}, (2.0, 4.5),
     "elem"),
    (dict_dup_const, (1.5, 2.0), (1.0, 0.5), 1.0, 1.0, (0.0, 2.0), "elem"),
    (dict_dup_true, (1.5, 2.0), (1.0, 0.5), 1.5, 1.0, (0.0, 3.0), "elem"),
    (getitem_tuple, (1.5, 2.0), (1.0, 0.5), 2.75, 1.0, (2.0, 1.5), "getitem_vjp"),
    (getitem_loop, (X3,), (np.ones(3),), 12.0, 1.0, (2.0 * X3,), "bx[k] = "),
    (getitem_loop_rows, (X22,), (np.ones((2, 2)),), 20.0, 1.0, (2.0 * X22,), "add_at"),
    (setitem_plain, (1.5, X3), (1.0, np.ones(3)), 3.5, 1.0, (2.0, np.array([0.0, 1.5, 0.0])),
     "setitem_vjp_v"),
    (setitem_twice, (1.5, 2.0), (1.0, 0.5), 1.5, 1.0, (0.0, 3.0), "setitem_vjp_v"),
    (setitem_loop, (X3,), (np.ones(3),), 48.0, 1.0, (8.0 * X3,), "] = 0.0"),
    (setitem_loop_rows, (X22,), (np.ones((2, 2)),), 80.0, 1.0, (8.0 * X22,),
     "setitem_vjp_x_inplace"),
    (append_plain, (1.5, 2.0), (1.0, 0.5), 3.75, 1.0, (3.0, 1.5), "elem"),
    (append_loop, (1.5,), (1.0,), 6.0, 1.0, (6.0,), "drop_last_inplace"),
]  # fmt: skip


def _equal(got: Any, want: Any) -> None:
    """Exactly the same numbers in the same structure (the cases' numbers are exact in binary)."""
    assert type(got) is type(want) or not isinstance(want, (tuple, list, dict)), (got, want)
    if isinstance(want, dict):
        assert list(got) == list(want), (got, want)
        for k in want:
            _equal(got[k], want[k])
    elif isinstance(want, (tuple, list)):
        assert len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            _equal(g, w)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].__name__)
def test_forward(case: tuple[Any, ...]) -> None:
    f, primals, tangents, dout, *_ = case
    out, got = srcad.jvp(f, primals, tangents)
    _equal(out, f(*primals))
    _equal(got, dout)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].__name__)
def test_reverse(case: tuple[Any, ...]) -> None:
    f, primals, _, _, cot, want, path = case
    out, pullback = srcad.vjp(f, *primals)
    _equal(out, f(*primals))
    _equal(pullback(cot), want)
    wrt = tuple(range(len(primals)))
    shown = f"_srcad.{path}(" if path.isidentifier() else path  # a helper, or code
    assert shown in srcad.source(f, mode="vjp", wrt=wrt, args=primals)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].__name__)
def test_finite_differences(case: tuple[Any, ...]) -> None:
    check_grads(case[0], case[1], modes=("fwd", "rev"))


@pytest.mark.parametrize(("k", "want"), [("b", (0.0, 4.0)), ("a", (2.0, 1.5))])
def test_dict_key_equal_only_at_run_time(k: str, want: tuple[float, float]) -> None:
    """``{k: x, "b": y}``: x is overwritten when k == "b" at run time (`_srcad.dict_entry`)."""
    assert "_srcad.dict_entry(" in srcad.source(
        dict_runtime_key, mode="grad", wrt=(0, 1), args=(1.5, 2.0, k)
    )
    out, pullback = srcad.vjp(dict_runtime_key, 1.5, 2.0, k, wrt=(0, 1))
    assert out == dict_runtime_key(1.5, 2.0, k)
    _equal(pullback(1.0), want)
    _equal(srcad.grad(dict_runtime_key, wrt=(0, 1))(1.5, 2.0, k), want)
    dx, dy = 1.0, 0.5
    _equal(srcad.jvp(dict_runtime_key, (1.5, 2.0, k), (dx, dy, None))[1],
           want[0] * dx + want[1] * dy)  # fmt: skip
