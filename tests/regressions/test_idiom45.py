"""Idioms refused before session 45 (idiom45), checked by value: derivatives against central
differences (forward and reverse, to order 2) and the primal against Python's own run.

1. ``super().energy`` of a base class's property, in a method or property of a subclass whose
   method srcad lowers as its own function (srcad/ad/dispatch.resolve_super): the property's
   getter called on ``self``; before, the ``super`` op reached the rules ("no derivative rule").
2. ``getattr(self, "_step_" + method)()`` in a base class's method inlined on an object built
   here whose class (a subclass) alone defines the chosen method (lower/methodpick.py): the
   candidates are the object's exact class's; before, the base class's only, and the call was
   refused when it ran.
3. (``with MGR:`` on a module-level manager instance was lifted here, then refused again by the
   lead: the cache's guard does not follow such a global; tests/soundness/test_lead45.py.)
4. ``copy.copy(o)`` / ``copy.deepcopy(o)`` of a dataclass or small user object built here
   (lower/objcopy.py): a new object built here (shallow: its fields shared; deep: one
   ``deep_copy`` of all the leaves); before, ``copy.copy`` was refused and a field write on the
   ``deepcopy`` was ("assigning to attributes is not supported here").
5. ``objs = {i: C(x[i]) for i in range(3)}`` (a dict comprehension of objects over constants,
   lower/dictobjs.py), then ``for k, o in objs.items(): o.v = ...``: a dict of the objects
   themselves, as the display ``{0: C(...), ...}`` was; before, the field write was refused.
   ``for k in objs: objs[k].v = ...`` over such a dict (or a display's) is unrolled over the
   keys (lower/dictobjs.keys_of), and a store into an item's attribute is no write into the
   iterated dict or list (lower/unrollwrites.py); both were refused.
6. A bound method as a value in a list/tuple/dict of functions (``layers = [Linear(0.5).forward,
   np.tanh]``, ``for f in layers: x = f(x)``; lower/objseq.function_like): of an object built
   here, or of a user class's call result (a record); before, "cannot tell which function this
   call invokes" or "uses a `Linear` object as a value a second time".
7. A nested def writing fields of an enclosing object built here (``def step(v): o.v = o.v +
   v``; lower/nestedfields.py): the fields handed to the inlined body and rebound, as for a
   method; before, "the nested function `step` writes `o`, which is not a variable".
8. ``itertools.permutations(xs)`` without ``r`` of a list/tuple display or a ``range`` of
   constants (lower/iterlists._choose): ``r`` is the known length; before, refused over
   differentiated values ("Python's lazy iterator").
9. ``g = (e for v in xs)`` then ``first = next(g)`` and ``sum(g)`` / ``for w in g``
   (lower/nextgens.py): ``g = iter(xs)`` with ``e`` written where the items are taken (Python's
   late binding kept); before, "`next()` of `g`, a one-shot iterator".
10. ``collections.Counter()`` accumulations in forward mode (rules/trees.py): the tangent of a
    Counter is a Counter of zeros (a missing key's tangent 0, as its value), and tangents of
    Counters add entrywise (a Counter's own ``+`` drops the entries not above zero); before,
    "derivatives through `Counter` objects (a dict subclass) are not supported" (the pinned
    refusal of tests/soundness/test_stdlib6.py moved here, by value).
"""

from __future__ import annotations

import collections
import copy
import itertools
from dataclasses import dataclass

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

R = np.random.default_rng(4505)
X4 = R.standard_normal(4)


# -- 1. `super().prop` ---------------------------------------------------------------------------


class _E0:
    def __init__(self, v):
        self.v = v

    @property
    def energy(self):
        return self.v**2


class _E1(_E0):
    @property
    def energy(self):
        return super().energy * 2 + self.v


class _E2(_E0):
    def total(self):
        return super().energy * 3 - self.v


def super_property_in_property(x):
    return np.sum(_E1(x).energy)


def super_property_in_method(x):
    return np.sum(_E2(x).total() * x)


# -- 2. methodpick on a subclass's method ---------------------------------------------------------


