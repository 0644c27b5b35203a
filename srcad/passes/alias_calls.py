"""What a call of a user function gives the points-to analysis of passes/alias_flow.py, and what a
function's return value holds of the objects it made (its summary's ``("m", flags)``).

Input: the `Flow` of the caller, the ``call`` op and the state before it; the callee's summary
(passes/alias.py `_call_summary`: what its return value may be and may hold, in the caller's
terms). Output: the objects the call's result may be.

The result is a new object holding the pre-existing objects the callee's return value reaches
(its arguments, objects inside them, globals) and, when the callee returns a container holding
objects it made itself (``[[x0, 0.0], [x1, 0.0]]``, a list of fresh arrays), two summary
objects standing for those: the ones the result holds (``first``, a newest/older pair aged at
every call, as `Flow.alloc` does) and the ones deeper (``deep``, holding itself). So ``b = mk(x);
v = b[1]; v[0] += 1.0`` makes ``b`` stale (Python sees the change through ``b[1]``), as it would
for the list literal written in the caller. Flags of the summary (`made_flags`): `TREE` when
each made object the result holds is held once and nothing in it holds an object twice (then
the result holds nothing twice, so a nested write-back ``b[1][1] = v`` is exact, as for a
literal), `BOXES` when those objects are all lists/tuples/dicts (``b[1][0]`` is then an element,
never ``b[1]`` itself), `DEEP` when they hold objects the callee made too (``deep`` exists only
then: ``b[1][0]`` of ``[[1.0, 2.0]]`` is a number, not an array an update could change).

A callee returning a tuple literal of distinct new arrays holding nothing (``return epx, eph``,
each made by a ``np.vstack``: `fresh_positions`) gives a new tuple holding one new object per
position, as ``np.linalg.svd`` does (passes/alias_tuples.py): ``a, b = f(x); b *= 3.0`` leaves
`a` as it was. The one summary object stood for both, so the read of `a` was refused.
"""

from __future__ import annotations

import collections
from typing import Any

from srcad.lower.values import static_value
from srcad.passes.alias_index import defined_by
from srcad.passes.alias_model import EMPTY, State, age
from srcad.passes.alias_tuples import fresh_tuple
from srcad.passes.scalars import scalar_vars
from srcad.ssa.core import Op

TREE, BOXES, DEEP = 1, 2, 4


def made_flags(flow: Any, st: State) -> int | None:
    """For a function's return value (`flow.ret`, at the end of its analysis): None when it
    holds no object the function made, else the `TREE`/`BOXES` flags."""
    reach = flow.ret_reach
    first = flow.contents(st, flow.ret)
    inner = [o for o in flow.reach(st, first) if o[0] in ("n", "o")]
    if not inner:
        return None  # (most functions: no scalar_vars pass)
    numbers = scalar_vars(flow.fn, set()) | flow.item_numbers  # (`x[0] * 2.0`: no object)

    def made(objs: Any) -> list:
        return [o for o in objs if o[0] in ("n", "o") and not _number(flow, o, numbers)]

    if not made(inner):
        return None
    holders: dict[tuple, int] = {}
    for o in reach:
        for c in st.heap.get(o, EMPTY):
            holders[c] = holders.get(c, 0) + 1
    firsts = made(first)
    tree = st.dup.isdisjoint(reach) and all(holders.get(o, 0) == 1 for o in firsts)
    boxes = all(o[1] in flow.boxes for o in firsts)
    deep = bool(made(flow.reach(st, flow.contents(st, frozenset(firsts)))))
    return (TREE if tree else 0) | (BOXES if boxes else 0) | (DEEP if deep else 0)


_NUMBER_PRIMS = frozenset({"float", "int", "bool", "len"})


def _number(flow: Any, o: tuple, numbers: set) -> bool:
    """Is every value the op making `o` defines a number (an immutable object)? (`float(x[0])`:
    a Python float whatever `x[0]` is; `math.*` functions give numbers.)"""
    defs = flow.site_of.get(("n", o[1]), ())

    def num(v: object) -> bool:
        prim = defined_by(flow, v)[0] or ""
        return v in numbers or prim in _NUMBER_PRIMS or prim.startswith("math.")

    return bool(defs) and all(num(v) for v in defs)


def fresh_positions(flow: Any, st: State) -> tuple[bool, ...] | None:
    """For a function returning a tuple literal: per position, whether it holds an object, when
    each object is one new object of this function holding nothing and no two positions share
    one (``return epx, loss``: (True, False)); None otherwise."""
    lit = flow.literal.get(flow.fn.body.yields[0])
    if lit is None or lit.prim != "tuple" or lit.kwargs:
        return None
    numbers = scalar_vars(flow.fn, set()) | flow.item_numbers
    out: list[bool] = []
    seen: set[tuple] = set()
    for a in lit.args:
        objs = [o for o in flow.pts(st, a) if not _number(flow, o, numbers)]
        if not objs:
            out.append(False)
            continue
        (o,) = objs if len(objs) == 1 else (None,)
        if o is None or o[0] != "n" or o in seen or st.heap.get(o) or o in st.dup:
            return None
        seen.add(o)
        out.append(True)
    return tuple(out)


