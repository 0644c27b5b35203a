"""Random programs written apart from srcad's features (tests/fuzz/gen_wild.py: deep expression
trees over Python scalars, 0-d, float32, int and complex values with broadcasting, a wide list
of NumPy calls with random keywords, methods, every indexing form; walrus, unpacking, nested
functions, lambdas, `while`/`break`, `for ... else`, `try/except`, early returns, `match`)
through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild --n 5000 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 22_220_000
N = 40


def test_random_wild_programs() -> None:
    check_grammar("wild", N, SEED, "wild programs", min_features=60, min_ok=0.3)
