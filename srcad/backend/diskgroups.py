"""The disk cache's entries of builds over several modules: a function calling one of another
module's functions (``from losses import huber``, ``losses.huber(x)``) emits one text per module
(`driver.emit_source`).

Input: a build's `emitted` groups (globals dict, `Emitted`) for `groups_data`; an entry's stored
groups and the loading process's modules for `compile_groups`. Output: the other modules' groups
as data (None when one cannot be found again by its module's name: not stored), and the
functions of all groups compiled, calls across groups through late-bound stubs
(`compile.compile_linked`, as `driver.compile_source` does).

The first group is the entry function's module (the entry's own fields, `srcad.backend.disk`);
each other group is stored with its module's ``__name__`` and found again as
``sys.modules[name].__dict__`` (its functions are in the entry's manifest, checked by digest
first, so the module is imported). A group that binds values is not stored, as for one module.
A read of a module's attribute (``losses.huber``, recorded by the lowering and checked on every
call) is stored when its value is a function the entry lists, and made again on load
(`module_read`, `read_data`, `reread`).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from srcad.backend import locations
from srcad.backend.compile import compile_linked
from srcad.backend.diskkey import resolve
from srcad.backend.emitted import Emitted


def module_globals(name: Any) -> dict | None:
    """The globals dict of the imported module `name`, or None."""
    mod = sys.modules.get(name) if isinstance(name, str) else None
    g = getattr(mod, "__dict__", None)
    return g if type(g) is dict and g.get("__name__") == name else None


def groups_data(emitted: list[tuple[dict, Emitted]]) -> list | None:
    """The groups after the first as stored data, or None when one cannot be stored."""
    out = []
    for g, em in emitted[1:]:
        name = g.get("__name__")
        if em.bindings or module_globals(name) is not g:
            return None
        locs = locations.locs_data(em.locs)
        out.append([name, em.source, tuple(em.modules.items()), em.imports, em.names, locs])
    return out


def compile_groups(first: Emitted, g: dict, others: list, label: str) -> dict | None:
    """The functions of `first` (over `g`) and of the stored `others`, each group's calls of
    another group's functions through stubs; None when a module is not found."""
    groups = [(g, first)]
    for name, source, modules, imports, names, locs in others:
        gm = module_globals(name)
        if gm is None:
            return None
        em = Emitted(source, {}, dict(modules), imports, names, locations.locs_from_data(locs))
        groups.append((gm, em))
    return compile_linked(groups, label)


def module_read(read: tuple, funcs: list) -> bool:
    """An attribute read of a module imported by name whose value is one of the functions
    `funcs` (the entry's manifest, checked by digest on load): another process repeats it."""
    mod, name, value = read
    return (
        isinstance(name, str)
        and module_globals(getattr(mod, "__name__", None)) is getattr(mod, "__dict__", None)
        and any(value is f for f in funcs)
    )


def read_data(owner: Any, name: str) -> list:
    """A class's or a module's attribute read as stored: [module, qualname ("" for a module),
    attribute]."""
    if isinstance(owner, type):
        return [owner.__module__, owner.__qualname__, name]
    return [owner.__name__, "", name]


def reread(module: str, qualname: str, name: str, funcs: list) -> tuple | None:
    """A stored read (`read_data`) made again: (owner, attribute, value), or None when the class
    or module is not found, or the module's attribute is not one of the functions `funcs` (the
    manifest's, found and checked already)."""
    if qualname:
        cls = resolve(module, qualname)
        return (cls, name, getattr(cls, name)) if isinstance(cls, type) else None
    mod = sys.modules.get(module)
    if not isinstance(mod, types.ModuleType) or module_globals(module) is None:
        return None
    value = getattr(mod, name, None)
    return (mod, name, value) if any(value is f for f in funcs) else None
