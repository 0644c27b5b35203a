"""Reads of an object's fields after it was used as a run-time value (lower/objects.py).

Input: the lowering state `lw`, a `LocalObj` that has escaped (passed to a function srcad does not
inline, stored in a container, joined) and the field read. Output: nothing, or a located refusal.

An object built here is its fields at transform time; as a run-time value it is its class called
again (`objects.as_value`). Code srcad does not lower can write the fields of that run-time object
(``kick(b, 3.0)`` with ``def kick(b, k): b.vel = b.vel + k``, or a method of its class called on
it from a list), and Python's later ``b.vel`` sees the write, which the transform-time field
does not: a WRONG value and derivative. So a read after an escape is refused when some code the
function can reach stores to an attribute of that name: a method of the object's class, or a
user function reachable through the names the function reads (transitively, through their own
globals); `setattr`/`delattr`/`vars`/``__dict__`` there, or too much code to look at, stand for
any name. The function's own stores are not counted (they write objects built here, which
`objstate` tracks, or are refused).
"""

from __future__ import annotations

import dataclasses
import reprlib
import sys
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower.attrloops import unrolled
from srcad.lower.classmemo import ClassMemo
from srcad.lower.loopitems import updated_sources
from srcad.lower.setattrs import const_setattr

ANY = "*"  # a store of any attribute name
_LIBRARIES = frozenset({"numpy", "scipy", "srcad", "jax", "torch", "pandas", "sklearn"})
_DYNAMIC = frozenset({"setattr", "delattr", "vars", "__dict__", "__setattr__"})
_LIMIT = 60  # functions looked at, at most


def _written_through(n: Any) -> gast.Attribute | None:
    """The attribute ``a.x`` whose value ``a.x[i] = v`` / ``a.x[i][j] += v`` (`n`: the
    subscript stored to) or ``a.x.append(v)`` / ``.extend`` (`n`: the call) writes into, else
    None."""
    if (
        isinstance(n, gast.Call)
        and isinstance(n.func, gast.Attribute)
        and n.func.attr in ("append", "extend")
    ):
        n = n.func.value
        while isinstance(n, gast.Subscript):
            n = n.value
        return n if isinstance(n, gast.Attribute) else None
    if not isinstance(n, gast.Subscript) or isinstance(n.ctx, gast.Load):
        return None
    while isinstance(n, gast.Subscript):
        n = n.value
    return n if isinstance(n, gast.Attribute) else None


_STORES: ClassMemo[frozenset[str]] = ClassMemo()


def self_stores(cls: type) -> frozenset[str]:
    """Attribute names the class's plain methods store to their first parameter (not
    ``__init__``, whose stores are the fields); computed once per class (lower/classmemo.py)."""
    return _STORES.get(cls, _self_stores)


def _self_stores(cls: type) -> frozenset[str]:
    out: set[str] = set()
    for k in cls.__mro__[:-1]:
        for n, f in _methods(k):
            if n == "__init__" or not isinstance(f, types.FunctionType):
                continue
            try:
                node = get_source(f).node
            except Exception:  # noqa: BLE001 - no source: it cannot be inlined either
                continue
            a = node.args.args
            me = a[0].id if a else None
            ns = namespace_of(f)  # (``range`` Python's: `for i in range(2)` unrolled too)
            for t in gast.walk(node):
                if isinstance(t, gast.For) and (flat := unrolled(t, ns)) is not None:
                    out |= self_stores_of(flat, me)  # `for k in ("a", "b"): setattr(self, k, v)`
                if isinstance(t, gast.For):  # `for p in self.params: p -= lr * g` writes it
                    out |= {
                        ps[len(me) + 1 :]
                        for ps in updated_sources(t)
                        if ps[: len(me) + 1] == f"{me}."
                    }
                if (name := const_setattr(t)) is not None:  # `setattr(self, "p", v)`
                    if isinstance(t.args[0], gast.Name) and t.args[0].id == me:
                        out.add(name)
                    continue
                w = _written_through(t)  # `self.p[0] = v` writes the field `p` too
                if w is None and not (
                    isinstance(t, gast.Attribute) and isinstance(t.ctx, gast.Store)
                ):
                    continue
                t = w or t
                if isinstance(t.value, gast.Name) and t.value.id == me:
                    out.add(t.attr)
    return frozenset(out)


def _methods(k: type) -> list[tuple[str, object]]:
    """(name, function) of the class body `k`: a property's getter and setter both (a setter
    stores; so does a getter caching what it computes: ``if self._c is None: self._c = ..``)."""
    out: list[tuple[str, object]] = []
    for n, f in vars(k).items():
        fs = (f.fget, f.fset) if isinstance(f, property) else (f,)
        out.extend((n, g) for g in fs if g is not None)
    return out


_CALLS: ClassMemo[frozenset[str]] = ClassMemo()


