"""``if isinstance(x, C):`` on a value whose class the transform knows: only the branch taken.

Input: a transform's `Function` (its own clone) and `types_of` (Var -> the user class of the
values it holds: a parameter's class from the caller or the arguments, ``C(...)`` results).
Output: the function with each such ``if`` replaced by the ops of the branch Python takes, the
results read from that branch's yields. Returns True when it changed something.

A helper that dispatches on its argument's class is specialized per class (ad/base.py), so a
branch for another class is dead in each specialization; left in place, its reads of fields the
known class lacks would be refused (``s.w`` of a `Circle` in the `Rect` branch)::

    def area(s):                              # specialized for s: Circle
        if isinstance(s, Circle): ...   ->    the Circle branch only
        elif isinstance(s, Rect): ...

Only a class the function reads by a global name (or an attribute of a global module), or a
tuple of them, is decided, and only for user classes: their instances' class is exact (a layout
subclass, lower/reads.layout_class, is a subclass of it). The global's binding is recorded as a
read, so rebinding the name re-makes the transform.
"""

from __future__ import annotations

from typing import Any

from srcad.lower.argcopy import ENTRY_COPY
from srcad.lower.reads import ItemRead, module_top, note_read
from srcad.lower.values import LIBRARY_MODULES, static_value
from srcad.ssa.core import Block, Const, Function, Op, Var, defining_ops, replace_uses


def fold_type_switches(fn: Function, types_of: dict, exact: dict | None = None) -> bool:
    """Replace the decidable ``if isinstance(x, C)`` ops of `fn` (above). `exact`: parameter ->
    its exact class (`float`, `int`, `np.ndarray`: the entry point's `Spec.exact_types`), also
    through its private copy (``entry_copy``): lower/opfork.py's ``if isinstance(b,
    np.ndarray)`` of a number argument is its number branch."""
    if not types_of and not exact:
        return False
    defs = defining_ops(fn.body)
    subst: dict[Var, Any] = {}
    known = {**(exact or {}), **{x: t for x, t in types_of.items() if _user(t)}}
    changed = _fold_block(fn, fn.body, defs, known, subst)
    replace_uses(fn.body, subst)
    return changed


def _fold_block(fn: Function, block: Block, defs: dict, types_of: dict, subst: dict) -> bool:
    changed, out = False, []
    todo = list(block.ops)
    while todo:
        op = todo.pop(0)
        taken = _taken(fn, op, defs, types_of) if op.prim == "if" else None
        if taken is not None and not taken.params:
            subst.update(zip(op.results, taken.yields))
            todo[:0] = taken.ops  # (its own ifs may be decided too)
            changed = True
            continue
        if op.prim == _REQUIRE and op.args and _decided(fn, op.args[0], defs, types_of) is True:
            subst.update((r, Const(None)) for r in op.results)  # (holds: nothing to check)
            changed = True
            continue
        for b in op.blocks:
            changed = _fold_block(fn, b, defs, types_of, subst) or changed
        out.append(op)
    if changed:
        block.ops = out
    return changed


_REQUIRE = "srcad.runtime.require"


def _taken(fn: Function, op: Op, defs: dict, types_of: dict) -> Block | None:
    """The block of the ``if`` `op` Python runs, when its condition is decided here."""
    if len(op.args) != 1 or len(op.blocks) != 2:
        return None
    holds = _decided(fn, op.args[0], defs, types_of)
    return None if holds is None else op.blocks[0] if holds else op.blocks[1]


def _decided(fn: Function, cond: Any, defs: dict, types_of: dict) -> bool | None:
    """The truth of `cond` when it is ``isinstance(x, C)`` (or ``not`` of one) with the class
    of `x` known here, else None."""
    test = defs.get(cond) if isinstance(cond, Var) else None
    if test is None or test.kwargs:
        return None
    if test.prim == "not" and len(test.args) == 1:
        inner = _decided(fn, test.args[0], defs, types_of)
        return None if inner is None else not inner
    if test.prim != "isinstance" or len(test.args) != 2:
        return None
    x, c = test.args
    while isinstance(x, Var) and x in defs and defs[x].prim == ENTRY_COPY:
        x = defs[x].args[0]  # (an argument's private copy: its class)
    cls = types_of.get(x) if isinstance(x, Var) else None
    if type(cls) is not type:
        return None
    want = _static_class(fn, c, defs)
    return None if want is None else issubclass(cls, want)


def _user(cls: Any) -> bool:
    return type(cls) is type and module_top(cls) not in LIBRARY_MODULES


def _static_class(fn: Function, c: Any, defs: dict) -> Any:
    """The class (or tuple of classes) the operand `c` holds when it is read by name."""
    if not isinstance(c, Var) or c not in defs:
        return None
    d = defs[c]
    if d.prim == "tuple":
        parts = [_static_class(fn, a, defs) for a in d.args]
        return None if any(p is None or isinstance(p, tuple) for p in parts) else tuple(parts)
    if d.prim == "global" and not d.params.get("generated") and d.params.get("name"):
        kind, obj = fn.namespace.lookup(d.params["name"])
        if kind not in ("global", "builtin") or type(obj) is not type:
            return None
        if kind == "global":
            note_read(fn.namespace.globals, ItemRead(d.params["name"]), obj)
        return obj
    if d.prim.startswith("attr.") and len(d.args) == 1:  # ``shapes.Circle``, a module's
        ok, obj = static_value(fn, c)
        return obj if ok and type(obj) is type else None
    return None
