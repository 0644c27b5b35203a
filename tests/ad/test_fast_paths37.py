"""Shortcuts of session 37 agree with the general paths:

- the kinds of arithmetic results (`ad/seqs._arith_kind`) are looked up once per primitive and
  operand kinds: the same kinds as `_arith` capped, for every combination of the lattice's kinds
  of one and two operands, and a transform asks the kept answers (`seq_kinds`);
- `passes/scalars.int_vars` returns at once for an op of a primitive none of its cases takes
  (`_INT_LEAF`): the same ints with every primitive looked at."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

from srcad.ad import seqs
from srcad.ad.kinds import _cap
from srcad.passes import scalars
from srcad.passes.prepare import lowered

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_core  # noqa: E402

import srcad  # noqa: E402

_KINDS = [None, "_", "i", "n", "f", "a", ("s", "i"), ("s", "f"), ("s", None), ("d", "n"),
          ("s", ("s", ("s", ("s", "f"))))]  # fmt: skip


def test_arith_kind_is_arith_capped() -> None:
    for p in sorted(seqs._INLINE):
        for n in (1, 2):
            for ks in itertools.product(_KINDS, repeat=n):
                assert seqs._arith_kind(p, ks) == _cap(seqs._arith(p, list(ks))), (p, ks)


def test_transform_reads_kept_kinds(monkeypatch) -> None:
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")
    srcad.source(bench_core.fresh(370), mode="grad")
    before = seqs._arith_kind.cache_info()
    srcad.source(bench_core.fresh(371), mode="grad")
    after = seqs._arith_kind.cache_info()
    assert after.hits > before.hits and after.misses == before.misses


class _Every:
    def __contains__(self, item: object) -> bool:
        return True


def _ints(i, n):
    pivot = [0] * n
    k = len(pivot) - 1
    for j in range(n):
        pivot[j] = j * 2 + k
    m = max(list(range(n)))
    t = (i, m, pivot[1])
    s = sum(t) + abs(-i) + int(3.7) + (i << 1) - np.int64(i) + np.argmax(np.ones(3))
    return t[0] * s % 7 + min(i, k) // 2 + pivot[i] + len(t) ** 2 + i / 2


def test_int_vars_early_out(monkeypatch) -> None:
    for f in (_ints, bench_core.fresh(372)):
        fn = lowered(f)
        fast = scalars.int_vars(fn)
        with monkeypatch.context() as m:
            m.setattr(scalars, "_INT_LEAF", _Every())
            slow = scalars.int_vars(fn)
        assert fast == slow
        assert len(fast) > 3
