"""An entry of a local dict or list bound to a name, ``h = d["h"]``, then updated through that
name (``h.append(v)``, ``h[0] = v``): the name read as the entry, rewritten before the name
analyses.

Input: a function's tree and its namespace. Output: the tree changed in place (whether it changed).

``hist = {"loss": []}; losses = hist["loss"]; losses.append(v); ... sum(hist["loss"])``: Python's
`losses` and ``hist["loss"]`` are one list, srcad's values are immutable, so the append rebinds
`losses` only and the later read of ``hist["loss"]`` was stale (refused by the mutation check).
Here, in the statements after ``h = d[K]`` in its statement list, up to the first that may
rebind `h` or `d` or change which object ``d[K]`` is, every read of `h` is a read of ``d[K]``
(``d[K].append(v)``: written back into `d`, passes/alias_nested.py), and `h` is bound to
``d[K]`` again where that region ends (not after a ``return``/``raise``/``break``/``continue``)::

    d = {"h": []}                  d = {"h": []}
    h = d["h"]                     h = d["h"]
    for i in range(3):      ->     for i in range(3):
        h.append(x[i])                 d["h"].append(x[i])
    s = sum(d["h"])                h = d["h"]
                                   s = sum(d["h"])

Exact: in the region `h` and ``d[K]`` are the same object. Taken only when `d` is a local
bound once in the function, by a dict or list display, and every other occurrence of `d` in
the function is an item read or write with a constant key (``d["g"]``, ``d[0] = v``), ``len(d)``,
``d.get(..)``/``keys()``/``values()``/``items()``, ``for k in d`` or ``return d``: then nothing
else names that dict/list, so only a statement naming `d` can change its entries. The region
ends before a statement that stores into `d` (``d[k] = v``, ``d[k] op= v``, ``del d[k]``) or
rebinds `h` or `d`. `K` a str or int constant, `h` not a parameter; nothing is done when a
nested function, lambda or generator names `h` or `d`, a ``global``/``nonlocal`` declares one,
the function reads its locals dynamically, or nothing in the region writes through `h`.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.chained import _captured, _lists, _mutates, _params, _rebinds

_DISPLAYS = (gast.Dict, gast.List)
_READERS = frozenset({"get", "keys", "values", "items"})
_ENDS = (gast.Return, gast.Raise, gast.Break, gast.Continue)


def candidates(found: Any) -> bool:
    """May `rewrite` change anything, from lower/survey.py's `found`: a ``h = d[K]`` whose
    `h` is written into or updated by a method (a false alarm is possible)."""
    names = {a.targets[0].id for a in found.assigns if _entry(a) is not None}
    if not names:
        return False
    if not names.isdisjoint(found.written_into):
        return True
    for u in found.updates:
        f = getattr(u, "func", None)
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
            if f.value.id in names:
                return True
    return False


def rewrite(root: Any, ns: Any) -> bool:
    """The rewrite of the module docstring; whether the tree changed."""
    found = [n for n in scope.walk(root) if _entry(n) is not None]
    if not found:
        return False
    names = {m for s in found for m in (s.targets[0].id, s.value.value.id)}
    bad = _captured(root, names)
    if bad is None:
        return False
    bad |= _params(root)
    containers = {d for d in {s.value.value.id for s in found} if _private(root, d)}
    return _lists(root, _Rewriter(bad, containers))


def _entry(s: Any) -> tuple[str, str, Any] | None:
    """``h = d[K]`` (plain names, K a str or non-bool int constant): (h, d, K), else None."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    t, v = s.targets[0], s.value
    if not (isinstance(t, gast.Name) and isinstance(v, gast.Subscript)):
        return None
    if not (isinstance(v.value, gast.Name) and isinstance(v.slice, gast.Constant)):
        return None
    k = v.slice.value
    if type(k) not in (str, int) or t.id == v.value.id:
        return None
    return t.id, v.value.id, k


def _private(root: Any, d: str) -> bool:
    """Is `d` bound once in `root`, by a dict/list display, and named elsewhere only in the
    ways the module docstring lists (nothing else can hold that object)?"""
    uses = _uses(root, d)
    if uses is None:
        return False
    stores = [n for n in uses if not isinstance(n.ctx, gast.Load)]
    if len(stores) != 1:
        return False
    binding = next(
        (s for s in scope.walk(root) if isinstance(s, gast.Assign) and s.targets == [stores[0]]),
        None,
    )
    return binding is not None and isinstance(binding.value, _DISPLAYS)


