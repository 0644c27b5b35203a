"""Forward facts about Vars through structured control flow (the walks `passes/scalars.py`,
`passes/ranks.py` and `passes/divisions.py` share).

Input: a `Function`'s blocks and, per fact, the set of Vars known to have it and a test of an
operand. Output: the sets grown in place: a single-result op's facts from its operands (the
caller's `leaf`), an `if` result's when every branch yields a value with it, loop carries' by an
optimistic fixpoint (`carry_fixpoint`), a `for` index's from the range bounds. Also the operand
tests those analyses share (`is_scalar_const`, `is_int`, `is_ufunc`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy

from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Var

ELEMENTWISE = frozenset({"add", "sub", "mul", "truediv", "pow", "neg", "pos"})


def is_scalar_const(a: object) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float, bool)


@functools.cache
def is_ufunc(prim: str) -> bool:
    """A one-result ufunc (np.modf, np.frexp, np.divmod return tuples)."""
    if not prim.startswith("numpy.") or prim.count(".") != 1:
        return False
    u = getattr(numpy, prim[6:], None)
    return isinstance(u, numpy.ufunc) and u.nout == 1


def is_int(a: object, ints: set[Var]) -> bool:
    return (isinstance(a, Const) and type(a.value) is int) or (isinstance(a, Var) and a in ints)


def propagate(
    block: Block, facts: list[tuple[set[Var], Any]], leaf: Any, linked: bool = False
) -> None:
    """Forward facts about Vars through structured control flow: `leaf(op)` adds the facts of a
    single-result op; an `if` result has a fact when every branch yields a value with it; loop
    carries by `carry_fixpoint`; a `for` index when the range bounds have the first fact.
    `linked`: `leaf` derives each fact from the others too (a number read from a tuple of
    numbers), so a loop assumption one fact drops takes what the body derived in all of them."""

    def visit(b: Block) -> None:
        for op in b.ops:
            if not op.blocks:  # (most ops)
                if len(op.results) == 1:
                    leaf(op)
            elif op.prim == "if":
                for blk in op.blocks:
                    visit(blk)
                for k, r in enumerate(op.results):
                    for have, holds in facts:
                        for blk in op.blocks:  # (a loop: a generator per result cost more)
                            if not holds(blk.yields[k]):
                                break
                        else:
                            have.add(r)
            elif op.prim in ("for", "while"):
                have, holds = facts[0]
                if op.prim == "for" and all(holds(a) for a in op.args[:3]):
                    have.add(op.blocks[-1].params[0])
                for j, (have, holds) in enumerate(facts):
                    others = [f for f, _ in facts if f is not have] if linked else []
                    carry_fixpoint(op, have, holds, visit, skip=j > 0, others=others)
            elif len(op.results) == 1:
                leaf(op)

    try:
        visit(block)
    finally:  # (a recursive closure: a reference cycle, freed only by the collector otherwise)
        visit = None  # type: ignore[assignment]


def carry_fixpoint(
    op: Any, facts: set[Var], holds: Any, visit: Any, skip: bool = False, others: Any = ()
) -> None:
    """Loop carries hold a fact (being a scalar, being 1-D) when their initial value does and,
    assuming it of the carries, their next value does too: an optimistic fixpoint that drops the
    carries whose yield breaks it and re-derives the body. Adds the facts for the results.
    `skip`: the blocks were just walked (by another fact's fixpoint, which ends on a walk that
    changed nothing it assumed): with no carry to assume this fact of, walking them again in
    the same state would add nothing (`visit` adds what the facts' states decide), so not done.
    `others`: the sets of facts derived from this one (`propagate`'s `linked`), forgotten with it."""
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    inits = op.args[3:] if op.prim == "for" else op.args

    def params(k: int) -> list[Var]:
        return [blk.params[(off if blk is body else 0) + k] for blk in op.blocks]

    cand = [k for k in range(len(op.results)) if holds(inits[k])]
    if skip and not cand:
        return
    while True:
        for k in cand:
            facts.update(params(k))
        for blk in op.blocks:
            visit(blk)
        bad = [k for k in cand if not holds(body.yields[k])]
        if not bad:
            break
        for k in bad:
            facts.difference_update(params(k))
        cand = [k for k in cand if k not in bad]
        for blk in op.blocks:  # forget what the body derived from the dropped assumptions
            for o in ops_of(blk):  # (a list made in C: `ssa/census.py`)
                for f in (facts, *others):
                    f.difference_update(o.results)
                    if o.prim in _LOOPS:  # and what a nested loop assumed of its carries
                        _forget_carries(o, f)
    facts.update(op.results[k] for k in cand)


_LOOPS = ("for", "while")


def _forget_carries(loop: Op, facts: set[Var]) -> None:
    """Drop the carry params of `loop`'s blocks from `facts` (a `for` body's index stays: an int
    whatever the carries are). Walking the loop again assumes those whose initial values hold
    the fact; one assumed on an earlier walk, when the enclosing loop's assumption still stood,
    would otherwise survive, and the body's ops would derive facts from it again."""
    for blk in loop.blocks:
        first = 1 if loop.prim == "for" and blk is loop.blocks[-1] else 0
        facts.difference_update(blk.params[first:])
