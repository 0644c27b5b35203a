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
    return default_registry().get(op.prim).pure and not (
        op.params
        and (
            "receiver_may_update" in op.params
            or "read_may_update" in op.params
            or "read_may_insert" in op.params  # (a dict's missing key: passes/missing_keys.py)
            or "may_raise" in op.params  # (an unused op the program wrote: passes/raising.py)
        )
    )


def has_effects(op: Op) -> bool:
    """The op (or one inside its blocks) has an effect besides its results."""
    if op.prim in ("if", "for", "while"):
        return any(has_effects(o) for b in op.blocks for o in b.ops)
    return not is_pure(op)


def dce(
    fn: Function, counts: dict[Var, int] | None = None, dropped: list[Op] | None = None
) -> bool:
    """One sweep reaches the fixpoint: ops are visited last first with the use counts kept
    up to date, and a loop whose carries are trimmed has its blocks swept again. `counts`:
    ``uses(fn.body)`` when the caller has it (it is updated); `dropped` gets the ops dropped
    (structured ones with the ops inside)."""
    return _sweep(fn.body, uses(fn.body) if counts is None else counts, dropped)


def _sweep(block: Block, counts: dict[Var, int], dropped: list[Op] | None = None) -> bool:
    """Drop dead ops, last first: an op dropped no longer reads its operands (their counts go
    down), so the ops computing them die in the same sweep."""
    changed = False
    kept: list[Op] = []
    get = counts.get
    for op in reversed(block.ops):
        if op.blocks:  # (most ops have none)
            p = op.prim
            if p == "if":
                changed |= _trim_if(op, counts)
            for b in op.blocks:
                changed |= _sweep(b, counts, dropped)
            if p == "for" or p == "while":
                changed |= _trim_loop(op, counts, dropped)
        rs = op.results
        live = get(rs[0], 0) if len(rs) == 1 else any(map(get, rs))
        if not live and not has_effects(op):
            unread(op, counts)
            if dropped is not None:
                dropped.append(op)
            changed = True
            continue
        kept.append(op)
    kept.reverse()
    block.ops = kept
    return changed


def unread(op: Op, counts: dict[Var, int]) -> None:
    """`op` is gone: what it and its blocks read is read once less."""
    for a in op.operands():
        if isinstance(a, Var) and a in counts:
            counts[a] -= 1
    for b in op.blocks:
        for o in b.ops:
            unread(o, counts)
        for y in b.yields:
            if isinstance(y, Var) and y in counts:
                counts[y] -= 1


def _trim_if(op: Op, counts: dict[Var, int]) -> bool:
    keep = [k for k, r in enumerate(op.results) if counts.get(r, 0)]
    if len(keep) == len(op.results):
        return False
    op.results = [op.results[k] for k in keep]
    for b in op.blocks:
        for k, y in enumerate(b.yields):
            if k not in keep and isinstance(y, Var) and y in counts:
                counts[y] -= 1
        b.yields = [b.yields[k] for k in keep]
    return True


def _trim_loop(op: Op, counts: dict[Var, int], dropped: list[Op] | None = None) -> bool:
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
    for k in removable:  # the init and the yielded value are read once less
        for a in (inits[k], body.yields[k]):
            if isinstance(a, Var) and a in counts:
                counts[a] -= 1
    op.args = head + [inits[k] for k in keep]
    op.results = [op.results[k] for k in keep]
    for b, o in blocks_params:
        b.params = b.params[:o] + [b.params[o + k] for k in keep]
    extra = body.yields[n:]  # the stop flag
    body.yields = [body.yields[k] for k in keep] + extra
    for b in op.blocks:  # what only the trimmed carries read is dead now
        _sweep(b, counts, dropped)
    return True
