"""The wild48 grammar (tests/fuzz/gen_wild_48.py: session 47's features mixed with older ones in
random programs: nested ``@functools.lru_cache`` functions, iterator classes, ``as_strided``
windows, loop-carried lists rebound as slices, rows gathered then updated in place, loop-invariant
index ops, modules, dual numbers, dataclass trees and namedtuples made inside the function,
``next(g, d)``, ``max(.., default=)``, ``starmap``, ``combinations`` over displays, ``ExitStack``,
dicts of numbers updated by 0-d arrays, ``astype(copy=False)``, ``np.errstate`` around loops, even
functions of magnitudes and loop sums of squares at 0) through the same oracle as test_fuzz.py,
at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild48 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 48_480_000
N = 16


def test_random_wild48_programs() -> None:
    check_grammar("wild48", N, SEED, "wild48 programs", min_features=30, min_ok=0.4)
