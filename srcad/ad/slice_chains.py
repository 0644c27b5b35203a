"""Reads of one array in chained slices (an LSTM's gates): one cotangent for all of them.

Input: the reverse sweep and a block it reverses. Output: the chains of that block
(`block_chains`): reads ``x[:, :H]``, ``x[:, H:2*H]``, ..., ``x[:, k*H:]`` of one varied array
along one axis, each slice ending where the next starts (the same operand: a Var, or equal int
constants), the first starting at the beginning (``None`` or 0), the last running to the end
(``None``), steps of one, whole along every other axis. The reverse sweep (`VJP.rev_block`) holds
back each read's cotangent (`defer`) until it reaches the chain's earliest read, then gives `x`
one contribution::

    bz = _srcad.slices_vjp((bi, bf, bo, bg), z, 1, (idx_i, idx_f, idx_o, idx_g))

which puts the cotangents side by side (`srcad.rules.slices`: one `np.concatenate`, checked at
run time only by the result's shape) instead of zeros, one assignment and three in-place sums.
Such slices cover `x` exactly when their widths add up to its length: with a shared bound that
decreases somewhere the slices overlap and the widths add up to more. Reads that overlap, leave a
gap, step by other than one, or whose bounds are not the same operands keep the rule of
`structural.vjp_getitem`, as do all of a chain's reads when a cotangent may be None or one of
them has none (the held-back reads are then reversed one by one, at the earliest one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from srcad.ad.common import RT
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Operand, Var

_WHOLE = slice(None, None, None)
_NONE = Const(None)


@dataclass
class Chain:
    """Reads of `x` whose slices along `axis` tile it, in the slices' order (`ops`); `first` is
    the earliest in the block (reversed last: where `x` gets its cotangent)."""

    x: Var
    axis: int
    ops: list[Op]
    first: Op
    got: dict[Op, Any] = field(default_factory=dict)


@dataclass
class _Piece:
    op: Op
    key: tuple[int, int]  # (axis, length of the index tuple; 0 for a bare slice)
    start: Operand
    stop: Operand


def block_chains(tr: Any, block: Block) -> dict[Op, Chain]:
    """The chained-slice reads of `block`'s own ops (module docstring): {read: its chain}."""
    byx: dict[Var, list[Op]] = {}
    varied = tr.varied
    for op in block.ops:
        if op.prim == "getitem" and len(op.args) == 2 and len(op.results) == 1 and not op.kwargs:
            x = op.args[0]
            if type(x) is Var and x in varied:
                byx.setdefault(x, []).append(op)
    groups = [ops for ops in byx.values() if len(ops) > 1]
    if not groups:
        return {}
    defs = _defs(tr)
    found: dict[Op, Chain] = {}
    for ops in groups:
        pieces = [p for p in (_piece(op, defs) for op in ops) if p is not None]
        for chain in _chains(pieces):
            c = Chain(ops[0].args[0], chain[0].key[0], [p.op for p in chain],
                      min((p.op for p in chain), key=ops.index))  # fmt: skip
            for p in chain:
                found[p.op] = c
    return found


def defer(tr: Any, chain: Chain, op: Op, rev: Block, adj: dict) -> None:
    """Reverse the read `op` of `chain`: hold its cotangent back; at the chain's earliest read,
    give `x` the cotangent of all of them (`slices_vjp`), or reverse them one by one."""
    chain.got[op] = adj.get(op.result)
    if op is not chain.first:
        return
    gs = [chain.got.get(o) for o in chain.ops]
    chain.got.clear()
    maybe_none = getattr(tr, "maybe_none", ())
    if any(g is None or g in maybe_none or type(g) is Const for g in gs):
        for o in chain.ops:  # (a read whose result got no cotangent: nothing to reverse)
            tr.rev_op(o, rev, adj)
        return
    b = Builder(rev, op.loc)
    idxs = b.op("tuple", [o.args[1] for o in chain.ops])
    x = chain.x
    c = b.op(RT + "slices_vjp", [b.op("tuple", gs), x, Const(chain.axis), idxs])
    tr.acc(adj, x, c, b)
    if adj.get(x) is c:  # a new array read only through adj: later reads may add into it
        tr.owned.add(c)


