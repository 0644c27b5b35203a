"""``setattr(obj, "name", v)`` written as a statement, rewritten as ``obj.name = v``.

Input: the function's gast tree and its `Namespace` (lower/lower.py runs this before the name
analyses when the function's source holds ``setattr(``). Output: whether the tree changed (in
place).

The same for one statement of a method's body inlined (`statement`). With Python's builtin
``setattr``, a constant identifier for the name and the call's value unused
(an expression statement), the call is the attribute assignment: the object model, the
attribute-store analyses (lower/escapes.py) and the derivative then treat it as one. Left alone
(refused as before: "`setattr()` is not supported"): a computed name (``setattr(o, k, v)`` in a
loop over fields), a private name Python would mangle in a class body (``__x``), keywords or
starred arguments, ``setattr`` rebound in the function, the call's value used.
"""

from __future__ import annotations

import builtins
from typing import Any

import gast

from srcad.lower.withs import _resolve

HINT = (
    'write `obj.name = v`; a constant name is taken (`setattr(obj, "name", v)` as a '
    'statement), so is a loop over a tuple of names in the function (`for k in ("a", "b"): '
    "setattr(p, k, ...)`) without break, continue or return"
)


def rewrite(tree: Any, ns: Any) -> bool:
    """Rewrite the ``setattr`` statements of the module docstring in `tree`; True when one was."""
    if _resolve(gast.Name(id="setattr", ctx=gast.Load(), annotation=None, type_comment=None),
                ns) is not builtins.setattr:  # fmt: skip
        return False
    nodes = list(gast.walk(tree))
    if any(isinstance(n, gast.Name) and n.id == "setattr" and not isinstance(n.ctx, gast.Load)
           for n in nodes):  # fmt: skip
        return False
    changed = False
    for node in nodes:
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            for k, s in enumerate(stmts):
                new = _assignment(s)
                if new is not None:
                    stmts[k] = new
                    changed = True
    return changed


def statement(s: Any, ns: Any) -> gast.Assign | None:
    """``obj.name = v`` for the statement `s` ``setattr(obj, "name", v)`` with Python's
    ``setattr`` (a method's body inlined where the tree rewrite did not run; the methods' store
    analysis, lower/escapes.py, already counts ``setattr`` as a store of any attribute)."""
    new = _assignment(s)
    if new is None or _resolve(s.value.func, ns) is not builtins.setattr:
        return None
    return new


def const_setattr(call: Any) -> str | None:
    """The attribute name of ``setattr(obj, "name", v)`` (`call`, a constant identifier Python
    would not mangle, three plain arguments), else None (lower/escapes.py counts it as a store
    of that name)."""
    if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name)):
        return None
    if call.func.id != "setattr" or call.keywords or len(call.args) != 3:
        return None
    if any(isinstance(a, gast.Starred) for a in call.args):
        return None
    name = call.args[1]
    if not (isinstance(name, gast.Constant) and isinstance(name.value, str)):
        return None
    attr = name.value
    if not attr.isidentifier() or (attr.startswith("__") and not attr.endswith("__")):
        return None
    return attr


def _assignment(s: Any) -> gast.Assign | None:
    """``obj.name = v`` for the statement ``setattr(obj, "name", v)``, else None."""
    if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)):
        return None
    call = s.value
    attr = const_setattr(call)
    if attr is None:
        return None
    obj, _, value = call.args
    target = gast.copy_location(gast.Attribute(value=obj, attr=attr, ctx=gast.Store()), call)
    new = gast.Assign(targets=[target], value=value, type_comment=None)
    return gast.copy_location(new, s)
