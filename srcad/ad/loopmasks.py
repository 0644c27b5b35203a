"""Reverse mode through a ``for`` loop whose results are masked: the masks carried into its body.

Input: a ``for`` op, the masks of the uses of its results (`ad/masks.py`'s `uses`) and a way to
run the mask pass on a block with given masks of its yields. Output: `loop_yields(op, uses, ..)`,
the masks of the body's yields (and of the loop's first values), or None (none, or no fixed
point in `_ROUNDS` rounds).

A loop carry's cotangent at the end of iteration t is the cotangent of the loop's result (after
the last iteration) or of the carried parameter in iteration t + 1: where both are known to be
zero (a `where` after the loop, ``np.where(x > 0, v, 0)``, and the body's uses of `v` under the
same condition), the body's ops and the first value get none there either, so the singular op
that made `v` (before or inside the loop, ``v = np.sqrt(v)``) does not multiply that zero by its
infinite local derivative::

    v = np.sqrt(x)                    # x = 0: 0.5 / v is inf
    for _ in range(2):
        v = v * 2.0                   # the body's yield: masked by x > 0, so is its parameter
    y = np.where(x > 0, v, 0.0)       # the loop's result: masked by x > 0

The yields' masks are the results' or'ed with those of the parameters' uses in the body, those
computed again outside it (`maskcarry.out_of_branch`: a condition reading a carried value, the
counter or a value made in the body is dropped), iterated to a fixed point; masks only grow, and
a loop that does not settle masks nothing. A loop whose results are not masked but whose body
masks a carried parameter (``for ..: v = np.where(x > 0, v, 0.0)``) gives its first values the
parameters' masks where the loop runs, the results' where it does not (`_first`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ad.common import RT
from srcad.ad.fmasks import singular
from srcad.ad.maskcarry import out_of_branch
from srcad.ad.partreads import MASKED_PRIMS
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, shared_defs
from srcad.ssa.core import Block, Const, Op, Var

_ROUNDS = 3


class Loops:
    """The ``for`` ops of a block (nested blocks included) one of whose results reaches, through
    elementwise ops, an op that masks its operands (`masking`): the only loops `loop_yields`
    runs for (`masks._unmasked` takes the others' first values as read with no mask). Found
    when first asked, back from those ops through the definitions (`memo`: `shared_defs`')."""

    __slots__ = ("block", "found", "masking", "memo")

    def __init__(self, block: Block, masking: Callable[[Op], bool], memo: dict | None) -> None:
        self.block, self.masking, self.memo = block, masking, memo
        self.found: frozenset[Op] | None = None

    def __contains__(self, op: object) -> bool:
        if self.found is None:
            self.found = self._find()
        return op in self.found

    def _find(self) -> frozenset[Op]:
        ops = ops_of(self.block)
        defs = shared_defs(ops, self.memo)
        reg = default_registry()
        # (and the moves, selections and gathers: ``v[~np.isnan(v0)]``, `partreads.moved_use`)
        masking = [op for op in ops if self.masking(op) or op.prim in MASKED_PRIMS]
        todo = [a for op in masking for a in op.operands() if type(a) is Var]
        out, seen = set(), set()
        carried = {  # (a carry whose first value a singular op made: `_first` masks it)
            p: op
            for op in ops
            if op.prim == "for"
            for p, a in zip(op.blocks[0].params[1:], op.args[3:])
            if _made(a, defs, reg)
        }
        while todo:
            v = todo.pop()
            d = defs.get(v)
            if d is None or v in seen:
                if v in carried:  # (a where in the body on the carried value: `loop_yields`)
                    out.add(carried[v])
                continue
            seen.add(v)
            if d.prim == "for":
                out.add(d)
            elif not d.blocks and reg.get(d.prim).elementwise:
                todo.extend(a for a in d.operands() if type(a) is Var)
        return frozenset(out)


def _made(v: object, defs: dict, reg: Any, depth: int = 0) -> bool:
    """Is `v` made from a singular op (`fmasks.singular`, a division) through elementwise ops
    (a short chain: what `_first`'s mask of a first value can keep from NaN)?"""
    d = defs.get(v) if type(v) is Var else None
    if d is None or d.blocks or len(d.results) != 1 or depth > 6:
        return False
    if d.prim in _DIVS or singular(d):
        return True
    return reg.get(d.prim).elementwise and any(_made(a, defs, reg, depth + 1) for a in d.args)


_DIVS = frozenset(("truediv", "numpy.divide", "numpy.true_divide"))


def loop_yields(op: Op, uses: dict, run: Callable, any_: Callable) -> tuple | None:
    """-> (the masks of the body's yields of the ``for`` `op` (None for one no cotangent
    reaches), those of the loop's first values), from the masks of its results' uses; None when
    no result or carried parameter is masked or no fixed point is found. `run(body, ymasks)`
    runs the mask pass on the body (its own `out`) -> its uses' masks."""
    body = op.blocks[0]
    n = len(op.args) - 3
    ms = [any_(uses[r]) if r in uses else None for r in op.results[:n]]
    if len(body.params) != n + 1 or len(body.yields) < n:
        return None
    extra = [None] * (len(body.yields) - n)  # (a break flag)
    ys = ms
    for _ in range(_ROUNDS):
        ps = _params(body, run(body, ys + extra), any_)
        new = [_either(m, q, any_) for m, q in zip(ms, ps)]
        if new == ys:
            if any(ms):
                return ys + extra, ys
            # (only the body's uses of the carried values mask them: `_first`)
            return _first(op, ms, ps, any_) if any(ps) else None
        ys = new
    return None


# ``_srcad.recomputed('range_some', a, b, s)``: does ``range(a, b, s)`` run at all
RANGE_SOME = RT + "recomputed"


def _first(op: Op, ms: list, ps: list, any_: Callable) -> tuple:
    """A loop whose results' uses mask nothing (`ms`) and whose body masks its carried
    parameters (`ps`: ``v = np.where(x > 0, v, 0.0)`` in the body): the first values' masks
    are the parameters' where the loop runs (the first iteration reads them), else the
    results' (passed through): ``((ps, runs) or (ms, not runs))``."""
    runs = (RANGE_SOME, Const("range_some"), *op.args[:3])
    first = []
    for m, q in zip(ms, ps):
        if m is None or q is None or not q:
            first.append(_either(m, q, any_))
            continue
        alts = [(*conj, (runs, True)) for conj in q]
        alts += [(*conj, (runs, False)) for conj in (m or ((),))]
        first.append(any_([tuple(alts)]))
    body = op.blocks[0]
    return [_either(m, q, any_) for m, q in zip(ms, ps)] + [None] * (
        len(body.yields) - len(ms)
    ), first


def _params(body: Block, inner: dict, any_: Callable) -> list:
    """The masks of the uses of `body`'s carried parameters, computed outside it."""
    return [out_of_branch(any_(inner[p]), body) if p in inner else None for p in body.params[1:]]


def _either(m: Any, q: Any, any_: Callable) -> Any:
    """The mask of a value whose cotangent comes from either of two places (None: none)."""
    if m is None or q is None:
        return q if m is None else m
    return any_([m, q])
