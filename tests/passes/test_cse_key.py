"""`cse._key` writes each operand's `_part` inline: the same keys as built from `_part`, on the
ops of a table of programs and on constants of every kind a key holds by value or by repr."""

from __future__ import annotations

import numpy as np

from srcad.passes.cse import _KWARGS, _key, _part
from srcad.ssa.core import Const, Op, Var, walk_ops
from tests.passes.irtext import lower


def _by_parts(op, subst):
    parts = []
    for a in op.args:
        p = _part(a, subst)
        if p is None:
            return None
        parts.append(p)
    if op.kwargs:
        parts.append(_KWARGS)
        for a in op.kwargs.values():
            p = _part(a, subst)
            if p is None:
                return None
            parts.append(p)
    params = tuple(sorted((k, repr(v)) for k, v in op.params.items())) if op.params else ()
    return (op.prim, tuple(op.kwargs), tuple(parts), params)


def _f(x, n):
    y = x[1:-1, None] * 2.0 + x[::2].sum() + np.sum(x, axis=0, keepdims=True)
    for i in range(n):
        y = y + (i, 1.5)[0] - 0.0 * -0.0 + (1j if n > 3 else None is None)
    return np.clip(y, -1.0, 1.0)


def test_key_is_parts():
    a, b = Var("a"), Var("b")
    consts = [1, True, "s", None, Ellipsis, 0.0, -0.0, float("nan"), 1j, (1, 2.0), slice(1, None)]
    ops = [Op("add", [a, Const(c)], results=[Var()]) for c in consts]
    ops += [Op("getitem", [a, Const(np.float64(1.0))], results=[Var()]), Op("neg", [b])]
    ops += list(walk_ops(lower(_f).body))
    for op in ops:
        for subst in ({}, {a: b}):
            assert _key(op, subst) == _by_parts(op, subst), op
