"""Iterating an object built here (lower/objects.py) whose class defines ``__iter__``.

Input: the iterable node of a ``for`` loop or comprehension, a name bound to such an object (or
to a record of such a class, lower/objrecord.py).
Output: the list of the items ``__iter__`` yields (an `Operand`), or None (other iterables: as
before, refused when it runs, rules/containers.py). ``__iter__`` is inlined with ``self`` the
object, rewritten into the body that builds the list:

    def __iter__(self):                    def __iter__(self):
        return iter(self.items)                return list(self.items)

    def __iter__(self):                    (lower/generators.list_builder: the items appended
        for p in self.parts:                to a list the body returns)
            yield p.w * 2.0

Both read the items first, where Python reads them as the loop runs: refused as for a generator
function's call (lower/generators.check_consumed) where the loop may leave early, or its body
rebinds or updates what the items are read from.
"""

from __future__ import annotations

import builtins
import copy
import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower import generators, varargs
from srcad.lower.base import made_by_class
from srcad.lower.values import LocalObj
from srcad.ssa.core import Operand, Var


def listed(lw: Any, it: Any) -> Operand | None:
    """The items of ``for v in obj`` (`it`: the name ``obj``), or None (module docstring)."""
    obj = lw.env.get(it.id) if isinstance(it, gast.Name) else None
    cls = obj.cls if isinstance(obj, LocalObj) else None
    if isinstance(obj, Var):  # a record (``Bag(xs)``: its fields read as attributes)
        cls = made_by_class(lw, obj)
    fn = inspect.getattr_static(cls, "__iter__", None) if cls is not None else None
    if not isinstance(fn, types.FunctionType):
        return None
    node, name = get_source(fn).node, f"{cls.__name__}.__iter__"
    if generators.is_generator_def(node):
        generators.check_consumed(lw, it, node, name)
        tree = generators.list_builder(lw, node, it, name)
    else:
        tree = _returned_iter(fn, node)
        if tree is None:
            return None
        generators.check_consumed(lw, it, node, name)
        lw.__dict__.setdefault("kept_trees", []).append(tree)  # (node ids held while lowering)
    call = gast.copy_location(gast.Call(func=it, args=[], keywords=[]), it)
    return varargs.inline_call(lw, fn, call, 20, front=(obj,), given=([], {}), tree=tree)


def _returned_iter(fn: types.FunctionType, node: gast.FunctionDef) -> Any:
    """A copy of the def ``return iter(E)`` (a docstring before it or not) returning
    ``list(E)``, when `iter` and `list` are the builtins there; else None."""
    body = node.body[1:] if _docstring(node.body[0]) else node.body
    if len(body) != 1 or not isinstance(body[0], gast.Return):
        return None
    v = body[0].value
    if not (
        isinstance(v, gast.Call)
        and isinstance(v.func, gast.Name)
        and v.func.id == "iter"
        and len(v.args) == 1
        and not v.keywords
        and not isinstance(v.args[0], gast.Starred)
    ):
        return None
    ns = namespace_of(fn)
    if any(ns.lookup(n)[1] is not getattr(builtins, n) for n in ("iter", "list")):
        return None
    out = copy.deepcopy(node)
    ret = out.body[-1]
    ret.value.func.id = "list"
    return out


def _docstring(s: Any) -> bool:
    return isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant)
