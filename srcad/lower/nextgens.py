"""``g = (f(v) for v in xs)`` read by ``next(g)``: ``g = iter(xs)``, each item's expression
written where it is taken.

Input: a function's tree and its namespace (lower/lower.py runs this before the name analyses
when the source holds ``next(``). Output: whether the tree changed (in place). A statement
``g = (<e> for v in <xs>)`` (one ``for`` of a plain name, no ``if``; one plain-name target)
whose name the function reads only as

- ``t = next(g)`` (a statement, one plain-name target): ``srcad_gvN = next(g)`` then
  ``t = <e>`` with `v` read as ``srcad_gvN``;
- ``t = next(g, d)`` (likewise): the call stays, marked ``srcad_item = (srcad_gvN, <e>)``;
  lower/iterstate.py evaluates `d`, then takes the next item when there is one, binds it
  to ``srcad_gvN`` and evaluates ``<e>`` then (else the value is `d`);
- ``sum(g)`` (``list``, ``tuple``, ``sorted``, ``max``, ``min``, ``max(g, default=d)``:
  the rest at once) and the
  first iterable of a comprehension: ``sum(<e> for srcad_gvN in g)``, ``[h(w) for w in (<e>
  for srcad_gvN in g)]``;
- ``for w in g:``: ``for srcad_gvN in g:`` whose body starts with ``w = <e>``;

becomes ``g = iter(<xs>)``, which lower/iterstate.py lowers as (the items, a position). Python's
generator evaluates ``<xs>`` when it is made and ``<e>`` for each item when it is taken, with
the bindings of that moment: so does the rewritten code (the expression is written at the
places that take the items, in the same order). A generator (``if`` clauses too) read only
by the statement right after it, ``t = next(g[, d])`` with `d` a constant or a name, is
written into that call (`_inline_next`). ``iter`` and ``next`` must be Python's; any
other read of `g` (passed on, returned) leaves the statement as it was.
"""

from __future__ import annotations

import copy
import types
from typing import Any

import gast

from srcad.lower.placed import placed

_WHOLE = frozenset({"sum", "list", "tuple", "sorted", "max", "min"})
_LIBRARY = frozenset({"numpy", "math", "cmath", "scipy"})  # (their functions run no user code)


def rewrite(node: Any, ns: Any) -> bool:
    """The rewrite of the module docstring, in place; whether anything changed."""
    names = {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}
    if any(ns.lookup(n)[0] != "builtin" for n in ("iter", "next", *(_WHOLE & names))):
        return False
    parents = {id(c): p for p in gast.walk(node) for c in gast.iter_child_nodes(p)}
    stores: dict[str, list] = {}
    loads: dict[str, list] = {}
    for n in gast.walk(node):
        if isinstance(n, gast.Name):
            (loads if isinstance(n.ctx, gast.Load) else stores).setdefault(n.id, []).append(n)
    if any(k in stores for k in ("iter", "next", *_WHOLE)):
        return False
    changed = _hoist_nexts(node, ns, parents, loads, stores)
    if changed:  # (the tree changed: parents and reads again)
        parents = {id(c): p for p in gast.walk(node) for c in gast.iter_child_nodes(p)}
        loads = {}
        for n in gast.walk(node):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
                loads.setdefault(n.id, []).append(n)
    for k, s in enumerate(
        s for s in gast.walk(node) if isinstance(s, gast.Assign) and len(s.targets) == 1
    ):
        t, v = s.targets[0], s.value
        if not (isinstance(t, gast.Name) and isinstance(v, gast.GeneratorExp)):
            continue
        if _inline_next(s, stores, loads, parents):
            changed = True
            continue
        g = v.generators[0]
        if len(v.generators) != 1 or g.ifs or g.is_async or not isinstance(g.target, gast.Name):
            continue
        if len(stores.get(t.id, ())) != 1:
            continue
        uses = [_use(u, parents) for u in loads.get(t.id, ())]
        if not uses or None in uses or not any(kind == "next" for kind, _ in uses):
            continue
        if len({id(at) for _, at in uses}) != len(uses):  # (a statement reached twice: a
            continue  # lowering that copied it, the body of a `try`; left as it was)
        fresh = f"srcad_gv{k}"
        for kind, at in uses:
            _apply(kind, at, v, g.target.id, fresh, parents)
        s.value = placed(gast.Call(func=_name("iter", v), args=[g.iter], keywords=[]), v)
        changed = True
    return changed


