"""Builder: appends ops to a block and hands back their result Vars.

Input: a `Block` to append to (and the current source `Loc`). Output: ops in that block.

    b = Builder(block)
    y = b.op("numpy.sin", [x], hint="y")
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Block, Const, Loc, Op, Operand, Var

_new = object.__new__
_OPERANDS = frozenset((Var, Const))


class Builder:
    """Appends ops to `block`; every op gets the builder's current `loc`."""

    def __init__(self, block: Block, loc: Loc | None = None) -> None:
        self.block = block
        self.loc = loc

    def op(
        self,
        prim: str,
        args: list[Operand] | tuple = (),
        kwargs: dict[str, Operand] | None = None,
        *,
        params: dict[str, Any] | None = None,
        hint: str = "",
    ) -> Var:
        """Append a single-result op and return its result."""
        res = _new(Var)  # (`Var(hint)` without the call of its __init__)
        res.hint = hint
        # what `Op(prim, operands, kwargs, [res], params=params, loc=self.loc)` makes, without
        # its copies of the lists built here (the commonest allocation of the lowering)
        op = _new(Op)
        op.prim = prim
        operands = list(args)  # (a comprehension per op cost more than this test, on 3.11)
        if not _OPERANDS.issuperset(map(type, operands)):  # (one test, no loop)
            operands = [a if type(a) in _OPERANDS else as_operand(a) for a in operands]
        op.args = operands
        op.kwargs = dict(kwargs) if kwargs else {}
        op.results = [res]
        op.blocks = []
        op.params = dict(params) if params else {}
        op.loc = self.loc
        self.block.ops.append(op)
        return res

    def append(self, op: Op) -> Op:
        if op.loc is None:
            op.loc = self.loc
        self.block.ops.append(op)
        return op


def as_operand(x: Any) -> Operand:
    if isinstance(x, (Var, Const)):
        return x
    return Const(x)
