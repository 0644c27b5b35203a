"""Which user method Python runs, known at transform time: reflected operators.

Input: an operator op of the function `srcad.ad.receivers` analyzes (its operands' kinds known).
Output: the op turned into a call of the method Python would run (``2.0 * v`` is
``v.__rmul__(2.0)``), or left as it was (the caller then refuses it as before).

``x * o``, `o` an instance of a user class: Python first runs ``type(x).__mul__(x, o)``. When `x`
is a Python number (a constant or a number parameter of the function the user differentiates),
that returns NotImplemented for `o`, so ``o.__rmul__(x)`` runs; any other left operand (an array,
a NumPy scalar, an unknown value) may handle `o` itself (NumPy broadcasts over an object array)
and stays refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.lower.values import classify
from srcad.ssa.core import Const, Op, Var

_NUMBERS = (int, float)


def reflected(tr: Any, op: Op, cls: type, name: str) -> bool:
    """``x <op> o`` with `o` (an instance of the user class `cls`) on the right: when `x` is a
    Python number and ``cls.__r<name>__`` a plain method, `op` becomes that method's call on `o`
    (`tr.user_ops`) and True; else False."""
    if len(op.args) != 2 or issubclass(cls, (int, float, complex, np.ndarray, np.generic)):
        return False
    x, o = op.args
    if not _python_number(tr, x) or classify(cls, f"__r{name}__") != "user":
        return False
    op.prim = f"method.__r{name}__"
    op.args = [o, x]
    tr.user_ops.add(op)
    return True


def _python_number(tr: Any, x: Any) -> bool:
    if isinstance(x, Const):
        return type(x.value) in _NUMBERS
    if not isinstance(x, Var) or tr.param_kinds is not None:
        return False
    return any(tr.fn.params[i] is x for i in tr.scalar_params if i < len(tr.fn.params))
