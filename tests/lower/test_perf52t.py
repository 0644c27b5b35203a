"""perf52t: work the lowering no longer repeats. `scope.exposed` walks a statement list once per
lowering whatever names its callers have bound (a loop body is asked with the names bound around
it, by its carries and by its next round: each a walk before); every lowering shares one `Loc`
per source position. The answers are those of the walk per bound names (kept here as
`_reference`, the algorithm before)."""

from __future__ import annotations

import gast
import numpy as np

import srcad
from srcad.lower import scope
from srcad.lower.lower import lower_function
from srcad.ssa.core import walk_ops

_PROGRAM = """
def f(x, n):
    s = 0.0
    for i in range(n):
        if i > 2:
            t = x * s
        else:
            t = x
            u = t + 1.0
        s = s + t
        while s > 10.0:
            s = s / q
            q = s
    def g(a):
        return a * s + h
    for k in range(3):
        w = v
        v = k
    else:
        z = w
    return g(s) + y
"""


def _reference(stmts, bound=frozenset()):
    """The walk before perf52t (scope.py at c1c20ca4), with `bound` threaded through."""

    def walk(stmts, bound, out):
        for s in stmts:
            if isinstance(s, gast.If):
                out |= scope.reads([s.test]) - bound
                b1 = walk(s.body, set(bound), out)
                b2 = walk(s.orelse, set(bound), out)
                bound = b1 & b2
            elif isinstance(s, (gast.For, gast.While)):
                head = [s.iter] if isinstance(s, gast.For) else [s.test]
                out |= scope.reads(head) - bound
                inner = set(bound)
                if isinstance(s, gast.For):
                    scope._target_names(s.target, inner)
                out |= _reference(s.body, frozenset(inner))
                out |= _reference(s.orelse, frozenset(bound))
            elif isinstance(s, gast.FunctionDef):
                out |= scope.reads(s.body) - bound - {a.id for a in s.args.args} - {s.name}
                bound.add(s.name)
            else:
                out |= scope.reads([s]) - bound
                scope._assigned_stmt(s, bound)
        return bound

    out: set = set()
    walk(stmts, set(bound), out)
    return out


def _lists(tree):
    for node in gast.walk(tree):
        for field in ("body", "orelse"):
            v = getattr(node, field, None)
            if isinstance(v, list) and v and isinstance(v[0], gast.stmt):
                yield v


def test_exposed_answers_as_the_walk_per_bound():
    tree = gast.parse(_PROGRAM)
    for stmts in _lists(tree):
        names = sorted(scope.reads(stmts))
        for bound in (frozenset(), frozenset(names[:1]), frozenset(names[::2]), frozenset(names)):
            assert scope.exposed(stmts, bound) == _reference(stmts, bound), (stmts[0].lineno, bound)
        for s in stmts:
            assert scope.exposed_stmt(s) == _reference([s]), s.lineno


def test_a_body_asked_with_other_bound_names_is_not_walked_again(monkeypatch):
    tree = gast.parse(_PROGRAM)
    loop = tree.body[0].body[1]  # `for i in range(n)`
    with scope.caching():
        first = scope.exposed(loop.body, frozenset({"s"}))
        calls = []
        real = scope._assigned_stmt
        monkeypatch.setattr(scope, "_assigned_stmt", lambda s, out: calls.append(s) or real(s, out))
        again = scope.exposed(loop.body, frozenset({"x"}))
        assert calls == []  # (the walk before: one call per simple statement of the body)
    assert first == _reference(loop.body, frozenset({"s"}))
    assert again == _reference(loop.body, frozenset({"x"}))


def _simple(x):
    y = np.sin(x) * 2.0
    return np.sum(y * y)


def test_lowerings_share_one_loc_per_position():
    a, b = lower_function(_simple), lower_function(_simple)
    locs_a = [op.loc for op in walk_ops(a.body) if op.loc is not None]
    locs_b = [op.loc for op in walk_ops(b.body) if op.loc is not None]
    assert locs_a and len(locs_a) == len(locs_b)
    assert all(p is q for p, q in zip(locs_a, locs_b))
    x = np.array([0.3, -1.2, 2.0])
    g = srcad.grad(_simple)(x)
    assert np.allclose(g, 8.0 * np.sin(x) * np.cos(x))
