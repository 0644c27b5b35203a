"""Layout decisions for the emitter: what is written inline and which values share a Python name.

Input: a `Function`. Output: a `Plan` of read-only facts; nothing here builds code (`emit.py` does).

- index inlining: ``t = slice(i, j); y = getitem(x, t)`` is written ``y = x[i:j]`` when `t` is
  defined in the same block and read only there;
- while conditions: a cond block whose ops form one expression tree, evaluated in block order, is
  written ``while <expr>:``;
- coalescing: values that may share one Python name are put in one class, so that ``s = s + x``
  updates a loop carry in place instead of ``s_1 = s + x; s = s_1``. Loop carries (body param,
  cond param, result) always form one class; a loop init, a yielded carry value and an ``if``
  result's branch value join it when their source names agree (or one has none) and no write of
  the merged name happens while another member of it is still live. Program points are
  numbered in emission order; a value read inside a loop but defined before it is live for
  the whole loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from srcad.backend.names import NAME_OPS
from srcad.ssa.core import STRUCTURED, Block, Function, Op, Operand, Var

_NOT_INLINE = STRUCTURED | {"setitem", "comment"}


@dataclass
class Plan:
    """Facts about one function used by the emitter."""

    uses: dict[Var, int]
    defs: dict[Var, Op] = field(default_factory=dict)  # op results (block params absent)
    index_inline: dict[Var, Op] = field(default_factory=dict)  # written as subscript syntax
    expr_inline: dict[Var, Op] = field(default_factory=dict)  # while-condition trees
    inline_while: set[Op] = field(default_factory=set)  # membership only, never iterated
    fors: list[Op] = field(default_factory=list)  # every ``for`` op, inner ones first
    root: dict[Var, Var] = field(default_factory=dict)  # Var -> its name class (when merged)

    def cls(self, v: Var) -> Var:
        """The representative of the name class of `v`."""
        root, r = self.root, v
        while True:
            p = root.get(r)
            if p is None or p is r:
                return r
            r = p


def analyze(fn: Function) -> Plan:
    """Compute the `Plan` of `fn` (see the module docstring)."""
    plan = Plan({})
    cands: list[tuple[Var, Op, list[tuple[Var, Op]]]] = []
    whiles: list[Op] = []
    _walk(fn.body, plan, cands, whiles)
    uses = plan.uses
    for idx, d, parts in cands:  # an index read once, where it is defined: ``x[i:j, k]``
        if uses.get(idx) == 1:
            plan.index_inline[idx] = d
            for e, sl in parts:
                if uses.get(e) == 1:
                    plan.index_inline[e] = sl
    for op in whiles:
        if len(op.blocks) == 2 and len(op.blocks[0].yields) == 1:
            _inline_cond(op, op.blocks[0], plan)
    _inline_temps(fn.body, plan, returns=True)
    scan = _Scan(plan)
    for p in fn.params:
        scan.define(p, 0, None)
    scan.block(fn.body)
    _Coalescer(plan, scan).run()
    return plan


def _walk(
    block: Block, plan: Plan, cands: list[tuple[Var, Op, list[tuple[Var, Op]]]], whiles: list[Op]
) -> None:
    """One walk for what needs no other facts: reads per Var (`ssa.core.uses`), definitions,
    index candidates (a slice or tuple defined in the block of the subscript reading it; kept
    when read once), ``while`` and ``for`` ops (inner ones first)."""
    local: dict[Var, Op] = {}
    counts, defs = plan.uses, plan.defs
    get = counts.get
    for op in block.ops:
        for a in op.args:
            if type(a) is Var:
                counts[a] = get(a, 0) + 1
        if op.kwargs:
            for a in op.kwargs.values():
                if type(a) is Var:
                    counts[a] = get(a, 0) + 1
        for r in op.results:
            defs[r] = local[r] = op
        prim = op.prim
        if op.blocks:
            for b in op.blocks:
                _walk(b, plan, cands, whiles)
            if prim == "while":
                whiles.append(op)
            elif prim == "for":
                plan.fors.append(op)
        elif (prim == "getitem" or prim == "setitem") and len(op.args) >= 2:
            idx = op.args[1]
            d = local.get(idx) if type(idx) is Var else None
            if d is not None and (d.prim == "slice" or d.prim == "tuple"):
                parts = []
                for e in d.args if d.prim == "tuple" else ():
                    sl = local.get(e) if type(e) is Var else None
                    if sl is not None and sl.prim == "slice":
                        parts.append((e, sl))
                cands.append((idx, d, parts))  # type: ignore[arg-type]
    for y in block.yields:
        if type(y) is Var:
            counts[y] = get(y, 0) + 1


def _inline_cond(op: Op, cond: Block, plan: Plan) -> None:
    """Inline when the tree under the flag, in post-order, is exactly the block's statements
    (so the single expression evaluates everything in the same order)."""
    local = {r: o for o in cond.ops for r in o.results}
    stmts = [o for o in cond.ops if o.prim not in NAME_OPS and not _is_index(o, plan)]
    order: list[Op] = []
    seen: set[Var] = set()

    def visit(v: object) -> bool:
        if not isinstance(v, Var) or v not in local or local[v].prim in NAME_OPS:
            return True
        d = local[v]
        if v in seen or d.prim in _NOT_INLINE or len(d.results) != 1 or d.blocks:
            return False
        seen.add(v)
        if not all(visit(a) for a in d.operands()):
            return False
        if not _is_index(d, plan):
            if plan.uses.get(v) != 1:
                return False
            order.append(d)
        return True

    if visit(cond.yields[0]) and order == stmts:
        plan.inline_while.add(op)
        for d in order:
            plan.expr_inline[d.result] = d


_STATEMENT = _NOT_INLINE | NAME_OPS  # never written inside another statement


def _line(op: Op) -> int | None:
    return None if op.loc is None else op.loc.line


def _reads(op: Op, plan: Plan) -> list[Var]:
    """The Vars `op`'s expression reads, in Python's evaluation order (through inlined
    indices: ``x[i:j]`` reads `x`, `i`, `j`)."""
    out: list[Var] = []
    for a in op.operands():
        if type(a) is Var:
            d = plan.index_inline.get(a)
            if d is None:
                out.append(a)
            else:
                out += _reads(d, plan)
    return out


def _inline_temps(block: Block, plan: Plan, returns: bool = False) -> None:
    """Write a temporary used once inside the expression that reads it (``y = a * (b + c)``,
    not ``_t1 = b + c; y = a * _t1``) when that keeps Python's order of evaluation.

    A temporary: a hint-less single result of an expression op, read once, by a later op of the
    same block from the same user line (a traceback names one line per statement). `pending`
    holds the candidates since the last statement, in order; an op reading some of them must
    read exactly the last ones, in the same order (then evaluating its expression evaluates
    them in their statements' order, with nothing in between); otherwise they all stay
    statements. A loop's range and carries, `setitem`, comments and a while loop's inlined
    condition read none; the function's ``return`` (`returns`: `block` is its body) does.

    A named value (an adjoint's or tangent's part, ``bx_2``) is a statement, but for one case:
    read once, by the op right after it, from the same line, that sums it into a value of its
    name (``bx_3 = bx_1 + bx_2``: `_accumulates`), it is written there (``bx_3 = bx_1 + <its
    expression>``): its expression is evaluated as its statement was, right before the sum's,
    whose other operand is a name (the reading of a local, which no expression changes)."""
    pending: list[Var] = []
    waiting: set[Var] = set()  # pending's members (a tape's tuple reads hundreds)
    index, uses, inline = plan.index_inline, plan.uses, plan.expr_inline
    named: Var | None = None  # the named candidate defined by the op before (see above)
    for op in block.ops:
        if op.blocks:
            for b in op.blocks if op not in plan.inline_while else op.blocks[1:]:
                _inline_temps(b, plan)
        prim, res = op.prim, op.results
        one = len(res) == 1
        if prim in NAME_OPS or one and res[0] in index:
            continue  # no statement: a name, or written inside the subscript reading it
        if named is not None:
            if _accumulates(op, named, plan):
                plan.expr_inline[named] = plan.defs[named]
            named = None
        reader = prim == "if" or prim not in _STATEMENT
        if reader and pending:
            rs = [a for a in _reads(op if prim != "if" else _Test(op), plan) if a in waiting]
            k = len(pending) - len(rs)
            line = _line(op)
            if rs and rs == pending[k:] and all(_line(plan.defs[r]) == line for r in rs):
                for r in rs:
                    plan.expr_inline[r] = plan.defs[r]
                    waiting.discard(r)
                del pending[k:]
            elif rs:
                pending, waiting = [], set()
        r = res[0] if one else None
        if (  # a temporary (see above)
            reader
            and r is not None
            and prim != "if"
            and uses.get(r) == 1
            and r not in inline
            and not op.params.get("inplace")
        ):
            if not r.hint:
                pending.append(r)
                waiting.add(r)
                continue
            named = r
        if pending:
            pending, waiting = [], set()  # a statement: nothing before it moves after it
    rs = [a for a in block.yields if type(a) is Var and a in waiting] if returns else []
    if rs and rs == pending[len(pending) - len(rs) :]:  # ``return x * 2``
        for r in rs:
            plan.expr_inline[r] = plan.defs[r]


_ACCUMULATE = frozenset({"add", "srcad.runtime.add"})


def _accumulates(op: Op, part: Var, plan: Plan) -> bool:
    """`op` is ``x_3 = x_1 + part`` (or ``part + x_1``, or `srcad.runtime.add`), `part` and
    `x_1` named as `x_3`, `x_1` a local (not a global's or closure's name), from `part`'s line."""
    if op.prim not in _ACCUMULATE or len(op.results) != 1 or op.kwargs or len(op.args) != 2:
        return False
    h = op.results[0].hint
    a, b = op.args
    other = b if a is part else a if b is part else None
    if type(other) is not Var or other.hint != h or part.hint != h or other is part:
        return False
    d = plan.defs.get(other)
    return (d is None or d.prim not in NAME_OPS) and _line(op) == _line(plan.defs[part])


class _Test:
    """An ``if`` op as the expression it evaluates: its test."""

    def __init__(self, op: Op) -> None:
        self.args = op.args[:1]

    def operands(self) -> tuple:
        return tuple(self.args)


def _is_index(op: Op, plan: Plan) -> bool:
    return len(op.results) == 1 and op.results[0] in plan.index_inline


_SCAN_SPECIAL = STRUCTURED | {"setitem"}  # read late, or with blocks: `_Scan.op`
Write = tuple[int, object]  # (program point, value copied in: an Operand, or None for a new value)


class _Scan:
    """Program points (in emission order) of every definition, read and write of a name."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.t = 0
        self.def_at: dict[Var, int] = {}
        self.last_read: dict[Var, int] = {}
        self.writes: dict[Var, list[Write]] = {}
        self.loops: list[tuple[int, int]] = []  # (first, last) point of each loop
        self.merges: list[tuple[Operand, Var]] = []  # candidate (value, Var) pairs, in order

    def tick(self) -> int:
        self.t += 1
        return self.t

    def define(self, v: Var, t: int, source: object) -> None:
        self.def_at[v] = t
        w = self.writes.get(v)
        if w is None:
            self.writes[v] = [(t, source)]
        else:
            w.append((t, source))

    def read(self, a: object, t: int) -> None:
        if type(a) is not Var:
            return
        d = self.plan.index_inline.get(a)
        if d is not None:
            for e in d.operands():
                self.read(e, t)
        else:
            self.last_read[a] = t  # points only grow: the last read is the latest

    def block(self, block: Block) -> int:
        """Scan `block`; returns the point of its yields (where carries/results are copied)."""
        start = self.tick()
        for p in block.params:
            self.def_at[p] = start
        index, def_at, last_read, writes = (
            self.plan.index_inline,
            self.def_at,
            self.last_read,
            self.writes,
        )
        for op in block.ops:
            res = op.results
            if len(res) == 1 and res[0] in index:
                continue  # _is_index(op): read where its subscript is
            if op.prim in _SCAN_SPECIAL:
                self.op(op)
                continue
            self.t = t = self.t + 1  # what `op` does for an op without blocks, inline
            for a in op.args if not op.kwargs else op.operands():
                if type(a) is Var:
                    if a in index:
                        self.read(a, t)
                    else:
                        last_read[a] = t
            self.t += 1
            for r in res:  # its one write, (t, None), is implied (`_Coalescer.writes_of`)
                def_at[r] = t
        y = self.tick()
        for a in block.yields:
            self.read(a, y)
        return y

    def op(self, op: Op) -> None:
        self.t = t = self.t + 1
        args, late = op.args, ()  # `late`: read after the op's first write
        prim, read = op.prim, self.read
        if prim == "setitem":  # x_1 = x.copy(); x_1[idx] = v
            args, late = op.args[:1], op.args[1:]
        elif prim == "for":  # carry = init ...; for i in range(start, stop, step):
            args, late = op.args[3:], op.args[:3]
        for a in args:
            read(a, t)
        for a in op.kwargs.values():
            read(a, t)
        self.t = t2 = t + 1
        for a in late:
            read(a, t2)
        if prim not in STRUCTURED or not op.blocks:
            for r in op.results:
                self.define(r, t, None)
            return
        if op.prim == "if":
            ys = [self.block(b) for b in op.blocks]
            end = self.tick()
            for k, r in enumerate(op.results):
                for b, y in zip(op.blocks, ys):
                    self.writes.setdefault(r, []).append((y, _at(b.yields, k)))
                    self.merges.append((_at(b.yields, k), r))
                self.def_at[r] = end
            return
        body = op.blocks[-1]
        inits = op.args[3:] if op.prim == "for" else op.args
        params = body.params[1:] if op.prim == "for" else body.params
        self.merges += list(zip(inits, op.results))
        ys = [self.block(b) for b in op.blocks]
        if op.prim == "for" and body.params:
            self.define(body.params[0], self.def_at[body.params[0]], None)  # for i in ...
        end = self.tick()
        self.loops.append((t2 + 1, end))  # the blocks; operands are read once, before
        for k, r in enumerate(op.results):
            self.writes.setdefault(r, []).extend(
                [(t, _at(inits, k)), (ys[-1], _at(body.yields, k))]
            )
            self.def_at[r] = end
            self.plan.root[r] = r
            for b in op.blocks:
                ps = params if b is body else b.params
                if k < len(ps):
                    self.plan.root[ps[k]] = r
            self.merges.append((_at(body.yields, k), r))


def _at(xs: list, k: int) -> object:
    return xs[k] if k < len(xs) else None


class _Coalescer:
    """Greedy, in program order: merge two name classes unless that would clobber a live value.

    Per class (by its representative) it keeps its members' writes and live spans, joined when
    two classes merge, so a candidate pair costs the size of its two classes."""

    def __init__(self, plan: Plan, scan: _Scan) -> None:
        self.plan, self.scan = plan, scan
        self.last_read = scan.last_read
        self.loops = sorted(scan.loops)
        self.hints: dict[Var, set[str]] = {}  # class -> its members' hints
        self.cw: dict[Var, list[Write]] = {}  # class -> its members' writes
        self.cs: dict[Var, list[tuple[int, int]]] = {}  # class -> its members' live spans
        members: dict[Var, list[Var]] = {}
        for v, r in list(plan.root.items()):
            members.setdefault(plan.cls(r), []).append(v)
        for root, ms in members.items():
            self._init(root, ms)

    def _init(self, root: Var, ms: list[Var]) -> None:
        self.hints[root] = {m.hint for m in ms if m.hint}
        self.cw[root] = [w for m in ms for w in self.writes_of(m)]
        self.cs[root] = [s for s in map(self.live_span, ms) if s is not None]

    def writes_of(self, m: Var) -> list[Write]:
        """The writes of `m`'s name: the scan's list, or for the result of an op without
        blocks (not kept by `_Scan.block`), its definition."""
        w = self.scan.writes.get(m)
        if w is not None:
            return w
        t = self.scan.def_at.get(m)
        return [(t, None)] if t is not None and m in self.plan.defs else []

    def live_span(self, u: Var) -> tuple[int, int] | None:
        """The points `t` at which `u` is live, (first, last): it is defined at `t` and read
        after it, or before it in a loop running on past `t` (a loop starting after `u`'s
        definition, with a read in it); None when it is never defined."""
        d = self.scan.def_at.get(u)
        if d is None:
            return None
        last = self.last_read.get(u, 0)
        # live at t: d <= t and (t < last, or a loop (a, b) with d < a <= last and t <= b)
        hi = last - 1
        for a, b in self.loops:
            if a > last:
                break
            if d < a and b > hi:
                hi = b
        return (d, hi)

    def run(self) -> None:
        plan, def_at = self.plan, self.scan.def_at
        defs, index, inline = plan.defs, plan.index_inline, plan.expr_inline
        for value, target in self.scan.merges:
            if type(value) is not Var or value not in def_at or value in index or value in inline:
                continue
            d = defs.get(value)
            if d is None or d.prim not in NAME_OPS:  # (a global or free name is fixed)
                self.merge(value, target)  # type: ignore[arg-type]

    def merge(self, a: Var, b: Var) -> None:
        plan = self.plan
        ra, rb = plan.cls(a), plan.cls(b)
        if ra is rb:
            return
        ha, hb = self.hints.get(ra), self.hints.get(rb)
        if ha is None:  # (a value alone in its class)
            ha = {ra.hint} if ra.hint else set()
        if hb is None:
            hb = {rb.hint} if rb.hint else set()
        hints = ha | hb
        if len(hints) > 1:
            return  # readability: `a` is not renamed `x` just because it could be
        if ra not in self.cw:
            self._init(ra, [ra])
        if rb not in self.cw:
            self._init(rb, [rb])
        cls, wa, wb = plan.cls, self.cw[ra], self.cw[rb]
        # points where each class is written with a value not of the merged class (the others
        # are no-ops once merged), and where it is written at all
        ra_real = {t for t, src in wa if not (type(src) is Var and cls(src) in (ra, rb))}
        rb_real = {t for t, src in wb if not (type(src) is Var and cls(src) in (ra, rb))}
        if any(t in ra_real for t, _ in wb) or any(t in rb_real for t, _ in wa):
            return  # at one point, a value is written over one that must stay in the name
        for ws, spans in ((ra_real, self.cs[rb]), (rb_real, self.cs[ra])):
            for lo, hi in spans:
                for t in ws:
                    if lo <= t <= hi:
                        return  # the write would overwrite a live member of the other class
        self.hints[rb] = hints
        plan.root[ra] = rb
        plan.root.setdefault(rb, rb)
        self.cw[rb] = wb + wa
        self.cs[rb] = self.cs[rb] + self.cs[ra]
        del self.hints[ra], self.cw[ra], self.cs[ra]