class _Stepper:
    def __init__(self, v):
        self.v = v

    def run(self, method):
        return getattr(self, "_step_" + method)()

    def _step_euler(self):
        return self.v * 2


class _Heun(_Stepper):
    def _step_heun(self):
        return self.v**2 + self.v


def subclass_method_pick(x, method="heun"):
    s = _Heun(x)
    s.v = s.v * 3
    out = s.run(method)
    return np.sum(out * s.run("euler"))


# -- 4. copy.copy / copy.deepcopy of an object built here -----------------------------------------


@dataclass
class _State:
    a: float
    b: np.ndarray


class _Node:
    def __init__(self, v):
        self.v = v


class _Holder:
    def __init__(self, node, w):
        self.node = node
        self.w = w
        self.log = [w]


def copy_dataclass(x):
    d = _State(x[0], x * 2)
    e = copy.copy(d)
    e.a = e.a * 3
    return d.a + e.a + np.sum(e.b * d.b)


def deepcopy_dataclass(x):
    d = _State(x[0], x * 2)
    e = copy.deepcopy(d)
    e.b[0] = 5.0 * x[1]
    e.b = e.b * e.a
    return d.a + np.sum(e.b**2) + np.sum(d.b * x)


def deepcopy_object(x):
    p = _Node(x)
    q = copy.deepcopy(p)
    q.v = q.v * 2
    return np.sum(p.v * q.v)


def copy_nested_shares(x):
    """The shallow copy shares the inner object and the list: Python's writes show in both."""
    o = _Holder(_Node(x[0]), x[1])
    o2 = copy.copy(o)
    o2.node.v = o2.node.v * 3
    o2.w = o2.w * 5
    o2.log.append(o2.w)
    return o.node.v * o.w + o2.w + sum(o2.log) * x[2]


def deepcopy_nested(x):
    o = _Holder(_Node(x[0]), x[1])
    o2 = copy.deepcopy(o)
    o2.node.v = o2.node.v * 3
    o.node.v = 2.0 * o.node.v
    o2.log.append(x[3])
    return o.node.v * o.w + o2.node.v * x[2] + sum(o2.log) * sum(o.log)


def deepcopy_snapshots(x):
    p = _Node(x[0])
    hist = []
    for _ in range(3):
        p.v = p.v * x[1] + x[2]
        hist.append(copy.deepcopy(p).v)
    return sum(hist)


def copies_in_a_history(x):
    """Copies kept in a list (used as run-time values): rebuilt from their fields then."""
    s = _State(0.0, x * 1.0)
    hist, shallow = [], []
    for _ in range(3):
        s.b = s.b + 0.1 * np.sin(s.b)
        s.a = s.a + 0.1
        hist.append(copy.deepcopy(s))
        shallow.append(copy.copy(s))
    return sum(h.a * np.sum(h.b**2) for h in hist) + sum(np.sum(h.b) for h in shallow)


# -- 5. a dict comprehension of objects ------------------------------------------------------------


def dict_of_objects_items(x):
    objs = {i: _Node(x[i]) for i in range(4)}
    for k, o in objs.items():
        o.v = o.v * k + 1.0
    return sum(o.v**2 for o in objs.values())


def dict_of_objects_relax(x):
    objs = {name: _Node(x[0] * len(name)) for name in ("a", "bb", "ccc")}
    for _ in range(3):
        for k in objs:
            objs[k].v = objs[k].v * 0.9 + x[len(k)] * 0.1
    objs["d"] = _Node(x[1])
    del objs["a"]
    return objs["bb"].v * objs["ccc"].v + sum(o.v for o in objs.values())


def dict_display_keys_loop(x):
    objs = {"a": _Node(x[0]), "b": _Node(x[1])}
    for k in objs:
        objs[k].v = objs[k].v * 0.9 + x[len(k)] * 0.1
    return objs["a"].v * objs["b"].v


def list_item_field_in_loop(x):
    objs = [_Node(x[0]), _Node(x[1]), _Node(x[2])]
    for o in objs:
        objs[1].v = o.v * 2 + objs[1].v
    return objs[0].v * objs[1].v * objs[2].v


