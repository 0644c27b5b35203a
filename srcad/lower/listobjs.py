"""Lists of fixed structure built in the function, shared by several names and containers and
updated in place through any of them (pyperformance's n-body), rewritten before the name analyses
into one variable per item.

Input: a function's tree and its namespace. Output: whether the tree changed (in place).

Each list display run outside run-time loops and branches gets an identity (`Obj`) whose items
are variables of their own (``srcad_lo3_0``); tuples and dict displays holding such lists are
identities too. Every name, tuple item, dict value and list item that holds the list holds the
identity, at rewrite time, so ``v1[0] -= d`` is ``srcad_lo3_0 -= d`` whichever name or container
reached it, and every alias reads that variable: Python's one object::

    r = [x[0], x[1]]                 srcad_lo1_0 = x[0]; srcad_lo1_1 = x[1]
    b = (r, 2.0)               ->    (b: the tuple of the identity 1 and 2.0: no code)
    for p, m in [b]:                 m = 2.0
        p[0] += m * p[1]             srcad_lo1_0 += m * srcad_lo1_1
    return r[0]                      return srcad_lo1_0

Loops over such sequences (``enumerate``, ``zip``, ``d.values()``, constant slices) are unrolled,
each round reading the items as it starts; a ``range`` loop of constant bounds whose body indexes
a list by the target or appends is too; other loops keep the same identities in every round (a
name bound to another identity in the body may not be read before it is bound there). Module
helpers of the same module given such a list (or building one: ``_nbody_system(x)``) are inlined
with their names renamed (lower/listinline.py). A list passed to a NumPy/math function is its
display (NumPy copies it); returned, its display.

Anything else this cannot decide at rewrite time (an identity chosen by a run-time index or
branch, a list stored where code not seen here keeps it, a method srcad does not model) leaves
the tree as it was (the mutation check refuses what it refused). Applied only when an item of a
list held in two places is written (else the lowering as before is exact).
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower import listhelpers, listinline, listloops, listworth
from srcad.lower.listinline import Abort, K, Obj, _assign, _name
from srcad.lower.listloops import _Poison
from srcad.lower.placed import placed

_BUDGET = 20000


def rewrite(node: Any, ns: Any, pyfunc: Any = None) -> bool:
    """See the module docstring. `pyfunc`: the function of `node` (lower/listworth.py)."""
    if not listworth.may_share(node, ns, pyfunc) or not any(
        _candidate(n, ns) for n in gast.walk(node)
    ):
        return False
    sites: set = set()
    while True:
        rw = Rewriter(node, ns)
        rw.runtime_sites = sites
        try:
            body = rw.stmts(node.body)
            break
        except Abort as e:
            if e.site is None or e.site in sites or len(sites) >= 8:
                return False
            sites.add(e.site)  # that display made a run-time list, once more
    if not rw.shared_write():
        return False
    node.body = body or [gast.Pass()]
    return True


class Rewriter(listloops.Loops, listhelpers.Helpers, listinline.Inliner):
    """The abstract interpretation of a function body over `Obj` identities."""

    def __init__(self, node: Any, ns: Any) -> None:
        super().__init__(node, ns)
        self.env: dict[str, Any] = {}
        self.depth = 0  # run-time loops and branches around
        self.pre: list = []  # statements an expression needs first
        self.budget = _BUDGET  # statements interpreted, unrolled copies included
        # names bound anywhere in the function: a lambda reading none of them reads no identity,
        # ever (only names are bound to one), and no variable the rewrite drops
        self.stored = {
            n.id
            for n in gast.walk(node)
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del))
        }

    # -- statements -----------------------------------------------------------------------------
    def stmts(self, body: list) -> list:
        out: list = []
        for s in body:
            out.extend(self.stmt(s))
        return out

    def stmt(self, s: Any) -> list:
        self.budget -= 1
        if self.budget < 0:
            raise Abort  # (nested unrolled loops: too much code)
        self.pre = []
        saved = self.top_call
        if isinstance(s, (gast.Assign, gast.Expr, gast.Return)) or (
            isinstance(s, gast.AugAssign) and isinstance(s.target, gast.Name)
        ):  # (``acc += h(a)``: `h` cannot change the local `acc` it is added to)
            self.top_call = s.value  # (a helper inlined only as the whole value)
            c = s.value
            if (
                isinstance(s, gast.Expr)
                and isinstance(c, gast.Call)
                and isinstance(c.func, gast.Attribute)
                and isinstance(c.func.value, gast.Name)
                and len(c.args) == 1
                and not c.keywords
            ):
                self.top_call = c.args[0]  # ``history.append(h(bodies))``
        try:
            got = self._stmt(s)
        finally:
            self.top_call = saved
        pre, self.pre = self.pre, []
        out = pre + got
        for x in out:
            placed(x, s)
        return out

    def _stmt(self, s: Any) -> list:
        if isinstance(s, gast.Assign):
            return self.assign(s)
        if isinstance(s, gast.AugAssign):
            return self.augassign(s)
        if isinstance(s, gast.Expr):
            return self.expr_stmt(s)
        if isinstance(s, gast.For):
            return self.for_(s)
        if isinstance(s, gast.While):
            return self.while_(s)
        if isinstance(s, gast.If):
            return self.if_(s)
        if isinstance(s, gast.Return):
            return self.return_(s)
        if isinstance(s, (gast.Pass, gast.Break, gast.Continue)):
            return [s]
        if isinstance(s, (gast.Global, gast.Nonlocal, gast.FunctionDef, gast.ClassDef)):
            raise Abort
        return self.opaque(s)

    def opaque(self, s: Any) -> list:
        """A statement this does not follow: it may read no identity; its bindings run-time."""
        self.check_no_obj(s)
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                self.env.pop(n.id, None)
        return [s]

    def check_no_obj(self, node: Any) -> None:
        for n in gast.walk(node):
            if isinstance(n, gast.Name) and n.id in self.env:
                v = self.env[n.id]
                if isinstance(v, (Obj, _Poison)):
                    raise Abort(v.site)  # (its display a run-time list: tried again)
            if isinstance(n, (gast.FunctionDef, gast.ClassDef)) or (
                isinstance(n, gast.Lambda) and _free(n) & self.stored
            ):
                raise Abort  # (a closure reads its names later)

    def bind(self, target: Any, v: Any, out: list) -> None:
        """Bind `target` to `v` (an `Obj`, a `K` or an expression node), code into `out`."""
        if isinstance(target, gast.Name):
            if isinstance(v, Obj):
                v.refs += 1
                self.env[target.id] = v
                return
            out.append(_assign(target.id, v.node() if isinstance(v, K) else v))
            if isinstance(v, K) and isinstance(v.value, int) and not isinstance(v.value, bool):
                self.env[target.id] = v
            else:
                self.env.pop(target.id, None)
            return
        if isinstance(target, (gast.Tuple, gast.List)):
            if isinstance(v, Obj):
                if any(isinstance(e, gast.Starred) for e in target.elts):
                    raise Abort
                if v.kind == "dict" or len(v.slots) != len(target.elts):
                    raise Abort  # (Python's ValueError: left to the lowering as before)
                for t, item in zip(target.elts, list(v.slots)):
                    self.bind(t, self.read_slot(item), out)
                return
            node = v.node() if isinstance(v, K) else v
            self.check_no_obj(target)
            tmp = self.fresh("srcad_lt")
            out.append(_assign(tmp, node))
            self.env.pop(tmp, None)
            out.append(gast.Assign(targets=[_store_copy(target)], value=_name(tmp)))
            for n in gast.walk(target):
                if isinstance(n, gast.Name):
                    self.env.pop(n.id, None)
            return
        if isinstance(target, gast.Subscript):
            self.store_item(target, v, out)
            return
        if isinstance(target, gast.Attribute):
            self.check_no_obj(target)
            if isinstance(v, Obj):
                raise Abort
            out.append(gast.Assign(targets=[target], value=v.node() if isinstance(v, K) else v))
            return
        raise Abort

    def read_slot(self, item: Any) -> Any:
        """What reading an item gives: its identity, constant or variable (a name node)."""
        if isinstance(item, str):
            return _name(item)
        return item

    def assign(self, s: Any) -> list:
        v = self.expr(s.value)
        out: list = []
        if len(s.targets) > 1 and not isinstance(v, Obj):
            tmp = self.fresh("srcad_lt")
            out.append(_assign(tmp, self.as_node(v)))
            v = _name(tmp)
        for t in s.targets:
            self.bind(t, v if not isinstance(v, gast.AST) else copy.deepcopy(v), out)
        return out

    def item_target(self, t: Any) -> tuple[Obj, int] | None:
        """``a[k]`` of an identity and a constant `k`: (the list, its position); None for a
        target of a run-time value."""
        base = self.expr(t.value, keep=True)
        if not isinstance(base, Obj):
            return None
        if base.kind == "tuple":
            raise Abort
        k = self.expr(t.slice, keep=True)
        if base.kind == "dict":
            if not isinstance(k, K) or k.value not in base.keys:
                raise Abort
            return base, base.keys.index(k.value)
        if not isinstance(k, K) or type(k.value) is not int:
            return base, -1  # a run-time position
        i = k.value + len(base.slots) if k.value < 0 else k.value
        if not 0 <= i < len(base.slots):
            raise Abort  # (Python's IndexError: left to the lowering as before)
        return base, i

    def store_item(self, t: Any, v: Any, out: list) -> None:
        got = self.item_target(t)
        if got is None:
            self.check_no_obj(t)
            if isinstance(v, Obj):
                raise Abort  # (a list kept where this does not follow it)
            out.append(gast.Assign(targets=[t], value=self.as_node(v)))
            return
        obj, i = got
        obj.written = True
        if i < 0:
            self.runtime_item(obj, t, None, v, out)
            return
        old = obj.slots[i]
        if isinstance(v, Obj):
            if self.depth:
                raise Abort(v.site)  # (the structure would depend on the path taken)
            v.refs += 1
            obj.slots[i] = v
            return
        if isinstance(old, str):
            out.append(_assign(old, self.as_node(v)))
            return
        if self.depth:
            raise Abort
        name = self.fresh(f"srcad_lo{obj.serial}_")
        out.append(_assign(name, self.as_node(v)))
        obj.slots[i] = name

    def runtime_item(self, obj: Obj, t: Any, op: Any, v: Any, out: list) -> None:
        """``a[i] = v`` / ``a[i] op= v`` at a run-time position of a list of variables: through
        a list made of them, its items read back."""
        if obj.kind != "list" or not all(isinstance(s, str) for s in obj.slots):
            raise Abort
        if isinstance(t.slice, gast.Slice):
            raise Abort
        idx = self.as_node(self.expr(t.slice))
        tmp = self.fresh("srcad_lt")
        out.append(_assign(tmp, gast.List(elts=[_name(s) for s in obj.slots], ctx=gast.Load())))
        target = gast.Subscript(value=_name(tmp, gast.Store()), slice=idx, ctx=gast.Store())
        target.value.ctx = gast.Load()
        if op is None:
            out.append(gast.Assign(targets=[target], value=self.as_node(v)))
        else:
            out.append(gast.AugAssign(target=target, op=op, value=self.as_node(v)))
        elts = [_name(s, gast.Store()) for s in obj.slots]
        out.append(gast.Assign(targets=[gast.Tuple(elts=elts, ctx=gast.Store())], value=_name(tmp)))

    def augassign(self, s: Any) -> list:
        out: list = []
        if isinstance(s.target, gast.Name):
            if isinstance(self.env.get(s.target.id), (Obj, _Poison)):
                raise Abort  # (``xs += ys`` extends the list in place)
            v = self.as_node(self.expr(s.value))
            self.env.pop(s.target.id, None)
            return [gast.AugAssign(target=s.target, op=s.op, value=v)]
        if isinstance(s.target, gast.Subscript):
            got = self.item_target(s.target)
            if got is not None:
                obj, i = got
                obj.written = True
                v = self.expr(s.value)
                if isinstance(v, Obj):
                    raise Abort
                if i < 0:
                    self.runtime_item(obj, s.target, s.op, v, out)
                    return out
                old = obj.slots[i]
                if not isinstance(old, str):
                    raise Abort  # (an item holding a list or a constant of a tuple)
                out.append(gast.AugAssign(target=_name(old, gast.Store()), op=s.op,
                                          value=self.as_node(v)))  # fmt: skip
                return out
        self.check_no_obj(s.target)
        v = self.as_node(self.expr(s.value))
        return [gast.AugAssign(target=s.target, op=s.op, value=v)]

    def expr_stmt(self, s: Any) -> list:
        c = s.value
        if (
            isinstance(c, gast.Call)
            and isinstance(c.func, gast.Attribute)
            and c.func.attr == "append"
            and len(c.args) == 1
            and not c.keywords
        ):
            base = self.expr(c.func.value, keep=True)
            if isinstance(base, Obj):
                if base.kind != "list" or self.depth:
                    raise Abort(base.site)  # (a list appended to in a loop: a run-time list)
                v = self.expr(c.args[0])
                out: list = []
                if isinstance(v, Obj):
                    v.refs += 1
                    base.slots.append(v)
                else:
                    name = self.fresh(f"srcad_lo{base.serial}_")
                    out.append(_assign(name, self.as_node(v)))
                    base.slots.append(name)
                return out
        v = self.expr(c)
        if isinstance(v, (Obj, K)):
            return []
        return [gast.Expr(value=v)]

    def return_(self, s: Any) -> list:
        if self.inlining:
            raise Abort  # (the helper's last `return` is taken by listinline)
        if s.value is None:
            return [s]
        return [gast.Return(value=self.materialize(self.expr(s.value), True))]

    # -- expressions: lower/listinline.py --------------------------------------------------------


def _candidate(n: Any, ns: Any) -> bool:
    """A list display, or a call of a function of the same module (it may build one)."""
    if isinstance(n, gast.List):
        return True
    if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
        f = ns.globals.get(n.func.id)
        return getattr(f, "__globals__", None) is ns.globals
    return False


def _free(lam: Any) -> set[str]:
    """The names a lambda's body reads but its own (and its nested lambdas') parameters do not
    bind; comprehension variables count as read (a superset is the safe side)."""
    a = lam.args
    own = {p.id for p in a.posonlyargs + a.args + a.kwonlyargs if isinstance(p, gast.Name)}
    own |= {p.id for p in (a.vararg, a.kwarg) if isinstance(p, gast.Name)}
    out: set[str] = set()
    todo = [lam.body]
    while todo:
        n = todo.pop()
        if isinstance(n, gast.Lambda):
            out |= _free(n)
            todo.extend(n.args.defaults + [d for d in n.args.kw_defaults if d is not None])
            continue
        if isinstance(n, gast.Name):
            out.add(n.id)
        todo.extend(gast.iter_child_nodes(n))
    return out - own


def _store_copy(t: Any) -> Any:
    return copy.deepcopy(t)
