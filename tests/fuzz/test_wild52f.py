"""The wild52f grammar (tests/fuzz/gen_wild_52f.py: session 51's first-order code mixed with
older features in random programs: functions chosen by a run-time condition (chains, in loops
with ``break``/``continue``, in a ``while``, rebound in one branch, methods of an object, a
closure, passed to a helper); helpers' results masked by NaN-skipping reductions (twice, nested,
with a loop); infinities written in helpers (fills, ``np.full``, ``a[mask] = np.inf``, through
tuples and dicts); products with an infinite operand (2-D @ 1-D, batched, ``np.dot``,
``einsum``, ``np.outer``, in a loop); element writes, repeated lists of NumPy/bool/len counts,
``del`` then reads, ``next`` past the end) through the same oracle as test_fuzz.py, at first
and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild52f --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 52_520_640
N = 16


def test_random_wild52f_programs() -> None:
    check_grammar("wild52f", N, SEED, "wild52f programs", min_features=25, min_ok=0.3)
