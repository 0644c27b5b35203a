"""Writes into NumPy's read-only views refused: ``d = np.diagonal(M); d *= 2.0`` raises in Python.

Input: a lowered function. Output: nothing, or a `LoweringError` at the write.

`np.diagonal`, ``M.diagonal()``, `np.diag` of an array certainly 2-D (a global's value,
``np.outer``/``np.eye``; of another, a run-time check that it is not 2-D before the write,
raising NumPy's ValueError), `np.broadcast_to` and `sliding_window_view` return read-only views:
an ``op=``, an item write (``d[0] = v``, ``d[1:] += v``) into them, or into a ``.T``, a slice or
a row of them (still read-only views), raises ValueError, also when the write is in a loop that
carries the view (``for i in ...: d[i] = 0``). srcad's writes are functional, so the generated
code would compute a value where Python stops: refused when the function is lowered.
``sliding_window_view(..., writeable=True)`` is writeable, but its windows share their
elements: a write changes every window holding the element (and the array), which srcad's
functional write does not: refused too. A copy (``np.diagonal(M).copy()``, ``np.diag(v)`` of a
1-D `v`) is writeable, as is a fancy index of one; an ``op=`` of an int index of a view may be
of a number (``t = d[0]; t += 1.0`` rebinds): not followed (an item write into it is).

    d = np.diagonal(M)
    d *= 2.0            # error: NumPy's diagonal view is read-only
"""

from __future__ import annotations

import numpy as np

from srcad.errors import LoweringError
from srcad.lower.values import static_value
from srcad.ssa.core import Block, Const, Function, Op, Var, defining_ops

_WINDOWS = "numpy.lib.stride_tricks.sliding_window_view"
READ_ONLY = frozenset({"numpy.diagonal", "method.diagonal", "numpy.broadcast_to", _WINDOWS})
_DIAG = "numpy.diag"  # of a 2-D array: np.diagonal's read-only view (of a 1-D one: a new array)
TRIGGERS = READ_ONLY | {_DIAG}  # the primitives that make this pass run
_REQUIRE = "srcad.runtime.require"
_TWO_D = frozenset({"numpy.outer", "numpy.eye", "numpy.identity", "numpy.tri"})  # 2-D results
_SAME_VIEW = frozenset({"attr.T", "method.transpose", "numpy.transpose"})


def refuse_read_only_writes(fn: Function, defs: dict[Var, Op] | None = None) -> None:
    """Raise at the first write into a read-only view (see the module docstring). `defs`:
    `defining_ops(fn.body)`, when known."""
    defs = defining_ops(fn.body) if defs is None else defs
    aug = {id(op) for op in fn.augmented}
    carried: dict[Var, object] = {}  # a loop's carried value in its blocks -> its initial value

    def two_d(a: object) -> bool:
        """`a` is certainly 2-D: a global/closure array's value, or what ``np.outer``,
        ``np.eye`` (...) make."""
        made = defs.get(a) if isinstance(a, Var) else None
        if made is not None and made.prim in ("global", "free"):
            found, val = static_value(fn, a)
            return found and isinstance(val, np.ndarray) and val.ndim == 2
        return made is not None and made.prim in _TWO_D  # (of any dtype)

    def source(v: object, depth: int = 0, item: bool = False) -> Op | None:
        if isinstance(v, Var) and v in carried and depth <= 20:  # (written in the first pass)
            return source(carried[v], depth + 1, item)
        op = defs.get(v) if isinstance(v, Var) else None
        if op is None or depth > 20:
            return None
        if op.prim in READ_ONLY or (op.prim == _DIAG and op.args):
            return op
        if op.prim in _SAME_VIEW and op.args:
            return source(op.args[0], depth + 1, item)
        if op.prim == "getitem" and len(op.args) == 2:
            if view_index(op.args[1]) or (item and _int_index(op.args[1])):
                return source(op.args[0], depth + 1, item)  # (`b[0]` of a 2-D `b`: a row)
        return None

    def visit(b: Block) -> None:
        for op in b.ops:
            if op.prim in ("for", "while"):
                off, inits = (1, op.args[3:]) if op.prim == "for" else (0, op.args)
                for blk in op.blocks:
                    o = off if blk is op.blocks[-1] else 0
                    for k, init in enumerate(inits[: len(op.results)]):
                        if o + k < len(blk.params):
                            carried[blk.params[o + k]] = init
            for sub in op.blocks:
                visit(sub)
            if op.args and (op.prim == "setitem" or id(op) in aug):
                made = source(op.args[0], item=op.prim == "setitem")
                if made is not None and made.prim == _DIAG and not two_d(made.args[0]):
                    checks.append((b, op, made))  # of a 1-D array a new one: known running
                elif made is not None:
                    raise _error(fn, op, made)

    checks: list[tuple[Block, Op, Op]] = []
    try:
        visit(fn.body)
        for b, op, made in reversed(checks):
            b.ops[b.ops.index(op) : b.ops.index(op)] = _diag_check(made, op)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = source = None  # type: ignore[assignment]