def _defs(tr: Any) -> dict[Var, Op]:
    """The function's slice and tuple ops by result, found on first use."""
    defs = tr.__dict__.get("_slice_defs")
    if defs is None:
        defs = tr.__dict__["_slice_defs"] = {
            op.results[0]: op
            for op in ops_of(tr.fn.body)
            if op.prim in ("slice", "tuple") and len(op.results) == 1 and not op.kwargs
        }
    return defs


def _piece(op: Op, defs: dict[Var, Op]) -> _Piece | None:
    """`op` read as ``x[..., a:b, ...]``: one slice of step one (None or 1) along one axis,
    whole slices along the others (a leading `...` counts axes from the end)."""
    idx = op.args[1]
    parts: list[Operand]
    bare = False
    if type(idx) is Const:
        v = idx.value
        if type(v) is slice:
            parts, bare = [idx], True
        elif type(v) is tuple:
            parts = [Const(e) for e in v]
        else:
            return None
    else:
        d = defs.get(idx)
        if d is None:
            return None
        if d.prim == "slice":
            parts, bare = [idx], True
        elif d.prim == "tuple":
            parts = list(d.args)
        else:
            return None
    axis = ellipsis = None
    bounds: tuple[Operand, Operand] | None = None
    for k, p in enumerate(parts):
        if type(p) is Const and p.value is Ellipsis and ellipsis is None:
            ellipsis = k
            continue
        s = _bounds(p, defs)
        if s is None:
            return None
        if s == (_NONE, _NONE):
            continue
        if axis is not None:
            return None
        axis, bounds = k, s
    if axis is None or bounds is None:
        return None
    if ellipsis is not None and ellipsis < axis:
        axis -= len(parts)  # counted from the end: the axes `...` stands for are not known
    return _Piece(op, (axis, 0 if bare else len(parts)), bounds[0], bounds[1])


def _bounds(p: Operand, defs: dict[Var, Op]) -> tuple[Operand, Operand] | None:
    """(start, stop) of a slice of step one: a constant slice of int or None bounds, or a
    ``slice(start, stop, step)`` op; None for anything else."""
    if type(p) is Const:
        s = p.value
        if type(s) is not slice or not (s.step is None or type(s.step) is int and s.step == 1):
            return None
        if not all(e is None or type(e) is int for e in (s.start, s.stop)):
            return None
        return Const(s.start), Const(s.stop)
    d = defs.get(p) if type(p) is Var else None
    if d is None or d.prim != "slice" or len(d.args) != 3:
        return None
    start, stop, step = d.args
    if not (step == _NONE or (type(step) is Const and type(step.value) is int and step.value == 1)):
        return None
    return start, stop


def _same(a: Operand, b: Operand) -> bool:
    """The same bound: one Var, or equal int constants."""
    if type(a) is Var:
        return a is b
    return type(b) is Const and type(a.value) is int and type(b.value) is int and a.value == b.value


def _chains(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Chains (two pieces or more) of `pieces` of one key: first from None or 0, each next
    piece starting at the stop of the one before, the last to None; each piece in one chain."""
    used: set[int] = set()
    out: list[list[_Piece]] = []
    for p in pieces:
        s = p.start
        if id(p) in used or not (s == _NONE or _same(s, Const(0))):
            continue
        chain, taken = [p], {id(p)}
        while chain[-1].stop != _NONE:
            stop, key = chain[-1].stop, p.key
            nxt = next(
                (q for q in pieces if q.key == key and id(q) not in used and id(q) not in taken
                 and _same(stop, q.start)),
                None,
            )  # fmt: skip
            if nxt is None:
                break
            chain.append(nxt)
            taken.add(id(nxt))
        if chain[-1].stop == _NONE and len(chain) > 1:
            out.append(chain)
            used |= taken
    return out
