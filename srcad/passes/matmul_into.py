"""A loop accumulator's matrix product computed into a scratch array: ``bW += x.T @ g``.

Input: a `Function` after passes/inplace.py made its loops' private accumulators
``acc.1 = add_into(acc, c)``. Output: the same function where `c` is a ``matmul`` of the same
block read by nothing else, with ``acc.1 = add_matmul_into(acc, a, b)`` in place of the two ops;
True when it rewrote one::

    %84 = attr.T(h.4)                            %84 = attr.T(h.4)
    bWh.3 = matmul(%84, %83)              ->     bWh.4 = add_matmul_into(bWh.1, %84, %83)
    bWh.4 = add_into(bWh.1, bWh.3)

`rules/accumulate.py`'s helper computes the product into a scratch array of its thread, so a
reverse sweep's per-step weight gradient (an LSTM's, an RNN's, a GRU's) allocates nothing: each
new product of a layer's size was fresh pages of memory, a quarter of an LSTM gradient's time.
The product moves from its own op to the accumulation's; only ops that read values and write
nothing (pure, no blocks, not in place) may stand between them, so it reads the same `a` and `b`.
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.core import Block, Function, Op, Var, uses

_ADD_INTO = "srcad.runtime.add_into"
_FUSED = "srcad.runtime.add_matmul_into"


def matmul_into(fn: Function, counts: dict[Var, int] | None = None) -> bool:
    """Rewrite each ``add_into(acc, a @ b)`` of `fn` (module docstring); True when one changed.
    `counts`: the read counts of `fn` (`uses(fn.body)`) when the caller has them."""
    todo, found = [fn.body], []
    while todo:
        block = todo.pop()
        for op in block.ops:
            if op.blocks:
                todo.extend(op.blocks)
            elif op.prim == _ADD_INTO:
                found.append((block, op))
    if not found:
        return False
    counts = uses(fn.body) if counts is None else counts
    changed = False
    for block, op in found:
        changed |= _fuse(block, op, counts)
    return changed


def _fuse(block: Block, op: Op, counts: dict[Var, int]) -> bool:
    if len(op.args) != 2 or op.kwargs or len(op.results) != 1:
        return False
    c = op.args[1]
    if type(c) is not Var or counts.get(c, 0) != 1:
        return False
    ops = block.ops
    at = _index(ops, op)
    for k in range(at - 1, -1, -1):
        m = ops[k]
        if c in m.results:
            break
        if not _reads_only(m):
            return False
    else:
        return False
    if m.prim != "matmul" or len(m.args) != 2 or m.kwargs or len(m.results) != 1 or m.blocks:
        return False
    op.prim, op.args = _FUSED, [op.args[0], *m.args]
    del ops[k]
    return True


def _index(ops: list[Op], op: Op) -> int:
    for k, o in enumerate(ops):
        if o is op:
            return k
    raise ValueError("op not in its block")  # pragma: no cover - found in this block


def _reads_only(m: Op) -> bool:
    """`m` writes nothing another op reads: pure, no nested blocks, no update in place."""
    if m.blocks or m.params.get("inplace") or "out" in m.kwargs:
        return False
    rec = default_registry().get(m.prim)
    return rec.pure and not rec.updates