# nodes under which `next(g)` may not run, or run more than once (short-circuits, conditional
# expressions, comprehensions, functions): its call is not moved before the statement
_GUARDED = (gast.BoolOp, gast.IfExp, gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp,
            gast.GeneratorExp, gast.NamedExpr, gast.Await, gast.Yield, gast.YieldFrom)  # fmt: skip
_HOISTED = (gast.Assign, gast.AugAssign, gast.AnnAssign, gast.Return, gast.Expr)


def _hoist_nexts(node: Any, ns: Any, parents: dict, loads: dict, stores: dict) -> bool:
    """``a = v * next(g, d)`` of a ``g = (<e> for ...)`` bound once: ``srcad_nxN = next(g, d)``
    then ``a = v * srcad_nxN``, the form the rewrite takes. Only where the call runs exactly once
    when the statement runs (no `_GUARDED` node around it) and nothing else in the statement
    runs user code (every other call a library function's: `_library_call`), so taking the item
    first gives the values Python's order gives. In place; whether it did."""
    gens = {
        t.id
        for s in gast.walk(node)
        if isinstance(s, gast.Assign) and len(s.targets) == 1
        for t in s.targets
        if isinstance(t, gast.Name) and isinstance(s.value, gast.GeneratorExp)
        and len(stores.get(t.id, ())) == 1
    }  # fmt: skip
    changed = False
    for k, u in enumerate(u for g in sorted(gens) for u in loads.get(g, ())):
        call = parents.get(id(u))
        if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name)):
            continue
        if call.func.id != "next" or call.args[:1] != [u] or call.keywords:
            continue
        st = parents.get(id(call))
        while st is not None and not isinstance(st, gast.stmt) and not isinstance(st, _GUARDED):
            st = parents.get(id(st))
        if not isinstance(st, _HOISTED) or not _in_body(st, parents) or len(call.args) > 2:
            continue
        if isinstance(st, gast.Assign) and st.value is call and type(st.targets[0]) is gast.Name:
            continue  # (``t = next(g, d)``: the rewrite's own form)
        others = [n for n in gast.walk(st) if isinstance(n, gast.Call) and n is not call]
        if not all(_library_call(n, ns) for n in others):
            continue
        fresh = f"srcad_nx{k}"
        parent = parents[id(call)]
        for field, value in gast.iter_fields(parent):
            if value is call:
                setattr(parent, field, _name(fresh, call))
            elif isinstance(value, list):
                value[:] = [_name(fresh, call) if x is call else x for x in value]
        first = gast.Assign(targets=[_name(fresh, st, gast.Store())], value=call, type_comment=None)
        _splice(parents, st, [placed(first, st), st])
        changed = True
    return changed


def _library_call(n: gast.Call, ns: Any) -> bool:
    """`n` calls a function of a library module (``np.sin(x)``, ``math.exp(x)``): no user code."""
    f = n.func
    while isinstance(f, gast.Attribute):
        f = f.value
    if not isinstance(f, gast.Name) or f is n.func:
        return False
    kind, obj = ns.lookup(f.id)
    return isinstance(obj, types.ModuleType) and obj.__name__.split(".")[0] in _LIBRARY


def _inline_next(s: Any, stores: dict, loads: dict, parents: dict) -> bool:
    """``g = (<e> for v in xs if c)`` whose name's one read is ``t = next(g[, d])``, the very
    next statement, `d` a constant or a name: ``t = next((<e> for v in xs if c)[, d])`` (no
    statement runs between the generator's creation and its one ``next``; lower/iterstate.py
    lowers that call, or refuses it). In place; whether it did."""
    name = s.targets[0].id
    if len(stores.get(name, ())) != 1 or len(loads.get(name, ())) != 1:
        return False
    u = loads[name][0]
    call = parents.get(id(u))
    if not (
        isinstance(call, gast.Call)
        and isinstance(call.func, gast.Name)
        and call.func.id == "next"
        and call.args[:1] == [u]
        and len(call.args) <= 2
        and not call.keywords
        and all(isinstance(d, (gast.Constant, gast.Name)) for d in call.args[1:])
    ):
        return False
    st = parents.get(id(call))
    if not (isinstance(st, gast.Assign) and st.value is call and len(st.targets) == 1):
        return False
    if not isinstance(st.targets[0], gast.Name):
        return False
    p = parents.get(id(s))
    for field in ("body", "orelse", "finalbody"):
        stmts = getattr(p, field, None) or []
        k = next((i for i, x in enumerate(stmts) if x is s), None)
        if k is not None and k + 1 < len(stmts) and stmts[k + 1] is st:
            call.args[0] = s.value
            del stmts[k]
            return True
    return False


