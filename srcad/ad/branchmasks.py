"""Reverse mode through the branch of an ``if`` that does not read a value made before it.

Input: a block of primal IR. Output: `branch_values(block, seq_ops)`, the values made from the
result of an op with an infinite local derivative (`fmasks.singular`: ``np.sqrt``, logs,
``u ** 0.5``; and divisions) through elementwise ops, that a branch of an ``if`` on a comparison
reads; `ad/masks.py` then masks such a value's contributions by the branch condition, as for the
unselected side of a ``np.where``::

    r = np.sqrt(x)                    # x < 0: r is nan and its local derivative 0.5 / r too
    if x < 0:
        y = 2.0 * x                   # this branch gives r no cotangent: an exact zero
    else:
        y = r

The reverse sweep summed ``br * (0.5 / r)`` after the ``if`` with ``br = 0.0`` from the taken
branch: ``0 * nan``, so the gradient was nan where the function is ``2 x``. Masked by the
condition (``keep`` the branch that reads `r`), that contribution is 0 there. Only an ``if``
whose condition is a comparison's or logical op's result (a bool, or a bool array of one
element: Python's truth value is the mask's), and only values made from a singular op (a mask
elsewhere would cost a ``where`` per op and change nothing).
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.boolmasks import _CMPS
from srcad.ad.fmasks import singular
from srcad.ad.vjp_util import free_vars
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Var

_DIVS = frozenset(("truediv", "numpy.divide", "numpy.true_divide"))


def branch_values(block: Block, seq_ops: Container) -> tuple[set[Var], set[Var]]:
    """-> (the values of `block`, nested blocks included, made from a singular op through
    elementwise ops and read in a branch of an ``if`` on a comparison; the comparisons'
    results, for `branch_cond`); two empty sets when there is none."""
    ops = ops_of(block)
    ifs = [op for op in ops if op.prim == "if"]
    if not ifs:
        return set(), set()
    conds = {r for op in ops if op.prim in _CMPS and not op.kwargs for r in op.results}
    for op in ifs:  # ``a > 0 and b > 0``: an if yielding comparisons (inner ifs come later)
        for k, r in enumerate(op.results):
            if all(k < len(b.yields) and _boolean(b.yields[k], conds) for b in op.blocks):
                conds.add(r)
    ifs = [op for op in ifs if branch_cond(op, conds) is not None]
    if not ifs:
        return set(), set()
    reg = default_registry()
    made: set[Var] = set()
    for _ in range(2):  # (a use in a loop body may come before its definition in the walk)
        for op in ops:
            if op.prim == "if":  # (an if's result a branch yields from one)
                for k, r in enumerate(op.results):
                    if any(k < len(b.yields) and b.yields[k] in made for b in op.blocks):
                        made.add(r)
                continue
            if len(op.results) != 1 or op.result in made:
                continue
            if singular(op) or op.prim in _DIVS:
                made.add(op.result)
            elif (
                reg.get(op.prim).elementwise
                and op not in seq_ops
                and not op.kwargs
                and any(type(a) is Var and a in made for a in op.args)
            ):
                made.add(op.result)
    read = {v for op in ifs for sub in op.blocks for v in free_vars(sub) if v in made}
    return read, conds if read else set()


def _boolean(v: object, conds: Container) -> bool:
    return (type(v) is Var and v in conds) or (type(v) is Const and type(v.value) is bool)


def branch_cond(op: Op, conds: Container) -> Var | None:
    """The condition of the two-branch ``if`` `op` when it is one of `conds` (comparisons'
    results: truthy exactly where a mask of them keeps), else None."""
    if op.prim != "if" or len(op.blocks) != 2 or len(op.args) != 1 or op.kwargs:
        return None
    c = op.args[0]
    return c if type(c) is Var and c in conds else None
