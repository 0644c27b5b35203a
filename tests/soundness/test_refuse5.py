"""Neighbours of the idioms session 5's `refuse` accepted (tests/corpus/users_idioms3.py) that
must stay refused, or be exact: nested functions writing enclosing variables where Python runs
them later than srcad would (generators, `map` objects, `while` conditions), or as functions of
their own (`srcad.grad(helper)`); ``._replace`` of classes that are not plain namedtuples;
``for k, v in d.items()`` loops whose body writes more than the current entry (the items stay a
view of `d`: a later `v` must see the write); objects whose __init__ computes fields, used as
run-time values (built again by a call of their class: only when __init__ is pure)."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.7, 1.2])


def lazy_generator(x):
    acc = 0.0

    def push(v):
        nonlocal acc
        acc = acc + v
        return v

    gen = (push(v) for v in x)
    a = acc * 1.0 + 1.0  # Python: 1.0 (the generator has not run yet)
    return sum(gen) * a


def lazy_map(x):
    acc = 0.0

    def push(v):
        nonlocal acc
        acc = acc + v
        return v * v

    m = map(push, x)
    a = acc + 1.0
    return sum(m) * a


def writer_in_while_test(x):
    k = 0
    acc = x[0]

    def more():
        nonlocal k
        k += 1
        return k < 4

    while more():
        acc = acc * x[1]
    return acc


def writer_lifted(x):
    acc = 0.0

    def add(v):
        nonlocal acc
        acc = acc + v
        return v * v

    return srcad.grad(add)(x[0]) + acc


def consumed_generator(x):
    acc = 0.0

    def push(v):
        nonlocal acc
        acc = acc + v
        return v * v

    s = sum(push(v) for v in x)
    return s * acc


def short_circuit_writes(x):
    acc = 1.0

    def push(v):
        nonlocal acc
        acc = acc * v
        return v > 0

    x[0] > 0 and push(x[1])
    push(x[2]) if x[1] > 0 else push(x[0])
    return acc


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (lazy_generator, "generator expression runs its items when it is consumed"),
        (lazy_map, "`map` object runs its items when it is consumed"),
        (writer_lifted, "modifies `acc` of the enclosing function"),
    ],
)
def test_writer_run_later_is_refused(fn, words) -> None:
    with pytest.raises(srcad.SrcadError, match=words):
        srcad.grad(fn)(X)


# (a `while` condition calling a nested function that writes `k`: refused before session 26,
# now lowered as `while True: if not cond: break; ...`, the loop carrying `k`)
@pytest.mark.parametrize("fn", [consumed_generator, short_circuit_writes, writer_in_while_test])
@pytest.mark.parametrize("x", [X, -X, np.abs(X)])
def test_writer_run_now_is_exact(fn, x) -> None:
    check_grads(fn, (x,), modes=("fwd", "rev"), order=2)


class _Own:  # a record (its __init__ only stores) with a `_replace` of its own
    def __init__(self, a):
        self.a = a

    def _replace(self, a):
        return _Own(a * 2.0)


_NT = collections.namedtuple("_NT", "a b")


class _NTDoubling(_NT):
    def _replace(self, **kw):
        return super()._replace(**{k: v * 2.0 for k, v in kw.items()})


def own_replace(x):
    return _Own(x[0])._replace(a=x[1]).a * x[2]


def overridden_replace(x):
    return _NTDoubling(x[0], x[1])._replace(a=x[2]).a * x[0]


@pytest.mark.parametrize("fn", [own_replace, overridden_replace])
def test_replace_of_other_classes_is_refused(fn) -> None:
    """``._replace`` is lowered as the namedtuple's; another class's method is refused when it
    runs, never taken for the namedtuple's (the gradient would miss its factor 2)."""
    with pytest.raises(srcad.SrcadError, match="replaces fields of namedtuples"):
        srcad.grad(fn)(X)


def items_write_through_alias(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    e = d
    for k, v in d.items():
        e["c"] = v * 2.0  # Python: the `v` of "c" is this value
        d[k] = v + 1.0
    return d["a"] * d["b"] + d["c"]


def items_write_through_helper(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}

    def bump(v):
        d["c"] = v * 2.0

    for k, v in d.items():
        bump(v)
        d[k] = v + 1.0
    return d["a"] * d["b"] + d["c"]


def items_write_other_key(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    for k, v in d.items():
        if k == "a":
            d["b"] = v * 2.0
        d[k] = v + 1.0
    return d["a"] * d["b"] + d["c"]


@pytest.mark.parametrize(
    "fn", [items_write_through_alias, items_write_through_helper, items_write_other_key]
)
def test_items_loop_writing_other_entries_is_refused(fn) -> None:
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(fn)(X)


class _Noisy:  # __init__ computes a field with an effect: cannot be built twice
    def __init__(self, w):
        self.w = w * np.random.default_rng(0).normal()


class _Scaled:
    def __init__(self, w):
        self.w = w
        self.w2 = w * 2.0

    def __call__(self, v):
        return self.w2 * v


def _read_w2(m, v):
    return m.w2 * v


def noisy_escapes(x):
    return _read_w2(_Noisy(x[0]), x[1])


def scaled_escapes_differentiated(x):
    return _read_w2(_Scaled(x[0]), x[1])


def scaled_escapes_constant(x):
    m = _Scaled(3.0) if x[0] > 0 else _Scaled(4.0)
    return _read_w2(m, x[1]) + m(x[2])


def test_object_with_effects_in_init_is_not_built_twice() -> None:
    """Lowered as before (the class called once at run time), so refused as before."""
    with pytest.raises(srcad.SrcadError, match="cannot differentiate through `_Noisy"):
        srcad.grad(noisy_escapes)(X)


def _make_reader():
    def read(m, v):
        return m.w2 * v

    return read


_read_closure = _make_reader()  # a closure: not inlined (lower/objcalls.py)


def scaled_escapes_to_closure(x):
    return _read_closure(_Scaled(x[0]), x[1])


def test_escaping_object_keeps_the_old_rules() -> None:
    """Passed to a function srcad does not inline, an object whose __init__ computes fields is
    the class called at run time, as before: refused when differentiated through, exact when
    constant. A module-level helper is inlined with the object itself (session 9): right."""
    with pytest.raises(srcad.SrcadError, match="cannot differentiate through `_Scaled"):
        srcad.grad(scaled_escapes_to_closure)(X)
    check_grads(scaled_escapes_differentiated, (X,), modes=("fwd", "rev"), order=2)
    check_grads(scaled_escapes_constant, (X,), modes=("fwd", "rev"), order=2)
    check_grads(scaled_escapes_constant, (-X,), modes=("fwd", "rev"), order=2)
