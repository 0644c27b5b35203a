"""Random programs in users' idioms the other grammars do not write (tests/fuzz/gen_idioms.py:
`while` loops with data-dependent exits writing arrays, early returns from nested loops, closures
over loop variables, recursion, dict/list accumulators, try/except, integer intermediates,
float32/complex mixes, 2-D negative-step slices, in-place updates of views) through the same
oracle as test_fuzz.py, at first and second order, comparing output dtypes too.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar idioms --n 5000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 18_990_000
N = 30


def test_random_idiom_programs() -> None:
    # a third are refused (nested functions used as values, recursion, try/finally: the
    # idioms srcad does not take yet), hence min_ok
    check_grammar("idioms", N, SEED, "programs in users' idioms", min_features=60, min_ok=0.3)
