"""Iterating a model object whose class's ``__iter__`` is ``return iter(self.F)``: the field.

Input: the lowering state and the iterable node of a loop or comprehension (or an argument of
``enumerate``/``zip`` there). Output: the node ``obj.F`` to iterate instead, or None. Taken for
a name bound to an object built here (`LocalObj`, whose field `F` holds a list known now and
nothing writes after ``__init__``) or to a module-level object (its attribute read as
lower/fnvalues._object_items reads ``model.layers``, recorded for the cache)::

    for i, layer in enumerate(net):       ->   for i, layer in enumerate(net.layers):
    [l(x) for l in net]                   ->   [l(x) for l in net.layers]

Exact: Python's ``iter(net)`` calls ``type(net).__iter__``, which returns ``iter(net.F)``: the
items of that very list, in order (`returned_iter` checks the def, and that ``iter`` is the
builtin there). Not for ``reversed(net)`` or ``len(net)``, which call ``__reversed__`` /
``__len__`` and ``__getitem__``, other methods.
"""

from __future__ import annotations

import builtins
import copy
import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower.objseq import FnSeq
from srcad.lower.reads import module_name
from srcad.lower.values import LocalObj


def field_node(lw: Any, it: Any, obj: Any = None) -> Any:
    """``it.F`` (module docstring) for the name `it` (or `obj`, the object it is bound to, when
    given), else None."""
    if obj is None:
        if not isinstance(it, gast.Name):
            return None
        obj = lw.env.get(it.id)
        if obj is None and it.id not in lw.env:
            kind, glob = lw.ns.lookup(it.id)
            obj = glob if kind == "global" and _user_instance(glob) else None
        elif not isinstance(obj, LocalObj):
            return None
    if obj is None:
        return None
    cls = obj.cls if isinstance(obj, LocalObj) else type(obj)
    field = iter_field(cls)
    if field is None:
        return None
    if isinstance(obj, LocalObj):
        seq = obj.fields.get(field)
        if field in obj.mutable or not isinstance(seq, FnSeq) or seq.kind == "dict":
            return None
        if seq.escaped:
            return None
    return gast.copy_location(gast.Attribute(value=it, attr=field, ctx=gast.Load()), it)


def iter_field(cls: type) -> str | None:
    """`F` when ``cls.__iter__`` is ``def __iter__(self): return iter(self.F)`` (`returned_iter`:
    `iter` the builtin there), else None (also when its source cannot be read)."""
    fn = inspect.getattr_static(cls, "__iter__", None)
    if not isinstance(fn, types.FunctionType):
        return None
    try:
        node = get_source(fn).node
    except Exception:  # noqa: BLE001 - no source: not followed
        return None
    if returned_iter(fn, node) is None or not node.args.args:
        return None
    arg = node.body[-1].value.args[0]
    if not (
        isinstance(arg, gast.Attribute)
        and isinstance(arg.value, gast.Name)
        and arg.value.id == node.args.args[0].id
    ):
        return None
    return arg.attr


def _user_instance(obj: Any) -> bool:
    """An instance of a class defined in user code (not a module, class, function, number)."""
    cls = type(obj)
    return module_name(cls) not in ("builtins", "numpy") and not isinstance(
        obj, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)
    )


def iterable_args(lw: Any, it: Any) -> Any:
    """`it` with the name it iterates, or the names ``enumerate``/``zip`` take, replaced by
    their `field_node`; `it` itself when none is."""
    if isinstance(it, gast.Name):
        return field_node(lw, it) or it
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords):
        return it
    if it.func.id not in ("enumerate", "zip") or it.func.id in lw.env:
        return it
    if lw.ns.lookup(it.func.id)[0] != "builtin":
        return it
    args = [field_node(lw, a) or a for a in it.args]
    if all(a is b for a, b in zip(args, it.args)):
        return it
    out = copy.copy(it)
    out.args = args
    return out


def returned_iter(fn: types.FunctionType, node: gast.FunctionDef) -> Any:
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
