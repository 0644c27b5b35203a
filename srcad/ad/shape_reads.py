"""Values a reverse loop body reads only for their shape.

Input: a reverse loop body (`Block`) and the forward values it needs. Output: those of them it
reads only as the primal operand of `unbroadcast`, `getitem_vjp`, `add_at`, `slices_vjp` (their
type, shape and dtype, never their numbers), which `ad/vjp_loops.py` tapes as `shape_like`
stand-ins.
"""

from __future__ import annotations

from srcad.rules.facts import SHAPE_READS
from srcad.ssa.core import Block, Var


def shape_only(rbody: Block, needed: list[Var]) -> set[Var]:
    """The `needed` values `rbody` reads only as the primal operand of `unbroadcast`,
    `getitem_vjp`, `add_at`, `slices_vjp` (their type, shape and dtype, never their numbers).
    One walk counts both, for the `needed` values only (`ssa.core.uses` counted every value)."""
    want = set(needed)
    reads: dict[Var, int] = {}  # reads as such an operand (once among the op's operands)
    counts: dict[Var, int] = {}  # every read: operands and yields, nested blocks included
    todo = [rbody]
    while todo:
        b = todo.pop()
        for o in b.ops:
            args = o.args
            for a in args:
                if type(a) is Var and a in want:
                    counts[a] = counts.get(a, 0) + 1
            if o.kwargs:
                for a in o.kwargs.values():
                    if type(a) is Var and a in want:
                        counts[a] = counts.get(a, 0) + 1
            else:
                k = SHAPE_READS.get(o.prim)
                if k is not None and len(args) > k:
                    x = args[k]
                    if type(x) is Var and x in want:
                        n = 0  # (a loop: a generator per op cost more)
                        for a in args:
                            if a is x:
                                n += 1
                        if n == 1:
                            reads[x] = reads.get(x, 0) + 1
            if o.blocks:
                todo.extend(o.blocks)
        for y in b.yields:
            if type(y) is Var and y in want:
                counts[y] = counts.get(y, 0) + 1
    return {v for v in needed if reads.get(v) and reads[v] == counts.get(v)}
