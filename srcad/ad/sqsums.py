"""Roots of sums of squares: where a root's derivative is that of a norm at 0.

Input: a block of primal IR, the values that may be complex, float arrays' ranks. Output:
`square_sums(block, cplx, ranks, prims, memo) -> {y: s}` for each root ``y = np.sqrt(s)`` of a
sum of squares `s` (the forward mode's zero tangents, `ad/fmasks.py`; the reverse sweep's masks,
`ad/masks.py`; the second-order checks, `ad/rootcheck.py`; the squared magnitudes,
`ad/squares.py`). `s` is a Var (0 where every squared value is), or a run-time test that holds
where the root is at 0: ``(_srcad.vector_sq_zero, s)`` for ``a @ a`` of an `a` that may be a
matrix, ``(_srcad.weighted_sq_zero, s, w, ..)`` for a sum of squares weighted by factors ``w``
that are no square (``np.sqrt(np.sum(W * (x - C) ** 2))``: a weighted distance, 0 where every
square is only when every weight is > 0, which the test checks when it runs).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.ad.boolmasks import is_in
from srcad.ad.common import RT
from srcad.ad.loopsquares import LoopSquares, scaled_sum
from srcad.ad.maskscan import NUMBER_CASTS, may_root_square_sum
from srcad.ssa.census import ops_of, shared_defs
from srcad.ssa.core import Block, Const, Operand, Var

_SQUARE_POWERS = ("pow", "numpy.power", "numpy.float_power")
_SUMS = ("numpy.sum", "method.sum", "numpy.mean", "method.mean", "sum")  # (builtin: one operand)
_SUM_KW = {"axis", "keepdims", "dtype"}
_ROOTS = ("numpy.sqrt", "math.sqrt", "numpy.cbrt", "math.cbrt")
_MATMULS = ("matmul", "numpy.dot", "numpy.inner", "method.dot")  # (of a vector only:
# `vector_sq_zero`)
_PRODUCTS = ("mul", "numpy.vdot", *_MATMULS)


def square_sums(
    block: Block,
    cplx: Container,
    ranks: dict[Var, int] | None,
    prims: set[str],
    memo: dict | None = None,
) -> dict[Var, Any]:
    """``{y: s}`` for each root ``y = np.sqrt(s)`` (``math.sqrt``, ``cbrt``, ``s ** p`` with a
    constant 0 < p < 1) of a sum of squares of real values: ``a ** 2``, ``a * a``,
    ``np.square(a)``, their sums (``+``, ``np.sum``/``np.mean`` over any axes) and ``a @ a`` of
    a vector. Where ``s == 0`` every squared value is 0: the root's derivative there is that of a
    norm at 0, the minimum-norm subgradient 0 (as `np.linalg.norm` and `np.hypot` take it), and
    the tangent of `s` is 0 (``2 a da``). Its derivative, inf there, is masked (``np.sqrt(np.sum(
    (x[:, None] - x[None]) ** 2, -1))``: pairwise distances with their zero diagonal). `s` is
    ``(_srcad.vector_sq_zero, s)`` for ``a @ a`` where `a` may be a matrix: zero when it runs.
    `memo`: the analyses of one unchanged IR shared by the reverse sweep's (`VJP.sweep`: its
    masks, then its squared magnitudes ask for the same block with the same facts): the result
    is kept there, and given again (the same dict: callers never change it) for the same `cplx`
    and `ranks` objects."""
    if prims.isdisjoint(_ROOTS) and prims.isdisjoint(_SQUARE_POWERS):
        return {}
    if memo is None:
        return _square_sums(block, cplx, ranks)
    got = memo.get((square_sums, block))
    if got is None or got[0] is not cplx or got[1] is not ranks:
        got = memo[(square_sums, block)] = (cplx, ranks, _square_sums(block, cplx, ranks, memo))
    return got[2]


def _square_sums(
    block: Block, cplx: Container, ranks: dict[Var, int] | None, memo: dict | None = None
) -> dict[Var, Any]:
    """`square_sums` of a block with a root or a power among its prims, walked."""
    if not may_root_square_sum(ops_of(block), _ROOTS, _SQUARE_POWERS, _SUMS, memo):
        return {}  # (no root of what could be a sum of squares: the walk would find none)
    sq = LoopSquares(block, memo)  # (``d += t * t`` in a loop: ad/loopsquares.py)
    vec: dict[Var, Var] = {}  # `a @ a` of an `a` of an unknown rank: checked when it runs
    out: dict[Var, Any] = {}
    wts: dict[Var, tuple] = sq.weighted  # a weighted sum of squares -> its weights

    def real(a: Operand) -> bool:
        return type(a) is Var and a not in cplx

    def same(a: Operand, b: Operand) -> bool:  # (``(x[i] - C[i]) * (x[i] - C[i])``)
        return a is b or same_value(a, b, shared_defs(ops_of(block), memo), ops_of(block))

    for op in ops_of(block):
        p, args = op.prim, op.args
        if len(op.results) != 1 or not args:
            continue
        r = op.results[0]
        a = args[0]
        if (
            (
                (p in _SQUARE_POWERS and len(args) == 2 and _const_in(args[1], 2, 2))
                or (p == "numpy.square" and len(args) == 1)
                or (p in _PRODUCTS and len(args) == 2 and same(args[1], a))
            )
            and not op.kwargs
            and real(a)
        ):
            sq.add(r)
            if p in _MATMULS and (ranks is None or ranks.get(a) != 1):
                vec[r] = a  # (`a @ a`: of a vector only; a matrix times itself is no sum)
        elif (
            p == "add"
            and len(args) == 2
            and all(is_in(b, sq) and b not in vec or _const_in(b, 0, 0) for b in args)
            and not all(_const_in(b, 0, 0) for b in args)
        ):
            sq.add(r)  # (``x ** 2 + 0.0``; a constant > 0: never 0, no mask)
            w = tuple(v for b in args for v in wts.get(b, ()))
            if w:
                wts[r] = w
        elif (p == "numpy.einsum" and _einsum_square(args, real)) or (
            p in _VARS and len(args) == 1 and set(op.kwargs) <= _VAR_KW and real(a)
        ):
            sq.add(r)  # (``np.einsum("i,i->", x, x)``; ``np.var(x)``: a mean of squares)
        elif p in NUMBER_CASTS and len(args) == 1 and not op.kwargs and is_in(a, sq):
            sq.add(r)  # (``float(np.sum(d ** 2))``; of `a @ a`: checked as it, when it runs)
            if a in vec:
                vec[r] = vec[a]
            if a in wts:
                wts[r] = wts[a]
        elif (
            (p in _SUMS or scaled_sum(op, sq.positive))  # (``np.sum(d ** 2) / n``)
            and is_in(a, sq)
            and a not in vec
            and set(op.kwargs) <= _SUM_KW
            and (p != "sum" or len(args) == 1 and not op.kwargs)  # (``sum(xs, start)``)
        ):
            sq.add(r)
            if a in wts:
                wts[r] = wts[a]
        elif p in _WEIGHTS and len(args) == 2 and not op.kwargs and _weighted(args, sq, vec):
            sq.add(r)  # (``W * (x - c) ** 2``: a square weighted by a factor checked > 0;
            # after `scaled_sum`: ``t * (i + 1.0)``, a weight known > 0, needs no check)
            t, w = args if is_in(args[0], sq) else args[::-1]
            wts[r] = (*wts.get(t, ()), w)
        elif (
            is_in(a, sq)
            and not op.kwargs
            and (
                (p in _ROOTS and len(args) == 1)
                or (p in _SQUARE_POWERS and len(args) == 2 and _const_in(args[1], 0, 1, open_=True))
            )
        ):
            out[r] = (
                (RT + "vector_sq_zero", a)
                if a in vec
                else (RT + "weighted_sq_zero", a, *wts[a])
                if a in wts
                else a
            )
    return out


_WEIGHTS = ("mul", "numpy.multiply")


def _weighted(args: list, sq: Any, vec: Container) -> bool:
    """``w * t`` (``t * w``) of a square or sum of squares `t` and a factor `w` that is none
    (a number or array, the weight; no list: ``[t] * 3`` repeats)."""
    t, w = args if is_in(args[0], sq) else args[::-1]
    if not is_in(t, sq) or t in vec or is_in(w, sq):
        return False
    if type(w) is Const:
        return type(w.value) in (int, float) or type(w.value).__module__ == "numpy"
    return type(w) is Var


_VARS = ("numpy.var", "method.var")
_VAR_KW = {"axis", "keepdims", "ddof", "dtype"}


def _einsum_square(args: list, real: Any) -> bool:
    """``np.einsum("S,S->T", x, x)`` of a real `x`: each entry a sum of squares."""
    if len(args) != 3 or type(args[0]) is not Const or type(args[0].value) is not str:
        return False
    spec = args[0].value.replace(" ", "")
    if "->" not in spec or "." in spec:
        return False
    ins, _ = spec.split("->", 1)
    parts = ins.split(",")
    return len(parts) == 2 and parts[0] == parts[1] and args[1] is args[2] and real(args[1])


def _const_in(v: Operand, lo: float, hi: float, open_: bool = False) -> bool:
    if not isinstance(v, Const) or type(v.value) not in (int, float):
        return False
    return lo < v.value < hi if open_ else lo <= v.value <= hi


# the ops whose results `same_value` compares by their operands: pure, no new mutable object
_SAME = frozenset(("global", "free", "getitem", "sub", "add", "mul", "neg", "truediv", "pos"))


def same_value(a: Operand, b: Operand, defs: dict, ops: list, depth: int = 0) -> bool:
    """Are `a` and `b` the same value: one Var, equal number constants, or the results of one
    pure op (`_SAME`) of the same operands (``global C`` read twice: CSE keeps names where they
    are read), in a function calling no other code (which could rebind a global between the
    two reads)?"""
    if a is b:
        return True
    if type(a) is Const and type(b) is Const:
        return (
            type(a.value) is type(b.value) and type(a.value) in (int, float) and a.value == b.value
        )
    if type(a) is not Var or type(b) is not Var or depth > 8:
        return False
    da, db = defs.get(a), defs.get(b)
    if da is None or db is None or da.prim != db.prim or da.prim not in _SAME:
        return False
    if da.kwargs or db.kwargs or len(da.args) != len(db.args) or da.params != db.params:
        return False
    if da.prim in ("global", "free") and any(op.prim == "call" for op in ops):
        return False
    return all(same_value(x, y, defs, ops, depth + 1) for x, y in zip(da.args, db.args))
