"""One tree module (issue 12 item 5): `srcad.trees` walks dicts, lists, tuples, namedtuples,
dataclasses and small user objects with None/string leaves for the public API, `check_grads`
and the runtime helpers (`zeros_like`, `add` keep the class); Jacobians of dict inputs at first
order come in JAX's layout."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pytest

import srcad
from srcad import runtime
from srcad.trees import leaves, rebuild, record_fields, tree_map

P = namedtuple("P", "w b")


@dataclass(frozen=True)
class D:
    w: object
    label: str = "x"


class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class Scaled:
    def __init__(self, a):
        self.a = a
        self.k = 2  # a constant: not only its arguments


class Slotted:  # no __dict__: its fields are not its instance's attributes (srcad.objtrees)
    __slots__ = ("a", "k")

    def __init__(self, a):
        self.a = a
        self.k = 2


def test_leaves_and_rebuild_keep_every_container() -> None:
    tree = {"p": P(np.ones(2), 1.0), "d": D([3.0, None]), "t": (Pair(4.0, 5.0),)}
    assert [type(v).__name__ for v in leaves(tree)] == [
        "ndarray", "float", "float", "NoneType", "str", "float", "float",
    ]  # fmt: skip
    new = tree_map(lambda v: v * 2 if isinstance(v, float) else v, tree)
    assert type(new["p"]) is P and new["p"].b == 2.0
    assert type(new["d"]) is D and new["d"].w == [6.0, None] and new["d"].label == "x"
    assert type(new["t"][0]) is Pair and (new["t"][0].a, new["t"][0].b) == (8.0, 10.0)
    assert rebuild([1.0, (2.0,)], iter([5, 6])) == [5, (6,)]
    assert record_fields(Pair) == ("a", "b") and record_fields(P) == ("w", "b")
    assert record_fields(Scaled) is None and record_fields(dict) is None


def test_runtime_helpers_keep_the_class() -> None:
    z = runtime.zeros_like(P(np.ones(2), 1.0))
    assert type(z) is P and z.b == 0.0
    s = runtime.add(P(np.ones(2), None), P(None, 2.0))
    assert type(s) is P and s.b == 2.0
    s = runtime.add(P(1.0, None), (2.0, 3.0))  # a namedtuple's cotangent given as a tuple
    assert s == P(3.0, 3.0) and type(s) is P
    s = runtime.add(D(1.0, None), D(2.0, None))
    assert type(s) is D and s.w == 3.0
    with pytest.raises(srcad.SrcadError, match="no derivative rule for `.k` of a Slotted"):
        runtime.field(None, "k", Slotted(1.0))
    # an object whose __init__ computes a field: a tree of its own attributes (models26)
    assert runtime.field(None, "k", Scaled(1.0)) == 0.0


def second(xs):
    return xs[0].a * xs[1]


def test_unknown_classes_are_checked_at_run_time() -> None:
    # the class of xs[0] is not in the cache key: the field read is checked when it runs
    assert srcad.grad(second)([Pair(2.0, 0.0), 3.0])[1] == 2.0
    g = srcad.grad(second)([Pair(2.0, 0.0), 3.0])[0]
    assert type(g) is Pair and (g.a, g.b) == (3.0, 0.0)
    with pytest.raises(srcad.SrcadError, match="no derivative rule for `.a` of a Slotted"):
        srcad.grad(second)([Slotted(2.0), 3.0])
    g = srcad.grad(second)([Scaled(2.0), 3.0])  # (models26: its attributes are its fields)
    assert type(g[0]) is Scaled and (g[0].a, g[0].k, g[1]) == (3.0, None, 2.0)


def dict_out(d):
    return np.sin(d["a"]) * d["b"]


def test_first_order_jacobians_of_dict_inputs() -> None:
    d = {"a": np.array([0.1, 0.2]), "b": 3.0}
    for jac in (srcad.jacfwd, srcad.jacrev):
        j = jac(dict_out)(d)
        assert set(j) == {"a", "b"}
        np.testing.assert_allclose(j["a"], np.diag(3 * np.cos(d["a"])), rtol=1e-15)
        np.testing.assert_allclose(j["b"], np.sin(d["a"]), rtol=1e-15)
        j = jac(dict_out, wrt=(0,))({"a": np.array([0.1, 0.2]), "b": np.array([1.0, 2.0])})
        np.testing.assert_allclose(j[0]["b"], np.diag(np.sin([0.1, 0.2])), rtol=1e-15)
        with pytest.raises(srcad.SrcadError, match="is an integer"):
            jac(dict_out)({"a": np.array([0.1, 0.2]), "b": 3})


def test_one_walk_with_a_leaf_notion_and_a_layout() -> None:
    """higher.py's Jacobian blocks use trees.leaves/rebuild with its own `is_leaf` (a rectangular
    list of numbers is one block) and `seq=tuple` (JAX's layout for list inputs)."""
    from srcad.higher import _is_leaf

    tree = {"v": [0.1, 0.2], "r": P(np.ones(2), 0.5), "l": [np.zeros(2), 2.0]}
    assert leaves(tree) == leaves(tree, None)
    assert len(leaves(tree)) == 6 and len(leaves(tree, _is_leaf)) == 5
    assert leaves(tree, _is_leaf)[0] == [0.1, 0.2]
    new = rebuild(tree, iter("abcde"), _is_leaf, tuple)
    assert new == {"v": "a", "r": P("b", "c"), "l": ("d", "e")} and type(new["r"]) is P
    assert rebuild([1.0, [2.0]], iter([5, 6]), seq=tuple) == (5, (6,))


def mixed(p):
    return np.sin(p["v"]) * p["r"].b + p["r"].w * p["l"][1]


def test_jacobians_of_mixed_trees_keep_the_layout() -> None:
    """A list of numbers is one block, a record stays a record, a list of blocks is a list (JAX's
    layout; a tuple before session 10);
    the numbers are the closed forms (and central differences agree)."""
    p = {"v": [0.1, 0.2], "r": P(np.array([1.0, 2.0]), 0.5), "l": [np.array([3.0, 4.0]), 2.0]}
    for jac in (srcad.jacfwd, srcad.jacrev):
        j = jac(mixed)(p)
        np.testing.assert_allclose(j["v"], np.diag(0.5 * np.cos([0.1, 0.2])), rtol=1e-15)
        assert type(j["r"]) is P and type(j["l"]) is list
        np.testing.assert_allclose(j["r"].w, 2.0 * np.eye(2), rtol=1e-15)
        np.testing.assert_allclose(j["r"].b, np.sin([0.1, 0.2]), rtol=1e-15)
        np.testing.assert_allclose(j["l"][0], np.zeros((2, 2)), atol=0)
        np.testing.assert_allclose(j["l"][1], [1.0, 2.0], rtol=1e-15)
    eps = 1e-6
    up = {**p, "r": P(p["r"].w, 0.5 + eps)}
    down = {**p, "r": P(p["r"].w, 0.5 - eps)}
    fd = (mixed(up) - mixed(down)) / (2 * eps)
    np.testing.assert_allclose(srcad.jacrev(mixed)(p)["r"].b, fd, rtol=1e-8)
