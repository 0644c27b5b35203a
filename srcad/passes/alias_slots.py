"""The entries of dicts made here under constant keys, for the mutation check (passes/alias_flow.py).

Input: the `Flow`, a ``dict`` literal, a ``getitem`` or an update op and the state before it.
Output: `State.slots` kept up to date, and the objects ``d[k]`` reads. For a dict the function
made (``("n", site)``, the newest; ``("o", site)``, the older ones) whose every update so far
was ``d[k] = v`` with a constant key (a str, bytes or int, never a bool), the objects each key's
value may be; None once any other update (``d[k] = v`` of a computed key, ``update``, ``pop``,
``del``, ``|=``, a write-back, a nested ``op=``) may have changed its keys. Then ``d["h"]`` reads
only what was stored under "h", so ``d["hist"].append(d["s"])`` updates the list under "hist",
never the number under "s" (the heap's contents stay the union of every entry, for every other
question: staleness, reachability, write-backs).

Soundness: every update of an object goes through `Flow.mutation` (`update` here); a strong
update (the entry replaced) only for a single newest object, which is one Python object; joins
and ageing (`merge`) take the union of both sides' entries, an unknown side unknown; renamings
(`rename`) rename keys and entries alike.

Lists made here by a ``[a, b, c]`` literal have entries too, under their positions, with their
length under `_LEN`; an index is a constant (a negative one counts from the end) or a set of
positions (passes/int_bounds.py: ``activations[i + 1]`` of ``for i in range(k)`` is one of
positions 1 to the end, never 0). Any other update (``append``, ``pop``, ``sort``, a slice
store, ``+=``) makes them unknown, as for dicts; a store under several positions adds to each.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.int_bounds import bounds
from srcad.ssa.core import Const, Op

_EMPTY: frozenset = frozenset()
_KEYS = (str, bytes, int)
_NO = object()  # no constant key
MISSING = object()  # an object this state has made no entries for (not made on this path)
_LEN = ("len",)  # a list's entry: its length (never a dict's key: those are str, bytes, int)


def key_of(a: object) -> object:
    """The constant key of ``d[a]``, or `_NO`."""
    if isinstance(a, Const) and type(a.value) in _KEYS:
        return a.value
    return _NO


def made(flow: Any, st: Any, op: Op, objs: frozenset) -> None:
    """`op`, a ``dict`` or ``list`` literal, made the object in `objs`: its entries."""
    new = next(iter(objs)) if len(objs) == 1 else None
    if new is None:
        return
    args = op.args
    if op.prim == "list":
        if op.kwargs:
            return
        listed = {k: flow.pts(st, v) for k, v in enumerate(args)}
        listed[_LEN] = frozenset({len(args)})
        st.slots[new] = listed
        return
    entries: dict | None = {}
    if op.kwargs or len(args) % 2:
        entries = None
    else:
        for k, v in zip(args[::2], args[1::2]):
            key = key_of(k)
            if key is _NO:
                entries = None
                break
            entries[key] = flow.pts(st, v)  # (a repeated key: the last value, as Python's)
    st.slots[new] = entries


def read(flow: Any, st: Any, base: frozenset, idx: object) -> frozenset | None:
    """The objects ``d[idx]`` may be when every object `d` may be has known entries, else None."""
    if not st.slots or not base:
        return None
    out = _EMPTY
    for o in base:
        entries = st.slots.get(o)
        if entries is None:
            return None
        keys = _keys(flow, entries, idx)
        if keys is None:
            return None
        for key in keys:
            out = out | entries.get(key, _EMPTY)
    return out


def _keys(flow: Any, entries: dict, idx: object) -> tuple | None:
    """The keys ``c[idx]`` may name in a dict or list with `entries` (None: not known)."""
    key = key_of(idx)
    n = entries.get(_LEN)
    if n is None:
        return None if key is _NO else (key,)
    if len(n) != 1:
        return None
    (n,) = n
    if key is not _NO:
        if type(key) is not int:
            return None
        key = key + n if key < 0 else key
        return (key,) if 0 <= key < n else None  # (out of range: Python's IndexError)
    cache = flow.__dict__.setdefault("_int_bounds", {})
    b = bounds(flow.fn, idx, cache)
    if b is None or b[0] < 0:
        return None
    hi = n - 1 if b[1] is None else min(b[1], n - 1)
    return tuple(range(b[0], hi + 1)) or None


def update(flow: Any, st: Any, op: Op, target: frozenset) -> None:
    """`op` updates the objects `target` in place: ``d[k] = v`` sets an entry (replaces it for
    a single newest object), anything else makes the entries unknown."""
    slots = st.slots
    if not slots or slots.keys().isdisjoint(target):
        return
    item = op.prim == "setitem" and len(op.args) == 3 and not op.kwargs
    strong = len(target) == 1
    for o in target:
        entries = slots.get(o, MISSING)
        if entries is MISSING or entries is None:
            continue
        keys = _keys(flow, entries, op.args[1]) if item else None
        if keys is None:
            slots[o] = None
            continue
        v = flow.pts(st, op.args[2])
        new = dict(entries)
        for key in keys:
            one = strong and o[0] == "n" and len(keys) == 1
            new[key] = v if one else entries.get(key, _EMPTY) | v
        slots[o] = new


def merge(a: object, b: object) -> dict | None:
    """The entries of an object that may be as in `a` or as in `b` (`MISSING`: not made there)."""
    if a is MISSING:
        return b  # type: ignore[return-value]
    if b is MISSING:
        return a  # type: ignore[return-value]
    if a is None or b is None:
        return None
    if a == b:
        return a  # type: ignore[return-value]
    out = dict(a)  # type: ignore[call-overload]
    for k, v in b.items():  # type: ignore[attr-defined]
        out[k] = out.get(k, _EMPTY) | v
    return out


def join(mine: dict, other: dict) -> None:
    """`State.join` of the slots: `mine` becomes the merge of both."""
    for o, entries in other.items():
        old = mine.get(o, MISSING)
        if old is not entries:
            mine[o] = merge(old, entries)


def age(slots: dict, new: tuple, old: tuple) -> None:
    """The newest object `new` becomes one of the older ones, `old` (`alias_model.age`): its
    entries merge with theirs, and entries holding it hold `old`."""
    if not slots:
        return
    moved = slots.pop(new, MISSING)
    rename(slots, {new: old})
    if moved is not MISSING:
        moved = _renamed(moved, {new: old})  # type: ignore[arg-type]
        slots[old] = merge(slots.get(old, MISSING), moved)


def rename(slots: dict, rho: dict) -> None:
    """Objects renamed by `rho` (a permutation, or objects no key names), in keys and entries."""
    if not slots:
        return
    out = {rho.get(o, o): _renamed(entries, rho) for o, entries in slots.items()}
    slots.clear()
    slots.update(out)


def _renamed(entries: dict | None, rho: dict) -> dict | None:
    if entries is None:
        return None
    return {
        k: frozenset(rho.get(o, o) for o in v) if not v.isdisjoint(rho) else v
        for k, v in entries.items()
    }
