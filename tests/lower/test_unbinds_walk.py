"""lower/unbound.unbinds_in walks statement lists only (perf35a): it finds the same names as a
walk of every node did (the ``del`` and ``except E as e`` at any depth of ``if``, loops and
their ``else``, ``with``, ``try`` (its handlers, ``else``, ``finally``), ``match`` cases; none in
a nested ``def``, lambda or class), on every function of the test corpus and on each of their
loops, and on hand-written nestings; and a loop whose ``del`` sits deep in such a nesting still
makes a later read raise UnboundLocalError.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import types

import gast
import numpy as np
import pytest

import srcad
from srcad.lower.unbound import unbinds, unbinds_in
from srcad.testing import check_grads
from tests.lower.test_prechecks import _functions, _tree

# ruff: noqa: F821, F841, B007, PLW2901


def _reference(stmts: list) -> frozenset[str]:
    """The walk of every node the lowering used before (session 34)."""
    out: set[str] = set()
    todo = list(stmts)
    while todo:
        x = todo.pop()
        if isinstance(x, (gast.FunctionDef, gast.Lambda, gast.ClassDef)):
            continue
        if isinstance(x, gast.Delete):
            out.update(t.id for t in x.targets if isinstance(t, gast.Name))
        elif isinstance(x, gast.ExceptHandler) and isinstance(x.name, gast.Name):
            out.add(x.name.id)
        todo.extend(gast.iter_child_nodes(x))
    return frozenset(out)


def _all_functions():
    yield from _functions()
    for name in ("test_unbound34", "test_try12", "test_refuse31"):  # (`del`, `except as`)
        mod = importlib.import_module(f"tests.soundness.{name}")
        for _, f in sorted(vars(mod).items()):
            if isinstance(f, types.FunctionType) and f.__module__ == mod.__name__:
                yield f


def _loops(root):
    return [n for n in gast.walk(root) if isinstance(n, (gast.For, gast.While))]


def test_the_corpus_functions_and_loops_unbind_the_same_names() -> None:
    seen = loops = found = 0
    for f in _all_functions():
        try:
            root = _tree(f)
        except srcad.SrcadError:
            continue
        if not isinstance(root, gast.FunctionDef):
            continue
        seen += 1
        want = _reference(root.body)
        assert unbinds_in(root.body) == want, f.__qualname__
        found += bool(want)
        for lp in _loops(root):
            loops += 1
            ref = _reference(list(lp.body) + list(lp.orelse))
            assert unbinds(lp) == ref, (f.__qualname__, lp.lineno)
    assert seen > 1000 and loops > 500 and found > 6, (seen, loops, found)


NESTINGS = [
    """
    for i in range(n):
        if c:
            del a
        else:
            while d:
                del b
            else:
                del c2
    """,
    """
    for i in range(n):
        with ctx() as w:
            try:
                pass
            except ValueError as e1:
                del f1
            else:
                del f2
            finally:
                del f3
    """,
    """
    for i in range(n):
        for j in range(m):
            pass
        else:
            try:
                pass
            except (KeyError, TypeError) as e2:
                pass
            except Exception:
                del f4
    """,
    """
    while k:
        match v:
            case 1:
                del g1
            case [x, *rest]:
                if x:
                    del g2
            case _:
                pass
    """,
    """
    for i in range(n):
        def inner():
            del h1
        class K:
            del h2
        fn = lambda: [z for z in range(3)]
        del a[0], b.c, (d)
        y = [q for q in range(3) if q]
    """,
]


@pytest.mark.parametrize("text", NESTINGS)
def test_hand_written_nestings(text: str) -> None:
    root = gast.parse(textwrap.dedent(text))
    assert unbinds_in(root.body) == _reference(root.body)
    for lp in _loops(root):
        assert unbinds(lp) == _reference(list(lp.body) + list(lp.orelse))
    assert unbinds_in(root.body)  # (each has one)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11+")
def test_except_star() -> None:
    text = (
        "for i in range(n):\n    try:\n        pass\n    except* ValueError as eg:\n        del u\n"
    )
    root = gast.parse(text)
    assert unbinds(root.body[0]) == _reference(root.body[0].body) == {"eg", "u"}


def deleted_deep_in_a_loop(x, n):
    y = x * 2.0
    s = x
    for i in range(n):
        s = s + y * 1.0
        with np.errstate(all="ignore"):
            if i >= 1:
                try:
                    s = s * 1.0
                finally:
                    del y
    return np.sum(s)


def test_a_deep_del_still_unbinds_the_name() -> None:
    x = np.array([1.0, 2.0])
    for n in (1, 2):
        check_grads(deleted_deep_in_a_loop, (x, n), wrt=0)
        assert np.allclose(srcad.grad(deleted_deep_in_a_loop)(x, n), 1.0 + 2.0 * n)
    with pytest.raises(UnboundLocalError):
        deleted_deep_in_a_loop(x, 3)
    with pytest.raises(UnboundLocalError):
        srcad.grad(deleted_deep_in_a_loop)(x, 3)
