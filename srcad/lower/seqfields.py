"""Loops that write fields of the items of a list of objects built here: ``bs[0].v += f``.

Input: the lowering state `lw` and a loop body `stmts`. Output: the names bound to a `FnSeq`
(lower/objseq.py: a list, tuple or dict of objects known when lowering) that the body only reaches
through to store an attribute of an item (``bs[0].v += dt * a``, ``bs[1].pos[0] = x``,
``parts["a"].x = 0.0``): `scope.assigned` counts such a store as assigning `bs`, which would
make the sequence loop-carried, and a sequence is no run-time value (refused: "rebound to a
function or module inside a loop"). The sequence stays the one object of the loop; the items'
fields are environment names of their own (lower/objstate.py) that the loop carries.

Kept carried (so refused as before): a name the body rebinds (``bs = ...``, a loop target, a
walrus), whose items it replaces or deletes (``bs[0] = Body(...)``, ``del bs[0]``), or whose
methods it calls (``bs.append(b)``, ``bs.pop()``)::

    bs = [Body(x0, 0.0), Body(-x0, 0.0)]
    for _ in range(20):
        f = bs[1].x - bs[0].x
        bs[0].v += dt * f          # a field of bs[0]: `bs` itself is not carried
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.objseq import FnSeq


def only_item_fields_stored(lw: Any, stmts: list) -> set[str]:
    """The names bound to a `FnSeq` whose items' attributes `stmts` store, but which `stmts`
    neither rebind, nor update by item, nor call a method of (module docstring)."""
    seqs = {k for k, v in lw.env.items() if isinstance(v, FnSeq)}
    if not seqs:
        return set()
    for s in stmts:
        for n in scope.walk(s):  # (every node but the contexts and operators)
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
                seqs.discard(n.id)  # rebound
            elif isinstance(n, gast.Subscript) and not isinstance(n.ctx, gast.Load):
                seqs.discard(_root(n))  # an item (of an item) replaced or deleted
            elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
                if isinstance(n.func.value, gast.Name):
                    seqs.discard(n.func.value.id)  # `bs.append(b)`, `bs.pop()`
        if not seqs:
            break
    return seqs


def _root(n: gast.Subscript) -> str | None:
    """The name under ``name[i][j]`` (subscripts only), else None."""
    base: Any = n
    while isinstance(base, gast.Subscript):
        base = base.value
    return base.id if isinstance(base, gast.Name) else None
