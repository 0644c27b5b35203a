"""A ``heapq`` priority queue kept in a local list, rewritten as a sorted list.

Input: the function's gast tree and its `Namespace` (lower/lower.py runs this before the name
analyses when the function's source names ``heappush``). Output: whether the tree changed (in
place).

A local name `h` bound only to ``[]`` whose every other use is one of

    heapq.heappush(h, item)     ->  h.append(item); h = sorted(h)      (a statement)
    heapq.heappop(h)            ->  h.pop(0)
    h[0], len(h), while h / if h / not h                               (unchanged)
    heapq.nsmallest(k, h), heapq.nlargest(k, h)                        (unchanged)

holds, after each statement, the same items as Python's heap, and its first item and the item
``heappop`` returns are the heap's smallest (equal items are equal values: either is Python's
answer), which is all those uses read (``nsmallest``/``nlargest`` without ``key=`` read the
items, as ``sorted(h)[:k]`` does, not their order in the list). Other indices, iteration,
``heapify``/``heapreplace``, a ``key=``, passing it on, a second name, a use in a nested
function or a rebound ``sorted`` leave the tree as it is (refused as before: heapq's C functions
change the list where srcad cannot follow). ``sorted`` of the items then carries their
derivatives (its permutation is piecewise constant), ``(priority, value)`` tuples too.
"""

from __future__ import annotations

import builtins
import heapq
from typing import Any

import gast

from srcad.lower.deques import _call, _flat, _name, each_statement, used_only_at
from srcad.lower.placed import placed
from srcad.lower.withs import _resolve


def rewrite(tree: Any, ns: Any) -> bool:
    """Rewrite the heaps of the module docstring in `tree` (in place); True when one was."""
    pushes = [n for n in _flat(tree) if _heap_call(n, ns, heapq.heappush, 2)]
    if not pushes or _resolve(_name("sorted"), ns) is not builtins.sorted:
        return False
    if any(isinstance(n, gast.Name) and n.id == "sorted" and not isinstance(n.ctx, gast.Load)
           for n in gast.walk(tree)):  # fmt: skip
        return False  # (a local `sorted`)
    names = {p.args[0].id for p in pushes if isinstance(p.args[0], gast.Name)}
    names = {n for n in sorted(names) if _only_heaplike(tree, n, ns)}
    if not names:
        return False
    _apply(tree, names, ns)
    return True


def _heap_call(node: Any, ns: Any, fn: Any, nargs: int) -> bool:
    """`node` is ``fn(h, ...)`` with `nargs` positional arguments, `fn` a heapq function."""
    return (
        isinstance(node, gast.Call)
        and len(node.args) == nargs
        and not node.keywords
        and not any(isinstance(a, gast.Starred) for a in node.args)
        and _resolve(node.func, ns) is fn
    )


def _only_heaplike(tree: Any, name: str, ns: Any) -> bool:
    allowed: set[int] = set()
    for node in _flat(tree):
        if isinstance(node, gast.Assign) and len(node.targets) == 1:
            t = node.targets[0]
            if isinstance(t, gast.Name) and t.id == name:
                if not (isinstance(node.value, gast.List) and not node.value.elts):
                    return False
                allowed.add(id(t))
        if isinstance(node, gast.Expr) and _heap_call(node.value, ns, heapq.heappush, 2):
            allowed.add(id(node.value.args[0]))
        if _heap_call(node, ns, heapq.heappop, 1):
            allowed.add(id(node.args[0]))
        if isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Load):
            if isinstance(node.slice, gast.Constant) and node.slice.value == 0:
                allowed.add(id(node.value))
        if _heap_call(node, ns, builtins.len, 1):
            allowed.add(id(node.args[0]))
        if _heap_call(node, ns, heapq.nsmallest, 2) or _heap_call(node, ns, heapq.nlargest, 2):
            allowed.add(id(node.args[1]))  # (reads the items, not their order in the list)
        if isinstance(node, (gast.While, gast.If, gast.IfExp)):
            allowed.add(id(node.test))
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not):
            allowed.add(id(node.operand))
    return used_only_at(tree, name, allowed)


def _apply(tree: Any, names: set[str], ns: Any) -> None:
    for node in _flat(tree):  # `heappop(h)` -> `h.pop(0)`, in place
        if _heap_call(node, ns, heapq.heappop, 1) and isinstance(node.args[0], gast.Name):
            if node.args[0].id in names:
                node.func = placed(gast.Attribute(_name(node.args[0].id), "pop", gast.Load()), node)
                node.args = [placed(gast.Constant(value=0, kind=None), node)]
    each_statement(tree, lambda s: _pushed(s, names, ns))


def _pushed(s: Any, names: set[str], ns: Any) -> list:
    """`s`, or ``h.append(item); h = sorted(h)`` for ``heappush(h, item)``."""
    if not (isinstance(s, gast.Expr) and _heap_call(s.value, ns, heapq.heappush, 2)):
        return [s]
    h, item = s.value.args
    if not (isinstance(h, gast.Name) and h.id in names):
        return [s]
    append = gast.Expr(value=_call(gast.Attribute(_name(h.id), "append", gast.Load()), [item]))
    store = gast.Name(id=h.id, ctx=gast.Store(), annotation=None, type_comment=None)
    again = gast.Assign(targets=[store], value=_call(_name("sorted"), [_name(h.id)]),
                        type_comment=None)  # fmt: skip
    return [placed(append, s), placed(again, s)]
