"""The disk cache's entries of builds over several modules: a function calling one of another
module's functions (``from losses import huber``) emits one text per module (`driver.emit_source`).

Input: a build's `emitted` groups (globals dict, `Emitted`) for `groups_data`; an entry's stored
groups and the loading process's modules for `compile_groups`. Output: the other modules' groups
as data (None when one cannot be found again by its module's name: not stored), and the
functions of all groups compiled, calls across groups through late-bound stubs as
`driver.compile_source` makes them.

The first group is the entry function's module (the entry's own fields, `srcad.backend.disk`);
each other group is stored with its module's ``__name__`` and found again as
``sys.modules[name].__dict__`` (its functions are in the entry's manifest, checked by digest
first, so the module is imported). A group that binds values is not stored, as for one module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from srcad.backend import locations
from srcad.backend.compile import compile_emitted
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


def _late(table: dict, name: str) -> Callable:
    def call(*args: Any, **kwargs: Any) -> Any:
        return table[name](*args, **kwargs)

    call.__name__ = name
    return call


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
    every = [n for _, em in groups for n in em.names]
    table: dict[str, Callable] = {}
    for gm, em in groups:
        stubs = {n: _late(table, n) for n in every if n not in em.names}
        em = Emitted(em.source, stubs, em.modules, em.imports, em.names, em.locs)
        table.update(compile_emitted(em, gm, label))
    return table
