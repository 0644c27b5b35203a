"""The wild generator drawing mostly its session-37 forms (tests/fuzz/gen_wild_37.py and
gen_wild_37c.py: features the other grammars draw apart, combined: nested helpers with defaults
and keyword arguments called in loops, recursion with a depth parameter, closures over loop
variables, ``while`` loops with data-dependent exits writing elements and slices, dicts and
lists of arrays updated in loops, comprehensions over ``zip``/``enumerate``/``reversed``/
``sorted``, NumPy ``axis``/``keepdims``/``where``/``out``, broadcasting and masks, ties on
purpose, objects and dataclasses updating their fields) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild37 --n 2000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 37_390_000
N = 16


def test_random_wild37_programs() -> None:
    check_grammar("wild37", N, SEED, "wild37 programs", min_features=40, min_ok=0.3)
