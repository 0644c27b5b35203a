"""Python idioms lowered by rewriting them into code the lowering already handles.

Input: the lowerer (lower/calls.CallLowerer) and a gast node of the idiom. Output: the SSA value
it computes (calls) or the rebinding of the names it updates (statements). Each idiom is written
as the plain Python it equals, over temporaries bound in the environment (names starting with
`$`, never user names):

- ``sorted(xs, key=f, reverse=r)`` with a nested function or lambda `f`, ``max(xs, key=f)`` and
  ``min(xs, key=f)`` with any `f` (``min(a, b, ..., key=f)``: over the list ``[a, b, ...]``):
  the keys ``[f(v) for v in list(xs)]`` decide the positions
  (`_srcad.key_order` / `key_pick`, zero derivative: the order is locally constant), and the
  result is the selected elements, so derivatives flow to them only;
- ``min(xs, default=d)`` / ``max(xs, default=d)``: ``min(l) if l else d`` over ``l = list(xs)``;
- ``list(zip(...))`` / ``tuple(enumerate(...))`` / ``list(reversed(...))``: a comprehension;
- ``xs.pop()``, ``xs.pop(i)``, ``xs.insert(i, v)``, ``xs.remove(v)``, ``xs.clear()`` on a local
  known to be a list (the last two: lower/listedits.py), and
  ``d.update(...)``, ``d.setdefault(k, v)`` on a local known to be a dict: the name is rebound to
  the new value (as ``xs.append(v)`` is) and the old object is marked as updated in place, so the
  mutation check (passes/alias.py) refuses reads of other names still holding it.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import anykind, closures, listedits, partials, scope
from srcad.lower.arraymade import made_array
from srcad.lower.base import container_kind
from srcad.lower.listedits import (  # noqa: F401 (idioms.delete, dict_without: their home)
    _at,
    _fresh,
    _load,
    _mark_updated,
    _store,
    _temp,
    delete,
    dict_without,
)
from srcad.lower.values import NestedFn
from srcad.ssa.core import Const, Operand, Var

RT = "srcad.runtime."


def _listcomp(elt: Any, target: str, seq: str, like: Any) -> Any:
    gen = gast.comprehension(target=_store(target, like), iter=_load(seq, like), ifs=[], is_async=0)
    return _at(gast.ListComp(elt=elt, generators=[gen]), like)


def keyed(lw: Any, name: str, f: Any, node: gast.Call) -> Operand | None:
    """``sorted``/``max``/``min`` with ``key=`` (see the module docstring), or None when the call
    is not one this handles (the caller lowers it as before)."""
    if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    if len(node.args) > 1 and name == "sorted":
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
    nested = (
        isinstance(key_node, gast.Lambda)
        or (isinstance(key_node, gast.Name) and isinstance(lw.env.get(key_node.id), NestedFn))
        or partials.is_getter_call(lw, key_node)  # key=itemgetter(1): lower/partials.Getter
    )
    method = _bound_get(lw, key_node)  # `key=d.get`: the receiver, called as `d.get(e)`
    if name == "sorted" and not nested and method is None:
        return None  # a module-level key: the `sorted` rules call it themselves
    key = lw.expr(key_node) if method is None else method
    reverse = lw.value(kws["reverse"]) if "reverse" in kws else Const(False)
    if len(node.args) > 1:  # ``min(a, b, key=f)`` is ``min([a, b], key=f)``
        lst = lw.op("list", [lw.value(a) for a in node.args], hint="items")
    else:
        lst = lw.op("builtins.list", [lw.value(node.args[0])], hint="items")
    fname, lname, ename = _temp(lw), _temp(lw), _temp(lw)
    lw.env[fname], lw.env[lname] = key, lst
    callee = _load(fname, node)
    if method is not None and key_node.attr == "get":
        callee = _at(gast.Attribute(value=callee, attr="get", ctx=gast.Load()), key_node)
    call = _at(gast.Call(func=callee, args=[_load(ename, node)], keywords=[]), node)
    if method is not None and key_node.attr == "__getitem__":  # `d[e]`
        call = _at(gast.Subscript(value=callee, slice=_load(ename, node), ctx=gast.Load()), node)
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


def _bound_get(lw: Any, key_node: Any) -> Operand | None:
    """The receiver of ``key=d.get`` / ``key=d.__getitem__`` of a local value `d` (Python binds
    the method to `d`'s object when the call starts: its value now), else None."""
    if not isinstance(key_node, gast.Attribute) or key_node.attr not in ("get", "__getitem__"):
        return None
    if not (isinstance(key_node.value, gast.Name) and key_node.value.id in lw.env):
        return None
    recv = lw.env[key_node.value.id]
    return recv if isinstance(recv, Var) else None


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


def strict_only(call: gast.Call) -> bool:
    """``zip(..., strict=<constant>)``: its only keyword is the one iterzip.zip_space lowers."""
    if getattr(call.func, "id", None) != "zip" or [kw.arg for kw in call.keywords] != ["strict"]:
        return False
    return isinstance(call.keywords[0].value, gast.Constant)


def listed_iterator(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """``list(zip(...))``, ``tuple(enumerate(...))``, ``list(reversed(...))``: the comprehension
    ``[t for t in zip(...)]`` they equal (iterating them is lowered element by element)."""
    if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], gast.Call):
        return None
    if node.args[0].keywords and not strict_only(node.args[0]):
        return None  # (zip's strict=: iterzip.zip_space checks the lengths)
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


