"""Writes through a name holding an item of a container made in the function (a row of a list of
lists: scimark's SOR ``Gi = G[i]; Gi[j] = ...``, LU by rows ``rowi = A[i]; rowi[j] -= f *
rowk[j]``), rewritten before the name analyses into writes through the item's expression.

Input: a function's tree and its namespace. Output: the tree changed in place (whether it changed).

srcad's values are immutable: ``Gi[j] = v`` makes a new `Gi` and leaves ``G`` as it was (the
mutation check refused reading ``G`` afterwards). Python changes ``G[i]``, the object `Gi` names.
From ``R = C[e]`` up to the first statement that ends the region, every read of `R` becomes a read
of ``C[e]`` and every write through it (``R[j] = v``, ``R[j] op= v``) a write through ``C[e]``;
the lowering knows how to write ``C[e][j]``. This is Python's own meaning as long as ``C[e]`` is
the object ``R`` was bound to, which the source proves here:

- `C` is a local assigned once, by a list/dict display or comprehension, never a parameter, never
  named by ``global``/``nonlocal`` nor by a nested function, lambda or class, and its name is
  read only subscripted, as ``len(C)`` / ``sum(C)`` / ... or iterated: no other name or object
  holds it, so no code but the statements naming `C` replaces its items;
- `e` is one index, an int constant, a ``range`` loop's variable or their arithmetic
  (lower/viewfacts.Facts.is_int), or a string constant: an item, never a slice (a copy);
- the region ends before a statement that rebinds `R` (``R op= v`` too: a number or tuple would
  rebind only `R`), `C` or a name in `e`, writes an item of `C` itself (``C[k] = ...``, ``del
  C[k]``, ``C[k] op= ...``), names `C` otherwise than subscripted (``C.insert(0, r)``), or holds a
  function, class or comprehension naming `R`.

Anything else (a name rebound in a loop around, a row of a parameter, a copy) is left alone: the
mutation check decides, as before. lower/viewwrites.py does the same for views of arrays.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower.viewfacts import DISPLAYS, Facts
from srcad.lower.viewregion import replace_reads, rewrite_nested, stmts_in

_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)
# builtins reading a container without keeping it
_READERS = frozenset({"len", "sum", "min", "max", "sorted", "list", "tuple", "enumerate", "zip"})


def rewrite(root: Any, ns: Any, assigns: list | None = None, updates: list | None = None) -> bool:
    """Rewrite the writes described in the module docstring; whether any changed. `assigns`:
    every ``x = v`` with one plain-name target below `root` (lower/survey.py's), `updates` the
    other assignments, when known: `_candidates` can find a name only where they hold both an
    ``R = C[...]`` (or ``R, S = C[i], C[k]``) and a ``C = <display>`` (no scan of the statements
    otherwise)."""
    return _rewrite(root, ns, frozenset(), assigns, updates)


def rewrite_params(root: Any, ns: Any, params: frozenset[str]) -> bool:
    """`rewrite` of an inlined helper's ``def`` (a copy: lower/fnargs.py), whose parameters
    `params` hold the caller's objects it updates in place and never rebinds
    (lower/argwrites.updated_params): their rows are held as a display's are, when the body
    names them only as `_only_read` allows (no other name of the helper holds one), so
    ``aii, aj = a[ii], a[j]; aii[jj] -= f * aj[jj]`` writes ``a[ii][jj]`` (LU by rows). While
    the helper runs, the caller's other names of the object run no code; the caller's mutation
    check sees the nested writes as its own, as if the body were written at the call."""
    return _rewrite(root, ns, params, None, None)


_TREES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def param_rows(fn: Any) -> Any:
    """A copy of the module-level helper `fn`'s ``def`` with `rewrite_params` applied to its
    parameters no statement binds, which lower/argwrites.updated_params reads and
    lower/fnargs.py lowers inlined at a call; None when nothing changed (the helper's own tree
    is lowered). Kept per function."""
    try:
        return _TREES[fn]
    except (KeyError, TypeError):
        pass
    out = None
    try:
        node = get_source(fn).node
    except Exception:  # (the inlining reports it)
        node = None
    if isinstance(node, gast.FunctionDef):
        a = node.args
        params = frozenset(p.id for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]) - _stored(node)
        if _candidates(node, params) & params:
            tree = copy.deepcopy(node)
            out = tree if rewrite_params(tree, namespace_of(fn), params) else None
    try:
        _TREES[fn] = out
    except TypeError:
        pass
    return out


def _stored(root: Any) -> set[str]:
    """The names some statement below `root` binds or deletes."""
    return {
        n.id
        for n in gast.walk(root)
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))
    }


def _rewrite(root: Any, ns: Any, params: frozenset, assigns: Any, updates: Any) -> bool:
    if assigns is not None and not _candidates_of(assigns, updates or ()):
        return False
    cands = _candidates(root, params)
    if not cands:
        return False
    facts = Facts(root, ns)
    parents = {id(c): p for p in gast.walk(root) for c in gast.iter_child_nodes(p)}
    nested = _named_in_nested(root)
    stored = _stored(root)
    held = {
        c
        for c in cands
        if (c in facts.literals or (c in params and c not in stored))
        and _only_read(root, c, parents, facts, nested, c in params)
    }
    held &= _written(root, held)
    if not held:
        return False
    rw = _Rows(facts, held, parents, nested, _ints(root, facts), params)
    root.body = rw.stmts(root.body, {})
    return rw.changed


def _candidates(root: Any, params: frozenset = frozenset()) -> set[str]:
    """Names `C` of ``R = C[...]`` statements that some statement binds to a display or
    comprehension (cheap first filter: `Facts.literals` holds only such names), or among
    `params`."""
    return _candidates_in(scope_stmts(root), params)


def _candidates_in(stmts: Any, params: frozenset = frozenset()) -> set[str]:
    """`_candidates` among the statements `stmts`."""
    return _of_pairs([p for s in stmts for p in pairs(s)], set(params))


def _candidates_of(assigns: list, updates: Any) -> set[str]:
    """`_candidates_in` of survey's statements: `assigns`, each ``x = v`` with one plain-name
    target (its one pair, read directly), and `updates`, of which only assignments have pairs
    (the others are calls, ``x op= v``, ``del``: most of them)."""
    todo = [(a.targets[0], a.value) for a in assigns]
    for u in updates:
        if isinstance(u, gast.Assign):
            todo += pairs(u)
    return _of_pairs(todo, set())


def _of_pairs(todo: list, displays: set[str]) -> set[str]:
    """The names bound to a display or comprehension in the (target, value) pairs `todo` (or
    already in `displays`) that the value of one of them indexes (``R = C[...]``)."""
    out = set()
    for t, v in todo:
        if isinstance(v, DISPLAYS):
            displays.add(t.id)
        elif isinstance(v, gast.Subscript):
            while isinstance(v, gast.Subscript):
                v = v.value
            if isinstance(v, gast.Name):
                out.add(v.id)
    return out & displays


def pairs(s: Any) -> list:
    """The (target name, value) pairs of ``x = v`` or ``x, y = v, w`` (tuple/list displays of one
    length, no starred item, plain-name targets), Python binding each name to its value (all
    values evaluated first); [] for any other statement."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return []
    t, v = s.targets[0], s.value
    if isinstance(t, gast.Name):
        return [(t, v)]
    seqs = (gast.Tuple, gast.List)
    if not (isinstance(t, seqs) and isinstance(v, seqs) and len(t.elts) == len(v.elts)):
        return []
    if not all(isinstance(e, gast.Name) for e in t.elts):
        return []
    if any(isinstance(e, gast.Starred) for e in v.elts):
        return []
    if len({e.id for e in t.elts}) != len(t.elts):
        return []  # `r, r = C[0], C[1]`: the last wins
    return list(zip(t.elts, v.elts))


def _written(root: Any, held: set) -> set[str]:
    """The containers among `held` whose items some statement writes into: through a name bound
    to one of them (``R = C[e]; R[j] = v``) or directly (``C[i][j] = v``)."""
    rows: dict[str, set] = {}
    out = set()
    for s in scope_stmts(root):
        for t, v in pairs(s):
            if isinstance(v, gast.Subscript):
                if isinstance(v.value, gast.Name) and v.value.id in held:
                    rows.setdefault(t.id, set()).add(v.value.id)
    for s in scope_stmts(root):
        for c in held:
            if _writes(s, c, 2):
                out.add(c)
        for r, cs in rows.items():
            if _writes(s, r):
                out |= cs
    return out


def _ints(root: Any, facts: Facts) -> set[str]:
    """Names every binding of which in the function's own scope is a ``range`` loop's variable
    (a comprehension's variables are its own: `Facts.ints` counts them as stores)."""
    stores: dict[str, int] = {}
    loops: dict[str, int] = {}
    own: set[int] = set()
    for n in gast.walk(root):
        if isinstance(n, _COMPS):
            own.update(id(m) for g in n.generators for m in gast.walk(g.target))
        elif isinstance(n, gast.For) and isinstance(n.target, gast.Name):
            if facts.builtin_call(n.iter, "range"):
                loops[n.target.id] = loops.get(n.target.id, 0) + 1
    for n in gast.walk(root):
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load) and id(n) not in own:
            stores[n.id] = stores.get(n.id, 0) + 1
        elif isinstance(n, (gast.FunctionDef, gast.ClassDef, gast.AsyncFunctionDef)):
            stores[n.name] = stores.get(n.name, 0) + 1
        elif isinstance(n, gast.alias):  # `import x as i`
            name = (n.asname or n.name).split(".")[0]
            stores[name] = stores.get(name, 0) + 1
    params = {p.id for p in gast.walk(root.args) if isinstance(p, gast.Name)}
    return {k for k, c in loops.items() if stores.get(k) == c and k not in params}


