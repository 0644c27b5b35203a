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
and ``P as name``; any case may have a guard. Sequence patterns ``(a, b)``,
``[first, *rest]`` (``_srcad.match_sequence(s, n, star)``: a type Python calls a sequence, of that
length, then its items), mapping patterns ``{"k": a}`` with constant keys
(``_srcad.match_mapping(s, keys)``; ``**rest``: the dict of the other items), and class patterns
``Circle()``, ``Circle(r=r)``, ``Rect(w, 0.0)`` (``isinstance``, then the attributes: positional
ones named by the class's ``__match_args__``, lower/matchclass.py), nested in one another
(``(a, (b, c) as inner)``; their conditions test an item after the shape that holds it), and
``|`` of patterns binding the same names (lower/matchor.py). A guard after a pattern binding names
inside runs under a flag (``$match1_hit0 = False; if <shape>: <binds>; if guard: $match1_hit0
= True; <body>`` then ``if not $match1_hit0: <later cases>``). Keys by name, and positional
class sub-patterns of a class not known when lowering, keep the statement refused.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import gast

from srcad.lower import matchclass, matchor
from srcad.rules.matching import match_mapping, match_sequence


def rewrite(s: gast.Match, n: int, classes: Callable[[Any], Any] | None = None) -> list | None:
    """The statements above for `s` (`n` numbers its subject's name), or None. `classes` finds
    the class a class pattern names (None: not known), for its positional sub-patterns."""
    subject = f"$match{n}"
    tail: list = []
    for i, case in reversed(list(enumerate(s.cases))):
        got = _case(case, subject, tail, f"{subject}_hit{i}", classes)
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


def _case(case: Any, subject: str, rest: list, hit: str, classes: Any) -> list | None:
    """The statements for `case` followed by the chain `rest` of the later cases (`hit`: a flag
    for a guard reading names the pattern binds)."""
    pat, guard = case.pattern, case.guard
    binds: list = []
    if isinstance(pat, gast.MatchAs) and pat.name is not None and pat.pattern is None:
        binds = [_bind(pat.name, _name(subject))]  # a capture: bound before the guard
        pat = None
    got = _match(pat, _name(subject), classes) if pat is not None else ([], [])
    if got is None:
        return None
    tests, inner = got
    test = None if not tests else tests[0] if len(tests) == 1 else gast.BoolOp(
        op=gast.And(), values=tests)  # fmt: skip
    body = case.body
    if inner and guard is not None:  # bound where the pattern matched, then the guard
        false, true = (gast.Constant(value=v, kind=None) for v in (False, True))
        then = [*binds, *inner, gast.If(test=guard, body=[_bind(hit, true), *body], orelse=[])]
        missed = gast.UnaryOp(op=gast.Not(), operand=_name(hit))
        return [_bind(hit, false), gast.If(test=test, body=then, orelse=[]),
                gast.If(test=missed, body=rest, orelse=[])]  # fmt: skip
    binds += inner
    if guard is not None and test is None:  # a capture or `_`: matches, then the guard decides
        return binds + [gast.If(test=guard, body=body, orelse=rest)]
    if guard is not None:  # no names bound: the guard runs only when the pattern matched
        test = gast.BoolOp(op=gast.And(), values=[test, guard])
    if test is None:
        return binds + body  # irrefutable: the later cases never run
    return [gast.If(test=test, body=binds + body, orelse=rest)]


def _match(pat: Any, subj: Any, classes: Any = None) -> tuple[list, list] | None:
    """(conditions, in order, under which `pat` matches the expression `subj`; the assignments
    of the names it binds), or None (a pattern not taken). A sequence or mapping pattern's
    conditions test its shape first, so the items the later ones read exist."""
    if isinstance(pat, gast.MatchAs) and pat.pattern is None:
        return [], ([] if pat.name is None else [_bind(pat.name, subj)])  # `_`, a capture
    if isinstance(pat, gast.MatchAs):  # `(b, c) as inner`: bound when the pattern matched
        got = _match(pat.pattern, subj, classes)
        return None if got is None else (got[0], got[1] + [_bind(pat.name, subj)])
    if isinstance(pat, (gast.MatchValue, gast.MatchSingleton, gast.MatchOr)):
        t = _test(pat, subj)
        if t is None and isinstance(pat, gast.MatchOr):
            return matchor.alternatives(pat, subj, lambda p, e: _match(p, e, classes))
        return None if t is None else ([t], [])
    if isinstance(pat, gast.MatchSequence):
        return _sequence(pat, subj, classes)
    if isinstance(pat, gast.MatchMapping):
        keys = pat.keys
        if not all(isinstance(k, gast.Constant) for k in keys):
            return None
        shape = _helper(match_mapping, subj, gast.Tuple(elts=list(keys), ctx=gast.Load()))
        parts = [(_item(subj, k), p) for k, p in zip(keys, pat.patterns)]
        got = _items(shape, parts, classes)
        if got is None or pat.rest is None:
            return got
        return got[0], got[1] + [_bind(pat.rest, matchor.rest(subj, keys))]
    if isinstance(pat, gast.MatchClass):
        return matchclass.parts(pat, subj, classes, _items)
    return None


def _sequence(pat: Any, subj: Any, classes: Any) -> tuple[list, list] | None:
    stars = [k for k, p in enumerate(pat.patterns) if isinstance(p, gast.MatchStar)]
    if len(stars) > 1:
        return None
    n = len(pat.patterns) - len(stars)
    star = stars[0] if stars else None
    after = n - star if star is not None else 0
    shape = _helper(match_sequence, subj, gast.Constant(value=n, kind=None),
                    gast.Constant(value=star is not None, kind=None))  # fmt: skip
    parts, binds = [], []
    for k, p in enumerate(pat.patterns):
        if k == star:
            if p.name is not None:  # `*rest`: a list of the items between, as Python
                stop = None if not after else gast.Constant(value=-after, kind=None)  # iterates
                sl = gast.Slice(lower=gast.Constant(value=k, kind=None), upper=stop, step=None)
                items = gast.Call(func=_name("list"), args=[subj], keywords=[])  # (a deque
                rest = gast.Subscript(value=items, slice=sl, ctx=gast.Load())  # has no slices)
                binds.append(_bind(p.name, rest))
            continue
        index = k if star is None or k < star else k - len(pat.patterns)
        parts.append((_item(subj, gast.Constant(value=index, kind=None)), p))
    got = _items(shape, parts, classes)
    return None if got is None else (got[0], got[1] + binds)


def _items(shape: Any, parts: list, classes: Any) -> tuple[list, list] | None:
    """The shape test, then each (item, sub-pattern)'s conditions; their bindings."""
    tests, binds = [shape], []
    for item, p in parts:
        got = _match(p, item, classes)  # (its conditions read `item` after the shape's)
        if got is None:
            return None
        tests += got[0]
        binds += got[1]
    return tests, binds


def _item(subj: Any, key: Any) -> gast.Subscript:
    return gast.Subscript(value=copy.deepcopy(subj), slice=key, ctx=gast.Load())


def _helper(fn: Any, *args: Any) -> gast.Call:
    args = [copy.deepcopy(a) for a in args]  # (each use of a nested item its own node)
    return gast.Call(func=gast.Constant(value=fn, kind=None), args=args, keywords=[])


def _bind(name: str, value: Any) -> gast.Assign:
    value = copy.deepcopy(value)
    return gast.Assign(targets=[_name(name, gast.Store())], value=value, type_comment=None)


def _test(pat: Any, subj: Any) -> Any:
    """The condition `pat` matches the subject under, or None (a pattern not taken)."""
    if isinstance(pat, gast.MatchValue):
        return gast.Compare(left=copy.deepcopy(subj), ops=[gast.Eq()], comparators=[pat.value])
    if isinstance(pat, gast.MatchSingleton):
        value = gast.Constant(value=pat.value, kind=None)
        return gast.Compare(left=copy.deepcopy(subj), ops=[gast.Is()], comparators=[value])
    if isinstance(pat, gast.MatchOr):
        parts = [_test(p, subj) for p in pat.patterns]
        if any(p is None for p in parts):
            return None
        return gast.BoolOp(op=gast.Or(), values=parts)
    if isinstance(pat, gast.MatchAs) and pat.pattern is None and pat.name is None:
        return gast.Constant(value=True, kind=None)  # `_` inside `|`
    return None


def _name(name: str, ctx: Any = None) -> gast.Name:
    return gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)
