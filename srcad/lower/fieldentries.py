"""In a method, an entry of a dict or list field bound to a name, ``c = self.cache[name]``, then
updated through that name (``c["t"] += 1``, ``c["m"] = b1 * c["m"] + g``): the name read as the
entry, rewritten before the method's body is inlined (lower/varargs.inline_call), as
lower/entrynames.py does for a local dict.

Input: the method's tree (changed in place: a second rewrite finds nothing left to do) and its
namespace. Output: whether it changed.

Adam's per-parameter state, ``c = self.cache[name]; c["t"] += 1``: Python's `c` and
``self.cache[name]`` are one dict, srcad's values are immutable, so the update rebound `c` only
and a later read of ``self.cache[name]`` (the next step) was stale (refused by the mutation
check). In the statements after ``c = self.F[K]`` in its statement list, up to the first that
may change which object ``self.F[K]`` is, every read of `c` is a read of ``self.F[K]`` (its
updates written back into the field: passes/alias_nested.py), and `c` is bound to
``self.F[K]`` again where that region ends (not after a ``return``/``raise``/``break``/
``continue``)::

    c = self.cache[name]                   c = self.cache[name]
    c["t"] += 1                     ->     self.cache[name]["t"] += 1
    m = c["m"] / (1 - b1 ** c["t"])        m = self.cache[name]["m"] / (1 - b1 ** ...)

Exact: in the region `c` and ``self.F[K]`` are the same object. `self` the method's first
parameter, `K` a str/int constant or a name; the region ends before a statement that rebinds
`c`, `self` or `K`, stores into ``self.F`` or its items or rebinds the field, or calls anything
but a NumPy/math function or a builtin that changes no object (a method could change the
field); `c` no parameter; nothing is done when a nested function, lambda or generator names
`c` or `self`, a ``global``/``nonlocal`` declares one, or nothing in the region writes through
`c`.
"""

from __future__ import annotations

import copy
import types
from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.chained import _captured, _lists, _mutates, _params, _rebinds
from srcad.lower.entrynames import bind, read_as_entry
from srcad.lower.withs import _resolve

_ENDS = (gast.Return, gast.Raise, gast.Break, gast.Continue)
_PURE_BUILTINS = (abs, len, min, max, float, int, round, sum, pow, bool, isinstance)
_LIBRARIES = ("math", "numpy")


def rewrite(root: Any, ns: Any) -> bool:
    """The rewrite of the module docstring on the method `root`; whether it changed."""
    ps = _params(root)
    args = getattr(root, "args", None)
    first = args.args[0] if isinstance(args, gast.arguments) and args.args else None
    if not isinstance(first, gast.Name):
        return False
    me = first.id
    found = [s for s in scope.walk(root) if _entry(s, me) is not None]
    if not found:
        return False
    bad = _captured(root, {me} | {s.targets[0].id for s in found})
    if bad is None or me in bad:
        return False
    return _lists(root, _Rewriter(me, bad | ps, ns))


def _entry(s: Any, me: str) -> tuple[str, str, Any] | None:
    """``c = me.F[K]`` (`K` a str/int constant or a name): (c, F, K node), else None."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    t, v = s.targets[0], s.value
    if not (isinstance(t, gast.Name) and isinstance(v, gast.Subscript)):
        return None
    f = v.value
    if not (isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.value.id == me):
        return None
    k = v.slice
    if not (
        isinstance(k, gast.Name) or (isinstance(k, gast.Constant) and type(k.value) in (str, int))
    ):
        return None
    if t.id in (me, getattr(k, "id", None)):
        return None
    return t.id, f.attr, k


class _Rewriter:
    def __init__(self, me: str, bad: set, ns: Any) -> None:
        self.me, self.bad, self.ns = me, bad, ns

    def stmts(self, stmts: list) -> list | None:
        out: list = []
        k, changed = 0, False
        while k < len(stmts):
            s = stmts[k]
            k += 1
            out.append(s)
            e = _entry(s, self.me)
            if e is None or e[0] in self.bad:
                continue
            c, field, key = e
            group = {c, self.me} | ({key.id} if isinstance(key, gast.Name) else set())
            end = k
            while end < len(stmts) and not (
                _rebinds(stmts[end], group, False)
                or _stores_into(stmts[end], self.me, field)
                or self._calls(stmts[end])
            ):
                end += 1
            region = stmts[k:end]
            if not any(_mutates(t, {c}) for t in region):
                continue
            for t in region:
                read_as_entry(t, c, s.value, _copy)
            out += region
            k, changed = end, True
            if not isinstance(out[-1], _ENDS):
                out.append(bind(c, s.value, stmts[k] if k < len(stmts) else out[-1], _copy))
        return out if changed else None

    def _calls(self, s: Any) -> bool:
        """Does `s` call anything but a NumPy/math function or a builtin changing nothing?"""
        for n in scope.walk(s):
            if isinstance(n, gast.Call):
                f = _resolve(n.func, self.ns)
                if any(f is b for b in _PURE_BUILTINS):
                    continue
                mod = (getattr(f, "__module__", None) or "").split(".")[0]
                if mod in _LIBRARIES and not isinstance(f, (type, types.MethodType)):
                    continue
                return True
        return False


def _stores_into(s: Any, me: str, field: str) -> bool:
    """Does `s` store into ``me.field`` (an item, or the field itself) or delete from it?"""
    for n in scope.walk(s):
        t = n.target if isinstance(n, gast.AugAssign) else n
        if isinstance(t, (gast.Subscript, gast.Attribute)) and not isinstance(t.ctx, gast.Load):
            base = t.value if isinstance(t, gast.Subscript) else t
            if (
                isinstance(base, gast.Attribute)
                and base.attr == field
                and isinstance(base.value, gast.Name)
                and base.value.id == me
            ):
                return True
    return False


def _copy(entry: gast.Subscript, like: Any) -> gast.Subscript:
    out = copy.deepcopy(entry)
    for n in gast.walk(out):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
        gast.copy_location(n, like)
    return out
