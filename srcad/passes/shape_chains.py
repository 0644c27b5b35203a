"""Loop carries that are only appended to: the lists a loop's last round of shape inference
need not run the whole body again for.

Input: a ``for`` / ``while`` op and its blocks' carry parameters. Output (`Chains.of`): for a
carry position k whose value the loop body only appends to (its parameter read by one
``list_append`` of the body as the list, that result by the next one, ..., the last one
yielded at position k, and nothing else reading any of them, in any block of the loop), the
``list_append`` ops of that chain in program order (possibly none); None for other carries.
`passes/shape_infer.py` uses it: when only such carries' facts changed in a round, no other
op of the body reads them, so the next round would compute the same facts for every other op;
running the chains' ops again gives that round's facts exactly. After the fixpoint,
`last_round_lists` gives such a carry the facts of the last round's appends (a loop's tape).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.passes.shape_facts import join
from srcad.ssa.core import Block, Op, Var, uses_among


class Chains:
    """The append chains of one loop op, found when first asked (the structure only: the
    same for every round and every visit of the loop)."""

    def __init__(self, op: Op, carries: list) -> None:
        self.op, self.carries = op, carries  # carries: each block's parameters, the body's last
        self.found: dict[int, list[Op] | None] = {}
        self.defs: dict[Var, Op] | None = None
        self.counts: dict[Var, int] | None = None

    def of(self, k: int) -> list[Op] | None:
        if k not in self.found:
            self.found[k] = self._chain(k)
        return self.found[k]

    def _chain(self, k: int) -> list[Op] | None:
        body = self.op.blocks[-1]
        params = self.carries[-1]
        if k >= len(body.yields) or k >= len(params) or type(body.yields[k]) is not Var:
            return None
        if self.defs is None:  # the body's top-level appends, by result
            self.defs = {
                o.results[0]: o
                for o in body.ops
                if o.prim == "list_append" and len(o.args) == 2 and len(o.results) == 1
            }
        chain, v = [], body.yields[k]
        while v is not params[k]:  # back from the yield, through appends only (no walk yet)
            o = self.defs.get(v)
            if o is None or o.kwargs or type(o.args[0]) is not Var:
                return None
            chain.append(o)
            v = o.args[0]
        if self.counts is None:  # each read counts: operands and yields, nested blocks too,
            # of the values a chain can hold (the carries, the appends' results, the yields)
            want = {p for ps in self.carries for p in ps} | set(self.defs)
            want.update(y for y in body.yields if type(y) is Var)
            self.counts = {}
            for b in self.op.blocks:
                for var, c in uses_among(b, want).items():
                    self.counts[var] = self.counts.get(var, 0) + c
        n = self.counts
        if any(k < len(ps) and ps[k] in n for ps in self.carries[:-1]):
            return None  # read in the condition block of a ``while``
        if any(n.get(o.args[0]) != 1 for o in chain) or n.get(body.yields[k]) != 1:
            return None
        if not chain and n.get(params[k]) != 1:
            return None
        chain.reverse()
        return chain


def last_round_lists(
    op: Op,
    carries: list,
    body: Block,
    facts_init: tuple,
    sh: Any,
    evaluate: Callable[[Op, Any], Any],
    put: Callable[[Any, Var, Any], None],
) -> list:
    """The facts of the carries that the body only appends to (a loop's tape: `Chains`) as
    their initial elements' and the facts the fixpoint's last round gave what each append
    puts there (those hold in every iteration), not the join of every round's: a tape entry's
    ``shape_like(h @ Wh)`` then keeps its shape of its own, ``("v", m)``, where the first
    round's tuple shape (the state's initial zeros) and the later rounds' would join to
    nothing. No other op reads such a carry, so no other fact changes. `facts_init`: the
    carries' facts at the fixpoint and their initial values'; `evaluate`, `put`: shape_infer's
    `_op` and `_set`."""
    facts, init = facts_init
    out = list(facts)
    chains = None
    for k, (f, i) in enumerate(zip(facts, init)):
        pf, pi = f.parts, i.parts
        if f is i or type(pf) is not tuple or type(pi) is not tuple or len(pf) != 3:
            continue
        if len(pi) != 3 or pf[0] != "list" or pi[0] != "list" or pf[2] is not pi[2]:
            continue
        chains = chains or sh.chains.get(op) or sh.chains.setdefault(op, Chains(op, carries))
        ops = chains.of(k)
        if not ops:
            continue
        for ps in carries:
            if k < len(ps):
                put(sh, ps[k], i)
        for o in ops:
            put(sh, o.results[0], evaluate(o, sh))
        new = join(i, sh.of(body.yields[k]))
        for ps in carries:
            if k < len(ps):
                put(sh, ps[k], new)
        for o in ops:  # (the list after any append of any iteration: `new` holds for it)
            put(sh, o.results[0], new)
        out[k] = new
    return out
