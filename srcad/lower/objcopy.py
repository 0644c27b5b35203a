"""``copy.copy(obj)`` / ``copy.deepcopy(obj)`` of an object built here: a new object built here.

Input: the lowerer, the `LocalObj` (lower/objects.py) the argument lowered to, the call node and
whether the copy is deep. Output: a new `LocalObj` of the same class whose fields are the
object's current ones (``copy.copy``: the same values, as Python's shallow copy shares them; the
mutation check sees the sharing as it sees ``y = o.b``), or for ``copy.deepcopy`` a
``_srcad.deep_copy`` of each number/array value the object reaches through its fields and the
objects built here it holds, one per SSA value (Python's one memo: a value two fields hold stays
shared in the copy; an object held twice is copied once); two distinct values that are one
mutable object when the code runs (``b = np.asarray(a)``) are refused then (at most 12 values).
The copy's written fields live in the environment as any object's
(lower/objstate.mutable_fields); used as a run-time value it is refused (srcad cannot build it
again by calling its class).

None (lowered as before: a run-time copy, or for ``copy.copy`` refused) when the class (not
``object``) customizes copying (``__copy__``, ``__deepcopy__``, ``__reduce__``, ...), has
``__slots__``, the object escaped to code srcad does not follow, or a field holds what is no
number, array or object built here (a function, a field set in some paths only).
"""

from __future__ import annotations

from typing import Any

import gast
import numpy as np

from srcad.lower import objrecord, objstate
from srcad.lower.partials import _load, _lower_with
from srcad.lower.values import LocalObj, PrimRef
from srcad.ssa.core import Const, Var

_MAX_LEAVES = 12
_IMMUTABLE = (bool, int, float, complex, str, bytes, type(None), np.generic)
_SHARED = (
    "`copy.deepcopy` of an object two of whose fields hold one mutable object (an array, a "
    "list): srcad copies each field's value on its own"
)
_HOOKS = ("__copy__", "__deepcopy__", "__reduce__", "__reduce_ex__", "__getstate__",
          "__setstate__", "__getnewargs__", "__getnewargs_ex__", "__slots__")  # fmt: skip


def copy_object(lw: Any, obj: LocalObj, node: Any, deep: bool) -> LocalObj | None:
    """The copy of the module docstring, or None."""
    graph: dict[int, tuple[LocalObj, dict]] = {}  # id -> (object, its current fields)
    if not _collect(lw, obj, graph):
        return None
    if not deep:
        return _build(lw, obj, graph[id(obj)][1])
    leaves: dict[int, Any] = {}  # id of a Var -> its position in the tuple
    order: list = []
    for _, fields in graph.values():
        for v in fields.values():
            if isinstance(v, Var) and id(v) not in leaves:
                leaves[id(v)] = len(order)
                order.append(v)
    lw.at(node)
    if len(order) > _MAX_LEAVES:
        return None
    _distinct(lw, order, node)
    got = [lw.op("srcad.runtime.deep_copy", [v], hint="copy") for v in order]
    made: dict[int, LocalObj] = {}

    def new(o: LocalObj) -> LocalObj:
        if id(o) in made:
            return made[id(o)]
        out = made[id(o)] = LocalObj(o.cls, {})
        for name, v in graph[id(o)][1].items():
            if isinstance(v, LocalObj):
                out.fields[name] = new(v)
            elif isinstance(v, Var):
                out.fields[name] = got[leaves[id(v)]]
            else:
                out.fields[name] = v
        objstate.mutable_fields(lw, out)
        return _rebuildable(lw, out)

    return new(obj)


def _distinct(lw: Any, leaves: list, node: Any) -> None:
    """Refuse when the code runs if two of the leaves (distinct SSA values) are one mutable
    object (``b = np.asarray(a)``): Python's one memo would copy it once, shared."""
    for k, a in enumerate(leaves):
        for b in leaves[k + 1 :]:
            names = {"$oca": a, "$ocb": b, "$oct": Const(_IMMUTABLE),
                     "$oci": PrimRef("isinstance", isinstance, None)}  # fmt: skip
            test = gast.BoolOp(op=gast.Or(), values=[
                gast.Compare(left=_load("$oca", node), ops=[gast.IsNot()],
                             comparators=[_load("$ocb", node)]),
                gast.Call(func=_load("$oci", node),
                          args=[_load("$oca", node), _load("$oct", node)], keywords=[]),
            ])  # fmt: skip
            for n in gast.walk(test):
                if "lineno" in n._attributes:
                    gast.copy_location(n, node)
            ok = _lower_with(lw, names, test)
            lw.op("srcad.runtime.require", [ok, Const(_SHARED)])


def _build(lw: Any, obj: LocalObj, fields: dict) -> LocalObj:
    out = LocalObj(obj.cls, dict(fields))
    objstate.mutable_fields(lw, out)
    return _rebuildable(lw, out)


def _rebuildable(lw: Any, out: LocalObj) -> LocalObj:
    """`out` used as a run-time value later is its class called with its fields as they are
    then (a record: every attribute an ``__init__`` parameter or dataclass field sets,
    lower/objrecord.current_args); other copies are refused there."""
    if objrecord.current_args(lw, out, None) is not None:
        out.make = (Const(out.cls), [], {}, lw.b.loc)
        out.written = lw.b.loc.line  # (lower/objects.as_value: built from the current fields)
    return out


def _collect(lw: Any, obj: LocalObj, graph: dict) -> bool:
    """Every object built here `obj` reaches, with its current fields, into `graph`; False when
    one may not be copied here (module docstring)."""
    if id(obj) in graph:
        return True
    cls = obj.cls
    if obj.escaped is not None or any(n in vars(k) for k in cls.__mro__[:-1] for n in _HOOKS):
        return False
    fields = {}
    for name in [*obj.fields, *sorted(obj.mutable - set(obj.fields))]:
        if name in obj.mutable:
            k = objstate.key(obj, name)
            if k not in lw.env or objstate.maybe_unset(lw, k):
                if name in obj.fields:
                    return False
                continue  # (not set: nor in Python's copy)
            v = lw.env[k]
        else:
            v = obj.fields[name]
        if isinstance(v, Const) and type(v.value) not in (bool, int, float, complex, str):
            if v.value is not None:
                return False
        elif not isinstance(v, (Var, Const, LocalObj)):
            return False
        fields[name] = v
    graph[id(obj)] = (obj, fields)
    return all(_collect(lw, v, graph) for v in fields.values() if isinstance(v, LocalObj))