# -- 6. bound methods as values ---------------------------------------------------------------------


class _Linear:
    def __init__(self, w):
        self.w = w

    def forward(self, x):
        return self.w * x + 0.1


class _Counting:
    def __init__(self, w):
        self.w = w
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return self.w * x


def bound_methods_in_list(x):
    layers = [_Linear(0.5).forward, np.tanh, _Linear(1.5).forward]
    for f in layers:
        x = f(x)
    return np.sum(x**2)


def bound_method_of_stateful_object(x):
    lin = _Counting(0.5)
    layers = [lin.forward, np.tanh, lin.forward]
    for f in layers:
        x = f(x)
    return np.sum(x) * lin.calls


def bound_methods_in_dict(x):
    m = _Linear(2.0)
    fs = {"f": m.forward, "g": np.cos}
    outs = [f(x) for f in (m.forward, np.sin)]
    return np.sum(fs["f"](x) * fs["g"](x)) + np.sum(outs[0] * outs[1])


def bound_method_sees_later_field(x):
    m = _Linear(2.0)
    fs = [m.forward, np.sin]
    m.w = x[1]
    return np.sum(fs[0](x) + fs[1](x))


# -- 7. a nested def writing an enclosing object's fields ------------------------------------------


class _Acc:
    def __init__(self, v):
        self.v = v
        self.n = 0


def nested_def_writes_field(x):
    o = _Acc(0.0)

    def add(v):
        o.v = o.v + v * v
        o.n += 1

    for v in x:
        add(v)
    return o.v * o.n


def nested_def_writes_field_in_branches(x):
    o = _Acc(x[0])

    def step(v):
        o.v = np.sin(o.v) * v
        return o.v

    r = 0.0
    for k in range(len(x)):
        if k % 2:
            r = r + step(x[k])
    return r + o.v


def nested_def_two_levels(x):
    o = _Acc(x[0])

    def outer(v):
        def inner():
            o.v = o.v * v

        inner()
        inner()

    outer(x[1])
    return o.v * x[2]


# -- 8. permutations without r ----------------------------------------------------------------------


def permutations_of_display(x):
    s = 0.0
    for p in itertools.permutations([x[0], x[1], x[2]]):
        s = s + p[0] * p[1] ** 2 + p[2]
    return s + sum(p[0] * p[1] for p in itertools.permutations((x[0], x[1] * 2, x[3])))


def permutations_of_range(x):
    return sum(x[i] * x[j] ** 2 * (k + 1) for i, j, k in itertools.permutations(range(3)))


# -- 9. next(g) of a generator expression, then the rest ------------------------------------------


def next_then_sum(x):
    g = (v * v for v in x)
    first = next(g)
    return first * 3 + sum(g)


def next_then_loop(x):
    g = (np.sin(v) * 2 for v in x)
    head = next(g)
    s = 0.0
    for w in g:
        s = s + w * head
    return s


def next_sees_late_binding(x):
    k = 1.0
    g = (v * k for v in x)
    first = next(g)
    k = 2.0  # Python's later items read the new k
    second = next(g)
    return first * second + max(g)


# -- 10. Counter accumulations ---------------------------------------------------------------------


def counter_accumulate(x):
    c = collections.Counter()
    for i, v in enumerate(x):
        c[i % 2] += v * v
        c["neg"] -= np.sin(v)
    s = 0.0
    for k, v in c.items():
        s = s + v**2 * (1.0 + (k == 0))
    return c[0] * c[1] + c[7] + s + c.get(1, 0.0) * len(c)


def _stdlib6_counter(x):
    c = collections.Counter()
    c["a"] += x[0]
    return c["a"] * x[1]


def test_counter_forward_mode_by_value():
    x = np.array([0.3, 0.7, 1.1])
    out, t = srcad.jvp(_stdlib6_counter, (x,), (np.ones(3),))
    assert np.isclose(out, 0.21) and np.isclose(t, 1.0)
    np.testing.assert_allclose(srcad.grad(_stdlib6_counter)(x), [0.7, 0.3, 0.0], atol=1e-12)


