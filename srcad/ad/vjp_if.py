"""Reverse sweep of an ``if``: a reverse ``if`` on the same condition.

Input: the reverse sweep (`VJP`: what is varied, how to add a cotangent and reverse a block), a
forward ``if`` op, the reverse block and the cotangents so far. Output: a reverse ``if`` appended
to the reverse block, each branch reversing its forward branch; its results are the cotangents
either branch changed. The values of a forward branch that its reverse branch reads become extra
results of the forward ``if`` (the other branch yields None for them). When neither reverse branch
computes anything and both give the same cotangents, no reverse ``if`` is made at all.
"""

from __future__ import annotations

from itertools import compress
from operator import is_not
from typing import Any

from srcad.ad.common import adj_hint, zero_like
from srcad.ad.floats import is_float
from srcad.ad.vjp_util import block_defs, free_vars
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Op, Var, replace_uses


def reverse_if(vjp: Any, op: Op, rev: Block, adj: dict) -> None:
    ks = [k for k, r in enumerate(op.results) if r in adj]
    if not ks:
        return
    inner: set[Var] = set()
    for blk in op.blocks:
        inner |= block_defs(blk)
    branches = []
    for blk in op.blocks:
        nb = Block()
        a2 = dict(adj)
        bb = Builder(nb, op.loc)
        for k in ks:
            vjp.acc(a2, blk.yields[k], adj[op.results[k]], bb)
        vjp.rev_block(blk, nb, a2)
        branches.append((blk, nb, a2))
    changed: list[Var] = []
    seen: set[Var] = set()
    for _, _, a2 in branches:  # the entries a branch rebound, in order (a scan in C: `adj`
        # holds every adjoint so far, so a loop in Python made many branches quadratic)
        for v in compress(a2, map(is_not, a2.values(), map(adj.get, a2))):
            if v not in inner and v not in seen:
                seen.add(v)
                changed.append(v)
    if _same_and_empty(branches, changed):  # nothing to choose between: no reverse ``if``
        for v in changed:
            adj[v] = branches[0][2][v]
        return
    results = [Var(adj_hint(v)) for v in changed]
    for _, nb, a2 in branches:
        bb = Builder(nb, op.loc)
        nb.yields = [a2.get(v) if a2.get(v) is not None else zero_like(v, bb) for v in changed]
    for k, r in enumerate(results):
        if all(nb.yields[k] in vjp.owned for _, nb, _ in branches):
            vjp.owned.add(r)
        if all(is_float(nb.yields[k], vjp.pyfloats) for _, nb, _ in branches):
            vjp.pyfloats.add(r)  # (`ad/floats.py`)
    # values of the forward branches read by the reverse branches become forward results
    for j, (blk, nb, _) in enumerate(branches):
        defs = block_defs(blk)
        needed = [v for v in free_vars(nb) if v in defs]
        mapping = {}
        for v in needed:
            r = Var(v.hint)
            op.results.append(r)
            for i, other in enumerate(op.blocks):
                other.yields.append(v if i == j else Const(None))
            mapping[v] = r
        replace_uses(nb, mapping)
    rev.ops.append(
        Op("if", list(op.args), results=results, blocks=[nb for _, nb, _ in branches], loc=op.loc)
    )
    for v, r in zip(changed, results):
        adj[v] = r


def _same_and_empty(branches: list[tuple[Block, Block, dict]], changed: list[Var]) -> bool:
    """No reverse branch computes anything and every branch gives each changed value the same
    cotangent (``if c: pass`` otherwise, or ``bloss = g if c else g``)."""
    if any(nb.ops for _, nb, _ in branches):
        return False
    first = branches[0][2]
    return all(
        first.get(v) is not None and all(a2.get(v) is first.get(v) for _, _, a2 in branches)
        for v in changed
    )
