"""The wild generator drawing mostly its session-35 forms (tests/fuzz/gen_wild_35.py and
gen_wild_35c.py: Python-level scalar code mixed with arrays: ``math.*`` on elements, ``float()``
and ``int()`` conversions, ``x[i]`` reads in ``while`` loops with data-dependent exits, early
returns from nested loops, ``for``/``else`` with ``break``, list and dict accumulators, helpers
returning tuples, closures with default arguments, ``sorted(key=...)``,
``zip``/``enumerate``/``reversed``, conditional comprehensions, ``x[a:b] *= c``, ``np.where``
guards, ``keepdims`` reductions, Newton iterations in Python floats) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild35 --n 2000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 35_390_000
N = 16


def test_random_wild35_programs() -> None:
    check_grammar("wild35", N, SEED, "wild35 programs", min_features=40, min_ok=0.3)
