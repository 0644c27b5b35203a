"""Properties of user objects whose class the transform knows: ``q.degree`` where ``degree`` is a
``@property`` of ``q``'s class is a call of the property's getter, differentiated through its
source like a method (a record's attribute rule knows only its fields).

Input: a `Transform` after `receivers.resolve_receivers` (`tr.kinds`: the user class of each
value whose class is known). Output: those ``attr.NAME`` ops rewritten in place as
``call(getter, obj)``, the same value Python computes (``type(obj).NAME.fget(obj)``: the class
is exactly the one known, a parameter's from the cache key or the class an op made); the
property is recorded (`values.note_read`), so replacing the property re-makes the transform.

A ``functools.cached_property`` is the same call when the object is one a call of its class made
in this function and never written (a record: the first value Python caches is the one every
call computes); on a parameter (its cache may hold any value) it stays an attribute read,
refused for want of a rule. Objects whose fields are written: lower/objects.py.

A property whose getter updates the object (`shadowed_methods.effectful_getter`) is refused where
the optimiser merged its reads (a parameter's); read out of another object or a list
(``h.inner.ticked``, ``qs[0].ticked``: marked ``read_may_update`` before the optimiser, so each
read was kept) it stays Python's attribute read, once per read as Python runs it (its object
given a tangent or cotangent: refused when the code runs, no rule for the attribute).
"""

from __future__ import annotations

import functools
import inspect
import types
from typing import Any

from srcad.lower.reads import module_name
from srcad.lower.values import note_read, static_value
from srcad.passes.missing_keys import refuse as refuse_missing_reads
from srcad.passes.shadowed_methods import effectful_getter, getter_error, refuse
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Var


def getter(cls: type, name: str, cached: bool = False) -> types.FunctionType | None:
    """The getter of the property `name` of `cls` (`cached`: a ``functools.cached_property``
    too) when it is a plain Python function (not a generator, not wrapped), else None."""
    if any(
        "__getattribute__" in k.__dict__ for k in cls.__mro__[:-1] if module_name(k) != "builtins"
    ):
        return None  # attribute access of its own (a NamedTuple's `tuple` base: the generic one)
    prop = inspect.getattr_static(cls, name, None)
    fget = prop.fget if isinstance(prop, property) else None
    if cached and isinstance(prop, functools.cached_property):
        fget = prop.func
    if not isinstance(fget, types.FunctionType) or hasattr(fget, "__wrapped__"):
        return None
    if fget.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE):
        return None
    return fget


def call_getters(tr: Any) -> None:
    """Rewrite ``obj.NAME`` of a known user class whose ``NAME`` is a property (see above); a
    helper's methods named like NumPy's and properties with effects on its parameters of known
    classes are refused as the entry point's are (`passes/shadowed_methods.refuse`)."""
    if tr.param_kinds is not None and tr.param_types:
        refuse(tr.src, tr.param_types)
        refuse_missing_reads(tr.src, tr.param_types)  # a user `__missing__`
    kinds = getattr(tr, "kinds", {})
    for k in kinds.values():  # `any(...)`, inline (no generator resumed per value)
        if isinstance(k, type):
            break
    else:
        return  # no value of a user class: no property to call
    for op in ops_of(tr.fn.body):
        if not op.prim.startswith("attr.") or len(op.args) != 1:
            continue
        recv = op.args[0]
        cls = kinds.get(recv) if isinstance(recv, Var) else None
        if not isinstance(cls, type):
            continue
        name = op.prim[5:]
        fget = getter(cls, name, _made_here(tr, recv, cls))
        if fget is None:
            continue
        if effectful_getter(cls, name):  # its reads were merged before (`passes/cse.py`)
            if op.params.get("read_may_update"):
                continue  # (a nested or listed object's: not merged, read as Python reads it)
            raise getter_error(tr.fn, op, cls)
        note_read(cls, name, inspect.getattr_static(cls, name))  # the property object
        op.prim = "call"
        op.args = [Const(fget), recv]


def _made_here(tr: Any, v: Var, cls: type) -> bool:
    """Is `v` the result of a call of the class `cls` in the function (not a parameter)?"""
    for op in ops_of(tr.fn.body):
        if v in op.results:
            if op.prim != "call":
                return False
            ok, callee = static_value(tr.fn, op.args[0], tr.known)
            return ok and callee is cls
    return False
