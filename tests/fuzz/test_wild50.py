"""The wild50 grammar (tests/fuzz/gen_wild_50.py: session 49's features mixed with older ones in
random programs: magnitudes at exact zeros of the example point read through containers, loops
and helpers by functions smooth there or linear; data with NaNs multiplied into the parameters
and reduced by NaN-skipping reductions, masks and boolean indexing; roots of variances of arrays,
of a user class deriving ``var`` and of an ndarray subclass; matrix products accumulated in
loops) through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild50 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 50_500_000
N = 12


def test_random_wild50_programs() -> None:
    check_grammar("wild50", N, SEED, "wild50 programs", min_features=20, min_ok=0.4)
