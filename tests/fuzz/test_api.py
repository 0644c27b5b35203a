"""Random chains of NumPy calls with their argument variants (tests/fuzz/gen_api.py: axes,
keepdims, ord, ddof, nan-reductions, fancy writes, einsum subscripts, pad modes, linalg) through
the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar api --n 5000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 17_790_000
N = 40


def test_random_numpy_api_programs() -> None:
    check_grammar("api", N, SEED, "NumPy-API programs", min_features=60)
