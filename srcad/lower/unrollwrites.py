"""An unrolled loop over a list or dict known here (lower/fnvalues.unroll) that changes what
it iterates in place.

Input: the ``for`` statement. Output: nothing, or a SrcadError. The unrolled copies bind the
target to the items the sequence held when the loop started; Python reads each item when its
round starts, so a write into the sequence during the loop (``ps[k] = v``, ``ps["b"] = v``,
``ps[i] += v``, ``ps.update(...)``) could reach a later round: refused, located, rather than a
wrong value::

    for k, p in ps.items():     # Python's second round reads the `ps["b"]` the first one stored
        ps["b"] = p.moved(0.1)

Rebinding the name (``ps = [...]``) is exact: the loop goes on over the object it started with.
So is a store into an item's attribute (``ps[k].v = ...``): the item is the same object.
"""

from __future__ import annotations

from typing import Any

import gast

_MUTATORS = frozenset(("append", "extend", "insert", "pop", "remove", "clear", "update",
                       "setdefault", "popitem", "sort", "reverse", "__setitem__",
                       "__delitem__"))  # fmt: skip
_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def checked(lw: Any, node: Any, exits: list) -> list:
    """`exits` (the loop's own ``break``/``continue``/``return``), once `node` (a ``for``
    statement: other nodes are not checked) is known not to write into what it iterates."""
    if not isinstance(node, gast.For):
        return exits
    cores = {_key(n) for n in gast.walk(node.iter) if isinstance(n, (gast.Name, gast.Attribute))}
    for s in node.body:
        for x in gast.walk(s):
            bad = _written(x, cores)
            if bad is not None:
                raise lw.error(
                    x,
                    f"this loop changes `{bad}` in place while it iterates over it; srcad "
                    "unrolls the loop over the items it held when the loop started, where "
                    "Python's later rounds may read what this stores",
                    f"build a new list or dict in the loop and rebind `{bad}` after it",
                )
    return exits


def _written(x: Any, cores: set) -> str | None:
    """The source of the iterated expression (of `cores`) that `x` writes into, else None."""
    if isinstance(x, (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Delete)):
        targets = x.targets if isinstance(x, (gast.Assign, gast.Delete)) else [x.target]
        for t in targets:
            for sub in _leaves(t):  # (`a, ps[0] = ...`; `ps[0].v = ...` writes the item's field)
                if isinstance(sub, gast.Subscript):
                    while isinstance(sub, gast.Subscript):
                        sub = sub.value
                    if _key(sub) in cores:
                        return _key(sub)
            if isinstance(x, gast.AugAssign) and _key(t) in cores:  # `ps += [p]`: in place
                return _key(t)
    if (
        isinstance(x, gast.Call)
        and isinstance(x.func, gast.Attribute)
        and x.func.attr in _MUTATORS
        and _key(x.func.value) in cores
    ):
        return _key(x.func.value)
    return None


def _leaves(t: Any) -> list:
    """The targets a (tuple/list/starred) assignment target stores into."""
    if isinstance(t, (gast.Tuple, gast.List)):
        return [x for e in t.elts for x in _leaves(e)]
    return _leaves(t.value) if isinstance(t, gast.Starred) else [t]


def _key(x: Any) -> str | None:
    """``ps``/``self.layers`` for a name or an attribute of names, else None."""
    if isinstance(x, gast.Name):
        return x.id
    if isinstance(x, gast.Attribute):
        base = _key(x.value)
        return None if base is None else f"{base}.{x.attr}"
    return None
