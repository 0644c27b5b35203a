"""Random user-style programs (tests/fuzz/gen_users.py: early returns, closures, comprehensions,
try/except, keepdims idioms, nested writes, packed arguments) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar users --n 5000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 15_190_000
N = 40


def test_random_user_style_programs() -> None:
    check_grammar("users", N, SEED, "user-style programs", min_features=40)
