"""Compile-time values of the lowering environment, and small helpers shared by the lowering modules.

Input: none. Output: the kinds of things a name can stand for while lowering:

- an SSA operand (`Var` or `Const`): an ordinary runtime value;
- `ModuleRef`: a module (``np``), resolved at transform time so ``np.sin`` becomes the prim ``numpy.sin``;
- `PrimRef`: a library callable (``numpy.sin``, ``len``, ``np.float64``);
- `NestedFn`: a ``def`` or ``lambda`` inside the function, inlined at its call sites.

It also classifies objects known at transform time: NumPy's index tricks (`index_trick`), whether
``obj[i]`` is plain indexing (`plain_getitem`), whether ``obj.name(...)`` is an array method the
rules describe (`array_like_receiver`), and the einsum sublist form (`einsum_subscripts`).
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any, Union

import gast
import numpy as np

from srcad.lower.reads import (  # noqa: F401 (re-exported: the lowering reads them here)
    LIBRARY_MODULES,
    ItemRead,
    _methods,
    attrs_current,
    classify,
    layout_class,
    library_owned,
    note_attr,
    note_read,
    recording_attrs,
    replay_attrs,
    shadows_method,
    user_class,
    user_method,
)
from srcad.lower.survey import survey
from srcad.ssa.core import Const, Function, Op, Var, walk_ops


class Opaque:
    """A transform-time value whose attributes are not read at run time (a frozen distribution,
    lower/frozen.py; a polynomial object, lower/polyobj.py): ``v.name`` uses it as a value,
    refused (base.operand)."""


@dataclass(frozen=True, eq=False)
class ModuleRef:
    module: Any
    node: Any  # the expression that named it (materialized as global/attr ops when used as a value)


@dataclass(frozen=True, eq=False)
class PrimRef:
    name: str
    obj: Any
    node: Any


@dataclass(eq=False)
class NestedFn:
    node: Any  # gast.FunctionDef | gast.Lambda
    name: str
    defaults: list = field(default_factory=list)  # operands for the trailing parameters
    depth: int = 0
    kw_defaults: dict = field(default_factory=dict, kw_only=True)  # keyword-only param -> default


@dataclass(eq=False)
class LocalObj:
    """An object of a user class built in the lowered code (lower/objects.py): its fields."""

    cls: type
    fields: dict  # attribute -> environment value, in the order `__init__` stored them
    make: Any = None  # (class operand, args, kwargs, Loc) of the call, if __init__'s ops are pure
    # fields written after __init__ live in the environment (lower/objstate.py): their names,
    # the object's number there, the lines of the first write and first run-time use
    mutable: set = field(default_factory=set)
    serial: int = 0
    written: int | None = None
    escaped: int | None = None


@dataclass(frozen=True, eq=False)
class LocalMethod:
    obj: LocalObj
    fn: Any  # the class's function
    bound: str = "self"  # what it gets first: the object, nothing (static), its class ("cls")


@dataclass(frozen=True, eq=False)
class RestOf:
    """What a callee's ``*args`` gets from a starred argument of run-time length (a tuple):
    lower/starcalls.py makes it, lower/varargs.inline_call binds it."""

    items: Any  # the run-time tuple's operand


Value = Union[Var, Const, ModuleRef, PrimRef, NestedFn]


def same(a: Any, b: Any) -> bool:
    """Are two environment values the same SSA value (so an `if` needs no result for it)?"""
    if a is b:
        return True
    if isinstance(a, Const) and isinstance(b, Const):
        va, vb = a.value, b.value
        if type(va) is not type(vb):
            return False
        try:
            return bool(va == vb)
        except Exception:
            return False
    return False


def hint_of(name: str) -> str:
    """Printable hint for a (pseudo-)name: ``$ret`` -> ``ret``, ``%3.total`` -> ``total``."""
    return name.rsplit(".", 1)[-1] if name[:1] == "%" else name.lstrip("$")


def const_value(op: Any) -> tuple[bool, Any]:
    return (True, op.value) if isinstance(op, Const) else (False, None)


def python_locals(node: Any) -> set[str]:
    """Names Python treats as local to a function node: parameters and plain-name binding targets."""
    return locals_and_nested(node)[0]


def locals_and_nested(node: Any) -> tuple[set[str], list[Any]]:
    """`python_locals(node)`, and the functions and lambdas nested anywhere in `node` (defaults
    and decorators too; not those nested in them), in one walk (`lower/survey.py`)."""
    return survey(node)[:2]


# -- library objects known at transform time ------------------------------------------------------
def index_trick(obj: Any) -> str | None:
    """``"r_"``, ``"c_"``, ``"s_"`` or ``"index_exp"`` for NumPy's index-trick objects, else None."""
    for name in ("r_", "c_", "s_", "index_exp"):
        if obj is getattr(np, name, None):
            return name
    return None


