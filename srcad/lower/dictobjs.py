"""``{k: C(...) for k in <constants>}``: a dict of objects built here, known when lowering.

Input: the lowerer and a gast ``DictComp`` (lower/calls.expr_DictComp asks first). Output: a
`FnSeq` of kind ``"dict"`` (lower/objseq.py, lower/fnitems.py: its keys the constants, its items
the objects the value builds with the target bound to each), as the dict display
``{0: C(...), 1: C(...)}`` gives; None (lowered as before, nothing emitted) for any other
comprehension. So ``for k, o in objs.items(): o.v = ...`` writes the fields of the objects
themselves (lower/objstate.py), and ``objs[k]`` of a constant key is that object::

    objs = {i: Body(x[i]) for i in range(3)}     ->   FnSeq(dict, keys (0, 1, 2))

Taken: one generator over ``range`` of int constants or a tuple/list display of constants
(distinct ones, of the kinds a dict display of objects takes as keys), no ``if``, the key the
target itself, the value a call (or operator) whose every item is an object built here
(lower/objseq.constructed, which lowers it once per constant).

``for k in objs`` over such a dict (or a display's, lower/fnitems.py) is unrolled over its keys
(`keys_of`), constants, so ``objs[k]`` in the body is the object: when the body neither stores
into ``objs`` (``objs[k] = ...``, ``del objs[k]``), calls a method of it (``objs.pop(k)``)
nor rebinds it (Python raises RuntimeError when the dict changes size as it iterates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from srcad.lower import objseq
from srcad.lower.fnitems import _KEYS
from srcad.lower.objseq import FnSeq
from srcad.ssa.core import Const


def comprehension(lw: Any, node: gast.DictComp, constants: Callable) -> FnSeq | None:
    """The `FnSeq` of the module docstring, or None; `constants(lw, it)`: the values of the
    iterable `it` of constants (lower/fnvalues._constant_values), or None."""
    if len(node.generators) != 1 or not isinstance(node.value, objseq.MADE):
        return None
    g = node.generators[0]
    if g.is_async or g.ifs or not isinstance(g.target, gast.Name):
        return None
    if not (isinstance(node.key, gast.Name) and node.key.id == g.target.id):
        return None
    values = constants(lw, g.iter)
    if not values or len(set(values)) != len(values) or any(type(v) not in _KEYS for v in values):
        return None
    comp = gast.copy_location(gast.ListComp(elt=node.value, generators=node.generators), node)
    seq = objseq.constructed(lw, comp, values)
    if seq is None:
        return None
    out = FnSeq(seq.items, "dict", node, seq.depth)
    out.keys = tuple(values)
    return out


def keys_of(lw: Any, seq: FnSeq, it: Any, body: list | None) -> list | None:
    """``for k in objs`` (`it` a name bound to the dict `seq`, `body` the loop's statements, None
    for a comprehension): its keys as constants (module docstring), or None."""
    if seq.kind != "dict" or not isinstance(it, gast.Name):
        return None
    for n in (x for s in body or () for x in gast.walk(s)):
        if isinstance(n, gast.Name) and n.id == it.id and not isinstance(n.ctx, gast.Load):
            return None  # (rebound, deleted)
        if isinstance(n, (gast.Subscript, gast.Attribute)) and _names(n.value, it.id):
            if isinstance(n, gast.Attribute) or not isinstance(n.ctx, gast.Load):
                return None  # `objs[k] = ...`, `del objs[k]`, `objs.pop(k)`
    objseq.check_known(lw, seq, it)
    return [Const(k) for k in seq.keys]


def _names(node: Any, name: str) -> bool:
    return isinstance(node, gast.Name) and node.id == name