CASES = [
    (super_property_in_property, (X4,)),
    (super_property_in_method, (X4,)),
    (subclass_method_pick, (X4,)),
    (subclass_method_pick, (X4, "euler")),
    (copy_dataclass, (X4,)),
    (deepcopy_dataclass, (X4,)),
    (deepcopy_object, (X4,)),
    (copy_nested_shares, (X4,)),
    (deepcopy_nested, (X4,)),
    (deepcopy_snapshots, (X4,)),
    (copies_in_a_history, (X4,)),
    (dict_of_objects_items, (X4,)),
    (dict_of_objects_relax, (X4,)),
    (dict_display_keys_loop, (X4,)),
    (list_item_field_in_loop, (X4,)),
    (bound_methods_in_list, (X4,)),
    (bound_method_of_stateful_object, (X4,)),
    (bound_methods_in_dict, (X4,)),
    (bound_method_sees_later_field, (X4,)),
    (nested_def_writes_field, (X4,)),
    (nested_def_writes_field_in_branches, (X4,)),
    (nested_def_two_levels, (X4,)),
    (permutations_of_display, (X4,)),
    (permutations_of_range, (X4,)),
    (next_then_sum, (X4,)),
    (next_then_loop, (X4,)),
    (next_sees_late_binding, (X4,)),
    (counter_accumulate, (X4,)),
]


@pytest.mark.parametrize(("fn", "args"), CASES, ids=[c[0].__name__ for c in CASES])
def test_lifted_by_value(fn, args):
    check_grads(fn, copy.deepcopy(args), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(fn)(*copy.deepcopy(args)), fn(*copy.deepcopy(args)))


class _Two:
    def __init__(self, a, b):
        self.a = a
        self.b = b


def _deepcopy_one_array_twice(x):
    y = x * 2
    t = _Two(y, np.asarray(y))  # one array in two fields: Python's copy keeps it shared
    u = copy.deepcopy(t)
    u.a[1] = 7.0
    return np.sum(u.b * x)


def _copy_shared_list_read(x):
    o = _Holder(_Node(x[0]), x[1])
    o2 = copy.copy(o)
    o2.log.append(x[2])
    return sum(o.log)  # the list both share, appended to through the copy


def _deepcopy_ints(x):
    t = _Two(len(x), x.shape[0])  # (one small int object: immutable, no refusal)
    u = copy.deepcopy(t)
    return np.sum(x**2) * u.a * u.b


def test_deepcopy_refuses_one_mutable_object_in_two_fields():
    with pytest.raises(srcad.SrcadError, match="two of whose fields hold one mutable"):
        srcad.grad(_deepcopy_one_array_twice)(X4)


def test_copy_shared_list_refused_or_right():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(_copy_shared_list_read)(X4)


def test_deepcopy_same_small_ints():
    check_grads(_deepcopy_ints, (X4,), modes=("fwd", "rev"), order=2)


def _dict_grows_in_loop(x):
    objs = {i: _Node(x[i]) for i in range(2)}
    for k in objs:
        objs[k + 2] = _Node(x[k])  # Python: RuntimeError (the dict changed size)
    return objs[0].v


def test_dict_changed_while_iterated_still_refused():
    with pytest.raises((srcad.SrcadError, RuntimeError)):
        srcad.grad(_dict_grows_in_loop)(X4)


def _nested_def_rebinds_object(x):
    o = _Acc(x[0])

    def step(v):
        nonlocal o
        o.v = o.v * v
        o = _Acc(v)

    step(x[1])
    return o.v


def test_nested_def_rebinding_the_object_still_refused():
    with pytest.raises(srcad.SrcadError, match="writes `o`"):
        srcad.grad(_nested_def_rebinds_object)(X4)


def _next_then_source_written(x):
    y = x * 1.0
    g = (v * v for v in y)
    y[1] = 5.0  # Python's generator reads the new item
    first = next(g)
    return first + sum(g)


def test_next_generator_source_written_refused_or_right():
    want = _next_then_source_written(X4.copy())
    try:
        got = srcad.primal(_next_then_source_written)(X4.copy())
    except srcad.SrcadError:
        return
    assert np.allclose(got, want)
