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

import types
from typing import Any

from srcad.frontend.resolve import prim_name
from srcad.lower.values import ModuleRef, PrimRef, note_attr
from srcad.ssa.core import Const

_CONSTANTS = (bool, int, float, complex, str, type(None))


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
