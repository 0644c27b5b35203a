"""Coalescing for the emitter: which values of a function share one Python name.

Input: a `Function` and its `backend/layout.Plan` (uses, definitions, inlined values). Output:
`Plan.root`, the name classes. Values that may share one Python name are put in one class, so
that ``s = s + x`` updates a loop carry in place instead of ``s_1 = s + x; s = s_1``. Loop
carries (body param, cond param, result) always form one class; a loop init, a yielded carry
value and an ``if`` result's branch value join it when their source names agree (or one has
none) and no write of the merged name happens while another member of it is still live.
Program points are numbered in emission order (`_Scan`); a value read inside a loop but defined
before it is live for the whole loop. The result of arithmetic written into a dead buffer
(``np.add(bx, g, out=bx)``: passes/inplace_ops.py) is that buffer, so it joins the buffer's class
when their classes have the same hints (then it is written ``bx += g``: `emit.py`), or when it
is only summed into a value of its name (``_t2 *= g; bx += _t2``, not ``bx_1 = np.multiply(_t2,
g, out=_t2); bx += bx_1``).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from srcad.backend.names import NAME_OPS
from srcad.backend.text import AUGMENTED
from srcad.ssa.core import STRUCTURED, Block, Function, Op, Operand, Var

if TYPE_CHECKING:
    from srcad.backend.layout import Plan


def coalesce(fn: Function, plan: Plan) -> None:
    """Put `fn`'s values in name classes (`plan.root`; see the module docstring)."""
    scan = _Scan(plan)
    for p in fn.params:
        scan.define(p, 0, None)
    scan.block(fn.body)
    _Coalescer(plan, scan).run()


