"""Reverse mode through a partial read of a value with an infinite local derivative.

Input: a block of primal IR. Output: `partial_reads(block, seq_ops, prims)`, the values made from
a singular op (``np.sqrt``, logs, fractional powers, divisions: `branchmasks`' walk) through
elementwise ops that an index reads (``r[0]``); `ad/masks.py` masks such a read's use (one whose
own result is not masked) by the positions it reads (``_srcad.read_mask(r, idx)``), so the
positions no read reaches get no contribution from the ops that made the value::

    r = np.sqrt(x)                    # x = [1, -2, 3]: r[1] is nan, and 0.5 / r[1] too
    return r[0] + r[2]                # r[1]'s cotangent is an exact zero: 0, not 0 * nan

Before, the reverse sweep summed ``br * (0.5 / r)`` with ``br = [1, 0, 1]``: the gradient was
``[0.5, nan, 0.29]`` where the function does not depend on ``x[1]``. A read in a branch is also
masked by the branch's condition (`branchmasks`); one in a loop body by an index the body makes
by the positions the loop read, recorded at run time (`loopreads`).
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.branchmasks import MAKERS, made_values
from srcad.ad.common import RT
from srcad.ad.loopreads import record_loop_reads
from srcad.ad.maskcarry import Moved
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Op, Var


def partial_reads(
    block: Block, seq_ops: Container, prims: set[str], memo: dict | None = None
) -> dict[Var, dict]:
    """The values of `block` (nested blocks included) made from a singular op through
    elementwise ops and read by ``getitem``, each with its reads by an index a loop body makes
    (``{getitem op: the loop's record of the positions read}``: `loopreads`, which rewrites
    those loops); empty when there is none. `memo`: the walk of `branchmasks.made_values`,
    shared with `branch_values`."""
    if "getitem" not in prims or prims.isdisjoint(MAKERS):
        return {}
    ops = ops_of(block)
    bases = [op.args[0] for op in ops if _index(op)]
    made = made_values(ops, seq_ops, memo) if bases else set()
    out: dict[Var, dict] = {r: {} for r in bases if r in made}
    if out and "for" in prims:
        record_loop_reads(block, out, out)
    return out


def _index(op: Op) -> bool:
    return op.prim == "getitem" and len(op.args) == 2 and not op.kwargs and type(op.args[0]) is Var


def moved_use(op: Op, how: str, my: tuple, reads: Container) -> tuple:
    """The mask of `u`'s use by ``y = move(u, *args)`` (`op`, `how`: `masks._MOVES`): `y`'s
    mask `my` moved back to `u`'s positions; for ``u[idx]`` with `y` unmasked and `u` one of
    `reads`, the positions `idx` reads (``_srcad.read_mask(u, idx)``); else () (nothing)."""
    u = op.args[0]
    if my:
        return (((Moved(how, u, op.result, my, op.args[1:]), True),),)
    if how == "index" and u in reads:
        seen = reads[u].get(op)  # (a read in a loop: the positions the loop read)
        return (((seen if seen is not None else (RT + "read_mask", u, op.args[1]), True),),)
    return ()
