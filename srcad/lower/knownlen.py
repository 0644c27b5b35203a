"""Sequences whose length is known while lowering though they are no literal where a
comprehension building objects iterates them (lower/objseq.constructed): a list of objects
built here (``[n(x) for n in self.neurons]``), micrograd's
``self.w = [Value(w) for w in weights]`` with `weights` a parameter of ``__init__`` bound to
``[0.5, -0.3]`` (a ``list`` op), to a row of a module-level ``W1 = [[0.5, -0.3], ...]``, or to
a constant tuple; a name bound to a slice of int literal bounds (``P = x[:3]``: as many items
as the bounds give, checked when the code runs, as objseq does for ``zip(x[:3], ...)``); and
``zip(weights, biases)`` of such sequences.

Input: the lowering state, an iterable's node. Output: (its length, a function giving its k-th
item as an operand), or None when the length is not known here. A ``tuple`` op's Var is that
value for good: its items are the op's operands. A list, a ``list`` op's Var (its operands are
its items) or a module-level list read at run time (``global`` op, and constant-index rows of
it, whose length and rows are recorded with `note_read`: the cache makes a new transform when
the user appends to it or replaces a row; its items read with ``getitem``), gets a run-time
check that its length is the one the objects were built for (the function may have appended to
a module-level list first: then a SrcadError), which is also a read of it the mutation check
sees: a list appended to through another name (``b = a; b.append(v)``) is refused there, as
when the comprehension ran over it, not read stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from srcad import lazy
from srcad.lower.reads import ItemRead, note_read
from srcad.lower.values import defining_op
from srcad.ssa.core import Const, Var

objseq = lazy.module("srcad.lower.objseq")  # (it imports this module)
_MAX = 64
_SEQS = (list, tuple)


def sized(lw: Any, node: Any, calls: bool = False) -> tuple[int, Callable[[int], Any]] | None:
    """(length, k -> item) of the sequence the name `node` is bound to (see the docstring);
    with `calls`, also of a call returning a list of objects built here (``n.parameters()``:
    lowered here, so the caller undoes what it lowered when this gives None)."""
    if calls and isinstance(node, gast.Call):
        v = lw.expr(node)
    else:
        v = lw.env.get(node.id) if isinstance(node, gast.Name) else objseq.field_seq(lw, node)
    if isinstance(v, objseq.FnSeq) and v.kind != "dict" and not v.escaped:  # `self.neurons`
        objseq.check_known(lw, v, node)
        items = v.items
        return len(items), lambda k: items[k]
    if isinstance(v, Const) and type(v.value) is tuple and len(v.value) <= _MAX:
        c = v.value
        return len(c), lambda k: Const(c[k])
    if not isinstance(v, Var):
        return None
    op = _op(lw, v)
    if (n := _slice_len(op)) is not None:  # `P = x[:3]`: as `zip(x[:3], ...)` (objseq._zipped)
        seq = lw.op("builtins.list", [v])
        count = lw.op("eq", [lw.op("len", [seq]), Const(n)])
        lw.op("srcad.runtime.require", [count, Const(objseq.SHORT.format(n=n))])
        return n, lambda k: lw.op("getitem", [seq, Const(k)])
    if op is not None and op.prim == "tuple" and not op.params and not op.blocks:
        args = list(op.args)  # (a tuple: its items for good)
        return (len(args), lambda k: args[k]) if len(args) <= _MAX else None
    items = None
    if op is not None and op.prim == "list" and not op.params and not op.blocks:
        items, n = list(op.args), len(op.args)
    else:
        seq = _module_seq(lw, v, 0)
        if seq is None:
            return None
        note_read(seq, ItemRead(length=True), len(seq))
        n = len(seq)
    if n > _MAX:
        return None
    # a list: its length checked when the code runs (the function may have appended to a
    # module-level list since), a read of it the mutation check sees (refused where another
    # name changed it: then its operands, `items`, would not be its items)
    count = lw.op("eq", [lw.op("len", [v]), Const(n)])
    lw.op("srcad.runtime.require", [count, Const(_CHANGED.format(n=n))])
    if items is not None:
        return n, lambda k: items[k]
    return n, lambda k: lw.op("getitem", [v, Const(k)])


_CHANGED = (
    "a list iterated here to build objects has another length than {n}, the length srcad "
    "built them for (the list was changed after it was made, or a module-level list since "
    "the transform was made)"
)


def _slice_len(op: Any) -> int | None:
    """The number of items of ``x[lo:hi]`` (the op `op`; no step, `lo` absent or a
    non-negative int, `hi` a non-negative int) when `x` has `hi` items at least, else None."""
    if op is None or op.prim != "getitem" or len(op.args) != 2 or op.params or op.blocks:
        return None
    c = op.args[1]
    sl = c.value if isinstance(c, Const) else None
    nat = lambda p: type(p) is int and p >= 0  # noqa: E731
    if type(sl) is not slice or sl.step is not None or not nat(sl.stop):
        return None
    if not (sl.start is None or nat(sl.start)):
        return None
    n = sl.stop - (sl.start or 0)
    return n if 0 < n <= _MAX else None


def _op(lw: Any, v: Var) -> Any:
    if v in lw.b.block.params or v in lw.entry_vars:
        return None
    return defining_op(v, lw.b.block.ops, lw.outer_ops)


def _module_seq(lw: Any, v: Any, depth: int) -> Any:
    """The module-level list/tuple the run-time value `v` certainly is (a global read, or a
    constant index of one: each step recorded), else None."""
    if not isinstance(v, Var) or depth > 4:
        return None
    op = _op(lw, v)
    if op is None:
        return None
    if op.prim == "global":
        known, obj = lw.static_object(v)
        return obj if known and type(obj) in _SEQS else None
    if op.prim == "getitem" and len(op.args) == 2 and isinstance(op.args[1], Const):
        k = op.args[1].value
        outer = _module_seq(lw, op.args[0], depth + 1)
        if outer is None or type(k) is not int or not -len(outer) <= k < len(outer):
            return None
        note_read(outer, ItemRead(length=True), len(outer))
        note_read(outer, ItemRead(k), outer[k])
        return outer[k] if type(outer[k]) in _SEQS else None
    return None
