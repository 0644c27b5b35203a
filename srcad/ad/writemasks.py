"""Reverse mode through ``r[idx] = v`` over the entries a singular op made: what the write
replaces gets no cotangent.

Input: a block of primal IR. Output: `singular_writes(block, seq_ops)`: the ``setitem`` ops
(nested blocks included) whose target `r` is the result of an op with an infinite local
derivative at some points (`fmasks.singular`: ``np.sqrt``, the logs, fractional or computed
powers; a negative power; a division), directly or through elementwise arithmetic on it, a
copy or a move (``r.reshape(..)``, `partreads.MOVES`).

The write replaces entries of `r`, so the old `r` gets a zero cotangent there; but the chain
that made `r` multiplied that zero by its local derivative, infinite or NaN at exactly the
entries users overwrite (``inv = d2 ** -1.5; inv[np.arange(n), np.arange(n)] = 0.0``, the
self-interaction of a pairwise force, whose distance is 0: ``0 * inf`` was NaN, and so was the
gradient). `ad/masks.py` gives the old `r` the use ``_srcad.unset_mask(r, idx)``, as for a
write under a boolean mask (``r[np.isnan(r)] = 0``), so the chain's contributions are masked
where the write lands::

    sel = _srcad.where_mask(np.shape(r), _srcad.unset_mask(r, i))   # r = d2 ** -1.5
    bd2 = np.where(sel, g * _srcad.pow_dx(d2, -1.5), 0.0)

``np.put(r, idx, v)``, ``np.place(r, m, v)`` and ``np.put_along_axis(r, idx, v, axis)``, lowered
to ``r = _srcad.put_write(r, idx, v, mode, kind)``, give the old `r` the use
``_srcad.put_unset(r, idx, v, mode, kind)`` alike, and a ``for`` loop (no break) whose body
only overwrites such an `r` at its counter or at ``L[counter]`` (``for i in idx: r[i] = 1.0``)
gives it ``_srcad.loop_unset(r, start, stop, step, L)`` (`loop_unset`). Writes into other
values keep their reverse sweep as it was (no mask, no extra op).
"""

from __future__ import annotations

import functools
from collections.abc import Container
from typing import Any

from srcad.ad.common import RT
from srcad.ad.fmasks import singular
from srcad.ad.loopwrites import record_writes, written_only
from srcad.ad.partreads import MOVES
from srcad.rules import default_registry
from srcad.ssa.census import blocks_of, ops_of, result_defs
from srcad.ssa.core import Block, Const, Op, Var

PUT = RT + "put_write"  # (``np.put(r, i, v)``: ``r = put_write(r, i, v, mode, "flat")``)
_DIVS = frozenset(("truediv", "numpy.divide", "numpy.true_divide", "numpy.reciprocal"))
_POWERS = frozenset(("pow", "numpy.power", "numpy.float_power"))
_DEPTH = 8  # (elementwise ops between the singular op and the write: a chain, not a walk)


def singular_writes(block: Block, seq_ops: Container = ()) -> dict[Op, dict | None]:
    """The ``r[idx] = v`` ops of `block` whose target `r` a singular op made (see above), and
    the ``np.put``/``np.place``/``np.put_along_axis`` writes (`PUT`) of such an `r` (-> None);
    the ``for`` loops writing such an `r` they carry (-> {carry position: the (condition, keep)
    masking the first value}: `loop_unset`'s, or `loopwrites.record_writes`' record, which
    rewrites the loop)."""
    ops = ops_of(block)
    writes = [
        op
        for op in ops
        if (op.prim == "setitem" and len(op.args) == 3 or op.prim == PUT and len(op.args) == 5)
        and type(op.args[0]) is Var
    ]
    if not writes:
        return {}
    loops = [op for op in ops if op.prim == "for" and loop_unset(op)]  # (no break, ..: below)
    defs = result_defs(ops)
    made = functools.partial(_made, defs, seq_ops, default_registry())

    out: dict[Op, dict | None] = {op: None for op in writes if made(op.args[0], 0)}
    for op in loops:
        if any(made(op.args[3 + j], 0) for j in loop_unset(op)):
            out[op] = {j: (c, True) for j, c in loop_unset(op).items()}
    todo = [  # (other loops writing such a value: a record of where they write)
        (b, op, j, tracked)
        for b in blocks_of(block)
        for op in b.ops
        if op.prim == "for" and op not in out
        for j, a in enumerate(op.args[3:])
        if made(a, 0)
        for tracked in [written_only(op, j)]
        if tracked
    ]
    for b, op, j, tracked in todo:
        out.setdefault(op, {})[j] = (record_writes(b, op, j, tracked), False)
    return out


