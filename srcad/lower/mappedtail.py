"""Objects appended to a list mapped over a run-time sequence: ``layers = [Scale(w) for w in ws];
layers.append(Scale(ws[0]))``, ``n = Chain(ws); n.layers.append(Scale(w))``.

Input: the lowerer at a statement ``X.append(C(...))`` where `X` (a name, or ``obj.<field>`` of
an object built here, lower/objects.py) holds a `MappedSeq` (lower/mappedseq.py), and later at
``for layer in X: ...``. Output: the `MappedSeq` with the object appended to its `tail` (a
transform-time list of objects after the mapped ones); the loop over it is the mapped loop, then
the body once per appended object (``for layer in <those objects>``, lowered as a loop over a
list of objects known here is), and ``len(X)`` counts them.

Exact: Python's list is the mapped objects then the appended ones, in order; the `MappedSeq`
is the one value every name and field holding that list is bound to (changed in place, as the
list is). Taken only where the list was made in the same block (no ``if`` or loop between the
comprehension and the append, which would run it a number of times known only then), not in an
inlined function, of an object built here (lower/objseq.object_like); for a field, the object
is marked written (lower/objstate.py: a later run-time use of it, which rebuilds it from its
constructor's arguments and would lose the append, is refused) and must not have been used as
a run-time value before. Not taken: a loop with ``break``/``return`` or ``enumerate`` over such
a list (refused, located).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import objseq
from srcad.lower.mappedseq import MappedSeq
from srcad.lower.objseq import FnSeq, field_value
from srcad.lower.values import LocalObj


def append(lw: Any, v: gast.Call) -> bool:
    """``X.append(C(...))`` onto a `MappedSeq` (module docstring): True when lowered here."""
    f = v.func
    if f.attr != "append" or v.keywords or len(v.args) != 1 or lw.inline_depth:
        return False
    seq, obj = _target(lw, f.value)
    if seq is None or seq.block is not lw.b.block or not isinstance(v.args[0], gast.Call):
        return False
    if obj is not None and (obj.escaped is not None or f.value.attr in obj.mutable):
        return False
    arg = v.args[0]
    got = objseq.attempt(lw, lambda: _item(lw, arg, v))
    if got is None:
        return False
    seq.tail = (*seq.tail, got.items[0])
    if obj is not None and obj.written is None:
        obj.written = v.lineno  # (rebuilt from its constructor, it would lack the item)
    return True


def _target(lw: Any, t: Any) -> tuple[MappedSeq | None, LocalObj | None]:
    if isinstance(t, gast.Name):
        seq = lw.env.get(t.id)
        return (seq, None) if isinstance(seq, MappedSeq) else (None, None)
    if isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name):
        obj = lw.env.get(t.value.id)
        if isinstance(obj, LocalObj):
            seq = field_value(lw, t)
            if isinstance(seq, MappedSeq):
                return seq, obj
    return None, None


def _item(lw: Any, arg: gast.Call, v: gast.Call) -> FnSeq | None:
    item = lw.expr(arg)
    return FnSeq((item,), "list", v, objseq.depth(lw)) if objseq.object_like(lw, item) else None


_TAIL = "_srcad_tail_"


def loop(lw: Any, s: gast.For, seq: MappedSeq, live: set) -> None:
    """The body of ``for <s.target> in <seq>`` once per object of `seq.tail` (after the mapped
    loop): a loop over a list of objects known here."""
    name = f"{_TAIL}{len(lw.b.block.ops)}"
    lw.env[name] = FnSeq(tuple(seq.tail), "tuple", s, objseq.depth(lw))
    it = gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)
    tail = gast.For(target=s.target, iter=it, body=s.body, orelse=[], type_comment=None)
    gast.copy_location(tail, s)
    try:
        lw.stmts([tail], live)
    finally:
        lw.env.pop(name, None)
