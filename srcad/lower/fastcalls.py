"""A fast path for the commonest call: a NumPy function called with plain positional arguments.

Input: a gast `Call` whose function lowered to a `PrimRef` (``np.sin(a)``, ``np.sum(x)``).
Output: its lowering, the one `calls.CallLowerer.expr_Call` makes for it (the prim op, or the
primitives `library_rewrite` makes of it), without the ~20 checks for other kinds of calls
(vectorize objects, polynomials, iterators, `len`, `getattr`, one-shot consumers, ...): None
for any other call (those checks then run). The names in `PLAIN` are ones none of those checks
acts on (each matches other names or objects); tests/lower/test_fastcalls.py lowers a table of
calls of every name with and without this path and compares the IR.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import closures
from srcad.lower.values import PrimRef
from srcad.ssa.core import Operand

# fmt: off
PLAIN = frozenset(f"numpy.{n}" for n in (
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "arctan2",
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "square", "reciprocal",
    "absolute", "negative", "sign", "maximum", "minimum", "hypot", "power", "add", "subtract",
    "multiply", "divide", "true_divide", "floor", "ceil",
    "sum", "mean", "std", "var", "max", "min", "prod", "concatenate", "stack", "zeros_like",
    "ones_like", "dot", "outer", "matmul", "where", "clip", "reshape", "ravel", "shape", "tile",
    "transpose", "cumsum", "diff",
))
# fmt: on


def plain_call(lw: Any, f: Any, node: gast.Call, positional_out: Any) -> Operand | None:
    """``np.name(a, b)`` (a name in `PLAIN`, no keywords, no ``*args``, no output array passed
    positionally: `positional_out`, which the full path refuses): lowered as `expr_Call` would
    (the arguments marked consumed at once, `closures.note_consumer`; lowered in order; the op
    at the call's position), or None."""
    if type(f) is PrimRef and f.name in _SIZED and _one_star(node):
        return _sized_draw(lw, f, node)
    if type(f) is not PrimRef or f.name not in PLAIN or node.keywords:
        return None
    args = node.args
    for a in args:
        if type(a) is gast.Starred:
            return None
    if positional_out(f.obj, args):
        return None
    closures.note_consumer(lw, f.name, node)
    vals = [lw.value(a) for a in args]
    lw.at(node)
    out = lw.library_rewrite(f.name, vals, {})
    return out if out is not None else lw.op(f.name, vals, {})


# ``np.random.rand(*shape)``: NumPy's ``random_sample(shape or None)``, the same draws (a float
# for an empty shape, as ``rand()``); the shape is known only when the code runs
_SIZED = {"numpy.random.rand": "random_sample", "numpy.random.randn": "standard_normal"}


def _one_star(node: gast.Call) -> bool:
    return len(node.args) == 1 and type(node.args[0]) is gast.Starred and not node.keywords


def _sized_draw(lw: Any, f: PrimRef, node: gast.Call) -> Operand:
    """``np.random.rand(*s)`` / ``randn(*s)`` as ``random_sample(s or None)`` /
    ``standard_normal(s or None)``."""
    star = node.args[0]
    size = gast.BoolOp(gast.Or(), [star.value, gast.Constant(None, None)])
    v = lw.value(gast.copy_location(size, star))
    lw.at(node)
    return lw.op(f"numpy.random.{_SIZED[f.name]}", [v], {})
