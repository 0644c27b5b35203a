"""A method call whose receiver is a conditional expression, as an ``if`` statement.

Input: the function's tree (before the name analyses). Output: each expression statement
``(a if c else b).m(args)`` rewritten as the ``if`` statement Python runs the same way (the
test once, then one receiver, then the method looked up on it and the arguments evaluated), so
the update of ``a`` or ``b`` is an update of a name, as every analysis sees it::

    (d["x"] if t else d["y"]).append(v)        if t:
                                                   d["x"].append(v)
                                               else:
                                                   d["y"].append(v)

Nested conditionals (``(a if c else b if e else f).m(v)``) become nested ``if`` statements.
"""

from __future__ import annotations

import copy
from typing import Any

import gast


def _split(s: Any) -> gast.If | None:
    """The ``if`` statement for the expression statement `s`, or None when `s` is no method
    call on a conditional expression."""
    if not isinstance(s, gast.Expr) or not isinstance(s.value, gast.Call):
        return None
    call = s.value
    func = call.func
    if not (isinstance(func, gast.Attribute) and isinstance(func.value, gast.IfExp)):
        return None
    cond = func.value

    def branch(receiver: Any) -> list:
        at = copy.deepcopy(call) if receiver is cond.orelse else call
        at.func = gast.copy_location(
            gast.Attribute(value=receiver, attr=func.attr, ctx=gast.Load()), func
        )
        one = gast.copy_location(gast.Expr(value=at), s)
        inner = _split(one)
        return [inner if inner is not None else one]

    body, orelse = branch(cond.body), branch(cond.orelse)
    return gast.copy_location(gast.If(test=cond.test, body=body, orelse=orelse), s)


def rewrite(tree: Any) -> bool:
    """Rewrite the statements of the module docstring in `tree`; True when one was."""
    changed = False
    for node in list(gast.walk(tree)):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            for k, s in enumerate(stmts):
                new = _split(s)
                if new is not None:
                    stmts[k] = new
                    changed = True
    return changed
