"""The wild45 grammar (tests/fuzz/gen_wild_45.py: session 44's features mixed with older ones in
random programs: a dict or list argument's items updated with ``op=`` (loops, helpers called
once or twice), ``f(v, **d)`` of run-time dicts (``**kw`` callees, keys chosen by data),
``getattr(obj, "_step_" + m)`` with run-time method names (a subclass overriding a step, a
module-level instance, the name chosen by data), ``itertools.combinations``/``permutations``
pair loops writing the items, ``with`` on managers letting the body's exception through or
swallowing it (refused), squares of magnitudes exactly at 0) through the same oracle as
test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild45 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 45_450_000
N = 16


def test_random_wild45_programs() -> None:
    check_grammar("wild45", N, SEED, "wild45 programs", min_features=30, min_ok=0.4)
