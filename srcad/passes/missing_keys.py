"""Reads of a ``defaultdict`` that insert a key: kept by DCE, not merged by CSE.

Input: a lowered `Function` before it is optimised (`passes/prepare.py` runs `record` next to
`shadowed_methods.record`). Output: the same function with ``read_may_update`` set on each
``getitem`` whose container is a dict that inserts missing keys: one the function makes by
calling ``collections.defaultdict(...)`` (or another ``dict`` subclass whose ``__missing__``
may store the key), or a global/closure value of such a class.

``d[5]`` on a ``defaultdict`` is not a pure read: Python stores ``d[5] = factory()``, and a
later ``len(d)``, ``d.keys()`` or loop over ``d`` sees it. Taken as pure, an unused read is
dropped by DCE and ``len(d)`` differs from Python's (a wrong value, and a wrong derivative
when it scales one). ``collections.Counter`` answers 0 without storing: its reads stay pure.
A defaultdict that reaches the function as an argument or out of a container is not seen
here (its unused reads are still dropped).
"""

from __future__ import annotations

import collections

from srcad.passes.shadowed_methods import known_value
from srcad.ssa.census import ops_of, result_defs
from srcad.ssa.core import Function, Op, Var


def record(fn: Function) -> None:
    """Mark the ``getitem`` ops on an inserting dict (module docstring)."""
    ops = ops_of(fn.body)
    reads = [op for op in ops if op.prim == "getitem" and op.args and type(op.args[0]) is Var]
    if not reads:
        return
    defs = result_defs(ops)
    for op in reads:
        if _inserts(defs.get(op.args[0]), fn, defs):
            op.params["read_may_update"] = True


def _inserts(d: Op | None, fn: Function, defs: dict) -> bool:
    """Is the value `d` defines a dict whose reads of missing keys store them? (Through the
    new versions an update makes: ``d.2 = setitem(d, 0, v)`` is still `d`'s dict.)"""
    for _ in range(1000):
        if d is None or not _updates(d):
            break
        d = defs.get(d.args[0])
    if d is None:
        return False
    if d.prim == "call" and d.args and type(d.args[0]) is Var:
        found, callee = known_value(defs.get(d.args[0]), fn, defs)
        return found and isinstance(callee, type) and inserting(callee)
    found, value = known_value(d, fn, defs)
    return found and inserting(type(value))


def _updates(d: Op) -> bool:
    """`d` makes a new version of the container it updates (its first operand, of the same
    name): ``setitem``, ``delitem``, an in-place method's."""
    if not d.args or type(d.args[0]) is not Var or len(d.results) != 1:
        return False
    return d.prim in ("setitem", "delitem") or (
        bool(d.results[0].hint) and d.results[0].hint == d.args[0].hint
    )


def inserting(cls: type) -> bool:
    """A ``dict`` subclass whose ``__missing__`` may store the key (``defaultdict``'s does, a
    user's may; ``Counter``'s only answers 0)."""
    if not (isinstance(cls, type) and issubclass(cls, dict)):
        return False
    missing = getattr(cls, "__missing__", None)
    return missing is not None and missing is not collections.Counter.__missing__
