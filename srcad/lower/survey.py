"""One walk of a function's tree for what the lowering's entry needs to know before it starts.

Input: a gast `FunctionDef` (or `Lambda`) node. Output (`survey`): the names Python treats as its
locals, the functions and lambdas nested in it, its one-name assignments, whether it has a `try`
(or a `with`, or a set literal: lower/lower.py rewrites some of them), and the attribute names
it stores to. While a lowering runs (`scope.caching`), the reads and expression bindings of every
statement below it are cached on the way (`scope.reads`, `scope.assigned` ask for them). It
also lists the nodes that may update an object in place (lower/argcopy.py reads those instead of
walking the tree again).

A recursive walk, post-order for the reads: each statement gets one set of the names read
anywhere below it (its expressions' and its nested statements'), the expressions below a
statement add theirs to it directly (no set per expression node: an expression asked for later,
a loop's test, is computed then, by `scope._fill`). The statements' sets are what `scope._fill`
would compute for them: the union of `scope._own` over every node below, nested functions
included.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import gast

from srcad.lower import scope

_NAME, _CONSTANT, _BINOP, _AST = gast.Name, gast.Constant, gast.BinOp, gast.AST
_LOAD, _STORE, _STMT = gast.Load, gast.Store, gast.stmt
_FN, _LAMBDA, _ASSIGN, _ATTRIBUTE = gast.FunctionDef, gast.Lambda, gast.Assign, gast.Attribute
_AUG, _DELETE, _CALL, _FOR = gast.AugAssign, gast.Delete, gast.Call, gast.For
_DEFS = (gast.FunctionDef, gast.AsyncFunctionDef)
_COMPS = frozenset(scope.COMPREHENSIONS)
_MUTATORS = frozenset({"append", "extend"})
# `visit`'s branch per node class (the others take none): a name, a def or lambda, `x = v`,
# `del`, `for`, a `try` (`with`, a set literal, `match`), a class, an import; then the nodes
# `scope._own` finds reads or bindings in (a `Name` is handled in its branch)
(_K_NAME, _K_FN, _K_ASSIGN, _K_DELETE, _K_FOR, _K_TRY, _K_CLASS, _K_IMPORT, _K_CALL,
 _K_SUBSCRIPT, _K_ATTRIBUTE, _K_AUG, _K_NAMED) = range(13)  # fmt: skip
_KIND: dict[type, int] = {
    _NAME: _K_NAME, _FN: _K_FN, _LAMBDA: _K_FN, _ASSIGN: _K_ASSIGN, _DELETE: _K_DELETE,
    _FOR: _K_FOR, gast.Try: _K_TRY, gast.With: _K_TRY, gast.Set: _K_TRY, gast.Match: _K_TRY,
    gast.ClassDef: _K_CLASS, gast.Import: _K_IMPORT, gast.ImportFrom: _K_IMPORT,
    _CALL: _K_CALL, gast.Subscript: _K_SUBSCRIPT, _ATTRIBUTE: _K_ATTRIBUTE, _AUG: _K_AUG,
    gast.NamedExpr: _K_NAMED,
}  # fmt: skip
# the names of a call without keywords for which `scope._own` finds more than the receiver's
# names: `scope.written_by_call`'s and `scope._UPDATES`
_CALL_OWN = (
    frozenset({"fill", "put", "partition", "copyto", "next"}) | scope._WRITERS | (scope._UPDATES)
)
_OWN, _INNER, _DEEP = 0, 1, 2  # the function's own scope; a comprehension/defaults; a nested fn
_FIELDS: dict[type, tuple[str, ...]] = {}  # per class: the fields that may hold nodes
# fields never holding a node (the contexts and operators, strings, numbers)
_NO_NODE = scope._NO_CHILD | {"type_comment", "attr", "id", "arg", "kind", "is_async", "level",
                              "module", "simple", "conversion"}  # fmt: skip


class Survey(NamedTuple):
    """What `survey` found (its docstring says what each field holds)."""

    locals: set[str]
    nested: list[Any]
    assigns: list[Any]
    has_try: bool
    attr_stores: frozenset[str]
    updates: list[Any]
    loop_names: frozenset[str]
    written_into: frozenset[str]


def survey(node: Any) -> Survey:
    """One walk of a function node -> (the names Python treats as its locals: parameters and
    plain-name binding targets, found in the body without entering nested function, lambda and
    comprehension scopes (a nested `def` binds its name); the functions and lambdas nested
    anywhere in `node` (defaults and decorators too; not those nested in them); every `x = v`
    with one plain-name target anywhere below `node`; whether a `try` occurs anywhere below; the
    attribute names stored to anywhere below, nested functions included: ``a.x = v``,
    ``a.x += v``, for lower/objstate.py); every ``x op= v``, ``del``, call, and assignment with
    other targets than one plain name anywhere below `node` (lower/argcopy.py); the names in
    the target or the iterable (or an argument of the iterable's call) of a ``for`` anywhere
    below, and the names written into anywhere below (``x op= v``, ``x[k] = v``, ``x[k][j] += v``,
    ``del x[k]``: `loops_write_items`). While a lowering runs (`scope.caching`), the reads of
    every statement below are cached on the way."""
    out: set[str] = set()
    args = node.args
    for a in args.posonlyargs + args.args + args.kwonlyargs:
        out.add(a.id)
    if args.vararg:
        out.add(args.vararg.id)
    if args.kwarg:
        out.add(args.kwarg.id)
    w = _Walk(out, scope.current_cache())
    body = node.body if isinstance(node.body, list) else ()
    own = {id(s) for s in body}
    for c in scope.children(node):
        w.visit(c, _OWN if id(c) in own else _INNER, set(), set())
    return Survey(
        out,
        w.nested,
        w.assigns,
        w.has_try,
        frozenset(w.stores),
        w.updates,
        frozenset(w.loop_names),
        frozenset(w.written),
    )


def _walrus_targets(comp: Any) -> set[str]:
    """The names a ``:=`` in the comprehension `comp` binds (not in a lambda or def in it)."""
    out: set[str] = set()
    todo = [comp]
    while todo:
        n = todo.pop()
        if type(n) is gast.NamedExpr and type(n.target) is _NAME:
            out.add(n.target.id)
        todo += [c for c in scope.children(n) if type(c) is not _FN and type(c) is not _LAMBDA]
    return out


class _Walk:
    def __init__(self, out: set[str], cache: dict | None) -> None:
        self.out = out
        self.cache = cache
        self.nested: list[Any] = []
        self.assigns: list[Any] = []
        self.updates: list[Any] = []  # `x op= v`, `del`, calls, other assignments
        self.stores: set[str] = set()
        self.has_try = False
        self.loop_names: set[str] = set()  # the names in a ``for``'s target or iterable
        self.written: set[str] = set()  # `x` of ``x op= v``, ``x[k] = v``, ``x[k][j] += v``

    def _own(self, n: Any, reads: set[str], binds: set[str]) -> None:
        """`scope._own(n)` added to `reads` and `binds`."""
        r, b = scope._own(n)
        reads |= r
        if b:
            binds |= b

    def visit(self, n: Any, zone: int, reads: set[str], binds: set[str]) -> None:
        """Note what `n` is (by `zone`), add its reads and bindings to `reads`/`binds`, and visit
        its children; a statement collects its own first and caches them."""
        t = type(n)
        if t is _BINOP:  # the commonest node with children (no own reads, no kind to note)
            for c in (n.left, n.right):
                tc = type(c)
                if tc is _NAME and c.annotation is None:
                    if type(c.ctx) is _LOAD:
                        reads.add(c.id)
                elif tc is not _CONSTANT:
                    self.visit(c, zone, reads, binds)
            return
        if t is _ATTRIBUTE and type(n.ctx) is _LOAD:  # `np.sin`: reads what its value reads
            c = n.value
            if type(c) is _NAME and c.annotation is None:
                if type(c.ctx) is _LOAD:
                    reads.add(c.id)
            elif type(c) is not _CONSTANT:
                self.visit(c, zone, reads, binds)
            return
        if t in _COMPS:  # its targets are its own (as scope.reads has them)
            sub: set[str] = set()
            for c in scope.children(n):  # (a comprehension's own names are not the function's)
                self.visit(c, _INNER if zone == _OWN else zone, sub, binds)
            own = {x.id for g in n.generators for x in scope.walk(g.target) if type(x) is _NAME}
            reads |= (sub - own) | scope.reads([n.generators[0].iter])
            if zone == _OWN:  # (a `:=` in it binds the function's name, PEP 572)
                self.out.update(_walrus_targets(n))
            return
        stmt = isinstance(n, _STMT)
        if stmt:
            outer_r, outer_b = reads, binds
            reads, binds = set(), set()
        elif t is _LAMBDA:  # its parameters are its own names: scope.function_reads
            outer_r, reads = reads, set()
        inner = zone
        kind = _KIND.get(t)  # (one lookup: most nodes take no branch of the chain)
        if kind is None:
            pass
        elif kind == _K_ASSIGN:
            if len(n.targets) == 1 and type(n.targets[0]) is _NAME:
                self.assigns.append(n)
            else:
                self.updates.append(n)
        elif kind == _K_CALL:
            self.updates.append(n)
            f = n.func
            tf = type(f)
            if tf is _ATTRIBUTE:
                if f.attr in _MUTATORS and type(f.value) is _ATTRIBUTE:
                    self.stores.add(f.value.attr)  # `a.hist.append(v)` writes `hist` too
                if n.keywords or f.attr in _CALL_OWN:
                    self._own(n, reads, binds)
                else:  # (`scope._own`'s result here: the names of the receiver)
                    scope._target_names(f.value, reads)
            elif n.keywords or (tf is _NAME and f.id in _CALL_OWN):
                self._own(n, reads, binds)
        elif kind == _K_NAME:
            if type(n.ctx) is _LOAD:
                reads.add(n.id)
            elif zone == _OWN and isinstance(n.ctx, _STORE):
                self.out.add(n.id)
        elif kind == _K_FN:
            if zone != _DEEP:
                if zone == _OWN and t is _FN:
                    self.out.add(n.name)
                self.nested.append(n)
                inner = _DEEP
        elif kind == _K_DELETE:
            self.updates.append(n)
        elif kind == _K_FOR:
            self.loop_names.update(
                m.id for m in (*scope.walk(n.target), n.iter) if type(m) is _NAME
            )
            if type(n.iter) is _CALL:  # `enumerate(A)`, `zip(ps, gs)`
                self.loop_names.update(a.id for a in n.iter.args if type(a) is _NAME)
        elif kind == _K_TRY:
            self.has_try = True
        elif kind == _K_CLASS:
            if zone == _OWN:
                self.out.add(n.name)
                inner = _INNER  # its body binds the class's attributes (`def sum`), not locals
        elif kind == _K_IMPORT:
            if zone == _OWN:
                for a in n.names:
                    self.out.add((a.asname or a.name).split(".")[0])
        elif kind == _K_SUBSCRIPT:
            if not isinstance(n.ctx, _LOAD):  # (a read has no own reads or bindings)
                base = n.value
                while type(base) is gast.Subscript:
                    base = base.value
                if type(base) is _ATTRIBUTE:  # `a.p[0] = v` writes the field `p` (objstate)
                    self.stores.add(base.attr)
                elif type(base) is _NAME:
                    self.written.add(base.id)
                self._own(n, reads, binds)
        elif kind == _K_ATTRIBUTE:  # (not a read: those returned above)
            if isinstance(n.ctx, _STORE):
                self.stores.add(n.attr)
            self._own(n, reads, binds)
        elif kind == _K_AUG:
            self.updates.append(n)
            if isinstance(n.target, _ATTRIBUTE):
                self.stores.add(n.target.attr)
            elif type(n.target) is _NAME:
                self.written.add(n.target.id)
            self._own(n, reads, binds)
        elif kind == _K_NAMED:
            self._own(n, reads, binds)
        fields = _FIELDS.get(t)
        if fields is None:
            fields = _FIELDS[t] = tuple(f for f in t._fields if f not in _NO_NODE)
        d = n.__dict__
        for f in fields:
            v = d.get(f)
            if isinstance(v, _AST):
                v = (v,)
            elif not isinstance(v, list):
                continue
            for c in v:
                tc = type(c)
                if tc is _NAME and c.annotation is None:  # a leaf (inline: the commonest node)
                    if type(c.ctx) is _LOAD:
                        reads.add(c.id)
                    elif inner == _OWN and isinstance(c.ctx, _STORE):
                        self.out.add(c.id)
                elif tc is not _CONSTANT and isinstance(c, _AST):
                    self.visit(c, inner, reads, binds)
        if t is _LAMBDA:
            outer_r |= scope.function_reads(n)
        if stmt:
            if t in _DEFS:  # a nested def: its parameters are its own names
                reads = scope.function_reads(n)
            fr = frozenset(reads)
            fb = frozenset(binds) if binds else scope._NONE
            if self.cache is not None:
                self.cache[id(n)] = (n, fr, fb)
            outer_r |= fr
            if fb:
                outer_b |= fb


def loops_write_items(found: Survey) -> bool:
    """A ``for`` may write into its items or its iterable: a name of its target or iterable is
    written into (``p[k] = v``, ``p op= v``, ``A *= c``) somewhere in the function. Else
    lower/loopitems.py and lower/loopsource.py rewrite no loop (each needs such a write in the
    body of a loop, of a target or of the iterable's name) and their walks are saved."""
    return not found.loop_names.isdisjoint(found.written_into)
