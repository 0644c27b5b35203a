"""An iterator class: ``__iter__`` returns ``self``, ``__next__`` returns the next item or
raises ``StopIteration``; the generator a ``for`` loop over such an object amounts to.

Input: the class and the tree of its ``__iter__``. Output: (``__next__``, the tree of a
generator function with ``__next__``'s parameters) or None::

    def __next__(self):                      def __next__(self):
        if self.i >= len(self.xs):               while True:
            raise StopIteration                      if self.i >= len(self.xs):
        v = self.xs[self.i]                              return
        self.i += 1                                  v = self.xs[self.i]
        return v                                     self.i += 1
                                                     yield v
                                                     continue

Python's loop calls ``__next__`` until it raises StopIteration, each call's value an item; so
does the generator (a ``return v`` is ``yield v`` then the next call, ``raise StopIteration``
ends it, falling off the end yields None). Only ``if`` statements may hold those exits (a
``continue`` inside a loop or ``try`` of ``__next__`` would mean another thing): other bodies,
and a ``__next__`` reading its own name or taking other parameters, give None (refused as
before). lower/objiter.py lists its items (lower/generators.list_builder), with ``self`` the
object, whose fields the body updates as Python's calls do.
"""

from __future__ import annotations

import copy
import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source

_BLOCKS = (gast.For, gast.While, gast.Try, gast.With, gast.AsyncFor, gast.AsyncWith, gast.Match)


def next_generator(cls: type, iter_node: Any) -> tuple[Any, Any] | None:
    """(``cls.__next__``, its generator tree) when ``cls.__iter__`` (`iter_node`) is ``return
    self`` (module docstring); else None."""
    body = [s for s in iter_node.body if not _docstring(s)]
    args = iter_node.args.args
    if not (len(body) == 1 and isinstance(body[0], gast.Return) and len(args) == 1):
        return None
    v = body[0].value
    if not (isinstance(v, gast.Name) and v.id == args[0].id):
        return None
    fn = inspect.getattr_static(cls, "__next__", None)
    if not isinstance(fn, types.FunctionType):
        return None
    node = get_source(fn).node
    a = node.args
    if len(a.args) != 1 or a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        return None
    own = [n for s in node.body for n in gast.walk(s)]
    if any(isinstance(n, (gast.Yield, gast.YieldFrom, gast.Global, gast.Nonlocal)) for n in own):
        return None
    if any(isinstance(n, gast.Name) and n.id == node.name for n in own):
        return None
    if any(isinstance(n, _BLOCKS) and _exits(n) for n in own):
        return None
    out = copy.deepcopy(node)
    out.decorator_list = []
    loop = gast.While(test=gast.Constant(True, None), body=[*_rewrite(out.body), _yield(None, node)],
                      orelse=[])  # fmt: skip
    out.body = [gast.copy_location(loop, node)]
    for n in gast.walk(out):
        if "lineno" in n._attributes and not hasattr(n, "lineno"):
            gast.copy_location(n, node)
    return fn, out


def _docstring(s: Any) -> bool:
    return isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant)


def _exits(block: Any) -> bool:
    """`block` holds a ``return`` or ``raise`` (not inside a nested function)."""
    return any(isinstance(n, (gast.Return, gast.Raise)) for n in gast.walk(block))


def _stop(s: gast.Raise) -> bool:
    """``raise StopIteration`` or ``raise StopIteration()`` (the builtin's name)."""
    e = s.exc.func if isinstance(s.exc, gast.Call) and not s.exc.args else s.exc
    return s.cause is None and isinstance(e, gast.Name) and e.id == "StopIteration"


def _rewrite(stmts: list) -> list:
    out: list = []
    for s in stmts:
        if isinstance(s, gast.Return):
            out += [_yield(s.value, s), gast.copy_location(gast.Continue(), s)]
        elif isinstance(s, gast.Raise) and _stop(s):
            out.append(gast.copy_location(gast.Return(value=None), s))
        elif isinstance(s, gast.If):
            s.body, s.orelse = _rewrite(s.body), _rewrite(s.orelse)
            out.append(s)
        else:
            out.append(s)
    return out


def _yield(value: Any, at: Any) -> gast.Expr:
    v = value if value is not None else gast.Constant(None, None)
    return gast.copy_location(gast.Expr(value=gast.Yield(value=v)), at)
