"""Which record-like classes lower/objrecord.py may build as objects, and which parameter defaults
a field may take from an ``__init__`` (lower/objects.py, lower/objinit.py): no imports of the
object lowering, so both sides may ask.

Input: a class, or a default value. Output: a kind name or None; a bool.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any

import numpy as np

from srcad.lower.objseq import user_class
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES
from srcad.trees import record_fields, simple_init

_CUSTOM = ("__setattr__", "__getattr__", "__getattribute__", "__new__", "__delattr__")
FACTORIES = {list: "list", dict: "dict"}


def kind(cls: type) -> str | None:
    """ "plain" (a record by its ``__init__``), "bare" (no ``__init__`` of its own),
    "dataclass" (a mutable dataclass record), or None for other classes."""
    if type(cls) is not type or not user_class(cls) or issubclass(cls, tuple):
        return None
    if module_top(cls) in LIBRARY_MODULES:
        return None
    if any(n in k.__dict__ for k in cls.__mro__[:-1] for n in _CUSTOM):
        return None  # (a frozen dataclass defines __setattr__)
    if dataclasses.is_dataclass(cls):
        if record_fields(cls) is None or not all(_default_ok(f) for f in dataclasses.fields(cls)):
            return None
        return "dataclass"
    if next(k for k in cls.__mro__ if "__init__" in vars(k)) is object:
        return "bare"
    return "plain" if simple_init(cls) is not None else None


def _default_ok(f: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return _constant(f.default)
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory in FACTORIES or user_factory(f.default_factory)
    return True


def user_factory(fac: Any) -> bool:
    """A ``field(default_factory=...)`` of the user's (``lambda: np.zeros(2)``, a module-level
    function): lower/objrecord.py calls it for each object built, as Python's ``__init__``."""
    return isinstance(fac, types.FunctionType) and module_top(fac) not in LIBRARY_MODULES


def _constant(v: Any) -> bool:
    if type(v) is tuple:
        return all(_constant(e) for e in v)
    return isinstance(v, (bool, int, float, complex, str, type(None)))


def immutable_default(v: Any) -> bool:
    """May a parameter's default value be a field's value here? Python gives every call the
    one default object: a list, dict, array or object there is shared by every object built
    without that argument, and a write through one is seen by the others (not here)."""
    if type(v) is tuple:
        return all(immutable_default(e) for e in v)
    return isinstance(
        v,
        (bool, int, float, complex, str, bytes, type(None), type, types.FunctionType,
         types.BuiltinFunctionType, types.ModuleType, np.ufunc, np.generic),
    )  # fmt: skip
