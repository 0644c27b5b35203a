"""Operators on objects built here (lower/objects.py): ``u + v``, ``2.0 * v``, ``-v``, ``a @ b``
run the class's ``__add__`` / ``__rmul__`` / ``__neg__`` / ``__matmul__``, inlined with ``self``
bound to the object, so the object they return is built here too.

Input: the lowerer, the operator node and its operands as lowered (a `LocalObj` kept as one).
Output: the method's result, or None when this is not such a call (then the operator is lowered
as before: the objects become run-time values and the transforms decide).

Python's choice of method is followed where it is known when lowering: the left operand's
``__op__`` when it is an object built here whose class defines one; the right operand's
``__rop__`` when the left is a Python number constant (``float.__op__`` gives NotImplemented)
or an object built here whose class has no ``__op__``. Left as before: a right operand of a
subclass that overrides ``__rop__`` (Python asks it first), methods that may return
``NotImplemented`` (the fallback is decided at run time), methods that are not plain functions.
"""

from __future__ import annotations

import inspect
from typing import Any

import gast

from srcad.frontend.source import get_source
from srcad.lower import objinit, objsum, varargs
from srcad.lower.objseq import FnSeq, attempt, check_known, depth, object_list
from srcad.lower.reads import user_class
from srcad.lower.values import LocalObj, note_attr, note_read
from srcad.ssa.core import Const, Var

_BINARY = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "truediv",
           gast.FloorDiv: "floordiv", gast.Mod: "mod", gast.Pow: "pow",
           gast.MatMult: "matmul"}  # fmt: skip
_UNARY = {gast.USub: "__neg__", gast.UAdd: "__pos__"}
_NUMBERS = (int, float)


def operands(lw: Any, node: gast.BinOp) -> tuple[Any, Any, Any]:
    """``(a, b, out)`` of ``a <op> b``: `out` the method's result when `binop` takes it (then
    `a`, `b` as lowered), else None and the operands as `lw.value` gives them (the left one made
    before the right operand is lowered, as Python evaluates)."""
    a = lw.expr(node.left)
    if isinstance(node.op, gast.Add) and _object_list(a):  # `self.w + [self.b]`: a new list
        b = attempt(lw, lambda: _only_objects(lw.expr(node.right), "list"))  # (else undone)
        if b is not None:
            check_known(lw, a, node.left)
            check_known(lw, b, node.right)
            return a, b, FnSeq(a.items + b.items, "list", node, depth(lw))
    a = a if isinstance(a, LocalObj) else lw.operand(a, node.left)
    b = lw.expr(node.right)
    out = binop(lw, node, a, b)
    if out is not None:
        return a, b, out
    return lw.operand(a, node.left), lw.operand(b, node.right), None


def _object_list(v: Any) -> bool:
    return object_list(v) and v.kind == "list"


def _only_objects(v: Any, kind: str | None = None) -> Any:
    """`v` when it is a list or tuple (of `kind`, if given) of objects built here, else None
    (then `attempt` undoes what was lowered)."""
    return v if object_list(v) and kind in (None, v.kind) else None


def _objects_or_var(v: Any) -> Any:
    """`v` when it is a list or tuple of objects built here or a run-time value, else None."""
    return v if type(v) is Var or object_list(v) else None


def _comp(node: Any) -> Any:
    return node if isinstance(node, gast.ListComp) else None


def binop(lw: Any, node: gast.BinOp, a: Any, b: Any) -> Any:
    """``a <op> b`` as the method Python calls, inlined (see the module docstring), or None."""
    name = _BINARY.get(type(node.op))
    reads = lw.attr_reads  # (`_class` is None for both operands otherwise)
    if name is None or not (
        isinstance(a, LocalObj)
        or isinstance(b, LocalObj)
        or (isinstance(a, Var) and a in reads)
        or (isinstance(b, Var) and b in reads)
    ):
        return None
    ca, cb = _class(lw, a), _class(lw, b)
    if ca is None and cb is None:
        return None
    if ca is not None and inspect.getattr_static(ca, f"__{name}__", None) is not None:
        fn = _method(ca, f"__{name}__")
        if fn is None or (
            cb is not None
            and cb is not ca
            and issubclass(cb, ca)
            and inspect.getattr_static(cb, f"__r{name}__", None) is not None
        ):
            return None
        return _inline(lw, a, ca, f"__{name}__", fn, b, node)
    if cb is None:
        return None
    if not (ca is not None or (isinstance(a, Const) and type(a.value) in _NUMBERS)):
        return None
    fn = _method(cb, f"__r{name}__")
    return None if fn is None else _inline(lw, b, cb, f"__r{name}__", fn, a, node)


