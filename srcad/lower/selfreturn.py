"""Loop bodies that rebind a name to the object it holds: ``acc = acc.add(v)`` / ``acc += v``
of an object built here whose method (``add``, ``__iadd__``) returns ``self`` on every path.

Input: the lowering state `lw` (its environment before the loop) and the body's statements.
Output: the names so rebound and nothing else (`rebinds_itself`): not loop-carried, so each stays
the one `LocalObj` (lower/objects.py) and the loop carries its fields instead
(lower/objstate.py), as for ``acc.add(v)`` written as a statement; otherwise carrying the name
would make the object a run-time value, whose fields cannot be written (a refusal). After the
body, `check` makes sure each such name still holds its object (else refused, never a lost
binding)::

    acc = Accum()
    for v in xs:
        acc += v * v      # Accum.__iadd__: self.total += v; return self
    return acc.total      # the field `total` carried, `acc` the object built here
"""

from __future__ import annotations

import ast
import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import source_tree
from srcad.lower import scope
from srcad.lower.values import LocalObj

_IOPS = {gast.Add: "__iadd__", gast.Sub: "__isub__", gast.Mult: "__imul__",
         gast.Div: "__itruediv__", gast.MatMult: "__imatmul__", gast.FloorDiv: "__ifloordiv__",
         gast.Pow: "__ipow__", gast.Mod: "__imod__"}  # fmt: skip


def rebinds_itself(lw: Any, stmts: list) -> set[str]:
    """Names bound to objects built here whose every binding in `stmts` is ``n = n.m(...)`` or
    ``n op= v`` by a method of the object's class returning ``self`` on every path."""
    objs = {k: v for k, v in lw.env.items() if isinstance(v, LocalObj)}
    if not objs:
        return set()
    ok: dict[str, bool] = {}
    for s in stmts:
        for n in scope.walk(s):
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load) and n.id in objs:
                ok.setdefault(n.id, True)
                if not _stored_by(n, stmts):
                    ok[n.id] = False
    found = {k for k, good in ok.items() if good}
    out = set()
    for k in found:
        if all(_returns_self(objs[k].cls, m) for m in _methods(k, stmts)):
            out.add(k)
    if out:
        lw.self_rebound = getattr(lw, "self_rebound", frozenset()) | out
    return out


def _stored_by(name: gast.Name, stmts: list) -> bool:
    """Is this store of a name the target of ``n = n.m(...)`` or ``n op= v`` (one target)?"""
    for s in stmts:
        for node in scope.walk(s):
            if isinstance(node, gast.Assign) and node.targets == [name]:
                v = node.value
                return (
                    isinstance(v, gast.Call)
                    and isinstance(v.func, gast.Attribute)
                    and isinstance(v.func.value, gast.Name)
                    and v.func.value.id == name.id
                )
            if isinstance(node, gast.AugAssign) and node.target is name:
                return type(node.op) in _IOPS
    return False


def _methods(name: str, stmts: list) -> list[str]:
    out = []
    for s in stmts:
        for node in scope.walk(s):
            if isinstance(node, gast.Assign) and getattr(node.targets[0], "id", None) == name:
                out.append(node.value.func.attr)
            elif isinstance(node, gast.AugAssign) and getattr(node.target, "id", None) == name:
                out.append(_IOPS[type(node.op)])
    return out


def _returns_self(cls: type, name: str, seen: frozenset = frozenset()) -> bool:
    """`cls.name` is a plain function whose body ends in ``return self`` and every ``return`` of
    which (outside nested definitions) returns its first parameter, or a call of another method
    of `cls` on it that does so itself (``def __iadd__(self, v): return self.add(v)``)."""
    fn = inspect.getattr_static(cls, name, None)
    if not isinstance(fn, types.FunctionType) or fn.__code__.co_argcount < 1 or name in seen:
        return False
    tree = source_tree(fn)
    if tree is None or not tree.body or not hasattr(tree.body[0], "body"):
        return False
    me = fn.__code__.co_varnames[0]
    body = tree.body[0].body
    seen = seen | {name}
    if not (isinstance(body[-1], ast.Return) and _is_self(body[-1].value, me, cls, seen)):
        return False
    todo = list(body)
    while todo:
        s = todo.pop()
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue  # (a nested function's returns are its own)
        if isinstance(s, ast.Return) and not _is_self(s.value, me, cls, seen):
            return False
        if isinstance(s, (ast.Yield, ast.YieldFrom, ast.Await)):
            return False  # (a generator: the call returns one, not `self`)
        todo.extend(ast.iter_child_nodes(s))
    return True


def _is_self(v: Any, me: str, cls: type, seen: frozenset) -> bool:
    """`v` is the name `me`, or ``me.m(...)`` of a method `m` of `cls` returning ``self``."""
    if _is_name(v, me):
        return True
    f = v.func if isinstance(v, ast.Call) else None
    return (
        isinstance(f, ast.Attribute) and _is_name(f.value, me) and _returns_self(cls, f.attr, seen)
    )


def _is_name(v: Any, me: str) -> bool:
    return isinstance(v, ast.Name) and v.id == me


def check(lw: Any, env0: dict, env_b: dict, carried: list, node: Any) -> None:
    """A name `rebinds_itself` kept out of the carries that the body bound to something else
    than its object (a safety net): refused rather than losing the binding."""
    for k in getattr(lw, "self_rebound", ()):
        v = env0.get(k)
        if isinstance(v, LocalObj) and k not in carried and env_b.get(k) is not v:
            raise lw.error(
                node,
                f"`{k}` is rebound in this loop to what a method of its object returns, and "
                "srcad cannot tell it is the object itself",
                "call the method as a statement (`acc.add(v)`) instead of rebinding the name",
            )
