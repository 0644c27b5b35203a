"""A container the caller still names, stored in a field of an object built here and updated in
place by its methods: ``params = {"w": w}; opt = SGD(params, 0.1); opt.step(g)`` whose ``step``
writes ``self.params[k] = ...``. Python's caller sees the update (one dict); srcad's field gets a
new value (lower/objstate.py), so the caller's name is bound to it too.

Input: the lowering state `lw` around an inlined method call (lower/objects.call_method) or a
loop (lower/base.loop). Output: the caller's names rebound (`relink`), or a loop's carries told
which names stay one object with a field (`loop_aliases`: such a name is no carry of its own, it
is the field's carry).

A field is linked (`inplace_fields`) when some method of the class other than ``__init__`` writes
into it (``self.F[k] = v``, ``self.F[i][j] += v``, ``self.F.append(v)``; lower/escapes) and no
such method rebinds it (``self.F = ...``, ``self.F op= v``, ``setattr``): a new value of the field
is then always the same object updated. A name is linked to a field when both hold the same SSA
value before the call (the same object). Nothing else changes: a caller name rebound or written
through (``params["w"] = v``) differs from the field afterwards, and the mutation check
(passes/alias.py) refuses a stale read as before.

Before: ``opt.step(g); params["w"]`` refused (``params`` read after the object it shares is
modified). After: ``params`` bound to the field's new dict.
"""

from __future__ import annotations

import types
from typing import Any

import gast

from srcad.frontend.source import get_source
from srcad.lower import objstate, scope
from srcad.lower.classmemo import ClassMemo
from srcad.lower.escapes import _written_through, const_setattr
from srcad.lower.loopitems import updated_sources
from srcad.lower.values import LocalObj
from srcad.ssa.core import Var

_FIELDS: ClassMemo[frozenset[str]] = ClassMemo()


def inplace_fields(cls: type) -> frozenset[str]:
    """The fields of `cls` its methods only update in place (see the module docstring); computed
    once per class (lower/classmemo.py)."""
    return _FIELDS.get(cls, _inplace_fields)


def _inplace_fields(cls: type) -> frozenset[str]:
    into: set[str] = set()
    rebound: set[str] = set()
    for k in cls.__mro__[:-1]:
        for n, f in vars(k).items():
            f = f.fset if isinstance(f, property) else f
            if n == "__init__" or not isinstance(f, types.FunctionType):
                continue
            try:
                node = get_source(f).node
            except Exception:  # noqa: BLE001 - no source: not inlined either
                continue
            a = node.args.args
            me = a[0].id if a else None
            _method_writes(node, me, into, rebound)
    return frozenset(into - rebound)


def _method_writes(node: Any, me: Any, into: set, rebound: set) -> None:
    """Add to `into` the fields the method `node` (first parameter `me`) writes into, to
    `rebound` those it rebinds (everything when it rebinds `me` or calls ``setattr``)."""
    for t in gast.walk(node):
        if isinstance(t, gast.Name) and t.id == me and isinstance(t.ctx, (gast.Store, gast.Del)):
            rebound.add("*")  # (`self = other`: nothing linked)
        if const_setattr(t) is not None or (
            isinstance(t, gast.Call) and isinstance(t.func, gast.Name) and t.func.id == "setattr"
        ):
            rebound.add("*")
        if isinstance(t, gast.For) and me is not None:  # `for p in self.params: p -= v`
            into.update(ps[len(me) + 1 :] for ps in updated_sources(t) if ps.startswith(me + "."))
        w = _written_through(t)
        if w is not None and isinstance(w.value, gast.Name) and w.value.id == me:
            into.add(w.attr)
        elif isinstance(t, gast.Attribute) and not isinstance(t.ctx, gast.Load):
            if isinstance(t.value, gast.Name) and t.value.id == me:
                rebound.add(t.attr)
    if "*" in rebound:
        into.clear()


def _linked_keys(lw: Any, env: dict) -> dict[str, Var]:
    """{environment name of a linked field: its value} for the objects `env` reaches."""
    if not any(k[:1] == objstate.PREFIX for k in env):
        return {}
    out: dict[str, Var] = {}
    for obj in objstate._objects(env):
        for f in inplace_fields(obj.cls):
            k = objstate.key(obj, f)
            if isinstance(env.get(k), Var):
                out[k] = env[k]
    return out


def before(lw: Any) -> dict[str, list[str]]:
    """Before a method call: {field's environment name: the caller's names, and the other
    fields, holding its value}."""
    keys = _linked_keys(lw, lw.env) if getattr(lw, "obj_serial", 0) else {}
    if not keys:
        return {}
    out: dict[str, list[str]] = {}
    names = [n for n in sorted(lw.py_locals) if isinstance(lw.env.get(n), Var)]
    for k, fv in keys.items():
        same = [n for n in [*names, *sorted(keys)] if n != k and lw.env.get(n) is fv]
        if same:
            out[k] = same
    return out


