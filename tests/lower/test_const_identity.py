"""`ssa.Const` of a value Python cannot hash (a helper's dict/list default, an array) is that
object: equal only to a Const of the same object, hashed by identity, so a table of operands
never merges two distinct dicts whose contents happen to be equal (each is read when the
generated code runs, and they may differ by then)."""

import numpy as np

from srcad.ssa.core import Const


def test_unhashable_values_are_their_object():
    a, b = {"k": 2.0}, {"k": 2.0}
    assert Const(a) == Const(a) and hash(Const(a)) == hash(Const(a))
    assert Const(a) != Const(b)
    assert len({Const(a), Const(b), Const(a)}) == 2
    la, lb = [1.0], [1.0]
    assert Const(la) != Const(lb) and len({Const(la): 1, Const(lb): 2}) == 2
    x, y = np.ones(3), np.ones(3)  # (no elementwise ==: a truth value of an array raises)
    assert Const(x) == Const(x) and Const(x) != Const(y)


def test_hashable_values_compare_as_before():
    assert Const(2) == Const(2) and Const(2.0) == Const(2) and hash(Const(2.0)) == hash(Const(2))
    assert Const("s") == Const("s") and Const((1, 2)) == Const((1, 2))
    assert Const(1) != Const(2) and Const(None) == Const(None)
    assert Const(1) != 1  # (not a Const)


def test_slices_compare_by_value_on_every_version():
    """Slices (unhashable before Python 3.12) and tuples of them are values, as on 3.12+: the
    optimiser's comparisons of index constants do not depend on the Python version."""
    a, b = Const(slice(1, None)), Const(slice(1, None))
    assert a == b and hash(a) == hash(b) and a != Const(slice(2, None))
    t, u = Const((slice(None), 0)), Const((slice(None), 0))
    assert t == u and hash(t) == hash(u) and len({t, u}) == 1
    assert Const((slice(None), [1])) != Const((slice(None), [1]))  # (a list inside: objects)
