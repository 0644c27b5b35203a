"""The logistic sigmoid written out, ``y = 1.0 / (1.0 + np.exp(-u))``: its derivative from its output.

Input: a function's IR. Output: ``{y: (u, intermediates)}`` for each such chain whose three intermediates
(``-u``, ``np.exp(-u)``, ``1.0 + np.exp(-u)``) are defined in the same block as `y` and read
nowhere else. The reverse sweep (`ad/vjp.py`) gives `u` the cotangent ``g * (y * (1.0 - y))``
directly, as a person writes it: three operations instead of seven, and the tape keeps `y` (read
anyway) instead of the exponential and the denominator. It is also the better number: where
``np.exp(-u)`` overflows (``u < -709``) the chain rule through the intermediates gives
``0 / inf * inf = nan``, the output's formula the exact 0.
"""

from __future__ import annotations

from srcad.ssa.census import ops_of
from srcad.ssa.core import (
    Const,
    Function,
    Op,
    Operand,
    Var,
    blocks_with_defs,
    shared_uses,
)


def _one(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float) and a.value == 1


def sigmoids(fn: Function, memo: dict | None = None) -> dict[Var, tuple[Var, tuple[Var, ...]]]:
    """``{y: (u, (-u, exp(-u), 1 + exp(-u)))}`` for the ``y = 1 / (1 + exp(-u))`` chains in `fn`
    (module docstring)."""
    found: dict[Var, tuple[Var, tuple[Var, ...]]] = {}
    for op in ops_of(fn.body):  # a chain ends in ``1 / ...``: none, nothing to count
        if op.prim == "truediv" and len(op.args) == 2 and _one(op.args[0]):
            break
    else:
        return found
    counts = shared_uses(fn.body, memo)  # (`memo`: read counts shared with later peepholes)

    for block, defs in blocks_with_defs(fn.body):

        def single(v: Operand, prim: str, defs: dict[Var, Op] = defs) -> Op | None:
            d = defs.get(v) if isinstance(v, Var) else None
            if d is None or d.prim != prim or d.kwargs or counts.get(v) != 1:
                return None
            return d

        for op in block.ops:
            if op.prim != "truediv" or len(op.args) != 2 or op.kwargs or not _one(op.args[0]):
                continue
            den = single(op.args[1], "add")
            if den is None or len(den.args) != 2 or not any(_one(a) for a in den.args):
                continue
            e = den.args[1] if _one(den.args[0]) else den.args[0]
            ex = single(e, "numpy.exp")
            if ex is None or len(ex.args) != 1:
                continue
            neg = single(ex.args[0], "neg")
            if neg is not None and len(neg.args) == 1 and isinstance(neg.args[0], Var):
                found[op.result] = (neg.args[0], (neg.result, ex.result, den.result))
    return found
