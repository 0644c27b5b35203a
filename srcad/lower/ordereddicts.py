"""A local ``collections.OrderedDict`` used as an LRU cache, rewritten as a plain dict.

Input: the function's gast tree and its `Namespace` (lower/lower.py runs this before the name
analyses when the function's source names ``OrderedDict``). Output: whether the tree changed (in
place).

A local name `d` bound only to ``OrderedDict()`` becomes a dict, which keeps its keys in
insertion order as an OrderedDict does; built from pairs or keywords, the dict ``dict`` builds
of them holds the same keys in the same order (a repeated key keeps its first place, its last
value, for both):

    d = OrderedDict()                 ->  d = {}
    d = OrderedDict([(k, v), ...])    ->  d = dict([(k, v), ...])     (one argument, keywords)
    d.move_to_end(k)                  ->  d[k] = d.pop(k)           (`k` a name or constant)
    d.move_to_end(k, last=False)      ->  v = d.pop(k); r = list(d); d[k] = v
                                          for j in r: d[j] = d.pop(j)   (`k` first, the rest after)
    d.popitem(last=False)             ->  if not d: raise KeyError("dictionary is empty")
                                          srcad_odk = next(iter(d)); del d[srcad_odk]
    k, v = d.popitem(last=False)      ->  (the check) srcad_odk = next(iter(d))
                                          k, v = (srcad_odk, d.pop(srcad_odk))
    d.popitem() / d.popitem(last=True): the same with ``list(d)[-1]``, the newest key

(the temporary is named after the statement's position). The dict then holds the same keys in
the same order, and each popped pair is Python's. Only when every other use of `d` reads or
updates it as a dict does the same: an item read, write or ``del``, ``in``, ``len``/``list``/
``tuple``/``sorted`` of it, a ``for`` or comprehension over it, its truth value, and its
``get``/``keys``/``values``/``items``/``pop``/``setdefault`` methods; not in a nested function.
Anything else (``d == e``, whose answer depends on the order for an OrderedDict; returned or
passed on; a ``move_to_end``/``popitem`` in a ``for`` loop over `d` itself, where Python raises
'OrderedDict mutated during iteration' or not by the key and step) leaves the tree as it is
(refused as before).
"""

from __future__ import annotations

import builtins
import collections
from typing import Any

import gast

from srcad.lower.deques import (
    _call,
    _flat,
    _name,
    each_statement,
    iteration_positions,
    used_only_at,
)
from srcad.lower.placed import placed
from srcad.lower.withs import _resolve

_READERS = ("len", "list", "tuple", "sorted")
_METHODS = frozenset({"get", "keys", "values", "items", "pop", "setdefault"})
_BUILTINS = ("next", "iter", "list", "KeyError", "dict")  # (the rewrite's names: Python's)


def rewrite(tree: Any, ns: Any) -> bool:
    """Rewrite the OrderedDicts of the module docstring in `tree` (in place); True when one was."""
    made: dict[str, bool] = {}
    for node in _flat(tree):
        for t in node.targets if isinstance(node, gast.Assign) else []:
            if isinstance(t, gast.Name):
                made[t.id] = made.get(t.id, True) and _is_new(node, ns)
    names = {
        n for n, ok in made.items()
        if ok and _only_dictlike(tree, n, ns) and not _reordered_in_loop(tree, n)
    }  # fmt: skip
    if not names or any(_resolve(_name(b), ns) is not getattr(builtins, b) for b in _BUILTINS):
        return False
    if any(
        isinstance(n, gast.Name) and n.id in _BUILTINS and not isinstance(n.ctx, gast.Load)
        for n in gast.walk(tree)
    ):
        return False  # (a local `iter = ...`)
    each_statement(tree, lambda s: _stmt(s, names, ns))
    return True


def _reordered_in_loop(tree: Any, name: str) -> bool:
    """Is ``name.move_to_end(..)``/``name.popitem(..)`` called in a ``for`` loop over `name`
    itself? Python raises 'OrderedDict mutated during iteration' there or not depending on the
    key and the step; the dict would iterate a copy of the keys: left as it is (refused)."""
    for loop in gast.walk(tree):
        if type(loop) is not gast.For or type(loop.iter) is not gast.Name or loop.iter.id != name:
            continue
        for n in (n for st in loop.body for n in gast.walk(st)):
            f = n.func if type(n) is gast.Call else None
            if type(f) is gast.Attribute and f.attr in ("move_to_end", "popitem"):
                if type(f.value) is gast.Name and f.value.id == name:
                    return True
    return False


def _is_new(node: gast.Assign, ns: Any) -> bool:
    v = node.value
    return (
        len(node.targets) == 1
        and isinstance(v, gast.Call)
        and len(v.args) <= 1
        and not any(isinstance(a, gast.Starred) for a in v.args)
        and all(k.arg is not None for k in v.keywords)
        and _resolve(v.func, ns) is collections.OrderedDict
    )


