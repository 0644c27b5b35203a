"""Tuple assignments that copy a name, split into one assignment a target (for lower/chained.py).

Input: a function's tree and the names written into somewhere in it (lower/survey.py's
`written_into`). Output: the tree changed in place (whether it changed).

``s, q = e, p`` binds `q` to the object `p` holds, as ``q = p`` does; lower/chained.py reads `q`
as `p` after a plain copy only, so a write through `q` left a stale `p` that the mutation check
refused. Python evaluates every value of the display before it binds any target; when the
targets are distinct plain names and no value reads one of them, binding them one at a time is
the same program::

    s, q = x * 2.0, p        ->     s = x * 2.0
    q[0] -= 1.0                     q = p
                                    q[0] -= 1.0

Split only where a value is a plain name other than its target, neither of them a parameter
(chained.py keeps an argument's copy), and one of the two is written into
(``q[k] = v``, ``q op= v``): elsewhere the generated code stays as it was. Not in a function
defining a nested function, lambda or class: a value calling such a closure could see a target
bound one at a time, where Python shows it the old binding.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

_LISTS = ("body", "orelse", "finalbody")
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)


def candidates(root: Any, updates: list[Any], written: frozenset[str]) -> set[str] | None:
    """The parameters of function `root` when one of the statements `updates` (lower/survey.py:
    the assignments to other targets than one plain name, among others) is a tuple assignment
    `rewrite` splits; else None."""
    if not written or not any(isinstance(s, gast.Assign) for s in updates):
        return None
    a = getattr(root, "args", None)
    ps = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if a is not None else []
    params = {p.id for p in ps if isinstance(p, gast.Name)}
    if not any(_split(s, written, params) for s in updates):
        return None
    if any(isinstance(n, (*_SCOPES, gast.Lambda)) for n in gast.walk(root) if n is not root):
        return None  # (a closure called by a value could read a target bound before it)
    return params


def rewrite(root: Any, written: frozenset[str], params: set[str]) -> bool:
    """Split the assignments of the module docstring in the statement lists of `root` (not in
    nested functions and classes); whether any changed."""
    changed = False
    todo = [root]
    while todo:
        n = todo.pop()
        for field in (*_LISTS, "handlers", "cases"):
            body = getattr(n, field, None)
            if not isinstance(body, list):
                continue
            if field in _LISTS and any(_split(s, written, params) for s in body):
                out: list = []
                for s in body:
                    split = _split(s, written, params)
                    out.extend(_one_by_one(s) if split else [s])
                setattr(n, field, out)
                body, changed = out, True
            todo += [c for c in body if not isinstance(c, _SCOPES)]
    return changed


def _split(s: Any, written: frozenset[str], params: set[str]) -> bool:
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return False
    t, v = s.targets[0], s.value
    if not (isinstance(t, (gast.Tuple, gast.List)) and isinstance(v, gast.Tuple)):
        return False
    if len(t.elts) != len(v.elts) or not all(isinstance(e, gast.Name) for e in t.elts):
        return False
    names = [e.id for e in t.elts]
    if len(set(names)) != len(names) or any(isinstance(e, gast.Starred) for e in v.elts):
        return False
    if any(isinstance(m, gast.Name) and m.id in names for m in gast.walk(v)):
        return False  # (`a, b = b, a`: every value is read before any target is bound)
    return any(
        isinstance(e, gast.Name)
        and e.id != n
        and not ({e.id, n} & params)
        and bool({e.id, n} & written)
        for n, e in zip(names, v.elts)
    )


def _one_by_one(s: Any) -> list:
    out = []
    for t, v in zip(s.targets[0].elts, s.value.elts):
        a = gast.Assign(targets=[copy.deepcopy(t)], value=v, type_comment=None)
        out.append(gast.copy_location(a, s))
    return out
