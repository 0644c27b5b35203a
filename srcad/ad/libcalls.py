"""``f(x)`` where `f` holds a NumPy ufunc or a `math` function known when transforming: that
function's primitive, so its rule applies.

Input: a transform's `Function` (its own clone), the rule table, the parameters' known values.
Output: the function with each such ``call`` op made the primitive op the lowering makes of
``np.sin(x)``.

The lowering makes ``np.sin(x)`` that op itself, and a name bound to it (``f = np.sin``) too;
a function handed to a method of an object built here (``S().step(np.sin, y)``, inlined by
the lowering) arrives as a value, and its call stayed a ``call`` op, refused as "not a Python
function". Only ufuncs and `math`'s functions with positional operands are taken: their
primitives' operands are the call's (other NumPy functions' ops are normalized by the
lowering). The value's read is recorded by `static_value`, so rebinding it re-transforms.
"""

from __future__ import annotations

import math
import types
from typing import Any

import numpy as np

from srcad.frontend.resolve import prim_name
from srcad.lower.values import static_value
from srcad.ssa.core import Function, Var, walk_ops


def library_calls(fn: Function, table: Any, known: dict | None = None) -> None:
    """Make the calls of `fn` described above primitive ops."""
    for op in walk_ops(fn.body):
        if op.prim != "call" or op.kwargs or not op.args or not isinstance(op.args[0], Var):
            continue
        ok, obj = static_value(fn, op.args[0], known)
        if not ok or not _simple(obj, len(op.args) - 1):
            continue
        prim = prim_name(obj)
        if prim is not None and table.get(prim) is not None:
            op.prim, op.args = prim, op.args[1:]


def _simple(obj: Any, n: int) -> bool:
    if isinstance(obj, np.ufunc):
        return n == obj.nin  # (a further positional operand is `out`)
    return isinstance(obj, types.BuiltinFunctionType) and getattr(obj, "__self__", None) is math
