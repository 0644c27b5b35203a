"""Shared pytest options: ``--update-golden`` rewrites tests/golden/ from the current output;
``--fuzz-n N`` / ``--fuzz-seed S`` size and seed the random-program run in tests/fuzz/test_fuzz.py."""

from __future__ import annotations

import os
import sys
import tempfile

import pytest

from srcad.rules import load_all
from srcad.ssa import verify as _verify

# Verify mode: the IR is verified after every build stage (srcad/backend/driver.py), in this
# process and in the `python -m srcad` subprocesses the CLI tests start.
os.environ["SRCAD_VERIFY"] = "1"
_verify.enable()
# No disk cache under tests (never the user's real cache dir; tests/backend/test_disk_cache.py
# turns it on in a temporary directory), here and in the subprocesses tests start.
os.environ["SRCAD_NO_DISK_CACHE"] = "1"
# The subprocesses tests start (the CLI, a second process's disk cache, fresh imports) compile
# srcad's ~250 modules from source each time when PYTHONDONTWRITEBYTECODE is set (as .ci/run
# sets it): seconds per subprocess. They share compiled modules in a directory of this run
# instead (never next to the sources, which PYTHONDONTWRITEBYTECODE keeps clean).
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) and "PYTHONPYCACHEPREFIX" not in os.environ:
    _PYC = tempfile.TemporaryDirectory(prefix="srcad-tests-pyc-")
    os.environ["PYTHONPYCACHEPREFIX"] = _PYC.name
# Every rule family, the scipy ones too (registered on demand otherwise: import srcad does not
# import scipy; tests/rules/test_optional_families.py checks that path in a fresh process).
load_all()


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
        default=1000,
        help="number of random programs tests/fuzz/test_fuzz.py checks (default 1000)",
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


def _case_name(item: pytest.Item, case_type: type) -> str | None:
    """The corpus case a parametrized test runs on (a `case_type` parameter, or a driver
    `Request` whose id starts with the case's name), else None."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    for value in params.values():
        if isinstance(value, case_type):
            return value.name
    if "request_" in params:  # tests/ad/test_records.py: ids "<case>-<mode>"
        return item.callspec.id.rsplit("-", 1)[0]
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test of one corpus case runs right after the case's first test, in collection order:
    the transforms the forward, reverse, dot-product, tape, second-order and Hessian tests of a case
    share come from the in-memory cache (srcad.backend.cache, LRU) instead of being built again
    once thousands of other cases evicted them (the corpus tests built ~2x the transforms in file
    order). pytest-xdist's `--dist load` (pyproject's `-n auto`) sends consecutive tests to one
    worker in chunks, so a case's tests stay together there too."""
    corpus = sys.modules.get("tests.corpus")  # (imported by the collected tests, or none runs)
    if corpus is None:
        return
    groups: dict[object, list[pytest.Item]] = {}
    for k, item in enumerate(items):
        name = _case_name(item, corpus.Case)
        groups.setdefault(k if name is None else name, []).append(item)
    items[:] = [item for group in groups.values() for item in group]
