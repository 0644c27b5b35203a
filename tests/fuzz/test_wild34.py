"""The wild generator drawing mostly its session-34 forms (tests/fuzz/gen_wild_34.py and
gen_wild_34c.py: 2-D and 3-D arrays with ``axis=``/``keepdims=``, ``np.where``-guarded singular
operations, boolean masks as indices, factors and write targets, reductions with ``where=``,
``np.linalg`` on SPD matrices built in the program, ``einsum``/``tensordot``/``matmul`` chains,
in-place row updates in loops with ``break``/``continue``, helpers called in loops returning
arrays and tuples, small classes whose methods update array fields) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild34 --n 2000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 34_390_000
N = 16


def test_random_wild34_programs() -> None:
    check_grammar("wild34", N, SEED, "wild34 programs", min_features=40, min_ok=0.3)
