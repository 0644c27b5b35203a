"""`a + b` and `a * b` in the alias analysis (passes/alias_flow.py): concatenation or repetition
of sequences, or arithmetic.

Input: the `Flow`, an ``add``/``mul`` op and the state before it. Output: the objects its result
may be: nothing (a number of two numbers), a new object (arithmetic of arrays), or a new list or
tuple holding both operands' elements (a list when the operands are: `box_like`), marked as
possibly holding one twice (`dup_of`).
"""

from __future__ import annotations

from typing import Any

from srcad.passes.alias_model import EMPTY, State, maybe_int
from srcad.passes.alias_nested import box_like, dup_of
from srcad.ssa.core import Op


def add_mul(flow: Any, op: Op, st: State) -> frozenset:
    """`a + b`, `a * b`: concatenation / repetition when both may be sequences."""
    args = op.args
    if len(args) < 2:
        return flow.alloc(st, op)
    a, b = flow.pts(st, args[0]), flow.pts(st, args[1])
    if not a and not b:
        return EMPTY  # of two numbers: a number
    sa, sb = (flow.may_seq(o) or flow.all_boxes(o) for o in (a, b))  # (`[0.0]`: a list)
    if op.prim == "add":
        seq = sa and sb
    else:
        seq = (sa and maybe_int(args[1])) or (sb and maybe_int(args[0]))
    if not seq:
        return flow.alloc(st, op)
    # (`[0.0] * n`: a list when the sequence operand is one; the count holds nothing)
    box_like(flow, op, st, [v for v, o in zip(args, (a, b)) if o or op.prim == "add"])
    return flow.alloc(st, op, flow.contents(st, a | b), dup=dup_of(flow, st, op, a, b))
