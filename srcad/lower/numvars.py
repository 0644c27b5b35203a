"""Which lowered values certainly are Python numbers at run time, for ``isinstance(v, C)`` of a
user class `C` decided while lowering (lower/objects.py): micrograd's ``other = other if
isinstance(other, Value) else Value(other)`` with ``other = 2.0 ** -1`` (``__truediv__``'s
``self * other**-1``) picks its branch now, so the `Value` built there stays an object built here.

Input: the lowering state and a value. Output: True when it is a number constant, or the result
of Python's arithmetic (``+ - * / // % **``, unary ``-``/``+``) on such values only (Python's
int/float/complex operations give an int, float or complex: never an instance of a user class);
False when not known (a parameter, a call's result, a field read at run time).
"""

from __future__ import annotations

from typing import Any

from srcad.lower import values as vals
from srcad.lower.reads import module_top
from srcad.ssa.core import Const, Var

_ARITH = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos"})
_NUMBERS = (bool, int, float, complex)


def is_number(lw: Any, v: Any, depth: int = 0) -> bool:
    """Is `v` certainly an int, float or complex (see the module docstring)?"""
    if isinstance(v, Const):
        return type(v.value) in _NUMBERS
    if not isinstance(v, Var) or depth > 16 or v in lw.b.block.params or v in lw.entry_vars:
        return False
    op = vals.defining_op(v, lw.b.block.ops, lw.outer_ops)
    if op is None or op.prim not in _ARITH or op.blocks or op.params or len(op.results) != 1:
        return False
    return all(is_number(lw, a, depth + 1) for a in op.args)


def never_instance(lw: Any, v: Any, classes: tuple) -> bool:
    """Is ``isinstance(v, classes)`` certainly False: `v` a number (`is_number`) and every class
    a plain user class (no metaclass hooking ``isinstance``, no number type among them)?"""
    return (
        bool(classes)
        and all(type(k) is type and not issubclass(k, _NUMBERS) for k in classes)
        and all(module_top(k) not in ("builtins", "numbers") for k in classes)
        and is_number(lw, v)
    )
