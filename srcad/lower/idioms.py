"""Python idioms lowered by rewriting them into code the lowering already handles.

Input: the lowerer (lower/calls.CallLowerer) and a gast node of the idiom. Output: the SSA value
it computes (calls) or the rebinding of the names it updates (statements). Each idiom is written
as the plain Python it equals, over temporaries bound in the environment (names starting with
`$`, never user names):

- ``sorted(xs, key=f, reverse=r)`` with a nested function or lambda `f`, ``max(xs, key=f)`` and
  ``min(xs, key=f)`` with any `f`: the keys ``[f(v) for v in list(xs)]`` decide the positions
  (`_srcad.key_order` / `key_pick`, zero derivative: the order is locally constant), and the
  result is the selected elements, so derivatives flow to them only;
- ``min(xs, default=d)`` / ``max(xs, default=d)``: ``min(l) if l else d`` over ``l = list(xs)``;
- ``list(zip(...))`` / ``tuple(enumerate(...))`` / ``list(reversed(...))``: a comprehension;
- ``xs.pop()``, ``xs.pop(i)``, ``xs.insert(i, v)`` on a local known to be a list, and
  ``d.update(...)``, ``d.setdefault(k, v)`` on a local known to be a dict: the name is rebound to
  the new value (as ``xs.append(v)`` is) and the old object is marked as updated in place, so the
  mutation check (passes/alias.py) refuses reads of other names still holding it.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.values import NestedFn
from srcad.ssa.core import Const, Operand

RT = "srcad.runtime."


def _at(node: Any, like: Any) -> Any:
    for k in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
        if hasattr(like, k):
            setattr(node, k, getattr(like, k))
    return node


def _temp(lw: Any) -> str:
    n = getattr(lw, "_idiom_n", 0) + 1
    lw._idiom_n = n
    return f"$idiom{n}"


def _load(name: str, like: Any) -> gast.Name:
    return _at(gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), like)


def _store(name: str, like: Any) -> gast.Name:
    return _at(gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None), like)


def _listcomp(elt: Any, target: str, seq: str, like: Any) -> Any:
    gen = gast.comprehension(target=_store(target, like), iter=_load(seq, like), ifs=[], is_async=0)
    return _at(gast.ListComp(elt=elt, generators=[gen]), like)


def keyed(lw: Any, name: str, f: Any, node: gast.Call) -> Operand | None:
    """``sorted``/``max``/``min`` with ``key=`` (see the module docstring), or None when the call
    is not one this handles (the caller lowers it as before)."""
    if len(node.args) != 1 or isinstance(node.args[0], gast.Starred):
        return None
    kws = {kw.arg: kw.value for kw in node.keywords}
    if None in kws or "key" not in kws:
        return None
    allowed = {"key", "reverse"} if name == "sorted" else {"key"}
    if set(kws) - allowed:
        return None
    key_node = kws["key"]
    if isinstance(key_node, gast.Constant) and key_node.value is None:
        return None
    nested = isinstance(key_node, gast.Lambda) or (
        isinstance(key_node, gast.Name) and isinstance(lw.env.get(key_node.id), NestedFn)
    )
    if name == "sorted" and not nested:
        return None  # a module-level key: the `sorted` rules call it themselves
    key = lw.expr(key_node)
    reverse = lw.value(kws["reverse"]) if "reverse" in kws else Const(False)
    lst = lw.op("builtins.list", [lw.value(node.args[0])], hint="items")
    fname, lname, ename = _temp(lw), _temp(lw), _temp(lw)
    lw.env[fname], lw.env[lname] = key, lst
    call = _at(gast.Call(func=_load(fname, node), args=[_load(ename, node)], keywords=[]), node)
    keys = lw.expr(_listcomp(call, ename, lname, node))
    lw.at(node)
    if name != "sorted":
        pick = lw.op(RT + "key_pick", [keys, Const(name == "max")], hint="pos")
        out = lw.op("getitem", [lst, pick])
    else:
        oname, iname = _temp(lw), _temp(lw)
        lw.env[oname] = lw.op(RT + "key_order", [keys, reverse], hint="order")
        sub = _at(
            gast.Subscript(value=_load(lname, node), slice=_load(iname, node), ctx=gast.Load()),
            node,
        )
        out = lw.expr(_listcomp(sub, iname, oname, node))
        del lw.env[oname]
    del lw.env[fname], lw.env[lname]
    return out


def with_default(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """``min(xs, default=d)`` / ``max(xs, default=d)`` (no key): ``m(l) if l else d``."""
    if len(node.args) != 1 or isinstance(node.args[0], gast.Starred):
        return None
    kws = {kw.arg: kw.value for kw in node.keywords}
    if set(kws) != {"default"}:
        return None
    lname, fname = _temp(lw), _temp(lw)
    lw.env[lname] = lw.op("builtins.list", [lw.value(node.args[0])], hint="items")
    lw.env[fname] = f
    m = _at(gast.Call(func=_load(fname, node), args=[_load(lname, node)], keywords=[]), node)
    out = lw.expr(_at(gast.IfExp(test=_load(lname, node), body=m, orelse=kws["default"]), node))
    del lw.env[lname], lw.env[fname]
    return out


def listed_iterator(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """``list(zip(...))``, ``tuple(enumerate(...))``, ``list(reversed(...))``: the comprehension
    ``[t for t in zip(...)]`` they equal (iterating them is lowered element by element)."""
    if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], gast.Call):
        return None
    if node.args[0].keywords:
        return None
    inner = node.args[0].func
    if not isinstance(inner, gast.Name) or inner.id in lw.env or inner.id in lw.py_locals:
        return None
    g = lw.expr(inner)
    if getattr(g, "name", None) not in ("zip", "enumerate", "reversed"):
        return None
    tname = _temp(lw)
    gen = gast.comprehension(target=_store(tname, node), iter=node.args[0], ifs=[], is_async=0)
    out = lw.expr(_at(gast.ListComp(elt=_load(tname, node), generators=[gen]), node))
    if f.name == "builtins.tuple":
        lw.at(node)
        out = lw.op("builtins.tuple", [out])
    return out


# -- methods that update their receiver -----------------------------------------------------------
LIST_UPDATES = frozenset({"pop", "insert", "update", "setdefault"})


def _kind(lw: Any, v: Operand, scopes: tuple | None = None) -> str | None:
    """Kind of `v`: "list" or "dict" when the ops that made it (in the current block, through
    `if` joins and updates) say so; None when unknown (an argument, a loop carry, a result).
    `scopes`: the op lists to search, innermost first."""
    scopes = (lw.b.block.ops,) if scopes is None else scopes
    ops, outer = scopes[0], scopes[1:]
    for k, op in enumerate(reversed(ops)):
        if v not in op.results:
            continue
        here = (ops[: len(ops) - k - 1], *outer)
        if op.prim in ("dict", "builtins.dict"):
            return "dict"
        if op.prim in ("list", "list_append", "builtins.list"):
            return "list"
        if op.prim in ("setitem", "srcad.runtime.concat") and op.args:
            return _kind(lw, op.args[0], here)
        if op.prim == "if" and len(op.blocks) == 2:
            i = op.results.index(v)
            got = {_kind(lw, b.yields[i], (b.ops, *here)) for b in op.blocks}
            return got.pop() if len(got) == 1 else None
        return None
    return _kind(lw, v, outer) if outer else None


def _mark_updated(lw: Any, old: Operand, method: str) -> None:
    """A dead copy of the receiver, marked as updating it in place (`Function.augmented`): the
    mutation check sees the old object change, so names, views and containers still holding it
    may not be read afterwards (Python would see the change); the new value is a fresh object."""
    lw.op("method.copy", [old], hint="old")
    lw.b.block.ops[-1].params["method"] = method
    lw.augmented.append(lw.b.block.ops[-1])


def _fresh(lw: Any, parts: list[Operand]) -> Operand:
    """The concatenation of list `parts` as a new list (not a view of any of them)."""
    out = lw.op("list", [])  # concat holds the elements of a slice, never the list sliced
    for p in parts:
        out = lw.op("srcad.runtime.concat", [out, p])
    return lw.op("builtins.list", [out])  # a list of its own (the mutation check: a box)


def updating_method(lw: Any, node: gast.Call) -> tuple[bool, Operand | None]:
    """``xs.pop()``, ``xs.pop(i)``, ``xs.insert(i, v)``, ``d.update(...)``, ``d.setdefault(k, v)``,
    ``d.pop(k)`` on a local variable: the variable is rebound to the new list/dict (as
    ``xs.append(v)`` is). Returns (handled, the call's value)."""
    func = node.func
    if not isinstance(func, gast.Attribute) or func.attr not in LIST_UPDATES:
        return False, None
    recv = func.value
    if not isinstance(recv, gast.Name) or recv.id not in lw.py_locals or recv.id not in lw.env:
        return False, None
    if any(isinstance(a, gast.Starred) for a in node.args) or any(
        kw.arg is None for kw in node.keywords
    ):
        return False, None
    name, nargs = func.attr, len(node.args)
    old = lw.value(recv)
    kind = _kind(lw, old)
    if kind is None or (kind == "list") != (name in ("pop", "insert")):
        return False, None  # not known to be a list/dict here: refused as before
    if name == "update" and nargs <= 1:
        pairs = [(Const(kw.arg), lw.value(kw.value)) for kw in node.keywords]
        if nargs:
            src = node.args[0]
            if not isinstance(src, gast.Dict) or any(k is None for k in src.keys):
                return False, None
            pairs = [(lw.value(k), lw.value(v)) for k, v in zip(src.keys, src.values)] + pairs
        lw.at(node)
        new = old
        for k, v in pairs:
            new = lw.op("setitem", [new, k, v], hint=recv.id)
        lw.assign_to(recv, new)
        return True, Const(None)
    if node.keywords:
        return False, None
    args = [lw.value(a) for a in node.args]
    lw.at(node)
    if name == "setdefault" and nargs in (1, 2):
        k, v = args[0], args[1] if nargs == 2 else Const(None)
        kname, vname = _temp(lw), _temp(lw)
        lw.env[kname], lw.env[vname] = k, v
        target = _at(gast.Subscript(value=_load(recv.id, node), slice=_load(kname, node),
                                    ctx=gast.Store()), node)  # fmt: skip
        test = _at(gast.Compare(left=_load(kname, node), ops=[gast.NotIn()],
                                comparators=[_load(recv.id, node)]), node)  # fmt: skip
        assign = _at(
            gast.Assign(targets=[target], value=_load(vname, node), type_comment=None), node
        )
        lw.stmts([_at(gast.If(test=test, body=[assign], orelse=[]), node)], {recv.id})
        lw.at(node)
        out = lw.op("getitem", [lw.value(recv), k])
        del lw.env[kname], lw.env[vname]
        return True, out
    if name == "pop" and nargs == 0:
        item = lw.op("getitem", [old, Const(-1)])
        new = _fresh(lw, [lw.op("getitem", [old, Const(slice(None, -1))])])
    elif name == "pop" and nargs == 1:
        item = lw.op("getitem", [old, args[0]])  # IndexError here, as Python's
        j = lw.op("mod", [args[0], lw.op("len", [old])])
        pre = lw.op("getitem", [old, lw.op("slice", [Const(None), j, Const(None)])])
        j1 = lw.op("add", [j, Const(1)])
        post = lw.op("getitem", [old, lw.op("slice", [j1, Const(None), Const(None)])])
        new = _fresh(lw, [pre, post])
    elif name == "insert" and nargs == 2:
        item = Const(None)
        pre = lw.op("getitem", [old, lw.op("slice", [Const(None), args[0], Const(None)])])
        post = lw.op("getitem", [old, lw.op("slice", [args[0], Const(None), Const(None)])])
        new = _fresh(lw, [pre, lw.op("list", [args[1]]), post])
    else:
        return False, None
    _mark_updated(lw, old, name)
    lw.assign_to(recv, new)
    return True, item
