"""``a | b`` of dicts, and shallow copies of containers updated with ``c[k] op= v`` (session 9, lead).

1. ``a | b`` was lowered as a bitwise or, whose derivative is zero, also when the operands were
   dicts: ``cfg = defaults | {"s": 3 * x}; cfg["s"] * ...`` had derivative 0 in every mode,
   silently. An ``|`` whose operands may be dicts now calls the runtime's ``dict_or`` (a merge:
   each entry's derivative comes from the operand that gave it; srcad/rules/dictops.py); integers,
   bool arrays and sets keep the zero derivative; a user class's ``__or__`` reached without a
   known class is refused when the code runs.
2. ``m = base.copy()`` / ``base + [...]`` / ``base | {...}`` then ``m[k] += v`` on an array entry:
   Python updates the array both containers hold; srcad gave ``base``'s old value (1.29 for
   5.29), silently, and a wrong gradient when ``base`` was the differentiated argument. Such
   copies count as containers for the item-update check (passes/alias_nested.box_like), as
   ``dict(base)`` already did: refused when the source is read again.
3. ``{**base, "k": v}`` (refused before) is ``dict(base) | {"k": v}``.
4. A list/dict a helper made and returned (``ps = wrap(base)``, ``c2 = with_lr(cfg, lr)``) holding
   the caller's arrays, then ``ps[0] -= v`` and ``base`` read: the same wrong value (1.29 for
   0.89); the call's result now counts as a container made here (alias summary: ``box``).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.13, 0.57])


def merged_literal(x):
    out = {"a": x[0], "b": x[1]}
    out = out | {"e": out["a"] * out["b"]}
    return sum(out.values())


def merged_in_place(x):
    out = {k: v for k, v in zip("abcd", x)}
    out |= {"e": out["a"] * out["b"]}
    return sum(v**2 for v in out.values())


def _or(d1, d2):
    return d1 | d2


def merged_by_a_helper(x):
    return sum(_or({"a": x[0]}, {"b": x[1] ** 2, "a": x[2]}).values())


def config_override(x):
    cfg = {"w": x[:2], "s": 2.0}
    m = cfg | {"s": x[2] * 3}
    return np.sum(m["w"] ** 2) * m["s"] + cfg["s"]


def merged_in_a_loop(x):
    acc = {}
    for i in range(3):
        acc = acc | {f"k{i}": x[i] * (i + 1)}
    return sum(v**2 for v in acc.values())


def unpacked(x):
    out = {"a": x[0], "b": x[1]}
    o2 = {**out, "e": out["a"] * out["b"], "a": x[2]}
    m = {**{"w": x[:2]}, **{"b": x[3]}}
    return sum(o2.values()) + np.sum(m["w"] ** 2) * m["b"]


def _scaled(x, **kw):
    cfg = {"scale": 1.0, **kw}
    return x * cfg["scale"]


def unpacked_keywords(x):
    return np.sum(_scaled(x, scale=x[0]) ** 2)


def integer_or(x):
    n = len(x) | 1
    mask = (x > 0) | (x < -0.5)
    return n * x[0] + (3 | 4) * x[1] + np.sum(np.where(mask, x, 0.0) ** 2)


@pytest.mark.parametrize(
    "f",
    [
        merged_literal,
        merged_in_place,
        merged_by_a_helper,
        config_override,
        merged_in_a_loop,
        unpacked,
        unpacked_keywords,
        integer_or,
    ],
)
def test_dict_or_carries_derivatives(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-12)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)


class _V:
    def __init__(self, v):
        self.v = v

    def __or__(self, o):
        return _V(self.v * o.v)


def _pair(x):
    return [_V(x[0]), _V(x[1])]


def or_of_unknown_objects(x):
    vs = _pair(x)
    return (vs[0] | vs[1]).v


def or_of_known_objects(x):
    vs = [_V(x[0]), _V(x[1])]
    return (vs[0] | vs[1]).v


def test_or_of_objects_is_their_method_or_refused():
    with pytest.raises(srcad.SrcadError, match=r"`a \| b` on a value of type `_V`"):
        srcad.grad(or_of_unknown_objects)(X.copy())
    g = srcad.grad(or_of_known_objects)(X.copy())
    np.testing.assert_allclose(g, [X[1], X[0], 0.0, 0.0])


def merged_in_place_alias(x):
    d = {"a": x[0]}
    alias = d
    d |= {"b": x[1] ** 2}
    return sum(alias.values())


def copy_then_update(x):
    base = {"w": x * 1.0}
    m = base.copy()
    m["w"] += 1.0
    return np.sum(base["w"])


def concat_then_update(x):
    base = [x * 1.0]
    m = base + [x[0]]
    m[0] += 1.0
    return np.sum(base[0])


def merge_then_update(x):
    base = {"w": x * 1.0}
    m = base | {"b": x[0]}
    m["w"] += 1.0
    return np.sum(base["w"])


def _with_lr(cfg, lr):
    return cfg | {"lr": lr}


def helper_merge_then_update(x):
    cfg = {"w": x[:2] * 1.0, "lr": 0.1}
    c2 = _with_lr(cfg, x[2])
    c2["w"] -= c2["lr"] * c2["w"]
    return np.sum(c2["w"] ** 2) + np.sum(cfg["w"])


def _wrap(ps):
    return list(ps)


def helper_copy_then_update(x):
    base = [x * 1.0]
    ps = _wrap(base)
    ps[0] -= 0.1
    return np.sum(base[0])


def unpack_then_update(x):
    base = {"w": x * 1.0}
    m = {**base}
    m["w"] += 1.0
    return np.sum(base["w"])


@pytest.mark.parametrize(
    "f",
    [
        copy_then_update,
        concat_then_update,
        merge_then_update,
        unpack_then_update,
        helper_merge_then_update,
        helper_copy_then_update,
    ],
)
def test_update_seen_through_a_shallow_copy_is_refused(f):  # (`merged_in_place_alias`: below)
    for run in (srcad.primal(f), srcad.grad(f)):
        with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
            run(X.copy())


def copy_of_the_argument(params):
    new = params.copy()
    new["w"] -= 0.1
    return np.sum(params["w"] ** 2)


def test_update_of_the_arguments_array_through_a_copy_is_refused():
    with pytest.raises(srcad.SrcadError, match="inside the argument `params`"):
        srcad.grad(copy_of_the_argument)({"w": X.copy()})


def concat_then_update_own(x):
    base = [x * 1.0]
    m = base + [x[0]]
    m[0] += 1.0
    return np.sum(m[0]) * m[1]


def merge_then_update_own(x):
    base = {"w": x * 1.0}
    m = base | {"b": x[0]}
    m["w"] += 1.0
    return np.sum(m["w"] ** 2) * m["b"]


def array_copy_then_update(x):
    y = x.copy()
    y[1:] += 1.0
    y[0] *= 2.0
    return np.sum(y * x)


@pytest.mark.parametrize(
    "f", [concat_then_update_own, merge_then_update_own, array_copy_then_update]
)
def test_updates_nobody_else_sees_stay_differentiated(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-12)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_copy_of_an_array_argument_of_any_dtype_updated_in_place(dtype):
    # (the copy of a list/dict argument is checked, not that of an array of another dtype)
    x = X.astype(dtype)
    g = srcad.grad(array_copy_then_update)(x)
    y = X.copy()
    y[1:] += 1.0
    y[0] *= 2.0
    want = y + X * np.array([2.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(g, want, rtol=1e-5)


def index_with_effects(x):
    idx = [0]

    def nxt():
        idx[0] += 1
        return idx[0]

    y = x * 1.0
    y[nxt()] += 5.0
    return np.sum(y * np.arange(4)) + idx[0]


def slice_bounds_with_effects(x):
    cnt = [0]

    def f():
        cnt[0] += 1
        return cnt[0] % 4

    m = np.outer(x, x)
    m[f(), f()] += 1.0
    m[f() :, f()] *= 2.0
    m[:: f(), 1 : f() + 1] -= 0.5
    return np.sum(m * np.arange(16).reshape(4, 4)) + cnt[0]


def test_the_index_of_an_augmented_assignment_is_evaluated_once():
    f = slice_bounds_with_effects
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()))
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))
    # (it was evaluated for the read and again for the write: y[2] = y[1] + 5, 11.55 for 9.25)
    assert srcad.primal(index_with_effects)(X.copy()) == pytest.approx(index_with_effects(X))
    np.testing.assert_allclose(srcad.grad(index_with_effects)(X.copy()), np.arange(4.0))


def index_rebound_by_the_right_side(x):
    i = 0

    def g():
        nonlocal i
        i += 1
        return x[3]

    y = x * 1.0
    y[i] += g()
    ls = [[x[0]], [x[1]], [x[2]]]
    ls[i].append(g())
    k = "a"

    def h():
        nonlocal k
        k = "b"
        return x[2]

    d = {"a": x[0], "b": x[1]}
    d[k] += h()
    return np.sum(y * np.arange(1, 5)) + sum(sum(r) * (j + 1) for j, r in enumerate(ls)) + d["a"]


def test_the_index_is_read_before_the_right_side_runs():
    # (Python evaluates the target's index first; the right side rebinding it through
    # `nonlocal` made srcad write another element: 9.6 for 6.54 on b6ed004)
    f = index_rebound_by_the_right_side
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()))
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def test_dict_merged_in_place_through_a_copy():  # `d |= {...}` updates the dict `alias` is
    check_grads(merged_in_place_alias, (X.copy(),), modes=("fwd", "rev"), order=2)
