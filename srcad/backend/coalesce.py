"""Coalescing for the emitter: which values of a function share one Python name.

Input: a function's `backend/layout.Plan` (uses, definitions, inlined values) and the program
points `backend/emitscan.walk` numbered (`Points`). Output: `Plan.root`, the name classes.
Values that may share one Python name are put in one class, so that ``s = s + x`` updates a
loop carry in place instead of ``s_1 = s + x; s = s_1``. Loop carries (body param, cond param,
result) always form one class; a loop init, a yielded carry value and an ``if`` result's branch
value join it when their source names agree (or one has none) and no write of the merged name
happens while another member of it is still live. Program points are in emission order; a
value read inside a loop but defined before it is live for the whole loop. The result of
arithmetic written into a dead buffer (``np.add(bx, g, out=bx)``: passes/inplace_ops.py) is that
buffer, so it joins the buffer's class when their classes have the same hints (then it is written
``bx += g``: `emit.py`), or when it is only summed into a value of its name (``_t2 *= g; bx +=
_t2``, not ``bx_1 = np.multiply(_t2, g, out=_t2); bx += bx_1``).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from srcad.backend.emitscan import Points, Write
from srcad.backend.names import NAME_OPS
from srcad.ssa.core import Var

if TYPE_CHECKING:
    from srcad.backend.layout import Plan


def coalesce(plan: Plan, points: Points) -> None:
    """Put the values of a function in name classes (`plan.root`; see the module docstring),
    from its `points` (`backend/emitscan.walk`'s)."""
    last = points.last_read
    for idx, d in plan.index_inline.items():  # (in order: a tuple before the slices in it)
        t = last.get(idx)  # read where its subscript is
        if t is not None:
            for e in d.operands():
                if type(e) is Var and last.get(e, 0) < t:
                    last[e] = t
    parts = {g for g in points.part_cands if plan.uses.get(g) == 1}
    plan.root.update(points.root)
    _Coalescer(plan, points, parts).run()


class _Coalescer:
    """Greedy, in program order: merge two name classes unless that would clobber a live value.

    Per class (by its representative) it keeps its members' writes and live spans, joined when
    two classes merge, so a candidate pair costs the size of its two classes; `of` maps each
    member of a class of several to its representative (`Plan.cls` in one dict lookup: the
    writes' sources are looked up per candidate pair)."""

    def __init__(self, plan: Plan, scan: Points, parts: set[Var]) -> None:
        self.plan, self.scan, self.parts = plan, scan, parts
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
        blocks (not kept by `Points`), its definition."""
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
        into, parts = self.scan.into, self.parts
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
