"""Tangents and cotangents of open objects (srcad.objtrees): fields read, set and added by name.

Input: a primal object `x` of an open class (a model whose ``__init__`` computes its fields), the
name of a field, (co)tangents: objects of `x`'s class holding a (co)tangent (None: zero) per
attribute `x` has. Output: the field's (co)tangent, the object's cotangent for one field read, the
sum of two cotangents. `rules/trees.py`'s `field`, `field_vjp` and `add` call these for open
objects. Fields are matched by name, and two (co)tangents whose attribute sets differ (the
object gained or lost an attribute during the call) are refused, never matched by position.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.errors import DiffError
from srcad.objtrees import carries_float
from srcad.trees import class_constant, fields_of, is_record, leaves, make_record, record_fields


def _refuse(x: Any, name: str) -> DiffError:
    return DiffError(
        f"no derivative rule for `.{name}` of a {type(x).__name__} (no attribute `{name}` of "
        "the instance, and no constant of its class)",
        hint="srcad differentiates attribute reads of an object's own attributes (set by "
        "__init__ or before the call), namedtuples and dataclasses",
    )


def field_index(x: Any, name: str) -> int:
    """The position of the field `name` of the record `x` (an open object's: of its attribute);
    DiffError when `x` is no record or has no such field (its derivative would be unknown:
    refused, not guessed)."""
    rec = is_record(x)
    fields = record_fields(type(x)) if rec else None
    if fields is None and rec:
        fields = fields_of(x)
        if name not in fields:
            raise _refuse(x, name)
    if fields is None or name not in fields:
        raise DiffError(
            f"no derivative rule for `.{name}` of a {type(x).__name__}",
            hint="srcad differentiates attribute reads of namedtuples, dataclasses and objects "
            "whose __init__ only stores its arguments (self.a = a)",
        )
    return fields.index(name)


def class_const(x: Any, name: str) -> bool:
    """``x.name`` reads a constant of `x`'s class body (srcad.trees.class_constant), not shadowed
    by an attribute of the instance: its derivative is zero."""
    return is_record(x) and name not in getattr(x, "__dict__", {}) and class_constant(type(x), name)


def _same_fields(t: Any, x: Any) -> None:
    if type(t) is not type(x) or tuple(t.__dict__) != fields_of(x):
        raise DiffError(
            f"the attributes of a {type(x).__name__} changed during the call "
            f"({sorted(t.__dict__) if type(t) is type(x) else type(t).__name__} then "
            f"{sorted(fields_of(x))}); srcad does not differentiate through that",
            hint="set the object's attributes before calling the function",
        )


def open_get(t: Any, x: Any, name: str) -> Any:
    """The tangent of ``x.name`` in `t`, the tangent of the open object `x` (None: zero). An
    attribute of `x` holding no float (an int ``depth``, a string) has none, whatever `t`
    holds there (a tangent made by copying `x` keeps it)."""
    _same_fields(t, x)
    return t.__dict__[name] if carries_float(x.__dict__[name], leaves) else None


def open_field_vjp(g: Any, x: Any, name: str, const: bool) -> Any:
    """The cotangent of the open object `x` for a read of ``x.name`` with cotangent `g`:
    `g` in that field, None (zero) in the others; all None for a constant of the class."""
    fields = fields_of(x)
    if not const and name not in fields:
        raise _refuse(x, name)
    const = const or not carries_float(x.__dict__[name], leaves)
    return make_record(type(x), [g if n == name and not const else None for n in fields], fields)


def add_open(a: Any, b: Any, add: Callable[[Any, Any], Any]) -> Any:
    """The sum of two cotangents of the same open object (same class and attributes)."""
    if type(a) is not type(b) or tuple(a.__dict__) != tuple(b.__dict__):
        raise ValueError(f"srcad: adding a {type(a).__name__} and a {type(b).__name__}")
    names = tuple(a.__dict__)
    return make_record(type(a), [add(a.__dict__[n], b.__dict__[n]) for n in names], names)
