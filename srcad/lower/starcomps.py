"""A comprehension over a range of constant bounds spread into a call: ``V(*(x[i] * 2.0 for i
in range(3)))`` / ``f(*[e for i in range(n0, n1)])``, as the tuple display of its items.

Input: the lowerer and the starred operand's node. Output: a gast ``Tuple`` of the element, once
per value of the loop name, that name read as that constant (Python consumes the generator
before the call, item by item, in this order), or None: more than one ``for``, an ``if``, a
target that is not a name, bounds that are not int constants, ``range`` rebound, more than
`MAX_ITEMS` items, or an element holding its own scope or a ``:=`` (a lambda, a comprehension,
``yield``) -- then the call is lowered as before (refused: a sequence of unknown length).

    f(*(x[i] * 2.0 for i in range(3)))  ->  f(*(x[0] * 2.0, x[1] * 2.0, x[2] * 2.0))

`read_as` (a name's reads as a constant) also serves lower/fnvalues.py's lambdas made in a loop.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower.placed import placed

MAX_ITEMS = 64
_SCOPES = (gast.Lambda, gast.FunctionDef, gast.ClassDef, gast.GeneratorExp, gast.ListComp,
           gast.SetComp, gast.DictComp, gast.NamedExpr, gast.Yield, gast.YieldFrom, gast.Await)  # fmt: skip


def unrolled(lw: Any, node: Any) -> gast.Tuple | None:
    """The tuple display `node` spreads as, or None (the module docstring)."""
    if not isinstance(node, (gast.GeneratorExp, gast.ListComp)) or len(node.generators) != 1:
        return None
    g = node.generators[0]
    if g.ifs or getattr(g, "is_async", 0) or not isinstance(g.target, gast.Name):
        return None
    values = _range_values(lw, g.iter)
    if values is None or any(isinstance(n, _SCOPES) for n in gast.walk(node.elt)):
        return None
    items = [read_as(copy.deepcopy(node.elt), g.target.id, k) for k in values]
    return placed(gast.Tuple(elts=items, ctx=gast.Load()), node)


def _range_values(lw: Any, it: Any) -> list[int] | None:
    """The ints of ``range(a[, b[, c]])`` with int constants, the builtin `range`, or None."""
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id == "range"):
        return None
    if it.keywords or not 1 <= len(it.args) <= 3 or "range" in lw.env or "range" in lw.py_locals:
        return None
    if lw.ns.lookup("range")[1] is not range:
        return None
    bounds = [a.value if isinstance(a, gast.Constant) else None for a in it.args]
    if any(type(b) is not int for b in bounds) or (len(bounds) == 3 and bounds[2] == 0):
        return None
    values = list(range(*bounds))
    return values if len(values) <= MAX_ITEMS else None


def read_as(node: Any, name: str, value: Any) -> Any:
    """`node` with every read of `name` the constant `value` (changed in place: pass a copy; the
    node itself is replaced when it is that read, so use the result)."""

    class _Sub(gast.NodeTransformer):
        def visit_Name(self, n: gast.Name) -> Any:
            if n.id == name and isinstance(n.ctx, gast.Load):
                return gast.copy_location(gast.Constant(value=value, kind=None), n)
            return n

    return _Sub().visit(node)
