"""Random chains of NumPy calls with their argument variants (tests/fuzz/gen_api.py: axes,
keepdims, ord, ddof, nan-reductions, fancy writes, einsum subscripts, pad modes, linalg) through
the same oracle as test_fuzz.py, at first and second order.

A small fixed-seed run (`N` programs from `SEED`, apart from the other runs' seeds). Long
campaigns: ``python -m tests.fuzz --grammar api --n 5000 [--order 2]``.
"""

from __future__ import annotations

import pytest

from . import runner

SEED = 17_790_000
N = 40


def test_random_numpy_api_programs() -> None:
    rep = runner.run(N, SEED, order=2, grammar="api")
    bad = rep.failures + (rep.second.failures if rep.second is not None else [])
    if bad:
        pytest.fail(
            f"{len(bad)} of {N} random NumPy-API programs went wrong:\n\n"
            + "\n".join(f.describe() for f in bad[:5]),
            pytrace=False,
        )
    # generator health: programs run in plain Python, most are differentiated, and the
    # second-order check really runs
    assert rep.status["invalid"] <= N // 20, rep.text(0)
    assert rep.status["ok"] >= N // 2, rep.text(0)
    assert rep.second is not None and rep.second.status["ok"] >= N // 4, rep.text(0)
    assert len(rep.features) >= 60, rep.text(0)
