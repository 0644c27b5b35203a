"""Where a view held in a name stays the view (for lower/viewwrites.py): the statements that
write through the name, and those that end its region.

Input: gast statements, a `View` (lower/viewfacts.py) and the name holding it. Output: facts.
A region ends at a statement that rebinds the name other than by writing through it
(``r op= v`` on an array is in place), rebinds the base (``A += v`` is in place) or a name the
view's index reads, or holds a function, lambda or class naming it (it reads the name when it
runs, maybe after the region) or a comprehension with a variable of that name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.chained import read_late
from srcad.lower.viewfacts import View

NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)
_BODIES = ("body", "orelse", "finalbody")


def root_name(target: Any) -> Any:
    while isinstance(target, gast.Subscript):
        target = target.value
    return target


def fill_of(s: Any) -> str | None:
    """The name `r` of a statement ``r.fill(c)`` (an array's is ``r[...] = c`` for a number
    `c`: both cast unsafely; lower/viewwrites.py asserts any other `c` has no dimensions), or
    of a statement ``f(..., out=r)`` (lower/inplace_np.py writes the value into `r`), else
    None."""
    if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)):
        return None
    call, f = s.value, s.value.func
    if not (isinstance(f, gast.Attribute) and f.attr == "fill" and isinstance(f.value, gast.Name)):
        return out_of(call)
    c = call.args[0] if len(call.args) == 1 and not call.keywords else None
    return f.value.id if c is not None and not isinstance(c, gast.Starred) else None


def fill_number(s: Any) -> bool:
    """Is the value of the statement ``r.fill(c)`` a number constant?"""
    c = s.value.args[0]
    if isinstance(c, gast.UnaryOp) and isinstance(c.op, gast.USub):
        c = c.operand
    return isinstance(c, gast.Constant) and type(c.value) in (int, float)


def out_of(call: Any) -> str | None:
    """The name `r` of a call ``f(..., out=r)``, else None."""
    for kw in call.keywords:
        if kw.arg == "out":
            return kw.value.id if isinstance(kw.value, gast.Name) else None
    return None


def fill_sub(s: Any) -> tuple[Any, Any] | None:
    """(`E`, `c`) of a statement ``E.fill(c)``, `E` an index or attribute expression (not a
    name: `fill_of`), `c` a number, else None."""
    if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)):
        return None
    call, f = s.value, s.value.func
    if not (isinstance(f, gast.Attribute) and f.attr == "fill"):
        return None
    if not isinstance(f.value, (gast.Subscript, gast.Attribute, gast.Call)):
        return None
    c = call.args[0] if len(call.args) == 1 and not call.keywords else None
    num = c.operand if isinstance(c, gast.UnaryOp) and isinstance(c.op, gast.USub) else c
    ok = isinstance(num, gast.Constant) and type(num.value) in (int, float)
    return (f.value, c) if ok else None


def sort_sub(s: Any, np_name: str | None) -> tuple[Any, Any] | None:
    """(`E`, ``np.sort(E, ...)``) of a statement ``E.sort(...)``, `E` an index or attribute
    expression (``a[::-1].sort()``: NumPy sorts the view's elements in place, which is writing
    them sorted; the method's parameters are np.sort's), else None."""
    if np_name is None or not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)):
        return None
    call, f = s.value, s.value.func
    if not (isinstance(f, gast.Attribute) and f.attr == "sort"):
        return None
    if not isinstance(f.value, (gast.Subscript, gast.Attribute, gast.Call)):
        return None
    if any(isinstance(a, gast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return None
    np_sort = gast.Attribute(
        value=gast.Name(id=np_name, ctx=gast.Load(), annotation=None, type_comment=None),
        attr="sort",
        ctx=gast.Load(),
    )
    args = [copy.deepcopy(f.value), *copy.deepcopy(call.args)]
    value = gast.Call(func=np_sort, args=args, keywords=copy.deepcopy(call.keywords))
    for n in gast.walk(value):
        gast.copy_location(n, s)
    return f.value, value


def writes_through(s: Any, r: str) -> bool:
    """Does the statement `s` (not looking inside it) write through `r` (``r op= v``,
    ``r[k] = v``, ``r[k] op= v``, ``r.fill(c)``)?"""
    if fill_of(s) == r:
        return True
    if isinstance(s, gast.AugAssign):
        t = s.target
        if isinstance(t, gast.Name):
            return t.id == r and not isinstance(s.op, gast.MatMult)
        root = root_name(t)
        return isinstance(t, gast.Subscript) and isinstance(root, gast.Name) and root.id == r
    if isinstance(s, gast.Assign) and len(s.targets) == 1:
        t = s.targets[0]
        root = root_name(t)
        return isinstance(t, gast.Subscript) and isinstance(root, gast.Name) and root.id == r
    return False


def through(s: Any) -> str | None:
    """The name `r` the statement `s` writes through (`writes_through(s, r)`), else None."""
    r = fill_of(s)
    if r is not None:
        return r
    if isinstance(s, gast.AugAssign):
        t = s.target
        if isinstance(t, gast.Name):
            return None if isinstance(s.op, gast.MatMult) else t.id
    elif isinstance(s, gast.Assign) and len(s.targets) == 1:
        t = s.targets[0]
    else:
        return None
    root = root_name(t)
    return root.id if isinstance(t, gast.Subscript) and isinstance(root, gast.Name) else None


def stmts_in(s: Any) -> Any:
    """`s` and the statements nested in it (not in nested functions or classes)."""
    todo = [s]
    while todo:
        n = todo.pop()
        yield n
        if isinstance(n, NESTED):
            continue
        for f in _BODIES:
            todo.extend(getattr(n, f, None) or ())
        for h in getattr(n, "handlers", None) or ():
            todo.extend(h.body)


def late_names(root: Any) -> frozenset:
    """The names nested defs and lambdas of `root` only read in their bodies
    (lower/chained.read_late): they read them when called."""
    nested = (gast.FunctionDef, gast.Lambda)
    names = {
        m.id
        for n in scope.walk(root)
        if isinstance(n, nested) and n is not root
        for m in scope.walk(n)
        if isinstance(m, gast.Name)
    }
    return frozenset(read_late(root, names)) if names else frozenset()


def ends(s: Any, v: View, r: str, late: frozenset = frozenset()) -> bool:
    """Does `s` end the region of the view `r` (rebinds `r` other than by writing through it,
    rebinds a name the view reads, or holds a function, class or comprehension naming `r`)?
    A def or lambda only reading `r` in its body does not when `r` is in `late`
    (lower/viewwrites.py then binds `r` to the view again after each write)."""
    through = {
        id(n.target) for n in stmts_in(s) if isinstance(n, gast.AugAssign) and writes_through(n, r)
    }
    in_place = {  # `A += v` updates the base in place (an array: `__iadd__`)
        id(n.target)
        for n in gast.walk(s)
        if isinstance(n, gast.AugAssign) and not isinstance(n.op, gast.MatMult)
    }
    for n in gast.walk(s):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            if n.id == r and id(n) not in through:
                return True
            if n.id in v.deps and n.id != r and not (n.id == v.base and id(n) in in_place):
                return True
        if isinstance(n, (gast.Global, gast.Nonlocal)) and r in n.names:
            return True
        if (
            isinstance(n, NESTED)
            and r not in late
            and any(isinstance(m, gast.Name) and m.id == r for m in gast.walk(n))
        ):
            return True  # a closure reads `r` when it runs: maybe after the region
        if isinstance(n, _COMPS) and any(
            isinstance(m, gast.Name) and m.id == r
            for g in n.generators
            for m in gast.walk(g.target)
        ):
            return True  # a comprehension's own `r`
        if isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n.name in v.deps | {r}:
            return True
    return False


class _Reads(gast.NodeTransformer):
    """Replaces each read of a name in `active` by ``make(active[name], the Name node)``, but
    the reads of `keep` in the bodies of nested defs and lambdas (they run later)."""

    def __init__(self, active: dict, make: Callable[[Any, gast.Name], Any], keep: Any) -> None:
        self.active, self.make, self.changed, self.keep = active, make, False, keep
        self.nested = 0

    def visit_Name(self, m: gast.Name) -> Any:
        a = self.active.get(m.id)
        if a is None or not isinstance(m.ctx, gast.Load) or (self.nested and m.id in self.keep):
            return m
        self.changed = True
        return self.make(a, m)

    def visit_FunctionDef(self, n: Any) -> Any:
        return self._nested(n)

    def visit_Lambda(self, n: Any) -> Any:
        return self._nested(n)

    def _nested(self, n: Any) -> Any:
        if not self.keep:
            return self.generic_visit(n)
        self.nested += 1
        try:
            return self.generic_visit(n)
        finally:
            self.nested -= 1


def replace_reads(
    node: Any, active: dict, make: Callable[[Any, gast.Name], Any], keep: Any = frozenset()
) -> tuple[Any, bool]:
    """`node` with every read of a name in `active` replaced by ``make(active[name], read)``
    (lower/viewwrites.py: by the view's expression; lower/listrows.py: by the item's); whether
    any was. Reads of `keep` in nested defs and lambdas stay (`_Reads`)."""
    if not active:
        return node, False
    rw = _Reads(active, make, keep)
    return rw.visit(node), rw.changed


def rewrite_nested(s: Any, active: dict, subst: Callable, stmts: Callable) -> list:
    """`s` rewritten (lower/viewwrites.py, lower/listrows.py): a compound statement's tests,
    iterables and context expressions through `subst`, its bodies through `stmts`; any other
    statement through `subst`."""
    if not isinstance(s, (gast.If, gast.For, gast.While, gast.Try, gast.With)):
        return [subst(s, active)]
    for f in ("test", "iter"):
        if getattr(s, f, None) is not None:
            setattr(s, f, subst(getattr(s, f), active))
    for item in getattr(s, "items", None) or ():
        item.context_expr = subst(item.context_expr, active)
    for f in _BODIES:
        if getattr(s, f, None):
            setattr(s, f, stmts(getattr(s, f), active))
    for h in getattr(s, "handlers", None) or ():
        h.body = stmts(h.body, active)
    return [s]


_LIST_ONLY = frozenset({"append", "extend", "insert", "remove", "pop", "clear"})


def list_only(facts: Any, r: str, v: View, rest: list) -> bool:
    """`r`, bound to a slice of a parameter (``lf = p[:]``), is the receiver of a method only
    lists have (``lf.append(v)``) in `rest`: no view (an ndarray's slice would raise there);
    the mutation check decides, knowing at the transform whether `p` is a list."""
    if not facts.bases[v.base].param:
        return False
    for n in (m for s in rest for m in gast.walk(s)):
        f = n.func if isinstance(n, gast.Call) else None
        if isinstance(f, gast.Attribute) and f.attr in _LIST_ONLY:
            if isinstance(f.value, gast.Name) and f.value.id == r:
                return True
    return False
