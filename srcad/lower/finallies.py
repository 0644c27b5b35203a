"""``try``/``finally`` whose body returns, breaks or continues: the ``finally`` part copied
before each such exit, as Python runs it there.

Input: a gast ``Try`` without handlers or ``else:`` (lower/tryprep.py). Output: the statements
it means, or None (the statement stays refused where it stands).

    for v in xs:                         for v in xs:
        try:                                 if v < 0:
            if v < 0:                            n = n + 1
                continue           ->            continue
            s = s + v * v                    s = s + v * v
        finally:                             n = n + 1
            n = n + 1

``return e`` becomes ``srcad_fin{line}_{k} = e``, the ``finally`` part, then ``return`` of that
name: Python evaluates `e` before the ``finally`` part runs, which may rebind what `e` read.
A ``break``/``continue`` inside a loop of the body leaves only that loop, so it stays as it is.
An exception leaves the function either way (the derivative is never asked for).

Not taken: a ``finally`` part that itself returns, breaks or continues (it would replace the
exit), a body holding a nested ``try``/``with``/``match`` that exits (the nested ``finally``
would run first), or a ``yield``.
"""

from __future__ import annotations

import copy

import gast

from srcad.lower import scope

_NESTED = (gast.Try, gast.With, gast.Match)
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)


def inline(s: gast.Try) -> list | None:
    """The statements of ``try: body finally: final`` (module docstring), or None."""
    if s.handlers or s.orelse or not s.finalbody or scope.may_exit(s.finalbody):
        return None
    if awkward(s.body) or awkward(s.finalbody):
        return None
    count = [0]
    body = _copy_block(s.body, s, True, count)
    if body is None:
        return None
    return body if scope.always_exits(body) else body + _final(s)


def awkward(stmts: list) -> bool:
    """A yield anywhere, or a nested try/with/match holding an exit (lower/tryprep.py does not
    put such a ``finally`` part after the body either: it would follow the inner return)."""
    for st in stmts:
        for n in gast.walk(st):
            if isinstance(n, (gast.Yield, gast.YieldFrom, gast.Await)):
                return True
            if isinstance(n, _NESTED) and any(
                isinstance(x, (gast.Return, gast.Break, gast.Continue)) for x in gast.walk(n)
            ):
                return True
    return False


def _final(s: gast.Try) -> list:
    return [copy.deepcopy(x) for x in s.finalbody]


def _copy_block(stmts: list, s: gast.Try, loop_level: bool, count: list) -> list | None:
    out: list = []
    for st in stmts:
        got = _copy_stmt(st, s, loop_level, count)
        if got is None:
            return None
        out.extend(got)
    return out


def _copy_stmt(st: gast.stmt, s: gast.Try, loop_level: bool, count: list) -> list | None:
    if isinstance(st, gast.Return):
        if st.value is None:
            return [*_final(s), st]
        count[0] += 1
        name = f"srcad_fin{s.lineno}_{count[0]}"
        keep = gast.Assign(targets=[_name(name, gast.Store())], value=st.value, type_comment=None)
        back = gast.Return(value=_name(name, gast.Load()))
        for n in (keep, keep.targets[0], back, back.value):
            gast.copy_location(n, st)
        return [keep, *_final(s), back]
    if isinstance(st, (gast.Break, gast.Continue)):
        return [*_final(s), st] if loop_level else [st]
    if isinstance(st, _SCOPES) or not scope.may_exit([st]):
        return [st]
    if isinstance(st, gast.If):
        body = _copy_block(st.body, s, loop_level, count)
        orelse = _copy_block(st.orelse, s, loop_level, count)
        if body is None or orelse is None:
            return None
        return [gast.copy_location(gast.If(test=st.test, body=body, orelse=orelse), st)]
    if isinstance(st, (gast.For, gast.While)):
        body = _copy_block(st.body, s, False, count)
        orelse = _copy_block(st.orelse, s, loop_level, count)
        if body is None or orelse is None:
            return None
        new = copy.copy(st)
        new.body, new.orelse = body, orelse
        return [new]
    return None


def _name(name: str, ctx: gast.AST) -> gast.Name:
    return gast.Name(id=name, ctx=ctx, annotation=None, type_comment=None)
