"""A list of lambdas made by a comprehension over values known only at run time (the rows of an
array, a list's items), rewritten before the name analyses into the items and a lambda made
where each is used.

Input: a function's tree. Output: the tree changed in place (whether it changed)::

    fs = [lambda z, row=row: np.sum(z * row) for row in m]
    t = sum(g(v) for g in fs)
    for g in fs: y = g(y)
    y = fs[k](x) + len(fs)

becomes (``srcad_fns1_row`` a fresh name for the comprehension's target)::

    srcad_fns1 = list(m)
    t = sum(g(v) for srcad_fns1_row in srcad_fns1
            for g in (lambda z, row=srcad_fns1_row: np.sum(z * row),))
    for srcad_fns1_row in srcad_fns1:
        g = lambda z, row=srcad_fns1_row: np.sum(z * row)
        y = g(y)
    y = (lambda z, row=srcad_fns1[k]: np.sum(z * row))(x) + len(srcad_fns1)

Exact: the comprehension runs its iterable once, where it is written (``list(m)`` does), and each
lambda differs from the others only by its defaults, evaluated in its round from the round's
item; a default here reads only the comprehension's targets and names the function never binds
(module globals, builtins), so evaluating it where the lambda is used gives the same value. The
lambda's body reads the other names when it is called, in Python as here. Taken only when the
name is assigned once, by the comprehension (one generator, no ``if``), and read only in the
forms above, none in a nested function; the lambda's body reads no target of the comprehension
(Python's late binding would give it the last item: left alone, refused as before). A
comprehension over constants is lower/fnvalues.lambda_comprehension's.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.placed import placed

_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_PREFIX = "srcad_fns"


def rewrite(root: Any, assigns: list | None = None) -> bool:
    """Rewrite the lists described in the module docstring; whether any changed. `assigns`:
    every ``x = v`` with one plain-name target below `root` (lower/survey.py's), when known:
    without a list comprehension of lambdas among them there is nothing to rewrite (no scan)."""
    if assigns is not None and not any(
        isinstance(a.value, gast.ListComp) and isinstance(a.value.elt, gast.Lambda) for a in assigns
    ):
        return False
    cands = _candidates(root)
    if not cands:
        return False
    assigned = scope.assigned(root.body)
    uses = _uses(root, set(cands))
    changed = False
    for k, (name, (stmt, comp)) in enumerate(sorted(cands.items()), start=1):
        forms = uses.get(name)
        if forms is None or not _lambda_ok(comp, assigned):
            continue
        named = isinstance(comp.generators[0].target, gast.Name)
        if not named and any(kind == "index" for kind, _, _ in forms):
            continue  # (an item's parts would need unpacking where it is indexed)
        reads = {n.id for n in gast.walk(comp.elt) if isinstance(n, gast.Name)}
        if any(reads & shadow for _, _, shadow in forms):
            continue  # used in a comprehension whose target the lambda's names would read
        _apply(root, f"{_PREFIX}{k}", stmt, comp, [(kind, node) for kind, node, _ in forms])
        changed = True
    return changed


def _candidates(root: Any) -> dict:
    """name -> (statement, comprehension) for ``name = [lambda ...: ... for t in it]`` statements
    of the function's own (the only binding of `name`). The statements are scanned first (most
    functions have none: no walk of their expressions)."""
    out: dict = {}
    for n in _own_statements(root.body):
        if not (isinstance(n, gast.Assign) and len(n.targets) == 1):
            continue
        t, v = n.targets[0], n.value
        if isinstance(t, gast.Name) and isinstance(v, gast.ListComp) and _one_plain_gen(v):
            if isinstance(v.elt, gast.Lambda) and not _constant_iter(v.generators[0].iter):
                out[t.id] = (n, v)
    if not out:
        return out
    bound: dict[str, int] = {}
    for n in _own_nodes(root):
        for t in _stored_names(n):
            bound[t] = bound.get(t, 0) + 1
    return {k: v for k, v in out.items() if bound.get(k) == 1}


def _own_statements(body: list) -> list:
    """The statements of `body` at every depth, not inside nested functions or classes."""
    out, todo = [], list(body)
    while todo:
        s = todo.pop()
        out.append(s)
        if isinstance(s, _NESTED):
            continue
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                todo.extend(x for x in sub if isinstance(x, gast.AST))
    return out


def _one_plain_gen(comp: Any) -> bool:
    if len(comp.generators) != 1:
        return False
    g = comp.generators[0]
    return not g.ifs and not g.is_async


def _constant_iter(it: Any) -> bool:
    """``range`` of constants or a display of constants (lower/fnvalues' lambda comprehension)."""
    if isinstance(it, (gast.Tuple, gast.List)):
        return all(isinstance(e, gast.Constant) for e in it.elts)
    return (
        isinstance(it, gast.Call)
        and isinstance(it.func, gast.Name)
        and it.func.id == "range"
        and all(isinstance(a, gast.Constant) for a in it.args)
    )


def _own_nodes(root: Any) -> list:
    """The nodes of the function's body, not inside nested functions, lambdas or classes."""
    out, todo = [], list(root.body)
    while todo:
        n = todo.pop()
        out.append(n)
        if not isinstance(n, _NESTED):
            todo.extend(c for c in gast.iter_child_nodes(n) if isinstance(c, gast.AST))
    return out


def _stored_names(n: Any) -> list[str]:
    if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
        return [n.id]
    if isinstance(n, (gast.Global, gast.Nonlocal)):
        return [*n.names, *n.names]  # (never a single binding)
    if isinstance(n, _NESTED[:2] + (gast.ClassDef,)):
        return [n.name]
    return []


def _uses(root: Any, names: set[str]) -> dict:
    """name -> the nodes reading it, each in one of the supported forms (module docstring);
    names read otherwise, or in nested functions, are left out."""
    parents = {id(c): p for p in gast.walk(root) for c in gast.iter_child_nodes(p)}
    nested_reads = {
        n.id
        for f in gast.walk(root)
        if isinstance(f, _NESTED) and f is not root
        for n in gast.walk(f)
        if isinstance(n, gast.Name)
    }
    out: dict = {n: [] for n in names - nested_reads}
    for n in gast.walk(root):
        if not (isinstance(n, gast.Name) and n.id in out and isinstance(n.ctx, gast.Load)):
            continue
        form = _form(n, parents.get(id(n)), parents)
        if form is None:
            out.pop(n.id)
        else:
            out[n.id].append((*form, _comprehension_targets(n, parents)))
    return {k: v for k, v in out.items() if v}


def _comprehension_targets(n: Any, parents: dict) -> set[str]:
    """The targets of the comprehensions around `n` (a lambda made there would read them where
    Python's, made in the list's comprehension, reads the function's names)."""
    out: set[str] = set()
    p = parents.get(id(n))
    while p is not None:
        if isinstance(p, _COMPS):
            for g in p.generators:
                scope._target_names(g.target, out)
        p = parents.get(id(p))
    return out


def _form(n: gast.Name, p: Any, parents: dict) -> tuple | None:
    """("for", the For) | ("gen", the comprehension node) | ("index", the Call) | ("len", the
    Call) when the read `n` is one of the supported forms, else None."""
    if isinstance(p, gast.For) and p.iter is n and isinstance(p.target, gast.Name):
        return ("for", p)
    if isinstance(p, gast.comprehension) and p.iter is n and isinstance(p.target, gast.Name):
        return ("gen", p)
    if isinstance(p, gast.Subscript) and p.value is n:
        call = parents.get(id(p))
        idx = p.slice
        if (
            isinstance(call, gast.Call)
            and call.func is p
            and (isinstance(idx, (gast.Constant, gast.Name)) or _negative(idx))
        ):
            return ("index", call)
        return None
    if (
        isinstance(p, gast.Call)
        and isinstance(p.func, gast.Name)
        and p.func.id == "len"
        and p.args == [n]
        and not p.keywords
    ):
        return ("len", p)
    return None


def _negative(idx: Any) -> bool:
    return (
        isinstance(idx, gast.UnaryOp)
        and isinstance(idx.op, gast.USub)
        and isinstance(idx.operand, gast.Constant)
    )


def _lambda_ok(comp: Any, assigned: set[str]) -> bool:
    """The lambda's defaults read only the comprehension's targets and names the function never
    binds; its body reads no target (module docstring)."""
    lam, gen = comp.elt, comp.generators[0]
    targets: set[str] = set()
    scope._target_names(gen.target, targets)
    a = lam.args
    if a.kw_defaults and any(d is not None for d in a.kw_defaults):
        return False
    for d in a.defaults:
        for n in gast.walk(d):
            if isinstance(n, gast.Name) and n.id not in targets and n.id in assigned:
                return False
            if isinstance(n, (gast.NamedExpr, gast.Lambda, *_COMPS)):
                return False
    params = {p.id for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
    params |= {p.id for p in (a.vararg, a.kwarg) if p is not None}
    body_reads = {n.id for n in gast.walk(lam.body) if isinstance(n, gast.Name)}
    return not (body_reads - params) & targets


_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _apply(root: Any, items: str, stmt: Any, comp: Any, forms: list) -> None:
    gen, lam = comp.generators[0], comp.elt
    targets: set[str] = set()
    scope._target_names(gen.target, targets)
    fresh = {t: f"{items}_{t}" for t in sorted(targets)}
    stmt.targets = [_name(items, gast.Store(), stmt.targets[0])]
    stmt.value = placed(
        gast.Call(func=_name("list", gast.Load(), comp), args=[gen.iter], keywords=[]), comp
    )
    for kind, node in forms:
        if kind == "len":
            node.args = [_name(items, gast.Load(), node.args[0])]
        elif kind == "index":
            sub = node.func
            at = {t: placed(gast.Subscript(value=_name(items, gast.Load(), sub),
                                           slice=copy.deepcopy(sub.slice), ctx=gast.Load()), sub)
                  for t in targets}  # fmt: skip
            node.func = _made(lam, at, sub)
        elif kind == "for":
            item_target = _renamed(gen.target, fresh)
            g = node.target
            bind = placed(
                gast.Assign(targets=[g], value=_made(lam, _loads(fresh, g), g), type_comment=None),
                g,
            )
            node.target = item_target
            node.iter = _name(items, gast.Load(), node.iter)
            node.body = [bind, *node.body]
        else:  # a comprehension's generator: the items, then a one-lambda tuple
            g = node.target
            one = placed(gast.Tuple(elts=[_made(lam, _loads(fresh, g), g)], ctx=gast.Load()), g)
            inner = gast.comprehension(target=g, iter=one, ifs=node.ifs, is_async=0)
            node.target = _renamed(gen.target, fresh)
            node.iter = _name(items, gast.Load(), node.iter)
            node.ifs = []
            owner = next(
                c for c in gast.walk(root) if isinstance(c, _COMPS) and node in c.generators
            )
            i = owner.generators.index(node)
            owner.generators.insert(i + 1, placed(inner, g))


def _made(lam: gast.Lambda, values: dict, at: Any) -> gast.Lambda:
    """A copy of `lam` whose defaults read `values` (name -> expression) for the targets."""
    new = copy.deepcopy(lam)

    class Sub(gast.NodeTransformer):
        def visit_Name(self, n: gast.Name) -> Any:
            if n.id in values and isinstance(n.ctx, gast.Load):
                return copy.deepcopy(values[n.id])
            return n

    new.args.defaults = [Sub().visit(d) for d in new.args.defaults]
    return new


def _loads(fresh: dict, at: Any) -> dict:
    return {t: _name(f, gast.Load(), at) for t, f in fresh.items()}


def _renamed(target: Any, fresh: dict) -> Any:
    new = copy.deepcopy(target)
    for n in gast.walk(new):
        if isinstance(n, gast.Name) and n.id in fresh:
            n.id = fresh[n.id]
    return new


def _name(n: str, ctx: Any, at: Any) -> gast.Name:
    return placed(gast.Name(id=n, ctx=ctx, annotation=None, type_comment=None), at)