def plain_getitem(obj: Any) -> bool:
    """Is ``obj[i]`` plain indexing (arrays, built-in containers, classes), whose derivative the
    `getitem` rule gives? Objects with their own ``__getitem__`` (``np.mgrid``, user classes)
    are not: their subscripts are method calls, refused or differentiated through their source."""
    if isinstance(obj, (type, np.generic)) or not hasattr(type(obj), "__getitem__"):
        return True
    return type(obj).__getitem__ in _PLAIN_GETITEMS


def array_like_receiver(obj: Any) -> bool:
    """Is `obj` a value whose methods the ``method.*`` rules describe (arrays, numbers, strings
    and built-in containers)? Other objects known at transform time (user objects, modules, ufuncs,
    random generators) have their methods called as functions."""
    return isinstance(obj, (np.ndarray, np.generic)) or type(obj) in _PLAIN_TYPES


def _plain_getitems() -> frozenset:
    kinds = (list, tuple, dict, str, bytes, range, types.MappingProxyType, np.ndarray)
    return frozenset(k.__getitem__ for k in kinds)


_PLAIN_GETITEMS = _plain_getitems()
_PLAIN_TYPES = frozenset({list, tuple, dict, str, bytes, range, int, float, complex, bool})

# ``np.<ufunc>.<method>`` -> the equivalent function, for the ufunc methods that have one (called
# with an explicit axis: ufunc reductions and accumulations default to axis 0).
UFUNC_METHODS = {
    ("add", "reduce"): "numpy.sum",
    ("multiply", "reduce"): "numpy.prod",
    ("maximum", "reduce"): "numpy.max",
    ("minimum", "reduce"): "numpy.min",
    ("add", "accumulate"): "numpy.cumsum",
    ("multiply", "accumulate"): "numpy.cumprod",
    ("hypot", "reduce"): "srcad.runtime.hypot_reduce",  # (rules/numpy_more.py)
}


