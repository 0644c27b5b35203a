"""The wild43 grammar (tests/fuzz/gen_wild_43.py: session 42's features combined in random
programs: lists, tuples and dicts of objects rebuilt in loops, NamedTuple items with ``min``/
``sorted`` keys, an accumulator ``+=`` returning self, cached ``@property`` getters, ufuncs
handed to methods, generators in comprehensions with ``enumerate(zip(..))``/``islice``,
``**opts``, ``for k in params: params[k] = ...`` on a dict argument, ``isinstance`` of float,
``np.float64`` and 0-d arguments, NaN entries never read through gathers and products, with
loops that break, branches on data and early returns) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild43 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 43_430_000
N = 16


def test_random_wild43_programs() -> None:
    check_grammar("wild43", N, SEED, "wild43 programs", min_features=30, min_ok=0.5)
