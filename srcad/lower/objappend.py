"""A model's layers appended in its ``__init__``: ``self.layers = []`` then
``self.layers.append(Dense(w))`` -> the field a list of objects known when lowering (`FnSeq`).

Input: the lowering state while the ``__init__`` of an object built here is lowered
(lower/objinit.lower_body sets ``lw.initializing`` to the object), an ``append`` target
``self.<field>``, and a ``for`` body. Output:

- `place`: the field's list and how to rebind the field, when the field holds a `FnSeq` made
  here or an empty list made by ``[]`` in this block that no operation read since and nothing
  else holds (no name, no other field, no object, no function's default): the list Python has
  is then only ever reached through the field, so lower/fnlists.append may make it a `FnSeq`
  (``for layer in self.layers: x = layer(x)`` in a method then calls known classes);
- `appends_objects`: whether a ``for`` body appends an object of a user class onto such a list
  (``for w in (0.5, 1.5): self.layers.append(Dense(w))``, ``layers.append(Dense(w))`` of a
  fresh local list), so lower/fnlists.loop_items unrolls a loop over constants, each round's
  append of a known object.

Exact: the appends are the same objects in the same order; the object's ``__init__`` is lowered
only when it has no effects (lower/objects.construct), so building it again where it is used as
a run-time value appends the same layers. Anything else (an append in a method called later, of a
value that is not an object or function) is lowered as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import gast

from srcad import lazy
from srcad.lower import objseq
from srcad.lower.objseq import FnSeq
from srcad.lower.values import LocalObj, Opaque
from srcad.ssa.core import Var

_fnlists = lazy.module("srcad.lower.fnlists")  # (it imports this module)


def place(lw: Any, target: gast.Attribute) -> tuple[Any, Any] | None:
    """(``self.<field>``'s list, a function rebinding the field) per the module docstring, or
    None."""
    obj = lw.env.get(target.value.id) if isinstance(target.value, gast.Name) else None
    if not isinstance(obj, LocalObj) or getattr(lw, "initializing", None) is not obj:
        return None
    name = target.attr
    if name not in obj.fields or name in obj.mutable or obj.escaped is not None:
        return None
    seq = obj.fields[name]
    fresh = isinstance(seq, Var) and _fnlists.fresh_list(lw, seq)
    if not (isinstance(seq, FnSeq) or (fresh and not _held_elsewhere(lw, obj, name, seq))):
        return None
    return seq, lambda new: obj.fields.__setitem__(name, new)


def _held_elsewhere(lw: Any, obj: LocalObj, name: str, v: Var) -> bool:
    """Does anything the lowering holds, but `obj`'s field `name`, hold `v`? (an unknown kind of
    transform-time value counts as holding it)"""
    seen: set[int] = set()
    todo: list = list(lw.env.values())
    todo.extend(x for k, x in obj.fields.items() if k != name)
    while todo:
        x = todo.pop()
        if x is v:
            return True
        if isinstance(x, Var) or id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, LocalObj):
            todo.extend(u for k, u in x.fields.items() if not (x is obj and k == name))
        elif isinstance(x, (tuple, list)):
            todo.extend(x)
        elif isinstance(x, dict):
            todo.extend(x.values())
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            todo.extend(getattr(x, f.name) for f in dataclasses.fields(x))
        elif isinstance(x, Opaque):
            return True
    return False


def appends_objects(lw: Any, body: list, place_of: Any) -> bool:
    """Does `body` append an object of a user class (``X.append(C(...))``, `C` a global name of
    a user class) onto a list `place_of` accepts (lower/fnlists._place)?"""
    for n in _fnlists.own_walk(body):
        if not (isinstance(n, gast.Expr) and isinstance(n.value, gast.Call)):
            continue
        call = n.value
        f = call.func
        if not (isinstance(f, gast.Attribute) and f.attr == "append" and len(call.args) == 1):
            continue
        arg = call.args[0]
        if not (isinstance(arg, gast.Call) and isinstance(arg.func, gast.Name)):
            continue
        if arg.func.id in lw.env:
            continue
        kind, cls = lw.ns.lookup(arg.func.id)
        if kind == "global" and objseq.user_class(cls) and place_of(lw, f.value) is not None:
            return True
    return False
