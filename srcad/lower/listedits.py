"""Edits of local lists and dicts that remove entries, as new values the name is rebound to.

Input: a statement or call on a local variable `lowering/base.container_kind` shows to be a
list or dict. Output: the name rebound to a new list/dict, the old object marked as updated in
place (`_mark_updated`: the mutation check refuses reading it through another name
afterwards, as Python would see the change):

- ``del xs[i]`` / ``del d[k]`` (an IndexError/KeyError where Python raises one; of a value of
  unknown kind, an argument: lower/anykind.py), ``del xs[a:b]``
  (no step): ``xs[:a] + xs[a:][len(xs[a:b]):]``, exactly the entries Python keeps, also for
  negative or crossed bounds;
- ``xs.remove(v)``: ``xs.pop(xs.index(v))`` (ValueError where Python raises it; the index has no
  derivative, the entries keep theirs);
- ``xs.clear()`` / ``d.clear()``: a new empty list/dict.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import anykind
from srcad.lower.base import container_kind
from srcad.ssa.core import Const, Operand, Var

WITHOUT_KEY = "without_key"  # (on ``dict_without``'s dict: the constant keys it lacks, a tuple)


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


def _mark_updated(lw: Any, old: Operand, method: str, new: Operand) -> None:
    """A dead copy of the receiver, marked as updating it in place (`Function.augmented`): the
    mutation check sees the old object change, so names, views and containers still holding it
    may not be read afterwards (Python would see the change). The name's new value `new` (its
    keyword `rebound`) is a fresh object in srcad but the same object in Python: the check
    takes it to be the old one too, so a later write through another name holding the old
    object (``b = [a]; a.reverse(); b[0][0] = v``) makes reading `new` a hazard."""
    lw.op("method.copy", [old], {"rebound": new} if isinstance(new, Var) else None, hint="old")
    lw.b.block.ops[-1].params["method"] = method
    lw.augmented.append(lw.b.block.ops[-1])


def _fresh(lw: Any, parts: list[Operand]) -> Operand:
    """The concatenation of list `parts` as a new list (not a view of any of them)."""
    out = lw.op("list", [])  # concat holds the elements of a slice, never the list sliced
    for p in parts:
        out = lw.op("srcad.runtime.concat", [out, p])
    return lw.op("builtins.list", [out])  # a list of its own (the mutation check: a box)


def dict_without(lw: Any, d: Operand, key: Operand, like: Any) -> Operand:
    """A new dict of `d`'s entries but `key`'s, in `d`'s order: the comprehension
    ``{k: v for k, v in d.items() if k != key}``."""
    dn, kn, kt, vt = _temp(lw), _temp(lw), _temp(lw), _temp(lw)
    lw.env[dn], lw.env[kn] = d, key
    test = _at(gast.Compare(left=_load(kt, like), ops=[gast.NotEq()],
                            comparators=[_load(kn, like)]), like)  # fmt: skip
    items = _at(gast.Call(func=_at(gast.Attribute(value=_load(dn, like), attr="items",
                                                  ctx=gast.Load()), like),
                          args=[], keywords=[]), like)  # fmt: skip
    target = _at(gast.Tuple(elts=[_store(kt, like), _store(vt, like)], ctx=gast.Store()), like)
    gen = gast.comprehension(target=target, iter=items, ifs=[test], is_async=0)
    comp = _at(gast.DictComp(key=_load(kt, like), value=_load(vt, like), generators=[gen]), like)
    out = lw.value(comp)
    del lw.env[dn], lw.env[kn]
    lw.at(like)
    gone = None
    if type(key) is Const and _hashable(key.value):  # (and those an earlier del removed)
        made = next((op for op in reversed(lw.b.block.ops) if d in op.results), None)
        was = () if made is None else made.params.get(WITHOUT_KEY, ())
        gone = {WITHOUT_KEY: (*was, key.value)}
    return lw.op("builtins.dict", [out], params=gone)  # (passes/raising.py: a later read)


def _hashable(v: object) -> bool:
    return isinstance(v, (str, int, float, bool, tuple))


def without_index(lw: Any, old: Operand, key: Operand) -> Operand:
    """A new list of `old`'s entries but the one at the int `key` (negative too)."""
    j = lw.op("mod", [key, lw.op("len", [old])])
    pre = lw.op("getitem", [old, lw.op("slice", [Const(None), j, Const(None)])])
    j1 = lw.op("add", [j, Const(1)])
    post = lw.op("getitem", [old, lw.op("slice", [j1, Const(None), Const(None)])])
    return _fresh(lw, [pre, post])


