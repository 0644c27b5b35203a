"""The shared walk (`srcad/ssa/census.py`) against its definitions: `walk_ops`' order, the ops
of given primitives, result definitions, and a new walk after the IR changed."""

from __future__ import annotations

from srcad.ssa.census import (
    kept_ops,
    nested_blocks,
    ops_of,
    ops_with,
    result_defs,
    structured_ops,
)
from srcad.ssa.core import Block, Op, Var, walk_ops


def _op(prim: str, *blocks: Block) -> Op:
    return Op(prim, results=[Var(prim.split(".")[-1])], blocks=list(blocks))


def _nested() -> Block:
    """add; for { mul; if { neg } { sub; while { } { pow } }; exp }; tuple"""
    loop = Block(ops=[_op("pow")])
    inner_if = _op(
        "if", Block(ops=[_op("neg")]), Block(ops=[_op("sub"), _op("while", Block(), loop)])
    )
    body = Block(ops=[_op("mul"), inner_if, _op("numpy.exp")])
    return Block(ops=[_op("add"), _op("for", body), _op("tuple")])


def test_walk_order_and_structure() -> None:
    top = _nested()
    walked = list(walk_ops(top))
    assert ops_of(top) == walked
    assert [op.prim for op in ops_of(top)] == [
        "add", "for", "mul", "if", "neg", "sub", "while", "pow", "numpy.exp", "tuple",
    ]  # fmt: skip
    assert structured_ops(top) == [op for op in walked if op.blocks]
    assert nested_blocks(top) == [sub for op in walked for sub in op.blocks]
    assert list(ops_with(top, {"pow", "add", "if"})) == [
        op for op in walked if op.prim in ("pow", "add", "if")
    ]


def test_result_defs_later_op_wins() -> None:
    a, b = Var("a"), Var("b")
    first, second = Op("add", results=[a, b]), Op("mul", results=[a])
    defs = result_defs([first, second])
    assert defs[a] is second and defs[b] is first
    assert result_defs(iter([first])) == {a: first, b: first}  # any iterable of ops


def test_walked_again_after_changes() -> None:
    top = _nested()
    before = list(ops_of(top))
    loop_body = structured_ops(top)[-1].blocks[-1]  # the `while`'s body
    added = _op("log")
    loop_body.ops.append(added)  # a nested block's ops changed
    assert ops_of(top) == list(walk_ops(top)) and added in ops_of(top)
    if_op = structured_ops(top)[1]
    if_op.blocks[0] = Block(ops=[_op("cos")])  # a structured op's blocks replaced
    assert ops_of(top) == list(walk_ops(top))
    assert [op.prim for op in ops_of(top)].count("cos") == 1 and len(before) == 10
    top.ops.pop(0)  # the block's own ops
    assert ops_of(top) == list(walk_ops(top))
    renamed = ops_of(top)[0]
    renamed.prim = "call"  # an op renamed in place: the walk still holds it, read as it is now
    assert list(ops_with(top, {"call"})) == [renamed]


def test_kept_ops_only_of_the_ir_as_it_is() -> None:
    """`kept_ops`: the shared walk when one of the block as it is now is kept, else None (no
    walk made); `passes/slots.single_slots` walks the IR itself then, in the same order."""
    from srcad.passes.slots import _blocks_and_seeds

    top = _nested()
    assert kept_ops(top) is None  # none made yet: none made by asking
    assert top.census is None
    walked = ops_of(top)
    assert kept_ops(top) is walked
    structured_ops(top)[-1].blocks[-1].ops.append(_op("log"))  # the IR changed
    assert kept_ops(top) is None
    blocks, seeds = [top], set()
    _blocks_and_seeds(top, blocks, seeds)
    assert blocks == [top, *nested_blocks(top)] and not seeds
