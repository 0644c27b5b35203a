"""Neighbours of what refuse20 accepts (tests/corpus/users_refuse20.py).

``copy.copy``: a list's copy shares its items (a write into ``m[0][0]`` is seen through the
original: refused by the mutation check); a dict's, a nested array's, a view's copy is right;
an object's copy (a class built in the function, a dataclass) is refused with a message
naming ``copy.copy``.

``s.add(k)`` is lowered as `s` rebound only while `s` is a local set nothing else can see:
iterated, bound to a second name, passed to a function, read by a nested function, made by
a ``set`` that is not Python's, it stays refused ('the in-place method', or 'set literals are
not supported' for a display: displays and comprehensions are accepted only so tested). A
loop or ``while`` whose body adds carries the set (it did not before lower/scope knew ``add``
rebinds: the sets would have been wrong, so these are checked by value and gradient)."""

from __future__ import annotations

import collections
import contextlib
import copy
import dataclasses
import heapq

import numpy as np
import pytest

import srcad

X = np.array([0.5, -1.2, 0.8, 2.0])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x=X):
    val, g = srcad.value_and_grad(f)(x.copy())
    np.testing.assert_allclose(val, f(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(g, _fd(f, x), rtol=1e-5, atol=1e-7)
    # JVP/VJP dot test, and the Hessian against differences of the gradient
    u, w = np.cos(np.arange(len(x)) + 1.0), 1.7
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    _, pull = srcad.vjp(f, x.copy())
    np.testing.assert_allclose(w * t, np.dot(pull(w)[0], u), rtol=1e-10, atol=1e-12)
    h = srcad.hessian(f)(x.copy())
    hfd = np.array(
        [(srcad.grad(f)(x + 1e-5 * e) - srcad.grad(f)(x - 1e-5 * e)) / 2e-5 for e in np.eye(len(x))]
    )
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-6)


def copy_list_item_shared(x):
    a = x * 2
    ls = [a, x[1]]
    m = copy.copy(ls)
    m[0][0] = 5.0  # the same array as ls[0]: Python's ls sees it
    return np.sum(ls[0]) * m[1]


def test_copied_list_items_stay_shared():
    with pytest.raises(srcad.SrcadError, match="shares with another name is modified"):
        srcad.grad(copy_list_item_shared)(X)


def copy_list_rebinds_item(x):
    a = x * 2
    ls = [a, x[1]]
    m = copy.copy(ls)
    m[0] = x[::-1]  # rebinding an item of the copy: ls unchanged
    return np.sum(ls[0] * m[0]) * m[1]


def copy_of_view(x):
    a = np.outer(x, x)
    b = copy.copy(a[1])
    b[0] = 3.0
    return np.sum(a) * np.sum(b)


def copy_of_transpose(x):
    a = np.outer(x, x[::-1]).T
    b = copy.copy(a)
    b[0, 1] = 1.0
    return np.sum(b * a)


def copy_then_inplace(x):
    y = copy.copy(x)
    y *= 2.0
    y += x
    return np.sum(y * x)


def copy_nested_dict(x):
    d = {"w": x * 1.0, "c": x[0]}
    e = copy.copy(d)
    e["c"] = e["c"] * 3.0
    return np.sum(d["w"] * e["w"]) + d["c"] * e["c"]


def copy_tuple(x):
    t = (x[0], x[1] * x[2])
    u = copy.copy(t)
    return u[0] * t[1]


@pytest.mark.parametrize(
    "f",
    [
        copy_list_rebinds_item,
        copy_of_view,
        copy_of_transpose,
        copy_then_inplace,
        copy_nested_dict,
        copy_tuple,
    ],
)
def test_copy_copy_right(f):
    _check(f)


def test_copy_copy_keeps_the_callers_list():
    def f(x, lst):
        m = copy.copy(lst)
        m.append(x[0])
        return sum(m) * x[1]

    lst = [1.0, 2.0]
    g = srcad.grad(f)(X.copy(), lst)
    assert lst == [1.0, 2.0]
    np.testing.assert_allclose(g, _fd(lambda x: f(x, [1.0, 2.0]), X), rtol=1e-6, atol=1e-8)


class Obj:
    def __init__(self, w):
        self.w = w


@dataclasses.dataclass
class Pair:
    a: float
    b: float


def copy_of_object(x):
    o = Obj(x * 2)
    p = copy.copy(o)
    return np.sum(o.w * p.w)


def copy_of_dataclass(x):
    d = Pair(x[0], x[1])
    e = copy.copy(d)
    return e.a * d.b


def test_copy_of_an_object_is_refused_by_name():
    for f in (copy_of_object, copy_of_dataclass):
        with pytest.raises(srcad.SrcadError, match=r"copied by `copy\.copy`"):
            srcad.grad(f)(X)


_REFUSED = r"the in-place method `\.add\(\)` is not supported|set literals are not supported"


def _in_place_refused(f):
    with pytest.raises(srcad.SrcadError, match=_REFUSED):
        srcad.grad(f)(X)


def set_iterated(x):
    s = set()
    s.add(2)
    s.add(0)
    return sum(x[i] for i in s)


def set_aliased(x):
    s = {1}
    t = s
    s.add(2)
    return x[0] * len(t)


def _count(s):
    return len(s)


def set_passed(x):
    s = {1}
    s.add(2)
    return x[0] * _count(s)


def set_read_by_closure(x):
    s = {1}
    f = lambda v: v * len(s)  # noqa: E731
    s.add(2)
    return f(x[0])


def test_set_only_tested_by_a_closure_is_right():
    # (refused until session 35: a nested function testing the set only, `len(s)` / `k in s`,
    # reads the name when called, as Python does: lower/sets.control_only)
    assert srcad.primal(set_read_by_closure)(X) == set_read_by_closure(X)
    np.testing.assert_allclose(srcad.grad(set_read_by_closure)(X), [2.0] + [0.0] * (len(X) - 1))


def set_returned(x):
    s = {1}
    s.add(2)
    return x[0], s


def test_sets_seen_elsewhere_stay_refused():
    for f in (set_iterated, set_aliased, set_passed):
        _in_place_refused(f)
    with pytest.raises(srcad.SrcadError, match=_REFUSED):
        srcad.vjp(set_returned, X)


def _shadowing():
    set = lambda a: a  # noqa: E731 (a `set` that returns its argument: `s` is `lst`)

    def shadowed(x):
        lst = [1]
        s = set(lst)
        s.add(2)
        return x[0] * len(lst)

    return shadowed


def test_a_set_that_is_not_pythons_stays_refused():
    _in_place_refused(_shadowing())


def _helper_adds(x, ks):
    s = set()
    for k in ks:
        s.add(k)
    return sum(x[i] for i in range(4) if i in s)


def added_in_helper(x):
    return _helper_adds(x, [0, 3]) * x[1]


def added_in_while(x):
    s = set()
    i = 0
    while len(s) < 3:
        s.add(i % 2 + i)
        i += 1
    return x[0] * len(s) + x[1] * i


def added_in_branch_of_loop(x):
    s = set()
    for i in range(4):
        if x[i] > 0:
            s.add(i)
        else:
            s.discard(i - 1)
    return sum(x[i] ** 3 * len(s) for i in range(4) if i in s)


def added_active_item(x):
    s = set()
    s.add(x[0])  # a value being differentiated, only tested: adds nothing to the derivative
    return x[1] * (x[0] in s) + x[2] * len(s)


def set_of_active_values_summed(x):
    return sum({v * 2.0 for v in x})


@pytest.mark.parametrize("f", [added_in_helper, added_in_while, added_in_branch_of_loop])
def test_sets_only_tested_right(f):
    _check(f)


def test_an_active_item_added_is_right_or_refused():
    try:
        g = srcad.grad(added_active_item)(X)
    except srcad.SrcadError as e:
        assert "no derivative rule for `builtins.set`" in str(e)
    else:
        np.testing.assert_allclose(g, _fd(added_active_item, X), rtol=1e-6, atol=1e-8)
    with pytest.raises(srcad.SrcadError, match="no derivative rule for `builtins.set`"):
        srcad.jvp(added_active_item, (X,), (X,))


def set_of_strings_iterated(x):
    names = {"b", "a"}
    names.add("c")
    s = 0.0
    for k in names:  # the order is the process's string hashing
        s = s * 2.0 + x[0] * len(k)
    return s


def test_sets_read_otherwise_stay_refused():
    with pytest.raises(srcad.SrcadError, match="set comprehensions are not supported"):
        srcad.grad(set_of_active_values_summed)(X)
    with pytest.raises(srcad.SrcadError, match="set literals are not supported"):
        srcad.grad(set_of_strings_iterated)(X)


def nlargest_pairs(x):
    ps = [(x[i] ** 2, i) for i in range(4)]
    top = heapq.nlargest(2, ps)  # tuples compared as Python compares them
    return top[0][0] - top[1][0] * top[1][1]


def nsmallest_of_array(x):
    return np.sum(np.array(heapq.nsmallest(3, np.cos(x))) * np.array([1.0, 2.0, 3.0]))


def nlargest_none(x):
    return len(heapq.nlargest(0, [x[0]])) + x[1] ** 2


def nlargest_keyed(x):
    vals = [x[0], x[1], x[2], x[3]]
    return sum(v * i for i, v in enumerate(heapq.nlargest(3, vals, key=lambda v: -abs(v))))


@pytest.mark.parametrize("f", [nlargest_pairs, nsmallest_of_array, nlargest_none, nlargest_keyed])
def test_heapq_extremes_right(f):
    _check(f)


def nlargest_negative(x):
    n = -1  # Python: [] (sorted(...)[:-1] would drop only the last): not rewritten
    return sum(heapq.nlargest(n, [x[0], x[1]])) + x[1]


def test_heapq_of_a_run_time_n_stays_refused():
    with pytest.raises(srcad.SrcadError, match="heapq.nlargest"):
        srcad.grad(nlargest_negative)(X)


def suppress_partial_effect(x):
    y = x[1]
    with contextlib.suppress(np.linalg.LinAlgError):
        a = np.outer(x, x)  # singular: solve raises after y was scaled
        y = y * 3.0
        y = y + np.sum(np.linalg.solve(a, x))
    return y * x[0]


def suppress_nothing_raised(x):
    t = np.sum(x**2)
    with contextlib.suppress(ZeroDivisionError):
        t = t * x[0]
    return t


def suppress_no_args(x):
    t = np.sum(x)
    with contextlib.suppress():  # noqa: B022 (suppresses nothing: the body)
        t = t * x[1]
    return t


@pytest.mark.parametrize("f", [suppress_partial_effect, suppress_nothing_raised, suppress_no_args])
def test_suppress_right(f):
    _check(f)


def suppress_as_target(x):
    t = np.sum(x)
    with contextlib.suppress(ValueError) as cm:  # noqa: F841
        t = t * 2.0
    return t


def suppress_returns(x):
    with contextlib.suppress(ValueError):
        return np.sum(x) * 2.0
    return x[0]


def suppress_user_function(x):
    t = x[0]
    with contextlib.suppress(ValueError):
        t = _may_raise(t)
    return t * x[1]


def _may_raise(v):
    if v > 100.0:
        raise ValueError("big")
    return v * 2.0


def test_suppress_srcad_cannot_follow_stays_refused():
    with pytest.raises(srcad.SrcadError, match="`with` statements are not supported"):
        srcad.grad(suppress_as_target)(X)
    for f in (suppress_returns, suppress_user_function):
        try:
            g = srcad.grad(f)(X)
        except srcad.SrcadError as e:
            assert "try" in str(e)
        else:
            np.testing.assert_allclose(g, _fd(f, X), rtol=1e-6, atol=1e-8)


def deque_bounded_both_ends(x):
    q = collections.deque([x[0]], 2)
    q.appendleft(x[1])
    q.appendleft(x[2])  # full: x[0] dropped from the right
    q.extend([x[3], x[0] * x[1]])  # full: dropped from the left
    return q[0] * q[1] - len(q) * q[-1] ** 2 + sum(w for w in q)


def deque_maxlen_one(x):
    q = collections.deque(maxlen=1)
    out = 0.0
    for i in range(4):
        q.append(x[i] * 2.0)
        out = out + q[0] * x[i]
    return out


def deque_of_arrays_popped(x):
    q = collections.deque()
    for i in range(3):
        q.append(x * (i + 1.0))
    a = q.popleft()
    b = q.pop()
    return np.sum(a * b) + np.sum(np.array(q)) + float(not q)


@pytest.mark.parametrize("f", [deque_bounded_both_ends, deque_maxlen_one, deque_of_arrays_popped])
def test_deque_as_list_right(f):
    _check(f)


def deque_returned(x):
    q = collections.deque([x[0]])
    q.append(x[1])
    return q


def deque_rotated(x):  # (taken since refuse29: tests/soundness/test_refuse29.py)
    q = collections.deque([x[0], x[1]])
    q.rotate(1)
    return q[0]


def deque_aliased(x):
    q = collections.deque([x[0]])
    r = q
    q.append(x[1])
    return sum(r)


def deque_passed(x):
    q = collections.deque([x[0]])
    q.append(x[1])
    return _count(q) * x[2]


def deque_maxlen_read(x):
    q = collections.deque([x[0]], maxlen=3)
    q.append(x[1])
    return x[2] * q.maxlen


def deque_compared(x):
    q = collections.deque([1.0])
    q.append(2.0)
    return x[0] * (q == [1.0, 2.0])  # False in Python (a deque is not a list)


def deque_run_time_maxlen(x, k=2):
    q = collections.deque(maxlen=k)
    q.append(x[0])
    q.append(x[1])
    return sum(q)


def test_deques_used_otherwise_stay_refused():
    for f in (deque_aliased, deque_passed, deque_maxlen_read, deque_compared):
        with pytest.raises(srcad.SrcadError, match="deque"):
            srcad.grad(f)(X)
    np.testing.assert_allclose(srcad.grad(deque_rotated)(X)[:2], [0.0, 1.0])
    with pytest.raises(srcad.SrcadError, match="deque"):
        srcad.vjp(deque_returned, X)
    with pytest.raises(srcad.SrcadError, match="deque"):
        srcad.grad(deque_run_time_maxlen)(X)


# -- a set the function did not make is the caller's: `s.add(k)` must change it (lead, session 20:
# the rewrite to `s = s | set(...)` made a global's update crash and would lose an argument's)
SEEN_KEYS: set = set()


def adds_to_a_global_set(x):
    for i in range(2):
        SEEN_KEYS.add(i)
    return np.sum(x) * len(SEEN_KEYS)


def adds_to_an_argument_set(x, keys):
    keys.add(3)
    return x[0] * len(keys)


def test_sets_of_the_caller_are_updated():
    SEEN_KEYS.clear()
    got = srcad.primal(adds_to_a_global_set)(X.copy())
    assert SEEN_KEYS == {0, 1} and got == np.sum(X) * 2
    g = srcad.grad(adds_to_a_global_set)(X.copy())
    np.testing.assert_allclose(g, np.full_like(X, 2.0))
    keys = {1}
    try:
        g = srcad.grad(adds_to_an_argument_set)(X.copy(), keys)
    except srcad.SrcadError:
        return  # refused (an argument updated in place) is fine
    assert keys == {1, 3}
    np.testing.assert_allclose(g, [2.0] + [0.0] * (len(X) - 1))
