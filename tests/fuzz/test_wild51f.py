"""The wild51f grammar (tests/fuzz/gen_wild_51f.py: session 50's first-order code mixed with
older features in random programs: matrix products whose other operand holds an inf or a huge
entry in a row or column no read reaches (1-D @ 2-D, 2-D @ 1-D, batched, ``np.dot``, transposed,
sliced, float32, int data, accumulated in loops of two shapes); helpers updating a fresh
temporary; item writes in ``try`` bodies and under ``np.errstate``; ``del d[k]``/``pop`` then
reads; repeated lists read in ``try``; ``lfilter`` along axis 0 with ``zi``) through the same
oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild51f --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 51_500_920
N = 16


def test_random_wild51f_programs() -> None:
    check_grammar("wild51f", N, SEED, "wild51f programs", min_features=25, min_ok=0.3)
