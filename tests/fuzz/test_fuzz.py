"""Random programs through srcad: primal round trip, JVP and gradient against central differences,
the dot-product test between JVP and VJP, side effects on arguments and globals, no crashes.

`pytest --fuzz-n 20000 --fuzz-seed 7` changes the number and seed of programs (defaults: 1000
programs from seed 0, in chunks of 100, deterministic). Features that hit open bugs are left out
of generation (`runner.KNOWN_OPEN`, with finding ids). On failure the test prints each failing
program's source, arguments and the discrepancy. `python -m tests.fuzz` runs long campaigns.
"""

from __future__ import annotations

import pytest

from . import runner

CHUNK = 100


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "fuzz_chunk" in metafunc.fixturenames:
        n = metafunc.config.getoption("--fuzz-n")
        seed = metafunc.config.getoption("--fuzz-seed")
        chunks = [(seed + s, min(CHUNK, n - s)) for s in range(0, n, CHUNK)]
        metafunc.parametrize("fuzz_chunk", chunks, ids=[f"seeds{s}+{k}" for s, k in chunks])


def test_random_programs(fuzz_chunk: tuple[int, int]) -> None:
    seed, n = fuzz_chunk
    rep = runner.run(n, seed)
    if rep.failures:
        pytest.fail(
            f"{len(rep.failures)} of {n} random programs went wrong:\n\n"
            + "\n".join(f.describe() for f in rep.failures[:5]),
            pytrace=False,
        )
    # generator health: plain Python must run (almost) every program
    assert rep.status["invalid"] <= n // 20, rep.text(0)


def test_hypothesis_programs() -> None:
    """The same generator driven by hypothesis, so a failure shrinks to a small program."""
    hypothesis = pytest.importorskip("hypothesis")
    import tempfile

    from hypothesis import strategies as st

    from .choice import HypRand
    from .gen import generate
    from .oracle import check

    known = frozenset(runner.KNOWN_OPEN)

    @st.composite
    def programs(draw):
        return generate(HypRand(draw), known)

    with tempfile.TemporaryDirectory() as tmp:

        @hypothesis.settings(
            max_examples=60,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(programs())
        def prop(p):
            o = check(p, tmp)
            if o.status in ("wrong", "crash") and not (known & (p.features | o.effects)):
                raise AssertionError(runner.Failure(0, p, o).describe())

        prop()
    runner.clear_caches()
