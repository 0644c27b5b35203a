"""The wild generator drawing mostly its session-32 forms (tests/fuzz/gen_wild_32.py and
gen_wild_32c.py: writes through views of a fresh matrix, ``np.add.at`` with repeated indices,
boolean-mask writes, float32 mixed with float64, ``x.T @ y`` and ``@=``, powers of negative bases,
``np.where`` over NaN-making branches, early ``return`` from nested loops, data-dependent
``while`` exits, state threaded through helpers, classes updating fields) through the same
oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild32 --n 2000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 32_390_000
N = 16


def test_random_wild32_programs() -> None:
    check_grammar("wild32", N, SEED, "wild32 programs", min_features=40, min_ok=0.3)
