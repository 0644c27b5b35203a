"""Loops over a constant tuple of attribute names, unrolled: ``for k in ("a", "b"):
setattr(p, k, getattr(p, k) * s)`` is ``k = "a"; setattr(p, "a", getattr(p, "a") * s);
k = "b"; ...``.

Input: the function's gast tree (lower/lower.py runs this before the name analyses, and before
lower/setattrs.py, when the function's source holds ``setattr(``/``getattr(``/``hasattr(``).
Output: whether the tree changed (in place). A method's or helper's body inlined is not
rewritten: its loops are unrolled where the lowering meets them (`unrolled`, lower/stmts.py),
``__init__``'s when its statements are read (lower/objinit.parts), and lower/escapes.self_stores
counts their constant names as stored.

A ``for`` statement is unrolled when its target is a name `k`, it iterates a tuple or list
display of string constants, has no ``else``, and its body passes `k` as the name of a
``setattr``/``getattr``/``hasattr`` call; the body must not assign `k`, ``break``,
``continue``, ``return``, ``yield``, or define a function, lambda or class (which could read
`k` later). Each round is ``k = "name"`` and a copy of the body with `k`'s reads replaced by the
constant, the statements Python runs in the same order (`k` keeps its last value after the
loop), so the attribute names are constants the object model, ``setattr``'s rewrite and
``getattr``'s lowering know.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower.decorators import expand_statements

_ATTR_FUNCS = ("setattr", "getattr", "hasattr")
_STOPS = (gast.Break, gast.Continue, gast.Return, gast.Yield, gast.YieldFrom, gast.FunctionDef,
          gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef, gast.Global, gast.Nonlocal)  # fmt: skip


def rewrite(tree: Any) -> bool:
    """Unroll the loops of the module docstring in `tree`; True when one was."""
    return expand_statements(tree, unrolled)  # (a class body is lower/localclass.py's)


def unrolled(s: Any) -> list | None:
    """The statements of the loop `s` unrolled, or None (not one of these loops); also for a
    loop of a method's or helper's body inlined (lower/stmts.py, objinit.parts), which the tree
    rewrite does not reach."""
    if not (isinstance(s, gast.For) and isinstance(s.target, gast.Name) and not s.orelse):
        return None
    it, k = s.iter, s.target.id
    if not (isinstance(it, (gast.Tuple, gast.List)) and it.elts):
        return None
    if not all(isinstance(e, gast.Constant) and isinstance(e.value, str) for e in it.elts):
        return None
    inner = [n for b in s.body for n in gast.walk(b)]
    if not any(_names_attr(n, k) for n in inner):
        return None
    if any(isinstance(n, _STOPS) for n in inner):
        return None
    if any(isinstance(n, gast.Name) and n.id == k and not isinstance(n.ctx, gast.Load)
           for n in inner):  # fmt: skip
        return None
    out: list = []
    for e in it.elts:
        bind = gast.Assign(targets=[copy.deepcopy(s.target)], value=copy.deepcopy(e),
                           type_comment=None)  # fmt: skip
        out.append(gast.copy_location(bind, s))
        out.extend(_Subst(k, e.value).visit(copy.deepcopy(b)) for b in s.body)
    return out


def _names_attr(n: Any, k: str) -> bool:
    """Is `n` ``setattr``/``getattr``/``hasattr`` with the name `k` as the attribute name?"""
    return (
        isinstance(n, gast.Call)
        and isinstance(n.func, gast.Name)
        and n.func.id in _ATTR_FUNCS
        and len(n.args) >= 2
        and isinstance(n.args[1], gast.Name)
        and n.args[1].id == k
    )


class _Subst(gast.NodeTransformer):
    """Reads of the name `k` replaced by the constant `value`."""

    def __init__(self, k: str, value: str) -> None:
        self.k, self.value = k, value

    def visit_Name(self, node: gast.Name) -> Any:
        if node.id == self.k and isinstance(node.ctx, gast.Load):
            return gast.copy_location(gast.Constant(value=self.value, kind=None), node)
        return node
