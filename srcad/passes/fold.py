"""Reads of literal containers at constant positions are the element itself.

Input: a `Function`. Output: the same function where ``getitem(c, k)`` with a constant `k` and `c`
made by a ``tuple``/``list`` op (an integer `k` in range) or a ``dict`` op with constant keys reads
the element directly. Returns True when it changed something.

Before::                              After::
    p = tuple(0.0, x)                     p = tuple(0.0, x)
    %0 = getitem(p, 0)                    %1 = numpy.sqrt(0.0)
    %1 = numpy.sqrt(%0)

Values never change in the IR (``x[i] = v`` makes a new value), so the element read is the one the
literal holds. Besides saving the read, this keeps the derivative of a constant inside a container
that also holds varying values a constant: read through the container it would get a zero tangent,
and a zero times an infinite factor (``sqrt`` at 0, ``log`` of a negative base) is nan.
A list or dict a `call` may reach is not folded: the helper runs in Python and may replace its
entries (``helper(d); d["k"]`` reads the new entry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ssa.core import Const, Function, Op, Var, replace_uses, walk_ops


def fold(fn: Function) -> bool:
    literals: dict[Var, Op] = {}
    reads: list[Op] = []  # getitem(c, constant)
    for op in walk_ops(fn.body):  # one walk for both (a use never comes before its definition)
        p = op.prim
        if p == "getitem":
            if (
                len(op.args) == 2
                and not op.kwargs
                and len(op.results) == 1
                and isinstance(op.args[1], Const)
                and isinstance(op.args[0], Var)
            ):
                reads.append(op)
        elif _literal(op):
            literals[op.result] = op
    reads = [op for op in reads if op.args[0] in literals]
    if not reads:
        return False
    if any(literals[op.args[0]].prim != "tuple" for op in reads):
        reached = reached_by_calls(fn)
        reads = [
            op for op in reads if literals[op.args[0]].prim == "tuple" or op.args[0] not in reached
        ]
    subst: dict[Var, Any] = {}
    for op in reads:
        found, value = _element(literals[op.args[0]], op.args[1].value)
        if found:
            subst[op.result] = value
    if not subst:
        return False
    replace_uses(fn.body, subst)
    return True


def reached_by_calls(fn: Function, through: Callable[[Op], bool] | None = None) -> set[Var]:
    """Every value a `call`'s arguments were computed from (through loops and ifs too), walking
    back through the defining ops `through` accepts (all by default: a superset of what the
    called function may reach and update in place; CSE walks back only through ops that keep
    their operands, which needs the rules, and passes that test)."""
    defs: dict[Var, Op] = {}
    for op in walk_ops(fn.body):
        for r in op.results:
            defs[r] = op
        for b in op.blocks:  # a loop's carried value is one of its initial or yielded values
            for p in b.params:
                defs[p] = op
    todo = [a for op in walk_ops(fn.body) if op.prim == "call" for a in op.operands()[1:]]
    seen: set[Var] = set()
    while todo:
        v = todo.pop()
        if not isinstance(v, Var) or v in seen:
            continue
        seen.add(v)
        d = defs.get(v)
        if d is not None and (through is None or through(d)):
            todo.extend(d.operands())
            for b in d.blocks:  # an `if`/loop result is one of the values its blocks yield
                todo.extend(b.yields)
    return seen


def _literal(op: Op) -> bool:
    return op.prim in ("tuple", "list", "dict") and len(op.results) == 1 and not op.kwargs


def _element(lit: Op, key: Any) -> tuple[bool, Any]:
    if lit.prim in ("tuple", "list"):
        if type(key) is int and -len(lit.args) <= key < len(lit.args):
            return True, lit.args[key]
        return False, None
    keys = lit.args[0::2]
    if not all(isinstance(k, Const) for k in keys):
        return False, None
    for k, v in reversed(list(zip(keys, lit.args[1::2]))):  # the last entry of a key wins
        try:
            hash(key)
        except TypeError:  # unhashable: Python raises at run time
            return False, None
        if same_key(k.value, key):
            return True, v
    return False, None


def same_key(a: Any, b: Any) -> bool:
    """Do two constant dict keys land on the same entry (``1``, ``1.0`` and ``True`` do)?"""
    try:
        return len({a: 0, b: 0}) == 1
    except TypeError:  # unhashable: the primal raises first
        return False