def _class(lw: Any, v: Any) -> type | None:
    """The class of an object built here, or of a user object known now that `v` reads (a
    field of a global object, ``HG.c`` or ``self.c`` in its inlined method: lower/objcalls.py;
    the read recorded, so rebinding that field makes a new transform); else None."""
    if isinstance(v, LocalObj):
        return v.cls
    if not isinstance(v, Var):
        return None
    block, op = lw.attr_reads.get(v, (None, None))  # (a scan of the block: quadratic)
    if op is None or block is not lw.b.block:
        return None
    known, base = lw.static_object(op.args[0])
    value = getattr(base, "__dict__", {}).get(op.prim[5:]) if known else None
    if value is None or user_class(value) is None or isinstance(value, type) or callable(value):
        return None
    note_read(base, op.prim[5:], value)
    return type(value)


def unary(lw: Any, node: gast.UnaryOp) -> tuple[Any, Any]:
    """``(a, out)`` of ``-a`` / ``+a``: `out` the result of ``__neg__`` / ``__pos__`` inlined,
    `a` an object built here whose class defines it; else None and `a` the run-time operand."""
    a = lw.expr(node.operand)
    name = _UNARY.get(type(node.op))
    fn = _method(a.cls, name) if name is not None and isinstance(a, LocalObj) else None
    if fn is None:
        return lw.operand(a, node.operand), None
    note_attr(a.cls, name, fn)
    return a, varargs.inline_call(lw, fn, node, 20, front=(a,), given=([], {}))


def truth(lw: Any, obj: LocalObj, node: Any) -> Any:
    """The truth of the object built here `obj` as an ``if``/``while`` test at `node`: its
    class's ``__bool__`` inlined (``while s:`` whose body writes ``s.n``: the object stays
    one, not a run-time value its later field writes would miss); else the object as a value
    (as before)."""
    fn = _method(obj.cls, "__bool__")
    if fn is None:
        return lw.operand(obj, node)
    note_attr(obj.cls, "__bool__", fn)
    out = varargs.inline_call(lw, fn, node, 20, front=(obj,), given=([], {}))
    return lw.operand(out, node)


def sum_of(lw: Any, node: gast.Call) -> Any:
    """``sum(objs[, start])`` of a list or tuple of objects built here (a name, or a display or
    comprehension of them): ``start + o1 + o2 ...``
    (``start`` 0 by default), each ``+`` as `binop` picks it; of a generator over such objects,
    its loop (lower/objsum.py); None for other sums."""
    start = [k.value for k in node.keywords if k.arg == "start"]
    if len(node.args) + len(start) not in (1, 2) or len(start) != len(node.keywords):
        return None
    if isinstance(node.args[0], gast.GeneratorExp):  # `sum((w * x for ...), b)`: the loop
        return objsum.generator_sum(lw, node, ([*node.args[1:], *start] or [None])[0])
    seq = lw.env.get(node.args[0].id) if isinstance(node.args[0], gast.Name) else None
    if isinstance(node.args[0], (gast.List, gast.Tuple, gast.ListComp)):  # `sum([a, b], s)`
        arg = node.args[0]  # (else undone; a comprehension's run-time list kept: `attempt`)
        seq = attempt(lw, lambda: _objects_or_var(lw.expr(arg)), _comp(arg))
    if not isinstance(seq, FnSeq) or seq.kind == "dict" or not seq.items:
        return None
    if not all(isinstance(v, LocalObj) for v in seq.items):
        return None
    check_known(lw, seq, node)
    rest = [*node.args[1:], *start]
    acc = lw.expr(rest[0]) if rest else Const(0)
    acc = acc if isinstance(acc, LocalObj) else lw.operand(acc, rest[0] if rest else node)
    add = gast.copy_location(gast.BinOp(left=node, op=gast.Add(), right=node), node)
    for v in seq.items:
        out = binop(lw, add, acc, v)
        if out is None:
            raise lw.error(node, "srcad cannot tell which `+` this sum of objects runs")
        acc = out
    return acc


def _method(cls: type, name: str) -> Any:
    fn = inspect.getattr_static(cls, name, None)
    if not objinit.plain(fn):
        return None
    try:
        tree = get_source(fn).node
    except Exception:  # noqa: BLE001 - no source: not inlined
        return None
    if any(isinstance(n, gast.Name) and n.id == "NotImplemented" for n in gast.walk(tree)):
        return None
    return fn


def _inline(lw: Any, obj: Any, cls: type, name: str, fn: Any, other: Any, node: Any) -> Any:
    note_attr(cls, name, fn)  # as the cache reads it again
    arg = other if isinstance(other, LocalObj) else lw.operand(other, node)
    return varargs.inline_call(lw, fn, node, 20, front=(obj,), given=([arg], {}))
