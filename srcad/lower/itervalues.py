"""``itertools.chain`` / ``islice`` / ``pairwise`` objects bound to a name: the generator they are.

Input: the lowerer and the value of ``name = <call>``. Output: `lazy_call`, whether the call is
one of those (lower/oneshot.py counts the name as a one-shot iterator: read twice, by ``next``,
or passed to a function reading it twice, refused); `wrapped`, the generator expression
``(t for t in <call>)`` that lower/lazygen.make keeps for the name in its place, so the name
has the lowering of a generator expression bound to a name (lowered where it is read, refused
when what the call read was rebound or updated in between, or when a nested function reads it)::

    p = itertools.pairwise(x)            p = (t for t in itertools.pairwise(x))
    s = sum(a * b for a, b in p)         # the generator's loop: lower/iterlists.iterated

Python's chain/islice/pairwise read their sources lazily, as the generator over them does;
lower/iterzip.py and lower/iterlists.py list the call inside it (a call they cannot list, an
``islice`` of run-time bounds, stays a run-time value, refused when differentiated).
"""

from __future__ import annotations

import itertools
from typing import Any

import gast

from srcad.lower.listedits import _at, _load, _store, _temp

_LAZY = (itertools.chain, itertools.islice, itertools.pairwise)
_FROM_ITERABLE = itertools.chain.from_iterable  # (a new bound method per read: compared by ==)


def lazy_call(lw: Any, value: Any) -> bool:
    """Is `value` a call of one of those itertools functions (``itertools.chain(a, b)``,
    ``pairwise(x)`` imported by name), named through module-level or closure names, without
    ``**kwargs``?"""
    if not isinstance(value, gast.Call) or any(k.arg is None for k in value.keywords):
        return False
    obj = _named(lw, value.func)
    return any(obj is f for f in _LAZY) or (obj is not None and obj == _FROM_ITERABLE)


def _named(lw: Any, node: Any) -> Any:
    """The object a dotted name of module-level or closure names reads now, or None."""
    if isinstance(node, gast.Attribute):
        base = _named(lw, node.value)
        return getattr(base, node.attr, None) if base is not None else None
    if not isinstance(node, gast.Name) or node.id in lw.py_locals or node.id in lw.env:
        return None
    where, obj = lw.ns.lookup(node.id)
    return obj if where in ("global", "free") else None


def wrapped(lw: Any, node: gast.Call) -> gast.GeneratorExp:
    """``(t for t in <node>)`` (module docstring), made once per call node."""
    made = getattr(node, "srcad_wrapper", None)
    if made is not None:
        return made
    t = _temp(lw)
    gen = gast.comprehension(target=_store(t, node), iter=node, ifs=[], is_async=0)
    made = _at(gast.GeneratorExp(elt=_load(t, node), generators=[gen]), node)
    made.srcad_wraps = True  # evaluated where `node` is (lower/closures._inside)
    node.srcad_wrapper = made
    return made
