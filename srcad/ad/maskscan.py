"""Cheap proofs that a mask analysis finds nothing, before its walk of every op.

Input: a block of primal IR and the values a mask analysis asks about (the operands of the ops
that could use what it finds: a selection's, a root's). Output: `may_hold(v, defs, rule, memo)`,
False only when `v` is certainly not in the set the analysis would compute, read backwards from
`v`'s definition (`defs`: `ssa/census.result_defs`).

An analysis such as `selmasks.singular_values` or `fmasks.square_sums` walks every op of the
function forwards to build a set, then keeps it only when some later op reads a member. Most
functions have a few candidate readers and short definition chains behind them: following those
chains backwards decides the question in a handful of steps. The `rule` of an analysis
over-approximates its forward step (it may say "maybe" where the walk says no, never the
reverse), so a False here proves the walk's answer empty: the analysis returns it without the
walk, the same result. Anything uncertain (a definition chain deeper than `_DEPTH`, a value
met again while its own question is open) answers "maybe": the full walk runs, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any, Union

from srcad.ad.boolmasks import (
    _ARRAY_CASTS,
    _BITS,
    _CASTS,
    _CMPS,
    _NUMBERS,
    _POSITIONS,
    _UNIT_MAKERS,
    is_in,
)
from srcad.ssa.census import shared_defs
from srcad.ssa.core import Const, Op, Var

# (every: all of the operands must hold, else any of them; the operands)
Step = Union[bool, tuple[bool, Iterable[Any]]]
Rule = Callable[[Op, Var], Step]
_DEPTH = 60  # (deeper chains: "maybe", no recursion limit reached)


def may_hold(
    v: object, defs: dict[Var, Op], rule: Rule, memo: dict[Var, bool], depth: int = 0
) -> bool:
    """May `v` be in the analysis' set? A Var without a definition in `defs` (a parameter, a
    loop's carry) or a constant is not; otherwise `rule(op, v)` of its definition `op` says:
    True (maybe), False (not), or ``(every, operands)``: when all (every) or any of those may
    be. `memo` keeps the answers across calls on the same `defs`."""
    if type(v) is not Var:
        return False
    got = memo.get(v)
    if got is not None:
        return got
    d = defs.get(v)
    if d is None:
        memo[v] = False
        return False
    if depth > _DEPTH:
        return True
    memo[v] = True  # (asked again before answered: "maybe")
    step = rule(d, v)
    if type(step) is bool:
        res = step
    else:
        every, operands = step
        if every:
            res = all(may_hold(a, defs, rule, memo, depth + 1) for a in operands)
        else:
            res = any(may_hold(a, defs, rule, memo, depth + 1) for a in operands)
    memo[v] = res
    return res


def may_root_square_sum(
    ops: list[Op], roots: Container, powers: Container, sums: Container, memo: dict | None = None
) -> bool:
    """May `fmasks.square_sums`' walk of `ops` find a root of a sum of squares? Its roots
    (`roots` of one operand, `powers` with a constant exponent in (0, 1)) read back: a square
    (any op of `powers`, ``np.square``, ``mul``/``matmul``/``np.vdot``: maybe), ``+`` of two
    (both maybe, or one and a constant 0), a sum or mean (`sums`) of one (its first operand
    maybe). The walk's further conditions (the exponent 2, ``a * a``, real, no keywords) only
    drop values: not read. `memo`: for `ssa/census.shared_defs`."""
    cands = []
    for op in ops:
        p, args = op.prim, op.args
        if p in roots:
            if len(args) == 1 and not op.kwargs and len(op.results) == 1:
                cands.append(args[0])
        elif p in powers and len(args) == 2 and not op.kwargs and len(op.results) == 1:
            e = args[1]
            if type(e) is Const and type(e.value) in (int, float) and 0 < e.value < 1:
                cands.append(args[0])
    if not cands:
        return False
    defs = shared_defs(ops, memo)

    def rule(d: Op, v: Var) -> Step:
        p, args = d.prim, d.args
        if p in ("for", "while"):  # (a sum of squares it accumulates: ad/loopsquares.py)
            return True
        if len(d.results) != 1 or not args:
            return False
        if p in powers or p in _SQUARES:
            return True
        if p == "add" and len(args) == 2:  # (a constant 0: ``x ** 2 + 0.0``)
            return (True, [a for a in args if not (type(a) is Const and _zero(a.value))])
        if p in sums or p in NUMBER_CASTS and len(args) == 1 or p == "truediv":
            return (True, args[:1])  # (``truediv``: ``np.sum(d ** 2) / n``, loopsquares.py)
        return False

    memo: dict[Var, bool] = {}
    return any(may_hold(a, defs, rule, memo) for a in cands)


_SQUARES = frozenset(
    ("numpy.square", "mul", "matmul", "numpy.vdot", "numpy.dot", "numpy.inner", "method.dot",
     "numpy.einsum", "numpy.var", "method.var")
)  # fmt: skip
# conversions of a value to a number of the same value (``math.sqrt(float(np.sum(d ** 2)))``)
NUMBER_CASTS = frozenset(("float", "method.item", "numpy.float64"))


# every prim whose results `boolmasks.boolish` may count as masks, and `mask_indices`' positions
MASK_MAKERS = frozenset(
    (*_CMPS, *_CASTS, *_BITS, *_NUMBERS, *_ARRAY_CASTS, *_POSITIONS)
    + (
        "numpy.heaviside",
        "mul",
        "numpy.multiply",
        "add",
        "sub",
        "numpy.where",
        "call",
        *_UNIT_MAKERS,
    )
)


_FACTOR_MAKERS = MASK_MAKERS | {"global"}


def defined_by(ops: list[Op], vs: Container, prims: Container) -> bool:
    """Is some Var of `vs` a result of an op of `ops` whose prim is in `prims`? (False: none of
    them is a mask `boolish` finds, whatever their definitions read.)"""
    if not vs:
        return False
    for op in ops:
        if op.prim in prims:
            for r in op.results:
                if r in vs:
                    return True
    return False


def may_bool_product(
    ops: list[Op], feeds: Container, muls: Container, consts: Container = ()
) -> bool:
    """May an op of `ops` multiply by a mask (`boolish`, or a global: `boolmasks.read_globals`)
    a value in `feeds` (`bool_products`)? Not when no operand of such a product is made by a
    `MASK_MAKERS` op or read from a global, nor is one of `consts`."""
    vs = set()
    for op in ops:
        if (
            op.prim in muls
            and len(op.args) == 2
            and len(op.results) == 1
            and op.results[0] in feeds
        ):
            vs.update(a for a in op.args if type(a) is Var)
    return any(v in consts for v in vs) or defined_by(ops, vs, _FACTOR_MAKERS)


def bool_products(ops: list[Op], feeds: Container, bools: Container, muls: Container) -> bool:
    """Does an op of `ops` (a block's, nested blocks included) multiply (`muls`) by a boolean
    (`bools`: `boolish`) a value feeding a singular op (`feeds`): the only masks
    `masks._block` makes without a selection or a root of a sum of squares."""
    return any(
        op.prim in muls
        and len(op.args) == 2
        and len(op.results) == 1
        and op.results[0] in feeds
        and (is_in(op.args[0], bools) or is_in(op.args[1], bools))
        for op in ops
    )


def _zero(v: object) -> bool:
    return type(v) in (int, float) and v == 0
