"""Calls of the function's own several-statement helpers in a ``try`` body, inlined as statements.

Input: a statement of a ``try`` body (lower/trybodies.py's `_Expand`) and the helpers
(`Body`, found by `body_helper`). Output: the statements that replace it, or None.

A helper ``def h(p, q): <statements> return e`` of the same function (bound there once, before
the ``try``; positional parameters without defaults; its only ``return`` the last statement; no
nested scope, ``try``, ``with``, ``global``/``nonlocal``, ``yield`` or ``del``; no local read
before it is surely bound: Python's UnboundLocalError stays refused) called as the
value a statement evaluates first but for names and constants (``y = h(a, b)``, ``y = h(a) +
1.0``, ``y = y + h(a)``, ``h(a)``, ``y = np.sum(h(a))``: nothing before the call may raise) becomes,
in Python's order::

    $try1h1_p = a                      (the arguments, left to right)
    $try1h1_q = b
    <statements, its locals renamed $try1h1_name>
    $try1h1 = e (renamed)
    y = $try1h1 + 1.0

so that lower/tryflow.py follows a ``raise`` inside the helper into the ``try``'s handlers. The
helper's other names are read where Python's call reads them (a closure reads the enclosing
variables when called). Not when a handler may catch NameError (a helper local read unbound).
"""

from __future__ import annotations

import copy
import types
from typing import Any

import gast

from srcad import lazy

_tryflow = lazy.module("srcad.lower.tryflow")  # (tryflow -> trys -> trysteps -> trybodies -> here)
_withs = lazy.module("srcad.lower.withs")  # (likewise)

_SCOPES = (gast.FunctionDef, gast.ClassDef, gast.Lambda, gast.ListComp, gast.GeneratorExp,
           gast.SetComp, gast.DictComp, gast.Try, gast.With, gast.Global, gast.Nonlocal,
           gast.Yield, gast.YieldFrom, gast.Await, gast.Delete, gast.Return, gast.Match,
           gast.NamedExpr)  # fmt: skip


class Body:
    """A several-statement helper: its parameters, statements and returned expression."""

    def __init__(self, params: list, stmts: list, ret: Any) -> None:
        self.params, self.stmts, self.ret = params, stmts, ret


def body_helper(st: gast.FunctionDef, body: list) -> Body | None:
    """`st` (its docstring dropped: `body`) as a `Body`, or None (module docstring)."""
    a = st.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.defaults or a.kw_defaults:
        return None
    params = a.posonlyargs + a.args
    if not all(isinstance(p, gast.Name) for p in params) or len(body) < 2:
        return None
    last = body[-1]
    if not isinstance(last, gast.Return) or last.value is None:
        return None
    if any(isinstance(x, _SCOPES) for s in body[:-1] for x in gast.walk(s)):
        return None
    if any(isinstance(x, _SCOPES) for x in gast.walk(last.value)):
        return None
    names = [p.id for p in params]
    if _reads_unbound(body[:-1], last.value, names):
        return None  # (Python raises UnboundLocalError there: left to the refusal)
    return Body(names, body[:-1], last.value)


def _reads_unbound(stmts: list, ret: Any, params: list) -> bool:
    """A local of the helper may be read before it is bound (``y += 1`` reads `y`)."""
    check = [copy.deepcopy(s) for s in stmts] + [gast.Expr(value=ret)]
    local = set()
    for s in check:
        for x in gast.walk(s):
            if isinstance(x, gast.Name) and isinstance(x.ctx, gast.Store):
                local.add(x.id)
            if isinstance(x, gast.AugAssign) and isinstance(x.target, gast.Name):
                x.value = gast.BinOp(left=load(x.target.id), op=x.op, right=x.value)
    return _tryflow._risky(check, set(params), frozenset(local - set(params)))


