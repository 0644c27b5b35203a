"""The wild generator drawing mostly its session-30 forms (tests/fuzz/gen_wild_30.py: a class
updating its own fields in a loop, dicts of arrays from comprehensions updated in loops, `while`
with `break` in nested helpers, closures made in loops, `try`/`except`/`else`/`finally` around
differentiable code and helpers that raise, `np.linalg` on well-conditioned matrices) through the
same oracle as test_fuzz.py, at first and second order (with `srcad.hessian` and `jacrev`/`jacfwd`
of `grad` against H v: tests/fuzz/oracle3.py).

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild30 --n 2000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 30_390_000
N = 20


def test_random_wild30_programs() -> None:
    check_grammar("wild30", N, SEED, "wild30 programs", min_features=40, min_ok=0.3)
