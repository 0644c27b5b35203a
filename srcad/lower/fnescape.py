"""Functions passed into a helper that escape through what it returns, read late.

Input: a function a factory returns (`srcad.lower.fnargs.Carried`, its environment at the
return). Output: the first (function passed in, variable of the caller it reads) through which
Python and the inlining could differ, or None.

A nested function passed as an argument (``apply_later(gg)``, ``@deco def gg``) is carried with
the caller's environment of the call's moment (lower/fnargs.carry): exact while the helper runs
(the caller is suspended). When the helper returns a function that keeps it (``def w(t): return
3.0 * fn(t)``), the caller may call that later, after rebinding a variable `gg` reads
(``s = x[1]``): Python's `gg` reads the new value, the carried one the old, a wrong derivative.
Such a return is refused unless each caller's variable the function passed in reads is fixed:
the function is defined in the lowered function `root`, and the variable is a parameter of
`root` it never assigns, or a local `root` assigns once, outside loops (the one assignment was
before the function was passed: the variable was in its environment). An in-place update of
such a variable is a new SSA value the mutation check sees read stale, as for any alias.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import closures

_LOOPS = (gast.For, gast.AsyncFor, gast.While, gast.ListComp, gast.SetComp, gast.DictComp,
          gast.GeneratorExp)  # fmt: skip


def _reads(fnode: Any) -> set[str]:
    a = fnode.args
    params = {p.id for p in (*a.posonlyargs, *a.args, *a.kwonlyargs) if p is not None}
    params |= {p.id for p in (a.vararg, a.kwarg) if p is not None}
    return closures.free_names(fnode) - closures.own_locals(fnode) - params


def _fixed(root: Any, fnode: Any, name: str) -> bool:
    """`name` is a fixed variable of `root` (module docstring) and `fnode` is defined in it."""
    if root is None or not any(n is fnode for n in gast.walk(root)):
        return False
    a = root.args
    params = {p.id for p in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if p}
    stores: list = []  # (a store of `name`, inside a loop)
    body = root.body if isinstance(root.body, list) else [root.body]  # (a lambda's: one)
    todo: list = [(b, False) for b in body]
    while todo:
        node, looped = todo.pop()
        if isinstance(node, gast.Name) and node.id == name and type(node.ctx) is not gast.Load:
            stores.append(looped)
        if isinstance(node, (gast.Global, gast.Nonlocal)) and name in node.names:
            return False
        inner = looped or isinstance(node, _LOOPS)
        todo.extend((c, inner) for c in gast.iter_child_nodes(node))
    if name in params:
        return not stores
    return stores == [False]


def _unbound(root: Any, v: Any, name: str) -> bool:
    """`name`, not yet bound where `v` was passed, is a variable `root` assigns (Python reads it
    when the function runs; the carried environment has none, so it would read a global)."""
    if name in v.env or root is None:
        return False
    return any(
        isinstance(n, gast.Name) and n.id == name and type(n.ctx) is not gast.Load
        for n in gast.walk(root)
    )


def stale_read(f: Any, root: Any = None, depth: int = 0) -> tuple[str, str] | None:
    """(name of a function passed in that `f` keeps, a caller's variable it reads), or None;
    `root`: the lowered function's tree."""
    env = getattr(f, "env", None)
    if env is None or depth > 4:
        return None
    for n in sorted(_reads(f.node)):
        v = env.get(n)
        if getattr(v, "env", None) is None or not hasattr(v, "node"):
            continue
        if not v.gone:  # passed in: its frame lives on, and may rebind what it reads
            own = sorted(
                m
                for m in _reads(v.node)
                if not m.startswith("$")
                and (m in v.env and not _fixed(root, v.node, m) or _unbound(root, v, m))
            )
            if own:
                return v.name, own[0]
        found = stale_read(v, root, depth + 1)
        if found is not None:
            return found
    return None
