"""``getattr`` with a constant attribute name, and comprehensions over a constant tuple of
attribute names, rewritten into attribute reads.

Input: the function's gast tree and its namespace (lower/lower.py runs this before the name
analyses, beside lower/attrloops.py, when the source holds ``getattr(``). Output: whether the
tree changed (in place):

- ``getattr(e, "name")`` (two arguments, no keywords, a constant identifier, the builtin
  ``getattr`` not shadowed) is ``e.name``: the same evaluation and the same AttributeError, so
  ``getattr(x, "sum")()`` is the method call ``x.sum()`` and ``getattr(p, "a")`` of an object
  built here is its field;
- ``[getattr(p, k) ... for k in ("a", "b")]`` (one ``for``, no ``if``, target a name, iterating
  a tuple or list display of string constants, its element passing `k` as a ``getattr`` or
  ``hasattr`` name, holding no lambda, comprehension or ``:=``) is the list display of the
  element with `k` replaced by each constant, in order; so is such a generator passed alone to
  ``sum``, ``list``, ``tuple``, ``min`` or ``max`` (which consume it whole, no keywords).
  Python evaluates the same elements in the same order, the comprehension's `k` is its own.
"""

from __future__ import annotations

import builtins
import copy
from typing import Any

import gast

from srcad.lower.attrloops import _Subst

_CONSUMERS = ("sum", "list", "tuple", "min", "max")
_NAMED = ("getattr", "hasattr")
_STOPS = (gast.Lambda, gast.ListComp, gast.GeneratorExp, gast.SetComp, gast.DictComp,
          gast.NamedExpr, gast.Yield, gast.YieldFrom, gast.Await)  # fmt: skip


def rewrite(tree: Any, ns: Any) -> bool:
    """The rewrites of the module docstring in `tree`; True when one was made."""
    local = {n.id for n in gast.walk(tree) if isinstance(n, gast.Name) and
             not isinstance(n.ctx, gast.Load)}  # fmt: skip
    if getattr(tree, "args", None) is not None:
        local |= {a.id for a in gast.walk(tree.args) if isinstance(a, gast.Name)}

    def builtin(name: str) -> bool:
        return name not in local and ns.lookup(name) == ("builtin", getattr(builtins, name, None))

    if not builtin("getattr"):
        return False
    t = _Rewriter(builtin)
    t.visit(tree)
    return t.changed


class _Rewriter(gast.NodeTransformer):
    def __init__(self, builtin: Any) -> None:
        self.builtin, self.changed = builtin, False

    def visit_Call(self, node: gast.Call) -> Any:
        f = node.func
        if (
            isinstance(f, gast.Name)
            and f.id in _CONSUMERS
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], gast.GeneratorExp)
            and self.builtin(f.id)
            and (display := self._unrolled(node.args[0])) is not None
        ):
            node.args[0] = display
        self.generic_visit(node)
        f = node.func
        if (
            isinstance(f, gast.Name)
            and f.id == "getattr"
            and len(node.args) == 2
            and not node.keywords
            and isinstance(node.args[1], gast.Constant)
            and isinstance(node.args[1].value, str)
            and node.args[1].value.isidentifier()
            and not node.args[1].value.startswith("__")
            and not any(isinstance(a, gast.Starred) for a in node.args)
        ):
            self.changed = True
            attr = gast.Attribute(value=node.args[0], attr=node.args[1].value, ctx=gast.Load())
            return gast.copy_location(attr, node)
        return node

    def visit_ListComp(self, node: gast.ListComp) -> Any:
        display = self._unrolled(node)
        return self.visit(display) if display is not None else self.generic_visit(node)

    def _unrolled(self, node: Any) -> gast.List | None:
        """The list display of the comprehension `node`, or None (not one of these)."""
        if len(node.generators) != 1:
            return None
        g = node.generators[0]
        if g.ifs or g.is_async or not isinstance(g.target, gast.Name):
            return None
        it, k = g.iter, g.target.id
        if not (isinstance(it, (gast.Tuple, gast.List)) and it.elts):
            return None
        if not all(isinstance(e, gast.Constant) and isinstance(e.value, str) for e in it.elts):
            return None
        inner = list(gast.walk(node.elt))
        if any(isinstance(n, _STOPS) for n in inner) or not any(_names_attr(n, k) for n in inner):
            return None
        elts = [_Subst(k, e.value).visit(copy.deepcopy(node.elt)) for e in it.elts]
        self.changed = True
        return gast.copy_location(gast.List(elts=elts, ctx=gast.Load()), node)


def _names_attr(n: Any, k: str) -> bool:
    """Is `n` ``getattr``/``hasattr`` with the name `k` as the attribute name?"""
    return (
        isinstance(n, gast.Call)
        and isinstance(n.func, gast.Name)
        and n.func.id in _NAMED
        and len(n.args) >= 2
        and isinstance(n.args[1], gast.Name)
        and n.args[1].id == k
    )
