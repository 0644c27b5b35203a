"""Names bound by an ``import`` inside the function being lowered.

Input: the object an ``import m`` / ``from m import name`` inside the function binds (or an
attribute of a module imported there), with the module and the name it was read as. Output: a
compile-time value: the module (`ModuleRef`, not re-readable at run time), a library callable
(`PrimRef`), or a constant of the transform (`Const`) for what srcad lowers from the object
itself: ``functools.reduce`` and the other callables lower/stdlib.py handles, user functions
and classes, numbers and strings. The read is recorded (`note_attr`), so the transform is made
again when the module's attribute changes. Anything else (a list, a dict, an array of the
module: values the transform could not see change) is refused, located.
"""

from __future__ import annotations

import importlib
import types
from typing import Any

from srcad.frontend.resolve import prim_name
from srcad.lower.values import ModuleRef, PrimRef, note_attr
from srcad.ssa.core import Const

_CONSTANTS = (bool, int, float, complex, str, type(None))


def from_import(lw: Any, s: Any) -> list[tuple[str, Any]]:
    """``from m import a, b as c`` at `s`: (bound name, value) pairs. A relative import
    (``from .mod import f``, ``from . import sub``) resolves against the function's package,
    as Python does; a submodule not yet an attribute of its package is imported."""
    package = lw.ns.globals.get("__package__") if s.level else None
    if s.level and not package:
        raise lw.error(s, "a relative import in a function of no package", "import it by name")
    mod = importlib.import_module("." * s.level + (s.module or ""), package)
    out = []
    for a in s.names:
        if not hasattr(mod, a.name) and hasattr(mod, "__path__"):
            importlib.import_module(f"{mod.__name__}.{a.name}")  # `from pkg import submodule`
        obj = getattr(mod, a.name)  # `from functools import reduce`
        out.append((a.asname or a.name, imported(lw, mod, a.name, obj, None, s)))
    return out


def imported(lw: Any, module: Any, name: str, obj: Any, node: Any, at: Any) -> Any:
    """The value `obj` (attribute `name` of `module`) read through a local import at `at`
    (`node`: the attribute read, None for ``from m import name``)."""
    note_attr(module, name, obj)
    if isinstance(obj, types.ModuleType):  # `from scipy import linalg`, `import scipy.linalg`
        return ModuleRef(obj, None)
    pn = prim_name(obj) if callable(obj) else None
    if pn is not None:
        return PrimRef(pn, obj, node)
    if isinstance(obj, _CONSTANTS) or getattr(obj, "__srcad_maker__", False):
        return Const(obj)  # module constants (`np.pi`), `import srcad` here (srcad.grad(f))
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, type)):
        return Const(obj)  # functools.reduce, a user function or class: lowered from the object
    raise lw.error(
        at,
        f"cannot use `{name}` from a local import: srcad reads it when transforming",
        f"import `{name}` at module level",
    )
