"""Sums of squares accumulated by a loop, for `fmasks.square_sums`.

Input: a block (with `census.shared_defs`' memo) and, as its walk goes, the values it found to
be sums of squares. Output: `LoopSquares`, the set that walk fills, which also holds the result
of a ``for`` loop carrying a sum of squares from 0 (``d = 0.0``, then ``d += t * t`` in the
body) or a list of them from empty (``acc = []``, then ``acc.append(v * v)``: the builtin
``sum`` of it, ``math.sqrt(sum(v * v for v in x))``), asked once the walk has seen the body
(pre-order: the loop's results are read after it). So the root of such a sum takes the
subgradient 0 where the sum is 0, as a vectorised one does (its derivative was ``0 * inf``,
NaN: the zero diagonal of a pairwise distance summed in a scalar loop).
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.census import ops_of, shared_defs, structured_ops
from srcad.ssa.core import Block, Const, Var

_CAST = "srcad.runtime.inplace_cast"


def _def(body: Block, v: object) -> Any:
    return next((o for o in body.ops if v in o.results), None) if type(v) is Var else None


class LoopSquares(set):
    """A set of Vars that also holds the loop results the module docstring describes."""

    def __init__(self, block: Block, memo: dict | None = None) -> None:
        super().__init__()
        self.block, self.memo = block, memo
        self.loops: dict[Var, tuple] | None = None  # result -> (loop op, carry index)

    def __contains__(self, v: object) -> bool:
        if set.__contains__(self, v):
            return True
        if self.loops is None:
            self.loops = {}
            for op in structured_ops(self.block):
                if op.prim == "for" and len(op.blocks) == 1:
                    for k, r in enumerate(op.results):
                        self.loops[r] = (op, k)
        got = self.loops.get(v) if type(v) is Var else None
        if got is None or not self._accumulates(*got):
            return False
        self.add(v)
        return True

    def _accumulates(self, op: Any, k: int) -> bool:
        """Does carry `k` of the loop `op` start at 0 (an empty list) and gain a sum of squares
        (an item that is one) in each iteration?"""
        body = op.blocks[0]
        n = len(op.results)
        if len(op.args) < n or len(body.params) != n + 1 or len(body.yields) != n:
            return False
        init, carry, y = op.args[len(op.args) - n + k], body.params[1 + k], body.yields[k]
        d = _def(body, y)
        if d is not None and d.prim == _CAST and len(d.args) == 3 and d.args[1] is carry:
            d = _def(body, d.args[0])  # (``d += t * t``: the new value, as ``d`` is a number)
        if d is None or len(d.args) != 2 or d.kwargs or len(d.results) != 1:
            return False
        if d.prim == "add" and isinstance(init, Const) and type(init.value) in (int, float):
            t = d.args[1] if d.args[0] is carry else d.args[0] if d.args[1] is carry else None
            return init.value == 0 and set.__contains__(self, t)
        if d.prim == "list_append" and d.args[0] is carry and type(init) is Var:
            m = shared_defs(ops_of(self.block), self.memo).get(init)
            empty = m is not None and m.prim == "list" and not m.args and not m.kwargs
            return empty and set.__contains__(self, d.args[1])
        return False


def scaled_sum(op: Any) -> bool:
    """Is `op` ``s / c`` or ``s * c`` of a number constant ``c > 0`` (``np.sum(d ** 2) / n``: a
    sum of squares when `s` is one, 0 where it is)?"""
    if op.prim not in ("truediv", "mul") or len(op.args) != 2 or op.kwargs:
        return False
    c = op.args[1]
    return isinstance(c, Const) and type(c.value) in (int, float) and c.value > 0
