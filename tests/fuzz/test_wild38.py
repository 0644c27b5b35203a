"""The typed expression grammar (tests/fuzz/gen_wild_38.py: programs drawn by the shapes their
expressions must have, over NumPy arrays of several shapes: broadcasting, axis reductions,
transposes and reshapes, stacking, slices with negative steps, fancy indices and constant masks,
``np.einsum`` with random subscripts, numerical idioms, writes through slices, views, ``out=``
and NumPy's in-place writers, loops of a fixed trip count) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild38 --n 2000 --size 20 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 38_390_000
N = 16


def test_random_wild38_programs() -> None:
    check_grammar("wild38", N, SEED, "wild38 programs", min_features=60, min_ok=0.3)