_SCAN_SPECIAL = STRUCTURED | {"setitem"}  # read late, or with blocks: `_Scan.op`
#: the ufuncs passes/inplace_ops.py writes into their ``out=`` operand (the result is that array)
INTO_OUT = frozenset(AUGMENTED)
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
        # results of `INTO_OUT` ops -> their buffer (their merge: same hints only, but for
        # `parts`: read once, summed into a value of their name, ``_t2 *= g; bx += _t2``)
        self.into: dict[Var, Var] = {}
        self.parts: set[Var] = set()
        # the ops written inside a subscript (`_is_index`): each defines the one Var it is the
        # `index_inline` entry of
        self.indices = set(plan.index_inline.values())

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
        index, def_at, last_read = self.plan.index_inline, self.def_at, self.last_read
        for p in block.params:
            def_at[p] = start
        indices = self.indices
        t = self.t  # (kept here, and in `self.t` around the ops scanned by `op`)
        for op in block.ops:
            if op in indices:
                continue  # _is_index(op): read where its subscript is
            if op.prim in _SCAN_SPECIAL:
                self.t = t
                self.op(op)
                t = self.t
                continue
            t += 1  # what `op` does for an op without blocks, inline
            for a in op.args if not op.kwargs else op.operands():
                if type(a) is Var:
                    if a in index:
                        self.read(a, t)
                    else:
                        last_read[a] = t
            for r in op.results:  # its one write, (t, None), is implied (`_Coalescer.writes_of`)
                def_at[r] = t
            if op.kwargs and op.params.get("inplace") and op.prim in INTO_OUT:
                self.into_out(op, t)
            t += 1
        self.t = t
        y = self.tick()
        for a in block.yields:
            self.read(a, y)
        return y

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
                        if self.plan.uses.get(g) == 1:
                            self.parts.add(g)

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
    two classes merge, so a candidate pair costs the size of its two classes; `of` maps each
    member of a class of several to its representative (`Plan.cls` in one dict lookup: the
    writes' sources are looked up per candidate pair)."""

    def __init__(self, plan: Plan, scan: _Scan) -> None:
        self.plan, self.scan = plan, scan
        self.last_read = scan.last_read
        loops = sorted(scan.loops)
        self.starts = [a for a, _ in loops]  # (increasing)
        self.ends = [b for _, b in loops]
        self.hints: dict[Var, set[str]] = {}  # class -> its members' hints
        self.cw: dict[Var, list[Write]] = {}  # class -> its members' writes
        self.cs: dict[Var, list[tuple[int, int]]] = {}  # class -> its members' live spans
        self.members: dict[Var, list[Var]] = {}  # class (of several) -> its members
        self.of: dict[Var, Var] = {}  # member -> its class (`plan.cls`)
        members = self.members
        for v, r in list(plan.root.items()):
            members.setdefault(plan.cls(r), []).append(v)
        for root, ms in members.items():
            for m in ms:
                self.of[m] = root
            self._init(root, ms)

    def _init(self, root: Var, ms: list[Var]) -> None:
        hints: set[str] = set()
        cw: list[Write] = []
        cs: list[tuple[int, int]] = []
        for m in ms:  # (plain loops: a comprehension is a call of its own)
            if m.hint:
                hints.add(m.hint)
            cw += self.writes_of(m)
            s = self.live_span(m)
            if s is not None:
                cs.append(s)
        self.hints[root], self.cw[root], self.cs[root] = hints, cw, cs

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
        lo, up = bisect_right(self.starts, d), bisect_right(self.starts, last)
        if lo < up:
            return (d, max(last - 1, *self.ends[lo:up]))
        return (d, last - 1)

    def run(self) -> None:
        plan, def_at = self.plan, self.scan.def_at
        defs, index, inline = plan.defs, plan.index_inline, plan.expr_inline
        into, parts = self.scan.into, self.scan.parts
        for value, target in self.scan.merges:
            if type(value) is not Var or value not in def_at or value in index or value in inline:
                continue
            d = defs.get(value)
            if d is None or d.prim not in NAME_OPS:  # (a global or free name is fixed)
                same = target in into and target not in parts
                self.merge(value, target, same)  # type: ignore[arg-type]

    def merge(self, a: Var, b: Var, same: bool = False) -> None:
        """Merge the classes of `a` and `b` when that clobbers no live value and their hints
        agree (with `same`, are the same: a buffer ``_t3`` does not take the name ``bz`` of the
        product written into it, nor ``bx`` a temporary's)."""
        plan, of = self.plan, self.of
        ra, rb = of.get(a, a), of.get(b, b)
        if ra is rb:
            return
        ha, hb = self.hints.get(ra), self.hints.get(rb)
        if ha is None:  # (a value alone in its class)
            ha = {ra.hint} if ra.hint else set()
        if hb is None:
            hb = {rb.hint} if rb.hint else set()
        hints = ha | hb
        if len(hints) > 1 or (same and ha != hb):
            return  # readability: `a` is not renamed `x` just because it could be
        if ra not in self.cw:
            self._init(ra, [ra])
        if rb not in self.cw:
            self._init(rb, [rb])
        wa, wb = self.cw[ra], self.cw[rb]
        # points where each class is written with a value not of the merged class (the others
        # are no-ops once merged), and where it is written at all (plain loops: comprehensions
        # and generators are calls of their own)
        ra_real, rb_real = set(), set()
        for ws, real in ((wa, ra_real), (wb, rb_real)):
            for t, src in ws:
                if type(src) is not Var:
                    real.add(t)
                else:
                    c = of.get(src, src)
                    if c is not ra and c is not rb:
                        real.add(t)
        for t, _ in wb:
            if t in ra_real:
                return  # at one point, a value is written over one that must stay in the name
        for t, _ in wa:
            if t in rb_real:
                return
        for ws, spans in ((ra_real, self.cs[rb]), (rb_real, self.cs[ra])):
            for lo, hi in spans:
                for t in ws:
                    if lo <= t <= hi:
                        return  # the write would overwrite a live member of the other class
        self.hints[rb] = hints
        plan.root[ra] = rb
        plan.root.setdefault(rb, rb)
        ma = self.members.pop(ra, None) or [ra]
        for m in ma:
            of[m] = rb
        mb = self.members.get(rb)
        if mb is None:
            self.members[rb] = [rb, *ma]
            of[rb] = rb
        else:
            mb += ma
        self.cw[rb] = wb + wa
        self.cs[rb] = self.cs[rb] + self.cs[ra]
        del self.hints[ra], self.cw[ra], self.cs[ra]
