"""Values srcad trusts to be no user objects: results of arithmetic on values that are none.

Input: a function and the receiver kinds of its values (`ad/receivers.object_kinds`). Output:
`arithmetic`, the Vars of unknown kind that are results of operators whose operands are no
user objects (``acc = 0.0; for v in xs: acc += v * x``: `acc`, once the run-time check of
`v * x`'s operands passed; not ``d = 0.5 * v`` of a user `v`, which runs ``v.__rmul__``), the
values ``a op= v`` needs no run-time check for (`ad/augmented.py`,
`receiver_guards.guard_receivers`); `operand_guards`: the
operands of unknown kind of a differentiated operator that are not such results, which
`receiver_guards.guard_receivers` checks at run time (``self.centre - start`` on a user `Vec` field
runs `Vec.__sub__`, which the arithmetic rule does not describe).
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Block, Const, Function, Op, Var


def arithmetic(fn: Function, kinds: dict, plain: tuple, operators: Any) -> set[Var]:
    """Vars of unknown kind that are results of `operators` whose operands are no user objects
    (constants, of a kind in `plain`, or such results themselves: a user object on the right
    runs its reflected operator, ``0.5 * v`` is ``v.__rmul__(0.5)``), through `if` joins and
    loop carries (a carry when its initial value and the body's new value are)."""
    out: set[Var] = set()
    loops = [op for op in _ops(fn.body) if op.prim in ("for", "while")]

    def ok(a: Any) -> bool:
        return isinstance(a, Const) or kinds.get(a) in plain or a in out

    def visit(b: Block, bad: set) -> None:
        for op in b.ops:
            if op.prim in ("for", "while"):
                off = 1 if op.prim == "for" else 0
                inits = op.args[3:] if op.prim == "for" else op.args
                for k, init in enumerate(inits):
                    if (op, k) not in bad and ok(init):
                        out.update(
                            blk.params[off * (blk is op.blocks[-1]) + k] for blk in op.blocks
                        )
                        out.add(op.results[k])
            for sub in op.blocks:
                visit(sub, bad)
            if op.prim == "if":
                out.update(r for k, r in enumerate(op.results)
                           if all(ok(blk.yields[k]) for blk in op.blocks))  # fmt: skip
            elif op.prim in operators and op.results and all(map(ok, op.args)):
                out.add(op.result)  # (``0.5 * v`` of a user `v` runs ``v.__rmul__``)

    bad: set = set()
    while True:
        out.clear()
        visit(fn.body, bad)
        worse = {(op, k) for op in loops for k, y in enumerate(_carried(op))
                 if (op, k) not in bad and not ok(y)}  # fmt: skip
        if not worse:
            return out
        bad |= worse


def _carried(op: Op) -> list:
    """The new values of a loop's carries (the body's yields, without a stop flag)."""
    n = len(op.args) - (3 if op.prim == "for" else 0)
    return list(op.blocks[-1].yields[:n])


def _ops(b: Block) -> list[Op]:
    out = []
    for op in b.ops:
        out.append(op)
        for sub in op.blocks:
            out.extend(_ops(sub))
    return out


def operand_guards(tr: Any, op: Op, safe: Any, operators: dict) -> list[tuple[int, str]]:
    """For ``a - b`` differentiated by the arithmetic rule: (position, the method Python would
    run: ``__sub__`` / ``__rsub__``) of each operand of unknown kind (a field of an object, an
    item of a list, a helper's result) not known to be a rule's or arithmetic's result (`safe`,
    `safe.arith`, `safe.guarded`: an operator checked so already). A user class defining it
    runs its own operator, whose ``__mul__`` need not be bilinear: refused at run time
    (`srcad.rules.misc.plain_receiver`)."""
    if op.prim not in operators or op in tr.user_ops or op.results[0] not in tr.varied:
        return []
    if tr.fn.pyfunc is None:  # derivative code differentiated again: its user values were checked
        return []
    out = []
    for k, a in enumerate(op.args[:2]):
        if isinstance(a, Var) and a not in tr.kinds and a not in safe.guarded:
            if a in safe.arith or a in safe or _item_of_rule_result(tr, a, safe):
                continue
            out.append((k, f"__{'r' if k else ''}{operators[op.prim]}__"))
    return out


def _item_of_rule_result(tr: Any, a: Var, safe: Any) -> bool:
    """``m[:, 0]`` of an `m` a rule made (``np.max(x, axis=1, keepdims=True)``): no user object."""
    if safe.items is None:
        safe.items = {op.result: op.args[0] for op in _ops(tr.fn.body) if op.prim == "getitem"}
    base = safe.items.get(a)
    return isinstance(base, Var) and (base in safe or base in safe.guarded)
