"""Parameters known to be None: the mutation check's copy with their ``is None`` tests decided.

Input: the mutation check's snapshot of a function (`ssa/clone.snapshot`, never the IR the
transform emits) and the parameters the call passes None for (a default left out, an explicit
None: `Spec.nones` for the differentiated function, the caller's `Const(None)` operands for a
helper, `ad/callfacts.py`). Output: a clone where each ``if`` on ``p is None`` / ``p is not None``
(or ``not`` of one) runs only the branch Python takes, its results read from that branch's
yields. The analysis then sees the object the branch makes, not the caller's::

    def f(x, acc=None):                   # called as f(x): acc is None
        if acc is None:                   ->    acc.1 = list()
            acc = []                            acc.2 = list_append(acc.1, x)
        acc.append(x)                     (no argument updated in place)

None is immutable, so no update in place can reach it: the check also counts these parameters
among its numbers (objects holding nothing). The transform itself keeps the test (it is not
differentiated); the check's verdict holds only for calls passing None there, which the cache
key tells apart (`Spec.nones`, the helper key's facts).
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.clone import snapshot
from srcad.ssa.core import Block, Const, Function, Var, defining_ops, replace_uses, walk_ops


def decide_nones(fn: Function, nones: frozenset) -> Function:
    """A clone of `fn` with the ``if``s on ``p is None`` for `p` in `nones` (Vars, parameters
    of `fn`) replaced by the branch taken; `fn` itself when there is none."""
    if not nones or not _tests(fn, nones):
        return fn
    index = [fn.params.index(p) for p in nones]
    out = snapshot(fn)
    none = frozenset(out.params[i] for i in index)
    subst: dict[Var, Any] = {}
    _fold_block(out.body, defining_ops(out.body), none, subst)
    replace_uses(out.body, subst)
    return out


def _tests(fn: Function, nones: frozenset) -> bool:
    return any(op.prim in ("is", "is_not") and op.args[0] in nones for op in walk_ops(fn.body))


def _fold_block(block: Block, defs: dict, nones: frozenset, subst: dict) -> None:
    out, todo = [], list(block.ops)
    while todo:
        op = todo.pop(0)
        holds = _decided(op.args[0], defs, nones) if op.prim == "if" and op.args else None
        if holds is not None and len(op.blocks) == 2:
            taken = op.blocks[0] if holds else op.blocks[1]
            if not taken.params:
                subst.update(zip(op.results, taken.yields))
                todo[:0] = taken.ops  # (its own tests may be decided too)
                continue
        for b in op.blocks:
            _fold_block(b, defs, nones, subst)
        out.append(op)
    block.ops = out


def _decided(cond: Any, defs: dict, nones: frozenset) -> bool | None:
    """The truth of `cond` when it is ``p is None``, ``p is not None`` or ``not`` of one."""
    test = defs.get(cond) if isinstance(cond, Var) else None
    if test is None or test.kwargs or not test.args:
        return None
    if test.prim == "not" and len(test.args) == 1:
        inner = _decided(test.args[0], defs, nones)
        return None if inner is None else not inner
    if test.prim not in ("is", "is_not") or len(test.args) != 2:
        return None
    p, c = test.args
    if p not in nones or not (isinstance(c, Const) and c.value is None):
        return None
    return test.prim == "is"
