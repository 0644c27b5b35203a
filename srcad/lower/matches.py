"""``match`` statements on values: the ``if``/``elif`` chain Python's matching amounts to.

Input: a gast ``Match`` (rewritten before the name analyses, with ``try``/``with``:
lower/lower.py). Output: statements the lowering has, or None (the statement stays refused).

    match act:                          $match1 = act
        case "relu":                    if $match1 == "relu":
            y = np.maximum(x, 0)            y = np.maximum(x, 0)
        case "tanh" | "th":       ->    elif $match1 == "tanh" or $match1 == "th":
            y = np.tanh(x)                  y = np.tanh(x)
        case k if k > 2:                else:
            y = x * k                       k = $match1
        case _:                             if k > 2:
            y = x                               y = x * k
                                            else:
                                                y = x

The subject is evaluated once. Patterns taken: literals and dotted names (``==``), ``None``/
``True``/``False`` (``is``), ``|`` of those, the wildcard ``_``, a capture ``case name`` (the name
bound when that case is reached: its match always succeeds, as Python binds it before the guard)
and ``P as name`` without a guard; any case may have a guard. Sequence, mapping and class
patterns keep the statement refused.
"""

from __future__ import annotations

from typing import Any

import gast


def rewrite(s: gast.Match, n: int) -> list | None:
    """The statements above for `s` (`n` numbers its subject's name), or None."""
    subject = f"$match{n}"
    tail: list = []
    for case in reversed(s.cases):
        got = _case(case, subject, tail)
        if got is None:
            return None
        tail = got
    out = [gast.Assign(targets=[_name(subject, gast.Store())], value=s.subject, type_comment=None)]
    out += tail
    for node in out:
        for sub in gast.walk(node):
            if isinstance(sub, (gast.stmt, gast.expr)) and getattr(sub, "lineno", None) is None:
                gast.copy_location(sub, s)
    return out


def _case(case: Any, subject: str, rest: list) -> list | None:
    """The statements for `case` followed by the chain `rest` of the later cases."""
    pat, guard = case.pattern, case.guard
    binds: list = []
    if isinstance(pat, gast.MatchAs) and pat.name is not None:
        if pat.pattern is not None and guard is not None:
            return None  # the name is bound before the guard, only if the pattern matches
        binds = [gast.Assign(targets=[_name(pat.name, gast.Store())], value=_name(subject),
                             type_comment=None)]  # fmt: skip
        pat = pat.pattern
    test = _test(pat, subject) if pat is not None else None
    if pat is not None and test is None:
        return None
    body = case.body
    if guard is not None and test is None:  # a capture or `_`: matches, then the guard decides
        return binds + [gast.If(test=guard, body=body, orelse=rest)]
    if guard is not None:  # no names bound: the guard runs only when the pattern matched
        test = gast.BoolOp(op=gast.And(), values=[test, guard])
    if test is None:
        return binds + body  # irrefutable: the later cases never run
    return [gast.If(test=test, body=binds + body, orelse=rest)]


def _test(pat: Any, subject: str) -> Any:
    """The condition `pat` matches the subject under, or None (a pattern not taken)."""
    if isinstance(pat, gast.MatchValue):
        return gast.Compare(left=_name(subject), ops=[gast.Eq()], comparators=[pat.value])
    if isinstance(pat, gast.MatchSingleton):
        value = gast.Constant(value=pat.value, kind=None)
        return gast.Compare(left=_name(subject), ops=[gast.Is()], comparators=[value])
    if isinstance(pat, gast.MatchOr):
        parts = [_test(p, subject) for p in pat.patterns]
        if any(p is None for p in parts):
            return None
        return gast.BoolOp(op=gast.Or(), values=parts)
    if isinstance(pat, gast.MatchAs) and pat.pattern is None and pat.name is None:
        return gast.Constant(value=True, kind=None)  # `_` inside `|`
    return None


def _name(name: str, ctx: Any = None) -> gast.Name:
    return gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)
