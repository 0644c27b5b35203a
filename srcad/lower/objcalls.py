"""Module-level helpers given objects built here: ``energy(model)``, ``step(model, x)``,
``total(layers)``, inlined at their call sites so the objects stay objects.

Input: the lowerer at a call of a plain module-level Python function (no ``*args``/``**kwargs``:
lower/varargs.py has those) with the call node. Output: the helper's body lowered in place
(lower/varargs.inline_call), its parameters bound to the arguments as they are when lowering: an
object built here (lower/objects.py: a `LocalObj`) stays that object, a tuple or list of them (a
`FnSeq` of lower/objseq.py) that sequence; None when no argument is such an object (the call is
lowered as before).

Without this, an object built here passed to a function is its class called again
(`objects.as_value`), which the transforms refuse to differentiate through unless the class is a
record, and which loses the fields a method wrote (refused). Inlined, the helper reads and writes
the object's fields as the caller does (lower/objstate.py): every name bound to the object is the
one `LocalObj`, as in Python. The helper's own names are its namespace's (`namespace_of`).

Not inlined (lowered as before): helpers that are closures, generators, library or srcad
functions, wrapped, recursive past the inlining depth; calls whose arguments hold a nested
function (its body would read the helper's names where Python reads its definer's); and calls
whose inlined body srcad refuses: those fall back to the call, with the ops the attempt made
removed and the objects' write/escape marks restored.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.errors import SrcadError
from srcad.lower import objinit, objstate, varargs
from srcad.lower.objseq import FnSeq
from srcad.lower.reads import module_top, user_class
from srcad.lower.userfns import library_dirs
from srcad.lower.values import LIBRARY_MODULES, LocalObj, note_attr
from srcad.ssa.core import Operand

_DEPTH = 8  # nested inlinings of such helpers, at most (then: the call, as before)
_NOT_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def helper_call(lw: Any, fn: Any, node: gast.Call) -> Operand | None:
    """``fn(args)`` inlined when an argument is an object built here (module docstring)."""
    if not _plain(fn) or lw.inline_depth >= _DEPTH or not passes_objects(lw, node):
        return None
    saved = checkpoint(lw)
    try:
        return varargs.inline_call(lw, fn, node, _DEPTH, given=objinit.arguments(lw, node))
    except SrcadError:  # lowered as a call, as before
        rollback(lw, saved)
        return None


def checkpoint(lw: Any) -> tuple:
    """What an attempted inlining changes in the lowerer (the block's ops, the in-place updates,
    the location, the environment, the objects' marks), for `rollback` to undo it."""
    ops = lw.b.block.ops
    return ops, len(ops), len(lw.augmented), lw.b.loc, dict(lw.env), _marks(lw.env)


def rollback(lw: Any, saved: tuple) -> None:
    """The lowerer as `checkpoint` saw it."""
    ops, start, augmented, loc, env, marks = saved
    del ops[start:], lw.augmented[augmented:]
    lw.b.loc = loc
    lw.env.clear()
    lw.env.update(env)
    for obj, written, escaped in marks.values():
        obj.written, obj.escaped = written, escaped


def _plain(fn: Any) -> bool:
    if not isinstance(fn, types.FunctionType) or fn.__closure__:
        return False
    if module_top(fn) in LIBRARY_MODULES or "<locals>" in fn.__qualname__:
        return False
    if any(hasattr(fn, a) for a in ("__wrapped__", "__srcad_wrapped__", "__srcad_source__")):
        return False
    flags = fn.__code__.co_flags
    if flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS | _NOT_PLAIN):
        return False
    return not varargs.takes_varargs(fn) and not _library_file(fn)


def _library_file(fn: Any) -> bool:
    return fn.__code__.co_filename.startswith(library_dirs())


def passes_objects(lw: Any, node: gast.Call) -> bool:
    """Does the call pass an object built here (a name bound to one, a field holding one, a
    list/tuple literal of such), and nothing whose lowering binds names (``:=``)?"""
    values = [*node.args, *(kw.value for kw in node.keywords)]
    if any(isinstance(a, gast.Starred) for a in node.args) or any(
        kw.arg is None for kw in node.keywords
    ):
        return False
    if any(isinstance(n, gast.NamedExpr) for a in values for n in gast.walk(a)):
        return False
    return any(_object_node(lw, a) for a in values)


