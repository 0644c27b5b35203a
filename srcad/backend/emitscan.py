"""One walk of a function's IR for the emitter's analyses: the facts that need no other facts.

Input: a `Function` (its index among the factory's functions, the prims written as syntax, the
module prims the factory binds already). Output: a `Census`, read by `backend/layout.analyze`
(reads per Var, definitions, index candidates, ``while`` and ``for`` ops, ``len`` reads for
`backend/tapeloops`) and by `backend/names.FactoryNames` (the names the function fixes, what the
factory binds for it, in program order), and the program points `backend/coalesce.py` merges
names by (`Points`: definitions, last reads, writes, loops, candidate pairs). Before, layout,
names, tapeloops and coalesce each walked every op of the function; this walk visits each op and
each operand once.
"""

from __future__ import annotations

from typing import Any

from srcad.backend.names import _NOT_MODULE, _PLAIN, _lookup, is_literal
from srcad.backend.text import AUGMENTED
from srcad.ssa.core import STRUCTURED, Block, Const, Function, Op, Operand, Var

# the helper a setitem the in-place pass left functional copies its object with (backend/emit.py)
_ERRSTATE = "numpy.errstate"
LAYOUT_COPY = "srcad.runtime.layout_copy"

Cand = tuple[Var, Op, list[tuple[Var, Op]]]  # an index read by a subscript: (index, def, parts)
#: the ufuncs passes/inplace_ops.py writes into their ``out=`` operand (the result is that array)
INTO_OUT = frozenset(AUGMENTED)
_LATE = STRUCTURED | {
    "setitem"
}  # ops reading some operands after their first write, or with blocks
Write = tuple[int, object]  # (program point, value copied in: an Operand, or None for a new value)


class Points:
    """Program points in emission order (two per op: its reads, then its write; one at each
    block's start and at its yields) of every definition, last read and write of a name, for
    `backend/coalesce.py`. An index op is numbered too, though the subscript reading it writes
    it inline: `coalesce` moves the reads of its operands to its reader's point (points only
    compare by order, so the extra ones change no decision)."""

    def __init__(self) -> None:
        self.t = 0  # the last point handed out
        self.def_at: dict[Var, int] = {}
        self.last_read: dict[Var, int] = {}
        # writes of the results of ops with blocks, setitem and `INTO_OUT` ops, parameters (an
        # op's result's one write at its definition is implied: `_Coalescer.writes_of`)
        self.writes: dict[Var, list[Write]] = {}
        self.loops: list[tuple[int, int]] = []  # (first, last) point of each loop
        self.merges: list[tuple[Operand, Var]] = []  # candidate (value, Var) pairs, in order
        self.root: dict[Var, Var] = {}  # loop carries -> the loop's result (their name class)
        # results of `INTO_OUT` ops -> their buffer (their merge: same hints only, but for parts:
        # read once, summed into a value of their name, ``_t2 *= g; bx += _t2``)
        self.into: dict[Var, Var] = {}
        self.part_cands: list[Var] = []  # ... those parts when read once (`uses` decides)

    def define(self, v: Var, t: int, source: object) -> None:
        self.def_at[v] = t
        w = self.writes.get(v)
        if w is None:
            self.writes[v] = [(t, source)]
        else:
            w.append((t, source))

    def into_out(self, op: Op, t: int) -> None:
        """``r = np.add(x, g, out=x)`` at point `t`: `r` is the array `x` (a copy of it, for
        the name classes), a candidate to share its name."""
        x = op.kwargs.get("out")
        if type(x) is Var and len(op.kwargs) == 1 and len(op.results) == 1:
            r = op.results[0]
            self.writes[r] = [(t, x)]
            self.merges.append((x, r))
            self.into[r] = x
            if op.prim == "numpy.add" and x.hint:  # bx += <a part of bx made in a buffer>
                for g in op.args:
                    b = self.into.get(g) if type(g) is Var and g is not x else None
                    if b is not None and not b.hint and g.hint == x.hint:
                        self.part_cands.append(g)


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
        self.points = Points()  # for backend/coalesce.py


