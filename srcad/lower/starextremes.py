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
(``max(a, b, c)``). With other arguments around the starred one (``max(*x, 0.0)``,
``min(0.0, *x, *y)``): ``max`` of the list of all the arguments in order (Python compares the
same items in the same order), after a run-time check that there are two or more (one: Python
iterates it, refused; none: Python's TypeError)::

    m = max(*x, 0.0)            xs = list(x) + [0.0]
                                require(len(xs) > 1, <refusal>)
                                m = max(xs)
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
        return _with_others(lw, f, node)
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
    one = (
        f"`{f.name}(*xs)` of a single item is `{f.name}` over that item's own elements (Python "
        f"iterates it); srcad lowered it as `{f.name}(xs)`"
    )
    return _of_arguments(lw, f, node, v, one)


def _of_arguments(lw: Any, f: Any, node: gast.Call, seq: Operand, one: str) -> Operand:
    """``f(seq)`` for Python's ``f(*seq)``, with the run-time checks that make them agree: no
    arguments is Python's TypeError, a single one (which Python would iterate) is refused
    with the message `one`."""
    n = lw.op("len", [seq], hint="n")
    empty = f"{f.name} expected at least 1 argument, got 0"
    lw.op("srcad.runtime.require", [lw.op("ne", [n, Const(0)]), Const(empty), Const("TypeError")])
    lw.op("srcad.runtime.require", [lw.op("ne", [n, Const(1)]), Const(one)])
    lw.at(node)
    return lw.op(f.name, [seq])


def _with_others(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """``max(*x, 0.0)``: a starred sequence of run-time length among other positional arguments,
    as ``max`` of the list of all of them (module docstring); None without one (as before)."""
    starred = [a for a in node.args if isinstance(a, gast.Starred)]
    if not starred or all(isinstance(a.value, (gast.List, gast.Tuple)) for a in starred):
        return None
    parts: list[list[Operand] | Operand] = []  # known items, or a run-time sequence's list
    for a in node.args:
        if not isinstance(a, gast.Starred):
            parts.append([lw.value(a)])
            continue
        v = lw.value(idioms_more.spread(lw, a.value))
        lw.at(node)
        if lw._unpackable(v):  # a literal of known length: its items
            parts.append(list(lw.unpack(v, None, a.value)))
        else:  # Python iterates it into the arguments
            parts.append(lw.op("builtins.list", [v]))
    lw.at(node)
    if all(isinstance(p, list) for p in parts):  # all of known length: as `max(a, b, c)`
        items = [v for p in parts for v in p]
        if len(items) < 2:
            raise lw.error(node, f"`{f.name}` of fewer than two arguments spread from `*`")
        out = items[0]
        for v in items[1:]:
            out = lw.op(f.name, [out, v])
        return out
    seqs = [lw.op("list", p) if isinstance(p, list) else p for p in parts]
    out = seqs[0]
    for p in seqs[1:]:
        out = lw.op("srcad.runtime.concat", [out, p])
    one = (
        f"`{f.name}(...)` of a single argument is `{f.name}` over that argument's own elements "
        f"(Python iterates it); srcad lowered it as `{f.name}` of the arguments"
    )
    return _of_arguments(lw, f, node, out, one)
