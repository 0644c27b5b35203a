"""The wild46 grammar (tests/fuzz/gen_wild_46.py: session 45's features mixed with older ones in
random programs: ``copy.copy``/``copy.deepcopy`` of objects built here (the original or the copy
written after, snapshots in loops, a class with its own ``__deepcopy__``), dict comprehensions
of objects written through ``objs[k].v``, nested defs writing an enclosing object's fields,
``next(g)`` then the rest (late binding), bound methods in lists of functions, ``super().prop``,
exact-class method picks, ``permutations`` without ``r``, a ``Counter``, unused ops that may
raise, a factor's cotangent from the product, even functions of magnitudes at 0) through the
same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild46 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 46_460_000
N = 16


def test_random_wild46_programs() -> None:
    check_grammar("wild46", N, SEED, "wild46 programs", min_features=30, min_ok=0.4)
