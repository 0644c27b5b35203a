"""``for p in ps:`` / ``for p, g in zip(ps, gs):`` whose body writes into the item (``p["vel"] +=
a``, ``p[0] = v``) or updates it with ``p op= v`` (the SGD step ``p -= lr * g``), rewritten before
the name analyses as a loop over positions writing into the list's elements.

Input: a function's tree. Output: the tree changed in place; each such loop becomes::

    _srcad.item_loop_check(("w", ps, ...))   # a list, or an array's rows (views)
    for $eachN in range(len(ps)):             # zip: range(min(len(ps), len(gs)))
        g = gs[$eachN]                        # a target the body does not write into
        ...ps[$eachN]["vel"] += a...          # every `p` of the body: `ps[$eachN]`

and, where a target is updated with ``op=``::

    if srcad_items_in_place(("a", ps, ...)):  # lists (dicts) of NumPy arrays, an array's rows
        for $eachN in range(len(ps)): ... ps[$eachN] -= lr * g ...
    else:                                     # numbers: the loop as written
        for p, g in zip(ps, gs): p = srcad_as_number(p); p -= lr * g

``for k, v in d.items():`` / ``for v in d.values():`` updating `v` so: ``for k in d:`` with
every `v` read as ``d[k]``, in the same ``if``.

Python's `p` is the list's element itself, so a write through it changes the list; srcad's values
are immutable and the write would be lost (a read of `ps` after it was refused), while writes
into ``ps[i][k]`` are written back into `ps` (passes/alias_nested.py, which also refuses an
element shared with another name or slot). ``p op= v`` updates the element in place only when
it is a NumPy array; a number is rebound, the list unchanged, which the loop as written does
(`rules/argcopies.as_number` refuses, at the item, anything else there). The loop over
positions refuses at run time (`item_loop_check`) a `zip` source that is no list, tuple,
array or range, which indexing would not walk as iteration does. Only where that is exact: the
targets and the iterables are plain names (an iterable of a zip read only may be any expression,
bound to a name of its own just before the loop: `_hoisted`), the body neither rebinds `p`, nor
reads the iterables, nor leaves the loop early (``break``/``continue``/``return``), nor defines
functions, there is no ``else``, and `p` is used nowhere else in the function (Python's `p`
after the loop is the last element) but as the item of another ``for p in ...`` loop. `bind`
binds the two helpers' names for the lowering (lower/lower.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import gast

from srcad.lower.values import PrimRef
from srcad.rules.argcopies import as_number, items_in_place

_BUILTINS = ("range", "len", "isinstance", "list", "zip", "min")
_EXITS = (gast.Break, gast.Continue, gast.Return, gast.Yield, gast.YieldFrom, gast.Await)
_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
CHECK = "srcad.runtime.item_loop_check"  # the op lower/stmts.py emits for the check (`_checked`)
IN_PLACE, AS_NUMBER = "srcad_items_in_place", "srcad_as_number"  # names `bind` binds


def rewrite(root: Any, ns: Any) -> bool:
    """Rewrite the loops of `root` described in the module docstring; whether any changed."""
    if any(ns.lookup(n)[0] != "builtin" for n in _BUILTINS):
        return False

    def replace(s: gast.For, n: int) -> list | None:
        if getattr(s, "srcad_kept", False):
            return None
        plan = _eligible(root, s)
        if plan is not None:
            return _rewritten(s, plan, f"srcad_each{n}")
        hoisted = _hoisted(root, s, n)
        if hoisted is not None:
            return hoisted
        entries = _dict_plan(root, s)
        return None if entries is None else _dict_rewritten(s, entries, f"srcad_each{n}")

    return rewrite_fors(root, replace)


def rewrite_fors(
    root: Any, replace: Callable[[gast.For, int], list | None], revisit: bool = False
) -> bool:
    """Replace, in every statement list below `root` (not in nested functions or classes), each
    ``for`` loop by the statements `replace(loop, n)` gives (`n`: 1, 2, ... per replacement), or
    keep it (None); `revisit`: the last replacing statement's own lists are visited too (a
    loop nested in a rewritten one). Whether any loop was replaced."""
    changed = False
    todo, n = [root], 0
    while todo:
        owner = todo.pop()
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(owner, field, None)
            if not isinstance(stmts, list):
                continue
            k = 0
            while k < len(stmts):
                s = stmts[k]
                new = replace(s, n + 1) if isinstance(s, gast.For) else None
                if new is not None:
                    n += 1
                    stmts[k : k + 1] = new
                    if revisit:
                        todo.append(new[-1])
                    changed = True
                    k += len(new)
                    continue
                t = type(s)
                nests = _NESTS.get(t)
                if nests is None:  # (statements with no statement lists are not visited)
                    nests = _NESTS[t] = not issubclass(t, _NESTED) and _has_lists(t)
                if nests:
                    todo.append(s)
                k += 1
        for h in getattr(owner, "handlers", None) or ():
            todo.append(h)
    return changed


_NESTS: dict[type, bool] = {}  # statement type -> whether `rewrite_fors` looks inside it


def _has_lists(t: type) -> bool:
    """Nodes of type `t` may hold statement lists (or `except` handlers)."""
    return any(f in t._fields for f in ("body", "orelse", "finalbody", "handlers"))


_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _names(node: Any, name: str) -> list:
    """The Name nodes of `name` below `node`, except in comprehensions binding their own `name`
    (a variable of theirs, Python 3) but their first iterable, and in lambdas and nested
    functions with a parameter `name` (``key=lambda p: p["x"]``) but their defaults."""
    out, todo = [], [node]
    while todo:
        m = todo.pop()
        if isinstance(m, gast.Name) and m.id == name:
            out.append(m)
        if isinstance(m, _COMPS) and any(
            isinstance(t, gast.Name) and t.id == name
            for g in m.generators
            for t in gast.walk(g.target)
        ):
            todo.append(m.generators[0].iter)
            continue
        if isinstance(m, _NESTED[:3]) and name in _params(m.args):
            todo.extend(d for d in (*m.args.defaults, *m.args.kw_defaults) if d is not None)
            todo.extend(getattr(m, "decorator_list", ()))  # (evaluated where it is defined)
            continue
        todo.extend(gast.iter_child_nodes(m))
    return out


def _params(a: gast.arguments) -> set[str]:
    """The names of a function's or lambda's parameters."""
    every = (*getattr(a, "posonlyargs", ()), *a.args, *a.kwonlyargs, a.vararg, a.kwarg)
    return {t.id for t in every if isinstance(t, gast.Name)}


def _names_all(node: Any, name: str) -> list:
    return [m for m in gast.walk(node) if isinstance(m, gast.Name) and m.id == name]


def _pairs(s: gast.For) -> list[tuple[str, str]] | None:
    """[(target, iterable)] of ``for p in ps`` or ``for p, g in zip(ps, gs)`` (plain names, or
    an iterable ``self.params``: `_dotted`)."""
    if isinstance(s.target, gast.Name) and _dotted(s.iter) is not None:
        return [(s.target.id, _dotted(s.iter))]
    it, t = s.iter, s.target
    if not (isinstance(t, gast.Tuple) and isinstance(it, gast.Call) and not it.keywords):
        return None
    if not (isinstance(it.func, gast.Name) and it.func.id == "zip"):
        return None
    names = [e.id if isinstance(e, gast.Name) else None for e in t.elts]
    names += [_dotted(a) for a in it.args]
    if None in names or len(t.elts) != len(it.args) or len(t.elts) < 2:
        return None
    return list(zip(names[: len(t.elts)], names[len(t.elts) :]))


def _dotted(e: Any) -> str | None:
    """``ps`` for the name `ps`, ``"self.params"`` for a field ``self.params`` (an optimizer's
    list of arrays: the rewritten body writes ``self.params[i]``, a field write), else None."""
    if isinstance(e, gast.Name):
        return e.id
    if isinstance(e, gast.Attribute) and isinstance(e.value, gast.Name):
        return f"{e.value.id}.{e.attr}"
    return None


def updated_sources(s: gast.For) -> set[str]:
    """The iterables (`_dotted`) of ``for p in ps`` / ``for p, g in zip(ps, gs)`` whose item the
    body updates with ``op=`` (the SGD step ``p -= lr * g``: `ps`'s arrays updated in place),
    for lower/argwrites.py and lower/escapes.py, which count it as a write of `ps`."""
    pairs = _pairs(s)
    if not pairs:
        return set()
    aug = {
        m.target.id
        for st in s.body
        for m in gast.walk(st)
        if isinstance(m, gast.AugAssign) and isinstance(m.target, gast.Name)
    }
    if any("." in ps for _, ps in pairs) and any(
        p not in aug and any(_written_item(m, p) for st in s.body for m in gast.walk(st))
        for p, _ in pairs
    ):
        return set()  # (a field's items written into: `_eligible` leaves the loop as it is)
    return {ps for p, ps in pairs if p in aug}


def _reads_field(inner: list, source: str) -> bool:
    """Does the body (`inner`, its nodes) read or write the field ``base.attr`` `source`, bind
    `base`, or hand `base` on (a call ``f(self)``, a method ``self.m()``: either may rebind the
    field, which zip read once)?"""
    base, attr = source.split(".")
    for m in inner:
        if isinstance(m, gast.Attribute) and isinstance(m.value, gast.Name):
            if m.value.id == base and m.attr == attr:
                return True
        elif isinstance(m, gast.Name) and m.id == base and not isinstance(m.ctx, gast.Load):
            return True
        elif isinstance(m, gast.Call):
            f = m.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
                if f.value.id == base:
                    return True
            if any(isinstance(a, gast.Name) and a.id == base for a in m.args) or any(
                isinstance(k.value, gast.Name) and k.value.id == base for k in m.keywords
            ):
                return True
    return False


def _eligible(root: Any, s: gast.For) -> list[tuple[str, str, str]] | None:
    """[(target, iterable, "a" (updated by ``op=``) / "w" (written into) / "r" (read only))],
    or None when the loop is not rewritten."""
    pairs = _pairs(s)
    if s.orelse or pairs is None:
        return None
    targets, sources = [p for p, _ in pairs], {ps for _, ps in pairs}
    if len(set(targets)) != len(targets) or set(targets) & sources:
        return None
    inner = [m for st in s.body for m in gast.walk(st)]
    if any(isinstance(m, _EXITS + _NESTED) for m in inner):
        return None
    if any(isinstance(m, gast.Name) and m.id in sources for m in inner):
        return None
    if any("." in ps and _reads_field(inner, ps) for ps in sources):
        return None
    aug = {m.target.id for m in inner if isinstance(m, gast.AugAssign)
           and isinstance(m.target, gast.Name)}  # fmt: skip
    aug_targets = {id(m.target) for m in inner if isinstance(m, gast.AugAssign)}
    plan = []
    for p, ps in pairs:
        how = "a" if p in aug else "w" if any(_written_item(m, p) for m in inner) else "r"
        plan.append((p, ps, how))
        if how == "r":
            continue
        if any(isinstance(m, _COMPS) and _names(m, p) != _names_all(m, p) for m in inner):
            return None  # a comprehension of the body with a `p` of its own
        uses = [m for m in inner if isinstance(m, gast.Name) and m.id == p]
        if any(not isinstance(m.ctx, gast.Load) and id(m) not in aug_targets for m in uses):
            return None
        if len(_names(root, p)) != len(uses) + 1 + _in_other_loops(root, s, p):
            return None  # `p` elsewhere in the function
    if all(how == "r" for _, _, how in plan):
        return None
    if any("." in ps for _, ps, _ in plan) and any(how == "w" for _, _, how in plan):
        return None  # (a field `self.F` only with the SGD step and reads: `updated_sources`)
    return plan


def _hoisted(root: Any, s: gast.For, n: int) -> list | None:
    """``for p, g in zip(ps, [a, b])``: the iterables that are no plain names but only read
    (``[g["W"], g["b"]]``, ``grads.values()``) bound first to names of their own, then the loop
    rewritten as `_eligible` plans; None (the loop left as it was) otherwise. zip evaluates its
    arguments once, before the first item, so binding them just before the loop is the same."""
    it = s.iter
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id == "zip"):
        return None
    if it.keywords or all(isinstance(a, gast.Name) for a in it.args):
        return None
    bad = (gast.Starred, gast.NamedExpr, *_EXITS, *_NESTED)
    if any(isinstance(m, bad) for a in it.args for m in gast.walk(a)):
        return None
    names = {
        j: f"srcad_items{n}_{j}" for j, a in enumerate(it.args) if not isinstance(a, gast.Name)
    }
    args = [_load(names[j], a) if j in names else a for j, a in enumerate(it.args)]
    s.iter = gast.copy_location(gast.Call(func=it.func, args=args, keywords=[]), it)
    plan = _eligible(root, s)
    if plan is None or any(how != "r" for _, ps, how in plan if ps in names.values()):
        s.iter = it  # (a hoisted iterable written into: its items are another object's)
        return None
    binds = [
        gast.copy_location(gast.Assign(
            targets=[gast.Name(id=names[j], ctx=gast.Store(), annotation=None, type_comment=None)],
            value=it.args[j],
            type_comment=None,
        ), it.args[j])
        for j in sorted(names)
    ]  # fmt: skip
    return binds + _rewritten(s, plan, f"srcad_each{n}")


def _in_other_loops(root: Any, s: gast.For, p: str) -> int:
    """How many names `p` are the target or in the body of another ``for p in ...`` (not around
    `s`): there `p` is that loop's item, never `s`'s (the loop's iterable and ``else`` read the
    `p` before it, and count as uses)."""
    n = 0
    for t in gast.walk(root):
        if not isinstance(t, gast.For) or t is s:
            continue
        bound = _names_all(t.target, p)  # ``for p in ...``, ``for e, p in zip(...)``
        if not bound or any(m is s for m in gast.walk(t)):
            continue
        n += len(bound) + sum(len(_names(b, p)) for b in t.body)
    return n


def _dict_plan(root: Any, s: gast.For) -> tuple[str, str, str, str | None] | None:
    """(value name, dict name, "A" (updated by ``op=``) / "W" (written into), key name or None)
    of ``for v in d.values():`` / ``for k, v in d.items():`` whose body updates `v` in place
    (``v -= lr * g[k]``), or None."""
    it, t = s.iter, s.target
    if s.orelse or not (isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute)):
        return None
    if it.args or it.keywords or not isinstance(it.func.value, gast.Name):
        return None
    d, attr = it.func.value.id, it.func.attr
    if attr == "values" and isinstance(t, gast.Name):
        key, v = None, t.id
    elif attr == "items" and isinstance(t, gast.Tuple) and len(t.elts) == 2:
        if not all(isinstance(e, gast.Name) for e in t.elts):
            return None
        key, v = t.elts[0].id, t.elts[1].id
    else:
        return None
    if len({d, v, key}) != 3:
        return None
    inner = [m for st in s.body for m in gast.walk(st)]
    if any(isinstance(m, _EXITS + _NESTED) for m in inner):
        return None
    names = [m for m in inner if isinstance(m, gast.Name)]
    aug_targets = {id(m.target) for m in inner if isinstance(m, gast.AugAssign)}
    if any(m.id == d or (m.id == key and not isinstance(m.ctx, gast.Load)) for m in names):
        return None
    uses = [m for m in names if m.id == v]
    if any(not isinstance(m.ctx, gast.Load) and id(m) not in aug_targets for m in uses):
        return None
    if any(isinstance(m, _COMPS) and _names(m, v) != _names_all(m, v) for m in inner):
        return None
    if len(_names(root, v)) != len(uses) + 1:
        return None  # `v` elsewhere in the function
    if any(id(m) in aug_targets for m in uses):
        return v, d, "A", key
    return (v, d, "W", key) if any(_written_item(m, v) for m in inner) else None


def _dict_rewritten(s: gast.For, entries: tuple, index: str) -> list:
    """``for k in d:`` (`k`: the loop's key, or `index`) with `v` read as ``d[k]``."""
    v, d, how, key = entries
    key = key or index
    at = lambda n: gast.copy_location(n, s)  # noqa: E731

    class Sub(gast.NodeTransformer):
        def visit_Name(self, m: gast.Name) -> Any:
            if m.id != v:
                return m
            ctx = gast.Store() if isinstance(m.ctx, gast.Store) else gast.Load()
            return gast.copy_location(gast.Subscript(_load(d, m), _load(key, m), ctx), m)

    test = gast.Tuple([at(gast.Constant(how, None)), _load(d, s.iter)], gast.Load())
    check = at(gast.Assert(test=at(test), msg=None))
    check.srcad_check = CHECK  # type: ignore[attr-defined]
    target = gast.Name(id=key, ctx=gast.Store(), annotation=None, type_comment=None)
    kept = _kept(s, [v] if how == "A" else [])
    body = [Sub().visit(st) for st in s.body]
    loop = gast.For(target=at(target), iter=_load(d, s.iter), body=body, orelse=[],
                    type_comment=None)  # fmt: skip
    if kept is None:
        return [check, at(loop)]
    call = gast.Call(func=_load(IN_PLACE, s.iter), args=[at(test)], keywords=[])
    return [at(gast.If(test=at(call), body=[at(loop)], orelse=[kept]))]


def _kept(s: gast.For, numbers: list[str]) -> gast.For | None:
    """The loop `s` as written, for items that are numbers (`numbers`: the targets ``op=``
    rebinds then, each first bound to ``srcad_as_number(p)``, which the mutation check takes
    for a number), or None when no target is updated with ``op=``."""
    if not numbers:
        return None
    kept = copy.deepcopy(s)
    kept.srcad_kept = True  # (not rewritten again)
    load = lambda n: _load(n, s.target)  # noqa: E731
    binds = [
        gast.copy_location(gast.Assign(
            targets=[gast.Name(id=p, ctx=gast.Store(), annotation=None, type_comment=None)],
            value=gast.Call(func=load(AS_NUMBER), args=[load(p)], keywords=[]),
            type_comment=None,
        ), s)
        for p in numbers
    ]  # fmt: skip
    for b in binds:
        for m in gast.walk(b):
            gast.copy_location(m, s)
    kept.body = binds + kept.body
    return kept


def bind(lw: Any) -> None:
    """Bind the names the rewritten loops call (`IN_PLACE`, `AS_NUMBER`) to their helpers."""
    bind_env(lw.env)


def bind_env(env: dict) -> None:
    """`bind` in the environment `env` (an inlined helper's: lower/varargs.inline_call)."""
    env[IN_PLACE] = PrimRef("srcad.runtime.items_in_place", items_in_place, None)
    env[AS_NUMBER] = PrimRef("srcad.runtime.as_number", as_number, None)


def _written_item(node: Any, p: str) -> bool:
    """`node` stores into an item of `p` (``p[k] = v``, ``p[k][j] += v``)."""
    if not (isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store)):
        return False
    while isinstance(node, gast.Subscript):
        node = node.value
    return isinstance(node, gast.Name) and node.id == p


def _load(name: str, like: Any) -> Any:
    """The Name `name` (a `_dotted` ``base.attr``: that attribute) at `like`'s place."""
    base, _, attr = name.partition(".")
    out = gast.Name(id=base, ctx=gast.Load(), annotation=None, type_comment=None)
    if attr:
        out = gast.Attribute(value=gast.copy_location(out, like), attr=attr, ctx=gast.Load())
    return gast.copy_location(out, like)


def _rewritten(s: gast.For, plan: list[tuple[str, str, str]], index: str) -> list:
    subst = {p: ps for p, ps, how in plan if how != "r"}

    class Sub(gast.NodeTransformer):
        def visit_Name(self, m: gast.Name) -> Any:
            if m.id not in subst:
                return m
            ctx = gast.Store() if isinstance(m.ctx, gast.Store) else gast.Load()
            item = gast.Subscript(value=_load(subst[m.id], m), slice=_load(index, m), ctx=ctx)
            return gast.copy_location(item, m)

    call = lambda f, *a: gast.copy_location(  # noqa: E731
        gast.Call(func=_load(f, s.iter), args=list(a), keywords=[]), s.iter
    )
    at = lambda n: gast.copy_location(n, s)  # noqa: E731
    reads = [
        at(gast.Assign(
            targets=[gast.Name(id=p, ctx=gast.Store(), annotation=None, type_comment=None)],
            value=gast.Subscript(value=_load(ps, s), slice=_load(index, s), ctx=gast.Load()),
            type_comment=None,
        ))
        for p, ps, how in plan if how == "r"
    ]  # fmt: skip
    kept = _kept(s, [p for p, _, how in plan if how == "a"])
    body = reads + [Sub().visit(st) for st in s.body]
    # (lower/stmts.py emits `_checked`'s op for it: a list, or an array's rows, which are views)
    kinds = gast.Constant("".join(how for _, _, how in plan), None)
    test = gast.Tuple([at(kinds), *(_load(ps, s.iter) for _, ps, _ in plan)], gast.Load())
    check = at(gast.Assert(test=at(test), msg=None))
    check.srcad_check = CHECK  # type: ignore[attr-defined]
    if kept is not None:  # `if srcad_items_in_place(...): <loop> else: <s>`
        check.test = call(IN_PLACE, at(test))
    lens = [call("len", _load(ps, s.iter)) for ps in dict.fromkeys(ps for _, ps, _ in plan)]
    target = gast.copy_location(
        gast.Name(id=index, ctx=gast.Store(), annotation=None, type_comment=None), s.target
    )
    loop = at(
        gast.For(
            target=target,
            iter=call("range", lens[0] if len(lens) == 1 else call("min", *lens)),
            body=body,
            orelse=[],
            type_comment=None,
        )
    )
    if kept is None:
        return [check, loop]
    return [at(gast.If(test=check.test, body=[loop], orelse=[kept]))]
