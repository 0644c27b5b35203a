"""Sums of squares accumulated by a loop, for `fmasks.square_sums`.

Input: a block (with `census.shared_defs`' memo) and, as its walk goes, the values it found to
be sums of squares. Output: `LoopSquares`, the set that walk fills, which also holds the result
of a ``for`` or ``while`` loop carrying a sum of squares from 0 (``d = 0.0``, then ``d += t * t`` in the
body) or a list of them from empty (``acc = []``, then ``acc.append(v * v)``: the builtin
``sum`` of it, ``math.sqrt(sum(v * v for v in x))``), asked once the walk has seen the body
(pre-order: the loop's results are read after it). So the root of such a sum takes the
subgradient 0 where the sum is 0, as a vectorised one does (its derivative was ``0 * inf``,
NaN: the zero diagonal of a pairwise distance summed in a scalar loop).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
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
        self.counters: set[Var] | None = None  # (`positive`: counters of loops counting up)
        # (`sqsums`: weighted sums of squares -> their weights, checked at the root: not added
        # by a loop, whose body's weights the check after it could not read)
        self.weighted: dict[Var, tuple] = {}

    def __contains__(self, v: object) -> bool:
        if set.__contains__(self, v):
            return True
        if self.loops is None:
            self.loops = {}
            for op in structured_ops(self.block):
                if op.prim in ("for", "while"):  # (`loop_parts` checks their form)
                    for k, r in enumerate(op.results):
                        self.loops[r] = (op, k)
        got = self.loops.get(v) if type(v) is Var else None
        if got is None or not self._accumulates(*got):
            return False
        self.add(v)
        return True

    def positive(self, v: object) -> bool:
        """`positive` of `v` in the block."""
        if self.counters is None:
            self.counters = range_counters(structured_ops(self.block))
        return positive(v, shared_defs(ops_of(self.block), self.memo), self.counters)

    def _accumulates(self, op: Any, k: int) -> bool:
        """Does carry `k` of the loop `op` start at 0 (an empty list) and gain a sum of squares
        (an item that is one) in each iteration?"""
        parts = loop_parts(op, k)
        if parts is None:
            return False
        init, carry, y, body = parts
        d = _def(body, y)
        if d is not None and d.prim == _CAST and len(d.args) == 3 and d.args[1] is carry:
            d = _def(body, d.args[0])  # (``d += t * t``: the new value, as ``d`` is a number)
        if d is None or len(d.args) != 2 or d.kwargs or len(d.results) != 1:
            return False
        if d.prim == "add" and isinstance(init, Const) and type(init.value) in (int, float):
            t = d.args[1] if d.args[0] is carry else d.args[0] if d.args[1] is carry else None
            return init.value == 0 and set.__contains__(self, t) and t not in self.weighted
        if d.prim == "list_append" and d.args[0] is carry and type(init) is Var:
            m = shared_defs(ops_of(self.block), self.memo).get(init)
            empty = m is not None and m.prim == "list" and not m.args and not m.kwargs
            return empty and set.__contains__(self, d.args[1]) and d.args[1] not in self.weighted
        return False


def loop_parts(op: Any, k: int) -> tuple | None:
    """(first value, carried parameter, yield, body) of carry `k` of the ``for`` or ``while``
    loop `op` (no break flag), None for another op or form."""
    n = len(op.results)
    if op.prim == "for" and len(op.blocks) == 1 and len(op.args) >= n:
        body, lead, init = op.blocks[0], 1, op.args[len(op.args) - n + k]
    elif op.prim == "while" and len(op.blocks) == 2 and len(op.args) == n:
        body, lead, init = op.blocks[1], 0, op.args[k]
    else:
        return None
    if len(body.params) != n + lead or len(body.yields) != n or not 0 <= k < n:
        return None
    return init, body.params[lead + k], body.yields[k], body


def scaled_sum(op: Any, positive: Callable[[Any], bool] | None = None) -> bool:
    """Is `op` ``s / c`` or ``s * c`` of a number constant ``c > 0`` (``np.sum(d ** 2) / n``: a
    sum of squares when `s` is one, 0 where it is), or of a `c` that `positive` tells is one
    (``(x[i] - c[i]) ** 2 * (i + 1.0)`` in a loop: `LoopSquares.positive`)?"""
    if op.prim not in ("truediv", "mul") or len(op.args) != 2 or op.kwargs:
        return False
    c = op.args[1]
    if isinstance(c, Const):
        return type(c.value) in (int, float) and c.value > 0
    return positive is not None and positive(c)


def range_counters(ops: Iterable[Any]) -> set[Var]:
    """The counters of the range loops among `ops` counting up from 0 or more."""
    return {
        op.blocks[0].params[0]
        for op in ops
        if op.prim == "for" and len(op.blocks) == 1 and op.blocks[0].params
        and _sign(op.args[0], {}, set(), 0) and _sign(op.args[2], {}, set(), 0) == 2
    }  # fmt: skip


def positive(v: object, defs: dict, counters: Container) -> bool:
    """Is `v` a number > 0 wherever it is computed, and never varied: a constant > 0, or
    ``a + b``/``a * b`` of such values and of `counters` (``i + 1.0``: a loop's weight of the
    squares it adds)? `defs`: the ops defining the values."""
    return _sign(v, defs, counters, 0) == 2


def _sign(v: object, defs: dict, counters: Container, depth: int) -> int:
    """2: `v` is > 0; 1: >= 0; 0: not known (`positive`)."""
    if isinstance(v, Const):
        x = v.value
        return 0 if type(x) not in (int, float) else 2 if x > 0 else 1 if x == 0 else 0
    if type(v) is not Var or depth > 8:
        return 0
    if v in counters:
        return 1
    d = defs.get(v)
    if d is None or d.prim not in ("add", "mul") or len(d.args) != 2 or d.kwargs:
        return 0
    a, b = (_sign(x, defs, counters, depth + 1) for x in d.args)
    if not a or not b:
        return 0
    return max(a, b) if d.prim == "add" else min(a, b)
