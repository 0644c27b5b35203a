"""Fields of objects built here (lower/objects.py) that hold what srcad does not follow: a nested
function or lambda (micrograd's ``self._backward = lambda: None`` in ``__init__``, and the
closure each operator stores, ``out._backward = _backward``) or a set made of objects
(``self._prev = set(_children)``).

Input: the field's value as lowered (or, for a set, the value's node, before it is lowered),
the object, the field's name. Output: an `Unfollowed` marker kept as the field's value, so the
object is still built here, its other fields read and its methods inlined; reading the field
itself (calling ``v._backward()``, iterating ``v._prev``) raises `SrcadError` at that read,
saying what the field holds and where it was stored. Such a write counts as a write of the
object's fields (objstate.write): an object holding one is never rebuilt from its
constructor's arguments as a run-time value (the rebuilt object would hold ``__init__``'s
value, not the stored closure), that use is refused.

Before::

    out = Value(self.data + other.data, (self, other), "+")   # __init__: self._prev = set(...)
    out._backward = _backward                                  # a closure over self, out
    return out.data                                            # refused: `Value(...)` run-time

After: ``self.data + other.data``, the fields `_prev` and `_backward` markers nobody reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast

from srcad.lower.objseq import FnSeq
from srcad.lower.values import LocalObj, NestedFn
from srcad.ssa.core import Const

_SETS = ("set", "frozenset")


@dataclass(frozen=True, eq=False)
class Unfollowed:
    """A field's value srcad does not build: what it is, the class and field, the store's line."""

    what: str
    cls: str
    name: str
    line: int


def stored(value: Any, obj: LocalObj, name: str, node: Any) -> Any:
    """`value` stored into ``obj.name`` at `node`: a nested function becomes an `Unfollowed`
    marker; anything else is returned as it is."""
    if isinstance(value, NestedFn):
        what = "a lambda" if value.name == "<lambda>" else f"the nested function `{value.name}`"
        return Unfollowed(what, obj.cls.__name__, name, getattr(node, "lineno", 0))
    return value


def set_of_objects(lw: Any, node: Any, obj: LocalObj, name: str) -> Unfollowed | None:
    """``set(xs)`` / ``frozenset(xs)`` (the builtins) of a name bound to a tuple or list of
    hashable objects built here or to a constant tuple (``set(_children)``), about to be stored
    into ``obj.name``: its marker (nothing lowered: such a set's iteration order is the objects'
    hashes', known only when the code runs); None for other values."""
    if not (
        isinstance(node, gast.Call)
        and isinstance(node.func, gast.Name)
        and node.func.id in _SETS
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], gast.Name)
    ):
        return None
    bound = lw.env.get(node.func.id)  # (a PrimRef once read), else the module's or builtins'
    fn = getattr(bound, "obj", None) if bound is not None else lw.ns.lookup(node.func.id)[1]
    if fn is not (set if node.func.id == "set" else frozenset):
        return None  # (a local or global `set` of the user's)
    seq = lw.env.get(node.args[0].id)
    if isinstance(seq, Const) and type(seq.value) is tuple and _hashable(seq.value):
        what = f"a {node.func.id} of constants"  # (`_children=()`: the default, no children)
    elif (
        isinstance(seq, FnSeq)
        and seq.kind != "dict"
        and seq.items
        and all(isinstance(i, LocalObj) and i.cls.__hash__ is not None for i in seq.items)
    ):
        what = f"a {node.func.id} of `{seq.items[0].cls.__name__}` objects"
    else:
        return None
    return Unfollowed(what, obj.cls.__name__, name, getattr(node, "lineno", 0))


def _hashable(value: tuple) -> bool:
    try:
        hash(value)
    except TypeError:  # (Python's set() raises: lowered as it is, it does too)
        return False
    return True


def refuse(lw: Any, u: Unfollowed, node: Any) -> Exception:
    """The error for a read of the field `u` marks."""
    return lw.error(
        node,
        f"this reads `{u.cls}.{u.name}`, which holds {u.what} (stored at line {u.line}): srcad "
        "builds such an object while lowering and follows its number, array and object fields, "
        "not a function or a set stored in a field, nor code that calls or iterates it (as "
        "micrograd's `backward()` does)",
        f"differentiate the forward computation (read `.data`) with srcad instead of calling "
        f"`{u.name}`, or keep what `{u.name}` holds in a list or a method of the class",
    )


def held(lw: Any, obj: LocalObj, key: Any) -> Unfollowed | None:
    """The first field of `obj` holding an `Unfollowed` value (`key`: objstate.key), or None."""
    for name in sorted(obj.mutable):
        v = lw.env.get(key(obj, name))
        if isinstance(v, Unfollowed):
            return v
    return next((v for v in obj.fields.values() if isinstance(v, Unfollowed)), None)


def escaped(lw: Any, u: Unfollowed, node: Any) -> Exception:
    """The error for an object holding `u` used as a run-time value."""
    return lw.error(
        node,
        f"this uses a `{u.cls}` object as a value (returned, passed to a function srcad does not "
        f"inline, stored or joined), and its `{u.name}` holds {u.what} (stored at line "
        f"{u.line}): srcad builds such objects while lowering and rebuilds them from their "
        "constructor's arguments as run-time values, which would lose what was stored (a graph "
        "walked by micrograd's `backward()`, for one)",
        "return or pass the numbers (`out.data`), not the object, and differentiate the forward "
        "computation with srcad instead of calling `backward()`",
    )