def _first_call(e: Any, fns: dict, ns: Any = None) -> gast.Call | None:
    """The call of a `Body` helper Python evaluates first in `e` with only names, constants and
    module attributes (``np.sum``) read before it (nothing that may raise), or None."""
    if isinstance(e, gast.Call):
        f = e.func
        if isinstance(f, gast.Name) and isinstance(fns.get(f.id), Body):
            return e
        quiet = isinstance(f, gast.Name) or _module_attribute(f, ns)
        parts = list(e.args) if quiet else []  # (the callable's load, then the arguments)
        if not parts or any(isinstance(a, gast.Starred) for a in parts):
            return None
    elif isinstance(e, gast.BinOp):
        parts = [e.left, e.right]
    elif isinstance(e, gast.UnaryOp):
        parts = [e.operand]
    elif isinstance(e, gast.Compare) and len(e.comparators) == 1:
        parts = [e.left, e.comparators[0]]
    elif isinstance(e, gast.Subscript):
        parts = [e.value, e.slice]
    elif isinstance(e, (gast.Tuple, gast.List)):
        parts = list(e.elts)
    else:
        return None
    for part in parts:
        if isinstance(part, (gast.Name, gast.Constant)):
            continue  # (read quietly: on to the next part)
        return _first_call(part, fns, ns)
    return None


def _module_attribute(f: Any, ns: Any) -> bool:
    """`f` is ``m.name`` (``np.linalg.norm``) of a module `m` the function reads as a global:
    reading it runs no user code."""
    if ns is None or not isinstance(f, gast.Attribute):
        return False
    base = _withs._resolve(f.value, ns)
    return isinstance(base, types.ModuleType) and _withs._resolve(f, ns) is not None


def expand_call(st: Any, fns: dict, n: int, k: int, ns: Any = None) -> list | None:
    """The statements replacing `st` (module docstring), its helper call numbered `k`, or None."""
    if not isinstance(st, (gast.Assign, gast.Expr)):
        return None
    rest = copy.deepcopy(st)  # (the statement, the call replaced by the helper's value)
    call = _first_call(rest.value, fns, ns)
    if call is None or call.keywords or any(isinstance(x, gast.Starred) for x in call.args):
        return None
    fn = fns[call.func.id]
    if len(call.args) != len(fn.params):
        return None
    prefix = f"$try{n}h{k}"
    local = set(fn.params)
    for s in fn.stmts:
        for x in gast.walk(s):
            if isinstance(x, gast.Name) and isinstance(x.ctx, gast.Store):
                local.add(x.id)
    names = {name: f"{prefix}_{name}" for name in sorted(local)}
    out: list = [assign(names[p], a) for p, a in zip(fn.params, call.args)]
    out += [renamed(s, names) for s in fn.stmts]
    out.append(assign(prefix, renamed(fn.ret, names)))
    for node in out:
        for sub in gast.walk(node):
            if isinstance(sub, (gast.stmt, gast.expr)):
                gast.copy_location(sub, call)  # (errors point at the call)
    if rest.value is call:
        if isinstance(rest, gast.Expr):
            return out  # (an expression statement of the call alone: its value dropped)
        rest.value = gast.copy_location(load(prefix), call)
    else:
        _replace(rest, call, gast.copy_location(load(prefix), call))
    return [*out, rest]


def _replace(tree: Any, old: Any, new: Any) -> None:
    for node in gast.walk(tree):
        for field, value in gast.iter_fields(node):
            if value is old:
                setattr(node, field, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                setattr(node, field, [new if v is old else v for v in value])
                return


def renamed(node: Any, names: dict) -> Any:
    """A copy of `node` with the names in `names` renamed."""
    new = copy.deepcopy(node)
    for x in gast.walk(new):
        if isinstance(x, gast.Name) and x.id in names:
            x.id = names[x.id]
    return new


def load(name: str) -> gast.Name:
    """``name`` read."""
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def assign(name: str, value: Any) -> gast.Assign:
    """``name = value``."""
    store = gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)
    return gast.Assign(targets=[store], value=value, type_comment=None)
