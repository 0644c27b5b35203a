"""IR shapes the emitter writes in a special way: IR ops and operands -> yes/no facts.

Input: a function body, an ``if`` op, an operand (and the `layout.Plan`). Output: whether it is
the returned tuple (written in the ``return``), an ``if`` that only sets flags (``flag = cond``),
a certain bool, an int or a constant of a given value, a false constant (``if False: break`` is
left out).
"""

from __future__ import annotations

from srcad.backend import text as tx
from srcad.backend.layout import Plan
from srcad.backend.names import is_literal
from srcad.ssa.core import Block, Const, Op, Operand


def false_constant(a: Operand) -> bool:
    """Written as a plain constant that is false (``if False: break`` is left out)."""
    return isinstance(a, Const) and is_literal(a.value) and tx.false_constant(a.value)


def return_tuple(body: Block, plan: Plan) -> Op | None:
    """The op building the returned tuple, when it is the body's last op and read only there."""
    last = body.ops[-1] if body.ops else None
    if last is None or last.prim != "tuple" or len(last.results) != 1 or last.kwargs:
        return None
    if body.yields != [last.result] or plan.uses.get(last.result) != 1:
        return None
    return last


_BOOL_OPS = frozenset({"not", "is", "is_not", "in", "not_in", "isinstance"})


def flag_copies(op: Op) -> list[bool] | None:
    """For an ``if`` whose branches do nothing but yield True/False: per result, True when it
    is the condition's truth value, False when it is its negation; None otherwise."""
    if len(op.blocks) != 2 or not op.results or any(_real_ops(b) for b in op.blocks):
        return None
    then, orelse = op.blocks
    out = []
    for a, b in zip(then.yields, orelse.yields):
        if is_const(a, True) and is_const(b, False):
            out.append(True)
        elif is_const(a, False) and is_const(b, True):
            out.append(False)
        else:
            return None
    return out


def _real_ops(b: Block) -> bool:
    return any(o.prim != "comment" for o in b.ops)


def is_bool(a: Operand, plan: Plan) -> bool:
    """Certainly a Python bool (comparisons of arrays are arrays: those get ``bool(...)``)."""
    if isinstance(a, Const):
        return type(a.value) is bool
    d = plan.defs.get(a)
    return d is not None and d.prim in _BOOL_OPS


def is_int(a: Operand, n: int) -> bool:
    return isinstance(a, Const) and type(a.value) is int and a.value == n


def is_const(a: Operand, v: object) -> bool:
    return isinstance(a, Const) and a.value is v
