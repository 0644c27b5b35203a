"""A list of functions built by a loop appending one per item, as the list comprehension
lower/fnrows.py rewrites.

Input: a function's tree (before the name analyses). Output: the tree changed in place (whether
it changed)::

    fs = []                                  fs = [lambda t, c=c: c * t for c in x]
    for c in x:
        fs.append(lambda t, c=c: c * t)

    fs = []                                  fs = [lambda t, c=c: c * t * t for c in x]
    for c in x:
        def g(t, c=c):
            return c * t * t
        fs.append(g)

Exact: the loop runs its iterable once and evaluates each function's defaults in its round, as
the comprehension does; taken only when the list starts empty right before the loop, the loop's
body is exactly that (no ``else``, a ``def`` without decorators whose body is one ``return``,
after a docstring or not), the list is read in the loop only as the receiver of ``append``,
and the loop's target and the ``def``'s name are read or bound nowhere else in the function
(Python leaves them bound to the last round's after the loop; the comprehension does not bind
them). A lambda reading the loop's target in its body (late binding)
stays refused, by lower/fnrows.py.
"""

from __future__ import annotations

from typing import Any

import gast

_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def rewrite(root: Any) -> bool:
    """Rewrite the loops of the module docstring below `root`; whether any changed."""
    changed = False
    todo = [root]
    while todo:
        node = todo.pop()
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            k = 0
            while k + 1 < len(stmts):
                comp = _comprehension(root, stmts[k], stmts[k + 1])
                if comp is not None:
                    stmts[k].value = comp
                    del stmts[k + 1]
                    changed = True
                k += 1
            todo.extend(s for s in stmts if not isinstance(s, _NESTED) and hasattr(s, "body"))
        if isinstance(node, gast.Try):
            todo.extend(node.handlers)
    return changed


def _comprehension(root: Any, init: Any, loop: Any) -> gast.ListComp | None:
    """``[<function> for <target> in <iter>]`` for ``fs = []`` then the loop, else None."""
    if not (
        isinstance(init, gast.Assign)
        and len(init.targets) == 1
        and isinstance(init.targets[0], gast.Name)
        and isinstance(init.value, gast.List)
        and not init.value.elts
        and isinstance(loop, gast.For)
        and isinstance(loop.target, gast.Name)
        and not loop.orelse
    ):
        return None
    name, body = init.targets[0].id, loop.body
    made = _appended(body[-1], name) if body else None
    if made is None:
        return None
    local: set[str] = {loop.target.id}
    if isinstance(made, gast.Name):  # `def g(...)` then `fs.append(g)`
        if len(body) != 2 or not _plain_def(body[0], made.id):
            return None
        local.add(made.id)
        d = body[0]
        lam = gast.Lambda(args=d.args, body=d.body[-1].value)
        gast.copy_location(lam, d)
    elif isinstance(made, gast.Lambda) and len(body) == 1:
        lam = made
    else:
        return None
    if name in local or _late_binding(lam, loop.target.id) or _used_elsewhere(root, loop, local):
        return None
    if sum(isinstance(n, gast.Name) and n.id == name for n in gast.walk(loop)) != 1:
        return None  # the list read in the loop (``n=len(fs)``): not yet the comprehension's
    gen = gast.comprehension(target=loop.target, iter=loop.iter, ifs=[], is_async=0)
    return gast.copy_location(gast.ListComp(elt=lam, generators=[gen]), init.value)


def _appended(s: Any, name: str) -> Any:
    """`v` of the statement ``name.append(v)``, else None."""
    if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)):
        return None
    call = s.value
    f = call.func
    if not (
        isinstance(f, gast.Attribute)
        and f.attr == "append"
        and isinstance(f.value, gast.Name)
        and f.value.id == name
        and len(call.args) == 1
        and not call.keywords
    ):
        return None
    return call.args[0]


def _plain_def(d: Any, name: str) -> bool:
    """``def name(...): [docstring] return <value>`` without decorators, returns or yields."""
    if not isinstance(d, gast.FunctionDef) or d.name != name or d.decorator_list:
        return False
    body = d.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], gast.Return) or body[0].value is None:
        return False
    return not any(isinstance(n, (gast.Yield, gast.YieldFrom, gast.Await)) for n in gast.walk(d))


def _late_binding(lam: gast.Lambda, target: str) -> bool:
    """Does the function's body read the loop's target (the last round's when it runs)?"""
    a = lam.args
    params = {p.id for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
    params |= {p.id for p in (a.vararg, a.kwarg) if p is not None}
    if target in params:
        return False
    return any(isinstance(n, gast.Name) and n.id == target for n in gast.walk(lam.body))


def _used_elsewhere(root: Any, loop: Any, names: set[str]) -> bool:
    """Is one of `names` read or bound anywhere in `root` outside `loop` (nested functions
    included: they may read the function's binding)?"""
    inside = {id(n) for n in gast.walk(loop)}
    for n in gast.walk(root):
        if id(n) in inside:
            continue
        if isinstance(n, gast.Name) and n.id in names:
            return True
        if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)) and (
            n.name in names
        ):
            return True
        if isinstance(n, (gast.Global, gast.Nonlocal)) and names & set(n.names):
            return True
    return False
