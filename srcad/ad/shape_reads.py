"""The forward values a reverse loop body reads, and those it reads only for their shape.

Input: a reverse loop body (`Block`) and the values its forward body defines. Output: those it
reads (its tape, in first-read order), and of them the ones it reads only as the primal operand
of `unbroadcast`, `getitem_vjp`, `add_at`, `slices_vjp` (their type, shape and dtype, never their
numbers), which `ad/vjp_loops.py` tapes as `shape_like` stand-ins. One walk finds both.
"""

from __future__ import annotations

from srcad.rules.facts import SHAPE_READS
from srcad.ssa.core import Block, Var


def tape_reads(rbody: Block, defs: set[Var]) -> tuple[list[Var], set[Var]]:
    """``[v for v in free_vars(rbody) if v in defs]`` (the forward body's values the reverse
    body reads, in first-read order: `vjp_util.free_vars`) and those of them it reads only as
    the primal operand of a `SHAPE_READS` helper: each such read counted (once among the op's
    operands), and every read (operands and yields, nested blocks included)."""
    defined: set[Var] = set()  # (as `free_vars`: defined by the walk so far, nested included)
    seen: set[Var] = set()
    free: list[Var] = []
    reads: dict[Var, int] = {}  # as `shape_only`'s, for the values of `defs`
    counts: dict[Var, int] = {}

    def visit(b: Block) -> None:
        defined.update(b.params)
        for o in b.ops:
            args = o.args
            for a in args:  # (inline, here and below: a call per operand cost more)
                if type(a) is Var:
                    if a in defs:
                        counts[a] = counts.get(a, 0) + 1
                    if a not in defined and a not in seen:
                        seen.add(a)
                        free.append(a)
            if o.kwargs:
                for a in o.kwargs.values():
                    if type(a) is Var:
                        if a in defs:
                            counts[a] = counts.get(a, 0) + 1
                        if a not in defined and a not in seen:
                            seen.add(a)
                            free.append(a)
            else:
                k = SHAPE_READS.get(o.prim)
                if k is not None and len(args) > k:
                    x = args[k]
                    if type(x) is Var and x in defs:
                        n = 0  # (a loop: a generator per op cost more)
                        for a in args:
                            if a is x:
                                n += 1
                        if n == 1:
                            reads[x] = reads.get(x, 0) + 1
            if o.blocks:
                for sub in o.blocks:
                    visit(sub)
            defined.update(o.results)
        for y in b.yields:
            if type(y) is Var:
                if y in defs:
                    counts[y] = counts.get(y, 0) + 1
                if y not in defined and y not in seen:
                    seen.add(y)
                    free.append(y)

    try:
        visit(rbody)
    finally:
        visit = None  # type: ignore[assignment]  # (a recursive closure is a reference cycle)
    needed = [v for v in free if v not in defined and v in defs]
    return needed, {v for v in needed if reads.get(v) and reads[v] == counts.get(v)}
