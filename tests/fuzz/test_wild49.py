"""The wild49 grammar (tests/fuzz/gen_wild_49.py: session 48's features mixed with older ones in
random programs: C-style ``A[i][j]`` element loops, roots of variances (a user class's own
``var`` and ``std`` too), convergence loops whose test reaches the result or not, values reaching
the result through dicts, fields, closure cells and generators, ``lfilter`` with ``zi``,
``lfilter_zi``, ``filtfilt``, plain nested cached functions, loops under
``np.errstate(all="raise")``, magnitudes in input-independent branches, lists read past their
end in ``try``) through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild49 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 49_490_000
N = 16


def test_random_wild49_programs() -> None:
    check_grammar("wild49", N, SEED, "wild49 programs", min_features=30, min_ok=0.4)
