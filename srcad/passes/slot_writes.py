"""Writes into an array held by a literal container, seen through the array's own name.

Input: a lowered `Function` (right after lowering, before the mutation check) and the map from
each result to its op. Output: True when reads were redirected. ``d = {"w": u}; d["w"][0] = v``
changes the array `u` names: the lowering writes the element back into `d`
(``e' = setitem(getitem(d, "w"), 0, v); d' = setitem(d, "w", e')``), and `u` read afterwards is
the old SSA value (the mutation check refused it: "`u` is read after the object it shares with
another name is modified"). When the container is the literal itself (its SSA value, never
updated: any other update makes a new version, read instead) and the constant key names the
literal's operand `u`, the item *is* `u`'s object, so the ops after the write-back in its block
(and the blocks nested in them) read `e'` for `u`::

    u = sin(x); d = dict("w", u); e = getitem(d, "w"); e2 = setitem(e, 0, v)
    d2 = setitem(d, "w", e2); y = tanh(u)        ->    ...; y = tanh(e2)

Everything else (a write in a branch or loop read after it, other names of `u`, the literal's
other items) is left to the mutation check, which still refuses what stays stale.
"""

from __future__ import annotations

from srcad.passes.alias_model import literal_item
from srcad.ssa.core import Block, Const, Function, Op, Var, replace_uses

_LITERALS = ("dict", "list", "tuple")


def forward_slot_writes(fn: Function, defs: dict[Var, Op]) -> bool:
    """Redirect reads of a literal container's item written through the container (above)."""
    changed = False
    todo = [fn.body]
    while todo:
        block = todo.pop()
        for i, op in enumerate(block.ops):
            todo.extend(op.blocks)
            u = _written_item(op, defs) if op.prim == "setitem" else None
            if u is not None:
                rest = Block(ops=block.ops[i + 1 :], yields=block.yields)
                replace_uses(rest, {u: op.args[2]})
                block.yields = rest.yields
                changed = True
    return changed


def _written_item(op: Op, defs: dict[Var, Op]) -> Var | None:
    """`u` when `op` is ``setitem(c, k, setitem(getitem(c, k), j, v))`` of a literal `c`
    holding `u` at the constant key `k`."""
    if op.prim != "setitem" or len(op.args) != 3 or op.kwargs:
        return None
    c, k, new = op.args
    if not isinstance(c, Var) or not isinstance(k, Const) or not isinstance(new, Var):
        return None
    lit, write = defs.get(c), defs.get(new)
    if lit is None or lit.prim not in _LITERALS or write is None or write.prim != "setitem":
        return None
    item = write.args[0] if write.args else None
    read = defs.get(item) if isinstance(item, Var) else None
    if read is None or read.prim != "getitem" or read.args != [c, k] or read.kwargs:
        return None
    u = literal_item(lit, k)
    return u if isinstance(u, Var) and u is not c else None
