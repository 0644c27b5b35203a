"""`default_registry` loads an optional rule family (`srcad.rules.OPTIONAL`) when one of its
modules has been imported, and otherwise costs one test: a program that imported scipy but not
the modules of the families still pending asked `_load` to scan them on each of the hundreds of
calls a transform makes (1% of a transform's instructions)."""

from __future__ import annotations

import sys
import types

import pytest

import srcad.rules as rules


@pytest.fixture
def fake_family(monkeypatch: pytest.MonkeyPatch) -> list:
    """One pending family waiting for an unimported module; the `_load` calls recorded."""
    pytest.importorskip("scipy")  # (the registry looks at pending families once scipy is in)
    pending = [("fam_perf43t", ("srcad_perf43t_missing",))]
    monkeypatch.setattr(rules, "_pending", pending)
    monkeypatch.setattr(rules, "_waiting", frozenset({"srcad_perf43t_missing"}), raising=False)
    calls: list = []

    def load(reg: object, wanted: object) -> None:  # each call: what it would load (nothing)
        calls.append([e for e in pending if wanted(e[1])])  # type: ignore[operator]

    monkeypatch.setattr(rules, "_load", load)
    return calls


def test_nothing_wanted_no_scan(fake_family: list, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(3):
        rules.default_registry()
    assert fake_family == []
    monkeypatch.setitem(sys.modules, "srcad_perf43t_missing", types.ModuleType("m"))
    rules.default_registry()
    assert fake_family == [[("fam_perf43t", ("srcad_perf43t_missing",))]]


def test_waiting_follows_the_pending_families() -> None:
    pending = [("a", ("x.y", "z")), ("b", ("z", "w"))]
    assert rules._waiting_for(pending) == {"x.y", "z", "w"}
    assert rules._waiting == rules._waiting_for(rules._pending)
