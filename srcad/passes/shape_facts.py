"""The facts `passes/shape_infer.py` infers of a value, and the lists whose elements' facts it
may keep.

Input: nothing (`Info`, its lattice: `join`, `differ`; `Known`, what the specialization knows of
the parameters), or a `Function` and its `Shapes` (`lists_escape`). Output: the facts of values;
the tracked lists an op may change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from srcad.passes.shape_rules import RT
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, ops_with
from srcad.ssa.core import Function, Op


class Info(NamedTuple):
    """What is known of a value: its shape (None: unknown), whether it is arrayish, the facts
    of its elements (a tuple: one `Info` per position; a list: ``("list", Info | EMPTY, the op
    making it)``), and
    whether it is a Python float (``1.0``, float arithmetic: `unbroadcast` returns it as is)."""

    shape: object = None
    arr: bool = False
    parts: object = None
    flt: bool = False


@dataclass(frozen=True)
class Known:
    """What the specialization knows of a generated entry point's parameters (from the cache
    key), read by `shape_infer.infer` and `shapes.shape_rewrites` alike: `ndims`, position ->
    rank of a float64 array; `opaque`, the others are arrays or numbers of unknown rank (the
    default `Spec()`); `scalars`, the positions of Python numbers (`floats`: those of them that
    are Python floats); `consts`, the ranks of the float64 arrays its ``global``/``free`` ops
    read, by ``("global" | "free", name)`` (`backend/globalranks.py`)."""

    ndims: dict[int, int] = field(default_factory=dict)
    opaque: bool = False
    scalars: tuple[int, ...] = ()
    consts: dict[tuple[str, str], int] | None = None
    floats: tuple[int, ...] = ()


TOP = Info()
NUMBER = Info(())  # a Python int (constant) or number (parameter): never a NumPy value
FLOAT = Info((), False, None, True)
EMPTY = "empty"  # the elements of a list with none yet


def join(a: object, b: object) -> object:
    """The facts two values (or two lists' elements, possibly EMPTY) both have."""
    if a == b or b == EMPTY:
        return a
    if a == EMPTY:
        return b
    if not isinstance(a, Info) or not isinstance(b, Info):
        return TOP
    parts = None
    pa, pb = a.parts, b.parts
    if type(pa) is tuple and type(pb) is tuple and len(pa) == len(pb):
        if pa and pa[0] == "list" and pb[0] == "list":  # one list made here, or nothing known
            parts = ("list", join(pa[1], pb[1]), pa[2]) if pa[2] is pb[2] else None
        elif not (pa and pa[0] == "list") and not (pb and pb[0] == "list"):
            parts = tuple(join(x, y) for x, y in zip(pa, pb))
    shape = a.shape if a.shape == b.shape else None
    return tuple.__new__(Info, (shape, a.arr and b.arr, parts, a.flt and b.flt))  # (`Info(...)`)


def differ(old: Info, new: Info) -> bool:
    """The facts of a value changed: unequal, or one is `NUMBER` itself (`_plain` tells it
    by identity) and the other not."""
    return old != new or (old is NUMBER) is not (new is NUMBER)


_PRIM = attrgetter("prim")
_LIST_SAFE = frozenset({"list_append", "getitem", "len", "tuple", "if", "for", "while"})
# operands only read by a helper that updates its first one: ``add_at(acc, idx, g, x)`` reads
# `idx` and the primal `x` (for its length, keys or shape: `getitem_vjp`), never stores them
_READ_ONLY = {RT + "add_at": (1, 3)}


def lists_escape(fn: Function, sh: Any) -> set[Op]:
    """The tracked lists (by the op making them) that an op other than an append, a read or a
    pure one (which changes none of its operands: DCE may drop it) gets (or a tuple holding
    one), except as an operand it only reads (`_READ_ONLY`)."""
    out: set[Op] = set()
    reg = default_registry()
    may = set()  # the primitives that may change an operand, each looked up once
    for p in set(map(_PRIM, ops_of(fn.body))):  # (`refuse_known` walks the same IR next)
        rec = None if p in _LIST_SAFE else reg.get(p)
        if rec is not None and not (rec.pure and not rec.updates):
            may.add(p)
    for op in ops_with(fn.body, may):  # (their ops, picked in C)
        skip = () if op.kwargs else _READ_ONLY.get(op.prim, ())
        for k, a in enumerate(op.operands()):
            if k not in skip:
                lists_in(sh.of(a), out)
    return out


def lists_in(i: object, out: set[Op]) -> None:
    """The lists (by the op making them) whose facts `i` holds, into `out`."""
    parts = i.parts if isinstance(i, Info) else None
    if type(parts) is tuple and parts:
        if parts[0] == "list":
            out.add(parts[2])
        else:
            for e in parts:
                lists_in(e, out)
