"""Objects of record-like classes whose fields are written after they are built, made in the
lowered code as `LocalObj`s (lower/objects.py) without lowering an ``__init__`` body: the fields
are the call's arguments.

Input: the lowering state `lw`, a class known at transform time and the call node building it.
Output: a `LocalObj` (its written fields then kept in the environment by lower/objstate.py), or
None (the call is lowered as before: a record is a run-time value, and writing its fields stays
refused).

The classes: plain records (``__init__`` only stores its parameters, tuple assignments
``self.W, self.b = W, b`` included: `srcad.trees.simple_init`), classes with no ``__init__`` of
their own (``class Tanh: def forward(self, x): self.out = np.tanh(x); ...``) and non-frozen
dataclasses whose generated ``__init__`` runs (defaults of numbers, strings, None and tuples of
them; ``field(default_factory=list)`` / ``dict`` a new empty container). They are built here only
when something writes their attributes: a method of the class stores to ``self`` (the from-scratch
NN layer caching its input, ``self.inp = x``), or the function or a helper it reaches stores an
attribute of a field's name (``q.a = q.a + q.b`` on a dataclass); or when the call passes an
object built here or a function by its global name (sklearn's loss records holding ``closs``),
or makes an object of a class with no ``__init__`` (``self.link = LogLink()``: methods only).
Namedtuples and frozen dataclasses are immutable (Python raises on a write) and stay records; so
do classes that change attribute access. Classes with ``__slots__`` (every class of the MRO, no
``__dict__`` slot) are built too, a store outside the slots refused (Python raises
AttributeError: `trees.slots`).

Where such an object is used as a run-time value it is its class called again with the same
arguments (`objects.as_value`), which lower/objstate.py allows only while no field was written.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from typing import Any

import gast

from srcad.lower import objcalls, objinit, objstate, varargs
from srcad.lower.escapes import self_stores
from srcad.lower.recordkinds import FACTORIES, immutable_default, kind
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Operand
from srcad.trees import record_fields, simple_init


def wanted(lw: Any, cls: type) -> bool:
    """Is `cls` of a `kind` and are its objects' attributes written (see the module
    docstring)?"""
    if kind(cls) is None:
        return False
    fields = set(record_fields(cls) or ())
    return bool(self_stores(cls)) or objstate.writes_fields(lw, cls, fields)


def build(lw: Any, cls: type, callee: Operand, node: gast.Call) -> LocalObj | None:
    """``cls(args)`` at `node` as a `LocalObj` whose fields are the arguments, or None; also a
    record given an object built here (``Holder(V(a, b))``: the field stays that object, so
    its operators and methods are known when lowering)."""
    k = kind(cls)
    bare = k == "bare" and not node.args and not node.keywords  # `Link()`: methods only
    if k is None or not (
        bare or wanted(lw, cls) or objcalls.passes_objects(lw, node) or _passes_functions(lw, node)
    ):
        return None
    if any(isinstance(a, gast.Starred) for a in node.args) or any(
        kw.arg is None for kw in node.keywords
    ):
        return None
    try:
        sig = inspect.signature(cls)
        known = sig.bind(*node.args, **{kw.arg: kw.value for kw in node.keywords})
    except (TypeError, ValueError):
        return None  # Python raises TypeError: the call, as before
    if k == "plain" and any(  # (a dataclass's defaults: `_default_ok`)
        p.name not in known.arguments
        and p.default is not p.empty
        and not immutable_default(p.default)
        for p in sig.parameters.values()
    ):
        return None  # a shared default object (`hist=[]`): the class called when it runs
    args, kwargs = objinit.arguments(lw, node)  # objects built here stay objects
    lw.at(node)
    bound = sig.bind(*args, **kwargs)
    given = dict(bound.arguments)
    fields: dict = {}
    if k == "dataclass":
        for f in dataclasses.fields(cls):
            fields[f.name] = given[f.name] if f.name in given else _default(lw, f, node)
    elif k == "plain":
        params = inspect.signature(inspect.getattr_static(cls, "__init__")).parameters
        for attr, p in simple_init(cls):
            fields[attr] = given[p] if p in given else Const(params[p].default)
    obj = LocalObj(cls, fields)
    obj.make = (callee, args, kwargs, lw.b.loc)
    objstate.mutable_fields(lw, obj)
    return obj


def namespace(lw: Any, callee: Operand, node: gast.Call) -> LocalObj | None:
    """``types.SimpleNamespace(a=v, ...)`` (keywords only) whose attributes the function (or a
    helper it reaches) writes: a `LocalObj` of the keywords (a state bag), or None."""
    if node.args or any(kw.arg is None for kw in node.keywords):
        return None
    if not objstate.written_fields(lw, types.SimpleNamespace):
        return None
    args, kwargs = objinit.arguments(lw, node)
    lw.at(node)
    obj = LocalObj(types.SimpleNamespace, dict(kwargs))
    obj.make = (callee, args, kwargs, lw.b.loc)
    objstate.mutable_fields(lw, obj)
    return obj


def _passes_functions(lw: Any, node: gast.Call) -> bool:
    """Does the call pass a module-level user function (or a library one srcad has rules for) by
    its global name (``Loss(_half_squared)``): built here, its methods' ``self.fn(y, r)`` call
    that function, known when lowering."""
    for a in [*node.args, *(kw.value for kw in node.keywords)]:
        if isinstance(a, gast.Name) and a.id not in lw.env and a.id not in lw.py_locals:
            f = lw.ns.lookup(a.id)[1]
            if isinstance(f, types.FunctionType) and not varargs.library(f):
                return True
            if varargs.library_callable(f):
                return True
    return False


def _default(lw: Any, f: Any, node: gast.Call) -> Operand:
    if f.default is not dataclasses.MISSING:
        return Const(f.default)
    if f.default_factory in FACTORIES:
        return lw.op(FACTORIES[f.default_factory], [])  # a new container, as Python's factory
    name = _temp(lw)  # the user's factory (`lambda: np.zeros(2)`), called as Python's __init__
    lw.env[name] = Const(f.default_factory)
    try:
        call = gast.copy_location(gast.Call(_load(name, node), [], []), node)
        return lw.operand(lw.expr(call), node)
    finally:
        lw.env.pop(name, None)


def replace(lw: Any, node: gast.Call, other: Any) -> Any:
    """``dataclasses.replace(p, a=v)``: of an object built here (its fields perhaps written), the
    class called with its fields as they are now and the changes (Python's replace calls
    ``__init__`` with the init fields so, the changes evaluated first); of another value
    ``other(lw, p, node, "dataclass")`` (lower/idioms.replace_fields: ``_srcad.record_replace``)."""
    p = lw.expr(node.args[0])
    cls = p.cls if isinstance(p, LocalObj) else None
    if (
        cls is None
        or not dataclasses.is_dataclass(cls)
        or any(k.arg is None for k in node.keywords)
    ):
        return other(lw, lw.operand(p, node.args[0]), node, "dataclass")
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    if any(k.arg not in names for k in node.keywords):
        return other(lw, lw.operand(p, node.args[0]), node, "dataclass")
    temps, keywords = [], []
    for k in node.keywords:  # the changes first, as Python evaluates them before the call
        temps.append(_temp(lw))
        lw.env[temps[-1]] = lw.value(k.value)
        keywords.append(gast.keyword(k.arg, _load(temps[-1], k.value)))
    temps.append(_temp(lw))
    lw.env[temps[-1]] = Const(cls)
    obj_name = _temp(lw)
    lw.env[obj_name] = p
    temps.append(obj_name)
    given = {k.arg for k in node.keywords}
    for f in dataclasses.fields(cls):
        if f.init and f.name not in given:
            attr = gast.Attribute(value=_load(obj_name, node), attr=f.name, ctx=gast.Load())
            keywords.append(gast.keyword(f.name, gast.copy_location(attr, node)))
    call = gast.copy_location(gast.Call(_load(temps[-2], node), [], keywords), node)
    try:
        return lw.expr(call)
    finally:
        for t in temps:
            lw.env.pop(t, None)


def current_args(lw: Any, obj: LocalObj, node: Any) -> dict | None:
    """The keyword arguments that build `obj` again as it is now, its fields written since: a
    record whose every attribute an ``__init__`` parameter (or dataclass field) sets (then the
    rebuilt object holds what `obj` holds); None for other objects (or when unsure)."""
    cls, k = obj.cls, kind(obj.cls)
    if k == "dataclass":
        fs = dataclasses.fields(cls)
        if not all(f.init for f in fs):
            return None
        pairs = [(f.name, f.name) for f in fs]
    elif k == "plain":
        pairs = [(p, attr) for attr, p in simple_init(cls) or ()]
        params = list(inspect.signature(cls).parameters)
        if sorted(p for p, _ in pairs) != sorted(params) or len(set(params)) != len(pairs):
            return None  # (a parameter not stored, or stored twice)
    else:
        return None
    if not set(obj.mutable) <= {attr for _, attr in pairs}:
        return None  # an attribute a method stores: not an argument
    out = {}
    for p, attr in pairs:
        v = objstate.read(lw, obj, attr, node) if attr in obj.mutable else obj.fields.get(attr)
        if v is None:
            return None
        out[p] = lw.operand(v, node)
    return out


def _temp(lw: Any) -> str:
    lw.replace_n = getattr(lw, "replace_n", 0) + 1
    return f"$replace{lw.replace_n}"


def _load(name: str, like: Any) -> gast.Name:
    return gast.copy_location(gast.Name(name, gast.Load(), None, None), like)
