"""The kinds of arithmetic results (`ad/seqs._arith_kind`) are looked up once per primitive and
operand kinds: the same kinds as `_arith` capped, for every combination of the lattice's kinds
of one and two operands, and a transform asks the kept answers (`seq_kinds`)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from srcad.ad import seqs
from srcad.ad.kinds import _cap

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