def _diag_check(diag: Op, write: Op) -> list[Op]:
    """The ops checking, before `write`, that the operand of ``np.diag`` is not 2-D (then NumPy
    returns its read-only diagonal and the write raises ValueError, as the check does)."""
    ndim, ok, done = Var("ndim"), Var("ok"), Var("")
    msg = "assignment destination is read-only (np.diag of a 2-D array is a read-only view)"
    return [
        Op("numpy.ndim", [diag.args[0]], results=[ndim], loc=write.loc),
        Op("ne", [ndim, Const(2)], results=[ok], loc=write.loc),
        Op(_REQUIRE, [ok, Const(msg), Const("ValueError")], results=[done], loc=write.loc),
    ]


def view_index(k: object) -> bool:
    """A constant basic index with a slice, None or ``...``: a view of any array."""
    if not isinstance(k, Const):
        return False
    parts = k.value if type(k.value) is tuple else (k.value,)
    basic = all(p is None or p is Ellipsis or type(p) in (int, slice) for p in parts)
    return basic and any(p is None or p is Ellipsis or type(p) is slice for p in parts)


def _int_index(k: object) -> bool:
    """A constant int index, or a tuple of them (``b[0]``, ``b[0, 1]``)."""
    if not isinstance(k, Const):
        return False
    parts = k.value if type(k.value) is tuple else (k.value,)
    return all(type(p) is int for p in parts)


def _error(fn: Function, op: Op, made: Op) -> LoweringError:
    loc = op.loc or made.loc
    line = loc.line if loc else None
    src = fn.source_lines[line - 1] if line and 0 < line <= len(fn.source_lines) else None
    at = f" (made at line {made.loc.line})" if made.loc else ""
    if made.prim == _WINDOWS:
        return _windows_error(fn, op, made, at, src)
    what = {"numpy.broadcast_to": "np.broadcast_to", _DIAG: "np.diag of a 2-D array"}.get(
        made.prim, "np.diagonal"
    )
    return LoweringError(
        f"this writes into the read-only view {what} returns{at}; NumPy raises ValueError here",
        filename=fn.filename,
        line=line,
        col=loc.col if loc else None,
        source_line=src,
        hint="write into a copy (`d = np.diagonal(M).copy()`), or build the new value "
        "functionally (`M + np.diag(v)`, `np.fill_diagonal` on a copy)",
    )


def _windows_error(fn: Function, op: Op, made: Op, at: str, src: str | None) -> LoweringError:
    """A write into ``sliding_window_view(...)``'s windows: read-only (NumPy's ValueError), or
    with ``writeable=True`` windows sharing their elements (srcad's write changes one copy)."""
    w = made.kwargs.get("writeable")
    shared = not (w is None or (isinstance(w, Const) and not w.value))
    msg = (
        "this writes into the windows of sliding_window_view(..., writeable=True){}, which share "
        "their elements: NumPy changes every window holding the element and the array itself, "
        "srcad's write changes one copy"
        if shared
        else "this writes into the read-only view sliding_window_view returns{}; NumPy raises "
        "ValueError here"
    )
    loc = op.loc or made.loc
    return LoweringError(
        msg.format(at),
        filename=fn.filename,
        line=loc.line if loc else None,
        col=loc.col if loc else None,
        source_line=src,
        hint="write into the array the windows are made from, then make the windows again, or "
        "write into a copy (`sliding_window_view(a, n).copy()`)",
    )


__all__ = ["READ_ONLY", "TRIGGERS", "refuse_read_only_writes", "view_index"]
