"""Chained assignment of one object to several names, rewritten before the name analyses into one
name holding it and the others bound to that name.

Input: a function's tree and its namespace. Output: the tree changed in place (whether it changed).

``p = q = E`` binds both names to the one object `E` made; Python sees a write through either
name in the other. srcad's values are immutable, so ``p[1] = v`` rebinds `p` only and a later
read of `q` is a stale value (the mutation check refused it). Here one target, the holder `h`
(the one stored fewest times in the function, ``p`` on a tie), is bound to `E` and the others to
``h``; then, in the statements that follow in the same list, every read of another target is a
read of `h`, up to the first statement that may rebind one of the names, where (and at the end of
the list) the others are bound to `h` again, the object they hold::

    p = q = np.zeros(4)           q = np.zeros(4)
    p[1] = x[0]             ->    p = q
    q += x                        q[1] = x[0]
    p = p * q                     q += x
                                  p = q
                                  p = p * q

Exact: between the binding and the first statement that may rebind a name, every target holds
the same object, so a read through any of them is a read of it. ``t op= v`` of a target counts
as a rebinding (a number's ``+=`` rebinds one name) unless `E` certainly makes an object that
``op=`` changes in place (a list, dict or set display, a new NumPy array: lower/viewbases, or
an ndarray whatever the operands: ``np.ones_like(v)``, ``np.array(v)``), then it is ``h op= v``.
Left alone: targets that are not all distinct plain names, a function naming one of them in a
generator expression, a class, a nested function's default or decorator or writing into it in a
nested function (a closure runs later), ``global``/``nonlocal`` or ``locals()``/``eval``. A name
nested defs and lambdas only read in their bodies (`read_late`) keeps its reads there (they run
when called, maybe after the region) and is bound to the holder again after each statement of
the region that may change the object (`_sync`), so a call reads the object's state then::

    b = x * 2.0                   b = x * 2.0
    c = b                         c = b
    g = lambda t: t * c     ->    g = lambda t: t * c
    b[0] = 1.0                    b[0] = 1.0
    return g(x)                   c = b
                                  return g(x)

A plain copy ``q = p`` of a local name (not a parameter, not a global; a parameter an earlier
statement of the same list rebound, ``x = np.hypot(x, 1.0)``, is a local) is kept, and the same
holds: in the statements that follow, up to the first that may rebind `p` or `q` (``q += v``
included: `p` may be a number, unless its one plain assignment certainly makes an ndarray or
a display, `_held`: then ``q op= v`` is in place), reads of `q` are reads of `p`; made only when
one of them writes into the object through a name (an item or attribute, a mutating method, a
NumPy writer, that ``op=``).
A read of `q` the region does not reach (after a ``continue`` skips the rebinding at the end of a
loop body, in an ``except``) still reads the stale `q`, which the alias check refuses.
"""

from __future__ import annotations

from typing import Any

import gast
import numpy as np

from srcad.lower import opfork, scope
from srcad.lower.viewfacts import Facts

_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef, gast.Lambda, gast.GeneratorExp)
_DISPLAYS = (gast.List, gast.Dict, gast.Set, gast.ListComp, gast.DictComp, gast.SetComp)
_STMT_LISTS = ("body", "orelse", "finalbody")
_EXITS = (gast.Return, gast.Raise, gast.Break, gast.Continue)
# NumPy calls that return an ndarray (``op=`` changes it in place) whatever their operands
_NDARRAYS = (np.array, np.asarray, np.copy, np.zeros_like, np.ones_like, np.empty_like)
_NDARRAYS += (np.full_like, np.zeros, np.ones, np.empty, np.full, np.atleast_1d, np.outer)
_DYNAMIC = frozenset({"locals", "vars", "eval", "exec"})
_MUTATORS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update"}
    | {"setdefault", "popitem", "add", "discard", "fill", "put", "resize", "partition"}
)


def rewrite(root: Any, ns: Any) -> bool:
    """Rewrite the chained assignments and name copies described in the module docstring;
    whether any changed."""
    found = [n for n in scope.walk(root) if _chain(n) or _copy(n)]
    if not found:
        return False
    names = {m.id for c in found for m in (*c.targets, c.value) if isinstance(m, gast.Name)}
    bad = _captured(root, names)
    if bad is None:
        return False
    late = read_late(root, bad) if bad else set()
    bad -= late
    stores: dict[str, int] = {}
    for n in scope.walk(root):
        if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
            stores[n.id] = stores.get(n.id, 0) + 1
    return _lists(root, _Rewriter(root, ns, stores, bad, late))