def einsum_subscripts(inputs: list[Any], output: Any = None) -> str | None:
    """``np.einsum(a, [0, 1], b, [1, 2], [0, 2])``'s sublists -> ``"ab,bc->ac"`` (None when a
    sublist holds something other than ints and Ellipsis)."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def one(sub: Any) -> str | None:
        if not isinstance(sub, (list, tuple)):
            return None
        out = ""
        for s in sub:
            if s is Ellipsis:
                out += "..."
            elif type(s) is int and 0 <= s < len(letters):
                out += letters[s]
            else:
                return None
        return out

    parts = [one(s) for s in inputs]
    out = one(output) if output is not None else ""
    if any(p is None for p in parts) or out is None:
        return None
    return ",".join(parts) + ("" if output is None else "->" + out)


def static_value(fn: Function, v: Any, known: dict | None = None) -> tuple[bool, Any]:
    """The transform-time value of a Var defined by global/free/attr ops, or a parameter bound to
    a function by the caller (`known`): (found, value)."""
    if not isinstance(v, Var):
        return True, v.value
    if known and v in known:
        return True, known[v]
    for op in walk_ops(fn.body):
        if v in op.results:
            if op.prim in ("global", "free"):
                if op.params.get("generated"):  # known when differentiated again
                    stub = fn.generated.get(op.params.get("name"))
                    return stub is not None, stub
                kind, obj = fn.namespace.lookup(op.params["name"])
                if kind == "global" and not callable(obj) and user_class(obj) is not None:
                    # a global object (not in the cache key: plain globals are read live), whose
                    # methods and attributes the transform resolves: rebinding it makes a new one
                    note_read(fn.namespace.globals, ItemRead(op.params["name"]), obj)
                return kind != "missing", obj
            if op.prim.startswith("attr."):
                ok, base = static_value(fn, op.args[0], known)
                if ok and hasattr(base, op.prim[5:]):
                    value = getattr(base, op.prim[5:])
                    note_attr(base, op.prim[5:], value)
                    if user_class(value) is not None and not callable(value):
                        note_read(base, op.prim[5:], value)  # ``MD.enc``, a sub-object
                    return True, value
            if op.prim == "getitem" and len(op.args) == 2:
                return _static_item(fn, op, known)
            return False, None
    return False, None


def _static_item(fn: Function, op: Any, known: dict | None, accept: Any = None) -> tuple[bool, Any]:
    """``seq[k]`` with a constant `k` of a list/tuple/dict known at transform time, when the
    element is a function or a user object (a layer of a model), or with `accept`: recorded, so
    a transform that called it is re-made once the element is replaced. `seq` may itself be such
    an item that is a container (``CONS[1]["fun"]`` of scipy's constraint dicts)."""
    inner = _defining_getitem(fn, op.args[0])
    if inner is not None:
        ok, base = _static_item(fn, inner, known, _container)
    else:
        ok, base = static_value(fn, op.args[0], known)
    ok_k, k = _static_key(fn, op.args[1], known) if ok else (False, None)
    return _item(base, k, accept or _callee) if ok_k else (False, None)


def _defining_getitem(fn: Function, v: Any) -> Any:
    """The two-operand `getitem` op defining `v`, if one does."""
    if not isinstance(v, Var):
        return None
    op = next((o for o in walk_ops(fn.body) if v in o.results), None)
    return op if op is not None and op.prim == "getitem" and len(op.args) == 2 else None


def _container(value: Any) -> bool:
    return type(value) in (list, tuple, dict)


def _static_key(fn: Function, k: Any, known: dict | None) -> tuple[bool, Any]:
    """The key of ``seq[k]``: a constant, or an int/str item of a container known at transform
    time read with a constant key (``LOSSES[CFG["loss"]]``), recorded as read."""
    if isinstance(k, Const):
        return True, k.value
    op = next((o for o in walk_ops(fn.body) if k in o.results), None)
    if op is None or op.prim != "getitem" or len(op.args) != 2:
        return False, None
    if not isinstance(op.args[1], Const):
        return False, None
    ok, base = static_value(fn, op.args[0], known)
    # (``CFG["loss"] = "mse"`` later: a new transform)
    return _item(base, op.args[1].value, _key_like) if ok else (False, None)


def _callee(value: Any) -> bool:
    return isinstance(value, types.FunctionType) or known_object(value)


def _key_like(value: Any) -> bool:
    return type(value) in (int, str)


def _item(base: Any, k: Any, accept: Any) -> tuple[bool, Any]:
    """``base[k]`` of a list/tuple/dict `base` and an int/str `k` known at transform time, when
    `accept` takes the element: recorded as read (`note_read`)."""
    if type(base) not in (list, tuple, dict) or type(k) not in (int, str):
        return False, None
    try:
        value = base[k]
    except (LookupError, TypeError):
        return False, None
    if not accept(value):
        return False, None
    note_read(base, ItemRead(k), value)
    return True, value


def known_object(obj: Any) -> bool:
    """Is `obj` a user object whose method calls can be resolved through its class (a layer read
    from a global list)? Not when an attribute of the instance shadows a method of the class
    (``layer.forward = ...``: Python calls that). Each method is recorded as read, bound to `obj`,
    so shadowing or replacing one later (``Layer.forward = ...``) re-makes the transform."""
    cls = user_class(obj)
    if cls is None or shadows_method(obj, cls):
        return False
    note_read(obj, "__class__", cls)  # ``obj.__class__ = Other``: its methods are Other's
    for n in sorted(_methods(cls)):
        note_attr(obj, n, getattr(obj, n, None))
    return True


def const_getattr(node: Any) -> bool:
    """``getattr(obj, "name")`` (two arguments, the second a constant identifier): it is
    ``obj.name`` (``getattr(np, "sin")(x)``), lowered as that."""
    a = node.args
    return (
        len(a) == 2
        and not node.keywords
        and isinstance(a[1], gast.Constant)
        and isinstance(a[1].value, str)
        and a[1].value.isidentifier()
    )


def defining_op(v: Var, ops: list[Op], outer: list[list[Op]]) -> Op | None:
    """The op defining `v`: the last of `ops`, then of the enclosing blocks' `outer` (innermost
    last), whose results hold it. Plain loops (a generator resumes once per op)."""
    for k in range(len(ops) - 1, -1, -1):
        if v in ops[k].results:
            return ops[k]
    for j in range(len(outer) - 1, -1, -1):
        lst = outer[j]
        for k in range(len(lst) - 1, -1, -1):
            if v in lst[k].results:
                return lst[k]
    return None


def built_str(v: Any, ops: list[Op], outer: list[list[Op]], depth: int = 0) -> bool:
    """Is `v` a str when the code runs: a str constant, an f-string (``method.format`` of its
    constant), ``.join``/``.replace``/an item or slice of such a str, or ``a + b`` with such a
    part (``np.einsum(f"z{idx[w]},{idx}->{out}", g, s)``'s subscripts: lower/library.py)."""
    if isinstance(v, Const):
        return isinstance(v.value, str)
    if not isinstance(v, Var) or depth > 8:
        return False
    op = defining_op(v, ops, outer)
    if op is None or not op.args:
        return False
    if op.prim in ("method.format", "method.join", "method.replace", "getitem"):
        return built_str(op.args[0], ops, outer, depth + 1)
    if op.prim == "add" and len(op.args) == 2:
        return any(built_str(a, ops, outer, depth + 1) for a in op.args)
    return False
