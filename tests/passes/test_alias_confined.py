"""The mutation check's shortcut (srcad/passes/alias_confined.py): updates confined to objects the
function made and hands along linearly skip the points-to analysis.

Each case is on one side of the boundary: `confined` must hold for the plain ways of building a
list or filling an array (or the shortcut is useless) and must not for anything the analysis
has to look at. And wherever it holds, the analysis itself finds nothing (no hazard, no effect,
no updated argument): checked on these cases and on every function of the mutation check's own
test modules, refused or not.
"""

# the functions below are lowered, not run
# ruff: noqa: B007, F841

from __future__ import annotations

import inspect
import types

import numpy as np
import pytest

from srcad.passes.alias import _param_mutations, _run
from srcad.passes.alias_confined import confined
from srcad.passes.alias_flow import Facts
from srcad.passes.prepare import lowered
from tests.passes import test_alias, test_alias_rowwrites, test_soundness_alias
from tests.passes.irtext import lower

W = np.ones(3)


def helper(v):
    return v * 2.0


# -- confined: the analysis is skipped ------------------------------------------------------------


def fill_loop(x):
    out = np.zeros(3)
    for i in range(3):
        out[i] = np.sin(x[i]) * x[i]
    return np.sum(out)


def append_loop(x):
    acc = []
    for p in range(1, 4):
        acc.append(np.mean(x**p))
    return acc[0] + 0.5 * acc[1] + sum(acc)


def comprehension(x):
    return sum([np.sum(x > b) * b for b in (0.0, 0.5)])


def dict_built(x):
    d = {}
    d["a"] = x * 2.0
    d["b"] = np.sum(x)
    k = "a"
    return d[k] + d["b"]


def branch_update(x, flag):
    out = [x]
    if flag > 0:
        out.append(x * 2.0)
    else:
        out.append(x * 3.0)
    return out[1] + len(out)


def nested_fill(x):
    total = 0.0
    for i in range(2):
        row = np.zeros(3)  # made and used up within one iteration
        for j in range(3):
            row[j] = x[j] * i
        total = total + np.sum(row)
    return total


def while_fill(x):
    out = np.zeros(3)
    i = 0
    while i < len(out):
        out[i] = x[i] * 2.0
        i = i + 1
    return out * 1.0


def returned_list(x):
    out = []
    out.append(x)
    out.append(x * 2.0)
    return out


def read_between_updates(x):
    a = np.zeros(3)
    s = 0.0
    for i in range(3):
        a[i] = x
        s = s + np.sum(a)  # the updated value
    return s


def augmented_fresh(x):
    a = np.zeros(3)
    a += x
    return a


def augmented_loop(x):
    total = 0.0
    acc = []
    for i in range(3):
        total += x[i] * 2.0
        acc += [x[i]]  # `x[i]` is stored, not `acc` nor `total`
    return total + sum(acc)


def fresh_product(x):
    y = x * 1.0
    y[0] = 3.0
    return y


CONFINED = [fill_loop, append_loop, comprehension, dict_built, branch_update, nested_fill,
            while_fill, returned_list, read_between_updates, augmented_fresh,
            augmented_loop, fresh_product]  # fmt: skip


@pytest.mark.parametrize("f", CONFINED, ids=lambda f: f.__name__)
def test_plain_builds_are_confined(f):
    assert confined(lower(f))
    g = lowered(f)  # the check itself accepts them, updating no argument
    assert g.param_mutations == {} and g.alias_recheck is None


# -- not confined: the analysis decides ---------------------------------------------------------


def second_name(x):
    a = test_alias.same(np.zeros(3))  # (`b = a` of np.zeros: read as `a`, lower/viewwrites.py)
    b = a
    a[0] = x
    return b


def view_read(x):
    a = np.zeros(3)
    v = a[1:3]
    a[0] = x
    return v


def element_read_of_array(x):
    a = np.zeros((2, 2))
    r = a[0]  # a row: a view
    a[0, 0] = x
    return r


def stored_in_list(x):
    a = np.zeros(3)
    box = [a]
    a[0] = x
    return box[0]


def appended_object(x):
    a = np.zeros(3)
    out = []
    out.append(a)
    a[0] = x
    return out


def argument_updated(x):
    x[0] = 1.0
    return x


def global_updated(x):
    w = W
    w[0] = x
    return x


def read_after_update_in_loop(x):
    a = test_alias.same(np.zeros(3))  # (`b = a` of np.zeros: read as `a`, lower/viewwrites.py)
    b = a
    s = 0.0
    for i in range(3):
        a[i] = x
        s = s + np.sum(b)  # the value before the loop, read in every iteration
    return s


def outer_updated_in_loop(x):
    a = test_alias.same(np.zeros(3))  # (`b = a` of np.zeros: read as `a`, lower/viewwrites.py)
    b = a
    for i in range(3):
        b[i] = x
    return a


def made_in_loop_carried(x):
    keep = []
    for i in range(3):
        cur = [i]
        cur.append(x)
        keep = cur  # an object made in the body survives the iteration
    return keep


def swapped(x):
    a = np.zeros(3)
    b = np.zeros(3)
    for i in range(3):
        a[i] = x
        a, b = b, a
    return a + b


def passed_to_helper(x):
    a = np.zeros(3)
    a[0] = x
    return helper(a)


def augmented_alias(x):
    a = test_alias.same(np.zeros(3))  # (`b = a` of np.zeros: read as `a`, lower/viewwrites.py)
    b = a
    a += x
    return b


def augmented_argument(x):
    x += 1.0
    return x


def item_augmented(x):
    a = [np.zeros(3)]
    a[0] += x
    return a


def slice_of_list(x):
    out = [x]
    out.append(x)
    head = out[:1]
    return head


NOT_CONFINED = [second_name, view_read, element_read_of_array, stored_in_list, appended_object,
                argument_updated, global_updated, read_after_update_in_loop,
                outer_updated_in_loop, made_in_loop_carried, swapped, passed_to_helper,
                augmented_alias, augmented_argument, item_augmented, slice_of_list]  # fmt: skip


@pytest.mark.parametrize("f", NOT_CONFINED, ids=lambda f: f.__name__)
def test_anything_else_is_left_to_the_analysis(f):
    assert not confined(lower(f))


# -- wherever it holds, the analysis finds nothing --------------------------------------------


def _functions():
    out = list(CONFINED) + list(NOT_CONFINED)
    for mod in (test_alias, test_alias_rowwrites, test_soundness_alias):
        for name, f in sorted(vars(mod).items()):
            if (
                isinstance(f, types.FunctionType)
                and f.__module__ == mod.__name__
                and not name.startswith(("test_", "_"))
                and inspect.signature(f).parameters
            ):
                out.append(f)
    return out


def test_confined_means_the_analysis_finds_nothing():
    checked = 0
    for f in _functions():
        try:
            fn = lower(f)
        except Exception:
            continue  # refused by the lowering itself
        if not confined(fn):
            continue
        checked += 1
        flow = _run(fn, Facts())
        assert not flow.hazards and not flow.effects, f.__name__
        assert not _param_mutations(fn, flow), f.__name__
    assert checked >= len(CONFINED)