def _made(defs: dict, seq_ops: Container, reg: Any, v: object, depth: int) -> bool:
    """`v` made by a singular op, a division or a negative power, or by a write, copy or
    elementwise op of such a value (`_DEPTH` ops at most). (A module function, not a closure
    calling itself: that cycle kept the IR alive until the collector ran.)"""
    d = defs.get(v) if type(v) is Var else None
    if d is None or len(d.results) != 1 or d in seq_ops or depth > _DEPTH:
        return False
    if singular(d) or d.prim in _DIVS or _negative_power(d):
        return True
    if d.prim in ("setitem", PUT) or (d.prim in MOVES and not d.kwargs):
        return _made(defs, seq_ops, reg, d.args[0], depth + 1)  # (an earlier write, a copy..)
    if not reg.get(d.prim).elementwise or d.kwargs:
        return False
    return any(_made(defs, seq_ops, reg, a, depth + 1) for a in d.args)


LOOP_UNSET = RT + "loop_unset"


def loop_unset(op: Op) -> dict[int, tuple]:
    """For ``for i in range(a, b, s)`` (no break) whose body reads the carried value `r` only to
    write ``r[i] = v`` or ``r[L[i]] = v`` (`L` made before the loop) and carries the result on:
    {carry position: the condition ``(LOOP_UNSET, r0, a, b, s, L or None)``}, where the
    loop's result is the initial `r0` (``_srcad.loop_unset``: the positions no iteration writes,
    the only ones where `r0` gets a cotangent from it). Empty for any other loop."""
    if op.params.get("has_break") or len(op.args) < 4 or len(op.blocks) != 1:
        return {}
    body = op.blocks[0]
    if len(body.params) != len(op.args) - 2 or len(body.yields) != len(op.args) - 3:
        return {}
    counter = body.params[0]
    out: dict[int, tuple] = {}
    for j, p in enumerate(body.params[1:]):
        y = body.yields[j]
        w = next((o for o in body.ops if y in o.results), None)
        if w is None or w.prim != "setitem" or len(w.args) != 3 or w.args[0] is not p:
            continue
        if _reads(body, p) != 1:  # (r read elsewhere in the body: not overwritten only)
            continue
        idx = w.args[1]
        if idx is counter:
            lst: object = Const(None)
        else:
            d = next((o for o in body.ops if idx in o.results), None)
            if d is None or d.prim != "getitem" or len(d.args) != 2 or d.args[1] is not counter:
                continue
            lst = d.args[0]
            if type(lst) is not Var or any(lst in o.results for o in ops_of(body)):
                continue  # (a list the body makes: not the same in every iteration)
            if lst in body.params:
                continue
        out[j] = (LOOP_UNSET, op.args[3 + j], *op.args[:3], lst)
    return out


def _reads(body: Block, v: Var) -> int:
    """How many times the ops of `body` (nested blocks included) and its yields read `v`."""
    n = sum(1 for y in body.yields if y is v)
    for o in ops_of(body):
        n += sum(1 for a in o.operands() if a is v)
    return n


def _negative_power(op: Op) -> bool:
    """``u ** -2``: infinite at 0 (``fmasks.singular`` takes a whole exponent as regular)."""
    if op.prim not in _POWERS or len(op.args) != 2 or type(op.args[1]) is not Const:
        return False
    e = op.args[1].value
    return isinstance(e, (int, float)) and not isinstance(e, bool) and e < 0
