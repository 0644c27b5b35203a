"""Writes into NumPy's read-only views refused: ``d = np.diagonal(M); d *= 2.0`` raises in Python.

Input: a lowered function. Output: nothing, or a `LoweringError` at the write.

`np.diagonal`, ``M.diagonal()`` and `np.broadcast_to` return read-only views: an ``op=``, an
item write (``d[0] = v``, ``d[1:] += v``) into them, or into a ``.T`` or a slice of them (still
read-only views), raises ValueError. srcad's writes are functional, so the generated code would
compute a value where Python stops: refused when the function is lowered. A copy
(``np.diagonal(M).copy()``, ``np.diag(v)`` of a 1-D `v`) is writeable, as is a fancy index of
one; an int index of a 1-D view is a number (``t = d[0]; t += 1.0`` rebinds): not followed.

    d = np.diagonal(M)
    d *= 2.0            # error: NumPy's diagonal view is read-only
"""

from __future__ import annotations

from srcad.errors import LoweringError
from srcad.ssa.core import Block, Const, Function, Op, Var, defining_ops

READ_ONLY = frozenset({"numpy.diagonal", "method.diagonal", "numpy.broadcast_to"})
_SAME_VIEW = frozenset({"attr.T", "method.transpose", "numpy.transpose"})


def refuse_read_only_writes(fn: Function, defs: dict[Var, Op] | None = None) -> None:
    """Raise at the first write into a read-only view (see the module docstring). `defs`:
    `defining_ops(fn.body)`, when known."""
    defs = defining_ops(fn.body) if defs is None else defs
    aug = {id(op) for op in fn.augmented}

    def source(v: object, depth: int = 0) -> Op | None:
        op = defs.get(v) if isinstance(v, Var) else None
        if op is None or depth > 20:
            return None
        if op.prim in READ_ONLY:
            return op
        if op.prim in _SAME_VIEW and op.args:
            return source(op.args[0], depth + 1)
        if op.prim == "getitem" and len(op.args) == 2 and view_index(op.args[1]):
            return source(op.args[0], depth + 1)
        return None

    def visit(b: Block) -> None:
        for op in b.ops:
            for sub in op.blocks:
                visit(sub)
            if op.args and (op.prim == "setitem" or id(op) in aug):
                made = source(op.args[0])
                if made is not None:
                    raise _error(fn, op, made)

    try:
        visit(fn.body)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = source = None  # type: ignore[assignment]


def view_index(k: object) -> bool:
    """A constant basic index with a slice, None or ``...``: a view of any array."""
    if not isinstance(k, Const):
        return False
    parts = k.value if type(k.value) is tuple else (k.value,)
    basic = all(p is None or p is Ellipsis or type(p) in (int, slice) for p in parts)
    return basic and any(p is None or p is Ellipsis or type(p) is slice for p in parts)


def _error(fn: Function, op: Op, made: Op) -> LoweringError:
    loc = op.loc or made.loc
    line = loc.line if loc else None
    src = fn.source_lines[line - 1] if line and 0 < line <= len(fn.source_lines) else None
    what = "np.broadcast_to" if made.prim == "numpy.broadcast_to" else "np.diagonal"
    at = f" (made at line {made.loc.line})" if made.loc else ""
    return LoweringError(
        f"this writes into the read-only view {what} returns{at}; NumPy raises ValueError here",
        filename=fn.filename,
        line=line,
        col=loc.col if loc else None,
        source_line=src,
        hint="write into a copy (`d = np.diagonal(M).copy()`), or build the new value "
        "functionally (`M + np.diag(v)`, `np.fill_diagonal` on a copy)",
    )


__all__ = ["READ_ONLY", "refuse_read_only_writes", "view_index"]
