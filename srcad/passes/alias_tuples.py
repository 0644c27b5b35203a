"""Results of the mutation check's tuple-returning NumPy calls: one new object per element.

Input: a `Flow` (passes/alias_flow.py), its `State` and a call of ``np.linalg.svd``, ``eigh``,
``eig``, ``qr``, ``slogdet`` or ``lstsq`` (`FRESH_TUPLES`), or a constant-index read of what one
returned; a list or dict argument's copy holding copies of its items (`fresh_items`). Output:
the abstract objects of the result (a new tuple holding one new object per element) or of the
element read.

Python's ``U, s, Vt = np.linalg.svd(S)`` gives three arrays that share no memory, so
``Vt[-1] *= -1`` (the reflection fix of the Kabsch algorithm) leaves `U` as it was. Modelled as
one object holding nothing, the three names were one object and the read of `U` after the
update was refused. The element objects are kept apart by the position read (``r[0]``, ``r[-1]``);
any other read (``r.U``, ``r[i]``) gets all of them, as for any tuple.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.alias_index import dict_value
from srcad.passes.alias_model import EMPTY, State, age
from srcad.ssa.core import Const, Op

# primitive -> the length of the tuple it returns (with the options `_length` accepts)
FRESH_TUPLES = {
    "numpy.linalg.svd": 3,
    "numpy.linalg.eigh": 2,
    "numpy.linalg.eig": 2,
    "numpy.linalg.qr": 2,
    "numpy.linalg.slogdet": 2,
    "numpy.linalg.lstsq": 4,
    "srcad.runtime.own_items": 1,  # (`fresh_items`)
}


def _option(op: Op, name: str, pos: int) -> object:
    """The operand given for the option `name` (keyword or position `pos`), or None."""
    if name in op.kwargs:
        return op.kwargs[name]
    return op.args[pos] if len(op.args) > pos else None


def _length(op: Op) -> int | None:
    """The length of the tuple `op` returns, or None when it may return one array
    (``svd(a, compute_uv=False)``, ``qr(a, mode="r")``) or options are not constants."""
    n = FRESH_TUPLES[op.prim]
    if op.prim == "numpy.linalg.svd":
        uv = _option(op, "compute_uv", 2)
        if uv is not None and not (isinstance(uv, Const) and uv.value is True):
            return None
        return (
            n if "hermitian" not in op.kwargs or isinstance(op.kwargs["hermitian"], Const) else None
        )
    if op.prim == "numpy.linalg.qr":
        mode = _option(op, "mode", 1)
        if mode is not None and not (
            isinstance(mode, Const) and mode.value in ("reduced", "complete", "raw")
        ):
            return None
    return n


def fresh_tuple(flow: Any, st: State, op: Op, kinds: tuple[bool, ...] | None = None) -> frozenset:
    """A new tuple holding `n` new objects (site of element k: ``(id(op), k)``); `kinds`: for a
    call of a user function (passes/alias_calls.py), which positions hold an object at all."""
    if op.prim == "srcad.runtime.own_items":
        return fresh_items(flow, st, op)
    n = _length(op) if kinds is None else len(kinds)
    if n is None:
        return flow.alloc(st, op)  # perhaps one array: a new object holding nothing
    sites: list[int | None] = []
    elems: frozenset = EMPTY
    for k in range(n):
        if kinds is not None and not kinds[k]:
            sites.append(None)  # a number
            continue
        new, made = _element(flow, st, op, k)
        sites.append(new[1])
        elems = elems | made
    site = flow.sites.setdefault(id(op), len(flow.sites))
    flow.boxes.add(site)
    flow.fresh[site] = tuple(sites)
    return flow.alloc(st, op, elems)


def _element(flow: Any, st: State, op: Op, k: int) -> tuple[tuple, frozenset]:
    """The abstract object `op` makes for its `k`-th element (its site's new object, the older
    one aged if the site's objects escaped) and the objects it stands for, made fresh here."""
    key = (id(op), k)
    objs = flow._objs.get(key)
    if objs is None:
        s = flow.sites.setdefault(key, len(flow.sites))
        objs = flow._objs[key] = (("n", s), ("o", s), frozenset({("n", s)}))
    new, old, made = objs
    if new[1] in flow.escaped:
        age(st, new, old)
    flow.site_of[new] = op.results
    st.dup.discard(new)
    st.heap.pop(new, None)
    flow.leaf.update((new, old))
    return new, made


def fresh_item(flow: Any, st: State, base: frozenset, idx: object) -> frozenset | None:
    """The objects ``r[idx]`` may be, `r` being only tuples `fresh_tuple` made and `idx` a
    constant int; None otherwise."""
    if not base or not isinstance(idx, Const) or type(idx.value) is not int:
        return None
    out: frozenset = EMPTY
    numbers = True
    for o in base:
        sites = flow.fresh.get(o[1]) if o[0] in ("n", "o") else None
        if sites is None or not -len(sites) <= idx.value < len(sites):
            return None
        want = sites[idx.value]
        if want is None:
            continue  # a number: no object
        numbers = False
        out = out | frozenset(e for e in st.heap.get(o, EMPTY) if e[1] == want)
    if numbers:
        return EMPTY
    return out or None  # (none found: every element, as for any tuple)


def fresh_items(flow: Any, st: State, op: Op) -> frozenset:
    """``_srcad.own_items(c)`` (lower/argitems.py): a new list or dict holding new objects (its
    array items' private copies), one abstract object for all of them (``c[k]`` for any `k`)."""
    new, made = _element(flow, st, op, 0)
    site = flow.sites.setdefault(id(op), len(flow.sites))
    flow.boxes.add(site)
    if dict_value(flow, op.args[0]):  # (a dict argument's: `c[k]` is an item, never `c`)
        flow.dicts.add(site)
    return flow.alloc(st, op, made)
