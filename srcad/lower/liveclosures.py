"""The names a function's nested functions may still read when called: live to its end.

Input: a function's statements and the functions and lambdas nested in it (lower/survey.py's
`nested`). Output: the names the nested functions that may ever be called read from the
function's scope (lower/lower.py passes them as the body's `live_out`: a closure reads a
variable when it is called, not when it is defined).

A nested function that can never be called reads nothing: a ``def g`` or ``q = lambda ...``
statement whose name nothing else in the function reads (``if c: ... else: def g(t): ...;
q = lambda t: g(t)`` with neither `g` nor `q` read again). Such a dead closure kept the names
it reads live at every join, so a name bound to a function on one path only (`g`) was refused
("names a function or module on one path and something else on another") though nothing
reads it after the join. Only a ``def`` statement without decorators and an ``Assign`` of a
lambda to one plain name count as named; every other nested function or lambda (an argument,
a default, a method of a class, a walrus, a name declared `global`/`nonlocal`) is taken as
callable, and a function reading ``locals``/``vars``/``eval``/``exec`` keeps them all.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import scope

_REFLECT = frozenset({"locals", "vars", "eval", "exec", "globals"})
_FNS = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda)


def closure_reads(stmts: list[Any], nested: list[Any]) -> set[str]:
    """The names the callable nested functions of this body read (module docstring)."""
    if not nested:  # (no nested function: no named one either, the walk below finds none)
        return set()
    names: dict[int, str] = {}
    _named(stmts, names)
    if not names:
        return _reads_of(nested)
    roots: set[str] = set()
    for s in stmts:
        _root_reads(s, names, roots)
    if roots & _REFLECT:
        return _reads_of(nested)
    live: list[Any] = []
    pending = list(nested)
    changed = True
    while changed:
        changed = False
        rest = []
        for g in pending:
            n = names.get(id(g))
            if n is None or n in roots:
                live.append(g)
                roots |= scope.reads([g]) - {n}
                changed = True
            else:
                rest.append(g)
        pending = rest
    return _reads_of(live)


def _reads_of(fns: list[Any]) -> set[str]:
    # (a recursive def's read of its own name is not one: it runs after the def binds it)
    return set().union(*(scope.reads([g]) - {getattr(g, "name", "")} for g in fns))


def _named(stmts: list[Any], out: dict[int, str]) -> None:
    """`def g` statements (no decorator) and `q = lambda ...` in the function's own statements
    (not in a class body or a nested function), by node id; names declared global/nonlocal are
    left out (another scope may call them)."""
    declared: set[str] = set()
    found: list[tuple[Any, str]] = []
    _walk_stmts(stmts, found, declared)
    for node, name in found:
        if name not in declared:
            out[id(node)] = name


def _walk_stmts(stmts: list[Any], found: list, declared: set[str]) -> None:
    for s in stmts:
        t = type(s)
        if t in (gast.FunctionDef, gast.AsyncFunctionDef):
            if not s.decorator_list:
                found.append((s, s.name))
        elif t is gast.Assign:
            tg = s.targets
            if len(tg) == 1 and type(tg[0]) is gast.Name and type(s.value) is gast.Lambda:
                found.append((s.value, tg[0].id))
        elif t in (gast.Global, gast.Nonlocal):
            declared.update(s.names)
        elif t is gast.ClassDef:
            continue
        for field in ("body", "orelse", "finalbody"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and t not in (gast.FunctionDef, gast.AsyncFunctionDef):
                _walk_stmts(sub, found, declared)
        for h in getattr(s, "handlers", ()):
            _walk_stmts(h.body, found, declared)
        for c in getattr(s, "cases", ()):
            _walk_stmts(c.body, found, declared)


def _root_reads(node: Any, names: dict[int, str], out: set[str]) -> None:
    """Names read by `node` outside the bodies of the named nested functions (their default
    values, annotations and decorators are read where they are defined)."""
    if isinstance(node, _FNS) and id(node) in names:
        body = node.body if isinstance(node.body, list) else [node.body]
        skip = {id(b) for b in body}
        for c in scope.children(node):
            if id(c) not in skip:
                _root_reads(c, names, out)
        return
    if type(node) is gast.Name:
        if type(node.ctx) is gast.Load:
            out.add(node.id)
        return
    for c in scope.children(node):
        _root_reads(c, names, out)
