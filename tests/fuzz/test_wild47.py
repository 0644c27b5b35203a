"""The wild47 grammar (tests/fuzz/gen_wild_47.py: session 46's features mixed with older ones in
random programs: squares of magnitudes scaled by numbers and values, at 0 and away from it,
magnitudes from helpers, roots of sums of squares, ``hypot`` and ``std``, products by transposed
matrices in loops, unused ops that may raise, ``try`` around a raising module-level helper,
``with`` on ``@contextmanager`` generators, stacks of displays, lists appended then written, deep
copies of containers, loop accumulators read through an alias, a closure or a nested loop)
through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild47 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 47_470_000
N = 16


def test_random_wild47_programs() -> None:
    check_grammar("wild47", N, SEED, "wild47 programs", min_features=30, min_ok=0.4)
