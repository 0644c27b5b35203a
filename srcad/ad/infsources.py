"""Which infinite entries of a value a written infinity made: not those an overflow made.

Input: an op `infvals.fixed_at_inf` picks (an elementwise op whose result may hold an infinity
the program wrote, with a local derivative that may be infinite there), the ops defining its
operands, and the Vars that may hold a written infinity. Output: `fixed_entries(op, ..)`, an
`Expr` computing ``_srcad.inf_from(r, F(a), F(b))``: `r` where it is infinite AND an operand's
entry is a fixed infinity (`F(a)`: the same for an operand made by such an op; the operand itself
for one made otherwise, a constant or a parameter; nothing for an operand no written infinity
reaches), 0.0 elsewhere. Both modes give the op a zero derivative only where that is infinite
(the forward mode also where no operand's tangent moves an infinite entry: `fixed_tangent`)::

    s = np.where(m, 1000.0 * w, -np.inf)   # s = [1000, -inf, 200]
    e = np.exp(s)                           # e = [inf (overflow), 0, 7e86]

``exp(s[0])`` overflowed from a finite operand: its derivative is ``1000 e^1000`` (inf), where
the rule "0 where the result is infinite" gave 0 (the gradient of ``np.sum(e)`` had a finite 0 for
``w[0]``); now ``inf_from(e, s)`` is 0 there (`s[0]` is finite): only the entries an infinite
operand made (``np.inf / g``, ``np.exp(-np.inf)``) are fixed. An operand made by a structural op
(``np.array([np.inf, y])``, ``np.where``, a fill) counts all its infinities as written, and a chain
deeper than `_BUDGET` ops too (as before); so does the reverse mode for an op in a loop or a
branch (`ad/infmasks.py`: its reverse reads taped values).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.ad.common import RT
from srcad.ad.infvals import fixed_at_inf, marked
from srcad.ad.maskcarry import Expr, emit
from srcad.ssa.builder import Builder
from srcad.ssa.census import result_defs
from srcad.ssa.core import Const, Op, Operand, Var, walk_ops

INF_FROM = RT + "inf_from"
_BUDGET = 16  # ops of one Expr tree (a deeper chain: its operands' infinities count as fixed)


def fixed_tangent(jvp: Any, op: Op, t: Operand, b: Builder) -> Operand:
    """The forward mode's tangent `t` of `op`'s result `r`, 0 where an operand's infinite entry
    made `r` infinite (`fixed_entries` of the operands), or where `r` is infinite and no operand's
    tangent moves it (``_srcad.inf_kept``)."""
    if jvp.defs is None:
        jvp.defs = result_defs(walk_ops(jvp.fn.body))
    fixed = fixed_entries(op, jvp.defs, jvp.infs, jvp.seq_ops)
    srcs = [emit(a, b) for a in fixed.args[1:3]]
    ds = [jvp.tan[a] if type(a) is Var and a in jvp.tan else Const(0.0) for a in op.args[:2]]
    zero = Const(0.0)
    args = [t, op.results[0], *ds, *[zero] * (2 - len(ds)), *srcs, *[zero] * (2 - len(srcs))]
    return b.op(RT + "inf_kept", args)


def fixed_entries(op: Op, defs: dict, infs: Container, seq_ops: Container) -> Expr:
    """``inf_from(r, F(a), ...)`` for `op` (`defs`: Var -> the op defining it)."""
    return _expr(op, defs, infs, seq_ops, [_BUDGET])


def _expr(op: Op, defs: dict, infs: Container, seq_ops: Container, budget: list) -> Expr:
    budget[0] -= 1
    args: list = [op.results[0]]
    for a in op.args:
        if not marked(a, infs):
            continue  # (no written infinity reaches it: its infinities are computed ones)
        d = defs.get(a) if type(a) is Var else None
        if d is not None and budget[0] > 0 and fixed_at_inf(d, infs, seq_ops):
            args.append(_expr(d, defs, infs, seq_ops, budget))
        else:
            args.append(a)
    if len(args) == 1:
        args.append(Const(0.0))
    return Expr(INF_FROM, args, {})
