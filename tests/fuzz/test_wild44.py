"""The wild44 grammar (tests/fuzz/gen_wild_44.py: session 43's features mixed with older ones in
random programs: n-body ``[pos, vel, m]`` lists shared by pairs, names and helpers and written in
place, PyTorch-style modules (``__call__(self, *args)`` forwarding to ``forward``, Sequential,
layers holding lambdas, ufuncs and bound methods), ``compose(*fs)`` and ``functools.reduce``,
``getattr`` with constant names, ``with`` on context managers and ``np.errstate``, ``except E as
e``, ``statistics``, einsum subscripts handed to a helper, ``sorted(set(..))``, dicts of arrays
updated in loops, data-dependent ``while`` exits, ``x[i] = v``, ``np.where`` masks, early
returns) through the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar wild44 --n 300 [--order 2]``.
"""

from __future__ import annotations

from .suite import check_grammar

SEED = 44_440_000
N = 16


def test_random_wild44_programs() -> None:
    check_grammar("wild44", N, SEED, "wild44 programs", min_features=30, min_ok=0.4)