def scope_stmts(root: Any) -> Any:
    for s in root.body:
        yield from stmts_in(s)


def _named_in_nested(root: Any) -> set[str]:
    """Names a nested function, lambda or class reads or binds, and ``global``/``nonlocal``
    names (their values may change behind the statements)."""
    out: set[str] = set()
    for n in gast.walk(root):
        if n is root:
            continue
        if isinstance(n, _NESTED):
            out.update(m.id for m in gast.walk(n) if isinstance(m, gast.Name))
            if not isinstance(n, gast.Lambda):
                out.add(n.name)
        elif isinstance(n, (gast.Global, gast.Nonlocal)):
            out.update(n.names)
    return out


def _only_read(
    root: Any, c: str, parents: dict, facts: Facts, nested: set, param: bool = False
) -> bool:
    """Is every use of the container `c` one that keeps it to itself (module docstring)?
    `param`: `c` is a parameter `rewrite_params` was given (else a parameter is refused)."""
    params = {p.id for p in gast.walk(root.args) if isinstance(p, gast.Name)}
    if c in nested or (c in params) != param:
        return False
    for n in gast.walk(root):
        if not isinstance(n, gast.Name) or n.id != c or not isinstance(n.ctx, gast.Load):
            continue
        p = parents.get(id(n))
        if isinstance(p, gast.Subscript) and p.value is n:
            continue
        if isinstance(p, (gast.For, gast.comprehension)) and p.iter is n:
            continue
        if isinstance(p, gast.Return):
            continue
        if isinstance(p, gast.Tuple) and _marker(parents.get(id(p))):
            continue  # the run-time kind check of a loop over its items (lower/loopitems.py)
        if (
            isinstance(p, gast.Call)
            and n in p.args
            and isinstance(p.func, gast.Name)
            and p.func.id in _READERS
            and facts.ns.lookup(p.func.id)[0] == "builtin"
        ):
            continue
        if isinstance(p, gast.Attribute) and p.value is n:
            continue  # a method: ends a region it is in (`_Rows.ends`)
        return False
    return True


