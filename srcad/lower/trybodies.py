"""A ``try`` body the step rewrites do not take as it stands, made into one they take: calls of
the function's own one-expression helpers inlined, list comprehensions and ``sum`` of a
generator as loops.

Input: the gast ``Try``, its number, the helpers (`helpers`) and the names surely bound before
it. Output: a copy of the ``Try`` (lower/tryprep.py uses it only when lower/trys.py or
lower/tryflow.py then takes it; else the original is refused where it stands), or None.

- ``h(a, b)`` where `h` is a ``def h(p, q): return e`` or ``h = lambda p, q: e`` of the same
  function, bound there once (before the ``try``), with positional parameters and no nested
  scope in `e`: the call becomes an `Inline` marker that lower/trysteps.Split takes apart in
  Python's order: the arguments' steps, then ``$try{n}v{k} = a`` per parameter, then the steps
  of `e` with the parameters renamed (a closure reads the enclosing names when called: the same
  names, read at the same point);
- a call of a helper of several statements (``def h(p): ...; return e``): inlined as statements
  before the statement calling it (lower/trycalls.py);
- ``y = [e for v in xs if c]`` (the whole right side) is ``$try{n}c{k} = []`` then ``for
  $v in xs: if c: $c = $c + [e]`` then ``y = $c``: Python builds the list in this order;
- ``y = sum(e for v in xs if c)`` likewise with ``$c = 0`` and ``$c = $c + e``: what Python's
  ``sum`` computes (its start 0, then each item added in order), each addition checked.

Comprehension variables are renamed (their own scope); an element with a nested scope (a
lambda, another comprehension) is not taken.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower import trycalls

_SCOPES = (gast.Lambda, gast.ListComp, gast.GeneratorExp, gast.SetComp, gast.DictComp,
           gast.NamedExpr, gast.Yield, gast.YieldFrom, gast.Await)  # fmt: skip


class Inline:
    """A helper to inline: its parameter names and its returned expression."""

    def __init__(self, params: list, body: Any) -> None:
        self.params, self.body = params, body


def helpers(fn: Any, stores: dict) -> dict:
    """The one-expression helpers of the function `fn` (gast): name -> `Inline`; `stores`
    counts every binding of each name anywhere in the tree."""
    out: dict = {}
    todo = list(fn.body)
    while todo:
        st = todo.pop()
        if isinstance(st, (gast.If, gast.For, gast.While, gast.With, gast.Try)):
            for field in ("body", "orelse", "finalbody"):
                todo += getattr(st, field, None) or []
            todo += [x for h in getattr(st, "handlers", []) for x in h.body]
            continue
        name, got = None, None
        if isinstance(st, gast.FunctionDef) and not st.decorator_list:
            body = st.body
            if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
                body = body[1:]  # (a docstring)
            if len(body) == 1 and isinstance(body[0], gast.Return) and body[0].value is not None:
                name, got = st.name, _inline(st.args, body[0].value)
            else:  # (several statements: inlined as statements, lower/trycalls.py)
                name, got = st.name, trycalls.body_helper(st, body)
        elif (
            isinstance(st, gast.Assign)
            and len(st.targets) == 1
            and isinstance(st.targets[0], gast.Name)
            and isinstance(st.value, gast.Lambda)
        ):
            name, got = st.targets[0].id, _inline(st.value.args, st.value.body)
        if got is not None and stores.get(name) == 1:
            out[name] = got
    return out


def _inline(a: Any, body: Any) -> Inline | None:
    if a.vararg or a.kwarg or a.kwonlyargs or a.defaults or a.kw_defaults:
        return None
    params = a.posonlyargs + a.args
    if not all(isinstance(p, gast.Name) for p in params) or _nested(body):
        return None
    return Inline([p.id for p in params], body)


def _nested(e: Any) -> bool:
    return any(isinstance(x, _SCOPES) for x in gast.walk(e))


def count_stores(tree: Any) -> dict:
    """How many times each name is bound (stored, deleted, defined) anywhere in `tree`."""
    out: dict = {}
    for x in gast.walk(tree):
        if isinstance(x, gast.Name) and isinstance(x.ctx, (gast.Store, gast.Del)):
            out[x.id] = out.get(x.id, 0) + 1
        elif isinstance(x, (gast.FunctionDef, gast.ClassDef)):
            out[x.name] = out.get(x.name, 0) + 1
        elif isinstance(x, (gast.Global, gast.Nonlocal)):
            for n in x.names:
                out[n] = out.get(n, 0) + 2  # (never inlined)
    return out


def expand(s: gast.Try, n: int, fns: dict, bound: frozenset, ns: Any = None) -> gast.Try | None:
    """`s` with the rewrites of the module docstring, or None when there is none to make."""
    new = copy.deepcopy(s)
    ex = _Expand(n, {k: v for k, v in fns.items() if k in bound})
    ex.ns = ns
    body = ex.block(new.body)
    if body is None or not ex.changed:
        return None
    new.body = body
    return new


class _Expand:
    def __init__(self, n: int, fns: dict) -> None:
        self.n, self.fns, self.k, self.changed, self.depth = n, fns, 0, False, 0
        self.ns: Any = None  # (the function's namespace: library callables, lower/trycalls.py)

    def block(self, stmts: list) -> list | None:
        out: list = []
        for st in stmts:
            if isinstance(st, (gast.If, gast.For, gast.While)):
                for field in ("body", "orelse"):
                    got = self.block(getattr(st, field))
                    if got is None:
                        return None
                    setattr(st, field, got)
                self._calls(st.test if not isinstance(st, gast.For) else st.iter)
                out.append(st)
                continue
            if isinstance(st, (gast.FunctionDef, gast.ClassDef, gast.Try, gast.With)):
                out.append(st)
                continue
            loop = self._comprehension(st)
            if loop is not None:
                out += loop
                continue
            if self.depth < 4 and (seq := self._body_call(st)) is not None:
                out += seq
                continue
            self._calls(st)
            out.append(st)
        return out

    def _body_call(self, st: Any) -> list | None:
        """A call of a several-statement helper inlined as statements (lower/trycalls.py), the
        statements then expanded in turn (a helper calling helpers: a few levels deep)."""
        seq = trycalls.expand_call(st, self.fns, self.n, self.k + 1, self.ns)
        if seq is None:
            return None
        self.k += 1
        self.depth += 1
        got = self.block(seq)
        self.depth -= 1
        self.changed = True
        return got

    def _calls(self, node: Any) -> None:
        """Calls of the helpers in `node` made `Inline` markers (not inside nested scopes)."""
        for x in gast.walk(node):
            if isinstance(x, _SCOPES):
                return  # (a nested scope: its names are not the function's)
        for x in gast.walk(node):
            if (
                isinstance(x, gast.Call)
                and isinstance(x.func, gast.Name)
                and isinstance(self.fns.get(x.func.id), Inline)
                and not x.keywords
                and len(x.args) == len(self.fns[x.func.id].params)
                and not any(isinstance(a, gast.Starred) for a in x.args)
            ):
                x.func = gast.copy_location(gast.Constant(value=self.fns[x.func.id], kind=None),
                                            x.func)  # fmt: skip
                self.changed = True

    def _comprehension(self, st: Any) -> list | None:
        """``y = [e for ...]`` / ``y = sum(e for ...)`` as loops (module docstring), or None."""
        if not (isinstance(st, gast.Assign) and len(st.targets) == 1):
            return None
        v, total = st.value, False
        if (
            isinstance(v, gast.Call)
            and isinstance(v.func, gast.Name)
            and v.func.id == "sum"
            and "sum" not in self.fns
            and len(v.args) == 1
            and not v.keywords
            and isinstance(v.args[0], (gast.GeneratorExp, gast.ListComp))
        ):
            v, total = v.args[0], True
        if not isinstance(v, (gast.ListComp, gast.GeneratorExp) if total else gast.ListComp):
            return None
        if _nested(v.elt) or any(_nested(g) for g in v.generators):
            return None
        if any(g.is_async for g in v.generators):
            return None
        self.k += 1
        acc = f"$try{self.n}c{self.k}"
        names: dict = {}
        gens = []
        for j, g in enumerate(v.generators):
            it = (
                trycalls.renamed(g.iter, names) if j else g.iter
            )  # (the first: the enclosing scope)
            targets = [x for x in gast.walk(g.target) if isinstance(x, gast.Name)]
            parts = [x for x in gast.walk(g.target) if isinstance(x, gast.expr)]
            if not all(isinstance(x, (gast.Name, gast.Tuple, gast.List)) for x in parts):
                return None
            for t in targets:
                names[t.id] = f"{acc}_{t.id}"
            gens.append(
                (trycalls.renamed(g.target, names), it, [trycalls.renamed(c, names) for c in g.ifs])
            )
        elt = trycalls.renamed(v.elt, names)
        item = elt if total else gast.List(elts=[elt], ctx=gast.Load())
        add = gast.BinOp(left=trycalls.load(acc), op=gast.Add(), right=item)
        inner: list = [trycalls.assign(acc, add)]
        for target, it, ifs in reversed(gens):
            for c in reversed(ifs):
                inner = [gast.If(test=c, body=inner, orelse=[])]
            inner = [gast.For(target=target, iter=it, body=inner, orelse=[], type_comment=None)]
        start = gast.Constant(value=0, kind=None) if total else gast.List(elts=[], ctx=gast.Load())
        self._calls(inner[0])
        out = [trycalls.assign(acc, start), *inner, _assign_to(st.targets[0], trycalls.load(acc))]
        for node in out:
            for sub in gast.walk(node):
                if isinstance(sub, (gast.stmt, gast.expr)):
                    gast.copy_location(sub, st)
        self.changed = True
        return out


def _assign_to(target: Any, value: Any) -> gast.Assign:
    return gast.Assign(targets=[target], value=value, type_comment=None)


def inline(split: Any, e: gast.Call, top: bool) -> Any:
    """The steps of ``h(args)`` (`e.func` an `Inline` marker) on lower/trysteps.Split `split`:
    the arguments', each bound to a temp, then those of the body with the parameters renamed;
    the value as `Split.expr` gives it, or None."""
    fn = e.func.value
    args = [split.expr(a) for a in e.args]
    if None in args:
        return None
    names = {}
    for p, a in zip(fn.params, args):
        split.temps += 1
        temp = f"$try{split.n}v{split.temps}"
        split.steps.append(("stmt", gast.copy_location(trycalls.assign(temp, a), e)))
        names[p] = temp
    body = trycalls.renamed(fn.body, names)
    for sub in gast.walk(body):
        if isinstance(sub, gast.expr):
            gast.copy_location(sub, e)  # (errors point at the call)
    return split.expr(body, top)
