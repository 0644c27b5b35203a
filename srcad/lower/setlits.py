"""Set literals of constants where a tuple means the same: ``i in {0, 2}``, ``for i in {0, 2}``.

Input: the function's gast tree (lower/lower.py runs this before the name analyses when the
tree holds a set literal). Output: the tree with those literals replaced, in place.

- ``v in {c1, c2}`` / ``not in``, the constants hashable numbers, strings, bytes, ``None``: the
  tuple ``(c1, c2)`` (membership by equality: the same answer for any hashable `v`);
- ``for i in {1, 3}`` and ``sorted({1, 3})`` of ints: the tuple of the set's items in the order
  Python iterates the set (ints hash to themselves, so every process agrees).

Any other set literal (a variable's value, ``s.add(v)``, set algebra) stays refused.
"""

from __future__ import annotations

from typing import Any

import gast

_HASHABLE = (int, float, str, bytes, type(None))


def rewrite(tree: gast.AST) -> None:
    """Replace the set literals of the module docstring in `tree` (in place)."""
    for node in gast.walk(tree):
        if isinstance(node, gast.Compare):
            node.comparators = [
                _as_tuple(c, ordered=False) if isinstance(op, (gast.In, gast.NotIn)) else c
                for op, c in zip(node.ops, node.comparators)
            ]
        elif isinstance(node, (gast.For, gast.comprehension)):
            node.iter = _as_tuple(node.iter, ordered=True)
        elif (
            isinstance(node, gast.Call)
            and isinstance(node.func, gast.Name)
            and node.func.id == "sorted"
            and len(node.args) == 1
        ):
            node.args = [_as_tuple(node.args[0], ordered=True)]


def _as_tuple(node: Any, ordered: bool) -> Any:
    """`node` as a tuple when it is a set literal of constants that fit (else `node`)."""
    if not isinstance(node, gast.Set) or not all(isinstance(e, gast.Constant) for e in node.elts):
        return node
    values = [e.value for e in node.elts]
    if ordered:
        if not all(type(v) is int for v in values):
            return node
        values = list(set(values))  # the order Python iterates this set in
    elif not all(isinstance(v, _HASHABLE) for v in values):
        return node
    elts = [gast.copy_location(gast.Constant(value=v, kind=None), node) for v in values]
    return gast.copy_location(gast.Tuple(elts=elts, ctx=gast.Load()), node)