def _marker(s: Any) -> bool:
    """Is `s` the ``assert ("w", C)`` statement lower/loopitems.py (or loopsource.py) puts before
    a loop it rewrote over positions: lowered as `item_loop_check`, which reads only `C`'s kind
    and length."""
    return isinstance(s, gast.Assert) and getattr(s, "srcad_check", None) is not None


class _Rows:
    def __init__(
        self, facts: Facts, held: set, parents: dict, nested: set, ints: set, params: frozenset
    ) -> None:
        self.facts = facts
        self.params = params
        self.ints = ints
        self.held = held
        self.parents = parents
        self.nested = nested
        self.changed = False

    def builtin(self, name: str) -> bool:
        return self.facts.ns.lookup(name)[0] == "builtin"

    # -- what a binding is --------------------------------------------------------------------
    def item(self, e: Any) -> tuple[str, Any, frozenset] | None:
        """``C[e]`` of a held container with a stable index: (C, the expression, the names it
        reads). One level only: a write through another row (``C[k][j] = v``) may replace the
        object ``C[i][j]`` is, never ``C[i]``."""
        if not (isinstance(e, gast.Subscript) and isinstance(e.value, gast.Name)):
            return None
        idx = e.slice
        text = isinstance(idx, gast.Constant) and isinstance(idx.value, str)
        if e.value.id not in self.held or not (text or self.is_int(idx)):
            return None
        deps = {m.id for m in gast.walk(idx) if isinstance(m, gast.Name)} | {e.value.id}
        return e.value.id, e, frozenset(deps)

    def bind(self, s: Any) -> list[tuple[str, tuple]]:
        """``R = C[e]`` or ``R, S = C[e], C[f]`` (`s`): each (R, the item as `item` gives it).
        No item's index may read a name `s` binds (``i, r = i + 1, C[i]``: the old `i`)."""
        got = [(t.id, self.item(v)) for t, v in pairs(s)]
        bound = {r for r, _ in got}
        out = []
        for r, alias in got:
            if alias is None:
                continue
            deps = alias[2]
            if deps & bound or r in self.nested or deps & self.nested:
                return []
            out.append((r, alias))  # (a name only read too: other names may write into its item)
        return out

    def is_int(self, e: Any) -> bool:
        """`e` is certainly a Python int (as `Facts.is_int`, with `_ints`' names)."""
        if isinstance(e, gast.Name):
            return e.id in self.ints
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
            return self.is_int(e.operand)
        if isinstance(e, gast.BinOp) and isinstance(e.op, (gast.Add, gast.Sub, gast.Mult)):
            return self.is_int(e.left) and self.is_int(e.right)
        return isinstance(e, gast.Constant) and type(e.value) is int

    def ends(self, s: Any, r: str, alias: tuple, active: dict) -> bool:
        """Does `s` end the region of `r` (module docstring)? Of a row of a parameter
        (`rewrite_params`): also a write through any name but `c` and its active rows, and a
        call of anything but a builtin that only reads (`_other_effect`)."""
        c, _, deps = alias
        if c in self.params:
            own = {c, *(q for q, b in active.items() if b[0] == c)}
            if _other_effect(s, own, self.builtin):
                return True
        for n in gast.walk(s):
            if isinstance(n, gast.Name):
                if not isinstance(n.ctx, gast.Load) and (n.id == r or n.id in deps):
                    return True
                if n.id == c and isinstance(n.ctx, gast.Load):
                    p = self.parents.get(id(n))
                    if not (isinstance(p, gast.Subscript) and isinstance(p.ctx, gast.Load)):
                        if not (isinstance(p, (gast.Call, gast.For, gast.comprehension))):
                            return True  # a method of `c`, `return c`
            elif isinstance(n, _NESTED) and any(
                isinstance(m, gast.Name) and m.id in (r, c) for m in gast.walk(n)
            ):
                return True
            elif isinstance(n, _COMPS) and any(
                isinstance(m, gast.Name) and (m.id == r or m.id in deps)
                for g in n.generators
                for m in gast.walk(g.target)
            ):
                return True  # its own `r` or index, read by the item's expression
        return False

    # -- rewriting ----------------------------------------------------------------------------
    def subst(self, node: Any, active: dict) -> Any:
        """`node` with every read of an active name replaced by its item's expression."""
        node, changed = replace_reads(
            node, active, lambda a, m: gast.copy_location(copy.deepcopy(a[1]), m)
        )
        self.changed |= changed
        return node

    def stmts(self, stmts: list, active: dict) -> list:
        active = dict(active)
        out: list = []
        for s in stmts:
            for r in [r for r, a in active.items() if self.ends(s, r, a, active)]:
                a = active.pop(r)
                if isinstance(s, gast.Assign) and all(
                    isinstance(t, gast.Name) for t in s.targets
                ):  # `r = r + [v]`: the right side reads the item
                    s.value = self.subst(s.value, {r: a})
                elif pairs(s):  # `r, q = q, r`: so do the right side's items
                    s.value = self.subst(s.value, {r: a})
            out.extend(self.stmt(s, active))
            for r, a in self.bind(s):
                active[r] = a
        return out

    def stmt(self, s: Any, active: dict) -> list:
        for r, a in active.items():
            if _writes(s, r):
                self.changed = True
                target = s.targets[0] if isinstance(s, gast.Assign) else s.target
                s.value = self.subst(s.value, active)
                node = target
                while isinstance(node.value, gast.Subscript):
                    node.slice = self.subst(node.slice, active)
                    node = node.value
                node.slice = self.subst(node.slice, active)
                node.value = gast.copy_location(copy.deepcopy(a[1]), node.value)
                return [s]
        return rewrite_nested(s, active, self.subst, self.stmts)


