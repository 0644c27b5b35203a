"""Random programs at second order: `srcad.hvp` against central differences of srcad's gradient,
the gradient it returns, symmetry of the Hessian, effects on arguments and globals (oracle2.py).

A small in-suite run (programs from seed `SEED`, apart from test_fuzz.py's seeds); a program whose
first-order check fails is test_fuzz.py's business and is not judged here. Long campaigns:
``python -m tests.fuzz --n 4000 --order 2 --jobs 2``.
"""

from __future__ import annotations

import pytest

from . import runner

SEED = 500_000
N = 150


def test_second_order_random_programs() -> None:
    rep = runner.run(N, SEED, order=2)
    second = rep.second
    assert second is not None
    if second.failures:
        pytest.fail(
            f"{len(second.failures)} of {second.n} random programs went wrong at second order:\n\n"
            + "\n".join(f.describe() for f in second.failures[:5]),
            pytrace=False,
        )
    # the run must actually check Hessians, not only refuse or skip them
    assert second.status["ok"] >= N // 10, second.text(0)
