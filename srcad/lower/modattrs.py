"""``getattr(module, NAME)`` whose attribute name is a string read from a module-level
configuration known now (``getattr(np, CFG["act"])(z)``, ``getattr(np, ACT)``), lowered as the
module's attribute.

Input: the lowerer, the callee (a `PrimRef` of the builtin ``getattr``) and the gast call.
Output: the module's attribute lowered (``np.tanh``), or None (the call is lowered as before):

- two arguments, no keywords, the first lowering to a module (`ModuleRef`);
- the second a global or closure name holding a str, or a chain of constant-key subscripts
  (``CFG["act"]``, ``CFG["net"]["act"]``, ``ACTS[0]``: plain dicts, lists and tuples, int/str
  keys) of one, ending in an identifier the module has (not a dunder).

Every read is recorded (`note_read`: the global's binding, each container's item), so rebinding
``CFG`` or assigning ``CFG["act"] = "sin"`` makes a new transform, as Python would call another
function. A string that is not an attribute of the module, or anything else, is left to the
call's usual lowering (refused: which function it calls is not known).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.reads import ItemRead, note_read
from srcad.lower.values import ModuleRef, PrimRef

_MISSING = object()


def module_attr(lw: Any, f: Any, node: gast.Call) -> Any:
    """``getattr(module, <str known now>)`` lowered as the attribute (module docstring), or None."""
    a = node.args
    if not (isinstance(f, PrimRef) and f.name == "getattr" and len(a) == 2 and not node.keywords):
        return None
    if not isinstance(a[0], gast.Name) or isinstance(a[1], (gast.Constant, gast.Starred)):
        return None
    reads: list = []
    name = _known(lw, a[1], reads)
    if type(name) is not str or not name.isidentifier() or name.startswith("__"):
        return None
    mod = lw.expr(a[0])
    if not isinstance(mod, ModuleRef) or not hasattr(mod.module, name):
        return None
    for obj, key, value in reads:
        note_read(obj, key, value)
    attr = gast.Attribute(value=a[0], attr=name, ctx=gast.Load())
    return lw.expr(gast.copy_location(attr, node))


def _known(lw: Any, e: Any, reads: list) -> Any:
    """The value of `e` known now (a global/closure name, constant-key items of plain
    containers of one), its reads appended to `reads`; `_MISSING` otherwise."""
    if isinstance(e, gast.Name) and isinstance(e.ctx, gast.Load):
        if e.id in lw.env or e.id in lw.py_locals:
            return _MISSING
        kind, value = lw.ns.lookup(e.id)
        if kind != "global":  # (a closure cell may be rebound: not followed)
            return _MISSING
        reads.append((lw.ns.globals, ItemRead(e.id), value))
        return value
    if isinstance(e, gast.Subscript) and isinstance(e.slice, gast.Constant):
        base = _known(lw, e.value, reads)
        k = e.slice.value
        if type(base) not in (dict, list, tuple) or type(k) not in (int, str):
            return _MISSING
        try:
            value = base[k]
        except (LookupError, TypeError):
            return _MISSING
        reads.append((base, ItemRead(k), value))
        return value
    return _MISSING
