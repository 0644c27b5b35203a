"""``global CALLS; CALLS += 1`` in a function srcad transforms: a module-level number updated as
a run-time effect (evaluation counters), as autograd runs the statement.

Input: the lowerer at a ``global`` statement or an augmented assignment of a name it declares.
Output: the name let through the ``global`` statement (`counter`), and ``N op= e`` lowered as
``srcad.runtime.global_update("mod", "N", "iadd", e)`` (rules/effects.py): the global read and
written in its module when the code runs, once per call of the generated code. Only when the
function itself lowered (not an inlined helper) names `N` nowhere but as such targets (a read
would not be ordered against the update), `N` is bound now to an int or float of a module, and
`e` carries no derivative (ad/effects.py refuses one that does).
"""

from __future__ import annotations

import sys
from typing import Any

import gast
import numpy as np

from srcad.lower.globaleffects import IOPS
from srcad.ssa.core import Const

PRIM = "srcad.runtime.global_update"
_NUMBERS = (int, float, np.integer, np.floating)


def counter(lw: Any, name: str) -> bool:
    """`name` (declared ``global``) is a counter this module lowers (see the docstring)."""
    root = getattr(lw, "root", None)
    if root is None or lw.inline_depth:
        return False
    kind, obj = lw.ns.lookup(name)
    if kind != "global" or isinstance(obj, bool) or not isinstance(obj, _NUMBERS):
        return False
    module = sys.modules.get(lw.ns.globals.get("__name__", ""))
    if module is None or vars(module) is not lw.ns.globals:
        return False
    targets = {
        id(n.target)
        for n in gast.walk(root)
        if isinstance(n, gast.AugAssign) and type(n.op) in IOPS and isinstance(n.target, gast.Name)
    }
    for n in gast.walk(root):
        if isinstance(n, gast.Name) and n.id == name and id(n) not in targets:
            return False
        if isinstance(n, gast.Nonlocal) and name in n.names:
            return False
    return True


def aug_assign(lw: Any, s: gast.AugAssign) -> bool:
    """``N op= e`` of a counter `N`: the effect op (True), else False."""
    t = s.target
    if lw.inline_depth or not isinstance(t, gast.Name):
        return False
    if t.id not in getattr(lw, "global_counters", ()):
        return False
    v = lw.value(s.value)
    lw.at(s)
    lw.op(PRIM, [Const(lw.ns.globals["__name__"]), Const(t.id), Const(IOPS[type(s.op)]), v])
    return True
