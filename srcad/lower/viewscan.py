"""The cheap precheck of lower/viewwrites.py: whether its rewrite may change a function at all.

Input: a function's gast tree. Output: a bool (`may_rewrite`), from one walk of the statements,
so the view facts' walk over every node (~0.1 ms a line) runs only where a rewrite may start.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.viewbases import pairs
from srcad.lower.viewfacts import HEAD_NAMES, SAME_NAMES
from srcad.lower.viewregion import NESTED, fill_of, fill_sub, root_name, sort_sub, through


def may_rewrite(root: Any) -> bool:
    """Whether the rewrite may change `root` (else the facts' walk over every node is saved).
    It changes only a function with a statement that may write through a name (``r op= v``,
    ``r[k] = v``: `viewregion.writes_through`), and
    starts only at a write through a view expression (`_Rewriter.direct`), a ``for row in A``
    (`row_loop`) or an ``r = <view of A>`` (`bind`), each of a base `A`. A base is assigned once
    in the whole function (``A = A`` aside), by a statement ``A = <call, arithmetic or .T>``
    (`Facts.array`; or an item of ``n, A = e1, e2``: `viewfacts.pairs`). So: the
    names with exactly one such statement, nested functions and classes included (more
    statements of any kind only disqualify a name), against the names those three read as their
    base, in the statements the rewrite visits (not in nested functions and classes). One walk
    of the statements."""
    assigned: dict[str, int] = {}
    makers: set[str] = set()
    wanted: set[str] = set()
    writes = False
    written: set[str] = set()  # the names written through (`viewregion.through`)
    views: dict[str, set[str]] = {}  # a name -> the names bound to a view of it
    todo = [(s, True) for s in root.body]
    while todo:
        n, outer = todo.pop()
        t = type(n)
        if t is gast.Assign or t is gast.AugAssign:
            one = t is gast.AugAssign or len(n.targets) == 1
            target = n.target if t is gast.AugAssign else n.targets[0]
            got = pairs(n) if one and t is gast.Assign else ()
            for name, value in got:
                if type(value) is gast.Name and value.id == name.id:
                    continue  # `A = A`: no new binding (`Facts`)
                assigned[name.id] = assigned.get(name.id, 0) + 1
                if isinstance(value, _MADE):
                    makers.add(name.id)
                if outer:
                    roots: set[str] = set()
                    _view_roots(value, roots)  # `r = A[1]`: `bind`
                    wanted |= roots
                    for a in roots:
                        views.setdefault(a, set()).add(name.id)
            if (
                not got
                and outer
                and one
                and (t is gast.AugAssign or type(target) is gast.Subscript)
            ):
                writes = True
                if type(target) is gast.Subscript and type(root_name(target)) is not gast.Name:
                    return True  # `u.T[0] += v`: `direct`
                w = through(n)
                if w is not None:
                    written.add(w)
        elif t is gast.Expr and outer and fill_of(n) is not None:
            writes = True  # `r.fill(c)`
            written.add(fill_of(n))
        elif t is gast.Expr and outer and (sub := fill_sub(n) or sort_sub(n, "np")) is not None:
            writes = True  # `A[1:].fill(c)`, `A[::-1].sort()`: `sub_fill`
            roots = set()
            _view_roots(sub[0], roots)
            wanted |= roots
            written |= roots
        elif t is gast.For and outer:
            it = n.iter  # `for row in A`, `for i, row in enumerate(A)`: `row_loop` (`A.T`)
            if type(it) is gast.Call and getattr(it.func, "id", None) == "enumerate":
                it = it.args[0] if it.args else None
            roots = {it.id} if type(it) is gast.Name else set()
            if type(it) in (gast.Attribute, gast.Subscript, gast.Call):
                _view_roots(it, roots)  # `for c in A.T`, `for row in A[1:]`
            for a in roots:
                wanted.add(a)
                views.setdefault(a, set()).update(
                    m.id for m in gast.walk(n.target) if type(m) is gast.Name
                )
        fields = _STMT_FIELDS.get(t)
        if fields is None:
            fields = _STMT_FIELDS[t] = tuple(f for f in _NESTING if f in t._fields)
        if fields:
            inner = outer and not isinstance(n, NESTED)
            for f in fields:
                for c in getattr(n, f):
                    if f == "handlers" or f == "cases":
                        todo += [(h, inner) for h in c.body]
                    else:
                        todo.append((c, inner))
    if not writes:
        return False
    params = {p.id for p in gast.walk(root.args) if type(p) is gast.Name}
    return any(assigned.get(name) == 1 for name in wanted & makers) or any(
        name not in assigned and _reaches(name, views, written) for name in wanted & params
    )  # (an argument never rebound: a base too, written through itself or a view of it)


def _reaches(base: str, views: dict[str, set[str]], written: set[str]) -> bool:
    """Is `base`, or a name bound to a view of it (of a view of it...), written through? An
    argument's region grows by no other name (`_Rewriter._region`)."""
    seen, todo = {base}, [base]
    while todo:
        a = todo.pop()
        if a in written:
            return True
        for r in sorted(views.get(a, ())):
            if r not in seen:
                seen.add(r)
                todo.append(r)
    return False


# statement type -> its fields holding statements (or handlers, match cases: their bodies)
_MADE = (gast.Call, gast.BinOp, gast.UnaryOp, gast.Attribute)  # `A = np.ones((2, 3)).T`
_STMT_FIELDS: dict[type, tuple[str, ...]] = {}
_NESTING = ("body", "orelse", "finalbody", "handlers", "cases")


def _view_roots(e: Any, out: set[str]) -> None:
    """Add to `out` the names `Facts.chain(e)` may take as the base: the root of ``A[...]``,
    ``A.T``, the receiver of ``A.reshape(...)`` (`Facts._head`'s methods) or the first argument
    of ``np.reshape(A, s)`` (of its functions, maybe imported under another name)."""
    while type(e) is gast.Subscript:
        e = e.value
    t = type(e)
    if t is gast.Name:
        out.add(e.id)
    elif t is gast.Attribute and type(e.value) is gast.Name:
        out.add(e.value.id)
    elif t is gast.Call:
        f = e.func
        if type(f) is gast.Attribute:
            if f.attr not in HEAD_NAMES and f.attr not in SAME_NAMES:
                return
            if type(f.value) is gast.Name:
                out.add(f.value.id)
        if e.args and type(e.args[0]) is gast.Name:
            out.add(e.args[0].id)
