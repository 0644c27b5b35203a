"""Statement lowering: gast statements -> ops in the current block, updating the environment.

Input: a list of gast statements and the set of names read after it. Output: ops appended to the
current block; the environment maps each name to its newest SSA value.

Early exits use flags: ``return`` sets ``$ret``/``$retval``, ``break``/``continue`` set ``$brk``/``$cont``.
The statements after one that may exit are lowered under ``if not flag``; when one branch of an ``if``
always exits, the rest of the list is lowered into the other branch instead (no flag test needed).
"""

from __future__ import annotations

import copy
import functools
import importlib
import types
from typing import Any

import gast

import srcad.lower.argwrites as argwrites
import srcad.lower.attreffects as attreffects
import srcad.lower.globalcounts as globalcounts
import srcad.lower.globaleffects as globaleffects
import srcad.lower.localclass as localclass
import srcad.lower.namepairs as namepairs
import srcad.lower.objseq as objseq
import srcad.lower.objsplit as objsplit
from srcad.frontend.resolve import prim_name
from srcad.lower import (
    attrloops,
    closures,
    complexparts,
    decorators,
    exprstmt,
    factories,
    fieldlinks,
    idioms,
    idioms_more,
    imports,
    lazygen,
    livekill,
    mappedseq,
    objects,
    objstate,
    opfork,
    scope,
    selfreturn,
    seqcarry,
    seqfields,
    setattrs,
    trys,
)
from srcad.lower.base import LowerBase
from srcad.lower.copywrites import as_load
from srcad.lower.nestedargs import default, kw_defaults
from srcad.lower.scope import BRK, CONT, RET, RETVAL
from srcad.lower.scope import has_break_or_return as _has_break_or_return
from srcad.lower.values import ItemRead, LocalObj, ModuleRef, NestedFn, PrimRef, note_read
from srcad.ssa.core import Const, Operand, Var
from srcad.ssa.prims import BINOPS

_REFUSED = {
    gast.With: ("`with` statements are not supported", "move the `with` block outside"),
    gast.AsyncWith: ("`async with` is not supported", None),
    gast.AsyncFor: ("`async for` is not supported", None),
    gast.AsyncFunctionDef: ("async functions are not supported", None),
    gast.Match: ("a pattern of this `match` statement is not supported",
                 "srcad takes literals, captures, `_`, `|` of literals, sequence and mapping "
                 "patterns of those, and class patterns `C(a, k=b)` of a class known when "
                 "lowering; rewrite the others with if/elif"),
}  # fmt: skip


