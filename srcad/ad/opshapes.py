"""Operand shapes an ``a op= v`` cannot grow by, read off the IR (for `ad/inplace_dtypes.py`).

Input: each value's defining op, the target `a` and operand `v` of an ``a op= v`` (and, for
`within`, each value's rank where known). Output: True when the transform can see that ``a op v``
has `a`'s shape, so NumPy's ``np.add(a, v, out=a)`` cannot raise for growth and no run-time check
is needed: `covers` (`a` was itself broadcast with `v`: ``s = x + y; s -= x``) and `within`
(`v` is an elementwise function of `a` and numbers: ``y *= y > 0``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.ad.boolmasks import _CMPS
from srcad.rules import default_registry
from srcad.ssa.core import Const, Op, Var

_CAST = "srcad.runtime.inplace_cast"
_BROADCAST = frozenset(("add", "sub", "mul", "truediv", "floordiv", "mod", "pow"))
_SHAPE_KEPT = frozenset(("neg", "pos", "abs", "method.copy", "numpy.copy", _CAST))


def covers(defs: dict[Var, Op], a: Var, v: Var) -> bool:
    """Was `a`'s shape broadcast with `v`'s (so holds it)? `a` made by arithmetic with `v`
    among its operands, through negations, copies and casts (a walk back, at most 256
    values)."""
    todo, seen = [a], {a}
    while todo and len(seen) < 256:
        d = defs.get(todo.pop())
        if d is None or d.kwargs or not d.args:
            continue
        if d.prim in _BROADCAST:
            args = d.args
        elif d.prim == _CAST:  # (the old array's shape, and the new one's)
            args = d.args[:2]
        elif d.prim in _SHAPE_KEPT:
            args = d.args[:1]
        else:
            continue
        for x in args:
            if x is v:
                return True
            if isinstance(x, Var) and x not in seen:
                seen.add(x)
                todo.append(x)
    return False


def within(defs: dict[Var, Op], a: Var, v: Var, rank: Any) -> bool:
    """Has `v` at most `a`'s shape? `v` made by elementwise ops, comparisons, logical ops and
    NaN tests (`boolmasks._CMPS`), no keywords, whose operands are numbers (rank 0) or `a`'s
    own array (`a`, and what `a` is a copy, negation or cast of): a broadcast of one shape with
    numbers is that shape (a walk, at most 256 values)."""
    same = {a}
    d = defs.get(a)
    while d is not None and d.prim in _SHAPE_KEPT and d.args and not d.kwargs:
        if not isinstance(d.args[0], Var) or d.args[0] in same:
            break
        same.add(d.args[0])
        d = defs.get(d.args[0])
    reg = default_registry()
    todo, seen = [v], {v}
    while todo:
        d = defs.get(todo.pop())
        if d is None or d.kwargs or len(d.results) != 1 or len(seen) > 256:
            return False
        if d.prim not in _CMPS and not reg.get(d.prim).elementwise:
            return False
        for x in d.args:
            if isinstance(x, Var) and x not in same and x not in seen and rank(x) != 0:
                seen.add(x)
                todo.append(x)
            elif isinstance(x, Const) and np.ndim(x.value) != 0:
                return False
    return True