def _without_slice(lw: Any, old: Operand, sl: gast.Slice) -> Operand:
    """A new list of `old`'s entries but those of ``old[a:b]``: ``old[:a] + old[a:][n:]`` with
    ``n = len(old[a:b])`` (``old[:a]`` is empty when `a` is absent)."""
    a = lw.value(sl.lower) if sl.lower is not None else Const(None)
    b = lw.value(sl.upper) if sl.upper is not None else Const(None)
    cut = lw.op("getitem", [old, lw.op("slice", [a, b, Const(None)])])
    n = lw.op("len", [cut])
    rest = lw.op("getitem", [old, lw.op("slice", [a, Const(None), Const(None)])])
    post = lw.op("getitem", [rest, lw.op("slice", [n, Const(None), Const(None)])])
    if sl.lower is None:
        return _fresh(lw, [post])
    pre = lw.op("getitem", [old, lw.op("slice", [Const(None), a, Const(None)])])
    return _fresh(lw, [pre, post])


def delete(lw: Any, s: gast.Delete) -> bool:
    """``del xs[i]`` (an int `i`) or ``del xs[a:b]`` on a local list, ``del d[k]`` on a local
    dict: the name is rebound to the new list/dict and the old object marked as updated, as
    ``xs.pop(i)``; ``del name`` of a local unbinds it. False when a target is none of these
    (refused)."""
    for t in s.targets:
        if isinstance(t, gast.Name) and t.id in lw.py_locals and t.id in lw.env:
            continue
        if not (isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name)):
            return False
        if t.value.id not in lw.py_locals or t.value.id not in lw.env:
            return False
        if isinstance(t.slice, gast.Tuple) or (
            isinstance(t.slice, gast.Slice) and t.slice.step is not None
        ):
            return False
    for t in s.targets:
        if isinstance(t, gast.Name):
            del lw.env[t.id]
            continue
        old = lw.value(t.value)
        kind = container_kind(lw, old)
        if kind is None:  # an argument, a helper's result: checked when it runs
            anykind.delete(lw, s, t, old, delete_as)
            continue
        if kind == "dict" and isinstance(t.slice, gast.Slice):
            raise lw.error(s, "`del` of a slice of a dict")
        delete_as(lw, t, old, kind, None)
    return True


def delete_as(lw: Any, t: gast.Subscript, old: Operand, kind: str, key: Operand | None) -> None:
    """``del xs[...]`` / ``del d[k]`` of `t` (its base bound to `old`) as a `kind` ("list"/"dict")
    entry; `key`: the index already lowered, or None (lowered here)."""
    if isinstance(t.slice, gast.Slice):
        lw.at(t)
        new = _without_slice(lw, old, t.slice)
    else:
        key = lw.value(t.slice) if key is None else key
        lw.at(t)
        lw.op("getitem", [old, key])  # IndexError/KeyError here, as Python's
        new = dict_without(lw, old, key, t) if kind == "dict" else without_index(lw, old, key)
    _mark_updated(lw, old, "__delitem__", new)
    lw.assign_to(t.value, new)


def remove_or_clear(lw: Any, name: str, old: Operand, kind: str, args: list) -> Operand | None:
    """The new value of a local list/dict `old` after ``.remove(v)`` / ``.clear()`` (`args`: the
    lowered arguments), None for another method or arity (not handled)."""
    if name == "clear" and not args:
        return lw.op(kind, [])  # a new empty list/dict
    if name == "remove" and kind == "list" and len(args) == 1:
        j = lw.op("method.index", [old, args[0]])  # ValueError here, as Python's
        return without_index(lw, old, j)
    return None
