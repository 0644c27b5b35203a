"""Reverse loops that only walk the tape back to front, for the emitter.

Input: a function body and its layout `Plan`. Output: the ``for`` ops to write as
``for x in reversed(tape):`` (each with the tape and the op reading ``tape[k]``) and the ops that
then need no statement of their own (``n = len(tape)``, ``last = n - 1``, ``x = tape[k]``).

The reverse sweep (ad/vjp_loops.py) walks ``for k in range(len(tape) - 1, -1, -1): x = tape[k]``;
when `k`, `n` and `last` are read nowhere else, a person writes ``for x in reversed(tape):`` (no
index, no length; faster in CPython). The tape is a list nothing updates during the loop, and
`reversed` never pops it, so a pullback still runs more than once.
"""

from __future__ import annotations

from srcad.backend.layout import Plan
from srcad.ssa.core import Const, Op, Operand, Var


def _const(a: Operand, v: int) -> bool:
    return isinstance(a, Const) and type(a.value) is int and a.value == v


def _appended_list(t: Operand, plan: Plan) -> bool:
    """`t` is certainly a list: a loop's carry that starts as ``[]`` and is only appended to (a
    tape; `reversed` of a dict or of another object would not walk its items by index)."""
    d = plan.defs.get(t) if isinstance(t, Var) else None
    if d is None or d.prim not in ("for", "while") or not d.blocks:
        return False
    j = d.results.index(t)
    init = d.args[3 + j] if d.prim == "for" else d.args[j]
    body = d.blocks[-1]
    di = plan.defs.get(init) if isinstance(init, Var) else None
    dy = plan.defs.get(body.yields[j]) if j < len(body.yields) else None
    carry = body.params[j + 1] if d.prim == "for" else body.params[j]
    return (
        di is not None and di.prim == "list" and not di.args
        and dy is not None and dy.prim == "list_append" and dy.args[0] is carry
    )  # fmt: skip


def tape_loops(plan: Plan, loops: dict[Op, tuple[Operand, Op]], skip: set[Op]) -> None:
    """Add the function's tape loops (among `plan.fors`) to `loops` and their absorbed ops to
    `skip`."""
    uses, defs = plan.uses, plan.defs
    for op in plan.fors:
        if op.params.get("has_break") or len(op.args) < 3 or not op.blocks:
            continue
        body, last = op.blocks[0], op.args[0]
        if not (_const(op.args[1], -1) and _const(op.args[2], -1)) or not isinstance(last, Var):
            continue
        d_last = defs.get(last)
        if uses.get(last) != 1 or d_last is None or d_last.prim != "sub":
            continue
        n = d_last.args[0]
        d_n = defs.get(n) if isinstance(n, Var) else None
        if not _const(d_last.args[1], 1) or d_n is None or d_n.prim != "len":
            continue
        if uses.get(n) != 1 or len(d_n.args) != 1 or d_n.kwargs:
            continue
        first = body.ops[0] if body.ops else None
        k = body.params[0]
        if first is None or first.prim != "getitem" or first.args != [d_n.args[0], k]:
            continue
        if not _appended_list(d_n.args[0], plan):
            continue
        if uses.get(k) != 1 or len(first.results) != 1 or first.kwargs:
            continue
        skip |= {d_last, d_n, first}
        loops[op] = (d_n.args[0], first)
