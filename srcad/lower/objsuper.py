"""``super()`` in a method inlined on an object built here: the next class's attribute, now.

Input: the lowerer at a call of the builtin ``super`` (``super()`` or ``super(C, obj)``), or at
``s.name`` of the `LocalSuper` such a call gave. Output: a `LocalSuper` (the object, and the
class after which ``type(obj).__mro__`` is searched) when the object is one built here
(lower/objects.py: a `LocalObj`, whose class is known exactly, so the search is Python's own);
``super(C, self)`` as an op when ``self`` is a run-time value; None for other calls (lowered as
before). ``s.name`` is the `(owner, value)` found after that class (lower/objects.attr turns it
into a bound method, a property's value, ...).

Zero-argument ``super()`` reads the method's ``__class__`` cell and its first parameter; the
generated code has neither (a method's body inlined where it is called): without this, the
generated code called ``super()`` and Python raised "super(): __class__ cell not found".
It is resolved only in the body of the method being inlined (not in a function nested in it, nor
in an ``__init__`` lowered in place),
when that method never rebinds its first parameter; otherwise refused (the lowered function's own
body keeps ``super()``: srcad/ad/dispatch.py names it there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast

from srcad.ad.dispatch import _rebinds_first
from srcad.lower.values import LocalObj, PrimRef
from srcad.ssa.core import Const, Operand


@dataclass(frozen=True, eq=False)
class LocalSuper:
    obj: LocalObj
    after: type  # the class after which type(obj).__mro__ is searched


def call(lw: Any, f: Any, node: gast.Call) -> LocalSuper | Operand | None:
    """``super()`` / ``super(C, obj)`` (module docstring); None for other calls."""
    if not (isinstance(f, PrimRef) and f.obj is super) or node.keywords:
        return None
    if len(node.args) == 2:
        known, here = lw.static_object(lw.expr(node.args[0]))
        me = lw.expr(node.args[1])
        if known and isinstance(here, type) and isinstance(me, LocalObj):
            if issubclass(me.cls, here):
                return LocalSuper(me, here)
        return None  # (Python raises its TypeError when it runs)
    if node.args:
        return None
    fn, depth, ns = lw.inlined or (None, 0, None)
    if fn is None and not lw.inline_depth:
        return None  # the lowered function's own body: srcad/ad/dispatch.py
    code = getattr(fn, "__code__", None)
    here = lw.ns.closure.get("__class__") if lw.ns.closure else None
    if (
        depth != lw.inline_depth
        or ns is not lw.ns  # (an __init__ lowered in place: lower/objects.construct)
        or code is None
        or "__class__" not in code.co_freevars
        or not isinstance(here, type)
        or _rebinds_first(code)
    ):
        raise lw.error(
            node,
            "`super()` here (in a nested function, or a method that rebinds its first "
            "parameter) is not supported",
            "call the base class's method explicitly: `Base.method(self, ...)`",
        )
    me = lw.env.get(code.co_varnames[0])
    if isinstance(me, LocalObj) and issubclass(me.cls, here):
        return LocalSuper(me, here)
    lw.at(node)
    return lw.op("super", [Const(here), lw.operand(me, node)])


def lookup(lw: Any, s: LocalSuper, name: str, node: Any) -> tuple[type, Any]:
    """The class defining `name` after ``s.after`` in the object's MRO, and the attribute
    (unbound, as in its ``__dict__``); refused when no class there defines it (Python's
    AttributeError: ``super()`` does not see the instance's own fields)."""
    mro = s.obj.cls.__mro__
    for owner in mro[mro.index(s.after) + 1 :]:
        if name in owner.__dict__:
            return owner, owner.__dict__[name]
    raise lw.error(
        node,
        f"`super().{name}`: no class after `{s.after.__name__}` in "
        f"`{s.obj.cls.__name__}`'s MRO defines `{name}`",
    )


def zero_arg_init(s: Any, init: Any, me: str, ns: Any) -> Any:
    """``super(C, self).__init__(...)`` as a statement of `init` (first parameter `me`) whose
    `C` names (in `ns`) the class `init` is the ``__init__`` of: the same statement written
    ``super().__init__(...)``, which Python runs the same way there (lower/objinit builds the
    object through it); `s` itself otherwise."""
    call = s.value if isinstance(s, gast.Expr) else None
    f = call.func if isinstance(call, gast.Call) else None
    sup = f.value if isinstance(f, gast.Attribute) and f.attr == "__init__" else None
    if not (
        isinstance(sup, gast.Call) and isinstance(sup.func, gast.Name) and sup.func.id == "super"
        and len(sup.args) == 2 and not sup.keywords
        and all(isinstance(a, gast.Name) for a in sup.args) and sup.args[1].id == me
    ):  # fmt: skip
        return s
    where, cls = ns.lookup(sup.args[0].id)
    _, fn = ns.lookup("super")
    if where == "missing" or fn is not super or not isinstance(cls, type):
        return s
    if vars(cls).get("__init__") is not init or init.__qualname__ != f"{cls.__qualname__}.__init__":
        return s
    bare = gast.Call(func=sup.func, args=[], keywords=[])
    new = gast.Attribute(value=gast.copy_location(bare, sup), attr="__init__", ctx=gast.Load())
    new_call = gast.Call(func=gast.copy_location(new, f), args=call.args, keywords=call.keywords)
    return gast.copy_location(gast.Expr(value=gast.copy_location(new_call, call)), s)
