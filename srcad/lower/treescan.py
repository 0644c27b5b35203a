"""One walk of a function's tree for the analyses that need every use of a name: the parent of
each node, the Name nodes storing and reading each name, the nodes inside nested functions
(`analyse`), and the names that may hold another value later (`changed_names`: bound more than
once, written into, a method called on them). Input: the tree of the lowered function; used by
lower/iterstate.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gast


@dataclass
class Tree:
    parents: dict = field(default_factory=dict)  # id(node) -> parent
    stores: dict = field(default_factory=dict)  # name -> Name nodes storing it
    loads: dict = field(default_factory=dict)  # name -> Name nodes reading it
    nested: set = field(default_factory=set)  # ids of nodes inside nested functions


def analyse(root: Any) -> Tree:
    t = Tree()
    todo = [(root, False)]
    while todo:
        n, inside = todo.pop()
        for c in gast.iter_child_nodes(n):
            t.parents[id(c)] = n
            deeper = inside or isinstance(c, (gast.FunctionDef, gast.Lambda))
            if deeper:
                t.nested.add(id(c))
            if isinstance(c, gast.Name):
                side = t.stores if isinstance(c.ctx, gast.Store) else t.loads
                side.setdefault(c.id, []).append(c)
            todo.append((c, deeper))
    return t


def changed_names(t: Tree) -> set[str]:
    """Names bound more than once, or written into, or whose methods are called (which may
    change them) anywhere in the function."""
    out = set()
    for name in set(t.stores) | set(t.loads):
        count = len(t.stores.get(name, ()))
        for n in t.loads.get(name, ()):
            p = t.parents.get(id(n))
            if isinstance(p, gast.AugAssign):
                count += 1
            elif isinstance(p, gast.Subscript) and not isinstance(p.ctx, gast.Load):
                count += 2
            elif isinstance(p, gast.Attribute) and isinstance(t.parents.get(id(p)), gast.Call):
                count += 2  # `xs.append(v)`, any method: may change it
        if count > 1:
            out.add(name)
    return out
