"""``|`` patterns that bind names, and a mapping pattern's ``**rest`` (lower/matches.py).

Input: a gast ``MatchOr`` whose alternatives bind names (``case ("neg", v) | ("minus", v)``), or
the keys of a ``MatchMapping`` with ``**rest``, and the subject expression. Output: (conditions,
bindings) as matches._match returns them, or the expression bound to ``rest``::

    case (1, v) | (3, _, v):   ->   cond1 or cond3                    (cond_k: alternative k's
                                    v = s[1] if cond1 else s[2]        conditions, and-ed)
    case {"a": a, **rest}:     ->   rest = {k: v for k, v in s.items() if k not in ("a",)}

Python tries the alternatives left to right and binds the names of the first that matches; the
conditions are tests of the subject's shape, types and values (no effects), so testing the
first one again to choose its bindings gives the same answer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import gast


def alternatives(pat: gast.MatchOr, subj: Any, match: Callable) -> tuple[list, list] | None:
    """(conditions, bindings) of `pat` on `subj`; `match(p, subj)` gives an alternative's
    (conditions, bindings) or None. None when an alternative is not taken, or when they do not
    bind the same names (Python refuses that when compiling)."""
    alts = [match(p, subj) for p in pat.patterns]
    if any(a is None for a in alts):
        return None
    conds = [_all(tests) for tests, _ in alts]
    values = []
    for _, binds in alts:
        if not all(len(b.targets) == 1 and isinstance(b.targets[0], gast.Name) for b in binds):
            return None
        values.append({b.targets[0].id: b.value for b in binds})
    if any(set(v) != set(values[0]) for v in values):
        return None
    out = []
    for name in values[0]:
        value = values[-1][name]
        for cond, got in reversed(list(zip(conds[:-1], values[:-1]))):
            value = gast.IfExp(test=copy.deepcopy(cond), body=got[name], orelse=value)
        out.append(_bind(name, value))
    return [gast.BoolOp(op=gast.Or(), values=conds)], out


def rest(subj: Any, keys: list) -> gast.DictComp:
    """``{k: v for k, v in subj.items() if k not in keys}``: the new dict ``**rest`` binds."""
    k, v = "$rest_k", "$rest_v"
    target = gast.Tuple(elts=[_name(k, gast.Store()), _name(v, gast.Store())], ctx=gast.Store())
    items = gast.Call(
        func=gast.Attribute(value=copy.deepcopy(subj), attr="items", ctx=gast.Load()),
        args=[],
        keywords=[],
    )
    keep = gast.Compare(
        left=_name(k),
        ops=[gast.NotIn()],
        comparators=[gast.Tuple(elts=[copy.deepcopy(c) for c in keys], ctx=gast.Load())],
    )
    gen = gast.comprehension(target=target, iter=items, ifs=[keep], is_async=0)
    return gast.DictComp(key=_name(k), value=_name(v), generators=[gen])


def _all(tests: list) -> Any:
    if not tests:
        return gast.Constant(value=True, kind=None)
    return tests[0] if len(tests) == 1 else gast.BoolOp(op=gast.And(), values=tests)


def _bind(name: str, value: Any) -> gast.Assign:
    target = _name(name, gast.Store())
    return gast.Assign(targets=[target], value=copy.deepcopy(value), type_comment=None)


def _name(name: str, ctx: Any = None) -> gast.Name:
    return gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)
