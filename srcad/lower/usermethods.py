"""Methods of user classes named like the in-place methods of lists and dicts.

Input: the lowerer at ``r.update(...)`` / ``r.pop()`` / ``r.clear()``... whose receiver `r` is
a run-time value. Output: whether a call of a user class made that value (`defines`) and the
class defines the method as a plain function, so the call is the user's method (the
``method.<name>`` primitive, resolved by the receiver's class when transformed), not the
container's in-place one srcad refuses.

Before: ``o = Opt(0.1); p = o.update(p, g)`` refused as ``dict.update`` in an expression. After:
``p = method.update(o, p, g)``, the transform inlining ``Opt.update`` as it does ``o.step``.
A receiver of no class known when lowering (an argument, an item) stays refused: it may be a
dict, whose update srcad does not model in an expression.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad import lazy

_base = lazy.module("srcad.lower.base")  # (they import lower/objinit, which imports this)
_objseq = lazy.module("srcad.lower.objseq")

# what lower/calls.py and lower/idioms.py take for a list's or dict's method on a run-time value
_CONTAINER_METHODS = frozenset(
    {"sort", "reverse", "fill", "pop", "insert", "remove", "clear", "update", "setdefault",
     "resize", "put", "itemset", "partition", "popitem", "discard", "append", "extend", "add",
     "values", "items"}
)  # fmt: skip


def defines(lw: Any, recv: Any, name: str) -> bool:
    """Did a call of a user class (no container subclass) in scope make `recv`, and does the
    class define `name` as a plain function (not inherited from a builtin)?"""
    cls = _base.made_by_class(lw, recv)
    if cls is None or not _objseq.user_class(cls):
        return False
    if any(k.__module__ == "builtins" for k in cls.__mro__[1:-1]):
        return False  # a subclass of dict/list/set: the builtin method may run
    found = inspect.getattr_static(cls, name, None)
    return isinstance(found, types.FunctionType) and found.__module__ != "builtins"


def statement(lw: Any, call: Any) -> bool:
    """``o.update(g)`` as a statement, `o` a local name `defines` accepts (a method with that
    name of the user class that made it)."""
    recv = call.func.value
    if not isinstance(recv, gast.Name) or recv.id not in lw.env:
        return False
    return defines(lw, lw.env[recv.id], call.func.attr)


def call(lw: Any, base: Any, node: Any) -> Any:
    """``o.update(g)`` / ``o.items()`` / ``o.pop()``, `base` the lowered receiver: the
    ``method.<name>`` primitive when `defines` accepts it (the transform calls the class's
    method), else None (the call lowered as before: a list's or dict's method)."""
    name = node.func.attr
    if name not in _CONTAINER_METHODS or not defines(lw, base, name):
        return None
    recv = lw.operand(base, node.func.value)
    args, kwargs = lw.call_args(node)
    lw.at(node)
    return lw.op(f"method.{name}", [recv, *args], kwargs)


def shadows(cls: type) -> bool:
    """Does the user class `cls` define a method named like a container's (`_CONTAINER_METHODS`)?
    Even a record of it is then built while lowering (lower/objinit.built_here), so
    ``o.update(g)`` reaches the method through the object, in a loop too. Not a standard
    library class (``collections.ChainMap`` defines ``update``/``pop`` as a mapping does)."""
    if _objseq.stdlib_class(cls) or not _objseq.user_class(cls):
        return False
    return any(
        isinstance(inspect.getattr_static(cls, n, None), types.FunctionType)
        for n in _CONTAINER_METHODS
    )