_PURE = _READERS | {"abs", "range", "float", "int", "round", "pow", "divmod", "bool", "isinstance"}


def _other_effect(s: Any, own: set, builtin: Any) -> bool:
    """May `s` change an object through a name not in `own` (a write through it, a call)? A
    parameter's object may be another parameter's too (``f(m, m)``): ``b[0] = r`` would replace
    ``a[0]``."""
    for n in gast.walk(s):
        if isinstance(n, (gast.Assign, gast.AugAssign, gast.Delete)):
            targets = n.targets if not isinstance(n, gast.AugAssign) else [n.target]
            for t in targets:
                for m in gast.walk(t):
                    if isinstance(m, (gast.Subscript, gast.Attribute)):
                        root = m
                        while isinstance(root, (gast.Subscript, gast.Attribute)):
                            root = root.value
                        if not (isinstance(root, gast.Name) and root.id in own):
                            return True
        elif isinstance(n, gast.Call):
            f = n.func
            if not (isinstance(f, gast.Name) and f.id in _PURE and builtin(f.id)):
                return True
    return False


def _writes(s: Any, r: str, depth: int = 1) -> bool:
    """Does the statement `s` write through `r` (``r[k] = v``, ``r[k] op= v``; not ``r op= v``),
    `depth` subscripts deep or more?"""
    if isinstance(s, gast.AugAssign):
        t = s.target
    elif isinstance(s, gast.Assign) and len(s.targets) == 1:
        t = s.targets[0]
    else:
        return False
    n = 0
    while isinstance(t, gast.Subscript):
        t, n = t.value, n + 1
    return n >= depth and isinstance(t, gast.Name) and t.id == r
