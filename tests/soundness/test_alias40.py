"""Session 40 (fix40a): a value computed twice and handed out twice must be two arrays.

``lst.append(x + x); return x + x``: CSE merged the two ``x + x``, so `srcad.primal(f)` (and the
value `srcad.vjp`, `value_and_grad`, ... return) gave back the very array it had appended to the
caller's list (fuzz seed 39300099, ``primal_alias``). Python makes two arrays: a caller writing
into the result would change ``lst[-1]``. The same for every pair of channels out of the
function: two outputs (``return x + x, x + x``, a list or dict display of them, views of them),
an argument's list or dict and the result, and an op inside a loop merged with an equal op
before it (every round's ``lst.append(x * 2)`` appended the one array). CSE now keeps such ops
apart (passes/cse_escapes.py); ``y = x + x; return y, y`` is one object in Python too and stays
one. Each program is checked against Python for which of its outputs and arguments share
memory afterwards, in the primal and in `srcad.vjp`'s value, and its derivatives numerically.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -1.2, 0.5])


def append_and_return(x, lst):
    lst.append(x + x)
    return x + x


def two_outputs(x):
    return x + x, x + x


def one_value_twice(x):
    y = x + x
    return y, y


def dict_item_and_return(x, d):
    d["k"] = np.sin(x)
    return np.sin(x)


def list_item_and_return(x, lst):
    lst[0] = x * 3
    return x * 3


def appended_twice(x, lst):
    lst.append(np.exp(x))
    lst.append(np.exp(x))
    return np.sum(x)


def list_display(x):
    return [x + 1, x + 1]


def dict_display(x):
    d = {}
    d["a"] = x * 2
    d["b"] = x * 2
    return d


def views_of_two(x):
    a = x * 2
    b = x * 2
    return a[0:2], b.T


def loop_appends(x):
    z = x * 2
    s = np.sum(z)
    out = []
    for _ in range(3):
        out.append(x * 2)
    return out, s


def loop_into_argument(x, lst):
    z = np.sin(x)
    for _ in range(2):
        lst.append(np.sin(x))
    return np.sum(z)


def extended(x, lst):
    lst.extend([x * 2, x * 2])
    return np.sum(x) * 1.0


def kept_and_repeated(x):
    a = x * 2
    return a, x * 2, a


def returned_from_a_branch(x, lst):
    if np.sum(x) > -10.0:
        lst.append(x + x)
        return x + x  # (returned through the `if`'s join)
    return x


CASES = [
    (append_and_return, ([],)),
    (two_outputs, ()),
    (one_value_twice, ()),
    (dict_item_and_return, ({},)),
    (list_item_and_return, ([X],)),
    (appended_twice, ([],)),
    (list_display, ()),
    (dict_display, ()),
    (views_of_two, ()),
    (loop_appends, ()),
    (loop_into_argument, ([],)),
    (extended, ([],)),
    (kept_and_repeated, ()),
    (returned_from_a_branch, ([],)),
]


def _leaves(o, out):
    if isinstance(o, np.ndarray):
        out.append(o)
    elif isinstance(o, (list, tuple)):
        for v in o:
            _leaves(v, out)
    elif isinstance(o, dict):
        for v in o.values():
            _leaves(v, out)
    return out


def _sharing(result, args):
    """Pairs of array leaves of (result, arguments after the call) sharing memory / identical."""
    ls = _leaves((result, args), [])
    pairs = [(i, j) for i in range(len(ls)) for j in range(i + 1, len(ls))]
    return (
        [p for p in pairs if np.shares_memory(ls[p[0]], ls[p[1]])],
        [p for p in pairs if ls[p[0]] is ls[p[1]]],
    )


@pytest.mark.parametrize("f, extra", CASES, ids=[c[0].__name__ for c in CASES])
def test_sharing_as_python(f, extra):
    a = copy.deepcopy((X, *extra))
    want = _sharing(f(*a), a)
    a = copy.deepcopy((X, *extra))
    assert _sharing(srcad.primal(f)(*a), a) == want
    a = copy.deepcopy((X, *extra))
    assert _sharing(srcad.vjp(f, *a)[0], a) == want


def test_written_result_leaves_list_alone():
    lst = []
    out = srcad.primal(append_and_return)(X, lst)
    out[0] = 100.0
    assert lst[0][0] == 2 * X[0]


def loss_two(x):
    a, b = two_outputs(x)
    return np.sum(np.sin(a) * b)


def loss_list(x):
    a, b = list_display(x)
    return np.sum(np.sin(a) * 2.0 + b**2)


def loss_views(x):
    a, b = views_of_two(x)
    return np.sum(np.sin(a)) * np.sum(b)


def loss_kept(x):
    a, b, c = kept_and_repeated(x)
    return np.sum(a * np.cos(b) + c**3)


def loss_loop(x):
    out, s = loop_appends(x)
    return np.sum(out[0] * out[2]) + s * np.sum(out[1])


@pytest.mark.parametrize("f", [loss_two, loss_list, loss_views, loss_kept, loss_loop])
def test_derivatives(f):
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)
