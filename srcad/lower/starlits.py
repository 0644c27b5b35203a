"""Displays with a star of a value whose length is not known here: ``[0.0, *v]``, ``(a, *xs, b)``.

Input: the elements of a list/tuple display as they are lowered; a starred value of unknown
length (an array, a list built at run time) turns the element list into a `Spread`. Output: such
a display as a concatenation, ``[0.0] + list(v)`` (``srcad.runtime.concat`` of ``list`` /
``builtins.list`` pieces), whose derivative the concatenation's rule splits. Stars of known
length (literals, tuples of this block) are expanded as before.
"""

from __future__ import annotations

from typing import Any

from srcad.lower.base import unpacked
from srcad.ssa.core import Const, Operand, Var


class Spread(list):
    """A display's elements where some are `Starred` runs of unknown length."""


class Starred:
    """The value a ``*v`` of unknown length adds (one piece of a `Spread`)."""

    __slots__ = ("value",)

    def __init__(self, value: Operand) -> None:
        self.value = value


def known_elts(lw: Any, v: Operand) -> list[Operand] | None:
    """The elements of the tuple/list value `v` when their number is known here (a constant, a
    literal of this block or a tuple of an enclosing one), else None."""
    if isinstance(v, Const) and isinstance(v.value, (tuple, list)):
        return [Const(e) for e in v.value]
    return lw._literal_elts(v)


def literal_elts(lw: Any, v: Operand, tup: bool = False) -> list[Operand] | None:
    """The elements of `v` when it is a tuple/list literal (one of this block; a tuple, which
    cannot change, of an enclosing one), a constant slice of one (``args[1:]`` of a helper's
    ``*args``) or its item at a constant index when that item is a tuple literal (``L[0]`` of
    ``L = [(a, 2.0), ...]``; not a list, which another name may have changed since: ``A[1] = v``
    after ``L = [A]`` rebinds `A`, not the item `L` holds), else None. `tup`: a tuple only."""
    if not isinstance(v, Var):
        return None
    for depth, ops in enumerate((lw.b.block.ops, *reversed(lw.outer_ops))):
        for op in reversed(ops):
            if v not in op.results:
                continue
            key = op.args[1] if op.prim == "getitem" and len(op.args) == 2 else None
            if isinstance(key, Const) and type(key.value) is slice and not op.kwargs and not tup:
                inner = literal_elts(lw, op.args[0])  # (a list's from this block only, as below)
                return None if inner is None else inner[key.value]
            if isinstance(key, Const) and type(key.value) is int and not op.kwargs and not tup:
                inner = literal_elts(lw, op.args[0])  # ``pow(*L[0])``: an item of a literal
                ok = inner is not None and -len(inner) <= key.value < len(inner)
                return literal_elts(lw, inner[key.value], True) if ok else None
            ok = op.prim == "tuple" or op.prim == "list" and depth == 0 and not tup
            return list(op.args) if ok and not op.kwargs else None
    return None


def with_stars(lw: Any, out: list, node: Any) -> list:
    """`out` with the elements ``*node.value`` adds: its elements when their number is known,
    else one `Starred` (and `out` becomes a `Spread`)."""
    v = lw.value(node.value)
    elts = known_elts(lw, v)
    if elts is not None:
        out.extend(elts)
        return out
    out = Spread(out)
    out.append(Starred(unpacked(lw, v, node)))
    return out


def spread(lw: Any, node: Any, elts: Spread, kind: str) -> Operand:
    """The display `node` of kind ``list``/``tuple`` with elements `elts` as a concatenation of
    its pieces, left to right."""
    lw.at(node)
    pieces: list[Operand] = []
    run: list[Operand] = []
    for e in elts:
        if type(e) is not Starred:
            run.append(e)
            continue
        if run:
            pieces.append(lw.op(kind, run))
            run = []
        pieces.append(lw.op("builtins." + kind, [e.value]))
    if run:
        pieces.append(lw.op(kind, run))
    out = pieces[0]
    for p in pieces[1:]:
        out = lw.op("srcad.runtime.concat", [out, p])
    return out
