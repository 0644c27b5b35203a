"""The optimization pipeline: fold, CSE and DCE, run in that order until nothing changes.

Input: a `Function` (and, for a generated entry point, the ranks of its float-array parameters, or that they
are arrays or numbers of unknown rank).
Output: the same function, simplified in place. Each pass is a plain function ``pass(fn) -> bool``
(True when it changed something); with ranks, the shape rewrites (`passes/shapes.py`) run first.
A round that only merged and dropped ops, or whose fold left nothing more to fold
(`fold.fold_round`), is not followed by one that would confirm the fixpoint when nothing it
depends on changed (`_cse_inputs`).
"""

from __future__ import annotations

from srcad.passes.cse import cse, update_targets
from srcad.passes.dce import dce
from srcad.passes.fold import fold_round, updates_operands
from srcad.passes.shape_facts import Known
from srcad.passes.shapes import shape_rewrites
from srcad.passes.transposes import contiguous_transposes
from srcad.rules import default_registry
from srcad.ssa.core import Function, walk_ops


def optimize(
    fn: Function,
    max_rounds: int = 10,
    ndims: dict[int, int] | None = None,
    opaque: bool = False,
    scalars: tuple[int, ...] = (),
    reads: list | None = None,
    consts: dict[tuple[str, str], int] | None = None,
    floats: tuple[int, ...] = (),
) -> Function:
    """Run the passes to a fixpoint; `ndims`: (parameter position -> rank) of `fn`'s float64
    array parameters, known for the entry point of a transform; `opaque`: its parameters are
    arrays or numbers of unknown rank (the default `Spec()`); `scalars`: the
    positions of its Python-number parameters; `consts`: the ranks of the float64 arrays its
    ``global``/``free`` ops read (`backend/globalranks.py`); `floats`: the positions among
    `scalars` of Python floats. `reads`, when given, gets the read counts of
    the result (`ssa.core.uses`, and zeros): the last round's, CSE's count kept up to date by
    DCE, the last passes run."""
    if ndims or opaque or scalars or consts:
        shape_rewrites(fn, Known(ndims or {}, opaque, scalars, consts, floats))
    if ndims:
        contiguous_transposes(fn, ndims)  # (the products `shape_rewrites` wrote included)
    for _ in range(max_rounds):
        census: list = []  # CSE's targets, and `_cse_inputs` before it: from fold's walk
        folded, settled = fold_round(fn, census)
        targets = update_targets(fn) if folded else census[0]  # (folded: its IR changed)
        before = None if not settled or targets[1] else frozenset(targets[0])
        counts: dict = {}  # the use counts DCE starts from, taken by CSE's walk
        dropped: list = []
        if not (cse(fn, targets, counts) | dce(fn, counts, dropped) | folded):
            break
        if before is not None and (
            not _drops_update(dropped) or before == _cse_inputs(fn)
        ):  # the same set when no op that updates a value was dropped (CSE never merges one,
            # nor changes what one updates: that value is never merged)
            break  # the next round would change nothing (`_cse_inputs`)
    if reads is not None and max_rounds > 0:
        reads.append(counts)
    return fn


def _drops_update(dropped: list) -> bool:
    """One of the ops DCE dropped (or one inside them) updates a value in place."""
    reg = default_registry()
    return any(
        reg.get(o.prim).updates
        for op in dropped
        for o in (op, *(x for b in op.blocks for x in walk_ops(b)))
    )


def _cse_inputs(fn: Function) -> frozenset | None:
    """What, besides the ops, the next round depends on when `fold` is settled (found nothing,
    or what it substituted left no read it would fold: `fold.fold_round`): the values some op
    updates in place (CSE never merges them); None (unknown) when `fn` has calls.

    Then a further round changes nothing when this set is the same after `dce` as before `cse`:
    `fold` finds no element to read directly (CSE merges only ops of one primitive with the same
    operands, so no read of a literal appears that was not one; DCE drops no call, the only
    thing that stops a list or dict from being folded; the reads this round's fold substituted
    are dead: DCE drops them); `cse` is idempotent (keys use the merged
    operands already; the values it never merges are the same; ops DCE dropped were dead, so
    no live op was merged into one); `dce` reaches its fixpoint in one sweep."""
    out = set()
    reg = default_registry()
    updates: dict[str, bool] = {}  # per primitive, looked up once
    todo = [fn.body]  # every block, in any order (a set is made)
    while todo:
        for op in todo.pop().ops:
            p = op.prim
            if "receiver_may_update" in op.params:  # (`fold.may_update`)
                return None
            u = updates.get(p)
            if u is None:
                if p == "call" or updates_operands(p):
                    return None
                u = updates[p] = reg.get(p).updates
            if u and op.args:
                out.add(op.args[0])
            if op.blocks:
                todo.extend(op.blocks)
    return frozenset(out)