def index_once(lw: Any, node: Any) -> tuple[Any, list[str]]:
    """`node` (``xs[i][f(j)]``, the receiver of ``.append(v)`` or the target of ``op=``) with each
    index that is not a constant evaluated now into a temporary (the names returned): Python
    evaluates it once, before the right side (which may rebind a name through ``nonlocal``), and
    the write must name the element that was read."""
    if not isinstance(node, gast.Subscript):
        return node, []
    inner, temps = index_once(lw, node.value)

    def once(e: Any) -> Any:  # (a name too: the right side may rebind it, `nonlocal i`)
        if e is None or isinstance(e, gast.Constant):
            return e
        if isinstance(e, gast.Slice):  # `y[f():g()]`: its bounds
            parts = [once(e.lower), once(e.upper), once(e.step)]
            return _at(gast.Slice(lower=parts[0], upper=parts[1], step=parts[2]), e)
        if isinstance(e, gast.Tuple) and any(isinstance(t, gast.Slice) for t in e.elts):
            return _at(gast.Tuple(elts=[once(t) for t in e.elts], ctx=gast.Load()), e)
        name = _temp(lw)
        lw.env[name] = lw.value(e)
        temps.append(name)
        return _load(name, e)

    sl = once(node.slice)
    if inner is node.value and sl is node.slice:
        return node, temps
    return _at(gast.Subscript(value=inner, slice=sl, ctx=node.ctx), node), temps


# -- methods that update their receiver -----------------------------------------------------------
LIST_UPDATES = frozenset(
    {"pop", "insert", "update", "setdefault", "sort", "reverse", "remove", "clear"}
)


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
    name = func.attr
    old = lw.value(recv)
    kind = container_kind(lw, old)
    if name == "sort":
        return _sort(lw, node, recv, old, kind)
    if kind is None:  # an argument, a helper's result: checked when it runs
        return anykind.update(lw, node, recv, old, update_as)
    if kind not in _METHODS_OF or name not in _METHODS_OF[kind]:
        return False, None  # not a method of its kind: refused as before
    return update_as(lw, node, recv, old, kind, None)


def update_as(
    lw: Any, node: gast.Call, recv: gast.Name, old: Operand, kind: str, args: list | None
) -> tuple[bool, Operand | None]:
    """`updating_method` of `recv` (bound to `old`) as a `kind` ("list"/"dict") method; `args`:
    the call's arguments already lowered, or None (lowered here)."""
    name, nargs = node.func.attr, len(node.args)
    if name == "pop" and kind == "dict" and nargs in (1, 2) and not node.keywords:
        args = [lw.value(a) for a in node.args] if args is None else args
        lw.at(node)
        if nargs == 1:
            item = lw.op("getitem", [old, args[0]])  # KeyError here, as Python's
        else:
            item = lw.op("method.get", [old, args[0], args[1]])
        new = dict_without(lw, old, args[0], node)
        _mark_updated(lw, old, name, new)
        lw.assign_to(recv, new)
        return True, item
    if name == "update" and nargs <= 1:
        if nargs and not _dict_display(node.args[0]):
            return _update_from(lw, node, recv, old)
        pairs = [(Const(kw.arg), lw.value(kw.value)) for kw in node.keywords]
        if nargs:
            src = node.args[0]
            pairs = [(lw.value(k), lw.value(v)) for k, v in zip(src.keys, src.values)] + pairs
        lw.at(node)
        new = old
        for k, v in pairs:
            new = lw.op("setitem", [new, k, v], hint=recv.id)
        lw.assign_to(recv, new)
        return True, Const(None)
    if node.keywords:
        return False, None
    args = [lw.value(a) for a in node.args] if args is None else args
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
    elif name == "reverse" and nargs == 0:
        item = Const(None)
        new = _fresh(lw, [lw.op("getitem", [old, Const(slice(None, None, -1))])])
    elif name == "insert" and nargs == 2:
        item = Const(None)
        pre = lw.op("getitem", [old, lw.op("slice", [Const(None), args[0], Const(None)])])
        post = lw.op("getitem", [old, lw.op("slice", [args[0], Const(None), Const(None)])])
        new = _fresh(lw, [pre, lw.op("list", [args[1]]), post])
    elif name in ("remove", "clear"):  # lower/listedits.py
        item = Const(None)
        new = listedits.remove_or_clear(lw, name, old, kind, args)
        if new is None:
            return False, None
    else:
        return False, None
    _mark_updated(lw, old, name, new)
    lw.assign_to(recv, new)
    return True, item


