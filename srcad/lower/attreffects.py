"""Attribute writes on objects the function did not build, as run-time effects: the evaluation
counter of an objective class (``self.nfev += 1``, ``self.calls = self.calls + 1``,
``self.last_n = len(x)``).

Input: the lowerer at an assignment or augmented assignment whose target is ``p.name`` with `p`
a parameter of the function being lowered (``self`` of a bound method, an argument), not an
object built here. Output: one effect op, ``srcad.runtime.attr_effect(p, "name", op, v)``
(rules/effects.py), which does the update on the object when the generated code runs, once per
call as Python does (``self.n = self.n + v`` as one update: the read is done there too). After
lowering, `check_reads` refuses a function that reads an attribute of that name anywhere else
(srcad's reads are values, not ordered against the write), and ad/effects.py refuses a value
srcad differentiates stored so (or a differentiated object written by a helper): the stored
value would carry no derivative. The differentiated model argument itself may be written
(``m.calls += 1``: once per call, as autograd runs the function once); an update in place
(``m.w += v``) of a field that holds an array or a list is refused when it runs (rules/effects).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.ad.common import diff_error
from srcad.lower import globaleffects
from srcad.ssa.core import Const, Function, Var

PRIM = "srcad.runtime.attr_effect"
_BINOPS = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "truediv",
           gast.FloorDiv: "floordiv", gast.Mod: "mod", gast.Pow: "pow", gast.BitOr: "or_",
           gast.BitAnd: "and_", gast.BitXor: "xor"}  # fmt: skip


def _outside(lw: Any, t: Any) -> Any:
    """The parameter's value when `t` is ``p.name`` of a parameter `p` (not a dunder): its
    entry Var, or, in a loop of the function itself, the Var carrying the name `p` the function
    never rebinds."""
    if not (isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name)):
        return None
    p = t.value.id
    v = lw.env.get(p)
    if v is None or t.attr.startswith("__") or not isinstance(v, Var):
        return None
    if v in lw.entry_vars:
        return v
    root = getattr(lw, "root", None)
    if lw.inline_depth or root is None or p not in lw.param_set or _rebound(root, p):
        return None
    return v


def _rebound(root: Any, name: str) -> bool:
    return any(
        isinstance(n, gast.Name) and n.id == name and isinstance(n.ctx, (gast.Store, gast.Del))
        for n in gast.walk(root)
    )


def _emit(lw: Any, obj: Any, t: gast.Attribute, op: str | None, value: Any, at: Any) -> None:
    v = lw.value(value)
    globaleffects.stored_locals(lw, [value], f"{t.value.id}.{t.attr}", at, attr=True)
    lw.at(at)
    lw.op(PRIM, [obj, Const(t.attr), Const(op), v])


def assign(lw: Any, t: Any, value: Any, at: Any) -> bool:
    """``p.name = v`` (`value` the gast expression): True when lowered; ``p.name = p.name op e``
    is the update ``op`` of the attribute by `e`."""
    obj = _outside(lw, t)
    if obj is None:
        return False
    b = value
    if (
        isinstance(b, gast.BinOp)
        and type(b.op) in _BINOPS
        and isinstance(b.left, gast.Attribute)
        and isinstance(b.left.value, gast.Name)
        and (b.left.value.id, b.left.attr) == (t.value.id, t.attr)
    ):
        _emit(lw, obj, t, _BINOPS[type(b.op)], b.right, at)
    else:
        _emit(lw, obj, t, None, value, at)
    return True


def aug_assign(lw: Any, s: gast.AugAssign) -> bool:
    """``p.name op= v``: True when lowered."""
    obj = _outside(lw, s.target)
    if obj is None or type(s.op) not in globaleffects.IOPS:
        return False
    _emit(lw, obj, s.target, globaleffects.IOPS[type(s.op)], s.value, s)
    return True


def check_reads(fn: Function, ops: list) -> None:
    """Refuse a read of an attribute whose name the function writes as an effect: srcad's
    attribute reads are values it may reuse or move, not ordered against the write."""
    written = {op.args[1].value: op for op in ops if op.prim == PRIM}
    for op in ops:
        name = op.prim[5:] if op.prim.startswith("attr.") else None
        if name in written:
            raise diff_error(
                fn,
                op,
                f"this reads the attribute `{name}`, which the function writes on an object it "
                f"did not build (line {written[name].loc.line if written[name].loc else '?'}); "
                "srcad does the write when the code runs but does not order its own reads "
                "against it",
                f"read `{name}` into a variable before the write and use that, or keep the "
                "count in a variable and write it once",
            )
