"""The registry makes a record when it is first read (srcad/ad/rules.py, `Registry`): a process
pays for the records its programs use, not for the ~2500 the rule families declare. A record
made late must be the record made at once: every definition and declaration of its name
applied in order, the same errors raised (when the record is read, except a rule defined twice,
an error at once), and one record per name when threads read it together. The registry as a
whole is checked against its definitions by test_records.py and the rule-case tables."""

from __future__ import annotations

import sys
import threading

import pytest

from srcad.ad.rules import Registry, RuleTable


def _tables() -> tuple[Registry, RuleTable, RuleTable]:
    reg = Registry(default=lambda name: {"pure": name.startswith("numpy.")})
    return reg, reg.table("jvp"), reg.table("vjp")


def test_a_record_is_made_when_read_with_everything_said_about_it() -> None:
    reg, jvp, vjp = _tables()
    jvp.defjvp("numpy.sin", "x", x="dx * np.cos(x)")
    reg.declare(["numpy.sin"], elementwise=True)
    vjp.defvjp("numpy.sin", "x", x="g * np.cos(x)")
    reg.declare(["numpy.sin"], pure=False)  # later declarations win
    assert reg.declared("numpy.sin") and reg.zero_rules() == []
    rec = reg.get("numpy.sin")
    assert rec.jvp.terms == {"x": "dx * np.cos(x)"} and rec.vjp.terms == {"x": "g * np.cos(x)"}
    assert rec.elementwise and not rec.pure
    assert reg.lookup("numpy.sin") is rec and jvp.get("numpy.sin") is rec.jvp
    reg.declare(["numpy.sin"], container=True)  # a made record: applied at once
    assert rec.container


def test_undeclared_names_get_defaults_and_a_later_definition_replaces_them() -> None:
    reg, jvp, _ = _tables()
    implicit = reg.get("numpy.cos")
    assert implicit.pure and implicit.jvp is None and not reg.declared("numpy.cos")
    assert reg.lookup("numpy.cos") is None and jvp.get("numpy.cos") is None
    jvp.defzero("numpy.cos", "x")
    assert reg.zero_rules() == ["numpy.cos"]
    rec = reg.get("numpy.cos")
    assert rec is not implicit and rec.jvp.zero and rec.pure


def test_errors_of_a_definition() -> None:
    reg, jvp, vjp = _tables()
    jvp.defjvp("f", "x", x="dx")
    with pytest.raises(ValueError, match="defined twice"):
        jvp.defjvp("f", "x", x="2 * dx")  # at once
    vjp.defvjp("h", "x, g", x="g")  # `g` is the cotangent's name
    with pytest.raises(ValueError, match="reserved"):
        reg.get("h")  # when read
    vjp.defvjp("k", "x", y="g")
    with pytest.raises(ValueError, match="unknown parameters"):
        vjp.get("k")
    with pytest.raises(ValueError, match="unknown facts"):
        reg.declare(["f"], shiny=True)


def test_iterating_makes_every_record() -> None:
    reg, jvp, vjp = _tables()
    for name in ("c", "a", "b"):
        jvp.defjvp(name, "x", x="dx")
    vjp.defvjp("a", "x", x="g")
    assert [r.name for r in reg] == ["a", "b", "c"]
    assert [r.prim for r in vjp] == ["a"] and jvp.names() == ["a", "b", "c"]


def _read(reg: Registry, start: threading.Barrier, out: list) -> None:
    start.wait()
    out.extend(reg.get(f"p{k}") for k in range(200))


def test_threads_reading_a_pending_record_get_the_same_one() -> None:
    # (a thread switch every microsecond: the reader between `_records` and `_pending` was seen
    # rarely with the default interval, on CI's Python 3.10; about 10 of 300 rounds with this one)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        _read_pending_in_threads()
    finally:
        sys.setswitchinterval(interval)


def _read_pending_in_threads() -> None:
    for _ in range(200):
        reg, jvp, _ = _tables()
        for k in range(200):
            jvp.defjvp(f"p{k}", "x, y=None", x="dx")
        reg.declare([f"p{k}" for k in range(200)], elementwise=True)
        seen: list[list] = [[], []]
        start = threading.Barrier(2)

        threads = [threading.Thread(target=_read, args=(reg, start, s)) for s in seen]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(a is b for a, b in zip(*seen))
        assert all(r.jvp is not None and r.elementwise for r in seen[0])