def _object_node(lw: Any, a: Any) -> bool:
    if isinstance(a, (gast.List, gast.Tuple)):
        return any(_object_node(lw, e) for e in a.elts)
    if isinstance(a, gast.Call) and not isinstance(a.func, gast.Attribute):
        # `C(...)` of a class whose objects are built here, or `g(obj)` (perhaps inlined)
        _, f = lw.ns.lookup(a.func.id) if isinstance(a.func, gast.Name) else (None, None)
        if isinstance(f, type) and objinit.buildable(f):
            return True
        return any(_object_node(lw, e) for e in [*a.args, *(k.value for k in a.keywords)])
    return _holds_object(_env_value(lw, a))


def _env_value(lw: Any, a: Any) -> Any:
    """What a name or a name's field is bound to when lowering (None: not known here)."""
    if isinstance(a, gast.Name):
        return lw.env.get(a.id)
    if isinstance(a, gast.Attribute) and isinstance(a.value, gast.Name):
        base = lw.env.get(a.value.id)
        if isinstance(base, LocalObj) and a.attr in base.mutable:  # its current value
            return lw.env.get(objstate.key(base, a.attr))
        if isinstance(base, LocalObj):
            return base.fields.get(a.attr)
    return None


def _holds_object(v: Any) -> bool:
    if isinstance(v, LocalObj):
        return True
    return (
        isinstance(v, FnSeq) and v.kind != "dict" and any(isinstance(i, LocalObj) for i in v.items)
    )


def _marks(env: dict) -> dict:
    """The write/escape marks of the objects `env` reaches (restored when the inlining fails)."""
    out: dict = {}
    todo = list(env.values())
    while todo:
        v = todo.pop()
        if isinstance(v, LocalObj) and id(v) not in out:
            out[id(v)] = (v, v.written, v.escaped)
            todo.extend(v.fields.values())
        elif isinstance(v, FnSeq):
            todo.extend(v.items)
    return out


def global_method(lw: Any, base: Operand, me: Any, node: gast.Call) -> Operand | None:
    """``MD.loss(x)`` of an object known now (`me`, read as `base`: a global model) whose method
    calls a method of a sub-object (``self.enc.forward(x)``): the method inlined with ``self``
    the object read here, so ``self.enc.forward`` is found as ``MD.enc.forward`` is (the
    attributes read recorded for the cache); lowered as a separate function, ``self.enc`` is a
    run-time value of no known class, and its method has no derivative. None (as before) for
    other calls, or when srcad refuses the inlined body."""
    name = node.func.attr
    if user_class(me) is None or isinstance(me, type):
        return None
    note_attr(me, name, getattr(me, name, None))  # inlined or not: as the cache reads it again
    if name in getattr(me, "__dict__", {}):
        return None
    fn = inspect.getattr_static(type(me), name, None)
    if not objinit.plain(fn) or not _plain(fn) or lw.inline_depth >= _DEPTH:
        return None
    if not _sub_object_calls(fn, me):
        return None
    ops, augmented = lw.b.block.ops, len(lw.augmented)
    start, loc, env = len(ops), lw.b.loc, dict(lw.env)
    try:
        return varargs.inline_call(lw, fn, node, _DEPTH, front=(base,))
    except SrcadError:  # lowered as a call, as before
        del ops[start:], lw.augmented[augmented:]
        lw.b.loc = loc
        lw.env.clear()
        lw.env.update(env)
        return None


class _Back(Exception):
    """Not inlined (see `global_method`)."""


def _sub_object_calls(fn: Any, me: Any) -> bool:
    """Does `fn`'s body read ``self.a`` (``self.a.m(x)``, ``self.a * p``) with ``me.a`` an
    object of a user class?"""
    try:
        src = varargs.get_source(fn)
    except Exception:  # noqa: BLE001 - no source: not inlined
        return False
    a = src.node.args.args
    name = a[0].id if a else None
    if any(  # a method updating state: lowered as before (primal: Python's own call)
        isinstance(n, gast.AugAssign)
        or (isinstance(n, (gast.Attribute, gast.Subscript)) and isinstance(n.ctx, gast.Store))
        for n in gast.walk(src.node)
    ):
        return False
    for f in gast.walk(src.node):
        if (
            isinstance(f, gast.Attribute)
            and isinstance(f.ctx, gast.Load)
            and isinstance(f.value, gast.Name)
            and f.value.id == name
            and user_class(getattr(me, "__dict__", {}).get(f.attr)) is not None
        ):
            return True
    return False