def copies_written(found: Any, root: Any) -> bool:
    """May `rewrite` find a name copy to rewrite, from lower/survey.py's `found` of the
    function `root`: a ``q = p`` (`Survey.assigns`), neither a parameter (rewritten only for
    an ``op=``, lower/opfork.py: none, then), where
    a name of one is written into (``q[k] = v``, ``q op= v``), is the
    receiver of a method call (``q.append(v)``), the object of an attribute store or an argument
    of a call (``np.copyto(q, v)``). False: the rewrite would change nothing (the walk is
    skipped); True may be a false alarm."""
    names = set()
    params = _params(root)
    params -= {t.id for a in found.assigns for t in a.targets if isinstance(t, gast.Name)}
    if any(isinstance(u, gast.AugAssign) for u in found.updates):
        params = set()  # (``y = x; y += 1.0`` of a parameter: lower/opfork.py)
    for a in found.assigns:
        if _copy(a) and a.targets[0].id not in params and a.value.id not in params:
            names.add(a.targets[0].id)
            names.add(a.value.id)
    if not names:
        return False
    if not names.isdisjoint(found.written_into):
        return True
    for u in found.updates:
        if isinstance(u, gast.Call):
            f = u.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
                if f.value.id in names:
                    return True
            if any(isinstance(a, gast.Name) and a.id in names for a in u.args):
                return True
            if any(isinstance(k.value, gast.Name) and k.value.id in names for k in u.keywords):
                return True
        else:  # `q.x = v`, `q.x += v`, `del q[k]`, tuple targets
            for t in getattr(u, "targets", None) or [getattr(u, "target", None)]:
                base = t
                while isinstance(base, (gast.Attribute, gast.Subscript, gast.Starred)):
                    base = base.value
                if isinstance(base, gast.Name) and base.id in names:
                    return True
                if isinstance(t, (gast.Tuple, gast.List)):
                    return True
    return False


def _chain(s: Any) -> bool:
    """``p = q = e``, distinct plain names."""
    if not isinstance(s, gast.Assign) or len(s.targets) < 2:
        return False
    ids = [t.id for t in s.targets if isinstance(t, gast.Name)]
    return len(ids) == len(s.targets) and len(set(ids)) == len(ids)


def _copy(s: Any) -> bool:
    """``b = a``: another name of the object `a` holds."""
    return (
        isinstance(s, gast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], gast.Name)
        and isinstance(s.value, gast.Name)
        and s.targets[0].id != s.value.id
    )


def _params(root: Any) -> set:
    """The parameter names of function `root` (a copy of one holds the caller's object)."""
    a = getattr(root, "args", None)
    if not isinstance(a, gast.arguments):
        return set()
    ps = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
    return {p.id for p in ps if isinstance(p, gast.Name)}


def _captured(root: Any, names: set) -> set | None:
    """The names of `names` a nested scope names or a declaration makes global or nonlocal;
    None when the function reads its locals dynamically."""
    out: set = set()
    for n in scope.walk(root):
        if isinstance(n, (gast.Global, gast.Nonlocal)):
            out |= names & set(n.names)
        elif isinstance(n, gast.Name) and n.id in _DYNAMIC:
            return None
        elif isinstance(n, _SCOPES) and n is not root:
            out |= {getattr(n, "name", None)} & names
            out |= {m.id for m in scope.walk(n) if isinstance(m, gast.Name)} & names
    return out


def read_late(root: Any, names: set) -> set:
    """The names of `names` that nested defs and lambdas only read, in their bodies (not in
    defaults, decorators or annotations, not through a deeper scope, never written, written
    into or declared ``global``/``nonlocal``), and no generator expression or class names:
    Python reads them when the function runs, which `_sync` keeps exact."""
    out, spoilt = set(), set()
    for n in scope.walk(root):
        if n is root or not isinstance(n, _SCOPES):
            continue
        named = {m.id for m in scope.walk(n) if isinstance(m, gast.Name)} & names
        if not named or not isinstance(n, (gast.FunctionDef, gast.Lambda)):
            spoilt |= named
            continue
        body = n.body if isinstance(n.body, list) else [n.body]
        inner = [m for b in body for m in scope.walk(b)]
        if getattr(n, "name", None) in names or any(
            isinstance(m, (*_SCOPES, gast.Global, gast.Nonlocal)) for m in inner
        ):
            spoilt |= named
            continue
        ids = {id(m) for m in inner}
        for m in scope.walk(n):  # (a parameter, a default's read, a store)
            if isinstance(m, gast.Name) and (id(m) not in ids or not isinstance(m.ctx, gast.Load)):
                spoilt.add(m.id)
        spoilt |= {a for a in named if any(_mutates(b, {a}) for b in body)}
        out |= named
    return out - spoilt


