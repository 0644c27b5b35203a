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

Writes into other values keep their reverse sweep as it was (no mask, no extra op).
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.fmasks import singular
from srcad.ad.partreads import MOVES
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, result_defs
from srcad.ssa.core import Block, Const, Op, Var

_DIVS = frozenset(("truediv", "numpy.divide", "numpy.true_divide", "numpy.reciprocal"))
_POWERS = frozenset(("pow", "numpy.power", "numpy.float_power"))
_DEPTH = 8  # (elementwise ops between the singular op and the write: a chain, not a walk)


def singular_writes(block: Block, seq_ops: Container = ()) -> set[Op]:
    """The ``r[idx] = v`` ops of `block` whose target `r` a singular op made (see above)."""
    ops = ops_of(block)
    writes = [
        op for op in ops if op.prim == "setitem" and len(op.args) == 3 and type(op.args[0]) is Var
    ]
    if not writes:
        return set()
    defs = result_defs(ops)
    reg = default_registry()

    def made(v: object, depth: int) -> bool:
        d = defs.get(v) if type(v) is Var else None
        if d is None or len(d.results) != 1 or d in seq_ops or depth > _DEPTH:
            return False
        if singular(d) or d.prim in _DIVS or _negative_power(d):
            return True
        if d.prim == "setitem" or (d.prim in MOVES and not d.kwargs):
            return made(d.args[0], depth + 1)  # (an earlier write, a copy, a reshape of it)
        if not reg.get(d.prim).elementwise or d.kwargs:
            return False
        return any(made(a, depth + 1) for a in d.args)

    return {op for op in writes if made(op.args[0], 0)}


def _negative_power(op: Op) -> bool:
    """``u ** -2``: infinite at 0 (``fmasks.singular`` takes a whole exponent as regular)."""
    if op.prim not in _POWERS or len(op.args) != 2 or type(op.args[1]) is not Const:
        return False
    e = op.args[1].value
    return isinstance(e, (int, float)) and not isinstance(e, bool) and e < 0
