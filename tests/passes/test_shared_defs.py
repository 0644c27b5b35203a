"""`ssa/census.shared_defs`: one `result_defs` per memo for one unchanged walk, made again for a
changed one; the analyses sharing it (prepare's two records, the reverse sweep's mask prechecks)
mark and mask as when each made its own."""

from __future__ import annotations

import numpy as np

import srcad
from srcad.ad import maskscan, selmasks
from srcad.lower.lower import lower_function
from srcad.passes import missing_keys, shadowed_methods
from srcad.passes.prepare import lowered
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of, result_defs, shared_defs
from srcad.testing import check_grads


def reads_and_methods(x, d):
    n = len(d)
    d[5]
    return x.sum() + n + len(d) + d.get(3, 0.0)


def masked_root(x):
    return np.sum(np.maximum(np.sqrt(np.sum(x**2) + x * x), 1.0))


def test_kept_for_one_walk_made_again_for_another():
    fn = lowered(masked_root)
    memo: dict = {}
    ops = ops_of(fn.body)
    defs = shared_defs(ops, memo)
    assert defs == result_defs(ops)
    assert shared_defs(ops_of(fn.body), memo) is defs  # (the block unchanged: the same walk)
    r = Builder(fn.body).op("neg", [fn.params[0]])  # a changed block: a new walk, new defs
    try:
        again = shared_defs(ops_of(fn.body), memo)
        assert again is not defs and r in again and r not in defs
    finally:
        fn.body.ops.pop()
    assert shared_defs(ops_of(fn.body), None) == defs
    other = list(ops)  # (an equal list, another object: its own entry)
    assert shared_defs(other, memo) is not defs and shared_defs(other, memo) == defs


def test_records_mark_as_without_the_memo():
    def marks(memo):
        fn = lower_function(reads_and_methods)
        shadowed_methods.record(fn, memo)
        missing_keys.record(fn, memo)
        return [(op.prim, sorted(op.params)) for op in ops_of(fn.body)], len(fn.param_methods)

    with_memo = marks({})
    assert with_memo == marks(None)
    assert any("read_may_insert" in p for _, p in with_memo[0])


def test_sweep_prechecks_share_one_walk(monkeypatch):
    made: list = []
    real = result_defs
    for mod in (maskscan, selmasks):
        monkeypatch.setattr(mod, "shared_defs", _counting(made, real))
    srcad.cache_clear()
    srcad.source(masked_root, mode="grad", args=(np.ones(3),))
    assert made == [True, False]  # square_sums' precheck made it, the selections' read it
    monkeypatch.undo()
    srcad.cache_clear()
    check_grads(masked_root, (np.array([0.3, -1.2, 2.0]),), modes=("fwd", "rev"))


def _counting(made: list, real):
    def shared(ops, memo):
        key = (real, id(ops))
        made.append(memo is not None and key not in memo)
        return shared_defs(ops, memo)

    return shared
