"""The in-suite check of one fuzz grammar (tests/fuzz/test_arrays.py, test_users.py, test_api.py):
`n` programs from `seed` at first and second order; no program may go wrong, and the generator
must stay healthy (programs valid in plain Python, a fraction `min_ok` of them differentiated,
the second-order check run, `min_features` features generated)."""

from __future__ import annotations

import pytest

from . import runner


def check_grammar(
    grammar: str, n: int, seed: int, what: str, min_features: int, min_ok: float = 0.5
) -> None:
    rep = runner.run(n, seed, order=2, grammar=grammar)
    bad = rep.failures + (rep.second.failures if rep.second is not None else [])
    if bad:
        pytest.fail(
            f"{len(bad)} of {n} random {what} went wrong:\n\n"
            + "\n".join(f.describe() for f in bad[:5]),
            pytrace=False,
        )
    assert rep.status["invalid"] <= n // 20, rep.text(0)
    assert rep.status["ok"] >= n * min_ok, rep.text(0)
    assert rep.second is not None and rep.second.status["ok"] >= n // 4, rep.text(0)
    assert len(rep.features) >= min_features, rep.text(0)
