"""Private temporaries handed to a helper that updates them: the helper gets a copy.

Input: an analyzed `Transform` (its varied values; `Transform.private_args`: values made fresh
and read once, whose update in place by a called helper nothing else sees). Output: the
function with ``t = _srcad.owned_copy(t0)`` after the op that made such a varied array `t`
(that op now makes `t0`).

Python cannot see the helper's update of `t`, but the derivative can: the rule of the op that
made `t` may read its result in the reverse sweep (``t = np.exp(x)``: the cotangent of `x` is
``g * t``), and a differentiated helper writes its update back into `t` (``bump(np.exp(x))``
with ``X[0] = X[0] * 3.0`` in `bump` gave the reverse sweep the updated `t`: a wrong gradient).
With the copy the rule reads `t0`, which nothing updates. Only temporaries holding no other
objects are copied (the others are refused: `ad.base.refuse_argument_mutation`), numbers never
(a helper's ``x += 1`` of a number rebinds its own name), lists, tuples and dicts never (their
ops' rules do not read them, and what the caller knows of a display of numbers,
``_bump([x[0], x[1]])``, is read from the op that made it: `ad.callfacts`)."""

from __future__ import annotations

import inspect
from typing import Any

from srcad.ad.callees import user_call
from srcad.ad.callfacts import call_facts
from srcad.errors import SrcadError
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Op, Var

_COPY = "srcad.runtime.owned_copy"


def copy_private_args(tr: Any) -> None:
    """Make each varied private temporary a called helper updates in place a copy of the value
    its op made (module docstring)."""
    temps: set[Var] = set()
    for op in ops_of(tr.fn.body):
        if op.prim == "call":  # (no other op calls a helper: `_updated_temporaries`)
            temps.update(_updated_temporaries(tr, op))
    if not temps:
        return
    _copy_after(tr.fn.body, temps, tr.varied)
    tr._temporaries = None  # (made again from the copies: the same answers)


def _copy_after(b: Block, temps: set[Var], varied: set[Var]) -> None:
    """``t = owned_copy(t0)`` after each op of `b` (and its blocks) making one of `temps`, the
    op now making `t0` (a plain function, not a recursive closure: that would be a reference
    cycle holding the IR for the collector, as ad/maskcarry's tape families were)."""
    new: list[Op] = []
    for op in b.ops:
        for sub in op.blocks:
            _copy_after(sub, temps, varied)
        new.append(op)
        for k, t in enumerate(op.results):
            if t in temps:
                made = Var(t.hint)
                op.results[k] = made
                varied.add(made)
                new.append(Op(_COPY, [made], results=[t], loc=op.loc))
    b.ops = new


def _updated_temporaries(tr: Any, op: Op) -> list[Var]:
    """The varied private temporaries holding no objects (not numbers) that the user function
    `op` calls updates in place."""
    if op.prim != "call" or not any(type(a) is Var and a in tr.varied for a in op.operands()):
        return []
    try:
        target = user_call(tr.fn, op, tr.types_of, tr.known, tr.module.derive)
    except SrcadError:
        return []
    if target is None or not target[0].param_mutations:
        return []
    callee, pyfunc, pos, kw = target
    try:
        bound = inspect.signature(pyfunc).bind(*pos, **kw)
    except TypeError:
        return []
    args = [bound.arguments.get(n) for n in callee.param_names]
    out = []
    seqs = getattr(tr, "seqkinds", {})
    nums = {k for k, r in call_facts(tr, callee, args, True) if r == -1}  # (`n * t` of a global t)
    for i in sorted(tr.private_args(args, True)):
        a = args[i]
        if i in callee.param_mutations and a in tr.varied and a not in tr.scalars and i not in nums:
            if not isinstance(seqs.get(a), tuple):  # (a list, tuple or dict: kept as it is)
                out.append(a)
    return out
