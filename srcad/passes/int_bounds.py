"""Bounds of Python ints a function computes from ``range`` loop indices: for the mutation
check's list entries (passes/alias_slots.py).

Input: a `Function` and an operand. Output: ``(lo, hi)`` with ``lo <= v <= hi`` for every value
the operand takes (`hi` None: no upper bound known), or None. Known: int constants, the index of
a ``for`` loop whose start and step are int constants (``for i in range(2, n)``: ``(2, None)``;
a constant stop bounds it above), and such a value plus or minus an int constant
(``activations[i + 1]`` of ``for i in range(k)`` never reads ``activations[0]``).

    for i in range(0, n, 1) { %3 = add(i, 1) }    ->    i: (0, None), %3: (1, None)
"""

from __future__ import annotations

from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Function, Op, Var


def bounds(fn: Function, a: object, cache: dict) -> tuple[int, int | None] | None:
    """`(lo, hi)` of the int `a` (module docstring); `cache`: the caller's, per function
    (filled on the first call with the defining ops)."""
    if isinstance(a, Const):
        return (a.value, a.value) if type(a.value) is int else None
    if not isinstance(a, Var):
        return None
    if not cache:
        cache["defs"] = _defs(fn)
    got = cache["defs"].get(a)
    if got is None:
        return None
    if isinstance(got, tuple):
        return got
    op = got
    k = None
    if op.prim in ("add", "sub") and len(op.args) == 2 and not op.kwargs:
        x, c = op.args
        if op.prim == "add" and _int_const(x):
            x, c = c, x
        if _int_const(c) and isinstance(x, Var) and x is not a:
            k = c.value if op.prim == "add" else -c.value
    if k is None:
        return None
    inner = bounds(fn, x, cache)
    if inner is None:
        return None
    lo, hi = inner
    return (lo + k, None if hi is None else hi + k)


def _int_const(a: object) -> bool:
    return isinstance(a, Const) and type(a.value) is int


def _defs(fn: Function) -> dict[Var, object]:
    """Var -> its single-result defining op, or a loop index -> its bounds."""
    out: dict[Var, object] = {}
    for op in ops_of(fn.body):
        if op.prim == "for" and len(op.args) >= 3 and op.blocks and op.blocks[-1].params:
            b = _index_bounds(op)
            if b is not None:
                out[op.blocks[-1].params[0]] = b
        elif len(op.results) == 1 and not op.blocks:
            out[op.results[0]] = op
    return out


def _index_bounds(op: Op) -> tuple[int, int | None] | None:
    start, stop, step = op.args[:3]
    if not (_int_const(start) and _int_const(step)) or step.value == 0:
        return None
    s = start.value
    if step.value > 0:
        return (s, stop.value - 1 if _int_const(stop) else None)
    if not _int_const(stop):
        return None  # (no lower bound)
    return (stop.value + 1, s)