def relink(lw: Any, links: dict[str, list[str]], old: dict) -> None:
    """After the call: each linked name still holding what the field held (`old`, the
    environment before) bound to the field's new value."""
    for k, names in links.items():
        new, was = lw.env.get(k), old.get(k)
        if new is was or not isinstance(new, Var):
            continue
        for n in names:
            if lw.env.get(n) is was:
                lw.env[n] = new


def carried(lw: Any, stmts: list) -> set[str]:
    """The caller's names a loop over `stmts` must carry: those linked to a field a method
    call in `stmts` may update (any method call of an object built here)."""
    if not getattr(lw, "obj_serial", 0):  # no object with fields that change: nothing linked
        return set()
    links = before(lw)
    if not links or not _calls_method(lw, stmts):
        return set()
    return {n for names in links.values() for n in names if n[:1] != objstate.PREFIX}


def _calls_method(lw: Any, stmts: list) -> bool:
    for s in stmts:
        for n in scope.walk(s):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
                v = n.func.value
                if isinstance(v, gast.Name) and isinstance(lw.env.get(v.id), LocalObj):
                    return True
    return False


def loop_aliases(lw: Any, env0: dict, carried: list, body: list) -> dict[str, str]:
    """{carried name: field's environment name} for the carried names (the caller's, other
    fields) holding a linked field's value at entry that the loop's `body` does not rebind
    (``params = ...``, ``opt.params = ...``): one carry, the field's. (`check` refuses the
    loop when they part in the body.)"""
    keys = _linked_keys(lw, env0)
    if not keys:
        return {}
    assigned = scope.assigned(body)
    attrs = {a.attr for s in body for n in gast.walk(s) if (a := _stored_attr(n)) is not None}
    out: dict[str, str] = {}
    for n in carried:
        v = env0.get(n)
        if not isinstance(v, Var) or n in assigned or n in out:
            continue
        if n[:1] == objstate.PREFIX and n.split(".", 1)[1] in attrs:
            continue
        k = next((k for k in sorted(keys) if k != n and keys[k] is v and k in carried), None)
        if k is not None and k not in out:
            out[n] = k
    return out


def _stored_attr(n: Any) -> Any:
    """The attribute ``a.F`` that `n` stores to (``a.F = v``) or writes into (``a.F[k] = v``,
    ``a.F.append(v)``), else None."""
    if isinstance(n, gast.Attribute) and not isinstance(n.ctx, gast.Load):
        return n
    return _written_through(n)


def joined(names: list, env_t: dict, env_e: dict) -> tuple[list, dict[str, str]]:
    """An ``if``'s joined names without those holding, on both paths, the same value as a
    field's (the caller's `params` and ``opt.params`` after ``opt.step`` in a branch), and those
    links: one result, so they stay one object after the join."""
    if not any(n[:1] == objstate.PREFIX for n in names):
        return names, {}
    links: dict[str, str] = {}
    for k in names:
        if k[:1] != objstate.PREFIX or k in links:
            continue
        t, e = env_t.get(k), env_e.get(k)
        if not (isinstance(t, Var) and isinstance(e, Var)):
            continue
        for n in names:
            if n != k and n not in links and env_t.get(n) is t and env_e.get(n) is e:
                links[n] = k
    return [n for n in names if n not in links], links


def split(lw: Any, env0: dict, carried: list, node: Any) -> tuple[list, dict[str, str]]:
    """A loop's carries without the names `loop_aliases` links to a field, and those links."""
    if not carried or not any(n[:1] == objstate.PREFIX for n in carried):
        return carried, {}
    body = [*getattr(node, "body", [])]
    if isinstance(node, gast.While):
        body.append(gast.Expr(value=node.test))
    links = loop_aliases(lw, env0, carried, body)
    return [n for n in carried if n not in links], links


def bind(carried: list, values: list, links: dict[str, str]) -> dict:
    """{carried name: value} and each linked name bound to its field's."""
    out = dict(zip(carried, values))
    out.update({n: out[k] for n, k in links.items()})
    return out


def check(lw: Any, env: dict, links: dict[str, str], node: Any) -> None:
    """At the end of a loop's body: a linked name must still be its field's object (a helper
    updating it, a method call in a branch: refused, located at the loop)."""
    for n, k in sorted(links.items()):
        if env.get(n) is not env.get(k):
            raise lw.error(
                node,
                f"{objstate.pretty(n)} and {objstate.pretty(k)} of an object are one container "
                "that a method updates in place in this loop, and srcad cannot follow the two as "
                "one object here (one is updated where the other is not seen)",
                "update the container through one object only (or only by its own name)",
            )
