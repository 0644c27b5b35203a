"""Dead-code elimination on structured SSA.

Input: a `Function`. Output: the same function without pure ops whose results are never read,
without unused `if` results and unused loop carries. Returns True when it changed something.

Before::                         After::
    %0 = tuple(a, b)                 y = numpy.sin(x)
    y = numpy.sin(x)                 return y
    return y
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.core import Block, Function, Op, Var, uses


def is_pure(op: Op) -> bool:
    """No effect besides the result (the primitive's record says so)."""
    return default_registry().get(op.prim).pure


def _has_effects(op: Op) -> bool:
    if op.prim in ("if", "for", "while"):
        return any(_has_effects(o) for b in op.blocks for o in b.ops)
    return not is_pure(op)


def dce(fn: Function) -> bool:
    changed_any = False
    while True:
        counts = uses(fn.body)
        changed = _sweep(fn.body, counts)
        changed_any |= changed
        if not changed:
            return changed_any


def _sweep(block: Block, counts: dict[Var, int]) -> bool:
    changed = False
    kept: list[Op] = []
    for op in block.ops:
        for b in op.blocks:
            changed |= _sweep(b, counts)
        if op.prim == "if":
            changed |= _trim_if(op, counts)
        elif op.prim in ("for", "while"):
            changed |= _trim_loop(op, counts)
        live = any(counts.get(r, 0) for r in op.results)
        if not live and not _has_effects(op):
            changed = True
            continue
        kept.append(op)
    block.ops = kept
    return changed


def _trim_if(op: Op, counts: dict[Var, int]) -> bool:
    keep = [k for k, r in enumerate(op.results) if counts.get(r, 0)]
    if len(keep) == len(op.results):
        return False
    op.results = [op.results[k] for k in keep]
    for b in op.blocks:
        b.yields = [b.yields[k] for k in keep]
    return True


def _trim_loop(op: Op, counts: dict[Var, int]) -> bool:
    """Drop carries whose result is unused and whose params feed only their own yield."""
    n = len(op.results)
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    blocks_params = [(b, off if b is body else 0) for b in op.blocks]
    removable = []
    for k in range(n):
        if counts.get(op.results[k], 0):
            continue
        ok = True
        for b, o in blocks_params:
            p = b.params[o + k]
            self_use = 1 if (b is body and body.yields[k] is p) else 0
            if counts.get(p, 0) > self_use:
                ok = False
        if ok:
            removable.append(k)
    if not removable:
        return False
    keep = [k for k in range(n) if k not in removable]
    head = op.args[:3] if op.prim == "for" else []
    inits = op.args[len(head) :]
    op.args = head + [inits[k] for k in keep]
    op.results = [op.results[k] for k in keep]
    for b, o in blocks_params:
        b.params = b.params[:o] + [b.params[o + k] for k in keep]
    extra = body.yields[n:]  # the stop flag
    body.yields = [body.yields[k] for k in keep] + extra
    return True
