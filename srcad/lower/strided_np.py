"""``np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)``: a read-only strided
view, written as the gather it reads.

Input: the lowered arguments. Output (a `library_np.REWRITES` entry)::

    as_strided(x, shape=S, strides=T, writeable=False)
        ->  idx = _srcad.strided_index(x, S, T)   # as_strided(np.arange(x.size), S, T)
            np.ravel(x)[idx]

The int64 ``arange`` has the layout of `x` byte for byte, so the same shape and strides read, at
each position of the view, the flat index of the element the view reads there: the gather equals
the view's values, and its derivative is the gather's (reverse mode adds each window's share into
the element it reads: ``np.add.at``, the windows may overlap). A view reaching past the array's
memory (NumPy reads whatever lies there) is refused when the code runs. Other arrays (not
C-contiguous, not 8-byte items) are refused when the code runs (rules/checks.strided_index, a zero
rule). Strides must be written from ``x.strides`` (``x.strides``, or a tuple of integer
combinations of its items), and `x` be the array Python's code holds (a parameter, or made by a
NumPy op; not srcad's private copy of an argument updated in place, nor the new array of an item
write, which may be dense where Python's is a view): the windows then read the elements Python's
read. Other strides (``x.itemsize``, constants) are not rewritten. A writeable view (the default),
``subok=True``, or ``shape``/``strides`` left out (the array's own) are not rewritten: refused as
before, since writes through the view would update `x`, which a gather does not.
"""

from __future__ import annotations

from typing import Any

from srcad.lower.values import defining_op
from srcad.ssa.core import Const, Operand, Var


def as_strided(
    lc: Any, x: Operand, shape: Operand, strides: Operand, subok: Operand, writeable: Operand
) -> Operand | None:
    if writeable != Const(False) or subok != Const(False):
        return None
    if shape == Const(None) or strides == Const(None) or not _logical_tuple(lc, x, strides):
        return None
    if not _as_python(lc, x):
        return None
    idx = lc.op("srcad.runtime.strided_index", [x, shape, strides], hint="idx")
    return lc.op("getitem", [lc.op("numpy.ravel", [x]), idx])


def _as_python(lc: Any, x: Operand) -> bool:
    """`x` is the array Python's code holds, layout and all: a parameter of the function as
    passed, or the result of an op that is not one of srcad's own stand-ins (an argument's
    private copy, an item write's new array: ``srcad.runtime.*``, ``setitem``); not a loop's
    carried value."""
    if not isinstance(x, Var):
        return False
    if x in lc.entry_vars:
        return True
    op = _def(lc, x)
    return op is not None and not op.prim.startswith("srcad.runtime.") and op.prim != "setitem"


def _logical_tuple(lc: Any, x: Operand, strides: Operand) -> bool:
    """`strides` is ``x.strides`` or a tuple of integer combinations of ``x.strides[k]``."""
    op = _def(lc, strides)
    if op is not None and op.prim == "attr.strides":
        return op.args[0] is x
    return op is not None and op.prim == "tuple" and all(_logical(lc, x, e) for e in op.args)


def _logical(lc: Any, x: Operand, v: Operand, depth: int = 0) -> bool:
    """`v` is ``x.strides[k]`` (a constant `k`), an integer constant times such a value, or a
    sum of such values: a step between elements of `x` whatever its memory layout."""
    op = _def(lc, v) if depth < 8 else None
    if op is None:
        return False
    a = op.args
    if op.prim == "getitem" and isinstance(a[1], Const) and type(a[1].value) is int:
        base = _def(lc, a[0])
        return base is not None and base.prim == "attr.strides" and base.args[0] is x
    if op.prim == "mul" and len(a) == 2:
        k, e = (a[0], a[1]) if isinstance(a[0], Const) else (a[1], a[0])
        return isinstance(k, Const) and type(k.value) is int and _logical(lc, x, e, depth + 1)
    if op.prim in ("add", "sub") and len(a) == 2:
        return all(_logical(lc, x, e, depth + 1) for e in a)
    return op.prim == "neg" and _logical(lc, x, a[0], depth + 1)


def _def(lc: Any, v: Operand) -> Any:
    return defining_op(v, lc.b.block.ops, lc.outer_ops) if isinstance(v, Var) else None


REWRITES = {
    "numpy.lib.stride_tricks.as_strided": (
        lambda x, shape=None, strides=None, subok=False, writeable=True: None,
        as_strided,
    ),
}
