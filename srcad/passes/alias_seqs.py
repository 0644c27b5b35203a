"""`a + b` and `a * b` in the alias analysis (passes/alias_flow.py): concatenation or repetition
of sequences, or arithmetic.

Input: the `Flow`, an ``add``/``mul`` op and the state before it. Output: the objects its result
may be: nothing (a number of two numbers), a new object (arithmetic of arrays), or a new list or
tuple holding both operands' elements (a list when the operands are: `box_like`), marked as
possibly holding one twice (`dup_of`). Also what a copy (``list(c)``, ``sorted(d.items())``)
holds: `copied_items`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from srcad.passes.alias_model import EMPTY, State, maybe_int
from srcad.passes.alias_nested import box_like, dup_of
from srcad.rules.facts import DICT_VIEWS
from srcad.ssa.census import ops_of, result_defs
from srcad.ssa.core import Op, Var


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


_VIEW_STEPS = ("srcad.runtime.as_sequence", "builtins.list", "builtins.tuple", "sorted")


def copied_items(flow: Any, st: State, args: Sequence[Any], base: frozenset) -> frozenset:
    """The objects a new container copying ``args[0]`` (points-to `base`) holds: the elements of
    a list/tuple/dict made here, or of the dict behind a view of it (``list(d.items())``, the
    snapshot `for k, v in d.items()` iterates: `lower/idioms.items_snapshot`; ``d[k] = w``
    later changes `d`, not the snapshot); nothing for a 1-D array's (``list(x)``: numbers, so
    ``l[0] += v`` rebinds the entry); anything else, what `base` reaches (views)."""
    if args and flow.is_1d(args[0]):
        return EMPTY
    if flow.all_boxes(base):
        return flow.contents(st, base)  # the elements of a list/tuple/dict, not views
    d = _viewed_dict(flow, args[0] if args else None)
    if d is not None and flow.all_boxes(dicts := flow.pts(st, d)):
        return flow.contents(st, dicts)  # (items: fresh (key, value) tuples of the values)
    return base


def _viewed_dict(flow: Any, v: Any) -> Var | None:
    """`d` when `v` is ``d.items()`` / ``d.values()`` / ``d.keys()``, possibly listed."""
    defs = flow.__dict__.get("_view_defs")
    if defs is None:
        defs = flow._view_defs = result_defs(ops_of(flow.fn.body))
    for _ in range(4):
        op = defs.get(v) if isinstance(v, Var) else None
        if op is None or not op.args:
            return None
        if op.prim in DICT_VIEWS:
            return op.args[0] if isinstance(op.args[0], Var) else None
        if op.prim not in _VIEW_STEPS:
            return None
        v = op.args[0]
    return None
