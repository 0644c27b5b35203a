"""The names a statement surely rebinds: what a name's liveness before it excludes.

Input: one statement. Output: the local names it binds on every path that reaches the next
statement (`kills`), for `lower/stmts.StmtLowerer.stmts`' backward scan of what each statement
leaves live: a name rebound before its next read is dead in between, so a nested def bound on
one path of an ``if`` and another value on the other is not refused when the name is rebound
before it is read again::

    if c:
        def g(v): ...          # g: a function here,
    else:
        g = 3.0                # a number here: dead after the join,
    def g(v): ...              # since this binds it before the read below
    return g(x)

A compound statement (``if``/``for``/``while``) adds to the liveness only the names it may
read before binding them itself (`scope.exposed`): a later loop that defines `g` in its body
before calling it does not keep an earlier `g` live. `scope.next_round` (the live-out of a
loop body: what the next iteration may read before binding it, not every name the body reads)
makes a def each iteration binds before calling it dead at the body's end the same way.

Only plain bindings count: ``n = ...`` / ``a, b = ...`` (names, not items or fields), ``n: T =
v``, ``def`` / ``class``, ``import``. Statements that may leave the block (`scope.may_exit`)
and the names nested functions read when called are the caller's to handle (stmts.py).
"""

from __future__ import annotations

import gast

COMPOUND = (gast.If, gast.For, gast.While)  # (`stmts` adds only what they may read first)


def kills(s: gast.stmt) -> frozenset[str]:
    """The names `s` binds whenever it completes (module docstring)."""
    t = type(s)
    if t is gast.Assign:
        out: set[str] = set()
        for target in s.targets:
            if not _names(target, out):
                return frozenset()  # (an item or field target: keep it simple, bind nothing)
        return frozenset(out)
    if t is gast.AnnAssign and s.value is not None and type(s.target) is gast.Name:
        return frozenset((s.target.id,))
    if t is gast.FunctionDef or t is gast.ClassDef:
        return frozenset((s.name,))
    if t is gast.Import or t is gast.ImportFrom:
        return frozenset((a.asname or a.name).split(".")[0] for a in s.names if a.name != "*")
    return frozenset()


def _names(t: gast.AST, out: set[str]) -> bool:
    """Adds the names of the target `t` to `out`; False when it is not made of names only."""
    if type(t) is gast.Name:
        out.add(t.id)
        return True
    if type(t) in (gast.Tuple, gast.List):
        return all(_names(e, out) for e in t.elts)
    if type(t) is gast.Starred:
        return _names(t.value, out)
    return False
