"""``try``, ``with`` and ``match`` statements rewritten into statements the lowering has, before
the name analyses (in place, everywhere in a function's tree).

Input: a function's gast tree (the ``def`` lowered, or one a call inlines: lower/varargs.py) and
its `Namespace`. Output: the same tree, each ``try``/``finally`` without handlers as its two
parts in sequence, each ``try``/``except`` as ``if``s on which part runs (lower/trys.py,
lower/tryflow.py), ``with np.errstate(...)`` as its body, ``with contextlib.suppress(E)`` as a
``try``, a ``match`` on values as an ``if``/``elif`` chain (lower/matches.py); what it does not
take stays, and the statement lowering refuses it where it stands.
"""

from __future__ import annotations

import gast

from srcad.frontend.source import Namespace
from srcad.lower import (
    finallies,
    matchclass,
    matches,
    scope,
    trybodies,
    trycalls,
    tryflow,
    tryglobals,
    trys,
    unbound,
    withgens,
    withs,
)


def flatten_finally(tree: gast.AST, ns: Namespace) -> None:
    """``try: body finally: final`` without handlers is ``body; final`` (in place, everywhere in
    `tree`): when the body completes, Python runs `final` next; when it raises, the exception
    leaves the function either way. Not when `body` or `final` may return, break or continue
    (`final` then runs between the exit and its target, or overrides it): those stay `try`
    statements, which the statement lowering refuses. ``try``/``except``/``finally`` is the
    ``try``/``except`` then `final` (same conditions). A ``try``/``except`` becomes ``if``s on
    which part runs (lower/trys.py, lower/tryflow.py); ``with np.errstate(...)`` ignoring
    errors its body (lower/withs.py); a ``match`` on values an ``if``/``elif`` chain
    (lower/matches.py)."""
    todo, tries = [(tree, frozenset(), {})], []
    local = tryflow.stored(tree)  # (names a handler catching NameError may see unbound)
    every = tryglobals.bound_names(tree)  # (and parameters, imports, defs: lower/tryglobals.py)
    stores = None
    for node, bound, fns in todo:  # breadth first, each node's children read after it
        if isinstance(node, (gast.FunctionDef, gast.Lambda)):  # (its parameters are bound)
            a = node.args
            bound = frozenset(p.id for p in a.posonlyargs + a.args + a.kwonlyargs)
            fns = {}  # (a nested function's own one-expression helpers: lower/trybodies.py)
            if isinstance(node, gast.FunctionDef) and any(_has_try(s) for s in node.body):
                stores = trybodies.count_stores(tree) if stores is None else stores
                fns = trybodies.helpers(node, stores)
        elif isinstance(node, gast.ClassDef):
            fns = {}  # (a class body's names are not the function's)
        before: dict = {}  # a statement -> the names surely bound before it
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            if any(isinstance(s, _REWRITTEN) for s in stmts):
                stmts = _flat(stmts, tries, ns, (bound, local, fns, every))
                setattr(node, field, stmts)
            sure = bound
            for s in stmts:
                before[id(s)] = sure
                sure = (sure | tryflow.sure_stores(s)) - unbound.unbinds_in([s])
        todo += [(c, before.get(id(c), bound), fns) for c in scope.children(node)]


_REWRITTEN = (gast.Try, gast.With, gast.Match)