def _use(u: Any, parents: dict) -> tuple[str, Any] | None:
    """How the read `u` of the generator's name takes its items, or None."""
    p = parents.get(id(u))
    if _extreme_default(p, u):  # max(g, default=d)
        return "whole", p
    if isinstance(p, gast.Call) and p.args[:1] == [u] and not p.keywords:
        if isinstance(p.func, gast.Name) and p.func.id == "next" and len(p.args) <= 2:
            st = parents.get(id(p))
            if isinstance(st, gast.Assign) and st.value is p and len(st.targets) == 1:
                if isinstance(st.targets[0], gast.Name) and _in_body(st, parents):
                    return "next", st
            return None
        if isinstance(p.func, gast.Name) and p.func.id in _WHOLE and len(p.args) == 1:
            return "whole", p
    if isinstance(p, gast.comprehension) and p.iter is u:
        return "comp", p
    if isinstance(p, gast.For) and p.iter is u:
        return "for", p
    return None


def _extreme_default(p: Any, u: Any) -> bool:
    """`p` is ``max(u, default=d)`` or ``min(u, default=d)``."""
    return (
        isinstance(p, gast.Call)
        and isinstance(p.func, gast.Name)
        and p.func.id in ("max", "min")
        and p.args == [u]
        and [k.arg for k in p.keywords] == ["default"]
    )


def _splice(parents: dict, st: Any, new: list) -> None:
    """Replace the statement `st` in its parent's statement list by `new`."""
    p = parents[id(st)]
    for field in ("body", "orelse", "finalbody", "handlers"):
        stmts = getattr(p, field, None)
        if isinstance(stmts, list) and any(x is st for x in stmts):
            k = next(i for i, x in enumerate(stmts) if x is st)
            stmts[k : k + 1] = new
            return
    raise AssertionError("statement not found in its parent")  # (checked by `_use`)


def _apply(kind: str, at: Any, gen: gast.GeneratorExp, var: str, fresh: str, parents: dict) -> None:
    """Write the item's expression (`var` read as `fresh`) where `at` takes the items."""
    elt = _renamed(gen.elt, var, fresh)
    if kind == "next" and len(at.value.args) == 2:  # t = next(g, d): lower/iterstate.py
        at.value.srcad_item = (fresh, elt)
        return
    if kind == "next":  # t = next(g)  ->  fresh = next(g); t = e   (one statement: an `if`)
        call, target = at.value, at.targets[0]
        first = placed(gast.Assign(targets=[_name(fresh, at, gast.Store())], value=call,
                                type_comment=None), at)  # fmt: skip
        then = placed(gast.Assign(targets=[target], value=elt, type_comment=None), at)
        _splice(parents, at, [first, then])
        return
    if kind == "for":
        target = at.target
        at.target = _name(fresh, at, gast.Store())
        at.body.insert(0, placed(gast.Assign(targets=[target], value=elt, type_comment=None), at))
        return
    comp = gast.comprehension(target=_name(fresh, at, gast.Store()), iter=None, ifs=[], is_async=0)
    if kind == "whole":  # sum(g)  ->  sum(e for fresh in g)
        comp.iter = at.args[0]
        at.args = [placed(gast.GeneratorExp(elt=elt, generators=[comp]), at)]
    else:  # a comprehension's first iterable: (e for fresh in g)
        comp.iter = at.iter
        at.iter = placed(gast.GeneratorExp(elt=elt, generators=[comp]), at.iter)


def _in_body(st: Any, parents: dict) -> bool:
    p = parents.get(id(st))
    return any(
        any(x is st for x in getattr(p, f, None) or ()) for f in ("body", "orelse", "finalbody")
    )


def _renamed(e: Any, var: str, fresh: str) -> Any:
    out = copy.deepcopy(e)
    for n in gast.walk(out):
        if isinstance(n, gast.Name) and n.id == var:
            n.id = fresh
    return out


def _name(name: str, like: Any, ctx: Any = None) -> gast.Name:
    n = gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)
    return placed(n, like)
