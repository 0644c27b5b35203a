"""One walk of a block, shared by the analyses that read it while it is unchanged.

Input: a `Block` (a function's body, as a rule). Output: `ops_of(block)`, every op in it and in
its nested blocks in `walk_ops`' order, as one list (`ops_with`: those of given primitives);
`nested_blocks(block)`, the blocks of those ops (each op's in order: ``[sub for op in
walk_ops(block) for sub in op.blocks]``); `structured_ops(block)`, the ops owning them;
`result_defs(ops)`, each result's op (`shared_defs`: one per memo of analyses that read an
unchanged IR in a row). Made on first use and kept on the block (`Block.census`) with what the
walk read: the op list of every block, the blocks of every structured op. Each later call
compares those with the block as it is now (list comparisons in C, element by element, by
identity) and walks again when anything differs, so an analysis that added, removed or replaced
ops in between is never answered with the old walk. The other ops own no blocks
(`ssa/verify.py` checks it: only ``if``/``for``/``while`` do, and no pass gives an op blocks
after making it). Callers read each op's fields as they are now (`prim`, `args`) and never
change the lists. The transform's analyses walk its primal about thirty times, mostly
unchanged (`Transform.analyze`, `VJP.sweep`).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator

from srcad.ssa.core import Block, Op, Var


class Census:
    """The walk of one block and what it depended on (module docstring). No reference to the
    block itself (it holds its census: no cycle)."""

    __slots__ = ("ops", "top", "nested", "subs", "sub_ops", "nested_blocks")

    def __init__(self, block: Block) -> None:
        ops: list[Op] = []
        nested: list[Op] = []
        _visit(block.ops, ops, nested)
        self.ops = ops
        self.top = list(block.ops)  # (copies: compared element by element)
        self.nested = nested  # the ops with blocks, in walk order
        self.subs = [sub for op in nested for sub in op.blocks]
        self.sub_ops = [list(b.ops) for b in self.subs]
        self.nested_blocks = [list(op.blocks) for op in nested]

    def valid(self, block: Block) -> bool:
        """The same walk of `block` now: every block holds the same ops, every structured op
        the same blocks."""
        # (comprehensions: on 3.11 they cost less than ``list(map(attrgetter("ops"), ...))``)
        return (
            block.ops == self.top
            and [b.ops for b in self.subs] == self.sub_ops
            and [op.blocks for op in self.nested] == self.nested_blocks
        )


def _visit(block_ops: list[Op], ops: list[Op], nested: list[Op]) -> None:
    """Each op, then its blocks' ops. A plain loop: on 3.11 its specialized attribute read
    costs less than `filter` with an `attrgetter` and `list.index` (whose compare of two Ops
    falls back to identity only after both `__eq__` calls)."""
    append = ops.append
    for op in block_ops:
        append(op)
        if op.blocks:
            nested.append(op)
            for sub in op.blocks:
                _visit(sub.ops, ops, nested)


def census(block: Block) -> Census:
    """The block's `Census`, walked again when the kept one no longer matches it."""
    c = block.census
    if c is None or not c.valid(block):
        c = block.census = Census(block)
    return c


def kept_ops(block: Block) -> list[Op] | None:
    """`ops_of(block)` when a walk of the block as it is now is kept already; else None (the
    caller walks it itself, where no other analysis would read a new shared walk)."""
    c = block.census
    return c.ops if c is not None and c.valid(block) else None


def ops_of(block: Block) -> list[Op]:
    """``list(walk_ops(block))``, shared (module docstring)."""
    return census(block).ops


def ops_with(block: Block, prims: Container[str]) -> Iterator[Op]:
    """The ops of `ops_of(block)` whose primitive is in `prims` (a set or dict), in order (a
    comprehension: on 3.11 it costs a third of `compress` over `map`s of an `attrgetter` and
    of ``prims.__contains__``, whose calls go through C wrappers)."""
    return iter([op for op in census(block).ops if op.prim in prims])


def structured_ops(block: Block) -> list[Op]:
    """The ops of `ops_of(block)` that own blocks (``if``, ``for``, ``while``), shared."""
    return census(block).nested


def nested_blocks(block: Block) -> list[Block]:
    """``[sub for op in walk_ops(block) for sub in op.blocks]``, shared."""
    return census(block).subs


def blocks_of(block: Block) -> list[Block]:
    """``[block, *nested_blocks(block)]`` (a new list)."""
    return [block, *census(block).subs]


def shared_defs(ops: list[Op], memo: dict | None) -> dict[Var, Op]:
    """`result_defs(ops)`, made once per `memo` for one list `ops` (`ops_of`'s: the same list
    while its block is unchanged): the analyses of one unchanged IR in a row share it (the
    records of `passes/prepare.py`, the masks of `VJP.sweep`); without `memo`, made. (The
    memo holds `ops`: its id is no other list's while the entry lives.)"""
    if memo is None:
        return result_defs(ops)
    key = (result_defs, id(ops))
    got = memo.get(key)
    if got is None or got[0] is not ops:
        got = memo[key] = (ops, result_defs(ops))
    return got[1]


def result_defs(ops: Iterable[Op]) -> dict[Var, Op]:
    """Each result of `ops` -> its op (a later op's entry wins). A comprehension: a `zip` and
    a `repeat` made per op for ``dict(chain(...))`` cost four times as much."""
    return {r: op for op in ops for r in op.results}
