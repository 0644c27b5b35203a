"""Cotangents that are certainly Python floats, found while the reverse sweep builds them.

Input: the ops one rule template just appended to the reverse block, and the set of cotangent Vars
known to hold Python floats. Output: those ops simplified in place, the set grown by their
results that hold Python floats; the template's value (possibly another operand now).

The seed of ``grad`` is the constant ``1.0``, and scalar losses pass it on through arithmetic with
constants (``loss = a + 0.5 * b``: `a` gets ``1.0``, `b` gets ``1.0 * 0.5``). On such values:

- ``_srcad.unbroadcast(g, x)`` with `g` a Python float returns `g` itself (the helper's first test),
  so the op is not kept and its readers read `g`;
- ``+``, ``-``, ``*`` and unary ``-`` of constants (ints and floats, one a float) are folded into
  a constant when the result is finite: Python computes the same number when the code runs;
- the result of ``+``, ``-``, ``*``, ``/`` or unary ``-``/``+`` whose operands are Python floats or
  int/float constants (one a float) is a Python float (``/`` by zero raises at run time, as before).

Nothing here guesses: a value joins the set only when every way it is computed gives a Python
float (`VJP.acc` adds a sum of two such values, `VJP.rev_if` an ``if`` result that each branch
gives one of).
"""

from __future__ import annotations

import math
import operator

from srcad.ssa.core import Block, Const, Op, Operand, Var

_UNBROADCAST = "srcad.runtime.unbroadcast"
_FOLD = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
_UNARY = {"neg": operator.neg, "pos": operator.pos}
_FLOAT_RESULT = frozenset(("add", "sub", "mul", "truediv", "neg", "pos"))


def is_float(a: object, floats: set[Var]) -> bool:
    """`a` is certainly a Python float: a float constant or a Var of `floats`."""
    if type(a) is Const:
        return type(a.value) is float
    return type(a) is Var and a in floats


def _number(a: object, floats: set[Var]) -> bool:
    """`a` is a Python float, or an int constant (not a bool)."""
    if type(a) is Const:
        return type(a.value) is float or type(a.value) is int
    return type(a) is Var and a in floats


def python_floats(block: Block, start: int, out: Operand, floats: set[Var]) -> Operand:
    """Simplify the ops of `block` from position `start` on (one template's: their results are
    read only by each other and through `out`), as the module docstring says; -> `out`, or what
    replaced it."""
    ops = block.ops
    sub: dict[Var, Operand] = {}
    drop = []
    for i in range(start, len(ops)):
        op = ops[i]
        p = op.prim
        if p != _UNBROADCAST and p not in _FLOAT_RESULT:
            if sub:
                substitute(op, sub)
            continue
        if sub:
            substitute(op, sub)
        args = op.args
        if op.kwargs or op.blocks or len(op.results) != 1:
            continue
        if p == _UNBROADCAST:
            if len(args) == 2 and is_float(args[0], floats):
                sub[op.results[0]] = args[0]
                drop.append(i)
        elif 1 <= len(args) <= 2 and all(_number(a, floats) for a in args):
            if any(is_float(a, floats) for a in args):
                folded = fold_constants(p, args)
                if folded is None:
                    floats.add(op.results[0])
                else:
                    sub[op.results[0]] = folded
                    drop.append(i)
    if drop:
        for i in reversed(drop):
            del ops[i]
    return sub.get(out, out) if sub and type(out) is Var else out


def substitute(op: Op, sub: dict[Var, Operand]) -> None:
    """`op` reads what `sub` replaced (also passes/shapes.py's rewrites)."""
    op.args = [sub.get(a, a) if type(a) is Var else a for a in op.args]
    if op.kwargs:
        op.kwargs = {k: sub.get(a, a) if type(a) is Var else a for k, a in op.kwargs.items()}


def fold_constants(p: str, args: list) -> Const | None:
    """The float constant `p` of constant operands gives (finite), or None (also used by
    passes/shapes.py for the ops its rewrites make)."""
    for a in args:  # `all(type(a) is Const ...)`, inline (no generator per op)
        if type(a) is not Const:
            return None
    f = _FOLD.get(p) if len(args) == 2 else _UNARY.get(p)
    if f is None:
        return None
    v = f(*(a.value for a in args))
    return Const(float(v)) if type(v) is float and math.isfinite(v) else None
