"""The reverse sweep's tapes are lists carried through the forward loop with functional appends
(so the gradient's IR is a pure program, differentiable again); the in-place pass must turn every
one of them into a real ``tape.append`` — an unmarked append would copy the tape per iteration.
"""

from __future__ import annotations

import re

import pytest

import srcad
from srcad.errors import SrcadError
from tests.corpus import ALL_CASES

LOOPS = [c for c in ALL_CASES if c.diff and "rev" not in c.xfail]
COPIED = re.compile(r"\btape\w* = tape\w* \+ \[")


@pytest.mark.parametrize("case", LOOPS, ids=lambda c: c.name)
def test_every_tape_append_is_in_place(case) -> None:
    try:
        src = srcad.source(case.fn, mode="vjp", wrt=case.diff, args=case.args)
    except SrcadError:
        return
    assert not COPIED.search(src), src
    if "tape" in src:
        assert ".append(" in src


def test_tapes_exist_in_the_corpus() -> None:
    with_tapes = 0
    for case in LOOPS:
        try:
            src = srcad.source(case.fn, mode="vjp", wrt=case.diff, args=case.args)
        except SrcadError:
            continue
        with_tapes += "tape.append(" in src
        if with_tapes >= 10:
            break  # (transforming the whole corpus took a minute under load)
    assert with_tapes >= 10