class StmtLowerer(LowerBase):
    def stmts(self, stmts: list[gast.stmt], live_out: set[str]) -> None:
        suffix_reads: list[set[str]] = [set(live_out)] * (len(stmts) + 1)
        acc = set(live_out)
        # a name a later statement rebinds is dead before it (lower/livekill.py): only in the
        # function's own body, where the names its nested functions read are known (`pinned`)
        pinned = self.pinned_live if not self.inline_depth else None
        killed = False
        for k in range(len(stmts) - 1, -1, -1):
            suffix_reads[k + 1] = set(acc)
            s = stmts[k]
            if pinned is not None and (kill := livekill.kills(s)):
                acc -= kill - pinned
                killed = True
            elif killed and scope.may_exit([s]):  # (what the exit reaches is live there)
                acc |= live_out
            if pinned is not None and type(s) in livekill.COMPOUND:  # (not what s binds first)
                acc |= scope.exposed_stmt(s)
            else:
                acc |= scope.reads([s])
        for k, s in enumerate(stmts):
            rest = stmts[k + 1 :]
            live = suffix_reads[k + 1]
            if self._terminated():
                return
            self.later.append((s, rest, self.inline_depth, self.env))  # closures.check_later
            try:
                if isinstance(s, gast.If) and (plain := opfork.original(self, s)) is not None:
                    s = plain  # (``c = b; b += x`` of an object built here: as written)
                if isinstance(s, gast.If) and rest and self._split_if(s, rest, live_out, live):
                    return
                if rest and objsplit.split(self, s, rest, live_out):  # objects of two classes
                    return
                ops, n = self.b.block.ops, len(self.b.block.ops)
                self.stmt(s, live)
                if (state := getattr(s, "srcad_errstate", None)) and self.b.block.ops is ops:
                    _errstate(ops[n:], state)  # a user's ``with np.errstate(...)``: withs.ignored
            finally:
                self.later.pop()
            if rest and scope.may_exit([s]):
                flag = self.exit_flag(self.env, (BRK, CONT, RET))
                if isinstance(flag, Const):
                    if flag.value:
                        return
                    continue
                self.branch(flag, lambda: None, lambda r=rest: self.stmts(r, live_out), s, live_out)
                return

    def _terminated(self) -> bool:
        env = self.env
        for f in (BRK, CONT, RET):  # (once per statement: no generator)
            v = env.get(f)
            if isinstance(v, Const) and v.value:
                return True
        return False

    def _split_if(self, s: gast.If, rest: list, live_out: set, live: set) -> bool:
        """`if c: <exits>` followed by `rest`: lower `rest` inside the branch that falls through."""
        t_exits, e_exits = scope.always_exits(s.body), scope.always_exits(s.orelse)
        if t_exits == e_exits:
            return False
        self.at(s)
        cond = self.truth(self.expr(s.test), s.test)
        body_live = live | scope.reads(rest)

        def then() -> None:
            self.stmts(s.body if t_exits else s.body + rest, live_out if not t_exits else body_live)

        def orelse() -> None:
            self.stmts(s.orelse + rest if t_exits else s.orelse, live_out)

        self.branch(cond, then, orelse, s, live_out)
        return True

    # -- single statements ----------------------------------------------------------------------
    def stmt(self, s: gast.stmt, live: set[str]) -> None:
        self.at(s)
        if type(s) in _REFUSED:
            msg, hint = _REFUSED[type(s)]
            raise self.error(s, msg, hint)
        method = getattr(self, "stmt_" + type(s).__name__, None)
        if type(s) is gast.For:  # over a generator: interleaved (lower/lazygen.py)
            s = lazygen.for_loop(self, s)
            found = None if s.orelse else mappedseq.of_loop(self, s.iter)
            if found is not None:  # over objects built from a run-time list (lower/mappedseq.py)
                return mappedseq.loop(self, s, found, live, _has_break_or_return(s.body))
        flat = attrloops.unrolled(s, self.ns, self._known_int) if type(s) is gast.For else None
        if flat is not None:
            return self.stmts(flat, live)  # an inlined method's `for k in ("a", "b"): setattr`
        if method is None:
            raise self.error(s, f"`{type(s).__name__}` statements are not supported")
        method(s, live)

    def _known_int(self, node: Any) -> int | None:
        """The int `node` (a name, or a field of an object built here not written since
        ``__init__``) holds now, else None (lower/attrloops: ``range(self.n)``)."""
        v = self.env.get(node.id) if isinstance(node, gast.Name) else None
        if isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name):
            obj = self.env.get(node.value.id)
            if isinstance(obj, LocalObj) and node.attr not in obj.mutable:
                v = obj.fields.get(node.attr)
        return v.value if isinstance(v, Const) and type(v.value) is int else None

    def stmt_Pass(self, s: Any, live: set) -> None:
        pass

    def stmt_ClassDef(self, s: gast.ClassDef, live: set) -> None:
        localclass.define(self, s)  # made when lowering, if it reads no variable of the function

    def stmt_Try(self, s: gast.Try, live: set) -> None:
        """`try`/`except` around one call of a pure library function (`try: y =
        np.linalg.solve(A, b) except np.linalg.LinAlgError: ...`) or assignments of arithmetic,
        indexing and such calls, with `if`/`for`/`while`/`raise` (lower/tryflow.py): `if`s on
        which part runs, step by step (rewritten before lowering: lower/trys.py); else refused.
        """
        raise trys.refuse(self, s)

    def stmt_Expr(self, s: gast.Expr, live: set) -> None:
        if (new := setattrs.statement(s, self.ns)) is not None:  # `setattr(o, "a", v)`
            return self.stmt_Assign(new, live)
        exprstmt.lower(self, s)  # method calls for their effect: lower/exprstmt.py

    def _base_name(self, node: Any) -> str:
        while isinstance(node, (gast.Subscript, gast.Attribute)):
            node = node.value
        return node.id if isinstance(node, gast.Name) else ""

    def stmt_Assign(self, s: gast.Assign, live: set) -> None:
        t = s.targets[0]  # `x = v`, the commonest: none of the forms below
        if len(s.targets) == 1 and type(t) is gast.Name and t.id not in self.shot_names:
            self.assign(t, seqcarry.rebuilt(self, t.id, self.expr(s.value)), s.value)
            return
        if len(s.targets) == 1 and (lazy := lazygen.make(self, s.targets[0], s.value)):
            self.env[s.targets[0].id] = lazy  # run where it is read (lower/lazygen.py)
            return
        if len(s.targets) == 1 and (parts := objseq.pairwise(self, s.targets[0], s.value)):
            for t, v in zip(s.targets[0].elts, [self.expr(e) for e in parts]):
                self.assign(t, v, s.value)  # `a, b = C(x0), C(x1)`: objects stay objects
            return
        if len(s.targets) == 1 and attreffects.assign(self, s.targets[0], s.value, s):
            return  # `self.calls = self.calls + 1` of a parameter: an effect
        if len(s.targets) == 1 and globaleffects.item_update(self, s.targets[0], s.value, None, s):
            return  # `LOG[k] = v` of a global dict: an effect
        if len(s.targets) == 1 and complexparts.assign(self, s.targets[0], s.value, s):
            return  # `z.imag[i] = v`: `z[i] = _srcad.with_part(z[i], v, "imag")`
        if len(s.targets) == 1 and idioms_more.slice_items(self, s.targets[0], s.value):
            return  # `ls[1:3] = [a, b]`: two items
        if len(s.targets) == 1 and namepairs.pairwise(self, s.targets[0], s.value):
            return  # `pi, tanh = np.pi, np.tanh`: each name bound to what it reads
        value = self.expr(idioms_more.unpacked_iterator(self, s.targets, s.value))
        for t in s.targets:
            self.assign(t, value, s.value)

    def stmt_AnnAssign(self, s: gast.AnnAssign, live: set) -> None:
        if s.value is not None:
            self.assign(s.target, self.expr(s.value), s.value)

    def stmt_AugAssign(self, s: gast.AugAssign, live: set) -> None:
        prim = BINOPS[type(s.op)]
        t = s.target
        if attreffects.aug_assign(self, s) or globalcounts.aug_assign(self, s):
            return None  # `self.nfev += 1` of a parameter, `global N; N += 1`: effects
        if isinstance(t, gast.Attribute) and objects.aug_property(self, s, prim):
            return None  # a property's getter and setter (lower/objects.py)
        if isinstance(t, gast.Attribute):  # of an object built here (lower/objstate.py)
            return objstate.aug_assign(self, s, prim)
        if globaleffects.item_update(self, t, s.value, s.op, s):  # `CNT["n"] += 1`: an effect
            return
        call = objstate.inplace_call(self, s)  # `a += v`: `a.__iadd__(v)` when its class has it
        if call is not None:
            return self.assign(t, self.expr(call), s)
        t, temps = idioms.index_once(self, t)  # `y[f()] += v`: f runs once, as in Python
        old = self.value(as_load(t))
        rhs = self.value(s.value)
        if prim == "add" and (self._is_sequence(old) or self._is_sequence(rhs)):
            prim = "srcad.runtime.concat"  # `lst += [v]`
        new = self.op(prim, [old, rhs], hint=self._base_name(t))
        if isinstance(t, gast.Name):
            self.augmented.append(self.b.block.ops[-1])
        else:  # `c[k] += v`: `c[k].__iadd__(v)` (ad/augmented.py); of a list, in place too
            self.item_augmented.append(self.b.block.ops[-1])  # (the mutation check's)
        self.assign(t, new, s)
        for n in temps:
            del self.env[n]

    def stmt_Return(self, s: gast.Return, live: set) -> None:
        if s.value is not None and not self.inline_depth:  # (a function lowered on its own)
            lazygen.check_returned(self, s.value)
        v = self.expr(s.value) if s.value is not None else Const(None)
        # an object built here or a nested function (lower/varargs.py, factories.py)
        kept = self.inline_depth and (
            isinstance(v, (LocalObj, NestedFn))
            or (self.keep_refs and isinstance(v, PrimRef))
            or (self.keep_refs and factories.function_tuple(v))
            or objseq.object_list(v)  # `return out`, a list of objects built here: Layer's
        )
        self.env[RETVAL] = v if kept else self.operand(v, s.value)
        self.env[RET] = Const(True)

    def stmt_Break(self, s: Any, live: set) -> None:
        if BRK not in self.env:
            raise self.error(s, "`break` outside a loop")
        self.env[BRK] = Const(True)

    def stmt_Continue(self, s: Any, live: set) -> None:
        if CONT not in self.env:
            raise self.error(s, "`continue` outside a loop")
        self.env[CONT] = Const(True)

    def stmt_Raise(self, s: gast.Raise, live: set) -> None:
        exc = self.value(s.exc) if s.exc is not None else Const(None)
        self.op("srcad.runtime.raise_", [exc])

    def stmt_Assert(self, s: gast.Assert, live: set) -> None:
        args = [self.value(s.test)]
        if s.msg is not None:
            args.append(self.value(s.msg))
        self.op(getattr(s, "srcad_check", "srcad.runtime.assert_"), args)  # lower/loopitems

    def stmt_Delete(self, s: gast.Delete, live: set) -> None:
        if not idioms.delete(self, s):
            raise self.error(
                s, "`del` is supported on local names and on an entry `xs[i]`/`d[k]` of a local "
                "list/dict only", "rebind the name instead, e.g. `x = None`",
            )  # fmt: skip

    def stmt_Global(self, s: Any, live: set) -> None:
        names = [n for n in s.names if not globalcounts.counter(self, n)]  # `CALLS += 1`
        self.global_counters = {*getattr(self, "global_counters", ()), *set(s.names) - {*names}}
        self._no_rebind(gast.copy_location(gast.Global(names=names), s), "global")

    def stmt_Nonlocal(self, s: Any, live: set) -> None:
        # a nested function inlined at its call writes its enclosing function's variables
        # (lower/closures.py); any other `nonlocal` would write a variable outside the transform
        if not set(s.names) <= self.nonlocal_ok:
            self._no_rebind(s, "nonlocal")

    def _no_rebind(self, s: Any, kind: str) -> None:
        for name in s.names:
            if name in self.py_locals:
                raise self.error(
                    s,
                    f"writing to the {kind} name `{name}` is not supported",
                    "return the new value instead of assigning it",
                )

    def stmt_Import(self, s: gast.Import, live: set) -> None:
        for a in s.names:
            mod = importlib.import_module(a.name)
            if a.asname:
                self.env[a.asname] = ModuleRef(mod, None)
            else:
                top = a.name.split(".")[0]
                self.env[top] = ModuleRef(importlib.import_module(top), None)

    def stmt_ImportFrom(self, s: gast.ImportFrom, live: set) -> None:
        for name, value in imports.from_import(self, s):  # (relative ones too)
            self.env[name] = value

    def stmt_FunctionDef(self, s: gast.FunctionDef, live: set) -> None:
        if s.decorator_list and (new := decorators.statements(s, self.ns)) is not None:
            return self.stmts(new, live)  # `@d def g`: `def g; g = d(g)` (lower/decorators.py)
        if s.decorator_list:  # (its body or a decorator reads its name: lower/decorators.py)
            raise self.error(s, f"the decorated nested function `{s.name}` reads its own name",
                             "move it to module level")  # fmt: skip
        defaults = [default(self, d) for d in s.args.defaults]  # (a function: itself)
        self.env[s.name] = NestedFn(s, s.name, defaults, kw_defaults=kw_defaults(self, s))

    def stmt_If(self, s: gast.If, live: set) -> None:
        cond = self.truth(self.expr(s.test), s.test)
        self.branch(
            cond, lambda: self.stmts(s.body, live), lambda: self.stmts(s.orelse, live), s, live
        )

    def loop_else(self, s: gast.For | gast.While, live: set) -> None:
        """`for/while ... else`: a flag, cleared by each `break` of this loop, guards the `else`.

        Lowered as ``$nobrkN = True; <loop, break -> $nobrkN = False; break>; if $nobrkN: else``;
        a `return` in the loop skips the `else` as any statement after the loop."""
        self.loop_else_count = getattr(self, "loop_else_count", 0) + 1
        flag = f"$nobrk{self.loop_else_count}"
        self.py_locals.add(flag)
        loop = copy.copy(s)
        loop.body = _clear_on_break(s.body, flag)
        loop.orelse = []
        init = gast.Assign(
            targets=[_name(flag, gast.Store(), s)], value=_true(s), type_comment=None
        )
        guard = gast.If(test=_name(flag, gast.Load(), s), body=s.orelse, orelse=[])
        for n in (init, guard):
            gast.copy_location(n, s)
        self.stmts([init, loop, guard], live)

    def partial_call(self, fv: Var, part: functools.partial, node: gast.Call) -> Operand:
        """``g(x)`` where `g` is a ``functools.partial`` known at transform time (a global): the
        call of ``g.func`` with ``g.args`` in front and ``g.keywords`` (call-site keywords win),
        all read from `g` at run time, as Python does."""
        args, kwargs = self.call_args(node)
        self.at(node)
        for name in ("func", "args", "keywords"):  # its shape is lowered: ``__setstate__``
            note_read(part, name, getattr(part, name))
        note_read(part.keywords, ItemRead(length=True), len(part.keywords))
        bound = self.op("attr.args", [fv])
        front = [self.op("getitem", [bound, Const(k)]) for k in range(len(part.args))]
        if part.keywords:
            kws = self.op("attr.keywords", [fv])
            kwargs = {k: self.op("getitem", [kws, Const(k)]) for k in part.keywords} | kwargs
        pn = prim_name(part.func)
        if pn is not None:
            return self.op(pn, [*front, *args], kwargs)
        func = self.op("attr.func", [fv])
        if isinstance(part.func, types.MethodType) and isinstance(
            part.func.__func__, types.FunctionType
        ):  # a bound method: its function, with `self` in front
            front = [self.op("attr.__self__", [func]), *front]
            func = self.op("attr.__func__", [func])
        elif not isinstance(part.func, types.FunctionType):
            raise self.error(
                node,
                f"cannot call the partial object `{getattr(node.func, 'id', '')}`: its function "
                f"{part.func!r} is not a Python function or method srcad can read",
                "make it a partial of a module-level function",
            )
        return self.op("call", [func, *front, *args], kwargs)

    def stmt_While(self, s: gast.While, live: set) -> None:
        if s.orelse:
            return self.loop_else(s, live)
        if scope.assigned([gast.Expr(value=s.test)]):  # `while (k := k + 1) < n`, `xs.pop()`:
            return self.stmt_While(_test_first(s), live)  # the condition block cannot rebind
        if closures.carried_writes(self, [s.test]):  # a call there may write an enclosing
            return self.stmt_While(_test_first(s), live)  # variable: the body's loop carries it
        carried = self._carried(s.body, live, extra_reads=scope.reads([s.test]))
        has_break = scope.may_exit(s.body) and _has_break_or_return(s.body)

        def cond() -> Any:
            self.at(s.test)
            return self.truth(self.expr(s.test), s.test)

        def body(_: Var | None) -> None:
            self.stmts(s.body, live | scope.next_round(s.body) | scope.reads([s.test]))

        self.loop("while", [], carried, body, cond, has_break, s)

    def _carried(
        self, body: list, live: set, extra_reads: set = frozenset(), target: Any = None
    ) -> list[str]:
        assigned = scope.assigned(body)
        bound: set[str] = set()
        if target is not None:  # the for-loop variable: bound before each iteration's body
            scope._target_names(target, bound)
            assigned |= bound  # and still bound after the loop
        wanted = set(live) | scope.exposed(body, frozenset(bound)) | set(extra_reads)
        names = {n for n in assigned if n in wanted}  # only values someone reads later
        names = {n for n in names if n in self.py_locals} - objstate.only_fields_stored(self, body)
        names -= selfreturn.rebinds_itself(self, body)  # `acc = acc.add(v)`: `return self`
        names -= seqfields.only_item_fields_stored(self, body)  # `bs[0].v += f`
        names |= closures.carried_writes(self, body)  # written by a nested function it calls
        names |= argwrites.carried(self, body)  # updated in place by a helper it calls
        names |= fieldlinks.carried(self, body)  # held by a field a method updates in place
        names |= objstate.object_writes(self, body)  # fields of objects built here
        if scope.may_exit(body) and any(isinstance(x, gast.Return) for x in _walk_stmts(body)):
            names |= {RET, RETVAL}
        return sorted(names)


