"""Reverse mode through the unselected side of ``np.where``: which cotangents are structurally zero.

Input: a block of primal IR (the function body, after the VJP split its calls) and the VJP rule
table. Output: ``where_masks(block, table) -> {u: ((cond, keep), ...)}`` for op results `u` whose
cotangent reaches them only through the `x` (``keep=True``) or `y` (``keep=False``) side of
``np.where(cond, x, y)``, passing through elementwise ops on the way; and what the reverse sweep
emits for such an op (`where_selection`, `mask_contribution`). At the positions where a
``cond`` differs from its ``keep`` that cotangent is exactly zero; the reverse sweep multiplies it by
the op's local derivative, which may be inf or nan there (``exp(1000)``, ``0.5 / sqrt(-1)``), so the
sweep masks the op's contributions to its operands before summing them to the operands' shapes::

    sel = _srcad.where_mask(np.shape(u), cond)        # u = np.exp(x), used only in where(cond, u, ..)
    bx = np.where(sel, g * u, 0.0)                      # not g * u: 0 * inf would be nan

A value is masked by the conditions all of its uses agree on: a use outside the chain (another
op, a nested block, the block's result) leaves its cotangent unmasked, though the contributions of
its masked users stay masked. Uses with no cotangent (comparisons, a where's condition) are ignored.
Where the condition broadcasts differently from `u`, `where_mask` keeps a position of `u` when any
position of the where's result it broadcasts to selects that side, so no cotangent is ever dropped.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.ad.activity import _INACTIVE_PRIMS
from srcad.ad.common import RT
from srcad.ad.rules import RuleTable
from srcad.ad.vjp_util import free_vars
from srcad.rules import default_registry
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Op, Operand, Var, walk_ops

Masks = tuple[tuple[Var, bool], ...]


def where_masks(block: Block, table: RuleTable, seq_ops: Container = ()) -> dict[Var, Masks]:
    """-> the masked op results of `block` and its nested blocks, with their conditions.
    `seq_ops`: ``+``/``*`` ops that may concatenate or repeat lists (not elementwise then)."""
    out: dict[Var, Masks] = {}
    if any(op.prim == "numpy.where" for op in walk_ops(block)):  # else no condition to mask by
        _block(block, table, out, seq_ops)
    return out


def _block(block: Block, table: RuleTable, out: dict[Var, Masks], seq_ops: Container) -> None:
    reg = default_registry()
    defined = {r for op in block.ops for r in op.results}
    uses: dict[Var, list[Masks]] = {}

    def use(v: object, m: Masks) -> None:
        if isinstance(v, Var) and v in defined:
            uses.setdefault(v, []).append(m)

    for y in block.yields:
        use(y, ())
    for op in reversed(block.ops):  # SSA: every use of a result comes after its op
        for sub in op.blocks:
            _block(sub, table, out, seq_ops)
            for v in free_vars(sub):
                use(v, ())
        m: Masks = ()
        p = op.prim
        elementwise_op = (
            reg.get(p).elementwise
            and len(op.results) == 1
            and not op.kwargs
            and len(op.args) <= 2
            and op not in seq_ops
        )
        if (elementwise_op or p == "numpy.where") and op.result in uses:
            # Only an elementwise op's contributions line up position by position with its
            # result; a flip, concatenation or index moves them (their masks would be wrong).
            m = _agree(uses[op.result])
            if m:
                out[op.result] = m
        if p == "numpy.where" and len(op.args) == 3 and not op.kwargs:
            c, x, y = op.args
            if isinstance(c, Var):
                use(x, _dedup(m + ((c, True),)))
                use(y, _dedup(m + ((c, False),)))
                continue
        if elementwise_op:
            for a in op.args:
                use(a, m)
            continue
        if p in _INACTIVE_PRIMS or _zero(table, p):
            continue  # no cotangent flows to the operands
        for a in op.operands():
            use(a, ())


def _agree(ms: list[Masks]) -> Masks:
    first, rest = ms[0], ms[1:]
    return tuple(e for e in first if all(_has(other, e) for other in rest))


def _has(m: Masks, e: tuple[Var, bool]) -> bool:
    return any(c is e[0] and k is e[1] for c, k in m)


def _dedup(m: Masks) -> Masks:
    out: list[tuple[Var, bool]] = []
    for e in m:
        if not _has(tuple(out), e):
            out.append(e)
    return tuple(out)


def _zero(table: RuleTable, prim: str) -> bool:
    rule = table.get(prim)
    return rule is not None and rule.zero


# -- what the reverse sweep emits where a mask applies (`VJP.rev_op`) -----------------------------
def where_selection(op: Op, masks: Any, b: Builder) -> Var:
    """Where `op`'s contributions can be non-zero: ``_srcad.where_mask(np.shape(ans), c...)``."""
    shape = b.op("numpy.shape", [op.result])
    kw = {}
    if not all(k for _, k in masks):
        kw["keep"] = Const(tuple(k for _, k in masks))
    return b.op(RT + "where_mask", [shape, *(c for c, _ in masks)], kw, hint="sel")


def mask_contribution(op: Op, sel: Var, c: Operand, rev: Block, scalar: bool) -> Operand:
    """Zero the contribution `c` outside `sel`, before it is summed to the operand's shape;
    `scalar`: `op`'s result is a number (numbers in, a number out: not a 0-d array)."""
    b = Builder(rev, op.loc)
    if scalar:
        return b.op("getitem", [b.op("numpy.where", [sel, c, Const(0.0)]), Const(())])
    last = rev.ops[-1] if rev.ops else None
    if last is not None and last.results == [c] and last.prim == RT + "unbroadcast":
        w = Var()
        rev.ops.insert(len(rev.ops) - 1, Op("numpy.where", [sel, last.args[0], Const(0.0)],
                                            results=[w], loc=op.loc))  # fmt: skip
        last.args[0] = w
        return c
    return b.op("numpy.where", [sel, c, Const(0.0)])  # a unary op: c has the result's shape