def walk(fn: Function, i: int, syntax: frozenset[str], seen: set[str]) -> Census:
    """The `Census` of `fn`, the `i`-th function of its factory. `syntax`: prims written as
    syntax, other than names (only their constants are bound); `seen`: the module prims the
    factory binds already (`FactoryNames`; updated)."""
    c = Census()
    for p in fn.params:
        c.points.define(p, 0, None)
    _Walk(fn, i, syntax, seen, c).block(fn.body)
    return c


class _Walk:
    def __init__(
        self, fn: Function, i: int, syntax: frozenset[str], seen: set[str], c: Census
    ) -> None:
        self.fn, self.i, self.syntax, self.seen, self.c = fn, i, syntax, seen, c

    def block(self, block: Block) -> int:
        """Each op in program order: its name facts, its operands' reads and constants (its
        blocks' yields' constants next), its definitions, then its blocks' ops; the block's
        yields' reads last. Returns the point of its yields (where carries and results are
        copied: `Points`)."""
        c, i, fn = self.c, self.i, self.fn
        local: dict[Var, Op] = {}
        counts, defs, todo, fixed = c.uses, c.defs, c.todo, c.fixed
        seen, syntax = self.seen, self.syntax
        get = counts.get
        pts = c.points
        last, def_at = pts.last_read, pts.def_at
        t = pts.t + 1  # the block's start
        for p in block.params:
            def_at[p] = t
        for op in block.ops:
            prim = op.prim
            if prim not in syntax:
                if prim in seen:  # (a module prim bound already: the commonest)
                    pass
                elif prim == "global":
                    name = op.params["name"]
                    fixed.append(name)
                    c.gvals[name] = _lookup(fn, name, "globals")
                elif prim == "free":
                    todo.append((i, "free", op.params["name"]))
                elif "." not in prim:
                    fixed.append(prim)  # a builtin called by its bare name
                elif not prim.startswith(_NOT_MODULE):
                    todo.append((i, "module", prim))
                    seen.add(prim)  # what FactoryNames._module does depends on the prim alone
            elif prim == "pow" and (len(op.args) != 2 or op.kwargs):
                fixed.append("pow")  # pow(b, e, mod) is written as the builtin's call
            elif prim == "setitem" and LAYOUT_COPY not in seen and not op.params.get("inplace"):
                todo.append((i, "module", LAYOUT_COPY))  # x_1 = _srcad.layout_copy(x)
                seen.add(LAYOUT_COPY)
            if op.params and "quiet" in op.params and _ERRSTATE not in seen:
                todo.append((i, "module", _ERRSTATE))  # (backend/quiet.py's ``with``)
                seen.add(_ERRSTATE)
            if prim in _LATE:
                pts.t = t
                self.late(op, local)
                t = pts.t
                continue
            t += 1  # `op` reads at `t`, writes at `t`; the next one starts at `t + 2`
            # reads, and the constants the factory binds (`is_literal` ones are written)
            for a in op.args:
                if type(a) is Var:
                    counts[a] = get(a, 0) + 1
                    last[a] = t
                elif type(a) is Const and type(a.value) not in _PLAIN and not is_literal(a.value):
                    todo.append((i, "const", a.value))
            if op.kwargs:
                for a in op.kwargs.values():
                    if type(a) is Var:
                        counts[a] = get(a, 0) + 1
                        last[a] = t
                    elif isinstance(a, Const) and not is_literal(a.value):
                        todo.append((i, "const", a.value))
                if prim in INTO_OUT and op.params.get("inplace"):
                    pts.into_out(op, t)
            for r in op.results:
                defs[r] = local[r] = op
                def_at[r] = t
            t += 1
            if prim == "getitem" and len(op.args) >= 2:
                self.index_cand(op, local)
            elif prim == "len" and len(op.args) == 1 and not op.kwargs:
                x = op.args[0]
                if type(x) is Var and op.results:  # (counted per result, as `defs` holds them)
                    c.lens[x] = c.lens.get(x, 0) + len(op.results)
        t += 1
        for y in block.yields:
            if type(y) is Var:
                counts[y] = get(y, 0) + 1
                last[y] = t
        pts.t = t
        return t

    def index_cand(self, op: Op, local: dict[Var, Op]) -> None:
        """A subscript's index defined in its block: a slice or tuple it may write inline."""
        idx = op.args[1]
        d = local.get(idx) if type(idx) is Var else None
        if d is not None and (d.prim == "slice" or d.prim == "tuple"):
            parts = []
            for e in d.args if d.prim == "tuple" else ():
                sl = local.get(e) if type(e) is Var else None
                if sl is not None and sl.prim == "slice":
                    parts.append((e, sl))
            self.c.cands.append((idx, d, parts))  # type: ignore[arg-type]

    def late(self, op: Op, local: dict[Var, Op]) -> None:
        """An op with blocks, or a ``setitem``: its operands read at its point, but the ones
        read after its first write (a setitem's index and value, after ``x_1 = copy(x)``; a
        ``for``'s range, after the carries' initial copies) at the next; its blocks' points
        after that; the results of ``if`` and loops written at each block's yields and defined
        after them (loop carries in one name class: `Points.root`)."""
        c, pts, prim = self.c, self.c.points, op.prim
        counts, last, i = c.uses, pts.last_read, self.i
        for a in op.args:  # (reads counted, constants bound: in `block`'s order)
            if type(a) is Var:
                counts[a] = counts.get(a, 0) + 1
            elif type(a) is Const and type(a.value) not in _PLAIN and not is_literal(a.value):
                c.todo.append((i, "const", a.value))
        for a in op.kwargs.values():
            if type(a) is Var:
                counts[a] = counts.get(a, 0) + 1
            elif isinstance(a, Const) and not is_literal(a.value):
                c.todo.append((i, "const", a.value))
        pts.t = t = pts.t + 1
        first, late = op.args, ()  # type: ignore[var-annotated]
        if prim == "setitem":  # x_1 = x.copy(); x_1[idx] = v
            first, late = op.args[:1], op.args[1:]
        elif prim == "for":  # carry = init ...; for i in range(start, stop, step):
            first, late = op.args[3:], op.args[:3]
        t2 = t + 1
        for group, at in ((first, t), (op.kwargs.values(), t), (late, t2)):
            for a in group:
                if type(a) is Var:
                    last[a] = at
        pts.t = t2
        for r in op.results:
            c.defs[r] = local[r] = op
        if prim not in STRUCTURED or not op.blocks:
            for r in op.results:
                pts.define(r, t, None)
            if prim == "setitem" and len(op.args) >= 2:
                self.index_cand(op, local)
            return
        for b in op.blocks:
            for a in b.yields:
                if isinstance(a, Const) and not is_literal(a.value):
                    c.todo.append((i, "const", a.value))
        if prim == "if":
            ys = [self.block(b) for b in op.blocks]
            pts.t = end = pts.t + 1
            for k, r in enumerate(op.results):
                for b, y in zip(op.blocks, ys):
                    v = _at(b.yields, k)
                    pts.writes.setdefault(r, []).append((y, v))
                    pts.merges.append((v, r))
                pts.def_at[r] = end
            return
        body = op.blocks[-1]
        inits = op.args[3:] if prim == "for" else op.args
        params = body.params[1:] if prim == "for" else body.params
        pts.merges += list(zip(inits, op.results))
        ys = [self.block(b) for b in op.blocks]
        if prim == "for" and body.params:
            p0 = body.params[0]
            pts.define(p0, pts.def_at[p0], None)  # for i in ...
        pts.t = end = pts.t + 1
        pts.loops.append((t2 + 1, end))  # the blocks; operands are read once, before
        root = pts.root
        for k, r in enumerate(op.results):
            pts.writes.setdefault(r, []).extend([(t, _at(inits, k)), (ys[-1], _at(body.yields, k))])
            pts.def_at[r] = end
            root[r] = r
            for b in op.blocks:
                ps = params if b is body else b.params
                if k < len(ps):
                    root[ps[k]] = r
            pts.merges.append((_at(body.yields, k), r))  # type: ignore[arg-type]
        if prim == "while":
            c.whiles.append(op)
        else:
            c.fors.append(op)


def _at(xs: list, k: int) -> object:
    return xs[k] if k < len(xs) else None
