"""Random array programs (tests/fuzz/gen_arrays.py: shapes, broadcasting, indexing, views, linalg)
through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar arrays --n 5000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 12_700_000
N = 60


def test_random_array_programs() -> None:
    check_grammar("arrays", N, SEED, "array programs", min_features=40)
