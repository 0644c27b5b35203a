"""Reverse loops that only walk the tape back to front, for the emitter.

Input: a function body and its layout `Plan`. Output: the ``for`` ops to write as
``for x in reversed(tape):`` (each with the tape and the op reading ``tape[k]``) and the ops that
then need no statement of their own (``n = len(tape)``, ``last = n - 1``, ``x = tape[k]``); the
tape entries whose parts are read only as ``a = x[0]; b = x[3]`` right after, which are unpacked
instead: ``for a, _, _, b in reversed(tape):``, ``a, _, _, b, *_ = tape[k]`` (`unpacks`).

The reverse sweep (ad/vjp_loops.py) walks ``for k in range(len(tape) - 1, -1, -1): x = tape[k]``;
when `k`, `n` and `last` are read nowhere else, a person writes ``for x in reversed(tape):`` (no
index, no length; faster in CPython). The tape is a list nothing updates during the loop, and
`reversed` never pops it, so a pullback still runs more than once.
"""

from __future__ import annotations

from srcad.backend.layout import Plan
from srcad.ssa.core import Const, Op, Operand, Var


def _const(a: Operand, v: int) -> bool:
    return isinstance(a, Const) and type(a.value) is int and a.value == v


def _appended_list(t: Operand, plan: Plan) -> bool:
    """`t` is certainly a list: a loop's carry that starts as ``[]`` and is only appended to (a
    tape; `reversed` of a dict or of another object would not walk its items by index)."""
    return _append_op(t, plan) is not None


def _append_op(t: Operand, plan: Plan) -> Op | None:
    """The one ``list_append`` of each iteration building `t`, when `t` is such a list."""
    d = plan.defs.get(t) if isinstance(t, Var) else None
    if d is None or d.prim not in ("for", "while") or not d.blocks:
        return None
    j = d.results.index(t)
    init = d.args[3 + j] if d.prim == "for" else d.args[j]
    body = d.blocks[-1]
    di = plan.defs.get(init) if isinstance(init, Var) else None
    dy = plan.defs.get(body.yields[j]) if j < len(body.yields) else None
    carry = body.params[j + 1] if d.prim == "for" else body.params[j]
    ok = (
        di is not None and di.prim == "list" and not di.args
        and dy is not None and dy.prim == "list_append" and dy.args[0] is carry
    )  # fmt: skip
    return dy if ok else None


def tape_loops(plan: Plan, loops: dict[Op, tuple[Operand, Op]], skip: dict[Op, Var | None]) -> None:
    """Add the function's tape loops (among `plan.fors`) to `loops` and their absorbed ops to
    `skip`."""
    uses, defs = plan.uses, plan.defs
    for op in plan.fors:
        if op.params.get("has_break") or len(op.args) < 3 or not op.blocks:
            continue
        body, last = op.blocks[0], op.args[0]
        if not (_const(op.args[1], -1) and _const(op.args[2], -1)) or not isinstance(last, Var):
            continue
        d_last = defs.get(last)
        if uses.get(last) != 1 or d_last is None or d_last.prim != "sub":
            continue
        n = d_last.args[0]
        d_n = defs.get(n) if isinstance(n, Var) else None
        if not _const(d_last.args[1], 1) or d_n is None or d_n.prim != "len":
            continue
        if uses.get(n) != 1 or len(d_n.args) != 1 or d_n.kwargs:
            continue
        first = body.ops[0] if body.ops else None
        k = body.params[0]
        if first is None or first.prim != "getitem" or first.args != [d_n.args[0], k]:
            continue
        if not _appended_list(d_n.args[0], plan):
            continue
        if uses.get(k) != 1 or len(first.results) != 1 or first.kwargs:
            continue
        skip.update(dict.fromkeys((d_last, d_n, first)))
        loops[op] = (d_n.args[0], first)


_SHAPE_LIKE = "srcad.runtime.shape_like"
Unpack = tuple[list[Op], int, dict[int, int]]  # the reads, the entry's length, index -> position


