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

A matrix product's cotangent, ``c = matmul_vjp(g, x, y, which)`` or the checked plain product
passes/shapes_matmul.py writes for it, ``c = matmul_vjp_checked(x.T @ g, g, x, y, 1)`` (its
``matmul`` and ``attr.T`` in the block, read by nothing else), goes the same way, into
``acc.1 = add_matmul_vjp_into(acc, g, x, y, which)`` (`rules/checked_products.py`: the plain
product into the scratch array, added when its finiteness test passes)::

    %84 = attr.T(h.4)
    %85 = matmul(%84, %83)                        ->     bWh.4 = add_matmul_vjp_into(bWh.1,
    bWh.3 = matmul_vjp_checked(%85, %83, h.4, Wh, 1)                           %83, h.4, Wh, 1)
    bWh.4 = add_into(bWh.1, bWh.3)
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.core import Block, Const, Function, Op, Var, uses

_ADD_INTO = "srcad.runtime.add_into"
_FUSED = "srcad.runtime.add_matmul_into"
_VJP = "srcad.runtime.matmul_vjp"
_CHECKED = "srcad.runtime.matmul_vjp_checked"  # (passes/shapes_matmul.py)
_FUSED_VJP = "srcad.runtime.add_matmul_vjp_into"


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
    if m.kwargs or len(m.results) != 1 or m.blocks:
        return False
    if m.prim == "matmul" and len(m.args) == 2:
        op.prim, op.args = _FUSED, [op.args[0], *m.args]
        del ops[k]
        return True
    if m.prim == _VJP and len(m.args) == 4:  # (``bW += matmul_vjp(g, x, W, 1)``)
        op.prim, op.args = _FUSED_VJP, [op.args[0], *m.args]
        del ops[k]
        return True
    if m.prim != _CHECKED or len(m.args) != 5:
        return False
    dead = _plain_product(ops[:k], m, counts)
    if dead is None:
        return False
    op.prim, op.args = _FUSED_VJP, [op.args[0], *m.args[1:]]
    block.ops = ops = [o for o in ops if o is not m and all(o is not d for d in dead)]
    return True


def _plain_product(before: list[Op], m: Op, counts: dict[Var, int]) -> list[Op] | None:
    """The ops of ``matmul_vjp_checked(x.T @ g, g, x, y, 1)``'s product (`m`'s first operand)
    that go when the fused helper computes it: the ``matmul`` and the ``attr.T`` it reads (of
    `x`; ``g @ y.T``'s of `y` for which 0), both in `m`'s block and read by nothing else; None
    when that is not so (``g @ WT`` of a copy made before the loop: passes/transposes.py)."""
    r, _, x, y, which = m.args
    if type(r) is not Var or counts.get(r, 0) != 1 or type(which) is not Const:
        return None
    w = which.value
    made = {v: o for o in before for v in o.results}
    p = made.get(r)
    if p is None or p.prim != "matmul" or len(p.args) != 2 or p.kwargs or w not in (0, 1):
        return None
    if type(w) is not int:
        return None
    t = p.args[1 - w]  # (``x.T`` is the left operand, ``y.T`` the right)
    d = made.get(t) if type(t) is Var else None
    if d is None or d.prim != "attr.T" or d.args != [x if w == 1 else y] or counts.get(t) != 1:
        return None
    return [p, d]


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
