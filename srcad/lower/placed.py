"""Positions for the nodes a rewrite makes: gast tree + the user's node -> the same tree.

The lowering rewrites idioms into plainer Python (a `with` into its enter/exit calls, a list of
objects into its fields, ...). The nodes it makes have no source position; errors about them
must point at the user's line, so each takes the position of the node it was made for. Nodes
that have a position (the user's own subtrees reused in the rewrite) keep theirs.
"""

from __future__ import annotations

from typing import Any, TypeVar

import gast

T = TypeVar("T")


def placed(tree: T, at: Any) -> T:
    """`tree` with every node that has no position given `at`'s (line, column, end)."""
    for n in gast.walk(tree):
        if getattr(n, "lineno", None) is None and "lineno" in n._attributes:
            gast.copy_location(n, at)
    return tree
