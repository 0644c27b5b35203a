"""Indexing an object built here (lower/objects.py) whose class defines ``__getitem__``.

Input: the lowering state, the object (a `LocalObj`) and the ``obj[k]`` node. Output: the value
its class's ``__getitem__`` returns, its body inlined with ``self`` the object and the index
lowered as Python passes it (a slice object for ``obj[a:b]``, a tuple for ``obj[i, j]``), as
``obj.__getitem__(k)`` would be (lower/objects.call_method); None when the class has no such
Python function (then as before: the object is made when the code runs).

    class Params:                         p = Params(x)
        def __init__(self, w):            p[0] * p[1]   ->  list(x)[0] * list(x)[1]
            self._w = list(w)
        def __getitem__(self, i):
            return self._w[i]

Also ``v in obj`` by its class's ``__contains__`` (`known_compare`).
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad import lazy
from srcad.lower import varargs
from srcad.lower.values import LocalObj, PrimRef
from srcad.ssa.core import Operand

_mappedseq = lazy.module("srcad.lower.mappedseq")  # (it imports this module's users)
_fnrefs = lazy.module("srcad.lower.fnrefs")


def object_item(lw: Any, obj: Any, node: gast.Subscript) -> Operand | None:
    """``obj[k]`` (`obj`: the lowered value) by its class's ``__getitem__`` (module docstring),
    or None; ``nodes[i]`` of a list of objects of run-time length (lower/mappedseq.item)."""
    if isinstance(obj, _mappedseq.MappedSeq):
        return _mappedseq.item(lw, obj, node)
    fn = _method(obj, "__getitem__") if isinstance(obj, LocalObj) else None
    if fn is None:
        return None
    return _inline(lw, obj, fn, node, [lw.index(node.slice, opaque=True)])


def known_compare(lw: Any, node: gast.Compare) -> Operand | None:
    """``a is b`` of objects built here (lower/fnrefs.identity), or ``v in obj`` /
    ``v not in obj`` (one comparison) of a name bound to an object built here whose class
    defines ``__contains__``: that method inlined, its result made a bool (negated for
    ``not in``), the object staying one; None else (the comparison lowered as before)."""
    if (known := _fnrefs.identity(lw, node)) is not None:
        return known
    if len(node.ops) != 1 or not isinstance(node.ops[0], (gast.In, gast.NotIn)):
        return None
    c = node.comparators[0]
    obj = lw.env.get(c.id) if isinstance(c, gast.Name) else None
    fn = _method(obj, "__contains__") if isinstance(obj, LocalObj) else None
    if fn is None:
        return None
    out = lw.op("bool", [lw.operand(_inline(lw, obj, fn, node, [lw.value(node.left)]), node)])
    return lw.op("not", [out]) if isinstance(node.ops[0], gast.NotIn) else out


def _method(obj: LocalObj, name: str) -> types.FunctionType | None:
    """The Python function `name` of the object's class, or None."""
    fn = inspect.getattr_static(obj.cls, name, None)
    return fn if isinstance(fn, types.FunctionType) else None


def _inline(lw: Any, obj: LocalObj, fn: types.FunctionType, node: Any, args: list) -> Operand:
    """The method `fn` of `obj` inlined at `node`, `self` the object and `args` its arguments."""
    return varargs.inline_call(lw, fn, node, 20, front=(obj,), given=(args, {}))


def object_setitem(lw: Any, target: gast.Subscript, new_value: Operand) -> bool:
    """``obj[k] = v`` of a name bound to an object built here: its class's ``__setitem__``
    inlined (True); refused when the class has none that srcad can inline (Python would call
    it, a plain item write would not); False for any other target."""
    base = root = target.value
    while isinstance(root, gast.Subscript):
        root = root.value
    obj = lw.env.get(root.id) if isinstance(root, gast.Name) else None
    if not isinstance(obj, LocalObj):
        return False
    if root is not base:  # `obj[i][j] = v`: what `obj[i]` returns may be a copy or a view
        raise lw.error(
            target,
            f"writing into an item of an item of a `{obj.cls.__name__}` object is not supported",
            "read the item into a local, update it, and assign it back (`obj[i] = row`)",
        )
    fn = _method(obj, "__setitem__")
    sl = target.slice
    if fn is None or (isinstance(sl, gast.Name) and sl.id.startswith("srcad_each")):
        raise lw.error(
            target,
            f"`{base.id}[...] = ...` of a `{obj.cls.__name__}` object (or a loop over it "
            "updating its items): its class has no `__setitem__` srcad can inline here",
            "write to the object's fields (`obj.data[i] = v`) instead",
        )
    _inline(lw, obj, fn, target, [lw.index(target.slice, opaque=True), new_value])
    return True


_DUNDERS = {len: "__len__", abs: "__abs__"}


def object_dunder(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """``len(obj)`` / ``abs(obj)`` / ``bool(obj)`` (`f`: the callee's value) of a name bound to
    an object built here whose class defines ``__len__`` / ``__abs__`` / ``__bool__``: that
    method inlined (``while bool(s):`` as ``while s:``, lower/objops.truth; its result made a
    bool); None else."""
    if not isinstance(f, PrimRef) or len(node.args) != 1 or node.keywords:
        return None
    name = _DUNDERS.get(f.obj) if isinstance(f.obj, types.BuiltinFunctionType) else None
    name = "__bool__" if f.obj is bool else name
    a = node.args[0]
    obj = lw.env.get(a.id) if isinstance(a, gast.Name) else None
    fn = _method(obj, name) if name is not None and isinstance(obj, LocalObj) else None
    if fn is None:
        return None
    out = _inline(lw, obj, fn, node, [])
    return lw.op("bool", [lw.operand(out, node)]) if name == "__bool__" else out
