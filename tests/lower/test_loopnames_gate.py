"""lower/loopnames.candidate, the text gate of the display-loop unrolling, holds for every
``for`` statement the unrolling may change: a statement's ``for`` starts its line, so the gate
reads only line starts (a comprehension's ``for b in (0.0, 0.5)`` mid-line no longer sends a
function through the rewrite, which visits statements only). Checked against the gate it
replaced on every ``for`` statement of srcad's and the tests' sources, on a table, and end to
end on a loop the rewrite needs."""

from __future__ import annotations

import ast
import pathlib
import re

import numpy as np
import pytest

from srcad.lower import loopnames
from srcad.testing import check_grads

ROOT = pathlib.Path(__file__).resolve().parents[2]
# the gate before (any ``for`` of the text, a comprehension's too)
_OLD = re.compile(r"\bfor\b[^\n]*\bin\s*(?:\[|\(|zip\(\s*[\[(])")


@pytest.mark.parametrize(
    "text, hit",
    [
        ("for p in [a, b]:\n    f(p)\n", True),
        ("    for p in (a, b):\n", True),
        ("\tfor p, g in zip([a, b], [c, d]):\n", True),
        ("if c:\n    for p in [a]:\n        pass\n", True),
        ("  for p in (\n      a, b):\n", True),
        ("x = [a for b in (0.0, 0.5)]\n", False),
        ("x = sum(\n    a for b in [1, 2])\n", False),  # (continued: still a comprehension)
        ("for p in range(3):\n", False),
        ("for p in zip(a, b):\n", False),
        ("s = 'for p in [a]'\n", False),
    ],
)
def test_table(text, hit):
    assert loopnames.candidate(text) == hit


def test_every_for_statement_the_old_gate_took():
    files = sorted((ROOT / "srcad").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    seen = 0
    for path in files:
        text = path.read_text()
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        lines = text.splitlines(True)
        for n in ast.walk(tree):
            if not isinstance(n, ast.For):
                continue
            end = n.body[0].lineno - 1 if n.body[0].lineno > n.lineno else n.lineno
            head = "".join(lines[n.lineno - 1 : end])
            if _OLD.search(head[n.col_offset :]) is None:
                continue
            seen += 1
            assert loopnames.candidate(head), f"{path}:{n.lineno}"
    assert seen > 20


def clip_each(x):
    a = x * 1.0
    b = x * 2.0
    for p in [a, b]:
        np.clip(p, -1.0, 1.0, out=p)
    s = sum([np.sum(q) for q in (a, b)])  # (a comprehension too: the statement decides)
    return s + np.sum(a * b)


def test_display_loop_still_unrolled():
    x = np.array([0.3, -0.2, 0.45])
    check_grads(clip_each, (x,), modes=("fwd", "rev"))
