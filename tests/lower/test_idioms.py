"""Python idioms lowered by rewriting (lower/idioms.py): ``sorted``/``max``/``min`` with a lambda
``key=``, ``min(xs, default=)``, ``list(zip(...))``, and the list/dict methods that update their
receiver (``pop``, ``insert``, ``update``, ``setdefault``). Values against plain Python, exact
derivatives, central finite differences in both modes and second order; aliasing after an update
refused (Python would see the change)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X3 = np.array([0.5, -1.5, 0.25])


def sort_pairs(x):
    pairs = [(x[0], 1.0), (x[1], 2.0), (x[2], 3.0)]
    s = sorted(pairs, key=lambda p: p[0] * p[1])
    return s[0][0] * 10.0 + s[1][0] * 100.0 + s[2][0] * 1000.0


def sort_reverse_ties(x):
    # keys tie (abs): reverse=True keeps the original order among equals, as Python
    s = sorted([x[0], -x[0], x[1]], key=lambda v: abs(v), reverse=True)
    return s[0] * 1.0 + s[1] * 10.0 + s[2] * 100.0


def max_min_key(x):
    vals = [x[0], x[1], x[2]]
    hi = max(vals, key=lambda v: v * v)
    lo = min(vals, key=abs)
    return hi * 3.0 + lo * lo


def min_default(x):
    empty = min((v for v in x if v > 10.0), default=x[0] * 2.0)
    return max((v * v for v in x), default=0.0) + empty


def pop_insert(x):
    a = [x[0], 2.0 * x[1], 3.0 * x[2]]
    last = a.pop()
    a.insert(0, last * x[0])
    first = a.pop(1)
    a.insert(-1, 7.0 * first)
    return a[0] + 10.0 * a[1] + 100.0 * a[2] + 1000.0 * len(a)


def pop_in_loop(x):
    stack = [x[0], x[1], x[2]]
    total = 0.0
    while len(stack) > 0:
        total = total * 0.5 + stack.pop() ** 2
    return total


def dict_updates(x):
    d = {"a": x[0]}
    d.update({"b": x[1] * x[2]}, c=x[2])
    got = d.setdefault("a", 100.0)
    new = d.setdefault("z", x[1] ** 3)
    return d["a"] * d["b"] + got * new + d["c"] + d["z"]


def test_values():
    for f in (sort_pairs, sort_reverse_ties, max_min_key, min_default, pop_insert, dict_updates):
        assert srcad.primal(f)(X3) == f(X3), f.__name__


def test_exact():
    x0, x1, x2 = X3
    # keys 0.5, -3.0, 0.75: order x1, x0, x2
    np.testing.assert_allclose(srcad.grad(sort_pairs)(X3), [100.0, 10.0, 1000.0])
    # abs keys 0.5, 0.5, 1.5 reversed stably: x1, x0, -x0
    np.testing.assert_allclose(srcad.grad(sort_reverse_ties)(X3), [10.0 - 100.0, 1.0, 0.0])
    # hi = x1 (largest square), lo = x2 (smallest abs)
    np.testing.assert_allclose(srcad.grad(max_min_key)(X3), [0.0, 3.0, 2 * x2])
    np.testing.assert_allclose(srcad.grad(min_default)(X3), [2 + 2 * x0 * 0, 2 * x1, 0.0])
    # a: [x0, 2x1, 3x2] -> pop 3x2 -> [3x2*x0, x0, 2x1] -> pop x0 -> [3x2 x0, 7 x0, 2x1]
    np.testing.assert_allclose(
        srcad.grad(pop_insert)(X3), [3 * x2 + 10.0 * 7.0, 100.0 * 2.0, 3 * x0]
    )
    assert pop_insert(X3) == 3 * x2 * x0 + 10 * 7 * x0 + 100 * 2 * x1 + 3000.0


@pytest.mark.parametrize(
    "f", [sort_pairs, sort_reverse_ties, max_min_key, min_default, pop_insert, dict_updates]
)
def test_finite_differences(f):
    check_grads(f, (X3,), modes=("fwd", "rev"))
    check_grads(f, (X3,), order=2)


def alias_after_pop(x):
    a = [x[0], x[1]]
    b = a
    a.pop()
    return len(b) * x[0]


def alias_after_update(x):
    d = {"a": x[0]}
    e = d
    d.update(b=x[1])
    return len(e) * x[0]


def pop_argument(xs):
    v = xs.pop()
    return v * 2.0


def pop_rebound_in_loop(x):
    stack = [x[0], x[1], x[2]]
    total = 0.0
    for _ in range(2):
        total = total + stack.pop()
        stack = x * 2.0  # no longer a list: Python's next pop fails
    return total


def test_unknown_receiver_refused():
    # not known to be a list where it is updated (an argument): a list's pop on the argument's
    # copy, checked to be a list when it runs (lower/anykind.py, tests/lower/test_anykind.py)
    xs = [0.5, 1.5]
    assert srcad.grad(pop_argument)(xs) == [0.0, 2.0] and xs == [0.5]
    with pytest.raises(srcad.SrcadError, match="pop"):
        srcad.grad(pop_argument)(np.array([0.5, 1.5]))
    # a loop carry that starts a list but may be rebound to something else in the loop
    with pytest.raises(srcad.SrcadError, match="list before this loop"):
        srcad.grad(pop_rebound_in_loop)(X3)


def test_pop_in_loop():
    # a loop carry that is a list before the loop and stays one: the pop is lowered
    check_grads(pop_in_loop, (X3,), modes=("fwd", "rev"))
    assert srcad.primal(pop_in_loop)(X3.copy()) == pop_in_loop(X3.copy())
