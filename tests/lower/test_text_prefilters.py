"""The lowering's text prefilters (lower/lower.py) answer what their regexes answer.

`chained_text(text)` is `_CHAINED.search(text) is not None` (``p = q = v``: lower/chained.py
runs when it holds) on every source file of srcad and the tests, cut into pieces at every line,
on a table of near misses (``==``, ``<=``, keyword arguments, a chain across lines, Unicode
words and spaces) and on random strings of the characters that decide it. The decorator test
(`_DECORATED`) runs only on text holding an ``@``, which every match holds: lower/decorators.py
is still asked for a function with a decorated nested ``def``. A chained assignment the
mutation check refuses without lower/chained.py's rewrite is still differentiated.
"""

from __future__ import annotations

import pathlib
import random

import numpy as np
import pytest

import srcad
from srcad.lower import decorators
from srcad.lower.lower import _CHAINED, chained_text, lower_function

ROOT = pathlib.Path(__file__).resolve().parents[2]

CASES = [
    "",
    "=",
    "a = b = c",
    "a=b=c",
    "p = q = np.zeros(3)\n",
    "a = b == c",
    "a == b = c",
    "x == y = z = 1",
    "a <= b = c",
    "a = b <= c",
    "a = b\n= c",
    "a =\n b =\n c",
    "f(x=a, y=b)",
    "f(x=a)=b",
    "x = y\nz = 3\n",
    "x = 1\n",
    " = b = c",
    "(a) = b = c",
    "_ = _ = 1",
    "é = ü = 1",
    "a\u2003=\u2003b\u2003=\u20031",
    "a\u00a0= b = c",
    "a = b =",
    "a = b ==",
    "a = b =\n=",
    "a = b = = c",
    "a = 1.5 = c",
    "a = 1e5 = c",
    "a.x = b = c",
    "a[0] = b = c",
    "a = b.x = c",
    "a += b = c",
    "a = b += c",
    "a = (b) = c",
    "#a = b = c",
    "'a = b = c'",
    "a = b; c = d",
    "a = b\t=\tc",
    "a = b\r\n= c",
    "a = b\x0c= c",
    "٣ = ٤ = 1",
    "a != b = c",
]


def _same(text: str) -> None:
    assert chained_text(text) == (_CHAINED.search(text) is not None), repr(text)


@pytest.mark.parametrize("text", CASES)
def test_table(text):
    _same(text)


def test_table_has_both_answers():
    answers = {chained_text(t) for t in CASES}
    assert answers == {True, False}


def test_source_files():
    files = sorted((ROOT / "srcad").rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))
    assert len(files) > 100
    hits = 0
    for path in files:
        text = path.read_text()
        _same(text)
        lines = text.splitlines(keepends=True)
        for i in range(0, len(lines), 7):  # every piece starting at every 7th line, 12 lines
            _same("".join(lines[i : i + 12]))
            hits += chained_text("".join(lines[i : i + 12]))
    assert hits > 10  # (chains occur: both answers compared)


def test_random_strings():
    rng = random.Random(27)
    alphabet = "ab_1 =\n\t=<>!=.()é\u2003٣,#"
    for _ in range(20000):
        _same("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 14))))


def decorated_inner(x):
    def twice(g):
        return lambda y: 2.0 * g(y)

    @twice
    def h(y):
        return np.sin(y) * y

    return np.sum(h(x))


def matmul_only(x):
    return np.sum(x @ x)


def chained_copies(x):
    p = q = np.zeros(3)
    p[1] = x[0]
    q += x
    p = p * q
    return np.sum(p)


def test_rewrites_still_run():
    """The prefiltered rewrites still happen where their text occurs: a decorated nested `def`
    (lower/decorators.py) and a chained assignment (lower/chained.py)."""
    x = np.array([0.3, -1.2, 0.7])
    g = srcad.grad(decorated_inner)(x)
    np.testing.assert_allclose(g, 2.0 * (np.cos(x) * x + np.sin(x)))
    g = srcad.grad(chained_copies)(x)  # (refused without the rewrite: `p` read stale)
    s = x[0] + x[1]
    np.testing.assert_allclose(g, [2.0 * x[0] + 2.0 * s, 2.0 * s, 2.0 * x[2]])


def test_decorator_rewrite_runs(monkeypatch):
    """lower/decorators.rewrite is asked for a function with a decorator line, not for one
    with ``@`` as matrix product only or none."""
    seen = []
    real = decorators.rewrite

    def spy(node, ns):
        seen.append(node.name)
        return real(node, ns)

    monkeypatch.setattr(decorators, "rewrite", spy)
    for f in (decorated_inner, matmul_only, chained_copies):
        lower_function(f)
    assert seen == ["decorated_inner"]
