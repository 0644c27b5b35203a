"""Fast paths of the emitter give what the slow paths gave, on a table of programs:

- `capped` takes its inlined operands' texts from `_FnEmitter.rendered` (as the expression's
  text just written has them) instead of writing them again;
- the coalescing looks classes up in `_Coalescer.of` instead of following `Plan.root`.

The IR each transform emits is captured and emitted again with the fast path switched off (a
`rendered` that keeps nothing; `plan.cls` for `of`), with a narrow line width so that many
statements are split."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.backend import coalesce, driver, emit
from srcad.backend import text as tx


def long_expression(x, w):
    return np.sum(np.tanh(x @ w) ** 2) + np.mean((x * w + 1.0 - x) ** 2)


def loops(x, n):
    s = 0.0
    t = x[1:-1] * 2.0
    for i in range(n):
        y = np.sin(x) * x + np.cos(x * x + 1.0) * np.exp(-x) + x[: i + 1].sum()
        s = s + np.sum(y * y * np.tanh(y + 2.0), axis=0) + np.sum(np.abs(y) ** 1.5)
        if s > 3.0:
            s = s - 1.5 * np.sqrt(s + np.sum(t * t) + np.max(np.abs(x - 0.5)))
        else:
            t = t + x[1:-1] * np.log1p(np.abs(x[1:-1])) * np.exp(x[1:-1] - 1.0)
    while s > 1.0:
        s = s / 2.0 + np.sum(np.tanh(t)) * 1e-3
    return s + np.sum(t)


CASES = [
    (long_expression, (np.linspace(0.1, 1.0, 4), np.linspace(-0.5, 0.5, 4))),
    (loops, (np.linspace(0.1, 1.0, 5), 3)),
]


class _Forget(dict):
    """A `rendered` that keeps nothing: every text is written again (the slow path)."""

    def __setitem__(self, key, value):
        pass


def _emitted(monkeypatch, f, args, mode):
    seen = []
    orig = driver.emit_functions

    def capture(fns, names=None):
        seen.append((fns, names))
        return orig(fns, names)

    monkeypatch.setattr(driver, "emit_functions", capture)
    srcad.source(f, mode=mode, args=args)
    monkeypatch.setattr(driver, "emit_functions", orig)
    assert seen
    return seen


@pytest.mark.parametrize("mode", ["grad", "jvp"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0].__name__)
def test_fast_paths_write_the_same_source(monkeypatch, case, mode):
    f, args = case
    split = 0
    for fns, names in _emitted(monkeypatch, f, args, mode):
        for width in (100, 40):
            monkeypatch.setattr(tx, "WIDTH", width)
            fast = emit.emit_functions(fns, names).source
            init = emit._FnEmitter.__init__

            def slow_init(self, *a, init=init, **k):
                init(self, *a, **k)
                self.rendered = _Forget()

            with monkeypatch.context() as m:
                m.setattr(emit._FnEmitter, "__init__", slow_init)
                m.setattr(coalesce._Coalescer, "merge", _slow_merge)
                slow = emit.emit_functions(fns, names).source
            assert fast == slow
            split += fast.count(" = ")
    assert split


def _slow_merge(self, a, b, same=False):
    """`_Coalescer.merge` with `plan.cls` for `of` (as it was)."""
    plan = self.plan
    of = self.of
    self.of = _Cls(plan)
    try:
        coalesce_merge(self, a, b, same)
    finally:
        self.of = of
        for r in list(plan.root):  # (kept up to date for the later calls)
            of[r] = plan.cls(r)


class _Cls:
    def __init__(self, plan):
        self.plan = plan

    def get(self, v, default=None):
        return self.plan.cls(v)

    def __setitem__(self, k, v):
        pass


coalesce_merge = coalesce._Coalescer.merge
