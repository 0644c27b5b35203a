"""``getattr(obj, "name", default)`` with a constant name, decided when lowering where the answer
is known then.

Input: the lowerer, the callee (a `PrimRef` of the builtin ``getattr``) and the gast call.
Output: the value (``obj.name`` lowered, or the default's value), or None (the call is lowered
as before: refused for want of a rule):

- `obj` a module (``getattr(np, "trapezoid", np.trapz)``): its attribute when the module has it,
  else the default;
- `obj` an object of a user class built here (lower/objstate.py): ``obj.name`` when `__init__`
  set the field, it is followed in the environment, or the class has the attribute; the default
  when none of those holds and nothing could set it (no store of that name in the class's
  methods, this function or what it reaches, no ``setattr`` anywhere: `escapes.ANY`), and the
  class has no ``__getattr__``/``__getattribute__``/``__slots__`` of its own, and no method
  of its classes (``__init__`` included, read from the source) stores the name, calls
  ``setattr`` or reads ``__dict__``/``vars``. An object the code makes when it runs (not
  followed here) stays as before.

The default is evaluated in both cases (Python evaluates every argument first).

``vars(obj)`` read where it is made, of an object whose fields are known and never written
after it is made, is the dict display of those fields (`vars_of`).
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any

import gast

import srcad.lower.objstate as objstate
from srcad import lazy
from srcad.frontend.source import get_source
from srcad.lower.escapes import ANY, reachable_stores, self_stores
from srcad.lower.objinit import made_by
from srcad.lower.values import LocalObj, ModuleRef, PrimRef
from srcad.ssa.core import Const, Var
from srcad.trees import simple_init, slots


def _absent(lw: Any, obj: LocalObj, name: str) -> bool:
    """Can nothing have set `name` on `obj`? Its class has no ``__getattr__``/
    ``__getattribute__``, no method of its classes (``__init__`` too) stores `name`, calls
    ``setattr`` or reads ``__dict__``/``vars``, each method's source is there, and no store of
    `name` (or of any name) is in this function or what it reaches."""
    if name in objstate.written_fields(lw, obj.cls) or ANY in reachable_stores(lw):
        return False
    if ANY in getattr(lw, "attr_stores", frozenset()):
        return False
    for k in obj.cls.__mro__[:-1]:
        if "__getattr__" in vars(k) or "__getattribute__" in vars(k) or "__slots__" in vars(k):
            return False
        for f in vars(k).values():
            fns = [f.fget, f.fset] if isinstance(f, property) else [getattr(f, "__func__", f)]
            for fn in fns:
                if isinstance(fn, types.FunctionType) and not _stores_none(fn, name):
                    return False
    return True


def _stores_none(fn: types.FunctionType, name: str) -> bool:
    try:
        node = get_source(fn).node
    except Exception:  # noqa: BLE001 - no source: what it stores is unknown
        return False
    for t in gast.walk(node):
        if isinstance(t, gast.Attribute) and (
            (t.attr == name and isinstance(t.ctx, gast.Store)) or t.attr == "__dict__"
        ):
            return False
        if isinstance(t, gast.Name) and t.id in ("setattr", "vars", "__setattr__"):
            return False
        if isinstance(t, gast.Attribute) and t.attr == "__setattr__":
            return False
    return True


def decided(lw: Any, f: Any, node: gast.Call) -> Any:
    """``getattr(obj, "name", default)`` or ``hasattr(obj, "name")`` decided now, or None."""
    out = named_now(lw, f, node)
    out = out if out is not None else with_default(lw, f, node)
    out = out if out is not None else has(lw, f, node)
    return out if out is not None else vars_of(lw, f, node)


_READS = frozenset({"values", "items", "keys", "get", "copy"})
_READERS = frozenset({"len", "list", "tuple", "sorted", "sum", "max", "min", "dict", "any", "all"})


def vars_of(lw: Any, f: Any, node: gast.Call) -> Any:
    """``vars(obj)`` of an object whose fields srcad knows and that nothing writes after it is
    made (one built here none of whose fields is `mutable`; a record the code makes when it
    runs, ``__init__`` storing its parameters, or a dataclass without ``__post_init__``),
    read where it is made (``vars(o).items()``, ``vars(o)[k]``, ``for k in vars(o)``,
    ``len(vars(o))``): the dict display ``{"w": o.w, ...}`` in the order ``__init__`` sets
    them (Python's ``__dict__``); no write reaches the object through it. Only when the
    class's methods and the code the function reaches store no other attribute name
    (`escapes.reachable_stores`: a dataclass's generated methods, without source, may store
    any). None otherwise (lowered as before)."""
    if not (isinstance(f, PrimRef) and f.name == "vars" and len(node.args) == 1):
        return None
    if node.keywords or not isinstance(node.args[0], gast.Name):
        return None
    obj = lw.env.get(node.args[0].id)
    if isinstance(obj, LocalObj):
        ok = not obj.mutable and all(isinstance(v, (Var, Const)) for v in obj.fields.values())
        names = list(obj.fields) if ok else None
    else:
        names = _record_fields(_base.made_by_class(lw, obj)) if isinstance(obj, Var) else None
    if names is None or not _read_at_once(lw, node):
        return None
    stores = self_stores(obj.cls if isinstance(obj, LocalObj) else _base.made_by_class(lw, obj))
    if ANY in (stores := stores | reachable_stores(lw, True)) or not stores <= set(names):
        return None  # (an attribute added later, by name or `setattr`: in Python's __dict__)
    me = node.args[0]
    shown = gast.Dict(
        keys=[gast.Constant(n, None) for n in names],
        values=[gast.Attribute(value=me, attr=n, ctx=gast.Load()) for n in names],
    )
    for n in gast.walk(shown):
        gast.copy_location(n, node)
    return lw.expr(shown)


def _record_fields(cls: Any) -> list[str] | None:
    """The instance attributes of a record class, in the order its ``__init__`` sets them: a
    plain class storing its parameters (`trees.simple_init`), or a dataclass whose fields are
    all set by ``__init__``; None for any class with its own attribute access, slots, or a
    class attribute of a field's name (a descriptor could store elsewhere)."""
    if not isinstance(cls, type) or slots(cls) is not None:
        return None
    if any(getattr(cls, m) is not getattr(object, m) for m in _ACCESS):
        return None
    if dataclasses.is_dataclass(cls):
        fs = dataclasses.fields(cls)
        if hasattr(cls, "__post_init__") or not all(f.init for f in fs):
            return None
        names = [f.name for f in fs]
    else:
        pairs = simple_init(cls)
        names = None if pairs is None else list(dict.fromkeys(a for a, _ in pairs))
    if names is None or any(_data_descriptor(vars(k).get(n)) for k in cls.__mro__ for n in names):
        return None  # (a dataclass's defaults are class attributes: an instance one shadows)
    return names


def _data_descriptor(v: Any) -> bool:
    return hasattr(type(v), "__set__") or hasattr(type(v), "__delete__")


_base = lazy.module("srcad.lower.base")  # (it imports this module)
_ACCESS = ("__getattribute__", "__setattr__", "__delattr__")


def _read_at_once(lw: Any, node: gast.Call) -> bool:
    """`node` is read where it is made, by an expression that cannot write into the dict."""
    later = getattr(lw, "later", None)  # (the statements being lowered, innermost last)
    root = later[-1][0] if later else getattr(lw, "root", None)
    parent = next(
        (p for p in gast.walk(root) for c in gast.iter_child_nodes(p) if c is node), None
    ) if root is not None else None  # fmt: skip
    if isinstance(parent, gast.Attribute):
        return parent.attr in _READS
    if isinstance(parent, gast.Subscript):
        return isinstance(parent.ctx, gast.Load) and parent.value is node
    if isinstance(parent, (gast.For, gast.comprehension)):
        return parent.iter is node
    if isinstance(parent, gast.Call) and isinstance(parent.func, gast.Name):
        return parent.func.id in _READERS and parent.func.id not in lw.env
    return False


def named_now(lw: Any, f: Any, node: gast.Call) -> Any:
    """``getattr(obj, name)`` with `name` a string known now (`_known_name`: an f-string or
    ``+`` of constants and names bound to constant strings, ``f"_step_{method}"`` of a
    parameter given a constant) as ``obj.<name>``: the same evaluation (the name's parts are
    reads without effects), so a method of an object built here stays one (lower/objects.py),
    called with functions as arguments. None for others (lowered as before)."""
    a = node.args
    if not (isinstance(f, PrimRef) and f.name == "getattr" and len(a) == 2) or node.keywords:
        return None
    if isinstance(a[1], gast.Constant) or any(isinstance(x, gast.Starred) for x in a):
        return None  # (a constant: lower/attrconsts.py made it `obj.name` already)
    name = _known_name(lw, a[1])
    if name is None or not name.isidentifier() or name.startswith("__"):
        return None
    return lw.expr(gast.copy_location(gast.Attribute(value=a[0], attr=name, ctx=gast.Load()), node))


def _known_name(lw: Any, e: Any, depth: int = 0) -> str | None:
    """The string `e` evaluates to, known from constants and names bound to constant strings
    (no operation emitted), or None."""
    if depth > 8:
        return None
    if isinstance(e, gast.Constant):
        return e.value if type(e.value) is str else None
    if isinstance(e, gast.Name):
        v = lw.env.get(e.id)
        return v.value if isinstance(v, Const) and type(v.value) is str else None
    if isinstance(e, gast.BinOp) and isinstance(e.op, gast.Add):
        left, right = _known_name(lw, e.left, depth + 1), _known_name(lw, e.right, depth + 1)
        return left + right if left is not None and right is not None else None
    if isinstance(e, gast.JoinedStr):
        parts = []
        for p in e.values:
            if isinstance(p, gast.FormattedValue):
                if p.conversion not in (-1, 115) or p.format_spec is not None:
                    return None
                p = p.value
            part = _known_name(lw, p, depth + 1)
            if part is None:
                return None
            parts.append(part)
        return "".join(parts)
    return None


def with_default(lw: Any, f: Any, node: gast.Call) -> Any:
    """``getattr(obj, "name", default)`` decided now (module docstring), or None."""
    a = node.args
    if not (isinstance(f, PrimRef) and f.name == "getattr" and len(a) == 3 and _named(node)):
        return None
    present = _present(lw, a[0], a[1].value)
    if present is None and _unset_is_none(lw, a[0], a[1].value, a[2]):
        present = True  # the field's carried value: None while unset, as the default
    if present is None:
        return None
    default = lw.expr(a[2])
    if not present:
        return default
    attr = gast.copy_location(gast.Attribute(value=a[0], attr=a[1].value, ctx=gast.Load()), node)
    return lw.expr(attr)


def _unset_is_none(lw: Any, target: gast.Name, name: str, default: Any) -> bool:
    """``getattr(obj, name, None)`` of a field a loop being lowered sets first (carried from
    None: `objstate.first_set`): its value is the answer whether or not it is set yet."""
    if not (isinstance(default, gast.Constant) and default.value is None):
        return False
    obj = lw.expr(target)
    return isinstance(obj, LocalObj) and objstate.maybe_unset(lw, objstate.key(obj, name))


def has(lw: Any, f: Any, node: gast.Call) -> Const | None:
    """``hasattr(obj, "name")`` decided now, as `with_default` decides getattr's, or None."""
    if not (isinstance(f, PrimRef) and f.name == "hasattr" and len(node.args) == 2):
        return None
    if not _named(node):
        return None
    present = _present(lw, node.args[0], node.args[1].value)
    return None if present is None else Const(present)


def _named(node: gast.Call) -> bool:
    """The call's first argument a name (lowered twice: no effect), its second a constant
    identifier, no keywords."""
    a = node.args
    return (
        not node.keywords
        and isinstance(a[0], gast.Name)
        and isinstance(a[1], gast.Constant)
        and isinstance(a[1].value, str)
        and a[1].value.isidentifier()
    )


def _present(lw: Any, target: gast.Name, name: str) -> bool | None:
    """Has the object `target` names the attribute `name` now: True, False, or None (unknown)."""
    obj = lw.expr(target)
    if isinstance(obj, ModuleRef):
        return hasattr(obj.module, name)
    if isinstance(obj, LocalObj):
        if objstate.maybe_unset(lw, objstate.key(obj, name)):
            return None  # set first in a loop being lowered: absent in its first round
        if name in obj.fields or objstate.key(obj, name) in lw.env or hasattr(obj.cls, name):
            return True
        return False if _absent(lw, obj, name) else None
    # a record a user class's call made: its fields are what __init__ stores
    cls = made_by(lw, obj)
    fields = simple_init(cls) if cls is not None else None
    if fields is None:
        return None
    if name in {attr for attr, _ in fields} or hasattr(cls, name):
        return True
    return False if _absent(lw, _Record(cls), name) else None


class _Record:
    """The class of a record, as `_absent` reads a `LocalObj`."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
