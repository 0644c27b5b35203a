"""One walk of a function's IR for the emitter's analyses: the facts that need no other facts.

Input: a `Function` (its index among the factory's functions, the prims written as syntax, the
module prims the factory binds already). Output: a `Census`, read by `backend/layout.analyze`
(reads per Var, definitions, index candidates, ``while`` and ``for`` ops, ``len`` reads for
`backend/tapeloops`) and by `backend/names.FactoryNames` (the names the function fixes, what the
factory binds for it, in program order). Before, layout, names and tapeloops each walked every
op of the function; this walk visits each op and each operand once.
"""

from __future__ import annotations

from typing import Any

from srcad.backend.names import _NOT_MODULE, _PLAIN, _lookup, is_literal
from srcad.ssa.core import Block, Const, Function, Op, Var

# the helper a setitem the in-place pass left functional copies its object with (backend/emit.py)
LAYOUT_COPY = "srcad.runtime.layout_copy"

_SUBSCRIPTS = frozenset({"getitem", "setitem"})
Cand = tuple[Var, Op, list[tuple[Var, Op]]]  # an index read by a subscript: (index, def, parts)


class Census:
    """What `walk` found (each field says what it holds)."""

    def __init__(self) -> None:
        self.uses: dict[Var, int] = {}  # reads per Var (`ssa.core.uses`)
        self.defs: dict[Var, Op] = {}  # op results (block params absent)
        self.cands: list[Cand] = []  # a slice or tuple defined in the block of the subscript
        self.whiles: list[Op] = []  # every ``while`` op, inner ones first
        self.fors: list[Op] = []  # every ``for`` op, inner ones first
        self.lens: dict[Var, int] = {}  # Var -> how many ``len(v)`` results read it
        self.fixed: list[str] = []  # globals and builtins called by their bare name, in order
        self.gvals: dict[str, Any] = {}  # global name -> its value
        self.todo: list[tuple[int, str, Any]] = []  # (function, kind, what) to bind, in order


def walk(fn: Function, i: int, syntax: frozenset[str], seen: set[str]) -> Census:
    """The `Census` of `fn`, the `i`-th function of its factory. `syntax`: prims written as
    syntax, other than names (only their constants are bound); `seen`: the module prims the
    factory binds already (`FactoryNames`; updated)."""
    c = Census()
    _Walk(fn, i, syntax, seen, c).block(fn.body)
    return c


class _Walk:
    def __init__(
        self, fn: Function, i: int, syntax: frozenset[str], seen: set[str], c: Census
    ) -> None:
        self.fn, self.i, self.syntax, self.seen, self.c = fn, i, syntax, seen, c

    def block(self, block: Block) -> None:
        """Each op in program order: its name facts, its operands' reads and constants (its
        blocks' yields' constants next), its definitions, then its blocks' ops; the block's
        yields' reads last."""
        c, i, fn = self.c, self.i, self.fn
        local: dict[Var, Op] = {}
        counts, defs, todo, fixed = c.uses, c.defs, c.todo, c.fixed
        seen, syntax = self.seen, self.syntax
        get = counts.get
        for op in block.ops:
            prim = op.prim
            if prim not in syntax:
                if prim == "global":
                    name = op.params["name"]
                    fixed.append(name)
                    c.gvals[name] = _lookup(fn, name, "globals")
                elif prim == "free":
                    todo.append((i, "free", op.params["name"]))
                elif "." not in prim:
                    fixed.append(prim)  # a builtin called by its bare name
                elif prim not in seen and not prim.startswith(_NOT_MODULE):
                    todo.append((i, "module", prim))
                    seen.add(prim)  # what FactoryNames._module does depends on the prim alone
            elif prim == "pow" and (len(op.args) != 2 or op.kwargs):
                fixed.append("pow")  # pow(b, e, mod) is written as the builtin's call
            elif prim == "setitem" and LAYOUT_COPY not in seen and not op.params.get("inplace"):
                todo.append((i, "module", LAYOUT_COPY))  # x_1 = _srcad.layout_copy(x)
                seen.add(LAYOUT_COPY)
            # reads, and the constants the factory binds (`is_literal` ones are written)
            for a in op.args:
                if type(a) is Var:
                    counts[a] = get(a, 0) + 1
                elif type(a) is Const and type(a.value) not in _PLAIN and not is_literal(a.value):
                    todo.append((i, "const", a.value))
            if op.kwargs:
                for a in op.kwargs.values():
                    if type(a) is Var:
                        counts[a] = get(a, 0) + 1
                    elif isinstance(a, Const) and not is_literal(a.value):
                        todo.append((i, "const", a.value))
            for r in op.results:
                defs[r] = local[r] = op
            if op.blocks:
                for b in op.blocks:
                    for a in b.yields:
                        if isinstance(a, Const) and not is_literal(a.value):
                            todo.append((i, "const", a.value))
                for b in op.blocks:
                    self.block(b)
                if prim == "while":
                    c.whiles.append(op)
                elif prim == "for":
                    c.fors.append(op)
            elif prim in _SUBSCRIPTS and len(op.args) >= 2:
                idx = op.args[1]
                d = local.get(idx) if type(idx) is Var else None
                if d is not None and (d.prim == "slice" or d.prim == "tuple"):
                    parts = []
                    for e in d.args if d.prim == "tuple" else ():
                        sl = local.get(e) if type(e) is Var else None
                        if sl is not None and sl.prim == "slice":
                            parts.append((e, sl))
                    c.cands.append((idx, d, parts))  # type: ignore[arg-type]
            elif prim == "len" and len(op.args) == 1 and not op.kwargs:
                t = op.args[0]
                if type(t) is Var and op.results:  # (counted per result, as `defs` holds them)
                    c.lens[t] = c.lens.get(t, 0) + len(op.results)
        for y in block.yields:
            if type(y) is Var:
                counts[y] = get(y, 0) + 1