def self_calls(cls: type) -> frozenset[str]:
    """Attribute names the class's methods (``__init__`` too) call on their first parameter
    (``self.act(z)``), or call through (``self.link.inverse(z)``, ``for layer in self.layers:
    layer(x)``, ``act = ACTS[self.activation]``): `objinit.calls_field` makes such an object one
    built here, its fields known; computed once per class as `self_stores` is."""
    return _CALLS.get(cls, _self_calls)


def _self_calls(cls: type) -> frozenset[str]:
    out: set[str] = set()
    for k in cls.__mro__[:-1]:
        for f in vars(k).values():
            if not isinstance(f, types.FunctionType):
                continue
            try:
                node = get_source(f).node
            except Exception:  # noqa: BLE001 - no source: nothing to read
                continue
            me = node.args.args[0].id if node.args.args else None
            for t in gast.walk(node):
                g = t.func if isinstance(t, gast.Call) else None
                if isinstance(g, gast.Attribute) and isinstance(g.value, gast.Name):
                    if g.value.id == me:
                        out.add(g.attr)
                if (
                    isinstance(g, gast.Attribute)
                    and isinstance(g.value, gast.Attribute)
                    and isinstance(g.value.value, gast.Name)
                    and g.value.value.id == me
                ):  # ``self.link.inverse(z)``: a method of the object a field holds
                    out.add(g.value.attr)
                if (name := _called_items(t, me)) is not None or (
                    name := _table_pick(t, me)
                ) is not None:
                    out.add(name)
            if node.name == "__iter__" and (name := _iterated(node, me)) is not None:
                out.add(name)  # `for layer in net: layer(x)` calls the items of `net.layers`
    return frozenset(out)


def _iterated(node: Any, me: Any) -> str | None:
    """The field `name` of an ``__iter__`` whose last statement is ``return iter(me.name)``."""
    r = node.body[-1] if node.body else None
    v = r.value if isinstance(r, gast.Return) else None
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Name) and v.func.id == "iter":
        a = v.args[0] if len(v.args) == 1 else None
        if isinstance(a, gast.Attribute) and isinstance(a.value, gast.Name) and a.value.id == me:
            return a.attr
    return None


def _called_items(t: Any, me: Any) -> str | None:
    """The field `name` of ``for item in me.name: ... item(...)``: a loop calling the items of a
    field (a ``Sequential``'s layers) calls the field's functions, as ``self.act(z)`` does."""
    if not (
        isinstance(t, gast.For)
        and isinstance(t.target, gast.Name)
        and isinstance(t.iter, gast.Attribute)
        and isinstance(t.iter.value, gast.Name)
        and t.iter.value.id == me
    ):
        return None
    item = t.target.id
    for n in (n for s in t.body for n in gast.walk(s)):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == item:
            return t.iter.attr
    return None


def _table_pick(t: Any, me: Any) -> str | None:
    """The field `name` of ``act = TABLE[me.name]`` (scikit-learn's
    ``ACTIVATIONS[self.activation]``): the function picked by a field's value, called later."""
    if not (
        isinstance(t, gast.Assign)
        and len(t.targets) == 1
        and isinstance(t.targets[0], gast.Name)
        and isinstance(t.value, gast.Subscript)
    ):
        return None
    k = t.value.slice
    if isinstance(k, gast.Attribute) and isinstance(k.value, gast.Name) and k.value.id == me:
        return k.attr
    return None


def self_stores_of(stmts: list, me: Any) -> set[str]:
    """The constant names ``setattr(me, "p", v)`` calls in `stmts` store."""
    out = set()
    for t in (n for s in stmts for n in gast.walk(s)):
        name = const_setattr(t)
        if name is not None and isinstance(t.args[0], gast.Name) and t.args[0].id == me:
            out.add(name)
    return out


def check_read(lw: Any, obj: Any, name: str, node: Any) -> None:
    """``obj.name`` read after `obj` escaped: refused when reachable code may have written it."""
    stores = self_stores(obj.cls) | reachable_stores(lw)
    if name not in stores and ANY not in stores:
        return
    cls = obj.cls.__name__
    raise lw.error(
        node,
        f"this reads `{name}` of a `{cls}` object after it was used as a value (at line "
        f"{obj.escaped}: passed to a function srcad does not inline, stored or joined), where "
        f"code srcad does not follow may write `{name}`; srcad would read the value the field "
        "had before",
        "read the fields before passing the object on, or return the new value from the "
        "function instead of writing the object",
    )