def _dict_display(node: Any) -> bool:
    """``{"k": v, ...}`` without ``**`` entries: its keys and values known one by one."""
    return isinstance(node, gast.Dict) and all(k is not None for k in node.keys)


def _update_from(
    lw: Any, node: gast.Call, recv: gast.Name, old: Operand
) -> tuple[bool, Operand | None]:
    """``d.update(other, k=v)`` of a dict `d`, `other` no dict display (a dict, pairs): `d`
    rebound to ``d | dict(other)`` then each keyword's entry, the old object marked as updated
    (another name of it sees the change in Python: the mutation check refuses reading it)."""
    src = lw.value(node.args[0])  # (Python's order: the positional argument, then keywords)
    pairs = [(Const(kw.arg), lw.value(kw.value)) for kw in node.keywords]
    lw.at(node)
    new = lw.op("bitor", [old, lw.op("builtins.dict", [src])], hint=recv.id)
    for k, v in pairs:
        new = lw.op("setitem", [new, k, v], hint=recv.id)
    _mark_updated(lw, old, "update", new)
    lw.assign_to(recv, new)
    return True, Const(None)


_METHODS_OF = {
    "list": ("pop", "insert", "reverse", "remove", "clear"),
    "dict": ("pop", "update", "setdefault", "clear"),
}


def _sort(lw: Any, node: gast.Call, recv: gast.Name, old: Operand, kind: str | None) -> tuple:
    """``xs.sort(...)``: ``xs = sorted(xs, ...)`` on a list; on a value of unknown kind (no
    arguments) ``sorted(xs) if isinstance(xs, list) else np.sort(xs)`` (an array's ``.sort()``
    sorts along the last axis, as ``np.sort``); with an array's arguments (`axis`, `kind`,
    `order`, `stable`: ``u.sort(axis=0)``) ``np.sort(xs, ...)`` (a list raises TypeError, as
    Python's); the old object is marked as updated."""
    if kind is None and (node.args or node.keywords):
        return _sort_array_args(lw, node, recv, old)
    if node.args or kind == "dict":
        return False, None
    if any(kw.arg not in ("key", "reverse") for kw in node.keywords):
        return False, None
    lw.at(node)
    if node.keywords:
        tmp = _temp(lw)
        lw.env[tmp] = old
        call = _at(gast.Call(func=_load("sorted", node), args=[_load(tmp, node)],
                             keywords=node.keywords), node)  # fmt: skip
        if "sorted" in lw.env or lw.ns.lookup("sorted")[1] is not sorted:
            del lw.env[tmp]
            return False, None
        new = lw.value(call)
        del lw.env[tmp]
        if isinstance(new, Var) and new.hint == "acc":  # (errors name the list, not `acc`)
            new.hint = recv.id
    elif kind == "list":
        new = lw.op("sorted", [old])
    elif made_array(lw, old):  # (`u = np.array(x); u.sort()`: lower/arraymade.py)
        new = lw.op("numpy.sort", [old])
    else:
        tmp = _temp(lw)
        is_list = lw.op("isinstance", [old, Const(list)])

        def as_list() -> None:  # sorted() of a list of its own: the mutation check sees a list
            lw.env[tmp] = lw.op("sorted", [_fresh(lw, [old])])

        def as_array() -> None:
            lw.env[tmp] = lw.op("numpy.sort", [old])

        lw.branch(is_list, as_list, as_array, node)
        new = lw.env.pop(tmp)
    _mark_updated(lw, old, "sort", new)
    lw.assign_to(recv, new)
    return True, Const(None)


