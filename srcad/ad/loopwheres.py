"""Reverse mode through a ``np.where`` in a loop body whose condition the body computes from its
counter or carries: a run-time record of the positions some iteration selected.

Input: a block of primal IR and the values made from a singular op (`branchmasks.made_values`).
Output: `record_where_loops(block, made)` rewrites each range loop whose body (not its nested
blocks) reads such a value `r`, made before the loop, only into a side of ``np.where(c, a, b)``
(directly or through elementwise ops: ``np.where(c, r * r, 0)``) with `c` computed in the body
from what only the body knows (``k > idx``, `k` the counter: the condition cannot be computed
again outside, `maskcarry.out_of_branch`): the loop carries a boolean array of `r`'s shape,
``_srcad.unread(r)`` before it and ``_srcad.mark_where(seen, c, keep)`` after each such where
(in place: the array is the loop's own); -> ``{(loop, r): the mask of the loop's final
record}``, by which `ad/masks.py` masks `r`'s contributions::

    r = np.sqrt(x)                    # x[2] = 0: 0.5 / r[2] is inf
    for k in range(n):                # seen = _srcad.unread(r), carried
        s = s + np.sum(np.where(k > idx, r, 0.0))   # seen = _srcad.mark_where(seen, k > idx, True)
    return s                          # bx = np.where(seen, br * (0.5 / r), 0.0)

Before, the gradient was nan at x[2] (idx[2] = 2: no iteration selects r[2], whose zero
cotangent met 0.5 / 0). A position no iteration selects gets no cotangent from these wheres,
the only uses of `r` in the body (elementwise ops keep positions: a broadcast one is reduced
back to `r`'s shape by `where_mask`): exact at every order. A record that cannot be kept (`r` not
an array, a condition that does not broadcast) is True, masking nothing.
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.branchmasks import MAKERS, made_values
from srcad.ad.common import RT
from srcad.ad.loopreads import _carry, _plain_loop
from srcad.ad.maskcarry import out_of_branch
from srcad.ad.vjp_util import free_vars
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Var

UNREAD, MARK = RT + "unread", RT + "mark_where"


def where_loops(block: Block, prims: Container, seq_ops: Container, memo: dict) -> dict:
    """`record_where_loops` when `block` has a ``for``, a ``np.where`` and a singular op (the
    prims of its ops: `prims`; `memo`: `branchmasks.made_values`'), else nothing."""
    if "numpy.where" not in prims or "for" not in prims or all(p not in prims for p in MAKERS):
        return {}
    return record_where_loops(block, made_values(ops_of(block), seq_ops, memo), seq_ops)


def record_where_loops(
    block: Block, made: Container, seq_ops: Container = ()
) -> dict[tuple[Op, Var], tuple]:
    """Rewrites the range loops of `block` (nested blocks included) described above; -> the
    masks of their records (`ad/masks.py`'s form), by (loop, value)."""
    out: dict[tuple[Op, Var], tuple] = {}
    for b, op in _loops(block):  # (listed before any is rewritten)
        for r, wheres in _where_reads(op, made, seq_ops).items():
            out[(op, r)] = (((_record(b, op, r, wheres), True),),)
    return out


def _loops(block: Block) -> list[tuple[Block, Op]]:
    """The range loops of `block` and of its nested blocks, with the block holding each."""
    found = []
    for op in block.ops:
        if op.prim == "for" and _plain_loop(op):
            found.append((block, op))
        for sub in op.blocks:
            found.extend(_loops(sub))
    return found


def _where_reads(loop: Op, made: Container, seq_ops: Container) -> dict[Var, list]:
    """The values `r` of `made` the body of `loop` reads only through elementwise ops (`r * r +
    r`) into one side of wheres on a condition only the body can compute, each with those
    wheres and the side (True: `a`)."""
    body = loop.blocks[0]
    if not any(o.prim == "numpy.where" for o in body.ops):
        return {}
    nested = {v for op in body.ops for sub in op.blocks for v in free_vars(sub)}
    out = {}
    for r in free_vars(body):
        if r in made and r not in nested:
            wheres = _only_selected(body, r, seq_ops)
            if wheres:
                out[r] = wheres
    return out


def _only_selected(body: Block, r: Var, seq_ops: Container) -> list[tuple[Op, bool]] | None:
    """The wheres (and sides) of `body` that select what it makes from `r` by elementwise ops,
    when those ops and wheres are all it does with `r`; else None."""
    reg = default_registry()
    made, wheres = {r}, []
    for op in body.ops:
        reads = [a for a in (*op.args, *op.kwargs.values()) if type(a) is Var and a in made]
        if not reads:
            continue
        if op.prim == "numpy.where" and len(op.args) == 3 and not op.kwargs and len(reads) == 1:
            c = op.args[0]
            if type(c) is Var and c not in made and not out_of_branch((((c, True),),), body):
                wheres.append((op, reads[0] is op.args[1]))
                continue
            return None  # (a condition computed outside too: `masks.py` masks by it)
        if op.blocks or op.kwargs or len(op.results) != 1 or len(op.args) > 2 or op in seq_ops:
            return None
        if not reg.get(op.prim).elementwise:
            return None
        made.add(op.result)
    if any(y in made for y in body.yields):
        return None
    return wheres


def _record(block: Block, loop: Op, r: Var, wheres: list[tuple[Op, bool]]) -> Var:
    """Adds the record of the positions `wheres` select from `r` to `loop`; -> its last value."""
    init, last = Var("seen"), Var("seen")
    block.ops.insert(block.ops.index(loop), Op(UNREAD, [r], results=[init], loc=loop.loc))
    n = len(loop.results)
    body, cur = _carry(loop, init)
    for w, side in wheres:
        new = Var("seen")
        at = body.ops.index(w) + 1
        body.ops.insert(at, Op(MARK, [cur, w.args[0], Const(side)], results=[new], loc=w.loc))
        cur = new
    body.yields.insert(n, cur)
    loop.results.insert(n, last)
    return last
