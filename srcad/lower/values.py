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

import contextlib
import inspect
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

import gast
import numpy as np

from srcad.arrays import is_duck_array_type
from srcad.lower.survey import survey
from srcad.ssa.core import Const, Function, Var, walk_ops


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


# -- attribute reads a transform depends on ---------------------------------------------------
_ATTRS = threading.local()  # .reads: (object, attribute, value) read while transforming
_LIBRARIES = ("numpy", "math", "cmath", "scipy", "builtins", "operator", "srcad")


@contextlib.contextmanager
def recording_attrs() -> Iterator[list[tuple[Any, str, Any]]]:
    """Collect the callables and modules read as attributes of objects known at transform time
    (``mylib.f``, ``cfg.act``) in this thread meanwhile: the transform's result depends on them,
    so a cache entry is valid only while each attribute still holds the same object
    (`attrs_current`). Nested recordings add theirs to the outer one."""
    outer = getattr(_ATTRS, "reads", None)
    reads: list[tuple[Any, str, Any]] = []
    _ATTRS.reads = reads
    try:
        yield reads
    finally:
        _ATTRS.reads = outer
        if outer is not None:
            outer.extend(reads)


def note_attr(obj: Any, name: str, value: Any) -> None:
    """Record that a transform read ``obj.name`` (a callable or module) as `value`. Attributes of
    library modules (NumPy, SciPy, math) are not recorded: they are not rebound in practice."""
    reads = getattr(_ATTRS, "reads", None)
    if reads is None or not (callable(value) or isinstance(value, types.ModuleType)):
        return
    if isinstance(obj, types.ModuleType) and obj.__name__.split(".")[0] in _LIBRARIES:
        return
    reads.append((obj, name, value))


@dataclass(frozen=True)
class ItemRead:
    """The key of a recorded read ``obj[key]`` (a global's binding, a list's element); ``len``
    with ``length``: the list's length, compared by value."""

    key: Any = None
    length: bool = False

    def get(self, obj: Any) -> Any:
        try:
            return len(obj) if self.length else obj[self.key]
        except (LookupError, TypeError):
            return _MISSING


def note_read(obj: Any, key: ItemRead | str, value: Any) -> None:
    """Record that a transform read ``obj[key.key]`` (``len(obj)``; ``obj.key`` for a str) as
    `value`."""
    reads = getattr(_ATTRS, "reads", None)
    if reads is not None:
        reads.append((obj, key, value))


def replay_attrs(reads: Any) -> None:
    """Record `reads` again (a cached result that depends on them is being reused)."""
    outer = getattr(_ATTRS, "reads", None)
    if outer is not None:
        outer.extend(reads)


def attrs_current(reads: Any) -> bool:
    """Does every recorded ``obj.name`` still hold the object it held (a bound method: the same
    function bound to the same object)?"""
    for obj, name, value in reads:
        if isinstance(name, ItemRead):
            now = name.get(obj)
            if now is value or (name.length and now == value):
                continue
            return False
        now = getattr(obj, name, _MISSING)
        if now is value:
            continue
        if not (
            isinstance(now, types.MethodType)
            and isinstance(value, types.MethodType)
            and now.__self__ is value.__self__
            and now.__func__ is value.__func__
        ):
            return False
    return True


_MISSING = object()


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
                return kind != "missing", obj
            if op.prim.startswith("attr."):
                ok, base = static_value(fn, op.args[0], known)
                if ok and hasattr(base, op.prim[5:]):
                    value = getattr(base, op.prim[5:])
                    note_attr(base, op.prim[5:], value)
                    return True, value
            if op.prim == "getitem" and len(op.args) == 2 and isinstance(op.args[1], Const):
                return _static_item(fn, op, known)
            return False, None
    return False, None


def _static_item(fn: Function, op: Any, known: dict | None) -> tuple[bool, Any]:
    """``seq[k]`` with a constant `k` of a list/tuple/dict known at transform time, when the
    element is a function or a user object (a layer of a model): recorded, so a transform that
    called it is re-made once the element is replaced."""
    ok, base = static_value(fn, op.args[0], known)
    k = op.args[1].value
    if not ok or type(base) not in (list, tuple, dict) or type(k) not in (int, str):
        return False, None
    try:
        value = base[k]
    except (LookupError, TypeError):
        return False, None
    if not isinstance(value, types.FunctionType) and not known_object(value):
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
    for n in sorted(_methods(cls)):
        note_attr(obj, n, getattr(obj, n, None))
    return True


