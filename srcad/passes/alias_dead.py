"""The mutation check's hazards whose stale read feeds nothing: dropped before one is raised.

Input: a function (the IR the check ran on) and its `Flow.hazards` (update, stale value, read).
Output: the hazards whose reading op dead-code elimination would keep.

A hazard is a read of a value that Python's aliasing would have changed. When nothing the
function returns or does depends on that read in srcad's values (DCE drops the op: its results
reach no output, no write-back, no op with an effect), srcad's outputs do not depend on it, so
Python's different value there changes nothing srcad computes. The updates themselves stay in
the analysis: a later live read of an alias of the updated object is a hazard of its own::

    lv = [x, x]
    x -= x              # (an argument updated in place: written back)
    lv.append(1.0)      # reads `lv`, holding the old `x`; the new `lv` is never read
    return 2.0
"""

from __future__ import annotations

from srcad.passes.dce import dce
from srcad.ssa.clone import snapshot
from srcad.ssa.core import Function, Op, walk_ops


def live_hazards(fn: Function, hazards: list) -> list:
    """`hazards` less those whose read (`at`) DCE drops from a copy of `fn`; all of them when the
    copy cannot be matched op for op."""
    if not hazards or all(at is None for _, _, at in hazards):
        return hazards
    copy = snapshot(fn)
    ops, copied = list(walk_ops(fn.body)), list(walk_ops(copy.body))
    if len(ops) != len(copied):
        return hazards
    dropped: list[Op] = []
    dce(copy, dropped=dropped)
    gone = {id(op) for op in dropped}
    for op in dropped:  # (a structured op dropped whole: every op inside it too)
        for b in op.blocks:
            gone.update(id(o) for o in walk_ops(b))
    dead = {id(op) for op, c in zip(ops, copied) if id(c) in gone}
    return [h for h in hazards if h[2] is None or id(h[2]) not in dead]


__all__ = ["live_hazards"]
