"""Reverse sweep of an ``if``: a reverse ``if`` on the same condition.

Input: the reverse sweep (`VJP`: what is varied, how to add a cotangent and reverse a block), a
forward ``if`` op, the reverse block and the cotangents so far. Output: a reverse ``if`` appended
to the reverse block, each branch reversing its forward branch; its results are the cotangents
either branch changed. The values of a forward branch that its reverse branch reads become extra
results of the forward ``if`` (the other branch yields None for them). When neither reverse branch
computes anything and both give the same cotangents, no reverse ``if`` is made at all. Each
branch is reversed on the cotangents dict itself, its writes journaled and then undone
(`ad/adjoints.py`): the cost of a branch is what it writes, not the number of cotangents so far.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.adjoints import close_journal, open_journal, put, rebound
from srcad.ad.common import adj_hint, zero_like
from srcad.ad.floats import is_float
from srcad.ad.kinkpairs import kink_checked, tie_zeros
from srcad.ad.kinkties import tie_result
from srcad.ad.vjp_util import block_defs, free_vars
from srcad.ssa import verify
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Op, Var, replace_uses
from srcad.ssa.verify import IRVerifyError


def reverse_if(vjp: Any, op: Op, rev: Block, adj: dict) -> None:
    _reverse_if(vjp, op, rev, adj)
    tie_zeros(vjp, op, Builder(rev, op.loc), adj)  # (reverse over reverse: ad/kinkpairs.py)


def _reverse_if(vjp: Any, op: Op, rev: Block, adj: dict) -> None:
    ks = [k for k, r in enumerate(op.results) if r in adj]
    if not ks:
        return
    inner: set[Var] = set()
    for blk in op.blocks:
        inner |= block_defs(blk)
    b = Builder(rev, op.loc)  # (two kinks tied: ad/kinkpairs.py)
    gs = [tie_result(vjp, op, adj[op.results[k]], b) for k in ks]
    gs = [kink_checked(vjp, op.results[k], g, b) for k, g in zip(ks, gs)]
    branches = []
    changed: list[Var] = []
    seen: set[Var] = set()
    for blk in op.blocks:  # each branch reversed on `adj` itself, its writes journaled and undone
        nb = Block()
        bb = Builder(nb, op.loc)
        before = dict(adj) if verify.enabled() else None
        outer = open_journal(vjp, adj)
        for k, g in zip(ks, gs):
            vjp.acc(adj, blk.yields[k], g, bb)
        vjp.rev_block(blk, nb, adj)
        scan = _scan(adj, before) if before is not None else None
        log, got = close_journal(vjp, adj, outer)
        if before is not None:
            _check(adj, before, scan, rebound(vjp, adj, log, got), op)
        for v in rebound(vjp, adj, log, got):  # the entries the branch rebound, in order
            if v not in inner and v not in seen:
                seen.add(v)
                changed.append(v)
        branches.append((blk, nb, got))
    if _same_and_empty(branches, changed, adj):  # nothing to choose between: no reverse ``if``
        for v in changed:
            put(vjp, adj, v, _at(branches[0][2], adj, v))
        return
    results = [Var(adj_hint(v)) for v in changed]
    for _, nb, got in branches:
        bb = Builder(nb, op.loc)
        nb.yields = [_at(got, adj, v) for v in changed]
        nb.yields = [c if c is not None else zero_like(v, bb) for v, c in zip(changed, nb.yields)]
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
        put(vjp, adj, v, r)


def _at(got: dict, adj: dict, v: Var) -> Any:
    """`v`'s cotangent at the end of a branch that wrote `got`: what it wrote, else what it found."""
    return got[v] if v in got else adj.get(v)


def _same_and_empty(
    branches: list[tuple[Block, Block, dict]], changed: list[Var], adj: dict
) -> bool:
    """No reverse branch computes anything and every branch gives each changed value the same
    cotangent (``if c: pass`` otherwise, or ``bloss = g if c else g``)."""
    if any(nb.ops for _, nb, _ in branches):
        return False
    first = branches[0][2]
    for v in changed:
        c = _at(first, adj, v)
        if c is None or any(_at(got, adj, v) is not c for _, _, got in branches):
            return False
    return True


def _scan(adj: dict, before: dict) -> list[Var]:
    """The keys of `adj` whose value is not (identically) the one in `before`, in order."""
    get = before.get  # (a comprehension: on 3.11 it costs less than `compress` over `map`s)
    return [v for v, a in adj.items() if a is not get(v)]


def _check(adj: dict, before: dict, scan: list[Var], journal: list[Var], op: Op) -> None:
    """Verify mode: the keys the journal says a branch rebound are those a scan of the whole
    dict against its copy from before the branch found, in the same order, and the dict is
    back as it was (keys, order, values)."""
    if scan != journal:
        raise IRVerifyError(f"reverse if at {op.loc}: journal {journal}, full scan {scan}")
    if list(adj) != list(before) or _scan(adj, before):
        raise IRVerifyError(f"reverse if at {op.loc}: cotangents not restored after a branch")