def unpacks(plan: Plan, out: dict[Var, Unpack], written: dict[Op, list[Operand]]) -> None:
    """Add to `out`, for each loop reading an entry ``x = tape[k]`` of a tape of tuples first,
    `x` -> (the ops reading its items, ``a = x[j]`` with constant `j`, right after it and reading
    it nowhere else; the length of the entries as written; `j` -> its position there): those
    ops are one unpacking (``a, _, b, *_ = x``). Items of a tape that nothing reads (the reverse
    sweep's shape rewrites took their reads away) are not written when every read of the tape is
    such an unpacking or its length: `written` maps the ``tuple`` op of its entries to the items
    written, or its ``list_append`` to the operands written (``tape.append(None)`` when no item
    is read).

    The same values: each entry is a tuple of `n` items (the tape's one append per iteration
    pushes a tuple of `n` operands), the reads are pure and nothing runs between them; their
    names are distinct (no read's name is one that another's write would overwrite first). An
    item left out is a constant, a name, or a ``shape_like`` of those (pure: nothing is lost)."""
    uses, defs = plan.uses, plan.defs
    lens = plan.lens  # tape -> how many ``len(tape)`` read it
    reads: dict[Var, list[tuple[Var, list[Op]]]] = {}  # tape -> its entries' unpackings
    pushes: dict[Var, tuple[Op, Op | None]] = {}  # tape -> (its append, the entry's tuple op)
    for loop in plan.fors:
        body = loop.blocks[0] if loop.blocks else None
        first = body.ops[0] if body is not None and body.ops else None
        if first is None or first.prim != "getitem" or len(first.args) != 2 or first.kwargs:
            continue
        tape = first.args[0]
        push = _append_op(tape, plan)
        d = defs.get(push.args[1]) if push is not None and type(push.args[1]) is Var else None
        if d is None or d.prim != "tuple" or d.kwargs or len(first.results) != 1:
            continue
        n, x = len(d.args), first.results[0]
        group: list[Op] = []
        seen: set[int] = set()
        for o in body.ops[1 : 1 + (uses.get(x) or 0)]:
            j = o.args[1] if o.prim == "getitem" and len(o.args) == 2 else None
            if o.args[0] is not x or type(j) is not Const or type(j.value) is not int:
                break
            if not 0 <= j.value < n or j.value in seen or len(o.results) != 1 or o.kwargs:
                break
            seen.add(j.value)
            group.append(o)
        if not group or len(group) != uses.get(x):
            continue
        if len({plan.cls(o.results[0]) for o in group}) != len(group):
            continue
        for v in (x, *(o.results[0] for o in group)):  # a name each, never written inside
            plan.expr_inline.pop(v, None)  # the expression reading it
        reads.setdefault(tape, []).append((x, group))  # type: ignore[arg-type]
        pushes[tape] = (push, d)  # type: ignore[index]
    for loop in plan.fors:  # tapes whose entries nothing reads (their lengths only)
        for t in loop.results:
            if t not in pushes and lens.get(t) and lens.get(t) == uses.get(t):
                push = _append_op(t, plan)
                if push is not None and type(push.args[1]) is Var:
                    d = defs.get(push.args[1])
                    pushes[t] = (push, d if d is not None and d.prim == "tuple" else None)
    for tape, (push, d) in pushes.items():
        groups = reads.get(tape, [])
        kept = list(range(len(d.args))) if d is not None else [0]
        if uses.get(tape) == lens.get(tape, 0) + len(groups) and uses.get(push.args[1]) == 1:
            got = {o.args[1].value for _, g in groups for o in g}  # type: ignore[union-attr]
            items = d.args if d is not None else [push.args[1]]
            kept = [j for j, a in enumerate(items) if j in got or not _droppable(a, plan)]
            if not kept:
                written[push] = [push.args[0], Const(None)]
            elif d is not None and len(kept) < len(d.args):
                written[d] = [d.args[j] for j in kept]
        at = {j: k for k, j in enumerate(kept)}
        for x, g in groups:
            out[x] = (g, len(kept), at)


def _droppable(a: Operand, plan: Plan) -> bool:
    """Leaving `a` out of the text loses nothing: a constant, a name, or ``shape_like`` of
    those written inside the tuple."""
    if type(a) is not Var or (a not in plan.expr_inline and a not in plan.index_inline):
        return True
    d = plan.expr_inline.get(a)
    return (
        d is not None and d.prim == _SHAPE_LIKE and not d.kwargs
        and all(type(e) is not Var or e not in plan.expr_inline for e in d.args)
    )  # fmt: skip
