"""`.append`, unpacking and iteration of a receiver whose kind the lowering cannot see (session 6, lead).

A list subclass with its own ``append`` (or a deque) made before a loop, returned by a helper,
or chosen by a branch was lowered as a list's (``xs + [v]``): Python sums [0.6, 0.6, -1.4, -1.4,
2.4, 2.4] = 3.2 for the doubling list below, srcad gave 1.6 and the gradient [2, 2, 2] for
[4, 4, 4], silently. Such appends now check ``type(xs) is list`` when they run (a located
refusal otherwise); appends to lists the lowering knows are unchanged.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad


class Doubling(list):
    def append(self, v):
        super().append(v)
        super().append(v)


def make():
    return Doubling()


def make_plain():
    return []


def in_loop(x):
    q = Doubling()
    for v in x:
        q.append(v * 2)
    return sum(q)


def from_helper(x):
    q = make()
    q.append(x[0])
    return sum(q) * x[1]


def from_branch(x):
    q = Doubling() if x[0] > 0 else []
    q.append(x[1])
    return sum(q)


def deque_in_loop(x):
    q = collections.deque(maxlen=2)
    for v in x:
        q.append(v)
    return sum(q) * len(str(q))  # (read only as a list: a list, lower/deques.py)


def plain_from_helper(x):
    q = make_plain()
    for v in x:
        q.append(v * v)
    return sum(q) * x[0]


def plain_from_branch(x):
    q = [x[0]] if x[0] > 0 else []
    q.append(x[1])
    return sum(q) * x[2]


X = np.array([0.3, -0.7, 1.2])


@pytest.mark.parametrize("f", [in_loop, from_helper, from_branch, deque_in_loop])
def test_append_of_a_non_list_is_refused_where_it_runs(f):
    for mode in (srcad.grad, srcad.primal):
        with pytest.raises(srcad.SrcadError, match="lowers them as a list's") as e:
            mode(f)(X)
        assert "test_lead6.py" in str(e.value) and "^" in str(e.value)


def _matches_differences(f):
    """grad, jvp and Hessian of `f` at X against central differences (of f, of srcad.grad)."""
    eps = 1e-6
    fd = np.array([(f(X + eps * e) - f(X - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(srcad.grad(f)(X), fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(srcad.jvp(f, (X,), (np.ones(3),))[1], fd.sum(), rtol=1e-6)
    h = srcad.hessian(f)(X)
    hfd = np.array([(srcad.grad(f)(X + eps * e) - srcad.grad(f)(X - eps * e)) / (2 * eps)
                    for e in np.eye(3)])  # fmt: skip
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f", [plain_from_helper, plain_from_branch])
def test_append_of_a_plain_list_of_unknown_origin_is_differentiated(f):
    _matches_differences(f)


# -- `a, b = obj` of a user object (lower/base.unpack_source; found by hunt) -----------------------
class Grid:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __getitem__(self, k):
        return self.a * (k + 1)

    def __iter__(self):
        return iter((self.b, self.a))


def unpack_object(x):
    g = Grid(x[0], x[1])
    u, v = g  # Python: (b, a) by __iter__; was lowered as (g[0], g[1]) = (a, 2a)
    return u * 2 + v


def iterate_object(x):
    g = Grid(x[0], x[1])
    s = 0.0
    for e in g:
        s = s + e * e
    return s


def test_unpacking_a_user_object_follows_its_iter():
    # refused before refuse17 ("unpacking a `Grid` object"); now u, v = b, a (lower/objiter.py)
    assert srcad.primal(unpack_object)(X) == pytest.approx(unpack_object(X))
    np.testing.assert_allclose(srcad.grad(unpack_object)(X), [1.0, 2.0, 0.0])


def test_iterating_a_user_object_follows_its_iter():
    # the gradient was WRONG, swapped: [-1.4, 0.6] for [0.6, -1.4] (the cotangent of the listed
    # [b, a] taken as the object's fields in order); then refused where it ran; now __iter__ is
    # inlined with self the object (lower/objiter.py): the items are the fields it lists
    assert srcad.primal(iterate_object)(X) == iterate_object(X)
    g = srcad.grad(iterate_object)(X)
    np.testing.assert_allclose(g, [2 * X[0], 2 * X[1], 0.0])
    _, t = srcad.jvp(iterate_object, (X,), (np.ones(3),))
    assert t == pytest.approx(2 * X[0] + 2 * X[1])


# -- a container's entry replaced by one of another length (rules/indexing.setitem_vjp_x) ----------
# The reverse of `d[k] = v` zeroed the old entry's cotangent with the NEW entry's shape
# (`zeros_like(g[k])`), so `hist["loss"].append(v)` in a loop crashed adding lists of lengths 3
# and 2 (a run-time ValueError on main); the old entry's zero is None now.
def history_dict(x):
    hist = {"loss": [], "aux": []}
    for i in range(3):
        hist["loss"].append(x[i] ** 2)
        hist["aux"].append(np.sin(x[i]) * hist["loss"][-1])
    return sum(hist["loss"]) * sum(hist["aux"])


def list_of_lists(x):
    ls = [[], []]
    for v in x:
        ls[0].append(v)
        ls[1].append(v * ls[0][-1])
    return sum(ls[0]) * sum(ls[1])


def dict_entry_grows(x):
    d = {"a": [x[0]], "b": x[1]}
    d["a"] = d["a"] + [x[2], x[0] * x[1]]
    d["b"] = d["b"] * 2
    return sum(d["a"]) * d["b"]


def list_entry_reshaped(x):
    L = [x[:2], x[2]]
    L[0] = np.concatenate([L[0], [x[2] ** 2]])
    return np.sum(L[0] ** 2) * L[1]


@pytest.mark.parametrize("f", [history_dict, list_of_lists, dict_entry_grows, list_entry_reshaped])
def test_container_entries_replaced_by_other_lengths(f):
    _matches_differences(f)


# -- setattr() (lower/calls.py; lower/setattrs.py since session 21) ------------------------------
def set_by_setattr(x):
    g = Grid(x[0], x[1])
    setattr(g, "a", x[2] * 4)  # noqa: B010 (the primal ran it; the derivative did not see it)
    return g.a * g.b


def test_setattr_is_the_attribute_assignment():
    # WRONG in session 6: grad [-0.7, 1.8, 0] where differences give [0, 1.8, -2.8]; then
    # refused; now lowered as `g.a = x[2] * 4`
    np.testing.assert_allclose(srcad.grad(set_by_setattr)(X), [0.0, 4 * X[2], 4 * X[1]])
    _matches_differences(set_by_setattr)


# -- a named np.vectorize object (lower/numpy_fns.Vectorized; found by refuse) ---------------------
def vectorize_then_rebind(x):
    def h(t):
        return t * t

    g = np.vectorize(h, otypes=[float])

    def h(t):  # noqa: F811  (rebinds h: NumPy's g still holds the first one)
        return t * 10.0

    return np.sum(g(x))


def vectorize_default_then_rebind(x):
    k = 2.0
    g = np.vectorize(lambda t, k=k: t * k, otypes=[float])
    k = 5.0
    return np.sum(g(x)) + k


def vectorize_kept(x):
    k = 2.0
    g = np.vectorize(lambda t, k=k: t * k, otypes=[float])
    return np.sum(g(x) * x)


@pytest.mark.parametrize("f", [vectorize_then_rebind, vectorize_default_then_rebind])
def test_vectorize_of_a_rebound_name_is_refused(f):
    # WRONG before: srcad.primal 8.0 / grad [10, 10, 10] where Python gives 2.02 / [0.6, -1.4, 2.4]
    with pytest.raises(srcad.SrcadError, match="rebound since the object was made"):
        srcad.grad(f)(X)


def test_vectorize_without_rebinding_is_differentiated():
    np.testing.assert_allclose(srcad.grad(vectorize_kept)(X), 4.0 * X)


# -- np.modf / np.frexp / np.divmod of a number are tuples (passes/flowfacts.is_ufunc; found by stdlib)
def modf_parts(x):
    fr, ip = np.modf(x[0] * 3.0)
    return fr * x[1] + ip


def divmod_parts(x):
    q, r = np.divmod(x[0] * 7.0, 2.0)
    return q * x[1] + r * x[2]


@pytest.mark.parametrize("f", [modf_parts, divmod_parts])
def test_two_result_ufuncs_of_numbers_at_second_order(f):
    # WRONG before: the tuple was taken for a number, its cotangents added with `+`
    # (concatenated): Hessian [[0, 0], [3, 0]] for [[0, 3], [3, 0]]; hvp's gradient [0, 0.9]
    _matches_differences(f)


# -- a tuple dict key holding a varied float (ad/dictkeys.py; found by stdlib) --------------------
def tuple_keys(x):
    d = {(x[0], 1): 1.0, (x[1], 2): 2.0}
    return sum(k[0] * v for k, v in d.items())


def test_a_tuple_key_holding_a_varied_float_is_refused():
    # WRONG before: grad [0, 0] where Python's derivative is [1, 2]
    with pytest.raises(srcad.SrcadError, match="dict key that depends on the differentiated"):
        srcad.grad(tuple_keys)(X)


# -- np.piecewise with a negative constant or a name bound to a number (lower/numpy_fns.py) ------
def piecewise_constants(x):
    lo = 0.25
    y = np.piecewise(x, [x < -0.5, x > 0.5], [lambda t: t**2, -1.0, lo])
    return np.sum(y * x)


def test_piecewise_takes_negated_and_named_constants():
    # refused (or a TypeError in the primal) before: `-1.0` / `lo` were called as functions
    Y = np.array([0.3, -0.7, 0.9, -0.2])
    assert srcad.primal(piecewise_constants)(Y) == piecewise_constants(Y)
    np.testing.assert_allclose(
        srcad.grad(piecewise_constants)(Y), [0.25, 3 * 0.49, -1.0, 0.25], rtol=1e-12
    )
