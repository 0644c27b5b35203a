"""Reverse mode through the side a ``max``/``min``/``np.maximum``/``np.clip`` does not take.

Input: a block of primal IR. Output: `singular_values(block, seq_ops, prims)`, the values made
from the result of an op with an infinite local derivative (`fmasks.singular`: ``np.sqrt``,
logs, ``u ** 0.5``; and divisions) through a sign, an absolute value and arithmetic with
constants (and an ``if``'s results); and `select_keeps(op)`, for a
selection `op`, the conditions under which each operand gets a cotangent from it: where those
fail its rule gives the operand an exact zero (a select, not a product by 0), which the reverse
sweep then multiplied by the operand's infinite local derivative: ``max(np.sqrt(abs(t)), 1.0)``
at ``t = 0`` gave nan. `ad/masks.py` masks that operand's contributions there, as for the
unselected side of a ``np.where``, but only for an operand made from a singular op (a mask
elsewhere would cost a ``where`` per op and change nothing)::

    np.maximum(x, y)   x: x >= y           y: not x > y          (the rule's ties: half each)
    np.fmax(x, y)      x: x >= y or isnan(y)    y: not (x > y or isnan(y))
    max(x, y)          x: not y > x        y: y > x              (Python's max; min alike)
    np.clip(a, lo, hi) a: not a < lo, not a > hi, not lo == hi   (`_srcad.clip_region` == 0)
    np.max(a)          a: a == ans, or isnan(ans) (the rule's weights are nan there)
    np.max(a, axis)    a: the same by slice, `keepdims=` too (`condmasks.ext_support`)
    np.nanmax(a, ..)   a: the same (a NaN entry never equals a finite extreme; nanmin alike)
    np.median(a)       a: where its weights are not 0 (`condmasks.median_support`)
    np.interp(x, xp, fp)  fp: the breakpoints next to an x (`condmasks.interp_support`); with
                          x and xp fixed at every level (`fixed_interps`): those whose weight
                          is not 0 (`condmasks.interp_weights`: x on a knot reads it alone)

Each condition is ``(_srcad.recomputed, prim, *operands)`` (`rules/condmasks.py`): it never
raises and masks nothing where it cannot run.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.ad.boolmasks import is_in
from srcad.ad.fmasks import singular
from srcad.ad.maskcarry import RECOMPUTED, Expr
from srcad.ad.maskscan import may_hold
from srcad.ssa.census import ops_of, shared_defs
from srcad.ssa.core import Block, Const, Op, Operand, Var

_DIVS = frozenset(("truediv", "numpy.divide", "numpy.true_divide"))
_AFFINE = frozenset(("neg", "pos", "abs", "numpy.abs", "numpy.absolute", "numpy.negative", "add",
                     "sub", "mul", "truediv"))  # fmt: skip
_PAIRS = {  # prim -> (x's keep, y's keep) as (cmp, x first?, kept where truthy?)
    "numpy.maximum": (("ge", True, True), ("gt", True, False)),
    "numpy.minimum": (("le", True, True), ("lt", True, False)),
    "max": (("gt", False, False), ("gt", False, True)),
    "min": (("lt", False, False), ("lt", False, True)),
}
# fmax: (x > y) | isnan(y) picks x (fmin: x < y); x also gets half at a tie
_NAN_PAIRS = {"numpy.fmax": ("ge", "gt"), "numpy.fmin": ("le", "lt")}
_REDUCE = (
    "numpy.max",
    "numpy.amax",
    "method.max",
    "numpy.min",
    "numpy.amin",
    "method.min",
    "numpy.nanmax",
    "numpy.nanmin",
)  # (NaN entries never equal the extreme: skipped)
_CLIPS = ("numpy.clip", "method.clip")
PRIMS = frozenset((*_PAIRS, *_NAN_PAIRS, *_REDUCE, *_CLIPS, "numpy.median", "numpy.interp"))

Conj = tuple[tuple[Any, Any], ...]


def singular_values(
    block: Block, seq_ops: Container, prims: set[str], memo: dict | None = None
) -> set[Var]:
    """The results of `block`'s singular ops (and divisions) and of the elementwise ops reading
    them (nested blocks included; a value carried around a loop is not followed); empty when no
    selection reads one."""
    out: set[Var] = set()
    if prims.isdisjoint(PRIMS) or not _may_read_singular(block, seq_ops, memo):
        return out
    for _ in range(2):  # (a use in a loop body may come before its definition in the walk)
        for op in ops_of(block):
            if op.prim == "if":  # (an if's result a branch yields from one: ``try: 1 / s``)
                for k, r in enumerate(op.results):
                    if any(k < len(b.yields) and is_in(b.yields[k], out) for b in op.blocks):
                        out.add(r)
                continue
            if len(op.results) != 1 or op.result in out:
                continue
            if singular(op) or op.prim in _DIVS:
                out.add(op.result)
            elif (
                op.prim in _AFFINE
                and op not in seq_ops
                and not op.kwargs
                and any(is_in(a, out) for a in op.args)
                and all(is_in(a, out) or type(a) is Const for a in op.args)
            ):  # (``-r``, ``2.0 * r + 1.0``: not every value a division reaches, a where each)
                out.add(op.result)
    # (none read by a selection: nothing to mask, and `masks._block`'s walk is skipped)
    for op in ops_of(block):
        if op.prim in PRIMS and any(is_in(a, out) for a in (*op.args, *op.kwargs.values())):
            return out
    return set()


def _may_read_singular(block: Block, seq_ops: Container, memo: dict | None = None) -> bool:
    """May a selection of `block` read a value `singular_values`' walk puts in its set? Read
    back from the selections' operands (`maskscan.may_hold`) with that walk's step: an ``if``'s
    result when a branch's value may be, a singular op's or division's, an affine op's when all
    its Var operands may be (the walk's two rounds find no more than this fixpoint)."""
    ops = ops_of(block)
    sels = [op for op in ops if op.prim in PRIMS]
    defs = shared_defs(ops, memo)  # (`memo`: `masks.where_masks`')

    def rule(d: Op, v: Var) -> Any:
        if d.prim == "if":
            k = d.results.index(v)
            return (False, [b.yields[k] for b in d.blocks if k < len(b.yields)])
        if len(d.results) != 1:
            return False
        if singular(d) or d.prim in _DIVS:
            return True
        if d.prim in _AFFINE and d not in seq_ops and not d.kwargs:
            vs = [a for a in d.args if type(a) is Var]  # (the others: constants)
            return bool(vs) and (True, vs)
        return False

    memo: dict[Var, bool] = {}
    return any(
        may_hold(a, defs, rule, memo) for op in sels for a in (*op.args, *op.kwargs.values())
    )


def _again(prim: str, *args: Operand) -> tuple:
    return (RECOMPUTED, Const(prim), *args)


def select_keeps(
    op: Op, exact: Container = ()
) -> list[tuple[Operand, tuple[Conj, ...] | None]] | None:
    """``[(operand, alternatives)]`` for every operand of the selection `op`: where one of the
    alternatives (conjunctions of ``(cond, keep)``) holds, the operand may get a cotangent
    (None: anywhere); None for a form not known here (keyword arguments, ``max`` of one).
    `exact`: the interps whose x and xp are fixed at every level (`fixed_interps`)."""
    p, args = op.prim, op.args
    if p in _PAIRS or p in _NAN_PAIRS:
        if len(args) != 2 or op.kwargs:
            return None
        x, y = args
        if p in _NAN_PAIRS:
            tie, strict = _NAN_PAIRS[p]
            gt = Expr(RECOMPUTED, [Const(strict), x, y], {})
            pick = _again("numpy.logical_or", gt, Expr(RECOMPUTED, [Const("numpy.isnan"), y], {}))
            nan_y = _again("numpy.isnan", y)
            return [
                (x, (((_again(tie, x, y), True),), ((nan_y, True),))),
                (y, (((pick, False),),)),
            ]
        out = []
        for a, (cmp, x_first, truthy) in zip(args, _PAIRS[p]):
            c = _again(cmp, x, y) if x_first else _again(cmp, y, x)
            out.append((a, (((c, truthy),),)))
        return out
    if p in _REDUCE:
        if not 1 <= len(args) <= 2 or op.kwargs.keys() - {"axis", "keepdims"}:
            return None
        if len(op.results) != 1 or (len(args) == 2 and "axis" in op.kwargs):
            return None
        a, ans = args[0], op.result
        if len(args) == 1 and not op.kwargs:
            return [(a, (((_again("eq", a, ans), True),), ((_again("numpy.isnan", ans), True),)))]
        axis = args[1] if len(args) == 2 else op.kwargs.get("axis", Const(None))
        keep = op.kwargs.get("keepdims", Const(False))
        return [(a, (((_again("ext_support", a, ans, axis, keep), True),),)), (axis, None),
                *(((keep, None),) if "keepdims" in op.kwargs else ())]  # fmt: skip
    if p == "numpy.median" and len(args) == 1 and not op.kwargs:
        return [(args[0], (((_again("median_support", args[0]), True),),))]
    if p in _CLIPS:
        return _clip(op)
    if p == "numpy.interp" and len(args) == 3 and op.kwargs.keys() <= {"left", "right"}:
        x, xp, fp = args  # (no period: `interp_support` reads the breakpoints as they are)
        how = "interp_weights" if op in exact else "interp_support"
        keep = (((_again(how, x, xp, fp), True),),)
        return [(x, None), (xp, None), (fp, keep), *((v, None) for v in op.kwargs.values())]
    return None


def _clip(op: Op) -> list | None:
    names = ("a", "lo", "hi")
    kw = {"a_min": "lo", "min": "lo", "a_max": "hi", "max": "hi"}
    if len(op.args) > 3 or not op.args or set(op.kwargs) - set(kw):
        return None
    if op.prim == "method.clip" and {"a_min", "a_max"} & set(op.kwargs):
        return None
    pos = dict(zip(names, op.args))
    for k, v in op.kwargs.items():
        if kw[k] in pos:
            return None
        pos[kw[k]] = v
    a = pos["a"]
    lo, hi = (None if _none(pos.get(n)) else pos.get(n) for n in ("lo", "hi"))
    conj: list = []
    if lo is not None:
        conj.append((_again("lt", a, lo), False))
    if hi is not None:
        conj.append((_again("gt", a, hi), False))
    if lo is not None and hi is not None:
        conj.append((_again("eq", lo, hi), False))
    out: list = [(a, (tuple(conj),) if conj else None)]
    return out + [(v, None) for k, v in pos.items() if k != "a"]


def _none(v: Any) -> bool:
    return v is None or (type(v) is Const and v.value is None)


def fixed_interps(block: Block, consts: Container, memo: dict | None) -> set[Op]:
    """The ``np.interp(x, xp, fp)`` ops of `block` whose `x` and `xp` no level of the request
    varies: literals, globals, `consts` (`masks.where_masks`': fixed parameters, closure
    values) and results of ops reading only those. Their weights in `fp` are then the only
    derivatives in `fp` at every order: exactly 0 off x's segment and, for an x on a knot, at
    its neighbours (a varied x would read their slope)."""
    ops = ops_of(block)
    found = [op for op in ops if op.prim == "numpy.interp" and len(op.args) == 3]
    if not found:
        return set()
    defs = shared_defs(ops, memo)
    fixed = set(consts) | {r for op in ops if op.prim == "global" for r in op.results}

    def fx(v: object, depth: int) -> bool:
        if type(v) is not Var or v in fixed:
            return True
        d = defs.get(v)
        if d is None or d.blocks or depth > 6 or d.prim in _NOT_FIXED:
            return False
        return all(fx(a, depth + 1) for a in (*d.args, *d.kwargs.values()))

    return {op for op in found if fx(op.args[0], 0) and fx(op.args[1], 0)}


_NOT_FIXED = frozenset(("free", "call"))  # (a closure value not in `consts`; a user function)
