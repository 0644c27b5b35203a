"""The program points `backend/emitscan.walk` numbers for `backend/coalesce.py` give the name
classes a walk of their own gave (`_Reference`: the scan coalesce ran before, kept here as the
slow path): index ops numbered where they stand, their operands' reads moved to the subscript's
point afterwards. Each program's IR is emitted with both, at two line widths; the texts must be
the same."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.backend import coalesce, driver, emit, layout
from srcad.backend import text as tx
from srcad.backend.names import NAME_OPS
from srcad.ssa.core import STRUCTURED


def slices_in_loops(x, n):
    s = x[1:3] * 1.0
    k = 1
    for i in range(n):
        j = k + 1
        s = s + x[k : j + 1] * x[i : i + 2]
        if s[0] > 0.5:
            k = j
        else:
            s = s * x[:2]
    return np.sum(s) + np.sum(x[k:])


def updates(x, n):
    y = np.zeros_like(x)
    acc = np.zeros(3)
    for i in range(n):
        y[i] = x[i] * 2.0 + y[i - 1]
        acc = acc + x[:3] * y[i]
    i = 0
    while i < n:
        y[i : i + 2] = y[i : i + 2] * 0.5
        i = i + 2
    return np.sum(y * y) + np.sum(acc)


def buffers(x):
    h = np.tanh(x)
    return np.sum(h * np.exp(-(x**2))) + np.sum(np.sin(h) * np.cos(x))


# (function, arguments, what its gradient's text shows: loop carries or buffers coalesced)
CASES = [
    (slices_in_loops, (np.linspace(0.1, 1.0, 6), 3), "for "),
    (updates, (np.linspace(0.1, 1.0, 6), 4), "while "),
    (buffers, (np.linspace(0.1, 1.0, 6),), " += "),
]


class _Reference:
    """Program points by a walk of the function's own (as `coalesce` had): index ops skipped,
    their operands read at the subscript's point."""

    def __init__(self, plan):
        self.plan, self.t = plan, 0
        self.def_at, self.last_read, self.writes = {}, {}, {}
        self.loops, self.merges, self.into, self.parts = [], [], {}, set()
        self.indices = set(plan.index_inline.values())

    def tick(self):
        self.t += 1
        return self.t

    def define(self, v, t, source):
        self.def_at[v] = t
        self.writes.setdefault(v, []).append((t, source))

    def read(self, a, t):
        if not isinstance(a, srcad.ssa.core.Var):
            return
        d = self.plan.index_inline.get(a)
        if d is not None:
            for e in d.operands():
                self.read(e, t)
        else:
            self.last_read[a] = t

    def block(self, block):
        start = self.tick()
        for p in block.params:
            self.def_at[p] = start
        for op in block.ops:
            if op in self.indices:
                continue
            if op.prim in STRUCTURED or op.prim == "setitem":
                self.op(op)
                continue
            t = self.tick()
            for a in op.operands():
                self.read(a, t)
            for r in op.results:
                self.def_at[r] = t
            if op.kwargs and op.params.get("inplace") and op.prim in tx.AUGMENTED:
                self.into_out(op, t)
            self.tick()
        y = self.tick()
        for a in block.yields:
            self.read(a, y)
        return y

    def into_out(self, op, t):
        x = op.kwargs.get("out")
        if type(x) is srcad.ssa.core.Var and len(op.kwargs) == 1 and len(op.results) == 1:
            r = op.results[0]
            self.writes[r] = [(t, x)]
            self.merges.append((x, r))
            self.into[r] = x
            if op.prim == "numpy.add" and x.hint:
                for g in op.args:
                    b = self.into.get(g) if g is not x else None
                    if b is not None and not b.hint and g.hint == x.hint:
                        if self.plan.uses.get(g) == 1:
                            self.parts.add(g)

    def op(self, op):
        t = self.tick()
        args, late = op.args, ()
        if op.prim == "setitem":
            args, late = op.args[:1], op.args[1:]
        elif op.prim == "for":
            args, late = op.args[3:], op.args[:3]
        for a in [*args, *op.kwargs.values()]:
            self.read(a, t)
        t2 = self.tick()
        for a in late:
            self.read(a, t2)
        if op.prim not in STRUCTURED or not op.blocks:
            for r in op.results:
                self.define(r, t, None)
            return
        at = lambda xs, k: xs[k] if k < len(xs) else None  # noqa: E731
        if op.prim == "if":
            ys = [self.block(b) for b in op.blocks]
            end = self.tick()
            for k, r in enumerate(op.results):
                for b, y in zip(op.blocks, ys):
                    self.writes.setdefault(r, []).append((y, at(b.yields, k)))
                    self.merges.append((at(b.yields, k), r))
                self.def_at[r] = end
            return
        body = op.blocks[-1]
        inits = op.args[3:] if op.prim == "for" else op.args
        params = body.params[1:] if op.prim == "for" else body.params
        self.merges += list(zip(inits, op.results))
        ys = [self.block(b) for b in op.blocks]
        if op.prim == "for" and body.params:
            self.define(body.params[0], self.def_at[body.params[0]], None)
        end = self.tick()
        self.loops.append((t2 + 1, end))
        for k, r in enumerate(op.results):
            self.writes.setdefault(r, []).extend([(t, at(inits, k)), (ys[-1], at(body.yields, k))])
            self.def_at[r] = end
            self.plan.root[r] = r
            for b in op.blocks:
                ps = params if b is body else b.params
                if k < len(ps):
                    self.plan.root[ps[k]] = r
            self.merges.append((at(body.yields, k), r))


