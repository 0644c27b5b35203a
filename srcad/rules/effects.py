"""The runtime helpers of updates of module-level containers (``HIST.append(float(loss))``,
``CNT["n"] += 1``: lower/globaleffects.py; ``global CALLS; CALLS += 1``: lower/globalcounts.py),
with their rules.

Input: the `RuleTable` pair. Output: the tables filled with zero rules for the helpers: an update
of a global is an effect, no result of the function depends on it (ad/effects.py refuses a
differentiated value stored where the function may read it back). The generated code calls them
as ``_srcad.global_method("mod", "HIST", "append", v)`` (the global read from its module
when the code runs, as Python does); the value stored is a copy of an array,
list or dict (the value it had there: the function's later updates of its own names are
refused, lower/globaleffects.py). A Jacobian computed column by column (srcad.hessian, jacfwd)
runs them for its first column only (srcad/columns.py).
"""

from __future__ import annotations

import copy
import inspect
import operator
import sys
from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.columns import muted
from srcad.errors import SrcadError
from srcad.lower.reads import check_numbers_kept
from srcad.rules.helpers import defzero_helper, helper

_COPIED = (list, dict, set)


def _value(v: Any) -> Any:
    if isinstance(v, _COPIED) or hasattr(v, "__array_interface__"):
        return copy.deepcopy(v)
    return v


@helper
def global_method(module: str, name: str, method: str, *args: Any) -> None:
    """``G.<method>(*args)`` of the global `name` of `module` (``append``, ``extend``, ...)."""
    if muted():
        return
    obj = vars(sys.modules[module])[name]
    getattr(obj, method)(*(_value(a) for a in args))
    check_numbers_kept(obj, name)


@helper
def global_item(module: str, name: str, key: Any, op: str | None, value: Any) -> None:
    """``G[key] = value`` (`op` None) or ``G[key] op= value`` (`op`: ``"iadd"``, ...) of the
    global `name` of `module`."""
    if muted():
        return
    obj = vars(sys.modules[module])[name]
    value = _value(value)
    obj[key] = value if op is None else getattr(operator, op)(obj[key], value)
    check_numbers_kept(obj, name)


@helper
def global_update(module: str, name: str, op: str, value: Any) -> None:
    """``global N; N op= value`` of the global number `N` of `module` (``CALLS += 1``,
    lower/globalcounts.py); refused when `N` or `value` is no number when it runs."""
    if muted():
        return
    d = vars(sys.modules[module])
    old = d[name]
    if not isinstance(old, _NUMBERS) or not isinstance(value, _NUMBERS):
        raise SrcadError(
            f"srcad updates the global `{name}` (`global {name}; {name} op= v`) when it holds a "
            f"number and `v` is one (here a `{type(old).__name__}` and a "
            f"`{type(value).__name__}`)"
        )
    d[name] = getattr(operator, op)(old, value)


_NUMBERS = (int, float, np.integer, np.floating)
_PLAIN_SET = object.__setattr__
_IMMUTABLE = (int, float, complex, str, bytes, tuple, type(None), np.number, np.bool_)


@helper
def attr_effect(obj: Any, name: str, op: str | None, value: Any) -> None:
    """``obj.name = value`` (`op` None) or ``obj.name = operator.<op>(obj.name, value)`` (`op`:
    ``"iadd"``, ``"add"``, ...) on an object the function did not build (lower/attreffects.py);
    refused when the write would run code or change a value srcad reads (an array's ``shape``, a
    property's setter, a class's own ``__setattr__``)."""
    if muted():
        return
    cls = type(obj)
    found = inspect.getattr_static(cls, name, None)
    if (
        hasattr(obj, "__array_interface__")
        or cls.__setattr__ is not _PLAIN_SET
        or hasattr(type(found), "__set__")
        or not hasattr(obj, "__dict__")
    ):
        raise SrcadError(
            f"srcad writes `{name}` of a `{cls.__name__}` as a plain attribute only (here it is "
            "an array's, a property's or a slot's, or the class defines __setattr__)"
        )
    value = _value(value)
    old = None if op is None else getattr(obj, name)
    if op is not None and op.startswith("i") and not isinstance(old, _IMMUTABLE):
        raise SrcadError(  # the generated code may read the value (or a name sharing it) after
            f"srcad updates `{name}` of a `{cls.__name__}` with `op=` only when it holds a "
            f"number or a string (here a `{type(old).__name__}`, which Python updates in place: "
            "srcad's reads of it are not ordered against the update)"
        )
    setattr(obj, name, value if op is None else getattr(operator, op)(old, value))


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' (zero) rules."""
    defzero_helper(jvp, vjp, global_method, global_item, attr_effect, global_update)
