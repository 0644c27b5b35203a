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
entries (``helper(d); d["k"]`` reads the new entry). A method call srcad has no pure record for
(``m.step()`` of an argument's class, ``d.rotate(1)``: `updates_operands`) is such a call too: it may
update its receiver and its arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Function, Op, Var, replace_uses


def fold(fn: Function) -> bool:
    return fold_round(fn)[0]


def fold_round(fn: Function, census: list | None = None) -> tuple[bool, bool]:
    """`fold(fn)` -> (changed, settled): `settled`, a fold run again now would change nothing
    (no read a substitution left reading a literal, or reading at a constant it substituted,
    would find its element: ``t[0][1]`` needs a second fold), answered without its walk when
    only tuples are read (a list's or dict's read depends on which values calls reach: not
    settled, the pipeline runs its next round). `census`, when given, gets what
    `cse.update_targets` would answer for `fn` as this walk found it (the same walk: the
    pipeline asks for both; the answer for `fn` after this round when nothing changed)."""
    literals: dict[Var, Op] = {}
    gets: list[Op] = []  # every getitem(c, k): the reads, and those a substitution may make one
    targets = census is not None
    updates: dict[str, bool] = {}  # (`update_targets`) per primitive, looked up once
    inplace: set[Var] = set()
    calls = False
    inserts: list[Op] = []  # (`update_targets`: the may-insert reads)
    for op in ops_of(fn.body):  # one walk for both (a use never comes before its definition)
        p = op.prim
        if targets and updates.get(p) is not False:  # (a primitive known not to update: the
            calls = note_update(op, updates, inplace) or calls  # helper would do nothing)
            if op.params and "receiver_may_update" in op.params:  # (`may_update`)
                calls = True
        if p == "getitem":
            if len(op.args) == 2 and not op.kwargs and len(op.results) == 1:
                gets.append(op)
            if targets and op.params and "read_may_insert" in op.params:
                inserts.append(op)
        elif p in _LITERALS and len(op.results) == 1 and not op.kwargs:  # a literal
            literals[op.result] = op
    if census is not None:
        census.append((inplace, calls, inserts))
    reads = [op for op in gets if _constant_read(op, literals)]
    if not reads:
        return False, True
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
        return False, True
    replace_uses(fn.body, subst)
    for op in gets:  # what the next fold would find (the ops folded now are dead: DCE drops them)
        if op.result not in subst and _constant_read(op, literals):
            lit = literals[op.args[0]]
            if lit.prim != "tuple" or _element(lit, op.args[1].value)[0]:
                return True, False
    return True, True


def _constant_read(op: Op, literals: dict[Var, Op]) -> bool:
    a, k = op.args
    return isinstance(k, Const) and isinstance(a, Var) and a in literals


def reached_by_calls(fn: Function, through: Callable[[Op], bool] | None = None) -> set[Var]:
    """Every value a `call`'s arguments were computed from (through loops and ifs too), walking
    back through the defining ops `through` accepts (all by default: a superset of what the
    called function may reach and update in place; CSE walks back only through ops that keep
    their operands, which needs the rules, and passes that test)."""
    defs: dict[Var, Op] = {}
    ops = ops_of(fn.body)  # (a list made in C: `ssa/census.py`)
    for op in ops:
        for r in op.results:
            defs[r] = op
        for b in op.blocks:  # a loop's carried value is one of its initial or yielded values
            for p in b.params:
                defs[p] = op
    # (the callee too: a bound method ``f = m.step; f()`` reaches its receiver)
    # (`may_update`, inline: `updates_operands` is False for a primitive no method's)
    todo = [
        a
        for op in ops
        if op.prim == "call"
        or "receiver_may_update" in op.params
        or (op.prim.startswith("method.") and updates_operands(op.prim))
        for a in op.operands()
    ]
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


def note_update(op: Op, updates: dict[str, bool], inplace: set[Var]) -> bool:
    """Add to `inplace` the value `op` updates in place, if any (`updates`: primitive -> whether
    it updates, filled as asked); -> whether `op` is the first `call` seen (`cse.update_targets`)."""
    p = op.prim
    u = updates.get(p)
    first = u is None
    if first:
        u = updates[p] = bool(default_registry().get(p).updates)
    if u and op.args:
        inplace.add(op.args[0])
    return first and (p == "call" or updates_operands(p))  # (`may_update`: cse asks per op)


_METHODS: dict[str, bool] = {}  # `updates_operands`, per primitive


def updates_operands(p: str) -> bool:
    """Is `p` a method call that may update its receiver or arguments as a `call` may (neither
    pure nor with derivative rules: a user class's method, run by Python; ``deque.rotate``)?"""
    u = _METHODS.get(p)
    if u is None:
        rec = default_registry().get(p) if p.startswith("method.") else None
        u = _METHODS[p] = rec is not None and not rec.pure and rec.jvp is None
    return u


def may_update(op: Op) -> bool:
    """`updates_operands` of the op's primitive, or a method named like a pure NumPy one whose
    receiver may be a user object updating itself (``h.inner.sum()``, marked
    ``receiver_may_update`` by `passes/shadowed_methods.record`)."""
    return updates_operands(op.prim) or "receiver_may_update" in op.params


_LITERALS = ("tuple", "list", "dict")


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
