"""Class patterns of ``match`` statements (lower/matches.py): their conditions and bindings.

Input: a gast ``MatchClass`` ``C(p0, p1, k=pk)``, the subject expression, the finder of the class
``C`` names (None: not known when lowering). Output: (conditions, bindings) as
matches._match returns them, or None (the statement stays refused)::

    case Rect(w, 0.0):       ->    isinstance(s, Rect) and s.h == 0.0   (binds w = s.w)
    case Circle(r=r):        ->    isinstance(s, Circle)                (binds r = s.r)
    case float(v):           ->    isinstance(s, float)                 (binds v = s)

A positional sub-pattern reads the attribute the class's ``__match_args__`` names at that place
(a dataclass's or namedtuple's fields), so the class must be known; the builtins that match
themselves (``float(v)``) bind the subject. A keyword sub-pattern reads its attribute. As in
Python, the attributes are read after the ``isinstance`` test, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

# the classes whose one positional sub-pattern matches the subject itself (Python's rule)
_SELF_MATCHING = (bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple)


def parts(pat: gast.MatchClass, subj: Any, classes: Any, items: Callable) -> tuple | None:
    """(conditions, bindings) of `pat` on `subj`; `items(shape, [(expr, sub-pattern)], classes)`
    is matches._items."""
    test = gast.Call(func=_name("isinstance"), args=[subj, pat.cls], keywords=[])
    names: list[str | None] = []
    if pat.patterns:
        cls = classes(pat.cls) if classes is not None else None
        if not isinstance(cls, type):
            return None
        if cls in _SELF_MATCHING:
            if len(pat.patterns) > 1:
                return None  # Python: TypeError
            names.append(None)
        else:
            args = cls.__dict__.get("__match_args__", getattr(cls, "__match_args__", None))
            if not isinstance(args, tuple) or len(pat.patterns) > len(args):
                return None  # Python: TypeError
            if not all(isinstance(a, str) for a in args):
                return None
            names += list(args[: len(pat.patterns)])
    names += list(pat.kwd_attrs)
    if len(set(names)) != len(names):
        return None  # Python: TypeError (an attribute matched twice)
    subs = list(pat.patterns) + list(pat.kwd_patterns)
    return items(test, [(_attr(subj, n), p) for n, p in zip(names, subs)], classes)


def _attr(subj: Any, name: str | None) -> Any:
    if name is None:
        return subj
    return gast.Attribute(value=subj, attr=name, ctx=gast.Load())


def _name(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def finder(ns: Any, local: Any) -> Callable[[Any], Any]:
    """The class a pattern's dotted name denotes, read from the function's namespace `ns` (None:
    a name the function binds itself, `local`, or one not found)."""

    def find(node: Any) -> Any:
        path = []
        while isinstance(node, gast.Attribute):
            path.append(node.attr)
            node = node.value
        if not isinstance(node, gast.Name) or node.id in local:
            return None
        kind, obj = ns.lookup(node.id)
        if kind == "missing":
            return None
        for name in reversed(path):
            if not hasattr(obj, name):
                return None
            obj = getattr(obj, name)
        return obj

    return find