def reachable_stores(lw: Any, own_vars: bool = False) -> frozenset[str]:
    """Attribute names stored by the user functions reachable from the function being lowered
    (not by the function itself); `own_vars`: its own ``vars`` reads are no dynamic store
    (lower/getattrs.vars_of: read where they are made)."""
    root = getattr(lw, "root_node", None)
    if root is None:
        return frozenset({ANY})
    out: set[str] = set()
    seen: set = set()
    todo = [(root, lw.ns, False)]
    first, first_node = True, root
    while todo:
        node, ns, method = todo.pop()
        if not first:
            out |= _others(node) if method else attr_stores(node)
        first = False
        named = set()  # `setattr(o, "p", v)`: a store of `p` (its name no dynamic store)
        reads = None  # (`vars(o).values()`: a read, `_read_only_vars`, looked for when met)
        for n in gast.walk(node):
            if (name := const_setattr(n)) is not None:
                out.add(name)
                named.add(id(n.func))
            elif isinstance(n, gast.Name) and n.id in _DYNAMIC and isinstance(n.ctx, gast.Load):
                if id(n) in named or own_vars and first_node is node and n.id == "vars":
                    continue
                if n.id == "vars":
                    reads = _read_only_vars(node) if reads is None else reads
                    if id(n) in reads:
                        continue
                return frozenset({ANY})
            if isinstance(n, gast.Attribute) and n.attr in _DYNAMIC:
                return frozenset({ANY})
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load):
                _follow(ns.lookup(n.id)[1], seen, todo, out)
            elif isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name):
                kind, mod = ns.lookup(n.value.id)
                if isinstance(mod, types.ModuleType) and _user(mod.__name__):
                    _follow(getattr(mod, n.attr, None), seen, todo, out)
        if len(seen) > _LIMIT:
            return frozenset({ANY})
    return frozenset(out)


def _generated(cls: type, name: str, f: Any) -> bool:
    """`f`, `cls`'s `name`, is a method the ``dataclass`` decorator wrote (exec'd text; the
    wrapper of ``__repr__``, in dataclasses.py)."""
    code = getattr(f, "__code__", None)
    if code is not None and code.co_filename == reprlib.__file__ and hasattr(f, "__wrapped__"):
        return _generated(cls, name, f.__wrapped__)  # (3.13: `recursive_repr` of the exec'd one)
    return (
        name in _DATACLASS_MADE
        and code is not None
        and (code.co_filename.startswith("<") or code.co_filename == dataclasses.__file__)
        and dataclasses.is_dataclass(cls)
    )


_DATACLASS_MADE = frozenset({"__init__", "__repr__", "__eq__", "__lt__", "__le__", "__gt__",
                             "__ge__", "__hash__", "__setattr__", "__delattr__",
                             "__getstate__", "__setstate__", "__replace__"})  # fmt: skip


def _read_only_vars(node: Any) -> set[int]:
    """The ids of the ``vars`` names in `node` whose call's dict is only read where it is made
    (``vars(o).values()``/``.items()``/``.keys()``/``.get(k)``, ``vars(o)[k]``, iterated by a
    ``for`` or a comprehension): no attribute stored through it."""
    out: set[int] = set()

    def mark(c: Any) -> None:
        if isinstance(c, gast.Call) and isinstance(c.func, gast.Name) and c.func.id == "vars":
            out.add(id(c.func))

    for n in gast.walk(node):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            if n.func.attr in ("values", "items", "keys", "get"):
                mark(n.func.value)
        elif isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Load):
            mark(n.value)
        elif isinstance(n, (gast.For, gast.comprehension)):
            mark(n.iter)
    return out


def _user(module: str | None) -> bool:
    top = (module or "").split(".")[0]
    return bool(top) and top not in _LIBRARIES and top not in sys.stdlib_module_names


def attr_stores(node: Any) -> set[str]:
    """The attribute names a function stores to anywhere (``a.x = v``, ``a.x += v``)."""
    return _stores(node, None)


def _others(node: Any) -> set[str]:
    """The attribute stores of a method other than to its first parameter (``self.x = v``
    writes an object of that class, which `self_stores` of the object's class covers)."""
    a = node.args.posonlyargs + node.args.args
    return _stores(node, a[0].id if a else None)


def _stores(node: Any, me: str | None) -> set[str]:
    """Attribute stores in `node`, but those to the name `me`."""
    return {
        n.attr
        for n in gast.walk(node)
        if isinstance(n, gast.Attribute)
        and isinstance(n.ctx, gast.Store)
        and not (isinstance(n.value, gast.Name) and n.value.id == me)
    } | {
        n.target.attr
        for n in gast.walk(node)
        if isinstance(n, gast.AugAssign)
        and isinstance(n.target, gast.Attribute)
        and not (isinstance(n.target.value, gast.Name) and n.target.value.id == me)
    }


def _follow(v: Any, seen: set, todo: list, out: set, method: bool = False) -> None:
    """Queue the source of a user function (or every method of a user class) `v`; not a
    dataclass's generated methods (no source), which store only to their `self` (``__init__``,
    as a method's ``self.x = v``: `self_stores`) or nothing."""
    if isinstance(v, type) and _user(v.__module__):
        if v not in seen:
            seen.add(v)
            for name, f in vars(v).items():
                if isinstance(f, (staticmethod, classmethod)):
                    f = f.__func__
                if isinstance(f, types.FunctionType) and not _generated(v, name, f):
                    _follow(f, seen, todo, out, method=True)
        return
    if not isinstance(v, types.FunctionType) or v in seen or not _user(v.__module__):
        return
    seen.add(v)
    try:
        node = get_source(v).node
    except Exception:  # noqa: BLE001 - no source: it may store anything
        out.add(ANY)
        return
    todo.append((node, namespace_of(v), method))
