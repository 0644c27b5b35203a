"""Run-time checks of receivers: after the activity analysis, a transform's `refused` ops with a
varied operand are refused, and unknown receivers of rule methods (and unknown bases indexed by
a varied value) are routed through ``_srcad.plain_receiver``.

Input: a transform (`tr`: its function, `varied`, `kinds`, `refused`, `user_ops`, `table`,
`augmented`) after ad/receivers.resolve_receivers. Output: the function with the guard ops in
place; whether one was added.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.arith import arithmetic, operand_guards
from srcad.ad.common import diff_error
from srcad.ad.receivers import _DUNDERS, DEEP, GUARD, PLAIN, _walk
from srcad.ssa.core import Block, Const, Op, Var


def guard_receivers(tr: Any) -> bool:
    """After the activity analysis: refuse `tr.refused` ops with a varied operand; route unknown
    receivers of rule methods, and unknown bases indexed by a varied value, through
    ``_srcad.plain_receiver`` (a run-time refusal of user objects). -> whether it added one."""
    added = False

    def visit(b: Block) -> None:
        nonlocal added
        new: list[Op] = []
        for op in b.ops:
            for sub in op.blocks:
                visit(sub)
            if op in tr.refused and any(type(a) is Var and a in tr.varied for a in op.operands()):
                raise diff_error(tr.src, op, *tr.refused[op])
            if (p := op.prim) not in _DUNDERS and p != "getitem" and not p.startswith("method."):
                new.append(op)  # neither an operator, an index nor a method: no guard (most ops)
                continue
            name = _guarded_name(tr, op, safe)
            guards = [(0, name)] if name else operand_guards(tr, op, safe, _DUNDERS)
            for k, name in guards:
                if (op.args[k], name) in checked:
                    continue
                added = True
                recv = op.args[k]
                g = Var(recv.hint)
                line = op.loc.line if op.loc else 0
                new.append(Op(GUARD, [recv, Const(name), Const(line)], results=[g], loc=op.loc))
                op.args[k] = g
                if recv in tr.varied:
                    tr.varied.add(g)
            if guards and len(op.results) == 1:
                safe.guarded.add(op.result)  # no user operator ran: arithmetic's result
            new.append(op)
        b.ops = new

    safe = _Lazy(lambda: rule_results(tr))  # needed only for an unknown receiver
    # (receiver, name) pairs a guard already checked (derivative code differentiated again)
    checked = _Lazy(
        lambda: {(o.result, o.args[1].value) for o in _walk(tr.fn.body) if o.prim == GUARD}
    )
    # `x op= v` of an unknown `x` (ad/augmented.py): no check for arithmetic results
    safe.arith = _Lazy(lambda: arithmetic(tr.fn, tr.kinds, (DEEP, PLAIN), _DUNDERS))
    visit(tr.fn.body)
    visit = safe = checked = None  # type: ignore[assignment]  # (cycles: see object_kinds)
    return added


class _Lazy:
    """A set computed on the first membership test."""

    def __init__(self, make: Any) -> None:
        self.make, self.got = make, None
        self.arith: Any = None
        self.guarded: set = set()  # results of operators whose operands `guard_receivers` checks
        self.items: Any = None  # getitem results -> their bases (`arith.operand_guards`)

    def __contains__(self, v: object) -> bool:
        if self.got is None:
            self.got = self.make()
        return v in self.got


def rule_results(tr: Any) -> set[Var]:
    """Varied results of ops differentiated by a rule (arithmetic, NumPy, math): no user objects,
    or that rule was already wrong. An operator counts only when its operands are of known kind
    or such results themselves: ``vs[0] - vs[1]`` on items of a list a helper made may run a user
    class's ``__sub__``, and ``c.dot(c)`` on it must still be checked (operators on objects of
    unknown type are otherwise trusted to be arithmetic: not checked at run time themselves)."""
    out = set()
    for op in _walk(tr.fn.body):
        if len(op.results) != 1 or op.result not in tr.varied or op in tr.user_ops:
            continue
        if op.prim in _NOT_RULES or op.prim.startswith("srcad.runtime."):
            continue
        if op.prim in _DUNDERS and any(
            isinstance(a, Var) and a not in tr.kinds and a not in out for a in op.args
        ):
            continue  # `vs[0] - vs[1]` may run a user class's `__sub__`: its result is unknown
        rule = tr.table.get(op.prim)
        if rule is not None and not rule.zero:
            out.add(op.result)
    return out


_NOT_RULES = frozenset({"getitem", "call", "tuple", "list", "dict", "setitem", "list_append",
                        "builtins.list", "builtins.tuple", "builtins.dict", "sorted"})  # fmt: skip


def _guarded_name(tr: Any, op: Op, safe: Any) -> str | None:
    """The method name whose receiver `op` must check at run time, or None. (The receiver
    is looked up in `safe` last: that set is computed on its first use.)"""
    p = op.prim
    if op in tr.augmented and p in _DUNDERS and len(op.args) == 2:  # `a += v`: a.__iadd__(v)?
        a = op.args[0]
        if not isinstance(a, Var) or a in tr.kinds or a in safe.arith:
            return None
        return f"__i{_DUNDERS[p]}__"
    if p == "getitem":
        idx = op.args[1] if len(op.args) > 1 else None
        if not (isinstance(idx, Var) and idx in tr.varied):
            return None
        name = "__getitem__"
    elif not p.startswith("method.") or op in tr.user_ops or tr.table.get(p) is None:
        return None
    elif any(isinstance(a, Var) and a in tr.varied for a in op.operands()):
        name = p[len("method.") :]
    else:
        return None
    if not op.args or not isinstance(op.args[0], Var) or op.args[0] in tr.kinds:
        return None
    return None if op.args[0] in safe else name