def _only_dictlike(tree: Any, name: str, ns: Any) -> bool:
    allowed: set[int] = set()
    for node in _flat(tree):
        if isinstance(node, gast.Assign) and _is_new(node, ns):
            allowed.add(id(node.targets[0]))
        recv = _update(node)
        if recv is not None:
            allowed.add(id(recv[0]))
        if isinstance(node, gast.Subscript) and not isinstance(node.slice, gast.Slice):
            allowed.add(id(node.value))  # (load, store, del)
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute):
            if node.func.attr in _METHODS:
                allowed.add(id(node.func.value))
        if isinstance(node, gast.Call) and len(node.args) == 1 and not node.keywords:
            f = node.func
            if isinstance(f, gast.Name) and f.id in _READERS:
                if _resolve(f, ns) is getattr(builtins, f.id):
                    allowed.add(id(node.args[0]))
        iteration_positions(node, allowed)
    return used_only_at(tree, name, allowed)


def _update(node: Any) -> tuple[Any, str, bool] | None:
    """(the receiver, the method, `last`) of ``d.move_to_end(k)`` (a statement, `k` a name or
    constant) or ``d.popitem([last])`` (a statement, or the value of an assignment to one
    target), else None."""
    call = node.value if isinstance(node, (gast.Expr, gast.Assign)) else None
    if not isinstance(call, gast.Call) or not isinstance(call.func, gast.Attribute):
        return None
    f = call.func
    if not isinstance(f.value, gast.Name) or f.attr not in ("move_to_end", "popitem"):
        return None
    given = list(call.args[1:] if f.attr == "move_to_end" else call.args)
    given += [k.value for k in call.keywords if k.arg == "last"]
    if any(k.arg != "last" for k in call.keywords) or len(given) > 1:
        return None
    if given and not (isinstance(given[0], gast.Constant) and type(given[0].value) is bool):
        return None
    last = given[0].value if given else True
    if f.attr == "move_to_end":
        ok = isinstance(node, gast.Expr) and len(call.args) == 1
        key = call.args[0] if call.args else None
        return (
            (f.value, f.attr, last) if ok and isinstance(key, (gast.Name, gast.Constant)) else None
        )
    if isinstance(node, gast.Assign) and len(node.targets) != 1:
        return None
    return f.value, f.attr, last


def _stmt(s: Any, names: set[str], ns: Any) -> list:
    if isinstance(s, gast.Assign) and _is_new(s, ns) and s.targets[0].id in names:
        v = s.value
        made = gast.Call(func=_name("dict"), args=v.args, keywords=v.keywords)
        s.value = placed(made if v.args or v.keywords else gast.Dict(keys=[], values=[]), v)
        return [s]
    found = _update(s)
    if found is None or found[0].id not in names:
        return [s]
    recv, method, last = found
    d = recv.id
    call = s.value
    if method == "move_to_end":
        key = call.args[0]
        pop = _call(gast.Attribute(value=_name(d), attr="pop", ctx=gast.Load()), [key])
        if not last:  # to the front: `k` last, then each other key moved behind it in order
            v, r, k = (f"srcad_od{c}{s.lineno}_{s.col_offset}" for c in "vrk")
            again = _call(gast.Attribute(value=_name(d), attr="pop", ctx=gast.Load()), [_name(k)])
            out = [
                gast.Assign(targets=[_store(v)], value=pop, type_comment=None),
                gast.Assign(
                    targets=[_store(r)], value=_call(_name("list"), [_name(d)]), type_comment=None
                ),
                gast.Assign(targets=[_item(d, key)], value=_name(v), type_comment=None),
                gast.For(
                    target=_store(k),
                    iter=_name(r),
                    orelse=[],
                    type_comment=None,
                    body=[
                        gast.Assign(targets=[_item(d, _name(k))], value=again, type_comment=None)
                    ],
                ),
            ]
            return [placed(n, s) for n in out]
        store = gast.Subscript(value=_name(d), slice=key, ctx=gast.Store())
        return [placed(gast.Assign(targets=[store], value=pop, type_comment=None), s)]
    tmp = f"srcad_odk{s.lineno}_{s.col_offset}"
    empty = gast.If(
        test=gast.UnaryOp(op=gast.Not(), operand=_name(d)),
        body=[gast.Raise(exc=_call(_name("KeyError"), [_str("dictionary is empty")]), cause=None)],
        orelse=[],
    )
    if last:
        newest = gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=1, kind=None))
        key = gast.Subscript(value=_call(_name("list"), [_name(d)]), slice=newest, ctx=gast.Load())
    else:
        key = _call(_name("next"), [_call(_name("iter"), [_name(d)])])
    out = [empty, gast.Assign(targets=[_store(tmp)], value=key, type_comment=None)]
    if isinstance(s, gast.Expr):
        gone = gast.Subscript(value=_name(d), slice=_name(tmp), ctx=gast.Del())
        out.append(gast.Delete(targets=[gone]))
    else:
        pop = _call(gast.Attribute(value=_name(d), attr="pop", ctx=gast.Load()), [_name(tmp)])
        pair = gast.Tuple(elts=[_name(tmp), pop], ctx=gast.Load())
        out.append(gast.Assign(targets=s.targets, value=pair, type_comment=None))
    return [placed(n, s) for n in out]


def _item(d: str, key: Any) -> gast.Subscript:
    return gast.Subscript(value=_name(d), slice=key, ctx=gast.Store())


def _store(n: str) -> gast.Name:
    return gast.Name(id=n, ctx=gast.Store(), annotation=None, type_comment=None)


def _str(text: str) -> gast.Constant:
    return gast.Constant(value=text, kind=None)
