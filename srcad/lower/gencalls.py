"""The Python functions a call may run, for the checks of lower/genglobals.py.

Input: the lowerer, a call node of the lowered function (`local`) or of a function it calls
(its `Namespace`). Output: the functions the call may run, each with the module-level object
its first parameter is bound to (a method of such an object: its updates of ``self`` update
that object), or None when the target is not known before it runs.

Followed: a function named (module-level, closure, nested ``def``, lambda), a bound method
(``f = b.step; f()``, ``MODEL.step()``), a method of an object built here (``b.bump()``), a
class called (its ``__init__``), an object's ``__call__``, a ``functools.partial`` (made here
or module-level), ``getattr(o, "name")()``, a module's function (``helpers.bump()``), a
derivative srcad makes (``srcad.grad(f)(...)``, ``srcad.jvp(f, ...)``: what `f` runs). A method
of a value of no known class (an argument, an item) may be any user class's method of that
name: every class the module's names hold (classes, their instances) is asked. Not known
(None): a call through an item (``OPS["bump"]()``), of a call's result, of a parameter of a
called function, of a local name bound to a run-time value::

    b = Bumper(); f = b.bump; f()        -> [(Bumper.bump, None)]
    MODEL.step()                         -> [(Model.step, MODEL)]
    OPS["bump"]()                        -> None
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
from typing import Any

import gast

from srcad.frontend.source import Namespace
from srcad.lower.partials import Partial
from srcad.lower.values import LocalMethod, LocalObj, ModuleRef, NestedFn, PrimRef
from srcad.ssa.core import Const, Var

Targets = list[tuple[Any, Any]]  # (a FunctionType or a nested def's node, the bound object)


def targets(lw: Any, c: gast.Call, ns: Namespace, local: bool) -> Targets | None:
    """The functions the call `c` may run (module docstring); [] for a builtin, a NumPy or
    other library function without Python source, None when not known."""
    f = c.func
    if (
        isinstance(f, gast.Call)
        and isinstance(f.func, gast.Name)
        and f.func.id == "getattr"
        and len(f.args) == 2
        and isinstance(f.args[1], gast.Constant)
        and isinstance(f.args[1].value, str)
    ):
        f = gast.Attribute(value=f.args[0], attr=f.args[1].value, ctx=gast.Load())
    inner = _derivative_of(lw, c, ns, local)
    if inner is not None:  # ``srcad.grad(g)(w, x)``, ``srcad.jvp(g, ...)``: what `g` runs
        return [] if inner is _MADE else _run_by(lw, inner, ns, local)
    if isinstance(f, gast.Name):
        if local and f.id in lw.env:
            return _env_callable(lw.env[f.id])
        kind, obj = ns.lookup(f.id)
        return _callable(obj) if kind != "missing" else None
    if isinstance(f, gast.Attribute):
        if local and isinstance(f.value, gast.Name) and f.value.id in lw.env:
            v = lw.env[f.value.id]
            if isinstance(v, ModuleRef):
                return _callable(getattr(v.module, f.attr, None))
            if isinstance(v, LocalObj):
                meth = inspect.getattr_static(v.cls, f.attr, None)
                if f.attr in v.fields or f.attr in v.mutable:
                    return None  # (a function stored in a field)
                return _member(meth, None)
            return _named_methods(lw, ns, f.attr)  # (a run-time value: any class's method)
        found, base = _static(f.value, ns)
        if not found:
            return _named_methods(lw, ns, f.attr)
        if isinstance(base, (types.ModuleType, type)):
            return _callable(getattr(base, f.attr, None))
        own = getattr(base, "__dict__", None)
        if isinstance(own, dict) and f.attr in own:
            return _callable(own[f.attr])
        return _member(inspect.getattr_static(type(base), f.attr, None), base)
    return None


# srcad's transforms: a derivative runs the function it differentiates, and nothing else that
# could update a module-level object (``MAKERS(f)(...)``, ``CALLS(f, ...)``)
_MAKERS = frozenset({"grad", "value_and_grad", "jacfwd", "jacrev", "hessian"})
_CALLS = frozenset({"jvp", "vjp", "hvp"})


def _derivative_of(lw: Any, c: gast.Call, ns: Namespace, local: bool) -> Any:
    """The function node `g` of ``srcad.grad(g, ...)(...)`` (the transforms of `_MAKERS`) or of
    ``srcad.jvp(g, ...)`` (`_CALLS`); `_MADE` for ``srcad.grad(g, ...)`` itself (making the
    derivative runs nothing); else None."""
    f = c.func
    if isinstance(f, gast.Call) and f.args and _api(lw, f.func, ns, local) in _MAKERS:
        return f.args[0]
    name = _api(lw, f, ns, local)
    if name in _MAKERS:
        return _MADE
    return c.args[0] if name in _CALLS and c.args else None


_MADE = gast.Constant(value=None, kind=None)


def _run_by(lw: Any, g: Any, ns: Namespace, local: bool) -> Targets | None:
    return targets(lw, gast.Call(func=g, args=[], keywords=[]), ns, local)


def _api(lw: Any, node: Any, ns: Namespace, local: bool) -> str:
    """The name of the srcad transform `node` names (``srcad.grad``, ``grad`` imported from
    srcad), else ""."""
    name = node.attr if isinstance(node, gast.Attribute) else getattr(node, "id", "")
    if name not in _MAKERS and name not in _CALLS:
        return ""
    if local and isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name):
        v = lw.env.get(node.value.id)
        if isinstance(v, ModuleRef):
            found, obj = True, getattr(v.module, name, None)
        else:
            found, obj = _static(node, ns) if v is None else (False, None)
    elif local and isinstance(node, gast.Name) and node.id in lw.env:
        v = lw.env[node.id]
        found, obj = (True, v.value) if isinstance(v, Const) else (False, None)
    else:
        found, obj = _static(node, ns)
    api = sys.modules.get("srcad.api")
    return name if found and api is not None and getattr(api, name, None) is obj else ""


def _static(node: Any, ns: Namespace) -> tuple[bool, Any]:
    """(True, value) of a module-level name or a chain of attributes of one whose reads run no
    code (a module's, a class's, an object's own field); else (False, None)."""
    if isinstance(node, gast.Name):
        kind, obj = ns.lookup(node.id)
        return (kind in ("global", "free"), obj)
    if isinstance(node, gast.Attribute):
        found, base = _static(node.value, ns)
        if not found:
            return False, None
        if isinstance(base, (types.ModuleType, type)):
            return (hasattr(base, node.attr), getattr(base, node.attr, None))
        own = getattr(base, "__dict__", None)
        if isinstance(own, dict) and node.attr in own:
            return True, own[node.attr]
    return False, None


def _env_callable(v: Any) -> Targets | None:
    """What calling a value of the lowerer's environment runs."""
    if isinstance(v, NestedFn):
        return [(v.node, None)]
    if isinstance(v, LocalMethod):
        return _member(v.fn, None) if v.bound == "self" else _callable(v.fn)
    if isinstance(v, LocalObj):
        return _member(inspect.getattr_static(v.cls, "__call__", None), None)
    if isinstance(v, PrimRef):
        return []  # (a primitive: NumPy's, a builtin)
    if isinstance(v, Partial):
        return _callable(v.fn) if _python_value(v.fn) else _env_callable(v.fn)
    if isinstance(v, Const):
        return _callable(v.value)
    return None


def _python_value(v: Any) -> bool:
    """`v` is a Python value, not one of the lowerer's (`NestedFn`, `Const`, ...)."""
    return not isinstance(v, (NestedFn, LocalMethod, LocalObj, PrimRef, Partial, Const, Var))


def _member(meth: Any, obj: Any) -> Targets | None:
    """A class attribute called on an instance (`obj`: a module-level one, or None)."""
    if isinstance(meth, types.FunctionType):
        return [(meth, obj)]
    if isinstance(meth, (staticmethod, classmethod)):
        return _callable(meth.__func__)
    if meth is None or not callable(meth) or isinstance(meth, property):
        return [] if meth is None else None
    return _callable(meth)


def _callable(obj: Any) -> Targets | None:
    """What calling the value `obj` runs (module docstring)."""
    if isinstance(obj, types.FunctionType):
        return [(obj, None)]
    if isinstance(obj, types.MethodType):
        return _member(obj.__func__, obj.__self__)
    if isinstance(obj, functools.partial):
        return _callable(obj.func)
    if isinstance(obj, type):
        init = inspect.getattr_static(obj, "__init__", None)
        return [(init, None)] if isinstance(init, types.FunctionType) else []
    if obj is None or isinstance(obj, (types.BuiltinFunctionType, types.ModuleType)):
        return []
    call = inspect.getattr_static(type(obj), "__call__", None)
    if isinstance(call, types.FunctionType):
        return [(call, obj)]
    return []  # (a ufunc, a C function: no Python source)


def _named_methods(lw: Any, ns: Namespace, name: str) -> Targets:
    """The Python methods called `name` of every user class the names of `ns` (and objects
    built here) hold: what ``v.name()`` may run on a value of no known class."""
    classes: dict[int, type] = {}
    values = [*ns.globals.values(), *ns.closure.values()]
    values += [v.cls for v in getattr(lw, "env", {}).values() if isinstance(v, LocalObj)]
    for v in values:
        cls = v if isinstance(v, type) else type(v)
        if cls.__module__ not in ("builtins",) and not cls.__module__.startswith("numpy"):
            classes.setdefault(id(cls), cls)
    out: Targets = []
    for cls in classes.values():
        meth = inspect.getattr_static(cls, name, None)
        if isinstance(meth, types.FunctionType) and all(m is not meth for m, _ in out):
            out.append((meth, None))
    return out
