"""``for a, b in itertools.combinations(bodies, 2):`` (or ``permutations(bodies, 2)``) whose body
updates what the items hold (n-body pairs: ``a[0] -= d * b[2]``), as loops over positions.

Input: a function's gast tree and its `Namespace` (before the name analyses: lower/lower.py, and
lower/varargs.inline_call for a helper inlined at its call). Output: each such loop rewritten as

    srcad_pair_source(bodies)
    for srcad_i in range(len(bodies)):
        for srcad_j in range(srcad_i + 1, len(bodies)):   # (permutations: range(len(bodies)),
            a, b = bodies[srcad_i], bodies[srcad_j]        #  under ``if srcad_j != srcad_i:``)
            <body>

which reads the same objects in the same order as Python's pairs, so the lists the items are
update in place as Python's do, and the list-of-objects analyses (lower/listobjs.py, the mutation
check) see indexing they follow. ``srcad_pair_source`` (rules/pairchecks.py) refuses at run time
anything but a list or tuple (a dict's pairs are of its keys, an iterator has no length); a
name bound only to list or tuple displays needs no such check.

Only where that is exact: `bodies` a plain name, ``r`` the constant 2, no ``else``, no ``break``
in the body (it would leave the inner loop only), and nothing in the body that could change
`bodies` itself (a store to it or into it, a method call on it, passing it to a function):
Python's pool is the list's items when the loop starts.
"""

from __future__ import annotations

import itertools
from typing import Any

import gast

from srcad.lower.placed import placed
from srcad.lower.values import PrimRef
from srcad.rules.pairchecks import pair_source

CHECK = "srcad_pair_source"
_KINDS = {itertools.combinations: "c", itertools.permutations: "p"}


def rewrite(node: Any, ns: Any) -> bool:
    """Rewrite the loops of `node` (see the module docstring); True when one was."""
    changed = False
    lists = _made_lists(node)
    serial = itertools.count()  # (the loops' names, numbered within `node`: the same every run)
    for parent in list(gast.walk(node)):
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(parent, field, None)
            if not isinstance(stmts, list):
                continue
            for k in range(len(stmts) - 1, -1, -1):
                new = _loop(stmts[k], ns, lists, serial)
                if new is not None:
                    stmts[k : k + 1] = new
                    changed = True
    return changed


def candidate(fn: Any) -> bool:
    """May `fn`'s code call ``combinations``/``permutations`` (its names read)?"""
    names = getattr(getattr(fn, "__code__", None), "co_names", ())
    return "combinations" in names or "permutations" in names


def bind_env(env: dict) -> None:
    """Bind `CHECK` in the environment `env` (a lowered function's, an inlined helper's)."""
    env[CHECK] = PrimRef("srcad.runtime.pair_source", pair_source, None)


def _made_lists(node: Any) -> set[str]:
    """The names `node` binds only to list or tuple displays or list comprehensions (``bodies =
    [...]``, ``bodies = ([...], [...])``): lists or tuples for sure, which need no run-time check."""
    made: set[str] = set()
    other: set[str] = set()
    counted: set[int] = set()
    for n in gast.walk(node):
        t = n.targets[0] if isinstance(n, gast.Assign) and len(n.targets) == 1 else None
        if isinstance(t, gast.Name):
            ok = isinstance(n.value, (gast.List, gast.ListComp, gast.Tuple))
            (made if ok else other).add(t.id)
            counted.add(id(t))
        elif isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del, gast.Param)):
            if id(n) not in counted:
                other.add(n.id)
    return made - other


