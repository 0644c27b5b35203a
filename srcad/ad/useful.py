"""Which values' tangents forward mode needs: those that may reach the function's results.

Input: a `Function`. Output: the set of Vars from which a path of ops other than comparisons
(and the other primitives whose results carry no derivative, `activity._INACTIVE_PRIMS`) leads
to a value the function yields.

The reverse mode never asks for the derivative of an op whose result reaches the output only
through comparisons (no cotangent arrives there); forward mode makes a tangent for every varied
op. A least-squares regression used only to decide (``coef = np.polyfit(S[itm], cash[itm], 2);
if exercise > np.polyval(coef, S[itm])``: Longstaff-Schwartz) has no derivative rule for its
``x``, and ``jvp``/``hvp``/``hessian`` refused it where ``grad`` worked. `srcad.ad.jvp` asks
this set before refusing such an op: outside it, the op gets no tangent (its results' tangents
are read only by ops outside it too, and `Jvp.d` gives those zeros).

Conservative: the yields and operands of every ``if``/``for``/``while`` are taken as needed
whatever their results feed, and every operand of an op with no results.
"""

from __future__ import annotations

from srcad.ad.activity import _INACTIVE_PRIMS
from srcad.ssa.core import Block, Function, Var


def needed_vars(fn: Function) -> set[Var]:
    """The Vars whose tangents may reach a result of `fn` (see the module docstring)."""
    need: set[Var] = set()
    _block(fn.body, need)
    return need


def _add(need: set[Var], a: object) -> None:
    if isinstance(a, Var):
        need.add(a)
    elif isinstance(a, (tuple, list)):
        for e in a:
            _add(need, e)


def _block(block: Block, need: set[Var]) -> None:
    for y in block.yields:
        _add(need, y)
    for op in reversed(block.ops):
        if op.blocks:  # `if`, loops: everything they carry or yield, as if needed
            for a in op.operands():
                _add(need, a)
            for b in op.blocks:
                _block(b, need)
            continue
        if op.prim in _INACTIVE_PRIMS:
            continue
        if not op.results or any(r in need for r in op.results):
            for a in op.operands():
                _add(need, a)