def _methods(cls: type) -> set[str]:
    return {n for k in cls.__mro__ for n, v in vars(k).items() if isinstance(v, types.FunctionType)}


def shadows_method(obj: Any, cls: type) -> bool:
    """Does an attribute of the instance `obj` hide a method of its class `cls`?"""
    inst = getattr(obj, "__dict__", None)
    if not isinstance(inst, dict):
        return False
    for n in inst:  # (a few attributes: this runs on every call with a user object argument)
        for k in cls.__mro__:
            if n in k.__dict__:
                if isinstance(k.__dict__[n], types.FunctionType):
                    return True
                break
    return False


# -- user objects: instances of classes srcad differentiates through --------------------------
LIBRARY_MODULES = ("builtins", "numpy", "srcad")  # classes whose methods rules describe


def user_class(obj: Any) -> type | None:
    """The class of `obj` when it is an instance of a user-defined class (not numbers/arrays/containers)."""
    cls = type(obj)
    mod = getattr(cls, "__module__", "") or ""
    if mod.split(".")[0] in LIBRARY_MODULES or isinstance(obj, type) or is_duck_array_type(cls):
        return None
    return cls


_LAYOUTS: dict = {}
_LAYOUT_MAX = 64


def layout_class(obj: Any) -> type | None:
    """The class of the user object `obj`, or, when attributes of it hold non-empty lists/tuples
    of user objects (``self.layers``), a subclass of it standing for that structure: the
    attributes' names and their items' classes are in ``__srcad_layout__`` (one subclass per
    structure, so the cache key and generated keys tell structures apart). None for no user
    object."""
    cls = user_class(obj)
    if cls is None or type(cls) is not type:
        return cls
    if shadows_method(obj, cls):  # ``obj.forward = f``: Python calls f, not the class's method
        return None
    layout = []
    for name, v in sorted((getattr(obj, "__dict__", None) or {}).items()):
        if type(v) in (list, tuple) and 0 < len(v) <= _LAYOUT_MAX and isinstance(name, str):
            items = tuple(user_class(e) for e in v)
            if any(c is not None and shadows_method(e, c) for e, c in zip(v, items)):
                continue  # ``layer.forward = f`` on an item: Python calls f, not the class's
            if all(c is not None and type(c) is type for c in items):
                layout.append((name, items))
    if not layout or any("__init_subclass__" in k.__dict__ for k in cls.__mro__[:-1]):
        return cls
    key = (cls, tuple(layout))
    sub = _LAYOUTS.get(key)
    if sub is None:
        attrs = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        attrs.update(__srcad_layout__=dict(layout), __srcad_base__=cls)
        if "__slots__" in cls.__dict__:
            attrs["__slots__"] = ()
        sub = _LAYOUTS.setdefault(key, type(cls.__name__, (cls,), attrs))
    return sub


def library_owned(cls: type, name: str) -> bool | None:
    """Does ``cls.name`` come from a built-in or NumPy class (the rule describes it)? None when
    the class defines it itself (or computes attributes with ``__getattr__``)."""
    for k in cls.__mro__:
        if name in k.__dict__:
            return (getattr(k, "__module__", "") or "").split(".")[0] in LIBRARY_MODULES
    getattr_ = inspect.getattr_static(cls, "__getattr__", None)
    return getattr_ is None or library_owned(cls, "__getattr__") is True


def user_method(cls: type, name: str) -> Any:
    """The Python function ``cls.name`` (a plain or static method), or None."""
    f = inspect.getattr_static(cls, name, None)
    if isinstance(f, staticmethod):
        f = f.__func__
    return f if isinstance(f, types.FunctionType) else None


def classify(cls: type, name: str) -> str:
    """What ``obj.name`` is for an instance of the user class `cls`: ``"user"`` (a Python method,
    differentiated through its source), ``"rule"`` (inherited from a built-in or NumPy class, or
    missing: Python raises), ``"refuse"`` (anything else the class defines or computes). A class
    method is ``"user"`` too (but for operators)."""
    if user_method(cls, name) is not None:
        return "user"
    f = inspect.getattr_static(cls, name, None)
    if isinstance(f, classmethod) and isinstance(f.__func__, types.FunctionType):
        return "user" if not name.startswith("__") else "refuse"  # ad/callees binds the class
    for k in cls.__mro__:
        if name in k.__dict__:
            lib = (getattr(k, "__module__", "") or "").split(".")[0] in LIBRARY_MODULES
            return "rule" if lib else "refuse"
    if not name.startswith("__") and classify(cls, "__getattr__") == "user":
        return "refuse"
    return "rule"


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
