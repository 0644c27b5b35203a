"""``for p in ps:`` whose body writes into the item (``p["vel"] += a``, ``p[0] = v``), rewritten
before the name analyses as a loop over positions writing into the list's elements.

Input: a function's tree. Output: the tree changed in place; each such loop becomes::

    assert isinstance(ps, list)
    for $eachN in range(len(ps)):
        ...ps[$eachN]["vel"] += a...         # every `p` of the body: `ps[$eachN]`

Python's `p` is the list's element itself, so a write through it changes the list; srcad's values
are immutable and the write would be lost (a read of `ps` after it was refused), while writes
into ``ps[i][k]`` are written back into `ps` (passes/alias_nested.py, which also refuses an
element shared with another name or slot). Only where that is exact: the target and the iterable
are plain names, the body neither rebinds `p`, nor reads `ps`, nor leaves the loop early
(``break``/``continue``/``return``), nor defines functions, there is no ``else``, and `p` is
used nowhere else in the function (Python's `p` after the loop is the last element).
"""

from __future__ import annotations

from typing import Any

import gast

_BUILTINS = ("range", "len", "isinstance", "list")
_EXITS = (gast.Break, gast.Continue, gast.Return, gast.Yield, gast.YieldFrom, gast.Await)
_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def rewrite(root: Any, ns: Any) -> bool:
    """Rewrite the loops of `root` described in the module docstring; whether any changed."""
    if any(ns.lookup(n)[0] != "builtin" for n in _BUILTINS):
        return False
    changed = False
    todo = [root]
    n = 0
    while todo:
        owner = todo.pop()
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(owner, field, None)
            if not isinstance(stmts, list):
                continue
            k = 0
            while k < len(stmts):
                s = stmts[k]
                if isinstance(s, gast.For) and _eligible(root, s):
                    n += 1
                    stmts[k : k + 1] = _rewritten(s, f"srcad_each{n}")
                    changed = True
                    k += 2
                    continue
                if not isinstance(s, _NESTED):
                    todo.append(s)
                k += 1
        for h in getattr(owner, "handlers", None) or ():
            todo.append(h)
    return changed


_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _names(node: Any, name: str) -> list:
    """The Name nodes of `name` below `node`, except in comprehensions binding their own `name`
    (a variable of theirs, Python 3) but their first iterable."""
    out, todo = [], [node]
    while todo:
        m = todo.pop()
        if isinstance(m, gast.Name) and m.id == name:
            out.append(m)
        if isinstance(m, _COMPS) and any(
            isinstance(t, gast.Name) and t.id == name
            for g in m.generators
            for t in gast.walk(g.target)
        ):
            todo.append(m.generators[0].iter)
            continue
        todo.extend(gast.iter_child_nodes(m))
    return out


def _names_all(node: Any, name: str) -> list:
    return [m for m in gast.walk(node) if isinstance(m, gast.Name) and m.id == name]


def _eligible(root: Any, s: gast.For) -> bool:
    if s.orelse or not isinstance(s.target, gast.Name) or not isinstance(s.iter, gast.Name):
        return False
    p, ps = s.target.id, s.iter.id
    if p == ps:
        return False
    inner = [m for st in s.body for m in gast.walk(st)]
    if any(isinstance(m, _EXITS + _NESTED) for m in inner):
        return False
    if any(isinstance(m, _COMPS) and _names(m, p) != _names_all(m, p) for m in inner):
        return False  # a comprehension of the body with a `p` of its own
    uses = [m for m in inner if isinstance(m, gast.Name) and m.id in (p, ps)]
    if any(m.id == ps or not isinstance(m.ctx, gast.Load) for m in uses):
        return False
    if not any(_written_item(m, p) for m in inner):
        return False
    return len(_names(root, p)) == len(uses) + 1  # `p` nowhere else in the function


def _written_item(node: Any, p: str) -> bool:
    """`node` stores into an item of `p` (``p[k] = v``, ``p[k][j] += v``)."""
    if not (isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store)):
        return False
    while isinstance(node, gast.Subscript):
        node = node.value
    return isinstance(node, gast.Name) and node.id == p


def _load(name: str, like: Any) -> gast.Name:
    return gast.copy_location(
        gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), like
    )


def _rewritten(s: gast.For, index: str) -> list:
    p, ps = s.target.id, s.iter.id

    class Sub(gast.NodeTransformer):
        def visit_Name(self, m: gast.Name) -> Any:
            if m.id != p:
                return m
            item = gast.Subscript(value=_load(ps, m), slice=_load(index, m), ctx=gast.Load())
            return gast.copy_location(item, m)

    body = [Sub().visit(st) for st in s.body]
    call = lambda f, *a: gast.copy_location(  # noqa: E731
        gast.Call(func=_load(f, s.iter), args=list(a), keywords=[]), s.iter
    )
    check = gast.copy_location(
        gast.Assert(test=call("isinstance", _load(ps, s.iter), _load("list", s.iter)), msg=None), s
    )
    target = gast.copy_location(
        gast.Name(id=index, ctx=gast.Store(), annotation=None, type_comment=None), s.target
    )
    loop = gast.copy_location(
        gast.For(
            target=target,
            iter=call("range", call("len", _load(ps, s.iter))),
            body=body,
            orelse=[],
            type_comment=None,
        ),
        s,
    )
    return [check, loop]
