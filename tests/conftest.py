"""Shared pytest options: ``--update-golden`` rewrites tests/golden/ from the current output;
``--fuzz-n N`` / ``--fuzz-seed S`` size and seed the random-program run in tests/fuzz/test_fuzz.py."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/golden/ instead of comparing against them",
    )
    parser.addoption(
        "--fuzz-n",
        type=int,
        default=2000,
        help="number of random programs tests/fuzz/test_fuzz.py checks (default 2000)",
    )
    parser.addoption(
        "--fuzz-seed",
        type=int,
        default=0,
        help="first seed of the random programs in tests/fuzz/test_fuzz.py (default 0)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when pytest runs with --update-golden."""
    return bool(request.config.getoption("--update-golden"))