def _sync(stmts: list, group: set, late: list, h: str, inplace: bool = False) -> list:
    """`stmts` (of a region: every name of `group` holds one object) with ``c = h`` after each
    statement that may change the object, for each `c` of `late` (read by a nested function
    when it runs: reads outside it are renamed to `h`), nested statement lists included."""
    out: list = []
    for s in stmts:
        for field in _STMT_LISTS:
            inner = getattr(s, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                if not isinstance(s, _SCOPES):
                    inner[:] = _sync(inner, group, late, h, inplace)
        for sub in (*(getattr(s, "handlers", None) or []), *(getattr(s, "cases", None) or [])):
            sub.body[:] = _sync(sub.body, group, late, h, inplace)
        out.append(s)
        if not isinstance(s, _EXITS) and _mutates(s, group, inplace):
            out += [_bind(a, h, s) for a in late]
    return out


def _lists(node: Any, rw: _Rewriter) -> bool:
    """Rewrite every statement list under `node` (nested scopes not entered)."""
    changed = False
    for field in _STMT_LISTS:
        stmts = getattr(node, field, None)
        if isinstance(stmts, list) and stmts and isinstance(stmts[0], gast.stmt):
            for s in stmts:
                if not isinstance(s, _SCOPES):
                    changed |= _lists(s, rw)
            new = rw.stmts(stmts)
            if new is not None:
                stmts[:] = new
                changed = True
    for h in getattr(node, "handlers", None) or []:
        changed |= _lists(h, rw)
    for c in getattr(node, "cases", None) or []:
        changed |= _lists(c, rw)
    return changed


class _Rewriter:
    def __init__(self, root: Any, ns: Any, stores: dict, bad: set, late: set) -> None:
        self.root, self.ns, self.stores, self.bad, self.late = root, ns, stores, bad, late
        self.params = _params(root)
        self._assigns: dict | None = None  # name -> the values of its plain assignments
        self._facts: Facts | None = None
        self._augs: bool | None = None

    def stmts(self, stmts: list) -> list | None:
        out: list = []
        k, changed = 0, False
        params = self.params  # (less those an earlier statement of the list rebound)
        while k < len(stmts):
            s = stmts[k]
            k += 1
            if isinstance(s, gast.Assign) and params & (got := _bound(s)):
                params = params - got  # (`x = np.hypot(x, 1.0)`: a new object, not the caller's)
            if _chain(s) and not {t.id for t in s.targets} & self.bad:
                ids = [t.id for t in s.targets]
                h = min(ids, key=lambda n: (self.stores.get(n, 0), ids.index(n)))
                held = next(t for t in s.targets if t.id == h)
                out.append(gast.copy_location(gast.Assign([held], s.value, None), s))
                others = [n for n in ids if n != h]  # (a closure's names: `strict`, below)
                mutable = self._mutable(s.value, strict=bool(self.late & set(ids)))
                out += [_bind(a, h, s) for a in others]
            elif _copy(s) and not {s.targets[0].id, s.value.id} & (self.bad | self._no(params)):
                h, others = s.value.id, [s.targets[0].id]
                out.append(s)
                if h not in self.stores:  # (a global or closure value: a call may rebind it)
                    continue
                mutable = self._held(h)
            else:
                out.append(s)
                continue
            group, end = {h, *others}, k
            while end < len(stmts) and not _rebinds(stmts[end], group, mutable):
                end += 1
            region = stmts[k:end]
            fork = None  # (``c = b; b += x``: `b` an ndarray or a number, `opfork.fork`)
            if _copy(s) and end < len(stmts) and not self.late & group:
                fork = opfork.fork(stmts[end:], h, others[0], *self._fork_names())
            if not fork and params & group:
                continue  # (a parameter's copy: only for that ``op=``)
            if _copy(s) and not fork and not any(_mutates(t, group, mutable) for t in region):
                continue  # (nothing to see through the other name)
            for t in region:
                _rename(t, set(others), h)
            late = [a for a in others if a in self.late]
            out += _sync(region, group, late, h, mutable) if late else region
            k, changed = end, True
            last = out[-1]
            if (region or not fork) and (
                k < len(stmts) or not isinstance(last, _EXITS)
            ):  # (an empty region before a fork: `s` itself still binds them)
                out += [_bind(a, h, stmts[k] if k < len(stmts) else last) for a in others]
            if fork:  # (the ``op=`` statements of the two names there, in one ``if``)
                out += fork[0]
                k += fork[1]
        return out if changed else None

    def _no(self, params: set) -> set:
        """The parameters a copy of which is not rewritten: all of them but when the
        function has an ``op=`` (`opfork`: ``y = x; y += 1.0`` of an argument array)."""
        if self._augs is None:
            self._augs = any(isinstance(n, gast.AugAssign) for n in scope.walk(self.root))
        return set() if self._augs else params

    def _fork_names(self) -> tuple:
        """NumPy's global name, and whether a name reads the builtin (for `opfork.fork`)."""
        if self._facts is None:
            self._facts = Facts(self.root, self.ns)
        builtin = lambda n: n not in self.stores and self.ns.lookup(n)[0] == "builtin"  # noqa: E731
        return self._facts.np_name, builtin

    def _held(self, h: str) -> bool:
        """Whether the one plain assignment of `h` (its other stores ``h op= v``) certainly
        makes an object ``op=`` changes in place (``state = np.zeros_like(x)``)."""
        if self._assigns is None:
            self._assigns = {}
            for n in scope.walk(self.root):
                for t in n.targets if isinstance(n, gast.Assign) else ():
                    for m in scope.walk(t):
                        if isinstance(m, gast.Name) and not isinstance(m.ctx, gast.Load):
                            got = self._assigns.setdefault(m.id, [])
                            got.append(n.value if t is m else None)
        got = self._assigns.get(h, ())
        if len(got) != 1 or got[0] is None:
            return False
        augs = sum(
            1
            for n in scope.walk(self.root)
            if isinstance(n, gast.AugAssign) and getattr(n.target, "id", None) == h
        )
        return self.stores.get(h) == 1 + augs and self._mutable(got[0], strict=True)

    def _mutable(self, e: Any, strict: bool = False) -> bool:
        """Whether `e` certainly makes an object ``op=`` changes in place (or raises on);
        `strict`: a display or a call of `_NDARRAYS` only. Else an array lower/viewfacts
        infers (``np.exp(np.zeros(()))``, a NumPy scalar) passes too: lower/viewwrites then
        checks it is one when it runs, a check `_sync`'s bindings would leave out."""
        if isinstance(e, _DISPLAYS):
            return True
        if self._facts is None:
            self._facts = Facts(self.root, self.ns)
        if isinstance(e, gast.Call) and not any(isinstance(a, gast.Starred) for a in e.args):
            f = self._facts._resolve(e.func)  # `np.ones_like(v)`: an ndarray whatever `v` is
            if f is not None and any(f is m for m in _NDARRAYS):
                return True
        if strict:  # (`lower/viewfacts` takes ``np.exp(np.zeros(()))`` for an array: a scalar)
            return False
        got = self._facts.array(e)
        return got is not None and not got.checked and not got.number


def _bound(s: Any) -> set:
    """The plain names an assignment binds (``x = e``, ``x = y = e``)."""
    return {t.id for t in s.targets if isinstance(t, gast.Name)}


def _bind(a: str, h: str, like: Any) -> Any:
    tgt = gast.Name(id=a, ctx=gast.Store(), annotation=None, type_comment=None)
    val = gast.Name(id=h, ctx=gast.Load(), annotation=None, type_comment=None)
    return gast.copy_location(
        gast.Assign([gast.copy_location(tgt, like)], gast.copy_location(val, like), None), like
    )


def _rebinds(s: Any, group: set, mutable: bool) -> bool:
    """Whether statement `s` may bind a name of `group` (an in-place ``t op= v`` of a `mutable`
    object excepted)."""
    aug = set()
    for n in scope.walk(s):
        if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
            if not mutable:
                if n.target.id in group:
                    return True
            else:
                aug.add(id(n.target))
        elif isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
            if n.id in group and id(n) not in aug:
                return True
        elif isinstance(n, gast.alias) and (n.asname or n.name).split(".")[0] in group:
            return True
        elif isinstance(n, gast.pattern) and (
            getattr(n, "name", None) in group or getattr(n, "rest", None) in group
        ):
            return True
        elif isinstance(n, _SCOPES) and getattr(n, "name", None) in group:
            return True
    return False


def _rename(s: Any, others: set, h: str) -> None:
    """Reads of `others` in `s` read `h`; not in the bodies of nested defs and lambdas (they
    read the name when they run: `_sync`)."""
    todo = [s]
    while todo:
        n = todo.pop()
        if isinstance(n, gast.Name) and n.id in others:
            n.id = h
        elif isinstance(n, (gast.FunctionDef, gast.Lambda)):
            continue  # (its defaults and decorators name none of `others`: `read_late`)
        todo += scope.children(n)


def _mutates(s: Any, group: set, inplace: bool = False) -> bool:
    """Whether statement `s` may change an object a name of `group` holds: a write into an
    item or attribute, a mutating method, a NumPy call writing into it (`inplace`: ``t op= v``
    of a name of `group` too)."""
    for n in scope.walk(s):
        if inplace and isinstance(n, gast.AugAssign) and getattr(n.target, "id", None) in group:
            return True
        if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
            if _root(n) in group:
                return True
        elif isinstance(n, gast.Call):
            f = n.func
            if isinstance(f, gast.Attribute) and f.attr in _MUTATORS and _root(f) in group:
                return True
            if scope.written_by_call(n) in group:
                return True
    return False


def _root(n: Any) -> str | None:
    while isinstance(n, (gast.Subscript, gast.Attribute)):
        n = n.value
    return n.id if isinstance(n, gast.Name) else None
