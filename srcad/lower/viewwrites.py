"""Writes through a NumPy view held in a name, rewritten before the name analyses into writes into
the array the view is of.

Input: a function's tree and its namespace. Output: the tree changed in place (whether it changed).

srcad's values are immutable: ``r = A[1]; r *= 2.0`` makes a new `r` and leaves `A` as it was
(the mutation check refused reading `A` afterwards). Python changes `A`. Where the source proves
that the name holds a view of an array made in the function (lower/viewfacts.py: a basic index,
``.T``, a reshape of a C-contiguous array, ...), each write through the name becomes a write into
the base, and each read of the name a read of the base, from the binding up to the first
statement that rebinds the name, the base or a name the view's index reads::

    A = np.outer(x, x) + 1.0              A = np.outer(x, x) + 1.0
    for row in A:                    ->   for srcad_row1 in range(len(A)):
        row /= row.sum()                      row = A[srcad_row1]
                                              A[srcad_row1] /= A[srcad_row1].sum()
    v = y.reshape(2, 2)                   v = y.reshape(2, 2)
    v[:, 0] *= 3.0                   ->   srcad_view2 = y.reshape(2, 2).copy()
    s = v.sum()                           srcad_view2[:, 0] *= 3.0
                                          y[...] = srcad_view2.reshape(y.shape)
                                          s = y.reshape(2, 2).sum()

A view through ``.T`` or a reshape is written through a copy that goes back into the whole base
(``u.T[0] += v`` too). A write through a name of anything else (a view of an argument, of a view,
one returned by a helper, kept across a rebinding of its base, a read-only ``np.diagonal``) is
left alone: the mutation check refuses it as before.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import gast

from srcad.lower import rowloops, viewbranch, viewfill, viewguard, viewregion
from srcad.lower.viewbases import pairs
from srcad.lower.viewfacts import Facts, View
from srcad.lower.viewguard import at as _at
from srcad.lower.viewguard import call as _call
from srcad.lower.viewguard import name as _name
from srcad.lower.viewregion import (
    ends,
    fill_of,
    fill_sub,
    late_names,
    replace_reads,
    rewrite_nested,
    root_name,
    sort_sub,
    stmts_in,
    through,
    writes_through,
)
from srcad.lower.viewscan import may_rewrite


def rewrite(root: Any, ns: Any, precheck: bool = True) -> bool:
    """Rewrite the writes described in the module docstring; whether any changed. `precheck`
    False: the facts computed even where `may_rewrite` says nothing changes (tests check it)."""
    if precheck and not may_rewrite(root):  # (the facts' walks cost ~0.1 ms a line)
        return False
    facts = Facts(root, ns)
    if not facts.bases:
        return False
    rw = _Rewriter(facts, root)
    root.body = rw.stmts(root.body, {})
    return rw.changed


class _Rewriter:
    def __init__(self, facts: Facts, root: Any = None) -> None:
        self.facts, self.root = facts, root
        self._late: frozenset | None = None  # (`late`)
        self.n = 0
        self.changed = False
        self.rows: set[int] = set()  # the ``row = A[k]`` of rewritten loops (checked before)
        self.fills: set[int] = set()  # the ``t = x`` (of an argument) of a ``t.fill(c)``
        self.builtins = all(facts.ns.lookup(n)[0] == "builtin" for n in ("list", "dict"))
        self.roots: dict[int, tuple[Any, frozenset]] = {}  # id -> (statement, `written`)
        self.row_base = ""  # the base of the loop `row_loop` made last

    def fresh(self, stem: str) -> str:
        self.n += 1
        return f"srcad_{stem}{self.n}"

    # -- expressions ----------------------------------------------------------------------------
    def expr(self, v: View, like: Any, base: str | None = None) -> Any:
        """A new tree of the view's expression (over `base` instead of the view's base and
        without its head, when given)."""
        if base is not None:
            e: Any = _name(base, like)
        elif v.head is None:
            e = _name(v.base, like)
        else:
            e = copy.deepcopy(v.head_node)
        for idx in v.idxs:
            e = _at(gast.Subscript(value=e, slice=copy.deepcopy(idx), ctx=gast.Load()), like)
        return e

    def subst(self, node: Any, active: dict) -> Any:
        """`node` with every read of an active view's name replaced by the view's expression."""
        active = {r: v for r, v in active.items() if not v.branch}  # (`r` read as itself)
        node, changed = replace_reads(node, active, self.expr, self._late or frozenset())
        self.changed |= changed
        return node

    # -- statements -----------------------------------------------------------------------------
    def stmts(self, stmts: list, active: dict) -> list:
        active = dict(active)
        out: list = []
        for k, s in enumerate(stmts):
            if fill_of(s) in active and viewfill.is_fill(s):  # `r.fill(c)` as `r[...] = c`
                got = viewfill.as_item_write(s, self.facts.np_name, self.fresh("fill"))
                if got is not None:
                    if len(got) > 1:  # (`srcad_fillN = c` reads the views as they are)
                        got[0].value = self.subst(got[0].value, active)
                    out.extend(got[:-1])
                    s = got[-1]
            s = self.sub_fill(s, out)
            loop = self.row_loop(s)
            if loop is not None:
                s = loop
            for r in [r for r, v in active.items() if ends(s, v, r, self.late(v))]:
                v = active.pop(r)
                if isinstance(s, gast.Assign) and all(
                    isinstance(t, gast.Name) or pairs(s) for t in s.targets
                ):  # `r = r * 2`, `n, r = 1, r * 2`: the right side reads the view
                    s.value = self.subst(s.value, {r: v})
            if loop is not None and self.facts.bases[self.row_base].checked:
                out.append(self.guard(self.row_base, 2, s))
            new = self.stmt(s, active)
            for v in self.bind(s, stmts[k + 1 :], active):
                if self.facts.bases[v.base].checked or v.contig or v.alias or v.need:
                    if id(s) not in self.rows:
                        out.append(
                            self.guard(v.base, max(v.need, v.least), s, v.contig, v.alias, v.f64)
                        )
            out.extend(new)
            out += self.sync(s, active)
        return out

    def late(self, v: View) -> frozenset:
        """The view names nested defs and lambdas only read in their bodies, for a view of a
        base made here (not an alias, not branched): its region goes on past them (`sync`)."""
        if v.branch or v.alias or self.param(v) or self.root is None:
            return frozenset()
        self._late = late_names(self.root) if self._late is None else self._late
        return self._late

    def sync(self, s: Any, active: dict) -> list:
        """``r = <the view>`` after `s` writing into the base of a view `r` read `late`: a no-op
        in Python; srcad's `r` is then the view's state wherever a call reads it."""
        out = []
        for r, v in active.items():
            if r in (self._late or ()) and r in self.late(v):
                names = {r, v.base, *(a for a, w in active.items() if w.base == v.base)}
                if any(writes_through(n, m) for n in stmts_in(s) for m in sorted(names)):
                    out.append(_assign(_name(r, s, gast.Store()), self.expr(v, s), s))
        return out

    def guard(
        self, base: str, need: int, like: Any, contig: bool = False, alias: bool = False,
        f64: bool = False,
    ) -> Any:  # fmt: skip
        """The run-time check of `base` (lower/viewguard.guard)."""
        boxes = alias and not need and self.facts.bases[base].param and self.builtins
        boxes = bool(boxes and id(like) not in self.fills)
        isa = self.facts.bases[base].checked or alias or bool(need)
        boxes = boxes and isa
        return viewguard.guard(self.facts.np_name, base, need, like, isa, boxes, contig, f64)

    def bind(self, s: Any, rest: list, active: dict) -> list[View]:
        """The views bound by `s` (``r = A[1]``, ``n, r = len(A), A[1]``) that a later
        statement writes through."""
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
            return []
        got = pairs(s)
        bound = {t.id for t, _ in got}
        out = []
        for t, value in got:
            v = self.facts.chain(value)
            if v is None or bound & v.deps or viewregion.list_only(self.facts, t.id, v, rest):
                continue
            if self._region(s, t.id, v, rest, active):
                active[t.id] = v
                out.append(v)
                if v.strict:  # `u = np.asarray(w)` as `u = w` (guarded: the same array)
                    _replace(s, value, _name(v.base, value))
            elif v.need and not v.head and id(s) not in self.rows and not self.param(v):
                if viewbranch.branches(t.id, v, rest):  # `r op= e` only: lower/viewbranch.py
                    active[t.id] = replace(v, branch=True)
        return out

    def param(self, v: View) -> bool:
        return self.facts.bases[v.base].param  # (not branched: the caller's checks decide)

    def _region(self, s: Any, r: str, v: View, rest: list, active: dict) -> bool:
        """Does a statement of the view's region write through it, its base or another view?"""
        # the names that may be the base or its views in the region: a write through one of
        # them changes what `r` reads (`p = M[k]; for i ...: row = M[i]; row -= c * p`)
        names = {r, v.base}
        grow = not self.facts.bases[v.base].param  # (an argument may be a list: asserted
        # an array only where a write into it is sure)
        if grow:  # a view bound before, still active: `a = y[:-1]; b = y[1:]; a *= 2; b.sum()`
            names.update(a for a, w in active.items() if w.base == v.base and not w.branch)
        roots = self.written(rest)  # (nothing below answers True without one of these)
        if not roots if grow else not (names & roots):
            return False
        if v.need and id(s) not in self.rows and not self.array_use(r, v, rest):
            return False  # maybe a number of a 1-D ``y = x.copy()``
        if v.alias and self.facts.bases[v.base].param:
            got = self.rebinds(r, v, rest)
            if got is None:
                return False  # ``t = x; t += 1.0`` of a number `x` rebinds `t` only
            if got:
                self.fills.add(id(s))  # (`t.fill(c)`: an array's only, `t[...] = c` of a dict not)
        for later in rest:
            for n in stmts_in(later) if grow else ():
                if isinstance(n, gast.Assign) and len(n.targets) == 1:
                    if any(isinstance(m, gast.Name) and m.id in names for m in gast.walk(n.value)):
                        names.update(
                            m.id for m in gast.walk(n.targets[0]) if isinstance(m, gast.Name)
                        )
                elif isinstance(n, gast.For):  # `for c in A[1:]: c *= 2` (`row_loop`'s items)
                    if any(isinstance(m, gast.Name) and m.id in names for m in gast.walk(n.iter)):
                        names.update(m.id for m in gast.walk(n.target) if isinstance(m, gast.Name))
            if any(writes_through(n, m) for n in stmts_in(later) for m in sorted(names)):
                return True
            if ends(later, v, r, self.late(v)):
                return False
        return False

    def written(self, rest: list) -> set:
        """The names the statements of `rest` (nested ones included) write through: a view's
        region writes through one of them or through none (`_region`), so most bindings are
        decided without scanning their regions."""
        out: set = set()
        for later in rest:
            got = self.roots.get(id(later))
            if got is None or got[0] is not later:
                got = (later, frozenset(filter(None, map(through, stmts_in(later)))))
                self.roots[id(later)] = got
            out |= got[1]
        return out

    @staticmethod
    def rebinds(r: str, v: View, rest: list) -> bool | None:
        """None when the region of ``r = A`` (`A` an argument) has an ``r op= e`` or ``A op= e``
        (a float's rebinds one name) and no write into an item of either (a float's raises, a
        float is refused when the binding runs); else whether it has an ``r.fill(c)``."""
        fills = rebound = items = False
        for later in rest:
            for n in stmts_in(later):
                t = getattr(n, "target", None)
                if isinstance(n, gast.AugAssign) and isinstance(t, gast.Name):
                    rebound = rebound or t.id in (r, v.base)
                elif writes_through(n, r) or writes_through(n, v.base):
                    items = True
                fills = fills or fill_of(n) == r
            if ends(later, v, r):
                break
        return None if rebound and not items else fills

    @staticmethod
    def array_use(r: str, v: View, rest: list) -> bool:
        """Is `r` subscripted in its region? A number (of a 1-D base) would raise there, so
        asserting `v.need` dimensions refuses nothing Python runs to the end; without one, `r`
        may be a number that later writes into the base must not reach (``e = y[0]; y[0] = 5``,
        ``s = y[0]; s += v``)."""
        for later in rest:
            if ends(later, v, r):
                return False
            if any(
                isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name) and n.value.id == r
                for n in gast.walk(later)
            ):
                return True
        return False

    def stmt(self, s: Any, active: dict) -> list:
        for r, v in active.items():
            if v.branch and writes_through(s, r):  # (`viewbranch.eligible`: `_branches`)
                return [viewbranch.rewrite(self, s, v, active)]
            if writes_through(s, r) and not isinstance(s, gast.Expr):
                return self.write(s, r, v, active)  # (``f(..., out=r)``: reads `r`, below)
        direct = self.direct(s, active)
        if direct is not None:
            return direct
        return rewrite_nested(s, active, self.subst, self.stmts)

    def write(self, s: Any, r: str, v: View, active: dict) -> list:
        """The statement `s` writing through the view `r`, as writes into the view's base."""
        self.changed = True
        value = self.subst(s.value, active)
        target = s.targets[0] if isinstance(s, gast.Assign) else s.target
        if v.head is None:  # ``A[k]...``: written back by the lowering (alias_nested)
            return [self._retarget(s, target, value, self.expr(v, target), active)]
        t = self.fresh("view")
        value, keep = self._through_copy(s, v, t, value)
        pre = _assign(_name(t, s, gast.Store()), _copy_call(copy.deepcopy(v.head_node), s, keep), s)
        new = self._retarget(s, target, value, self.expr(v, target, base=t), active)
        return [pre, new, self._write_back(v, t, s)]

    def _through_copy(self, s: Any, v: View, t: str, value: Any) -> tuple[Any, bool]:
        """An item assignment's `value` that reads the view's base (after `subst`: reads of the
        view too) reads it through the copy `t` (``t.reshape(A.shape)``, ``t.T``): a view of
        the written array, as in Python, so passes/overlap.py checks the write as NumPy runs it
        (element by element: ``w[::2] = w[5:15]`` of ``w = u.reshape(-1)`` is no copy's write);
        then `t` keeps the view's layout (``copy(order='K')``), which NumPy's order follows."""
        reads = any(isinstance(n, gast.Name) and n.id == v.base for n in gast.walk(value))
        if not (isinstance(s, gast.Assign) and reads):
            return value, False
        new, _ = replace_reads(value, {v.base: v}, lambda _v, read: self._back(v, t, read))
        return new, True

    def _retarget(self, s: Any, target: Any, value: Any, root: Any, active: dict) -> Any:
        """`s` with the view's name at the root of its target replaced by `root` (the indices
        on the way may read views too)."""
        if isinstance(target, gast.Name):  # `r op= v`
            new_t = root
        else:
            new_t = node = target
            while isinstance(node, gast.Subscript):
                node.slice = self.subst(node.slice, active)
                if not isinstance(node.value, gast.Subscript):
                    node.value = root
                    break
                node = node.value
        new_t.ctx = gast.Store()
        if isinstance(s, gast.AugAssign):
            return _at(gast.AugAssign(target=new_t, op=s.op, value=value), s)
        return _assign(new_t, value, s)

    def _write_back(self, v: View, t: str, like: Any) -> Any:
        """``base[...] = t.T`` or ``base[...] = t.reshape(base.shape)``."""
        back = self._back(v, t, like)
        whole = _at(gast.Constant(value=Ellipsis, kind=None), like)
        dst = _at(gast.Subscript(value=_name(v.base, like), slice=whole, ctx=gast.Store()), like)
        return _assign(dst, back, like)

    def _back(self, v: View, t: str, like: Any) -> Any:
        """The base's values from the copy `t` of its view: ``t.T``, ``t.reshape(base.shape)``."""
        if v.head == "T":
            back = _at(gast.Attribute(value=_name(t, like), attr="T", ctx=gast.Load()), like)
        elif v.head == "swap":  # its own inverse
            axes = v.head_node.args[-2:]
            back = _method(_name(t, like), "swapaxes", [copy.deepcopy(a) for a in axes], like)
        else:
            shape = _at(
                gast.Attribute(value=_name(v.base, like), attr="shape", ctx=gast.Load()), like
            )
            back = _method(_name(t, like), "reshape", [shape], like)
        return back

    def direct(self, s: Any, active: dict) -> list | None:
        """``u.T[0] += v``, ``u.reshape(-1)[1:] = w``: a write through a view expression."""
        if isinstance(s, gast.AugAssign):
            target = s.target
        elif isinstance(s, gast.Assign) and len(s.targets) == 1:
            target = s.targets[0]
        else:
            return None
        if not isinstance(target, gast.Subscript) or isinstance(root_name(target), gast.Name):
            return None
        inner = target
        while isinstance(inner.value, gast.Subscript):
            inner = inner.value
        v = self.facts.chain(inner.value)  # the head must be a view; the indices may be any
        if v is None or v.head is None or v.idxs:
            return None
        self.changed = True
        t = self.fresh("view")
        value, keep = self._through_copy(s, v, t, self.subst(s.value, active))
        pre = _assign(_name(t, s, gast.Store()), _copy_call(copy.deepcopy(v.head_node), s, keep), s)
        new = self._retarget(s, target, value, _name(t, s), active)
        out = [pre, new, self._write_back(v, t, s)]
        if self.facts.bases[v.base].checked or v.contig:
            return [self.guard(v.base, 0, s, v.contig), *out]
        return out

    def sub_fill(self, s: Any, out: list) -> Any:
        """``A[1:].fill(c)`` / ``A.T[0].fill(c)`` of a view expression of a base: the write
        ``A[1:] = c`` (the view's elements; both cast unsafely; ``A.T[...] = c`` of an
        unindexed head), lowered as any write through an index (the base's rank asserted first
        where the view relies on it); else `s` itself (a copy's ``A[[0, 1]].fill(c)`` changes
        nothing in Python: refused as before)."""
        got = fill_sub(s) or sort_sub(s, self.facts.np_name)  # (`a[::-1].sort()` too)
        v = self.facts.chain(got[0]) if got is not None else None
        if v is None:
            return s
        self.changed = True
        target = copy.deepcopy(got[0])
        if isinstance(target, gast.Subscript):  # a view: `A[1:] = c` writes the same elements
            target.ctx = gast.Store()
        else:
            dots = _at(gast.Constant(Ellipsis, None), s)
            target = _at(gast.Subscript(value=target, slice=dots, ctx=gast.Store()), s)
        if self.facts.bases[v.base].checked or v.contig or v.alias or v.need:
            out.append(self.guard(v.base, max(v.need, v.least), s, v.contig, v.alias, v.f64))
        return _assign(target, got[1], s)

    def row_loop(self, s: Any) -> Any:
        """``for row in A:`` (``for i, row in enumerate(A):``) over a base of rank >= 2 whose body
        writes through `row`: ``for k in range(len(A)): row = A[k]; ...`` (NumPy iterates
        ``A[0], A[1], ...``, views of the rows); over ``A.T``, ``A[1:]`` likewise
        (`rowloops.view_rows`: ``for k in range(len(A.T)): c = A.T[k]; ...``)."""
        if not isinstance(s, gast.For) or s.orelse or getattr(s, "srcad_kept", False):
            return None  # (kept: lower/loopitems.py's loop for items that are numbers)
        f, it, tgt = self.facts, s.iter, s.target
        counter = None
        if f.builtin_call(it, "enumerate") and len(it.args) == 1 and not it.keywords:
            if not (isinstance(tgt, gast.Tuple) and len(tgt.elts) == 2):
                return None
            counter, tgt, it = tgt.elts[0], tgt.elts[1], it.args[0]
            if not isinstance(counter, gast.Name):
                return None
        if not isinstance(tgt, gast.Name):
            return None
        name = it.id if isinstance(it, gast.Name) else rowloops.view_rows(f, it)
        base = f.bases.get(name) if name is not None else None
        if base is None or tgt.id == name:
            return None
        if any(f.ns.lookup(n)[0] != "builtin" for n in ("range", "len")):
            return None
        inner = [n for b in s.body for n in stmts_in(b)]
        if any(writes_through(n, tgt.id) for n in inner):
            if base.number or (not base.checked and (base.rank is None or base.rank < 2)):
                return None  # (an argument's items may be numbers: `for v in x: v += 1.0`)
        elif not isinstance(it, gast.Name) or not rowloops.base_written(
            s, name, tgt.id, inner, base
        ):
            return None  # (`for c in A.T` only where the body writes through `c`)
        in_place = {
            id(n.target)
            for n in inner
            if isinstance(n, gast.AugAssign) and not isinstance(n.op, gast.MatMult)
        }  # (`A += v` of an array is in place: Python iterates it, changed)
        stored = [
            n
            for b in s.body
            for n in gast.walk(b)
            if isinstance(n, gast.Name)
            and n.id == name
            and not isinstance(n.ctx, gast.Load)
            and id(n) not in in_place
        ]
        if stored:  # (`A` rebound in the body: Python still iterates the first array)
            return None
        k = self.fresh("row")
        f.ints.add(k)
        row = _at(gast.Subscript(value=_of(it, tgt), slice=_name(k, tgt), ctx=gast.Load()), tgt)
        head = [_assign(_name(tgt.id, tgt, gast.Store()), row, tgt)]
        self.rows.add(id(head[0]))
        if counter is not None:
            head.insert(0, _assign(_name(counter.id, counter, gast.Store()), _name(k, counter), s))
        self.changed = True
        loop_iter = _call("range", [_call("len", [_of(it, it)], it)], it)
        self.row_base = name
        return _at(
            gast.For(
                target=_name(k, tgt, gast.Store()),
                iter=loop_iter,
                body=head + s.body,
                orelse=[],
                type_comment=None,
            ),
            s,
        )


def _of(it: Any, like: Any) -> Any:
    """A new tree of the loop's iterable (a Name or a view expression of a base)."""
    return _name(it.id, like) if isinstance(it, gast.Name) else copy.deepcopy(it)


def _replace(s: Any, value: Any, by: Any) -> None:
    """`value` (the right side of `s` or an item of its tuple) replaced by `by`."""
    if s.value is value:
        s.value = by
    else:
        s.value.elts = [by if e is value else e for e in s.value.elts]


def _assign(target: Any, value: Any, like: Any) -> Any:
    return _at(gast.Assign(targets=[target], value=value, type_comment=None), like)


def _method(obj: Any, name: str, args: list, like: Any) -> Any:
    f = _at(gast.Attribute(value=obj, attr=name, ctx=gast.Load()), like)
    return _at(gast.Call(func=f, args=args, keywords=[]), like)


def _copy_call(e: Any, like: Any, keep: bool = False) -> Any:
    call = _method(e, "copy", [], like)
    if keep:  # (the layout of the view copied)
        call.keywords = [gast.keyword(arg="order", value=_at(gast.Constant("K", None), like))]
    return call
