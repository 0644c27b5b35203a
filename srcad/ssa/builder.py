"""Builder: appends ops to a block and hands back their result Vars.

Input: a `Block` to append to (and the current source `Loc`). Output: ops in that block.

    b = Builder(block)
    y = b.op("numpy.sin", [x], hint="y")
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Block, Const, Loc, Op, Operand, Var


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
        res = Var(hint)
        self.block.ops.append(
            Op(prim, [as_operand(a) for a in args], kwargs, [res], params=params, loc=self.loc)
        )
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
