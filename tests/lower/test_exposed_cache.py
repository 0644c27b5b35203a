"""lower/scope.exposed is kept per statement list and bound names while a lowering runs
(perf35a): kept answers equal fresh ones on every loop body of the test corpus, asked in the
order the lowering asks (the list holding the loop first, then the body itself); a list changed
in place, or a tree changed under `forget`, is walked again.
"""

from __future__ import annotations

import gast

import srcad
from srcad.lower import scope
from srcad.lower.survey import survey
from tests.lower.test_prechecks import _functions, _tree


def _loops(root):
    return [n for n in gast.walk(root) if isinstance(n, (gast.For, gast.While))]


def _bound(lp) -> frozenset[str]:
    out: set[str] = set()
    if isinstance(lp, gast.For):
        scope._target_names(lp.target, out)
    return frozenset(out)


def test_kept_answers_equal_fresh_ones_on_the_corpus() -> None:
    seen = 0
    for f in _functions():
        try:
            root = _tree(f)
        except srcad.SrcadError:
            continue
        if not isinstance(root, gast.FunctionDef):
            continue
        loops = _loops(root)
        fresh = [scope.exposed(lp.body, _bound(lp)) for lp in loops]  # (no lowering: not kept)
        whole = scope.exposed(root.body)
        with scope.caching():
            survey(root)
            assert scope.exposed(root.body) == whole, f.__qualname__
            for _ in range(2):  # (the second time from the cache)
                for lp, want in zip(loops, fresh):
                    assert scope.exposed([lp]) >= want - _bound(lp)
                    assert scope.exposed(lp.body, _bound(lp)) == want, (f.__qualname__, lp.lineno)
                    seen += 1
    assert seen > 1000


def _parse(text: str) -> gast.For:
    return gast.parse(text).body[0]


def test_a_list_changed_in_place_is_walked_again() -> None:
    lp = _parse("for i in range(3):\n    y = x + i\n")
    with scope.caching():
        assert scope.exposed(lp.body, frozenset({"i"})) == {"x"}
        lp.body.append(_parse("for j in range(2):\n    z = w + y\n"))
        assert scope.exposed(lp.body, frozenset({"i"})) == {"x", "w", "range"}
        lp.body.insert(0, gast.parse("y = q").body[0])
        assert scope.exposed(lp.body, frozenset({"i"})) == {"x", "w", "q", "range"}


def test_other_bound_names_and_forget() -> None:
    lp = _parse("for i in range(3):\n    y = x + i\n    s = y + t\n")
    with scope.caching():
        assert scope.exposed(lp.body, frozenset({"i"})) == {"x", "t"}
        assert scope.exposed(lp.body, frozenset({"i", "t"})) == {"x"}
        assert scope.exposed(lp.body) == {"x", "t", "i"}
        got = scope.exposed(lp.body, frozenset({"i"}))
        got.add("mutated")  # (the caller's own set: the kept one is not changed)
        assert scope.exposed(lp.body, frozenset({"i"})) == {"x", "t"}
        lp.body[0].value = gast.parse("u + i", mode="eval").body  # (a rewrite, then forget)
        scope.forget()
        assert scope.exposed(lp.body, frozenset({"i"})) == {"u", "t"}
