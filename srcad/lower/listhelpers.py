"""Helpers of the module of the function lower/listobjs.py rewrites, inlined where they are
given a list, tuple or dict built here (or build one: ``_nbody_system(x)``), so their writes
into it are writes into its items' variables.

Input: the `Rewriter` (a mixin of it), the function and the call. Output: what the call gives
(an identity, a constant, or a name holding its value), its statements before it; `Abort` when
not taken. A helper is inlined (its locals renamed ``srcad_h3_name``, its parameters bound as
Python binds them, constant defaults) only as a whole statement's value (``y = h(a)``, ``h(a)``,
``return h(a)``), so its writes cannot fall between reads of one expression; its one ``return``
is its last statement; no nested function, ``global``, ``yield``, ``*args``, a global name the
caller's local would shadow. A helper's ``for p, q in itertools.combinations(bodies, 2)`` loops
are rewritten over positions first (lower/combos.py; its run-time check of `bodies` passes for an
identity of a list or tuple: `listinline._pair_check`).
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.frontend.source import get_source
from srcad.lower import combos
from srcad.lower.listinline import _SAFE_DEFAULT, Abort, K, Obj, Seq, _assign, _name, _renamed
from srcad.lower.reads import ItemRead, note_function, note_read
from srcad.lower.values import python_locals


class Helpers:
    # -- inlined helpers ------------------------------------------------------------------------
    def inlinable(self, f: Any, node: Any) -> bool:
        if f.__globals__ is not self.ns.globals or f.__closure__ or self.inlining > 8:
            return False
        code = f.__code__
        if code.co_flags & 0x2C or code.co_kwonlyargcount:  # (*args, **kw, generator, ...)
            return False
        parts = [*node.args, *(w.value for w in node.keywords)]
        if any(isinstance(n, gast.Name) and isinstance(self.env.get(n.id), Obj)
               for a in parts for n in gast.walk(a)):  # fmt: skip
            return True
        tree = _source(f)
        return tree is not None and any(isinstance(n, (gast.List, gast.Dict))
                                        for n in gast.walk(tree))  # fmt: skip

    def inline(self, f: Any, node: Any) -> Any:
        tree = _source(f)
        if tree is None:
            raise Abort
        tree = copy.deepcopy(tree)
        if combos.candidate(f):  # (``for p, q in combinations(bodies, 2)``: over positions)
            combos.rewrite(tree, self.ns)
        a = tree.args
        if (
            a.vararg
            or a.kwarg
            or a.kwonlyargs
            or any(isinstance(x, gast.Starred) for x in node.args)
        ):
            raise Abort
        params = [p.id for p in a.posonlyargs + a.args]
        mine = python_locals(tree)
        for n in gast.walk(tree):
            if isinstance(n, (gast.FunctionDef, gast.Lambda, gast.ClassDef)) and n is not tree:
                raise Abort
            if isinstance(n, (gast.Global, gast.Nonlocal, gast.Yield, gast.YieldFrom)):
                raise Abort
            if (
                isinstance(n, gast.Name)
                and n.id not in mine
                and (n.id in self.root_locals or n.id in self.ns.closure)
            ):
                raise Abort  # (the caller's local or cell would shadow the helper's global)
        self.serial += 1
        renamed = {n: f"srcad_h{self.serial}_{n}" for n in mine}
        body = [_renamed(s, renamed) for s in tree.body]
        values: dict[str, Any] = {}
        if len(node.args) > len(params):
            raise Abort
        for p, x in zip(params, node.args):
            values[p] = self.expr(x)
        for w in node.keywords:
            if w.arg is None or w.arg not in params or w.arg in values:
                raise Abort
            values[w.arg] = self.expr(w.value)
        defaults = dict(
            zip(params[len(params) - len(f.__defaults__ or ()) :], f.__defaults__ or ())
        )
        for p in params:
            if p not in values:
                if p not in defaults or not isinstance(defaults[p], _SAFE_DEFAULT):
                    raise Abort
                values[p] = K(defaults[p])
        for p in params:
            self.bind(_name(renamed[p], gast.Store()), values[p], self.pre)
        ret = body[-1] if body and isinstance(body[-1], gast.Return) else None
        if ret is not None:
            body = body[:-1]
        if any(isinstance(n, gast.Return) for s in body for n in gast.walk(s)):
            raise Abort
        note_function(f)
        if isinstance(node.func, gast.Name):
            note_read(self.ns.globals, ItemRead(node.func.id), f)
        saved, saved_top = self.pre, self.top_call
        self.inlining += 1
        try:
            out = self.stmts(body)
            self.pre = []
            self.top_call = ret.value if ret is not None else None
            v = self.expr(ret.value) if ret is not None and ret.value is not None else K(None)
        finally:
            self.inlining -= 1
            self.top_call = saved_top
        self.pre = saved + out + self.pre
        if isinstance(v, (Obj, K)):
            return v
        tmp = f"srcad_h{self.serial}_ret"
        self.pre.append(_assign(tmp, self.as_node(v)))
        return _name(tmp)

    # -- comprehensions over identities ------------------------------------------------------
    def reads_obj(self, node: Any) -> bool:
        return any(isinstance(n, gast.Name) and isinstance(self.env.get(n.id), Obj)
                   for n in gast.walk(node))  # fmt: skip

    def constant_range(self, call: Any) -> Any:
        """A `Seq` for ``range(...)`` of int constants (else the call as it was)."""
        args = call.args
        if call.keywords or not 1 <= len(args) <= 3:
            return call
        if not all(isinstance(a, gast.Constant) and type(a.value) is int for a in args):
            return call
        r = range(*[a.value for a in args])
        return Seq(lambda k: K(r[k]) if k < len(r) else None)

    def comprehension(self, node: Any) -> Any:
        """A list of the items of a comprehension over identities or constant ranges, its
        generators nested as Python's (``[(bs[i], bs[j]) for i in range(3) for j in range(i +
        1, 3)]``); else the comprehension as it was, reading no identity."""
        gens = node.generators
        it = self.comp_iter(gens[0].iter, node)
        if not isinstance(it, (Obj, Seq)):
            self.check_no_obj(node)
            return copy.deepcopy(node)
        for g in gens:
            if g.ifs or g.is_async or not isinstance(g.target, (gast.Name, gast.Tuple, gast.List)):
                raise Abort
        vals: list = []
        saved = dict(self.env)
        self.comp_rounds(node, 0, it, {}, vals)
        self.env = {n: v for n, v in self.env.items() if n in saved or n.startswith("srcad_")}
        if isinstance(node, gast.GeneratorExp) and any(isinstance(v, Obj) for v in vals):
            raise Abort
        return self.new_obj("list", vals)

    def comp_iter(self, it_node: Any, node: Any) -> Any:
        it = self.expr(it_node)
        if (
            isinstance(it, gast.Call)
            and self.callee(it_node.func) is range
            and self.reads_obj(node)
        ):
            it = self.constant_range(it)  # ``[(ns[i], ns[i + 1]) for i in range(3)]``
        return it

    def comp_rounds(self, node: Any, gi: int, it: Any, renamed: dict, vals: list) -> None:
        """The rounds of generator `gi` over `it`, the inner generators' in each."""
        g, s, k = node.generators[gi], self.seq(it), 0
        while (item := s.round(k)) is not None:
            k += 1
            if k > 4096 or len(vals) > 4096:
                raise Abort
            ren = dict(renamed)
            ren.update({n.id: self.fresh(f"srcad_lc_{n.id}_") for n in gast.walk(g.target)
                        if isinstance(n, gast.Name)})  # fmt: skip
            self.bind(_renamed(g.target, ren), item, self.pre)
            if gi + 1 == len(node.generators):
                vals.append(self.expr(_renamed(node.elt, ren)))
                continue
            inner = self.comp_iter(_renamed(node.generators[gi + 1].iter, ren), node)
            if not isinstance(inner, (Obj, Seq)):
                raise Abort
            self.comp_rounds(node, gi + 1, inner, ren, vals)


def _source(f: Any) -> Any:
    """The `def` of `f` (None for a lambda or a function without source)."""
    try:
        node = get_source(f).node
    except Exception:
        return None
    return node if isinstance(node, gast.FunctionDef) else None
