"""A loop's carried state and the items of its tape, for `passes/loop_ranks.py` (the rank of an
RNN's state, which shape inference may leave unknown).

Input: a value of the function and `passes/shapes.py`'s `_Ctx`. Output: the values it is made
from, for the caller to ask about in turn, or None when this module cannot tell:

- `carry_sources`: a carry of a ``for`` loop's body (``h.1`` of ``for t in range(n)
  carry(h.1 = h)``) is, in every iteration, the initial value or what the previous iteration
  yielded; so it has a property both have, given that it has it (induction over the
  iterations: the caller assumes it while asking about them);
- `taped_items`: item ``j`` of a loop's tape entry (``saved = tape[k]; h.4 = saved[j]``, `k` a
  loop's counter or an int, never a slice), the tape a list made empty here that only appends
  and reads touch (shape inference's tracked list, ``("list", facts, op)``), is one of the
  values item ``j`` of every appended tuple was.
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Op, Var, walk_ops


def carry_sources(x: Var, c: Any) -> tuple[Any, Any] | None:
    """(initial value, yielded value) of the ``for`` loop carry `x` (a body's parameter)."""
    carries = getattr(c, "carries", None)
    if carries is None:
        carries = c.carries = {}
        if c.fn is not None:
            for o in walk_ops(c.fn.body):
                if o.prim != "for" or len(o.blocks) != 1:
                    continue
                body = o.blocks[0]
                inits = o.args[3:]
                ps = body.params[1:]
                if len(ps) != len(inits) or len(body.yields) < len(ps):
                    continue
                for k, p in enumerate(ps):
                    carries[p] = (inits[k], body.yields[k])
    return carries.get(x)


def taped_items(d: Op, c: Any, made: dict) -> list | None:
    """The values item j of the tape entries was (`d`: ``getitem(saved, j)`` of ``saved =
    getitem(tape, k)``), or None."""
    if d.prim != "getitem" or len(d.args) != 2 or d.kwargs:
        return None
    saved, j = d.args
    if type(j) is not Const or type(j.value) is not int or type(saved) is not Var:
        return None
    ds = made.get(saved)
    if ds is None or ds.prim != "getitem" or len(ds.args) != 2 or ds.kwargs:
        return None
    k = ds.args[1]  # (an entry: by a loop's counter or an int, never a slice of the list)
    if not (type(k) is Var and k in c.sh.ints) and not (type(k) is Const and type(k.value) is int):
        return None
    lst = _list_op(ds.args[0], c)
    if lst is None:
        return None
    out = []
    for o in walk_ops(c.fn.body):
        if o.prim == "list_append" and len(o.args) == 2 and _list_op(o.args[0], c) is lst:
            t = made.get(o.args[1])
            if t is None or t.prim != "tuple" or t.kwargs:
                return None
            if not -len(t.args) <= j.value < len(t.args):
                return None
            out.append(t.args[j.value])
    return out or None


def _list_op(v: Any, c: Any) -> Any:
    p = c.sh.of(v).parts
    return p[2] if type(p) is tuple and len(p) == 3 and p[0] == "list" else None
