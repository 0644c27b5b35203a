"""Model objects as trees: instances whose fields are their own attributes (``__dict__``).

Input: a user object (an argument such as a ``Model`` whose ``__init__`` computes its weights).
Output: its fields -- the instance's attributes at call time, in their order -- and which of them
carry floats (*dynamic*: they get derivatives) and which do not (*static*: an int ``depth``, a
string ``act``, a callable, a list of ints, a random Generator: no derivative, None in a
gradient; an object of another kind counts as dynamic: its derivative is asked, or refused).
`srcad.trees` uses this for classes that are no record of their own (see its docstring): a
derivative of such an object is an object of the same class built without running
``__init__``, holding a derivative in each dynamic field and None in each static one::

    >>> class M:
    ...     def __init__(self, n):
    ...         self.w, self.n = np.ones(n), n
    >>> open_fields(M(2)), dynamic_names(M(2))
    (('w', 'n'), ('w',))

A class qualifies (`open_class`) when it and its bases are plain user classes (no ``__slots__``,
no custom attribute access, no base from the standard library or a known library); an instance
qualifies when its attributes are strings that no class in its MRO defines (no method, property
or class attribute shadowed or shadowing).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad import lazy
from srcad.arrays import is_duck_array

_trees = lazy.module("srcad.trees")  # (it imports this module)

_LIBRARIES = frozenset(
    {"numpy", "scipy", "srcad", "pandas", "sklearn", "matplotlib", "torch", "jax", "gast"}
)
_CUSTOM = ("__setattr__", "__delattr__", "__getattr__", "__getattribute__", "__new__")
_OPEN: dict[type, bool] = {}


def open_class(cls: type) -> bool:
    """Can instances of `cls` be trees of their attributes? (A layout subclass,
    lower/reads.layout_class, stands for its base.)"""
    cls = cls.__dict__.get("__srcad_base__", cls) if isinstance(cls, type) else cls
    hit = _OPEN.get(cls)
    if hit is None:
        _OPEN[cls] = hit = _open_class(cls)
    return hit


def _open_class(cls: Any) -> bool:
    if type(cls) is not type or cls.__mro__[-1] is not object:
        return False
    for k in cls.__mro__[:-1]:
        top = (getattr(k, "__module__", "") or "").split(".")[0]
        if type(k) is not type or top in _LIBRARIES or top in sys.stdlib_module_names:
            return False
        if "__slots__" in k.__dict__ or any(n in k.__dict__ for n in _CUSTOM):
            return False
    return True


def open_fields(x: Any) -> tuple[str, ...] | None:
    """The attributes of the instance `x` of an open class, in order, when none is defined by
    a class of its MRO; None otherwise (not a tree: its attribute reads stay refused)."""
    d = getattr(x, "__dict__", None)
    if type(d) is not dict:
        return None
    mro = type(x).__mro__
    for n in d:
        if type(n) is not str or any(n in k.__dict__ for k in mro):
            return None
    return tuple(d)


def dynamic_names(x: Any, leaves: Callable[[Any], list] | None = None) -> tuple[str, ...]:
    """The fields of the open object `x` that carry floats (a float, a float array, a list or
    nested object holding one): the ones a derivative has."""
    d = x.__dict__
    return tuple(n for n in open_fields(x) or () if carries_float(d[n], leaves))


def carries_float(v: Any, leaves: Callable[[Any], list] | None) -> bool:
    """Does the value `v` hold a floating-point leaf (`leaves`: srcad.trees.leaves, or None:
    `v` is a leaf)? Walked once per value through containers and records (every field of an
    open object: one that carries no float adds none), so a cycle (a parent pointer) ends."""
    if leaves is None:
        return _float_leaf(v)
    seen, todo = set(), [v]
    while todo:
        x = todo.pop()
        t = type(x)
        if t is dict or t is list or t is tuple or isinstance(x, (dict, list, tuple)):
            if id(x) not in seen:
                seen.add(id(x))
                todo.extend(x.values() if isinstance(x, dict) else x)
        elif _trees.is_record(x):
            if id(x) not in seen:
                seen.add(id(x))
                todo.extend(_trees.values_of(x))
        elif _float_leaf(x):
            return True
    return False


def cycle_safe(check: Callable[[Any, str], Any], value: Any, what: str) -> Any:
    """`check(value, what)` (args.py's float check), or the (message, hint) refusing a cycle of
    objects in `value` (a field pointing back at an object holding it: no tree; its walk reached
    Python's recursion limit)."""
    try:
        return check(value, what)
    except RecursionError:
        return (
            f"{what} holds a cycle of objects; srcad's derivatives of objects are trees of their "
            "fields",
            "differentiate with respect to the arrays (a dict or list of them), and pass the "
            "objects as arguments not differentiated",
        )


_STATIC = (
    int, str, bytes, type(None), np.integer, np.bool_, type, types.FunctionType,
    types.BuiltinFunctionType, types.MethodType, types.ModuleType, np.ufunc, np.dtype, slice,
    range, np.random.Generator, np.random.RandomState, np.random.BitGenerator,
)  # fmt: skip


def _float_leaf(e: Any) -> bool:
    """May the leaf `e` carry a derivative? No for numbers that are not floats, integer arrays,
    strings, functions, random generators; yes for floats, float arrays and any other object
    (then a derivative is asked of it: srcad refuses what it cannot give, never drops it)."""
    if isinstance(e, np.ndarray) or is_duck_array(e):
        return e.dtype.kind not in "biu"
    return not isinstance(e, _STATIC) or isinstance(e, (float, np.inexact))
