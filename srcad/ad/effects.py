"""Differentiated values stored into module-level containers (lower/globaleffects.py): refused
where the function may read them back.

Input: a `Transform` whose varied values are known. Output: nothing, or a `DiffError` at the
first update of a global ``G`` (``HIST.append(loss)``) storing a differentiated value when the
value could flow back into the result within the call: the update has no derivative (its rules
are zero), so a read of ``G`` after it would see a value whose derivative srcad dropped. Refused
when the function itself reads ``G`` (other than to update it or take its ``len``), when it
calls a function srcad cannot read or whose source (or a module-level function it calls by
name) names ``G``'s object, when it calls a method of an object no rule knows, and when the
function is differentiated as a helper of another (its caller may read ``G`` after the call).
Values that carry no derivative (counters, strings, `float` of a constant) are stored anyway.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import gast

from srcad.ad.callees import user_call
from srcad.ad.common import diff_error
from srcad.errors import SrcadError
from srcad.frontend.source import get_source, namespace_of
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, ops_with
from srcad.ssa.core import Const, Var, walk_ops

_EFFECTS = ("srcad.runtime.global_method", "srcad.runtime.global_item")
_ATTR = "srcad.runtime.attr_effect"  # `self.nfev += 1` (lower/attreffects.py)
_GLOBAL = "srcad.runtime.global_update"  # `global CALLS; CALLS += 1` (lower/globalcounts.py)
_STORES = frozenset((_ATTR, _GLOBAL))
_DEPTH = 8


def check_global_effects(tr: Any) -> None:
    """Refuse a differentiated value stored into a global that may be read back (see above)."""
    ops = ops_of(tr.fn.body)
    for op in ops_with(tr.fn.body, _STORES):  # (picked in C: most functions store none)
        if any(isinstance(v, Var) and v in tr.varied for v in _stored(tr, op, ops)):
            raise diff_error(
                tr.fn,
                op,
                "a value srcad differentiates is stored into the "
                + (
                    f"global `{op.args[1].value}`"
                    if op.prim == _GLOBAL
                    else f"attribute `{op.args[1].value}` of an object the function did not build"
                )
                + ": the stored value would carry no "
                "derivative (srcad writes only constants there, such as evaluation counts)",
                "return the value instead (or store a constant: `float(...)` of a value that "
                "does not depend on the inputs)",
            )
    effects = [op for op in ops if op.prim in _EFFECTS]
    if not effects:
        return
    for op in effects:
        values = op.args[3:] if op.prim.endswith("global_method") else op.args[2:]
        if not any(isinstance(v, Var) and v in tr.varied for v in values):
            continue
        module, name = op.args[0].value, op.args[1].value
        obj = vars(sys.modules[module]).get(name) if module in sys.modules else None
        why = _reads_back(tr, ops, name, obj)
        if why is not None:
            raise diff_error(
                tr.fn,
                op,
                f"a value srcad differentiates is stored into the global `{name}`, and {why}: "
                "the stored value carries no derivative, so reading it back would give a wrong one",
                f"store it where the function does not read `{name}` (or store a constant)",
            )


def _stored(tr: Any, op: Any, ops: list) -> list:
    """What `op` (``m.calls += 1``) stores that may carry a derivative: its value; the object too
    (the update reads its field) unless the function is differentiated as a whole and only
    reads the object's attributes: then the field's new value is read by no one in the call
    (lower/attreffects.check_reads) and the derivatives of the object's fields are those of
    their values at the call (the update is Python's, once per call, as autograd runs the
    function once)."""
    obj = op.args[0]
    if tr.param_kinds is None and _only_read(ops, obj):
        return [op.args[3]]
    return [obj, op.args[3]]


def _only_read(ops: list, obj: Any) -> bool:
    """Is every use of `obj` in `ops` a read of one of its attributes (``attr.<name>``) or an
    update of one (`_ATTR`)? (A helper given the object, ``m(x)`` not inlined, may read the
    written field after the update: its derivative would be taken at the new value.)"""
    return all(
        op.prim.startswith("attr.") or op.prim in _READS
        for op in ops
        if any(a is obj for a in op.args)
    )


# an update, and the derivatives of an attribute read (rules/trees.field, field_vjp)
_READS = frozenset((_ATTR, "srcad.runtime.field", "srcad.runtime.field_vjp"))


def _reads_back(tr: Any, ops: list, name: str, obj: Any) -> str | None:
    if tr.param_kinds is not None:
        return "the function is differentiated as a helper (its caller may read the global)"
    reg = default_registry()
    for op in ops:
        if op.prim == "global" and op.params.get("name") == name and not _checked_only(ops, op):
            return f"the function reads `{name}`"
        if op.prim in _SHARING:
            continue
        if any(isinstance(a, Const) and a.value is obj for a in op.args):
            return f"the function reads `{name}`"
        if op.prim == "call" or (op.prim.startswith("method.") and not reg.get(op.prim).pure):
            try:
                target = user_call(tr.fn, op, tr.types_of, tr.known, tr.module.derive)
            except SrcadError:
                target = None
            if target is None:
                return "it calls a function srcad cannot read, which might read the global"
            if _names_object(target[1], obj, set(), 0):
                return f"`{target[1].__name__}`, which it calls, reads `{name}`"
    return None


# the run-time checks lower/argcopy.py puts around a global array the function updates in place:
# they compare memory (raising when objects are shared), reading no value into the result
_SHARING = frozenset(("srcad.runtime.args_unshared", "srcad.runtime.copies_kept"))


def _checked_only(ops: list, g: Any) -> bool:
    """Is the global `g` reads used only by `_SHARING` checks (``BUF[:] = x`` next to
    ``LOG.append(v)``: `LOG` is named among the objects `BUF` must not share memory with) and
    ``len`` (``len(LOG)``: a count, no stored value)?"""
    r = g.result
    return all(
        op.prim in _SHARING or op.prim == "len" for op in ops if any(a is r for a in op.operands())
    )


def _names_object(fn: Any, obj: Any, seen: set, depth: int) -> bool:
    """The source of the Python function `fn` (or of a module-level function it calls by name,
    transitively) loads a name bound to `obj`; True when it cannot be read (conservative)."""
    if not isinstance(fn, types.FunctionType) or id(fn) in seen:
        return False
    if depth > _DEPTH:
        return True
    seen.add(id(fn))
    ir = getattr(fn, "__srcad_ir__", None)
    if ir is not None:  # a derivative srcad made (second order): its IR
        return _ir_names(ir, obj)
    try:
        node = get_source(fn).node
    except Exception:
        return True
    ns = namespace_of(fn)
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
            kind, v = ns.lookup(n.id)
            if kind in ("global", "free") and v is obj:
                return True
            if kind in ("global", "free") and _names_object(v, obj, seen, depth + 1):
                return True
    return False


def _ir_names(ir: Any, obj: Any) -> bool:
    """The IR `ir` of a function srcad generated reads a global bound to `obj` or calls another
    function (not followed: True)."""
    for op in walk_ops(ir.body):
        if op.prim == "call":
            return True
        if op.prim == "global" and not op.params.get("generated"):
            kind, v = namespace_of(ir.pyfunc).lookup(op.params["name"]) if ir.pyfunc else ("", obj)
            if v is obj:
                return True
        if any(isinstance(a, Const) and a.value is obj for a in op.args):
            return True
    return False
