"""``dataclasses.asdict(p)`` / ``dataclasses.astuple(p)`` of a dataclass object built here whose
fields hold numbers or arrays: the dict (tuple) of copies of its fields.

Input: the lowering state and the call (one positional argument, a name bound to the object,
lower/objects.py). Output: ``{"w": deep_copy(p.w), "b": deep_copy(p.b)}`` (``(deep_copy(p.w),
...)``), in the order of ``dataclasses.fields``, or a located refusal::

    @dataclass
    class P: w: np.ndarray; b: float
    p = P(np.tanh(x), x[0])
    dataclasses.asdict(p)       ->   {"w": _srcad.deep_copy(p.w), "b": _srcad.deep_copy(p.b)}

Exact: Python's ``asdict`` recurses into dataclasses, lists, tuples and dicts among the values
and ``copy.deepcopy``-s the others; each field here is checked when the code runs to be an
array, a NumPy scalar, a number, a string or None (no recursion: a copy), else refused then
(a constant of another type at once). A record ``dataclasses.replace`` made of one (a call
argument, not a name: `_srcad.record_replace`) has its fields and the changes. The library's own
code (``*args`` of unknown length, a
recursion) is not lowered.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import gast
import numpy as np

from srcad.lower.values import LocalObj, defining_op
from srcad.ssa.core import Const, Operand, Var

_PLAIN = (int, float, complex, bool, str, type(None))
_LEAVES = (np.ndarray, np.generic, int, float, complex, str, type(None))
_RUN_MSG = (
    "`dataclasses.{what}` of an object whose field `{n}` holds a value srcad did not copy as "
    "Python does (a dataclass, list, tuple or dict, into which Python's recurses): srcad "
    "supports fields holding numbers or arrays"
)


def asdict(lw: Any, node: gast.Call) -> Operand:
    keys, vals = _fields(lw, node, "asdict")
    lw.at(node)
    return lw.op("dict", [a for k, v in zip(keys, vals) for a in (Const(k), v)])


def astuple(lw: Any, node: gast.Call) -> Operand:
    _, vals = _fields(lw, node, "astuple")
    lw.at(node)
    return lw.op("tuple", vals)


def _fields(lw: Any, node: gast.Call, what: str) -> tuple[list[str], list[Operand]]:
    a = node.args[0] if len(node.args) == 1 and not node.keywords else None
    obj = lw.env.get(a.id) if isinstance(a, gast.Name) else None
    made = _record_args(lw, obj) if isinstance(obj, Var) else None
    if made is None and not (isinstance(obj, LocalObj) and dataclasses.is_dataclass(obj.cls)):
        raise _refused(lw, node, what, "of a dataclass object built in this function")
    names = list(made) if made is not None else [f.name for f in dataclasses.fields(obj.cls)]
    vals = []
    for n in names:
        if made is not None:
            v = made[n]
        else:
            v = lw.value(gast.copy_location(gast.Attribute(value=a, attr=n, ctx=gast.Load()), a))
        if isinstance(v, Const) and type(v.value) not in _PLAIN:
            raise _refused(lw, node, what, f"whose fields hold numbers or arrays (`{n}` may not)")
        lw.at(node)
        if not isinstance(v, Const):  # checked when it runs: Python's would recurse into others
            ok = lw.op("isinstance", [v, Const(_LEAVES)])
            lw.op("srcad.runtime.require", [ok, Const(_RUN_MSG.format(what=what, n=n))])
            v = lw.op("srcad.runtime.deep_copy", [v])
        vals.append(v)
    return names, vals


def _record_args(lw: Any, v: Var) -> dict | None:
    """field -> operand of a dataclass record `v` made by a call here (a run-time value: its
    fields are never written, lower/objrecord.py), every field set by ``__init__`` from the
    call's arguments or a default; None otherwise."""
    op = defining_op(v, lw.b.block.ops, lw.outer_ops)
    if op is not None and op.prim == "srcad.runtime.record_replace":
        return _replaced(lw, op)
    known, cls = lw.static_object(op.args[0]) if op is not None and op.prim == "call" else (0, 0)
    if not known or not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
        return None
    fs = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or not all(f.init for f in fs):
        return None
    try:
        bound = inspect.signature(cls).bind(*op.args[1:], **op.kwargs)
    except TypeError:
        return None
    out = {}
    for f in fs:
        if f.name in bound.arguments:
            out[f.name] = bound.arguments[f.name]
        elif f.default is not dataclasses.MISSING:
            out[f.name] = Const(f.default)
        else:
            return None  # (a `default_factory`: a new container)
    return out


def _replaced(lw: Any, op: Any) -> dict | None:
    """`_record_args` of ``dataclasses.replace(p, a=v)`` lowered as `_srcad.record_replace`
    (lower/idioms.replace_fields) of a record `p` `_record_args` knows: its fields, those
    named replaced by the values given (the ``tuple`` op's operands); None otherwise."""
    recv, how, names, vals = op.args
    if how != Const("dataclass") or not isinstance(recv, Var) or not isinstance(names, Const):
        return None
    made = _record_args(lw, recv)
    given = defining_op(vals, lw.b.block.ops, lw.outer_ops) if isinstance(vals, Var) else None
    if made is None or given is None or given.prim != "tuple":
        return None
    if len(given.args) != len(names.value) or not set(names.value) <= set(made):
        return None
    return {**made, **dict(zip(names.value, given.args))}


def _refused(lw: Any, node: gast.Call, what: str, which: str) -> Exception:
    return lw.error(
        node,
        f"`dataclasses.{what}(p)` is supported for one argument, {which}: Python's copies "
        "and recurses into dataclasses and containers among the values",
        "read the fields by name (`p.w`, `p.b`), or `vars(p)` of a dataclass built here (its "
        "fields as they are, no copies)",
    )
