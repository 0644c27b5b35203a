"""The wild generator drawing mostly its session-33 forms (tests/fuzz/gen_wild_33.py and
gen_wild_33c.py: ``zip``/``enumerate`` loops appending to list accumulators then ``np.stack`` /
``sum``, comprehensions with conditions over array elements, ``np.concatenate``/``np.stack`` of
computed pieces then indexed, ``cumsum``/``cumprod``/``diff`` chains, ``axis``/``keepdims``
reductions broadcast back, slices with computed bounds in loops, in-place updates of slices of a
2-D array in loops, helpers returning tuples and dicts unpacked by the caller, nested helpers
calling each other with keywords and defaults, ``while`` loops with float conditions, ``max``/
``min``/``abs`` on floats) through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild33 --n 2000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 33_390_000
N = 16


def test_random_wild33_programs() -> None:
    check_grammar("wild33", N, SEED, "wild33 programs", min_features=40, min_ok=0.3)
