"""A dict of layers filled by item assignments, ``d = {}; d["fc1"] = Dense(w)``, as its display.

Input: a function's tree (lower/lower.py, before the name analyses). Output: its statement
lists with each run of

    layers = {}                       ->  layers = {"fc1": Dense(W1), "act": lambda z: ...}
    layers["fc1"] = Dense(W1)
    layers["act"] = lambda z: ...

merged into one dict display (in place; whether any was), so lower/fnitems.literal follows the
dict as it does ``{"fc1": Dense(W1), ...}``: ``layers[name](h)``, ``for layer in
layers.values()`` call known methods instead of being refused. The target is a name or
``self.<field>``; the keys are str/int constants; each value is a call of a user class the
namespace names (module-level or closure), a lambda, or a name/attribute read, and no value
reads the target's root name (``layers`` or ``self``), so evaluating every value before the
dict is bound, as the display does, is what the stores do: a repeated key keeps its first place
and its last value in both. Other statements end the run; a run with no class call or lambda
(``out = {}; out["loss"] = loss``), or a root declared ``global``/``nonlocal``, is left alone.
"""

from __future__ import annotations

from typing import Any

import gast

_KEYS = (str, int)
_BODIES = ("body", "orelse", "finalbody")
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda)


def rewrite(tree: Any, ns: Any) -> bool:
    """Merge the runs of the module docstring in every statement list of `tree` (a function
    node: its own statements, not its nested functions'); True when one was merged."""
    declared = {
        n for s in gast.walk(tree) if isinstance(s, (gast.Global, gast.Nonlocal)) for n in s.names
    }
    changed = False
    todo = [tree]
    while todo:
        node = todo.pop()
        for field in _BODIES:
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], gast.stmt):
                new = merged(body, ns, declared)
                if new is not None:
                    setattr(node, field, new)
                    changed = True
        for h in getattr(node, "handlers", ()):
            todo.append(h)
        for field in _BODIES:
            for s in getattr(node, field, None) or ():
                if isinstance(s, gast.stmt) and not isinstance(s, _SCOPES):
                    todo.append(s)
    return changed


def merged(body: list, ns: Any, declared: frozenset | set = frozenset()) -> list | None:
    """`body` with its runs merged (module docstring), or None when it has none."""
    out: list = []
    k, changed = 0, False
    while k < len(body):
        s = body[k]
        root = _empty_dict(s)
        if root is None or root in declared:
            out.append(s)
            k += 1
            continue
        keys, values = [], []
        j = k + 1
        while j < len(body) and (kv := _store(body[j], s.targets[0], root, ns)) is not None:
            keys.append(kv[0])
            values.append(kv[1])
            j += 1
        if not any(isinstance(v, (gast.Lambda, gast.Call)) for v in values):
            out.append(s)  # (no layer: `d["loss"] = loss` stays a store)
            k += 1
            continue
        display = gast.Dict(keys=keys, values=values)
        out.append(gast.copy_location(gast.Assign(targets=s.targets, value=display), s))
        gast.copy_location(display, s.value)
        k, changed = j, True
    return out if changed else None


def _empty_dict(s: Any) -> str | None:
    """The root name of ``name = {}`` / ``self.f = {}``, else None."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    v, t = s.value, s.targets[0]
    if not (isinstance(v, gast.Dict) and not v.keys):
        return None
    if isinstance(t, gast.Name):
        return t.id
    if isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name):
        return t.value.id
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, gast.Name) and isinstance(b, gast.Name):
        return a.id == b.id
    return (
        isinstance(a, gast.Attribute) and isinstance(b, gast.Attribute)
        and a.attr == b.attr and _same(a.value, b.value)
    )  # fmt: skip


def keyed_store(s: Any) -> tuple[Any, Any, Any] | None:
    """(container, key, value) of ``container[<str or int constant>] = value``, else None (also
    lower/initappends.py's, for ``self.params["W1"] = W1`` in an ``__init__``)."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    t = s.targets[0]
    if not (isinstance(t, gast.Subscript) and isinstance(t.slice, gast.Constant)):
        return None
    return (t.value, t.slice, s.value) if type(t.slice.value) in _KEYS else None


def _store(s: Any, target: Any, root: str, ns: Any) -> tuple[Any, Any] | None:
    """(key, value) of ``target[<constant>] = <value>`` as the module docstring allows."""
    got = keyed_store(s)
    if got is None or not _same(got[0], target):
        return None
    _, key, v = got
    if any(isinstance(n, gast.Name) and n.id == root for n in gast.walk(v)):
        return None
    if isinstance(v, (gast.Lambda, gast.Name, gast.Attribute)):
        return key, v
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Name) and _class(v.func.id, ns):
        return key, v
    return None


def _class(name: str, ns: Any) -> bool:
    """A user class the namespace binds (module-level or closure: not one the body defines,
    which might read the dict)."""
    where, obj = ns.lookup(name)
    mod = (getattr(obj, "__module__", "") or "").split(".")[0]
    return where in ("global", "free") and isinstance(obj, type) and mod != "builtins"
