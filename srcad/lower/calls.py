"""Calls, `for` loops and comprehensions.

Input: gast `Call`, `For`, `ListComp`/`GeneratorExp`/`DictComp` nodes. Output: prim ops, `call` ops,
inlined bodies of nested functions, and `for` ops over ``range`` (iteration over a sequence ``xs``
becomes ``for i in range(len(xs)): x = xs[i]``; ``enumerate``/``zip``/``reversed`` likewise).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import gast

import srcad.lower.dictiter as dictiter
import srcad.lower.dictobjs as dictobjs
import srcad.lower.fastcalls as fastcalls
import srcad.lower.fnargs as fnargs
import srcad.lower.idioms_more as idioms_more
import srcad.lower.inplace_np as inplace_np
import srcad.lower.iterlists as iterlists
import srcad.lower.library_np as library_np
import srcad.lower.numpy_fns as numpy_fns
import srcad.lower.objiter as objiter
import srcad.lower.setattrs as setattrs
import srcad.lower.starextremes as starextremes
import srcad.lower.usermethods as usermethods
from srcad.checkpointing import checkpoint_marker
from srcad.custom import custom_of
from srcad.errors import SrcadError
from srcad.lower import api_calls, closures, fnvalues, idioms, objects, scope, stdlib, varargs
from srcad.lower.api_np import astype_nocopy
from srcad.lower.base import container_kind
from srcad.lower.draws_np import star_sized
from srcad.lower.iterzip import special_space, zip_space
from srcad.lower.library import LibraryCalls, is_str
from srcad.lower.lift import NestedDerivative, lift_target
from srcad.lower.lift import call_args as call_lifted
from srcad.lower.objseq import lowered_once
from srcad.lower.oneshot import note_call
from srcad.lower.partials import Getter, Partial, _lower_with, constant_getter, made_first
from srcad.lower.scope import BRK, CONT
from srcad.lower.seqitems import indexable
from srcad.lower.starcalls import STAR_HINT
from srcad.lower.starcalls import shape_star as star
from srcad.lower.stmts import _has_break_or_return
from srcad.lower.values import ModuleRef, NestedFn, PrimRef, array_like_receiver, const_getattr
from srcad.ssa.core import Const, Operand, Var

MAX_INLINE_DEPTH = 20

# Method names that mutate their receiver (refused: the IR treats values as immutable).
_INPLACE = frozenset({"sort", "reverse", "fill", "pop", "insert", "remove", "clear", "update",
                      "setdefault", "resize", "put", "itemset", "partition", "popitem", "discard",
                      "append", "extend"})  # fmt: skip


# NumPy functions that write into one of their arguments.
_INPLACE_FUNCS = frozenset({"numpy.copyto", "numpy.put", "numpy.place", "numpy.putmask",
                            "numpy.fill_diagonal", "numpy.put_along_axis", "numpy.random.shuffle",
                            "numpy.random.Generator.shuffle"})  # fmt: skip


class CallLowerer(LibraryCalls):
    def expr_Call(self, node: gast.Call) -> Any:
        note_call(self, node)  # a one-shot iterator passed to a user function (lower/oneshot.py)
        for kw in node.keywords:
            if kw.arg == "out" and not (
                isinstance(kw.value, gast.Constant) and kw.value.value is None
            ):
                return inplace_np.with_out(self, node)
            if kw.arg == "copy" and not (
                isinstance(kw.value, gast.Constant) and kw.value.value is True
            ):
                if (nocopy := astype_nocopy(self, node)) is not None:
                    return nocopy  # `x.astype(float, copy=False)`: np.asarray(x, float)
                raise self.error(
                    node,
                    "`copy=` other than True may return (or update) an existing array, which "
                    "srcad does not track",
                    "leave `copy` at its default, or call `.copy()` explicitly",
                )
        func = node.func
        if isinstance(func, gast.Attribute):
            base = self.expr(func.value)
            if isinstance(base, PrimRef) and func.attr == "at":  # np.add.at(a, idx, v)
                return inplace_np.ufunc_at(self, base.name, node)
            if not isinstance(base, (ModuleRef, *objects.OBJECTS)):
                if (out := star_sized(self, base, node)) is not None:
                    return out  # rs.randn(*x.shape) of a np.random.RandomState
                known, obj = self.static_object(base)
                if known and not array_like_receiver(obj):
                    return self.library_method(base, obj, node)
                if (out := usermethods.call(self, base, node)) is not None:
                    return out  # `o.update(g)`, `o.items()`: a user class's own methods
                handled, out = idioms.updating_method(self, node)
                if handled:
                    return out
                out = inplace_np.method(self, node) if func.attr in inplace_np.METHODS else None
                if out is not None:
                    return out
                recv = self.operand(base, func.value)
                if func.attr == "_replace" and not node.args:  # of a namedtuple
                    return idioms.replace_fields(self, recv, node, "namedtuple")
                if func.attr in _INPLACE:
                    raise self.error(
                        node,
                        f"`.{func.attr}()` is supported as a statement on a local variable only",
                        "not in an expression, nor on an attribute, global or item: build a new value",
                    )
                args, kwargs = self.call_args(node)
                self.at(node)
                if func.attr in ("values", "items") and not args and not kwargs:
                    # as lists, so their derivatives can follow the dict's entries
                    return self.op(f"srcad.runtime.dict_{func.attr}", [recv])
                return library_np.method_call(self, func.attr, recv, args, kwargs, node)  # x.var()
            if isinstance(base, objects.OBJECTS):
                f = objects.attr(self, base, func.attr, func)
            else:  # a module's attribute (`base`: the module, lowered above)
                f = self.expr_Attribute(func, base)
        elif (out := fnvalues.call_of_item(self, func, node)) is not None:
            return out  # np.vectorize(f)(x): lower/numpy_fns; acts[name](x): lower/fnitems
        else:
            f = self.expr(func)
        if (out := fastcalls.plain_call(self, f, node, inplace_np.positional_out)) is not None:
            return out  # np.sin(a), np.sum(x): lower/fastcalls.py
        if (out := numpy_fns.named_vectorize(self, f, node)) is not None:  # g = np.vectorize(f)
            return out
        if (out := objects.local_call(self, f, node)) is not None:  # of objects built here
            return out
        if isinstance(f, PrimRef):  # `sum(g)` consumes `g` at once, `any(g)` perhaps part of it
            closures.note_consumer(self, f.name, node)
        if isinstance(f, api_calls.Callable_):  # a pullback, srcad.hessian(f), ... made here
            return api_calls.call(self, f, node)
        if isinstance(f, NestedDerivative):  # srcad.grad(<nested function>)
            return self.op("call", [Const(f.derivative), *call_lifted(self, f, node)])
        if isinstance(f, NestedFn):
            return self.inline(f, node)
        if isinstance(f, (Partial, Getter)):  # g = functools.partial(h, ...); g(x): partials.py
            return f.call(self, node)
        if not isinstance(f, (PrimRef, ModuleRef)):
            known, maker = self.static_object(f)
            if known and getattr(maker, "__srcad_maker__", False):
                return self.derivative_maker(maker, node)
            if known and maker is dataclasses.replace and len(node.args) == 1:
                return objects.objrecord.replace(self, node, idioms.replace_fields)
            if known and isinstance(maker, type):  # its __init__ computes fields (objects.py)
                obj = objects.construct(self, maker, f, node)
                if obj is not None:
                    return obj
            out = stdlib.lower_call(self, maker, node) if known else None
            if out is not None:  # functools.reduce, itertools.accumulate, statistics.mean, ...
                return out
            if known and isinstance(maker, functools.partial):
                return self.partial_call(f, maker, node)
            if known and _srcad_api(maker) and getattr(maker, "__name__", "") in api_calls.HANDLED:
                return api_calls.lower_call(self, maker, node)
            if known and _srcad_api(maker):
                raise self.error(
                    node,
                    f"calling `srcad.{maker.__name__}` inside a function srcad transforms is not "
                    "supported yet (srcad.grad(f)(...) is)",
                    "call it outside, or use srcad.grad of a module-level function here",
                )
            if (out := fnargs.helper_call(self, maker, node, MAX_INLINE_DEPTH)) is not None:
                return out  # def total(*xs) / def f(x, **kw) / a generator: inlined
        if isinstance(f, PrimRef) and f.name in _INPLACE_FUNCS:
            return inplace_np.writer(self, f.name, node)
        if isinstance(f, PrimRef) and inplace_np.positional_out(
            f.obj, fnargs.spread(self, node.args)
        ):
            if (moved := inplace_np.out_keyword(f.obj, node)) is not None:
                return self.expr_Call(moved)  # `np.exp(y, y)` as `np.exp(y, out=y)`
            inplace_np.refuse(self, node, f"`{f.name}` with an output array argument")
        if isinstance(f, PrimRef) and f.name == "hasattr" and len(node.args) == 2:
            mod, attr = self.expr(node.args[0]), node.args[1]
            if isinstance(mod, ModuleRef) and isinstance(attr, gast.Constant):
                # known now: a version check on a module picks its branch at transform time
                return Const(hasattr(mod.module, attr.value))
        if isinstance(f, PrimRef) and f.name in ("setattr", "delattr"):  # the AD would not see it
            raise self.error(node, f"`{f.name}()` is not supported", setattrs.HINT)
        if isinstance(f, PrimRef) and f.name == "getattr" and const_getattr(node):
            attr = gast.Attribute(value=node.args[0], attr=node.args[1].value, ctx=gast.Load())
            return self.expr(gast.copy_location(attr, node))  # getattr(np, "sin") is np.sin
        if isinstance(f, PrimRef) and f.name == "builtins.dict":
            return self.dict_call(node)
        if (out := fnvalues.special_call(self, f, node)) is not None:
            return out  # np.piecewise / np.apply_along_axis of a Python function, len(layers)
        if isinstance(f, PrimRef) and f.name in ("map", "filter"):
            pure = bool(node.args) and constant_getter(self, node.args[0])  # (made per item)
            eager = id(node) in self.eager
            node, made = made_first(self, node, eager)  # sum(map(functools.partial(g, a), xs))
            comp = fnvalues.rewrite_map(node, pure)  # the comprehension it equals
            if comp is not None:
                closures.check_lazy(self, comp, f"`{f.name}` object", eager)
                return _lower_with(self, made, comp)
        if (module := self.dynamic_import(f, node)) is not None:
            return module
        if (out := idioms_more.listed_call(self, f, node)) is not None:  # list(zip(..)), zip(*rs)
            return out
        node = idioms_more.listed_argument(self, f, node)  # sorted(zip(a, b)): of a list
        if isinstance(f, PrimRef) and f.name in ("sorted", "max", "min") and node.keywords:
            out = idioms.keyed(self, f.name, f, node)
            if out is None and f.name != "sorted":
                out = idioms.with_default(self, f, node)
            if out is not None:
                return out
        if (out := starextremes.star_extreme(self, f, node)) is not None:  # max(*x), x 1-D
            return out
        args, kwargs = self.call_args(node)
        self.at(node)
        if isinstance(f, PrimRef):
            if f.name == "numpy.einsum" and args and not is_str(args[0]):
                args = self.einsum_sublists(node, args)
            if f.name in ("range", "enumerate", "zip", "reversed") and kwargs:
                raise self.error(node, f"keyword arguments to `{f.name}` are not supported")
            out = self.library_rewrite(f.name, args, kwargs)
            if out is not None:
                return out
            if f.name in ("max", "min") and len(args) > 2 and not kwargs:
                out = args[0]  # max(a, b, c) == max(max(a, b), c), ties keep the first
                for a in args[1:]:
                    out = self.op(f.name, [out, a])
                return out
            return self.op(f.name, args, kwargs)
        callee = self.operand(f, func)
        return self.op("call", [callee, *args], kwargs)

    def derivative_maker(self, maker: Any, node: gast.Call) -> Const | NestedDerivative:
        """``srcad.grad(inner, wrt=...)`` in lowered code: made now, once (a constant the call
        that follows invokes); the transforms differentiate through it (ad/compose.py). `inner`
        must be known now: a module-level function, and the options constants."""
        name = getattr(maker, "__name__", "grad")
        if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
            raise self.error(node, f"`srcad.{name}` takes the function to differentiate first")
        target = self.expr(node.args[0])
        lifted, inner = lift_target(self, target, node)  # (of srcad.grad(nested): composed)
        known, fn = (True, inner) if inner is not None else self.static_object(target)
        opts = api_calls.options(self, node, name)
        rest = [self.value(a) for a in node.args[1:]]
        if lifted is not None:  # a nested def/lambda: its derivative takes the captured values too
            if rest:  # (by position: ``srcad.grad(inner, 1)``)
                opts = api_calls.positional_options(self, node, maker, name, rest, opts)
            try:
                made = maker(inner, **opts)
            except SrcadError as e:
                raise self.error(node, str(e.args[0] if e.args else e)) from None
            n = lifted.nested  # (its def/lambda, also under `srcad.grad(srcad.jacfwd(inner))`)
            return NestedDerivative(n.node, n.name, n.defaults, n.depth, made, lifted)
        if not known or not callable(fn) or not all(isinstance(a, Const) for a in rest):
            raise self.error(node, *api_calls.unknown_function(name, node))  # (self.loss too)
        try:
            return Const(maker(fn, *(a.value for a in rest), **opts))
        except SrcadError as e:
            raise self.error(node, str(e.args[0] if e.args else e)) from None

    def call_args(self, node: gast.Call) -> tuple[list[Operand], dict[str, Operand]]:
        args: list[Operand] = []
        for a in node.args:
            if isinstance(a, gast.Starred):
                v = self.value(idioms_more.spread(self, a.value))  # (`f(*obj)`: __iter__'s)
                elts = self.unpack(v, None, a) if self._unpackable(v) else star(self, node, a, v)
                if elts is None:
                    raise self.error(a, "`*args` in a call is supported only for tuple/list "
                                     "literals of known length", STAR_HINT)  # fmt: skip
                args.extend(elts)
            else:
                args.append(self.value(a))
        return args, varargs.call_keywords(self, node, self.value)  # (`**d`: double_star's)

    def _unpackable(self, v: Operand) -> bool:
        if isinstance(v, Const):
            return isinstance(v.value, (tuple, list))
        return self._literal_elts(v) is not None

    # -- nested functions -----------------------------------------------------------------------
    def inline(self, f: NestedFn, node: gast.Call) -> Operand:
        return fnargs.inline_nested(self, f, node, MAX_INLINE_DEPTH)

    # -- for loops ------------------------------------------------------------------------------
    def stmt_For(self, s: gast.For, live: set) -> None:
        if s.orelse:
            return self.loop_else(s, live)
        s, items = objiter.loop_items(self, s)  # (`for layer in net`: `iter(self.layers)`)
        if items is not None:  # over a list of functions, or making functions: unrolled
            body_live = live | scope.next_round(s.body, s.target)  # (as a loop's body)
            run = lambda: self.stmts(s.body, body_live)  # noqa: E731
            return fnvalues.unroll(self, s.target, items, s.body, s, run)
        carried = self._carried(s.body, live, extra_reads=set(), target=s.target)
        self.items_snapshot = s.iter if idioms.items_snapshot(self, s) else None
        self.for_loop = s  # (lower/iterzip.listed_chain reads its body)

        has_break = _has_break_or_return(s.body)
        body_live = live | scope.next_round(s.body, s.target)  # (not all it reads: livekill.py)
        check = dictiter.size_check(self, s, carried)  # (Python's error: the dict's size changed)

        def body(item: Operand) -> None:
            t = s.target  # a range's index is the item: named after it (``for step in ...``)
            if item is self.b.block.params[0] and getattr(t, "id", "_")[0] != "_":
                item.hint = t.id
            self.assign(s.target, item, s.target)
            self.stmts(s.body, body_live)
            _ = check and check()

        self.iterate(s.iter, carried, body, has_break, s)

    def iterate(
        self,
        iter_node: Any,
        carried: list[str],
        body: Callable[[Operand], None],
        has_break: bool,
        node: Any,
    ) -> None:
        """Lower ``for <item> in <iter_node>`` as a `for` op over a range."""
        self.at(node)
        iter_node, every = checkpoint_marker(self, iter_node)
        outer = getattr(self, "iterating", (None, None))
        self.iterating = (iter_node, node)  # (a generator's call: lower/generators.py)
        start, stop, step, item_fn = self.iteration_space(iter_node)
        self.iterating = outer  # (a generator's loops inlined for an item of ``zip`` ran here)

        def run(i: Var | None) -> None:
            assert i is not None
            body(item_fn(i))

        self.loop("for", [start, stop, step], carried, run, None, has_break, node)
        if every is not None:  # srcad.checkpoint_loop: the reverse sweep recomputes segments
            self.b.block.ops[-1].params["checkpoint"] = every

    def _iter_call(self, node: Any) -> str | None:
        """`range`/`enumerate`/`zip`/`reversed` when `node` calls one of them."""
        if not isinstance(node, gast.Call) or not iterlists._dotted(node.func):
            return None  # (``helper(x).items()``: lowered once, by the caller)
        if iterlists.runtime_method(self, node.func):
            return None
        f = self.expr(node.func)
        if isinstance(f, PrimRef) and f.name in ("range", "enumerate", "zip", "reversed"):
            return f.name
        return None

    def iteration_space(self, it: Any) -> tuple[Operand, Operand, Operand, Callable]:
        """-> (start, stop, step, item(i)) for range, enumerate, zip, reversed and sequences."""
        space = special_space(self, it)  # np.ndenumerate, itertools.chain / islice
        if space is not None:
            return space
        name = self._iter_call(it)
        inner_name = self._iter_call(it.args[0]) if name == "enumerate" and it.args else None
        if inner_name in ("range", "zip", "reversed"):
            # enumerate(zip(a, b)) / enumerate(range(...)) / enumerate(reversed(a)): count
            # positions in the inner space
            start, stop, step, inner = self.iteration_space(it.args[0])
            rest = gast.Call(func=it.func, args=it.args[1:], keywords=it.keywords)
            _, kwargs = self.call_args(rest)
            extra = [self.value(a) for a in it.args[1:]]
            offset = kwargs.get("start", extra[0] if extra else Const(0))

            def counted(i: Var) -> Operand:
                pos: Operand = i
                if not (start == Const(0) and step == Const(1)):
                    pos = self.op("floordiv", [self.op("sub", [i, start]), step])
                if offset != Const(0):
                    pos = self.op("add", [pos, offset])
                return self.op("tuple", [pos, inner(i)])

            return start, stop, step, counted
        f = self.expr(it.func) if name else None
        if name == "zip":
            return zip_space(self, it)
        if name:
            args, kwargs = self.call_args(it)
            if kwargs and not (f.name == "enumerate" and set(kwargs) == {"start"}):
                raise self.error(it, f"keyword arguments to `{f.name}` are not supported")
            if f.name == "range":  # range(stop), range(start, stop[, step])
                a = [Const(0)] * (len(args) == 1) + list(args) + [Const(1)]
                return a[0], a[1], a[2], lambda i: i
            if f.name == "enumerate":
                seq = self.as_seq(args[0])
                offset = kwargs.get("start", args[1] if len(args) > 1 else Const(0))
                n = self.op("len", [seq], hint="n")

                def item(i: Var) -> Operand:
                    k = i if offset == Const(0) else self.op("add", [i, offset])
                    return self.op("tuple", [k, self.op("getitem", [seq, i])])

                return Const(0), n, Const(1), item
            # reversed(seq)
            seq = self.as_seq(args[0])
            n = self.op("len", [seq], hint="n")
            last = self.op("sub", [n, Const(1)])
            at = lambda i: self.op("getitem", [seq, self.op("sub", [last, i])])  # noqa: E731
            return Const(0), n, Const(1), at
        v = self.value(it)
        seq = self.as_seq(v)
        if container_kind(self, v) == "dict":  # `for k in d`: its keys (rules/dictops.py)
            seq = self.op("srcad.runtime.dict_keys", [v], hint="keys")
        elif isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute) and not it.args:
            if it.func.attr == "keys" and not it.keywords or it is self.items_snapshot:
                # Python raises if the keys change in the loop: a snapshot (items: the body
                # writes only the current entry, lower/idioms.items_snapshot)
                seq = dictiter.keys_of(self, it, seq)
        n = self.op("len", [seq], hint="n")
        return Const(0), n, Const(1), lambda i: self.op("getitem", [seq, i])

    def as_seq(self, v: Operand) -> Operand:
        """Sequences index as themselves; other iterables (dicts, views) are listed first."""
        if isinstance(v, Const) and isinstance(v.value, (tuple, list, str)):
            return v
        if isinstance(v, Var) and indexable(self.b.block.ops, v, _SEQUENCE_PRIMS):
            return v
        return self.op("srcad.runtime.as_sequence", [v], hint=getattr(v, "hint", ""))

    # -- comprehensions -------------------------------------------------------------------------
    def expr_ListComp(self, node: Any) -> Operand:
        seq = lowered_once(self, node) or fnvalues.lambda_comprehension(self, node)  # (`sum([..])`)
        return seq if seq is not None else self._comprehension(node, "list")

    def expr_GeneratorExp(self, node: Any) -> Operand:
        closures.check_lazy(self, node, "generator expression", id(node) in self.eager)
        return self._comprehension(node, "list")

    def expr_DictComp(self, node: Any) -> Operand:
        seq = dictobjs.comprehension(self, node, fnvalues._constant_values)  # {i: C(x[i]) ...}
        return seq if seq is not None else self._comprehension(node, "dict")

    def _comprehension(self, node: Any, kind: str) -> Operand:
        acc_name = "$acc"
        outer_env, outer_locals = self.env, self.py_locals
        targets: set[str] = set()
        for g in node.generators:
            scope._target_names(g.target, targets)
        # enclosing variables a nested function called in it or a `:=` may write: carried, kept
        writes = sorted(closures.comprehension_writes(self, node) - targets)
        self.env = closures.enter_comprehension(self, node, targets, outer_env)
        self.py_locals = outer_locals | targets
        self.at(node)
        self.env[acc_name] = self.op(kind, [], hint="acc")

        def level(k: int) -> None:
            if k == len(node.generators):
                if kind == "list":
                    v = self.value(node.elt)
                    self.env[acc_name] = self.op("list_append", [self.env[acc_name], v], hint="acc")
                else:
                    key, val = self.value(node.key), self.value(node.value)
                    new = self.op("setitem", [self.env[acc_name], key, val], hint="acc")
                    self.env[acc_name] = new
                return
            g = node.generators[k]
            if g.is_async:
                raise self.error(node, "async comprehensions are not supported")
            items = fnvalues.static_items(self, g.iter)
            if items is not None:  # over a list of functions: unrolled
                run = lambda: self._guarded(g.ifs, lambda: level(k + 1))  # noqa: E731
                return fnvalues.unroll(self, g.target, items, [], node, run)

            def body(item: Operand) -> None:
                self.assign(g.target, item, g.target)
                self._guarded(g.ifs, lambda: level(k + 1))

            self.iterate(g.iter, [acc_name, *writes], body, False, node)

        try:
            level(0)
            result = self.env[acc_name]
            for n in writes:
                outer_env[n] = self.env[n]
        finally:
            self.env, self.py_locals = closures.leave_comprehension(self, outer_env), outer_locals
            level = None  # type: ignore[assignment]  # (a reference cycle: freed now)
        return result

    def _guarded(self, conds: list, then: Callable[[], None]) -> None:
        if not conds:
            then()
            return
        c = self.value(conds[0])
        self.branch(c, lambda: self._guarded(conds[1:], then), lambda: None, conds[0])


_SEQUENCE_PRIMS = frozenset({"tuple", "list", "list_append", "getitem", "add", "sub", "mul",
                             "truediv", "matmul", "builtins.list", "builtins.tuple", "range",
                             "srcad.runtime.rest_of"}) | {
    f"numpy.{n}" for n in ("array", "asarray", "arange", "linspace", "zeros", "ones", "stack",
                           "concatenate", "sin", "cos", "exp", "dot", "eye", "full")
}  # fmt: skip
_UNUSED = (BRK, CONT)


def _srcad_api(obj: Any) -> bool:
    """One of srcad's own functions (`srcad.jvp`, `srcad.hessian`, ...), whose source is not user
    code to differentiate; derivatives srcad made are user-module functions, not these."""
    module = getattr(obj, "__module__", None) or ""
    if getattr(obj, "__srcad_derivative__", False):  # a derivative srcad made (api_calls.Inside)
        return False
    if getattr(obj, "__srcad_custom__", False) or custom_of(obj) is not None:
        return False  # stop_gradient, srcad's own checked rules (srcad.custom): transformed
    return callable(obj) and module.split(".")[0] == "srcad" and module != "srcad.runtime"
