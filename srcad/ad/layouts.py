"""Loops over a model's list of layers, unrolled: ``for layer in self.layers``.

Input: a function about to be analyzed and the classes of its values known so far (`types_of`).
Output: the loop, when the class of `self` tells the list's length and items' classes
(`values.layout_class`, part of the cache key), replaced by one copy of its body per item, after
ops that check at run time that the list still has that length and those classes; the classes
of the items read (``self.layers[k]``). Used by `ad/receivers.py` (so each ``layer(x)`` calls a
method of a known class). ``for layer in net`` of such an object whose ``__iter__`` is
``return iter(self.layers)`` iterates ``net.layers`` (`_iterated_fields`). `field_classes`: a
field holding a user object (``self.enc``, in ``__srcad_fields__``) read is of the class the key
names, checked when it runs, so ``self.enc.energy(x)`` calls a method of a known class.
"""

from __future__ import annotations

import inspect
from typing import Any

from srcad.ad.fieldfns import field_functions
from srcad.lower.iterfield import iter_field
from srcad.lower.reads import note_attr
from srcad.ssa.clone import clone_op
from srcad.ssa.core import Block, Const, Function, Op, Var, replace_uses


def _walk(b: Block):
    for op in b.ops:
        for sub in op.blocks:
            yield from _walk(sub)
        yield op


def unroll_layouts(
    fn: Function, types_of: dict, params: dict | None = None, table: Any = None
) -> dict[Var, type]:
    """`_unroll`, then `field_classes` and, given the rule `table`, ad/fieldfns.py's
    `field_functions`: the classes of the items and fields read."""
    items = _unroll(fn, types_of, params)
    items.update(field_classes(fn, {**types_of, **items}))
    if table is not None:
        field_functions(fn, {**types_of, **items}, table)
    return items


def _unroll(fn: Function, types_of: dict, params: dict | None = None) -> dict[Var, type]:
    """``for layer in self.layers`` where the class of `self` tells the list's length and items'
    classes (`values.layout_class`, part of the cache key): the loop becomes one copy of its body
    per item, so each ``layer(x)`` calls a method of a known class. `params`: the parameters
    that are lists of user objects -> their items' classes (`Spec.items`, in the key too:
    ``for layer in layers`` of an argument). -> the classes of the items read
    (``self.layers[k]``), for `types_of`."""
    if not params and not any(getattr(c, "__srcad_layout__", None) for c in types_of.values()):
        return {}  # no class with a layout: no loop over its items (the walk below finds none)
    _iterated_fields(fn.body, types_of)
    seqs: dict[Var, tuple] = dict(params or {})
    for op in _walk(fn.body):
        cls = types_of.get(op.args[0]) if op.args and isinstance(op.args[0], Var) else None
        layout = getattr(cls, "__srcad_layout__", None)
        if layout and op.prim.startswith("attr.") and op.prim[5:] in layout:
            seqs[op.result] = layout[op.prim[5:]]
    if not seqs:
        return {}
    for op in _walk(fn.body):
        if op.prim == "srcad.runtime.as_sequence" and op.args[0] in seqs:
            seqs[op.result] = seqs[op.args[0]]
    lengths = {}
    for op in _walk(fn.body):
        if op.prim == "len" and len(op.args) == 1 and op.args[0] in seqs:
            lengths[op.result] = op.args[0]
    _unroll_block(fn.body, seqs, lengths, {})
    out = {}
    for op in _walk(fn.body):
        if op.prim == "getitem" and op.args[0] in seqs and isinstance(op.args[1], Const):
            k, classes = op.args[1].value, seqs[op.args[0]]
            if type(k) is int and -len(classes) <= k < len(classes):
                out[op.result] = classes[k]
    return out


def field_classes(fn: Function, types_of: dict) -> dict[Var, type]:
    """``self.enc`` where the layout class of `self` names the class of the object its field
    `enc` held when the function was called (``__srcad_fields__``, part of the cache key): the
    read's class, for `types_of`, after an op that checks it when the code runs (the method may
    have stored another object there). Fields of such fields too (``self.a.b``)."""
    if not any(getattr(c, "__srcad_fields__", None) for c in types_of.values()):
        return {}  # (the common case: no argument holding a user object in a field)
    out: dict[Var, type] = {}
    _fields_block(fn.body, dict(types_of), out)
    return out


def _fields_block(b: Block, types_of: dict, out: dict) -> None:
    at = 0
    while at < len(b.ops):
        op = b.ops[at]
        for sub in op.blocks:
            _fields_block(sub, types_of, out)
        cls = types_of.get(op.args[0]) if op.args and isinstance(op.args[0], Var) else None
        fields = getattr(cls, "__srcad_fields__", None)
        if fields and op.prim.startswith("attr.") and op.prim[5:] in fields:
            c = types_of[op.result] = out[op.result] = fields[op.prim[5:]]
            checks = _field_check(op.result, op.prim[5:], c, op.loc)
            b.ops[at + 1 : at + 1] = checks
            at += len(checks)
        at += 1


