"""The wild50f grammar (tests/fuzz/gen_wild_50f.py: session 49's lowering and alias code mixed
with older features in random programs: nested lists written at depth 2 and 3 with rows stored
once, shared, appended to two lists, copied, swapped, rebound or written at negative indices or
through a helper; ``A[i][j][k]`` of 3-D arrays; list lengths through pop/remove/insert/del/slice
assignment; ``functools.partial``/operator getters handed to helpers; star calls over pairs;
``next(g, d)`` inside expressions; ``np.errstate`` kept; slices keeping rank in accumulating
loops; ``srcad.grad`` called inside) through the same oracle as test_fuzz.py, at first and
second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild50f --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 50_500_900
N = 16


def test_random_wild50f_programs() -> None:
    check_grammar("wild50f", N, SEED, "wild50f programs", min_features=25, min_ok=0.3)
