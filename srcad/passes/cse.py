"""Common-subexpression elimination on structured SSA.

Input: a `Function`. Output: the same function where a pure op that repeats an earlier op with the
same primitive and operands (visible at that point: same block or an enclosing one) is dropped and
its uses read the earlier result. Returns True when it changed something.

Before::                          After::
    %0 = sub(alphas, am)              %0 = sub(alphas, am)
    %1 = sub(alphas, am)              %2 = numpy.exp(%0)
    %2 = numpy.exp(%1)

Ops that create objects the generated code may update in place (lists, dicts, zero accumulators)
are never merged.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.dce import is_pure
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops
from srcad.ssa.prims import BINOPS, CMPOPS, UNARYOPS

_NEVER = frozenset({"list", "dict", "list_append", "setitem", "global", "free", "comment",
                    "srcad.runtime.zeros_like", "srcad.runtime.add_at", "srcad.runtime.setitem",
                    "srcad.runtime.owned_copy", "srcad.runtime.setitem_vjp_x_inplace",
                    "srcad.runtime.drop_last_inplace",
                    "builtins.list", "builtins.dict", "numpy.zeros", "numpy.ones", "numpy.empty",
                    "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full",
                    "numpy.full_like", "numpy.array", "numpy.copy", "numpy.eye"})  # fmt: skip


_INPLACE = frozenset({"srcad.runtime.add_at", "srcad.runtime.setitem_vjp_x_inplace",
                      "srcad.runtime.drop_last_inplace"})  # fmt: skip


def cse(fn: Function) -> bool:
    subst: dict[Var, Var] = {}
    # values some op updates in place (reverse-mode accumulators) must stay distinct objects
    inplace = {op.args[0] for op in walk_ops(fn.body) if op.prim in _INPLACE and op.args}
    inplace |= _passed_to_calls(fn)
    changed = _block(fn.body, {}, subst, inplace)
    if subst:
        _apply(fn.body, subst)
    return changed


# Operators whose result is a new object that shares no memory with its operands.
_FRESH = frozenset(BINOPS.values()) | frozenset(CMPOPS.values()) | frozenset(UNARYOPS.values())


def _passed_to_calls(fn: Function) -> set[Var]:
    """Values a called user function may reach: the arguments of `call` ops and the objects they
    hold or view (a helper may update an argument in place, which the mutation check allows when
    the caller never reads it again; merging it with an equal value would make that update seen).
    Conservative: the walk back stops only at operators, whose results are always new objects."""
    defs: dict[Var, Op] = {}
    for op in walk_ops(fn.body):
        for r in op.results:
            defs[r] = op
        for b in op.blocks:  # a loop's carried value is one of its initial or yielded values
            for p in b.params:
                defs[p] = op
    todo = [a for op in walk_ops(fn.body) if op.prim == "call" for a in list(op.operands())[1:]]
    seen: set[Var] = set()
    while todo:
        v = todo.pop()
        if not isinstance(v, Var) or v in seen:
            continue
        seen.add(v)
        d = defs.get(v)
        if d is not None and d.prim not in _FRESH:
            todo.extend(d.operands())
            for b in d.blocks:  # an `if`/loop result is one of the values its blocks yield
                todo.extend(b.yields)
    return seen


def _key(op: Any, subst: dict[Var, Var]) -> tuple | None:
    parts = []
    for a in list(op.args) + [None] + list(op.kwargs.values()):
        if a is None:
            parts.append(("|",))
        elif isinstance(a, Var):
            parts.append(("v", id(subst.get(a, a))))
        elif isinstance(a, Const):
            v = a.value
            if type(v) not in (int, float, bool, str, complex, type(None), type(Ellipsis)):
                if not isinstance(v, (tuple, slice)):
                    return None
            parts.append(("c", type(v).__name__, repr(v)))
    params = tuple(sorted((k, repr(v)) for k, v in op.params.items()))
    return (op.prim, tuple(op.kwargs), tuple(parts), params)


def _block(block: Block, table: dict, subst: dict[Var, Var], inplace: set) -> bool:
    changed = False
    kept = []
    for op in block.ops:
        for b in op.blocks:
            changed |= _block(b, dict(table), subst, inplace)
        if (
            len(op.results) == 1
            and op.result not in inplace
            and not op.blocks
            and op.prim not in _NEVER
            and not op.prim.startswith("method.")
            and is_pure(op)
        ):
            key = _key(op, subst)
            if key is not None:
                prev = table.get(key)
                if prev is not None:
                    subst[op.result] = prev
                    changed = True
                    continue
                table[key] = op.result
        kept.append(op)
    block.ops = kept
    return changed


def _apply(block: Block, subst: dict[Var, Var]) -> None:
    def m(a: Any) -> Any:
        while isinstance(a, Var) and a in subst:
            a = subst[a]
        return a

    for op in block.ops:
        op.args = [m(a) for a in op.args]
        op.kwargs = {k: m(v) for k, v in op.kwargs.items()}
        for b in op.blocks:
            _apply(b, subst)
    block.yields = [m(y) for y in block.yields]