def _field_check(v: Var, name: str, cls: type, loc: Any) -> list[Op]:
    """Ops that fail at run time when the field no longer holds an object of that class."""
    base = cls.__dict__.get("__srcad_base__", cls)
    msg = (
        f"srcad differentiated `.{name}` as the {base.__qualname__} object this field held when "
        "the function was called; it holds another object now: store the new object before "
        "the call, or build it in the function"
    )
    t, same, ok = Var("cls"), Var("same"), Var("ok")
    return [
        Op("type", [v], results=[t], loc=loc),
        Op("is", [t, Const(base)], results=[same], loc=loc),
        Op("srcad.runtime.require", [same, Const(msg)], results=[ok], loc=loc),
    ]


def _iterated_fields(b: Block, types_of: dict) -> None:
    """``as_sequence(net)`` (``for layer in net``) of an object whose layout class's
    ``__iter__`` is ``return iter(self.F)``, `F` in its layout: ``as_sequence(net.F)``, the
    items Python's ``iter(net)`` yields (lower/iterfield.py's rewrite, for an argument)."""
    at = 0
    while at < len(b.ops):
        op = b.ops[at]
        for sub in op.blocks:
            _iterated_fields(sub, types_of)
        cls = types_of.get(op.args[0]) if op.args and isinstance(op.args[0], Var) else None
        layout = getattr(cls, "__srcad_layout__", None)
        field = _iter_field(cls) if layout and op.prim == "srcad.runtime.as_sequence" else None
        if field in (layout or ()):
            v = Var(field)
            b.ops.insert(at, Op(f"attr.{field}", [op.args[0]], results=[v], loc=op.loc))
            op.args[0], at = v, at + 1
        at += 1


def _iter_field(cls: type) -> str | None:
    """`F` when ``cls.__iter__`` is ``def __iter__(self): return iter(self.F)`` (recorded for
    the cache, as lower/objops records the methods it inlines)."""
    field = iter_field(cls)
    if field is not None:
        note_attr(cls, "__iter__", inspect.getattr_static(cls, "__iter__"))
    return field


def _unroll_block(b: Block, seqs: dict, lengths: dict, subst: dict) -> None:
    ops: list = []
    for op in b.ops:
        for blk in op.blocks:
            _unroll_block(blk, seqs, lengths, subst)
        a = op.args
        body = op.blocks[0] if op.prim == "for" else None
        if (
            body is None
            or a[1] not in lengths
            or a[0] != Const(0)
            or a[2] != Const(1)
            or len(body.yields) != len(a) - 3
            or not any(o.prim == "getitem" and o.args[1] is body.params[0] for o in body.ops)
        ):
            ops.append(op)
            continue
        cur, seq = list(a[3:]), lengths[a[1]]
        classes = seqs[seq]
        ops.extend(_checks(seq, a[1], classes, op.loc))
        for k in range(len(classes)):
            vmap: dict = {body.params[0]: Const(k)}
            vmap.update(zip(body.params[1:], cur))
            ops.extend(clone_op(o, vmap) for o in body.ops)
            cur = [vmap.get(y, y) if isinstance(y, Var) else y for y in body.yields]
        subst.update(zip(op.results, cur))
    b.ops[:] = ops
    if subst:
        replace_uses(b, subst)


def _checks(seq: Var, n: Var, classes: tuple, loc: Any) -> list[Op]:
    """Ops that fail at run time when the list no longer has the length and the items' classes
    the loop was unrolled for (a helper called before the loop appended to it)."""
    msg = (
        f"srcad unrolled this loop for a list of {len(classes)} items of classes "
        f"{', '.join(c.__qualname__ for c in classes)} (as it was when the function was called); "
        "the list was changed since: do not modify a model's list of layers while it runs"
    )
    same, ok = Var("same"), Var("ok")
    out = [
        Op("eq", [n, Const(len(classes))], results=[same], loc=loc),
        Op("srcad.runtime.require", [same, Const(msg)], results=[ok], loc=loc),
    ]
    for k, c in enumerate(classes):
        item, t, same, ok = Var("item"), Var("cls"), Var("same"), Var("ok")
        out += [
            Op("getitem", [seq, Const(k)], results=[item], loc=loc),
            Op("type", [item], results=[t], loc=loc),
            Op("is", [t, Const(c)], results=[same], loc=loc),
            Op("srcad.runtime.require", [same, Const(msg)], results=[ok], loc=loc),
        ]
    return out