def _uses(root: Any, d: str) -> list | None:
    """The Name nodes of `d` in `root` if each is a store, a constant-key item, ``len(d)``, a
    reader method, a ``for`` iterable or a returned value; None otherwise."""
    allowed: set[int] = set()
    names = []
    for n in scope.walk(root):
        if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name):
            if isinstance(n.slice, gast.Constant) and type(n.slice.value) in (str, int):
                allowed.add(id(n.value))
        elif isinstance(n, gast.Call) and not n.keywords and len(n.args) == 1:
            if isinstance(n.func, gast.Name) and n.func.id == "len":
                allowed.add(id(n.args[0]))
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            if n.func.attr in _READERS:
                allowed.add(id(n.func.value))
        elif isinstance(n, gast.For):
            allowed.add(id(n.iter))
        elif isinstance(n, gast.Return) and n.value is not None:
            allowed.add(id(n.value))
        if isinstance(n, gast.Name) and n.id == d:
            names.append(n)
    ok = all(not isinstance(n.ctx, gast.Load) or id(n) in allowed for n in names)
    return names if ok else None


def _stores_into(s: Any, d: str) -> bool:
    """Does statement `s` store into or delete an item of `d`, or rebind it?"""
    for n in scope.walk(s):
        if isinstance(n, gast.Subscript) and not isinstance(n.ctx, gast.Load):
            if isinstance(n.value, gast.Name) and n.value.id == d:
                return True
        if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Subscript):
            t = n.target
            if isinstance(t.value, gast.Name) and t.value.id == d:
                return True
    return False


class _Rewriter:
    def __init__(self, bad: set, containers: set) -> None:
        self.bad, self.containers = bad, containers

    def stmts(self, stmts: list) -> list | None:
        out: list = []
        k, changed = 0, False
        while k < len(stmts):
            s = stmts[k]
            k += 1
            out.append(s)
            e = _entry(s)
            if e is None:
                continue
            h, d, key = e
            if h in self.bad or d in self.bad or d not in self.containers:
                continue
            end = k
            while end < len(stmts) and not (
                _rebinds(stmts[end], {h, d}, False) or _stores_into(stmts[end], d)
            ):
                end += 1
            region = stmts[k:end]
            if not any(_mutates(t, {h}) for t in region):
                continue
            for t in region:
                read_as_entry(t, h, s.value)
            out += region
            k, changed = end, True
            if not isinstance(out[-1], _ENDS):
                out.append(bind(h, s.value, stmts[k] if k < len(stmts) else out[-1]))
        return out if changed else None


def read_as_entry(s: Any, h: str, entry: gast.Subscript, copy: Any = None) -> None:
    """Every read of `h` in `s` read as a copy of `entry` (``d[K]``; `copy(entry, like)` makes
    it, `_entry_copy` by default)."""
    copy = copy or _entry_copy
    for n in scope.walk(s):
        for field, value in gast.iter_fields(n):
            if isinstance(value, gast.Name) and value.id == h and isinstance(value.ctx, gast.Load):
                setattr(n, field, copy(entry, value))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, gast.Name) and v.id == h and isinstance(v.ctx, gast.Load):
                        value[i] = copy(entry, v)


def _entry_copy(entry: gast.Subscript, like: Any) -> gast.Subscript:
    base = gast.Name(id=entry.value.id, ctx=gast.Load(), annotation=None, type_comment=None)
    out = gast.Subscript(base, gast.Constant(entry.slice.value, None), gast.Load())
    for n in gast.walk(out):
        gast.copy_location(n, like)
    return out


def bind(h: str, entry: gast.Subscript, like: Any, copy: Any = None) -> Any:
    """``h = <a copy of entry>`` at `like`'s place."""
    tgt = gast.Name(id=h, ctx=gast.Store(), annotation=None, type_comment=None)
    out = gast.Assign([tgt], (copy or _entry_copy)(entry, like), None)
    for n in gast.walk(out):
        gast.copy_location(n, like)
    return out