def _sort_array_args(lw: Any, node: gast.Call, recv: gast.Name, old: Operand) -> tuple:
    """``u.sort(axis=0, kind=...)`` on a value of unknown kind: ``np.sort(u, ...)`` for an array,
    Python's TypeError for a list."""
    if len(node.args) > 3 or any(kw.arg not in ("axis", "kind", "order", "stable")
                                 for kw in node.keywords):  # fmt: skip
        return False, None
    args = [lw.value(a) for a in node.args]
    kwargs = {kw.arg: lw.value(kw.value) for kw in node.keywords}
    lw.at(node)
    if made_array(lw, old):  # (`u = np.array(x); u.sort(axis=0)`: lower/arraymade.py)
        new = lw.op("numpy.sort", [old, *args], dict(kwargs))
        _mark_updated(lw, old, "sort", new)
        lw.assign_to(recv, new)
        return True, Const(None)
    tmp = _temp(lw)
    is_list = lw.op("isinstance", [old, Const(list)])

    def as_list() -> None:  # list.sort takes no positional arguments, no axis
        err = TypeError("list.sort() takes only the keyword arguments key and reverse")
        lw.op("srcad.runtime.raise_", [Const(err)])
        lw.env[tmp] = _fresh(lw, [old])

    def as_array() -> None:
        lw.env[tmp] = lw.op("numpy.sort", [old, *args], dict(kwargs))

    lw.branch(is_list, as_list, as_array, node)
    new = lw.env.pop(tmp)
    _mark_updated(lw, old, "sort", new)
    lw.assign_to(recv, new)
    return True, Const(None)


def replace_fields(lw: Any, recv: Operand, node: gast.Call, how: str) -> Operand:
    """``p._replace(a=v)`` (a namedtuple) / ``dataclasses.replace(p, a=v)`` (a dataclass): the
    record with those fields replaced, `_srcad.record_replace` (its derivative follows the
    fields; another receiver is refused when it runs)."""
    _, kwargs = lw.call_args(gast.Call(func=node.func, args=[], keywords=node.keywords))
    lw.at(node)
    vals = lw.op("tuple", list(kwargs.values()))
    return lw.op("srcad.runtime.record_replace", [recv, Const(how), Const(tuple(kwargs)), vals])


_MUTATING = frozenset({"append", "extend", "pop", "popitem", "insert", "update", "setdefault",
                       "sort", "reverse", "clear", "remove", "fill", "discard", "add"})  # fmt: skip


def items_snapshot(lw: Any, s: gast.For) -> bool:
    """``for k, v in d.items():`` whose body writes no object but the current entry ``d[k]``
    (``d[k] = ...``, ``d[k] += ...``; `d` read only by subscripts, `k` not rebound, no mutating
    method, no nested function writing an enclosing variable): iterating a snapshot of the items
    is exact there (each `v` is read before its entry is written; Python raises if the keys
    change). Any other write to `d`, or to an object that may share with it, keeps the items a
    view of `d` (then a read after a write is refused)."""
    it, t = s.iter, s.target
    if not (
        isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute)
        and it.func.attr == "items" and not it.args and not it.keywords
        and isinstance(it.func.value, gast.Name)
        and isinstance(t, gast.Tuple) and len(t.elts) == 2
        and all(isinstance(e, gast.Name) for e in t.elts)
    ):  # fmt: skip
        return False
    d, k = it.func.value.id, t.elts[0].id
    if k == d or t.elts[1].id == d or closures.carried_writes(lw, s.body):
        return False
    nodes = [n for stmt in s.body for n in scope.walk(stmt)]
    subscript_values = {id(n.value) for n in nodes if isinstance(n, gast.Subscript)}
    for n in nodes:
        if isinstance(n, gast.Name) and n.id == d and id(n) not in subscript_values:
            return False  # `d` itself used (passed, rebound, aliased, a method called)
        if isinstance(n, gast.Name) and n.id == k and not isinstance(n.ctx, gast.Load):
            return False
        if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
            if not stores_entry(n, d, k):
                return False
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            if n.func.attr in _MUTATING:
                return False
        if isinstance(n, (gast.FunctionDef, gast.Lambda, gast.ClassDef, gast.Global)):
            return False
    return True


def stores_entry(n: Any, d: str, k: str) -> bool:
    """Is the node `n` the target ``d[k]`` of a store (``d[k] = ...``, ``d[k] += ...``)?"""
    return (
        isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store)
        and isinstance(n.value, gast.Name) and n.value.id == d
        and isinstance(n.slice, gast.Name) and n.slice.id == k
    )  # fmt: skip