def _reference_analyze(fn, census):
    def reference(plan, points):
        scan = _Reference(plan)
        for p in fn.params:
            scan.define(p, 0, None)
        scan.block(fn.body)
        coalesce._Coalescer(plan, scan, scan.parts).run()

    orig = layout.coalesce
    layout.coalesce = reference
    try:
        return layout.analyze(fn, census)
    finally:
        layout.coalesce = orig


def _emitted(monkeypatch, f, args, mode):
    seen = []
    orig = driver.emit_functions

    def capture(fns, names=None):
        seen.append((fns, names))
        return orig(fns, names)

    monkeypatch.setattr(driver, "emit_functions", capture)
    srcad.cache_clear()  # (built again: emitted)
    srcad.source(f, mode=mode, args=args)
    monkeypatch.setattr(driver, "emit_functions", orig)
    assert seen
    return seen


@pytest.mark.parametrize("mode", ["grad", "jvp", "primal"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].__name__)
def test_points_give_the_reference_classes(monkeypatch, case, mode):
    f, args, shows = case
    texts = []
    for fns, names in _emitted(monkeypatch, f, args, mode):
        for width in (100, 40):
            monkeypatch.setattr(tx, "WIDTH", width)
            fast = emit.emit_functions(fns, names).source
            with monkeypatch.context() as m:
                m.setattr(emit, "analyze", _reference_analyze)
                slow = emit.emit_functions(fns, names).source
            assert fast == slow
            texts.append(fast)
    assert mode != "grad" or any(shows in t for t in texts)


def test_cases_run():
    for f, args, _ in CASES:
        assert np.isfinite(f(*args))
        assert np.all(np.isfinite(srcad.grad(f)(*args)))


def test_name_ops_are_no_statements():  # (what `_Reference` and emitscan both assume)
    assert NAME_OPS == frozenset({"global", "free"})


def _same_order(pairs: list[tuple[int, int]]) -> bool:
    """The (reference point, point) pairs are related by a strictly increasing map."""
    seen: dict[int, int] = {}
    for a, b in pairs:
        if seen.setdefault(a, b) != b:
            return False
    got = sorted(seen.items())
    return all(b1 < b2 for (_, b1), (_, b2) in zip(got, got[1:]))


@pytest.mark.parametrize("mode", ["grad", "jvp", "primal"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].__name__)
def test_points_order_as_the_reference(monkeypatch, case, mode):
    """Every definition, last read (index operands' included), write and loop bound of the
    reference has its point, in the same order; candidates, roots and buffers the same."""
    from srcad.backend import emitscan

    f, args, _ = case
    for fns, _names in _emitted(monkeypatch, f, args, mode):
        for fn in fns:
            census = emitscan.walk(fn, 0, emit._SYNTAX_OPS, set())
            got = {}
            run = layout.coalesce

            def keep(plan, points, got=got, run=run):
                got["points"] = points
                run(plan, points)

            with monkeypatch.context() as m:
                m.setattr(layout, "coalesce", keep)
                plan = layout.analyze(fn, census)
            pts = got["points"]
            ref = _Reference(layout.Plan(plan.uses, plan.defs))
            ref.plan.index_inline = plan.index_inline
            ref.indices = set(plan.index_inline.values())
            for p in fn.params:
                ref.define(p, 0, None)
            ref.block(fn.body)
            pairs = [(t, pts.def_at[v]) for v, t in ref.def_at.items()]
            pairs += [(t, pts.last_read[v]) for v, t in ref.last_read.items()]
            for v, ws in ref.writes.items():
                new = pts.writes.get(v) or [(pts.def_at[v], None)]
                assert [s for _, s in ws] == [s for _, s in new]
                pairs += [(a, b) for (a, _), (b, _) in zip(ws, new)]
            pairs += [(a, b) for la, lb in zip(ref.loops, pts.loops) for a, b in zip(la, lb)]
            assert len(ref.loops) == len(pts.loops)
            assert _same_order(pairs)
            assert ref.merges == pts.merges and ref.into == pts.into
            assert ref.parts == {g for g in pts.part_cands if plan.uses.get(g) == 1}
            assert ref.plan.root == pts.root
