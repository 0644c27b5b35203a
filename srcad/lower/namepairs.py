"""``pi, sqrt, tanh = np.pi, np.sqrt, np.tanh``: a tuple display of names and attributes assigned
to as many plain names, each name bound to what its part reads (for lower/stmts.py).

Input: the lowerer, the assignment's one target and its value. Output: whether the assignment
was lowered here (the names bound); False leaves it to the usual lowering, nothing emitted.

Python evaluates every part of the display before binding a name, and so does this (the parts are
lowered first, in order). As one run-time tuple unpacked again, a part
that is a function (``np.tanh``) became a function object called at run time, which srcad cannot
differentiate; bound directly, it stays the function known now. Run-time parts are bound to the
same values the tuple's unpacking gave them (the tuple itself was dead code).
"""

from __future__ import annotations

from typing import Any

import gast


def pairwise(lw: Any, target: Any, value: Any) -> bool:
    """Lower ``a, b = p, q`` (plain-name targets, name/attribute parts of the same count) part by
    part; see the module docstring."""
    if not (isinstance(target, (gast.Tuple, gast.List)) and isinstance(value, gast.Tuple)):
        return False
    if len(target.elts) != len(value.elts) or len(value.elts) < 2:
        return False
    if not all(isinstance(t, gast.Name) for t in target.elts):
        return False
    if not all(_plain(e) for e in value.elts):
        return False
    vals = [lw.expr(e) for e in value.elts]
    for t, v in zip(target.elts, vals):
        lw.assign(t, v, value)
    return True


def _plain(e: Any) -> bool:
    """A name or a chain of attributes of one (``np.linalg.norm``)."""
    while isinstance(e, gast.Attribute):
        e = e.value
    return isinstance(e, gast.Name)
