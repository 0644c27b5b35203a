"""Updates of module-level containers as statements: ``HIST.append(float(loss))``,
``CNT["n"] += 1``, ``SEEN.add(k)``, ``LOG[step] = v`` (logging, counters, caches).

Input: the lowerer at an expression statement or assignment whose target is a global list, dict
or set (not a variable of the function; bound now). Output: one effect op,
``srcad.runtime.global_method("mod", "G", "append", v)`` or ``global_item("mod", "G", key,
"iadd", v)`` (rules/effects.py), the global read from its module when the code runs, as Python
does: the update happens once
per call of the generated code, with the values the function computed there (arrays, lists and
dicts copied). The function's result does not depend on it; a differentiated value stored where
the function may read it back is refused by ad/effects.py, and a local stored so and updated in
place later here is refused now (Python's container would hold the changed object).
"""

from __future__ import annotations

import sys
import types
from typing import Any

import gast

from srcad.lower import argwrites
from srcad.ssa.core import Const

_METHODS = frozenset({"append", "extend", "insert", "add", "update", "discard", "appendleft"})
IOPS = {gast.Add: "iadd", gast.Sub: "isub", gast.Mult: "imul", gast.Div: "itruediv",
         gast.FloorDiv: "ifloordiv", gast.Mod: "imod", gast.Pow: "ipow", gast.BitOr: "ior",
         gast.BitAnd: "iand", gast.BitXor: "ixor", gast.MatMult: "imatmul"}  # fmt: skip


def container(lw: Any, node: Any) -> str | None:
    """The name `node` reads when it is a global bound now to a list, dict or set (and neither a
    variable of the function nor rebound by it), else None."""
    if not isinstance(node, gast.Name) or node.id in lw.env or node.id in lw.py_locals:
        return None
    kind, obj = lw.ns.lookup(node.id)
    if kind != "global" or not isinstance(obj, (list, dict, set)):
        return None
    module = sys.modules.get(lw.ns.globals.get("__name__", ""))
    if module is None or vars(module) is not lw.ns.globals:  # (exec'd code: no module)
        return None
    return node.id


def _module(lw: Any) -> Const:
    return Const(lw.ns.globals["__name__"])


def method_call(lw: Any, call: gast.Call) -> bool:
    """``G.append(v)`` (a statement): True when lowered."""
    f = call.func
    if not (isinstance(f, gast.Attribute) and f.attr in _METHODS):
        return False
    name = container(lw, f.value)
    if name is None or call.keywords or any(isinstance(a, gast.Starred) for a in call.args):
        return False
    args = [lw.value(a) for a in call.args]
    stored_locals(lw, call.args, name, call)
    lw.at(call)
    lw.op("srcad.runtime.global_method", [_module(lw), Const(name), Const(f.attr), *args])
    return True


def item_update(lw: Any, target: Any, value: Any, op: Any, at: Any) -> bool:
    """``G[k] = v`` (`op` None) or ``G[k] op= v``: True when lowered."""
    if not isinstance(target, gast.Subscript) or isinstance(target.slice, gast.Slice):
        return False
    name = container(lw, target.value)
    if name is None or (op is not None and type(op) not in IOPS):
        return False
    key = lw.value(target.slice)
    v = lw.value(value)
    stored_locals(lw, [value], name, at)
    lw.at(at)
    iop = Const(None if op is None else IOPS[type(op)])
    lw.op("srcad.runtime.global_item", [_module(lw), Const(name), key, iop, v])
    return True


def stored_locals(lw: Any, values: list, name: str, at: Any, attr: bool = False) -> None:
    """Refuse a variable stored into the global (or attribute) `name` that the function updates in place
    somewhere (``a[0] = v``, ``a.append(v)``): Python's container would hold the changed object,
    srcad's the value at the update."""
    root = getattr(lw, "root", None)
    if root is None or lw.inline_depth:
        return
    stored = {v.id for v in values if isinstance(v, gast.Name) and v.id in lw.py_locals}
    if not stored:
        return
    changed = _updated_in_place(root)
    for n in sorted(stored & changed):
        raise lw.error(
            at,
            f"`{n}` is stored into {'' if attr else 'the global '}`{name}` and updated in place "
            f"later; Python's `{name}` would hold the changed object, srcad's the value stored",
            f"store a copy (`{name}{' = ' if attr else '.append('}{n}.copy(){'' if attr else ')'}`) "
            "or a number",
        )


def _updated_in_place(root: Any) -> set[str]:
    out: set[str] = set()
    for n in gast.walk(root):
        if isinstance(n, (gast.Assign, gast.AugAssign, gast.Delete)):
            for t in n.targets if not isinstance(n, gast.AugAssign) else [n.target]:
                out |= argwrites.element_roots(t) | argwrites.deep_roots(t)
        elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            if n.func.attr in argwrites.UPDATING and isinstance(n.func.value, gast.Name):
                out.add(n.func.value.id)
    return out


def refuse_shared_attr(lw: Any, t: gast.Attribute) -> None:
    """Refuse a store to an attribute of a module-level class or module (``Counter.n += 1``,
    ``config.scale = v``): state every call shares, which srcad does not update (the reads of
    it are made when the code runs, so a value baked in is never the issue; the write is)."""
    base = t.value
    if not isinstance(base, gast.Name) or base.id in lw.env or base.id in lw.py_locals:
        return
    kind, obj = lw.ns.lookup(base.id)
    if kind not in ("global", "free") or not isinstance(obj, (type, types.ModuleType)):
        return
    what = "class" if isinstance(obj, type) else "module"
    raise lw.error(
        t,
        f"this writes the attribute `{t.attr}` of the {what} `{base.id}`, state shared by every "
        "call and kept between calls; srcad does not perform writes to a class's or a module's "
        "attributes",
        "keep such a counter in a module-level dict (`COUNTS['n'] += 1`: srcad updates it "
        "once per call, as Python), or pass the value in and return the new one",
    )
