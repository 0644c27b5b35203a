"""``max(*xs)`` / ``min(*xs)`` of a sequence of run-time length (a 1-D array, a list).

Input: the lowerer, the callee (the builtin ``max``/``min``) and the call, its one argument
``*xs`` and no keywords. Output: ``max(xs)`` over the sequence (the same comparisons, in the
same order, ties keeping the first), after run-time checks of Python's two other cases: no
item (``max()``: Python's TypeError) and one item (``max(a)`` iterates `a` itself: refused),
or None for other calls (lowered as before)::

    m = max(*x)                 n = len(x)
                                require(n != 0, "max expected at least 1 argument, got 0")
                                require(n != 1, <refusal>)
                                m = max(x)

A display or a tuple/list of known length is spread into the arguments as before
(``max(a, b, c)``).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import idioms_more
from srcad.lower.values import PrimRef
from srcad.ssa.core import Const, Operand


def star_extreme(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """The lowering of ``max(*xs)`` / ``min(*xs)`` at `node` (module docstring), or None."""
    if not (isinstance(f, PrimRef) and f.name in ("max", "min")) or node.keywords:
        return None
    if len(node.args) != 1 or not isinstance(node.args[0], gast.Starred):
        return None
    inner = node.args[0].value
    if isinstance(inner, (gast.List, gast.Tuple)):
        return None  # a display: its items are the arguments (`Lowerer.call_args`)
    v = lw.value(idioms_more.spread(lw, inner))
    lw.at(node)
    if lw._unpackable(v):  # a literal of known length: the call of its items, as before
        items = lw.unpack(v, None, inner)
        out = items[0] if len(items) > 2 else lw.op(f.name, items)
        for a in items[1:] if len(items) > 2 else ():
            out = lw.op(f.name, [out, a])
        return out
    n = lw.op("len", [v], hint="n")
    empty = f"{f.name} expected at least 1 argument, got 0"
    lw.op("srcad.runtime.require", [lw.op("ne", [n, Const(0)]), Const(empty), Const("TypeError")])
    one = (
        f"`{f.name}(*xs)` of a single item is `{f.name}` over that item's own elements (Python "
        f"iterates it); srcad lowered it as `{f.name}(xs)`"
    )
    lw.op("srcad.runtime.require", [lw.op("ne", [n, Const(1)]), Const(one)])
    lw.at(node)
    return lw.op(f.name, [v])