def _flat(stmts: list, tries: list, ns: Namespace, names: tuple) -> list:
    """`stmts` rewritten; `names`: (those surely bound before them, those the function binds
    anywhere, for lower/tryflow.py; its own helpers; every name it binds or takes as a
    parameter, for lower/tryglobals.py)."""
    out: list = []
    bound, local, fns, every = names
    for s in stmts:
        if out:
            bound = (bound | tryflow.sure_stores(out[-1])) - unbound.unbinds_in(out[-1:])
            names = (bound, local, fns, every)
        if (
            isinstance(s, gast.Try)
            and not s.handlers
            and not s.orelse
            and not scope.may_exit(s.body + s.finalbody)
            and not finallies.awkward(s.body + s.finalbody)  # (an inner `try` returning)
        ):
            out.extend(_flat(s.body + s.finalbody, tries, ns, names))
        elif isinstance(s, gast.Try) and (seq := finallies.inline(s)) is not None:
            out.extend(_flat(seq, tries, ns, names))  # `return` inside: copies
        elif isinstance(s, gast.With) and withs.body_only(s, ns):
            out.extend(body := _flat(s.body, tries, ns, names))
            withs.ignored(s, body)  # (its state kept around their ops: lower/withs.py)
        elif isinstance(s, gast.With) and (seq := withs.null_items(s, ns)) is not None:
            out.extend(_flat(seq, tries, ns, names))  # `nullcontext()`, `ExitStack()`
        elif isinstance(s, gast.With) and (t := withs.raising_try(s, ns)) is not None:
            out.extend(_flat([t], tries, ns, names))  # `np.errstate(divide="raise")`
        elif isinstance(s, gast.With) and (t := withs.suppress_try(s, ns)) is not None:
            out.extend(_flat([t], tries, ns, names))  # `try: body except E: pass`
        elif isinstance(s, gast.With) and (seq := withgens.inline(s, ns, every)) is not None:
            out.extend(_flat(seq, tries, ns, names))  # `with gain(c) as g:` (lower/withgens.py)
        elif isinstance(s, gast.With) and (seq := withs.user_manager(s, ns)) is not None:
            out.extend(_flat(seq, tries, ns, names))  # `with Timer() as t:`
        elif (
            isinstance(s, gast.Match)
            and (new := matches.rewrite(s, len(tries) + 1, matchclass.finder(ns, local)))
            is not None
        ):
            tries.append(s)  # `match` on values: an if/elif chain (lower/matches.py)
            out.extend(_flat(new, tries, ns, names))
        elif isinstance(s, gast.Try) and s.handlers and s.finalbody and not _exits(s):
            # `try: b except E: h else: e finally: f` is `try: b except E: h else: e` then `f`
            # (an exception no handler catches leaves the function after `f` either way)
            inner = gast.Try(body=s.body, handlers=s.handlers, orelse=s.orelse, finalbody=[])
            out.extend(_flat([gast.copy_location(inner, s), *s.finalbody], tries, ns, names))
        elif isinstance(s, gast.Try) and (new := _try(s, len(tries) + 1, ns, names)) is not None:
            tries.append(s)  # `try: y = f(a) except E: ...` as an `if` on which part runs
            out.extend(new)
        else:
            out.append(s)
    return out


def _try(s: gast.Try, n: int, ns: Namespace, names: tuple) -> list | None:
    """A ``try``/``except`` as ``if``s on which part runs: straight-line (lower/trys.py), else
    with branches, loops and ``raise`` (lower/tryflow.py); neither when a handler may catch
    the NameError of a read of a name not surely bound (`tryflow.unbound_caught`)."""
    bound, local, fns, every = names
    if tryflow.unbound_caught(s, ns, bound, local):
        return None
    unbound.end_handlers(s)  # `except E as e:` deletes `e` when it ends
    if tryflow.may_catch(s, ns, NameError):  # (a helper's local read unbound: lower/trycalls.py)
        fns = {k: f for k, f in fns.items() if not isinstance(f, trycalls.Body)}
    glob = tryglobals.global_helpers(s, ns, every)  # (module-level helpers, lower/tryglobals.py)
    if glob and not tryflow.may_catch(s, ns, NameError):
        fns, bound = {**glob, **fns}, bound | frozenset(glob)
    new = trybodies.expand(s, n, fns, bound, ns)  # helpers inlined, comprehensions as loops
    if new is not None and (got := trys.rewrite(new, n, ns) or tryflow.rewrite(new, n, ns)):
        return got
    return trys.rewrite(s, n, ns) or tryflow.rewrite(s, n, ns)


def _has_try(st: gast.AST) -> bool:
    return any(isinstance(x, gast.Try) for x in gast.walk(st))


def _exits(s: gast.Try) -> bool:
    return scope.may_exit(s.body + s.orelse + s.finalbody + [x for h in s.handlers for x in h.body])