def _test_first(s: gast.While) -> gast.While:
    """``while True: if not <test>: break; <body>``: the same loop, its condition in the body."""
    stop = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=s.test), body=[gast.Break()], orelse=[])
    loop = gast.While(test=_true(s), body=[stop, *s.body], orelse=[])
    for n in (stop.test, stop.body[0], stop, loop):
        gast.copy_location(n, s.test if n is not loop else s)
    return loop


def _name(flag: str, ctx: Any, at: Any) -> gast.Name:
    return gast.copy_location(gast.Name(id=flag, ctx=ctx, annotation=None, type_comment=None), at)


def _true(at: Any) -> gast.Constant:
    return gast.copy_location(gast.Constant(value=True, kind=None), at)


def _clear_on_break(stmts: list, flag: str) -> list:
    """A copy of a loop body where each `break` of this loop first sets `flag` to False."""
    out: list = []
    for s in stmts:
        if isinstance(s, gast.Break):
            clear = gast.Assign(
                targets=[_name(flag, gast.Store(), s)],
                value=gast.copy_location(gast.Constant(value=False, kind=None), s),
                type_comment=None,
            )
            out += [gast.copy_location(clear, s), s]
            continue
        if isinstance(s, gast.If):
            s = copy.copy(s)
            s.body, s.orelse = _clear_on_break(s.body, flag), _clear_on_break(s.orelse, flag)
        elif isinstance(s, (gast.For, gast.While)):  # its body's breaks are its own
            s = copy.copy(s)
            s.orelse = _clear_on_break(s.orelse, flag)
        out.append(s)
    return out


def _walk_stmts(stmts: list) -> Any:
    for s in stmts:
        for n in scope.walk(s):
            if isinstance(n, (gast.FunctionDef, gast.Lambda)):
                continue
            yield n


def _errstate(ops: list, state: tuple) -> None:
    """Mark `ops` (those of a branch or loop body too, not the ``if``/loop op itself, which the
    transforms rebuild) ``quiet`` with a user's errstate `state` (backend/quiet.py)."""
    for op in ops:
        for b in op.blocks:
            _errstate(b.ops, state)
        if not op.blocks:
            op.params["quiet"] = state
