"""Decorated nested functions, rewritten as Python runs them: ``@d def g`` is ``def g`` then
``g = d(g)`` (decorators applied bottom-up).

Input: the function's gast tree and its `Namespace` (lower/lower.py runs this before the name
analyses when the function's source holds ``@``). Output: whether the tree changed (in place).
The same for one ``def`` of a helper's body inlined (`statements`: lower/stmts.py).

``@functools.wraps(fn)`` is dropped: it copies metadata (``__name__``, ``__doc__``,
``__wrapped__``) onto the wrapper, nothing the wrapper computes reads; reading such an attribute
of a nested function stays refused as before. ``@functools.lru_cache``/``@functools.cache``
alone is dropped where no call can tell (lower/lrucache.py). Python evaluates a decorator
expression before the ``def``; the rewrite evaluates it after, the same when the expression
does not read the function's name, so a decorator that does, and a function whose body reads its own name
(recursion through the decorated name), are left alone (refused as before: "decorated nested
functions are not supported"). A decorator applied this way is called like any function: a
nested or module-level decorator returning a closure is inlined; others are refused where the
call is lowered (located at the decorator).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import gast

from srcad.lower import lrucache
from srcad.lower.withs import _resolve


def statements(s: gast.FunctionDef, ns: Any) -> list | None:
    """The statements `s` is rewritten as (module docstring), or None: the ``def`` of a helper
    inlined, whose tree the rewrite did not run on."""
    return _expand(s, ns)


def rewrite(tree: Any, ns: Any) -> bool:
    """Rewrite the decorated nested functions of `tree` (module docstring); True when one was."""
    return expand_statements(
        tree, lambda s: _expand(s, ns, tree) if isinstance(s, gast.FunctionDef) else None
    )


def expand_statements(tree: Any, expand: Callable[[Any], list | None]) -> bool:
    """Replace each statement `s` of the statement lists of `tree` outside classes by
    ``expand(s)`` where that is not None (in place); True when one was."""
    changed = False
    for node in outside_classes(tree):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            out: list = []
            for s in stmts:
                new = expand(s)
                out.extend(new if new is not None else [s])
                changed = changed or new is not None
            stmts[:] = out
    return changed


def outside_classes(tree: Any) -> list:
    """The nodes of `tree` not inside a ``class`` statement (its methods' decorators are the
    class's: lower/localclass.py)."""
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        if not isinstance(node, gast.ClassDef):
            out.append(node)
            todo.extend(gast.iter_child_nodes(node))
    return out


def _expand(s: gast.FunctionDef, ns: Any, root: Any = None) -> list | None:
    """``def g`` without its decorators and the assignments applying them, or None; `root`:
    the function holding `s` (a cache no call can observe is dropped: lower/lrucache.py)."""
    if not s.decorator_list:
        return None
    if any(isinstance(n, gast.Name) and n.id == s.name for b in s.body for n in gast.walk(b)):
        return None
    decos = [d for d in s.decorator_list if not _metadata_only(d, ns)]
    guard = []
    if root is not None and any(lrucache.is_cache(d, ns) for d in decos):
        if len(decos) == 1 and lrucache.transparent(s, root, ns):
            decos, guard = [], [lrucache.hash_guard(s)]
    if any(isinstance(n, gast.Name) and n.id == s.name for d in decos for n in gast.walk(d)):
        return None
    plain = copy.copy(s)  # (an inlined helper's tree is shared: not changed)
    plain.decorator_list = []
    plain.body = [*guard, *s.body]
    out: list = [plain]
    for d in reversed(decos):
        call = gast.Call(func=d, args=[_name(s.name, gast.Load())], keywords=[])
        assign = gast.Assign(targets=[_name(s.name, gast.Store())], value=call, type_comment=None)
        for n in (call, *call.args, assign, *assign.targets):
            gast.copy_location(n, d)
        out.append(assign)
    return out


def _metadata_only(d: Any, ns: Any) -> bool:
    """Is the decorator `d` ``functools.wraps(fn)`` (copies metadata only)?"""
    return (
        isinstance(d, gast.Call)
        and _resolve(d.func, ns) is functools.wraps
        and not any(isinstance(a, gast.Starred) for a in d.args)
    )


def _name(n: str, ctx: Any) -> gast.Name:
    return gast.Name(id=n, ctx=ctx, annotation=None, type_comment=None)