def call_result(flow: Any, op: Op, st: State) -> frozenset:
    """A user function: what its return value may be or hold, from its own analysis."""
    if (made := _defaultdict(flow, op, st)) is not None:
        return made
    s = flow.summary(flow.fn, op) if flow.summary else None
    if s is None:  # not known: it may return a container of objects it made (not a class:
        # `defaultdict(list)`, a deque hold their arguments' objects; a user class's instance
        # is the object lowering's)
        srcs = flow.reach(st, flow.pts_all(st, list(op.args[1:]) + list(op.kwargs.values())))
        ok, obj = static_value(flow.fn, op.args[0]) if op.args else (False, None)
        if not (ok and isinstance(obj, type)):
            srcs = srcs | _made(flow, op, st, srcs, DEEP)
        return flow.alloc(st, op, srcs, dup=True) | srcs
    binding, direct, within, box, fresh = s
    if fresh is not None and not direct and all(kind == "m" for kind, _ in within):
        return fresh_tuple(flow, st, op, fresh)  # new arrays, one per position (docstring)
    if box:  # a list/dict the callee made (`c[k] op= v` on it: `alias_nested.item_update`)
        flow.boxes.add(flow.sites.setdefault(id(op), len(flow.sites)))
    if box == "dict":  # `for k in g: g[k] = ...` of `g = grads(p)`: its keys are no objects
        flow.dicts.add(flow.sites[id(op)])
    def_objs: frozenset = EMPTY
    in_objs: frozenset = EMPTY
    flags = None
    for kind, i in direct | within:
        if kind == "m":
            flags = i
            continue
        a = binding.get(i) if kind in ("p", "pe") else None
        objs = flow.pts(st, a)
        if kind == "pe":
            objs = flow.contents(st, objs)
        elif kind == "x":
            objs = frozenset({("x",)})
            st.heap[("x",)] = objs
        if (kind, i) in direct:
            def_objs = def_objs | objs
        in_objs = in_objs | objs
    if flags is None:
        return flow.alloc(st, op, in_objs, dup=True) | def_objs
    held = in_objs | _made(flow, op, st, in_objs, flags)
    return flow.alloc(st, op, held, dup=not flags & TREE) | def_objs


# default factories whose every call makes a new empty list / dict, or a number
_BOX_FACTORIES = (list, dict)
_NUMBER_FACTORIES = (int, float)


def _defaultdict(flow: Any, op: Op, st: State) -> frozenset | None:
    """``collections.defaultdict(list)`` (``dict``, ``int``, ``float``, or no factory): a new
    dict (so ``d[k]`` is an element, and ``d[k].append(v)`` a nested update written back),
    holding the lists/dicts its factory makes for missing keys: one summary object (``_made``,
    a new one per key, none held twice), which a read ``a = d[k]`` shares with later updates
    of ``d[k]`` (then refused as for any list held in a dict). None for another call."""
    if op.kwargs or not 1 <= len(op.args) <= 2:
        return None
    ok, fn = static_value(flow.fn, op.args[0])
    if not ok or fn is not collections.defaultdict:
        return None
    factory = None
    if len(op.args) == 2:
        ok, factory = static_value(flow.fn, op.args[1])
        if not ok or factory not in (*_BOX_FACTORIES, *_NUMBER_FACTORIES, None):
            return None
    site = flow.sites.setdefault(id(op), len(flow.sites))
    flow.boxes.add(site)
    flow.dicts.add(site)
    held = _made(flow, op, st, EMPTY, TREE | BOXES) if factory in _BOX_FACTORIES else EMPTY
    return flow.alloc(st, op, held)


def _made(flow: Any, op: Op, st: State, held: frozenset, flags: int) -> frozenset:
    """The objects the callee made and its result holds (module docstring): `first` holding
    `deep` and `held`, `deep` holding itself and `held`."""
    s1 = flow.sites.setdefault((id(op), "made"), len(flow.sites))
    s2 = flow.sites.setdefault((id(op), "deep"), len(flow.sites))
    first, deep = ("n", s1), ("o", s2)
    age(st, first, ("o", s1))  # an earlier call's objects (a loop) are older ones
    if flags & BOXES:
        flow.boxes.add(s1)
    st.heap[first] = st.store(held)  # (a new holder of each)
    if flags & DEEP:
        st.heap[deep] = st.heap.get(deep, EMPTY) | held | {deep}
        st.heap[first] = held | {deep}
        flow.leaf.discard(deep)
    flow.leaf.discard(first)
    return frozenset({first})
