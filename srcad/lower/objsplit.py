"""Objects of two classes joined at an ``if``: ``m = A(w) if flag else B(w)`` or ``if flag: m =
A(w) else: m = B(w)``, then ``m.f(x)``: the statements after the ``if`` (to the end of the
block) are lowered in each branch, so `m` stays the one object built there (lower/objects.py).
Likewise a function a branch binds (``if c: def act(v): ... else: def act(v): ...``, or ``act =
lambda v: ...``), called after the ``if``: each copy calls its branch's function, where the
join refused a name bound to two functions.

Input: the lowerer at a statement `s` with the statements `rest` after it in the same block.
Output: True when `s` and `rest` were lowered that way, else False (nothing lowered).

Lowering the rest of a block once per branch is what Python runs on each path (the join of the
two copies is the join the ``if`` would have had, at the block's end). Only done when a branch
binds a name that `rest` reads to a call of a class whose objects are built here (or to a name
bound to such an object), and at most `_LIMIT` times per function (each doubles the code after
it). Without it, the joined object is a run-time value of an unknown class, which the
transforms refuse to call methods of.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import objinit, scope
from srcad.lower.objseq import user_class
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const
from srcad.trees import record_fields

_LIMIT = 4


def split(lw: Any, s: Any, rest: list, live_out: set) -> bool:
    """Lower `s` and `rest` branch by branch, if `s` joins objects (see the module docstring)."""
    if not rest or getattr(lw, "obj_splits", 0) >= _LIMIT:
        return False
    if isinstance(s, gast.Assign) and isinstance(s.value, gast.IfExp):
        t = s.targets[0] if len(s.targets) == 1 else None
        e = s.value
        if not (
            isinstance(t, gast.Name) and _object_expr(lw, e.body) and _object_expr(lw, e.orelse)
        ):
            return False
        if t.id not in scope.reads(rest):
            return False
        body = [_assign(t, e.body, s)]
        orelse = [_assign(t, e.orelse, s)]
        test = e.test
    elif isinstance(s, gast.If):
        names = _object_names(lw, s.body) | _object_names(lw, s.orelse)
        # (no names: no reads of `rest` needed; reading them for every `if` of a block would
        # be quadratic in its length)
        if not names or not names & scope.reads(rest) or scope.may_exit([s]):
            return False
        body, orelse, test = s.body, s.orelse, s.test
    else:
        return False
    lw.obj_splits = getattr(lw, "obj_splits", 0) + 1
    lw.at(s)
    cond = lw.truth(lw.expr(test), test)
    lw.branch(
        cond, lambda: lw.stmts(body + rest, live_out), lambda: lw.stmts(orelse + rest, live_out),
        s, _live_at_end(lw, s, live_out),
    )  # fmt: skip
    return True


def _live_at_end(lw: Any, s: Any, live_out: set) -> set:
    """The names read after the block `s` is in: at the top level of a loop's body, those the
    loop carries (a body's `live_out` holds every name the body reads, for the next round: an
    object bound in the body before any read is not one, and need not become a run-time value)."""
    if not lw.loop_bodies:
        return live_out
    node, carried = lw.loop_bodies[-1]
    body = getattr(node, "body", None)
    if isinstance(body, list) and any(x is s for x in body):
        return set(live_out) & carried
    return live_out


def _object_expr(lw: Any, e: Any) -> bool:
    """A call of a user class whose objects are built here or are records (their class is
    known to the transforms), or a name bound to an object built here."""
    if isinstance(e, gast.Name):
        return isinstance(lw.env.get(e.id), LocalObj)
    if isinstance(e, gast.Call) and isinstance(e.func, gast.Name):
        v = lw.env.get(e.func.id)  # a class defined in the function (lower/localclass.py)
        if v is None:
            cls = lw.ns.lookup(e.func.id)[1]
        else:
            cls = v.value if isinstance(v, Const) else None
        return (
            isinstance(cls, type)
            and user_class(cls)
            and (objinit.buildable(cls) or record_fields(cls) is not None)
        )
    return False


def _object_names(lw: Any, stmts: list) -> set[str]:
    """Names the top-level statements of `stmts` bind to objects (`_object_expr`), or to
    functions: a ``def`` without decorators, a lambda (each branch's own, called in `rest`)."""
    return {
        s.name if isinstance(s, gast.FunctionDef) else s.targets[0].id
        for s in stmts
        if (isinstance(s, gast.FunctionDef) and not s.decorator_list)
        or isinstance(s, gast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], gast.Name)
        and (isinstance(s.value, gast.Lambda) or _object_expr(lw, s.value))
    }


def _assign(target: gast.Name, value: Any, at: Any) -> gast.Assign:
    t = gast.Name(id=target.id, ctx=gast.Store(), annotation=None, type_comment=None)
    new = gast.Assign(targets=[gast.copy_location(t, target)], value=value, type_comment=None)
    return gast.copy_location(new, at)