def _loop(s: Any, ns: Any, lists: set[str], serial: Any) -> list | None:
    if not isinstance(s, gast.For) or s.orelse or not isinstance(s.iter, gast.Call):
        return None
    call = s.iter
    kind = _KINDS.get(_resolve(call.func, ns))
    if kind is None or call.keywords or len(call.args) != 2:
        return None
    seq, r = call.args
    if not isinstance(seq, gast.Name) or not (isinstance(r, gast.Constant) and r.value == 2):
        return None
    t = s.target
    names = [e for e in t.elts] if isinstance(t, (gast.Tuple, gast.List)) else [t]
    if not all(isinstance(e, gast.Name) for e in names) or any(e.id == seq.id for e in names):
        return None
    if isinstance(t, (gast.Tuple, gast.List)) and len(names) != 2:
        return None
    if _breaks(s.body) or _changes(s.body, seq.id) or not _writes(s.body, {e.id for e in names}):
        return None  # (read only: lowered as before)
    n = next(serial)
    i, j = f"srcad_i{n}", f"srcad_j{n}"
    pair = gast.Tuple(elts=[_item(seq.id, i), _item(seq.id, j)], ctx=gast.Load())
    body = [gast.Assign(targets=[t], value=pair, type_comment=None), *s.body]
    if kind == "p":  # (an `if`, no `continue`: lower/listobjs.py unrolls no loop that exits)
        other = gast.Compare(left=_name(j), ops=[gast.NotEq()], comparators=[_name(i)])
        body = [gast.If(test=other, body=body, orelse=[])]
        inner_range = _call("range", [_len(seq.id)])
    else:
        start = gast.BinOp(left=_name(i), op=gast.Add(), right=gast.Constant(value=1, kind=None))
        inner_range = _call("range", [start, _len(seq.id)])
    inner = gast.For(
        target=_name(j, gast.Store()), iter=inner_range, body=body, orelse=[], type_comment=None
    )
    outer = gast.For(
        target=_name(i, gast.Store()),
        iter=_call("range", [_len(seq.id)]),
        body=[inner],
        orelse=[],
        type_comment=None,
    )
    check = gast.Expr(value=gast.Call(func=_name(CHECK), args=[_name(seq.id)], keywords=[]))
    out = [outer] if seq.id in lists else [check, outer]
    return [placed(st, s) for st in out]


def _resolve(f: Any, ns: Any) -> Any:
    if isinstance(f, gast.Name):
        kind, obj = ns.lookup(f.id)
        return obj if kind in ("global", "free") else None
    if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
        kind, mod = ns.lookup(f.value.id)
        return getattr(mod, f.attr, None) if kind in ("global", "free") else None
    return None


def _breaks(body: list) -> bool:
    """A ``break`` of this loop (not of a loop nested in it), or a ``yield``."""
    todo = list(body)
    while todo:
        n = todo.pop()
        if isinstance(n, (gast.Break, gast.Yield, gast.YieldFrom)):
            return True
        if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)):
            continue
        for c in gast.iter_child_nodes(n):
            if isinstance(c, (gast.For, gast.While)):
                todo.extend(x for x in gast.walk(c) if isinstance(x, (gast.Yield, gast.YieldFrom)))
                todo.extend(c.orelse)
            else:
                todo.append(c)
    return False


def _changes(body: list, name: str) -> bool:
    """Could `body` change the list `name` holds (or rebind the name)?"""
    for st in body:
        for n in gast.walk(st):
            if isinstance(n, gast.Name) and n.id == name:
                if not isinstance(n.ctx, gast.Load):
                    return True
            elif isinstance(n, (gast.Global, gast.Nonlocal)) and name in n.names:
                return True
            elif isinstance(n, (gast.Subscript, gast.Attribute)) and _is(n.value, name):
                if not isinstance(n.ctx, gast.Load):
                    return True  # `bodies[0] = ...`, `del bodies[0]`
            elif isinstance(n, gast.Call):
                f = n.func
                if isinstance(f, gast.Attribute) and _is(f.value, name):
                    return True  # `bodies.append(...)`, `bodies.sort()`
                if any(_is(a, name) for a in [*n.args, *(k.value for k in n.keywords)]):
                    return True  # a function given the list may change it
                if any(isinstance(a, gast.Starred) and _is(a.value, name) for a in n.args):
                    return True
            elif isinstance(n, (gast.FunctionDef, gast.Lambda)):
                return True  # (a closure over it: not followed)
    return False


def _writes(body: list, names: set[str]) -> bool:
    """Does `body` store into an item or field of one of `names` (``a[0] -= v``, ``a.v = w``,
    ``p[0][1] += v``) or call a method of one?"""
    for st in body:
        for n in gast.walk(st):
            if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
                root = n.value
                while isinstance(root, (gast.Subscript, gast.Attribute)):
                    root = root.value
                if isinstance(root, gast.Name) and root.id in names:
                    return True
            elif isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
                if isinstance(n.func.value, gast.Name) and n.func.value.id in names:
                    return True
    return False


def _is(n: Any, name: str) -> bool:
    return isinstance(n, gast.Name) and n.id == name


def _name(n: str, ctx: Any = None) -> gast.Name:
    return gast.Name(id=n, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _item(seq: str, i: str) -> gast.Subscript:
    return gast.Subscript(value=_name(seq), slice=_name(i), ctx=gast.Load())


def _call(f: str, args: list) -> gast.Call:
    return gast.Call(func=_name(f), args=args, keywords=[])


def _len(seq: str) -> gast.Call:
    return _call("len", [_name(seq)])
