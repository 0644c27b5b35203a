"""Expression lowering: gast expressions -> ops (three-address form) in the current block.

Input: a gast expression. Output: an operand (`Var` or `Const`) or a compile-time value
(`ModuleRef`, `PrimRef`, `NestedFn`); short-circuit operators and ternaries become `if` ops.
"""

from __future__ import annotations

import types
from typing import Any

import gast

from srcad.frontend.resolve import prim_name
from srcad.lower import (
    fnchoice,
    fnitems,
    fnrefs,
    fnvalues,
    frozen,
    imports,
    iterstate,
    lazygen,
    objects,
    objops,
    partials,
    sets,
    withs,
)
from srcad.lower import values as vals
from srcad.lower.base import made_as_tuple, unpacked
from srcad.lower.copywrites import as_load, copy_write
from srcad.lower.nestedargs import default as nested_default
from srcad.lower.objitems import known_compare, object_item, object_setitem
from srcad.lower.starlits import Spread, known_elts, literal_elts, spread, with_stars
from srcad.lower.stmts import StmtLowerer
from srcad.lower.unpacks import check_length, listed_iterator
from srcad.lower.values import ModuleRef, NestedFn, PrimRef, index_trick, note_attr, plain_getitem
from srcad.ssa.core import Const, Operand, Var
from srcad.ssa.prims import BINOPS, CMPOPS, UNARYOPS, fold, fold_item

_FOLD_UNARY = {"neg": lambda v: -v, "pos": lambda v: +v, "not": lambda v: not v}
_CONSTANTS = (bool, int, float, complex, str)


_DISPATCH: dict[tuple[type, type], Any] = {}  # (lowerer class, node class) -> `expr_<Node>`


class ExprLowerer(StmtLowerer):
    def value(self, node: Any) -> Operand:
        return self.operand(self.expr(node), node)

    def truth(self, v: Any, node: Any) -> Operand:  # (`while s:`: s.__bool__(), lower/objops)
        return objops.truth(self, v, node) if type(v) is vals.LocalObj else self.operand(v, node)

    def expr(self, node: Any) -> Any:
        key = (self.__class__, node.__class__)
        method = _DISPATCH.get(key)
        if method is None:
            method = getattr(self.__class__, "expr_" + type(node).__name__, None)
            if method is None:
                raise self.error(node, f"`{type(node).__name__}` expressions are not supported")
            _DISPATCH[key] = method
        return method(self, node)

    # -- atoms --------------------------------------------------------------------------------
    def expr_Constant(self, node: gast.Constant) -> Const:
        return Const(node.value)

    def expr_Name(self, node: gast.Name) -> Any:
        name = node.id
        if name in self.env:
            v = self.env[name]
            if self.iter_reads and id(node) in self.iter_reads:  # (lower/oneshot.check_iters)
                return iterstate.rest(self, name, v)  # (`sum(it)`: what is left of it)
            return v if type(v) is not lazygen.LazyGen else lazygen.force(self, v, node)
        if name in self.py_locals:
            raise self.error(
                node, f"local variable `{name}` is read before it is assigned on this path"
            )
        kind, obj = self.ns.lookup(name)
        if kind == "missing":
            raise self.error(node, f"name `{name}` is not defined")
        return self.resolve(obj, node)

    def resolve(self, obj: Any, node: Any) -> Any:
        if isinstance(obj, types.ModuleType):
            return ModuleRef(obj, node)
        pn = prim_name(obj) if callable(obj) else None
        if pn is not None:
            return PrimRef(withs.state_prim(self, pn, node), obj, node)
        if isinstance(obj, (bool, int, float, complex, str)) or obj is None:
            if isinstance(node, gast.Attribute):  # module constants: np.pi, math.inf
                return Const(obj)
        return self.materialize(node)

    def expr_Attribute(self, node: gast.Attribute, base: Any = None) -> Any:
        base = self.expr(node.value) if base is None else base  # (a call lowered it already)
        if isinstance(base, objects.OBJECTS):  # an object built here (lower/objects.py)
            return objects.attr(self, base, node.attr, node)
        if isinstance(base, ModuleRef):
            if not hasattr(base.module, node.attr):
                if base.node is None:
                    raise self.error(
                        node, f"module `{base.module.__name__}` has no attribute `{node.attr}`"
                    )
                # maybe a branch that never runs (`if hasattr(np, "trapz"): ...`): read it at run
                # time, where Python raises AttributeError if it does run
                return self.materialize(node)
            obj = getattr(base.module, node.attr)
            note_attr(base.module, node.attr, obj)
            if base.node is None:  # imported inside the function: not re-readable at run time
                return imports.imported(self, base.module, node.attr, obj, node, node)
            return self.resolve(obj, node)
        if isinstance(base, (PrimRef, NestedFn)):
            if isinstance(base, PrimRef) and node.attr == "at":  # np.add.at(a, idx, v)
                raise self.error(
                    node,
                    f"`{base.name}.at` updates an array in place, which srcad does not track",
                    "build the result functionally, e.g. with `y = y + np.bincount(...)` or "
                    "`y[idx] = y[idx] + v` for distinct indices",
                )
            return self.op(f"attr.{node.attr}", [self.operand(base, node.value)])
        if isinstance(base, (vals.Opaque, partials.Partial)):  # (a frozen distribution's...)
            base = self.operand(base, node.value)  # refused (an interpolant: made)
        return self.op(f"attr.{node.attr}", [base])

    # -- operators ----------------------------------------------------------------------------
    def expr_BinOp(self, node: gast.BinOp) -> Var:
        self.at(node)
        a, b, out = objops.operands(self, node)  # `u + v` of objects built here: a method
        if out is not None:
            return out
        prim = BINOPS[type(node.op)]
        if prim == "add" and (self._is_sequence(a) or self._is_sequence(b)):
            # `[x] + ys`: concatenation (or, with an array, addition: the helper's derivative
            # looks at the values), whose derivative splits the cotangent
            return self.op("srcad.runtime.concat", [a, b])
        # `[x] * n` stays a `mul`: repetition, or multiplication when `n` is an array; the
        # transforms decide from what they know of the operands (srcad.ad.seqs)
        return fold(prim, [a, b]) or self.op(prim, [a, b])

    def expr_UnaryOp(self, node: gast.UnaryOp) -> Operand:
        prim = UNARYOPS[type(node.op)]
        a, out = objops.unary(self, node)  # `-v` of an object built here: its __neg__
        if out is not None:
            return out
        if isinstance(a, Const) and prim in _FOLD_UNARY and isinstance(a.value, (int, float)):
            return Const(_FOLD_UNARY[prim](a.value))  # (`not isinstance(o, C)`, o built here)
        self.at(node)
        return self.op(prim, [a])

    def expr_Compare(self, node: gast.Compare) -> Operand:
        self.at(node)
        if (known := known_compare(self, node)) is not None:  # `a is b`, `v in obj`
            return known
        return self._compare(node, self.value(node.left), 0)

    def _compare(self, node: gast.Compare, lhs: Operand, k: int) -> Operand:
        """The chain from its `k`-th comparison, `lhs` its left side (a method: a recursive closure
        is a reference cycle, keeping the lowering alive until the cyclic collector runs)."""
        op, rhs = node.ops[k], self.value(node.comparators[k])
        r = fold(CMPOPS[type(op)], [lhs, rhs]) or self.op(CMPOPS[type(op)], [lhs, rhs])
        if k == len(node.ops) - 1:
            return r
        return self.select(r, lambda: self._compare(node, rhs, k + 1), lambda: r, node)

    def expr_BoolOp(self, node: gast.BoolOp, k: int = 0) -> Operand:
        """``a and b and ...`` from its `k`-th value on (`_compare`: no recursive closure)."""
        v, c = fnrefs.truth_of(self, node.values[k])  # (a function known now: true)
        if k == len(node.values) - 1:
            return v
        nxt = lambda: self.expr_BoolOp(node, k + 1)  # noqa: E731
        same = lambda: v  # noqa: E731
        is_and = isinstance(node.op, gast.And)
        return self.select(c, nxt, same, node) if is_and else self.select(c, same, nxt, node)

    def expr_IfExp(self, node: gast.IfExp) -> Operand:
        c = self.truth(self.expr(node.test), node.test)  # (`a if obj else b`: its __bool__)
        if isinstance(c, Const):  # known now: the branch as it is (an object built here stays one)
            return self.expr(node.body if c.value else node.orelse)
        return fnchoice.select(self, c, node)  # (`f = np.sin if c else np.cos`: noted for `f(x)`)

    def select(self, cond: Operand, then: Any, orelse: Any, node: Any) -> Operand:
        """An `if` op computing one value per branch (callbacks return operands)."""
        if isinstance(cond, Const):
            return then() if cond.value else orelse()
        key = "$sel"
        saved = self.env.get(key)

        def run(f: Any) -> Any:
            return lambda: self.env.__setitem__(key, f())

        self.env[key] = Const(None)
        self.branch(cond, run(then), run(orelse), node)
        out = self.env.pop(key)
        if saved is not None:
            self.env[key] = saved
        return out

    # -- containers and subscripts --------------------------------------------------------------
    def expr_Tuple(self, node: gast.Tuple) -> Operand:
        seq = fnvalues.literal(self, node, "tuple")  # a tuple of functions
        if seq is not None:
            return seq
        elts = self._elts(node.elts)
        if type(elts) is Spread:
            return spread(self, node, elts, "tuple")
        if all(isinstance(e, Const) for e in elts):
            return Const(tuple(e.value for e in elts))
        self.at(node)
        return self.op("tuple", elts)

    def expr_List(self, node: gast.List) -> Any:
        seq = fnvalues.literal(self, node, "list")  # a list of functions
        if seq is not None:
            return seq
        elts = self._elts(node.elts)
        if type(elts) is Spread:
            return spread(self, node, elts, "list")
        self.at(node)
        return self.op("list", elts)

    def _elts(self, elts: list) -> list[Operand]:
        out: list[Operand] = []
        for e in elts:
            if isinstance(e, gast.Starred):
                out = with_stars(self, out, e)  # a `Spread` if its length is unknown
            else:
                out.append(self.value(e))
        return out

    def expr_Dict(self, node: gast.Dict) -> Any:
        if (table := fnitems.literal(self, node)) is not None:  # {"relu": relu, ...}
            return table
        args: list[Operand] = []
        out: Operand | None = (
            None  # `{**a, "k": v}`: ``dict(a) | {"k": v}`` (a merge: rules/dictops)
        )
        for k, v in zip(node.keys, node.values):
            if k is not None:
                args += [self.value(k), self.value(v)]
                continue
            part = self.value(v)
            self.at(node)
            if args:
                out = self._merge(out, self.op("dict", args))
                args = []
            out = self._merge(out, self.op("builtins.dict", [part]))
        self.at(node)
        if out is None or args:
            out = self._merge(out, self.op("dict", args))
        return out

    def _merge(self, a: Operand | None, b: Operand) -> Operand:
        return b if a is None else self.op("bitor", [a, b])

    def expr_Set(self, node: Any) -> Any:
        """A set only tested (``k in s``, ``len(s)``, ``s.add(k)``: lower/sets.py); refused else."""
        return sets.display(self, node)

    def expr_Subscript(self, node: gast.Subscript) -> Operand:
        raw = self.expr(node.value)
        if isinstance(raw, fnvalues.FnSeq):
            k = self.value(node.slice)
            if (out := fnvalues.item(self, raw, k, node)) is not None:
                return out
        if (out := object_item(self, raw, node)) is not None:  # its class's __getitem__
            return out
        known, obj = self.static_object(raw)
        if known and (f := fnitems.static_entry(self, obj, node)) is not None:  # ACTS["tanh"]
            return f
        trick = index_trick(obj) if known else None
        if trick is not None:
            return self.index_trick(trick, node)
        base = self.operand(raw, node.value)
        if known and not plain_getitem(obj):
            # its own __getitem__ (np.mgrid, a user object): a method call, which the transforms
            # differentiate through its source or refuse, never a constant; slices are built by
            # the `slice` builtin, whose result carries its bounds' activity
            idx = self.index(node.slice, opaque=True)
            self.at(node)
            return self.op("method.__getitem__", [base, idx])
        idx = self.index(node.slice)
        self.at(node)
        return fold_item(base, idx) or self.op("getitem", [base, idx])

    def static_object(self, v: Any) -> tuple[bool, Any]:
        """The transform-time object behind a lowered value: a module, a library callable, a
        constant, or a read of a global/closure name (and attributes of it) in scope."""
        if isinstance(v, (PrimRef, Const)):
            return True, v.obj if isinstance(v, PrimRef) else v.value
        if isinstance(v, ModuleRef):
            return True, v.module
        if isinstance(v, frozen.Frozen):  # its methods: lower/library.library_method
            return True, v
        if not isinstance(v, Var) or v in self.b.block.params or v in self.entry_vars:
            return False, None  # (no op defines a parameter: `defining_op` would scan them all)
        op = vals.defining_op(v, self.b.block.ops, self.outer_ops)
        if op is None:
            return False, None
        if op.prim in ("global", "free"):  # (a loop body's call of a function read before it)
            kind, obj = self.home_ns.lookup(op.params["name"])
            return kind != "missing", obj
        if op.prim.startswith("attr."):
            ok, base = self.static_object(op.args[0])
            if ok and hasattr(base, op.prim[5:]):
                value = getattr(base, op.prim[5:])
                note_attr(base, op.prim[5:], value)
                return True, value
        return False, None

    def index_trick(self, trick: str, node: gast.Subscript) -> Operand:
        """``np.r_[...]``/``np.c_[...]`` as concatenations (which have rules); ``np.s_[i]`` and
        ``np.index_exp[i]`` as the index itself."""
        sl = node.slice
        if trick in ("s_", "index_exp"):
            idx = self.index(sl)
            if trick == "s_" or isinstance(sl, gast.Tuple):
                return idx
            return Const((idx.value,)) if isinstance(idx, Const) else self.op("tuple", [idx])
        items = sl.elts if isinstance(sl, gast.Tuple) else [sl]
        if items and isinstance(items[0], gast.Constant) and isinstance(items[0].value, str):
            raise self.error(
                node,
                f"`np.{trick}` with a string directive is not supported",
                "use np.concatenate / np.stack with an explicit axis",
            )
        parts: list[Operand] = []
        for item in items:
            if isinstance(item, gast.Slice):
                s = self.index(item)
                if not isinstance(s, Const):
                    raise self.error(
                        item,
                        f"a slice with computed bounds in `np.{trick}` is not supported",
                        "use np.arange or np.linspace for the range",
                    )
                v: Operand = self._range_item(s.value)
            else:
                v = self.value(item)
            self.at(item)
            wrap = "numpy.atleast_1d" if trick == "r_" else "srcad.runtime.c_item"
            parts.append(self.op(wrap, [v]))
        self.at(node)
        seq = self.op("list", parts)
        return self.op("numpy.concatenate", [seq], {"axis": Const(0 if trick == "r_" else -1)})

    def index(self, node: Any, opaque: bool = False) -> Operand:
        if isinstance(node, gast.Slice):
            parts = [
                self.value(p) if p is not None else Const(None)
                for p in (node.lower, node.upper, node.step)
            ]
            if all(isinstance(p, Const) for p in parts):
                return Const(slice(*(p.value for p in parts)))
            return self.op("builtins.slice" if opaque else "slice", parts)
        if isinstance(node, gast.Tuple):
            elts = [self.index(e, opaque) for e in node.elts]
            if all(isinstance(e, Const) for e in elts):
                return Const(tuple(e.value for e in elts))
            return self.op("tuple", elts)
        return self.value(node)

    def expr_Slice(self, node: gast.Slice) -> Operand:
        return self.index(node)

    def expr_JoinedStr(self, node: gast.JoinedStr) -> Operand:
        fmt, args = "", []
        for part in node.values:
            if isinstance(part, gast.Constant):
                fmt += str(part.value).replace("{", "{{").replace("}", "}}")
            else:
                conv = {-1: "", 115: "!s", 114: "!r", 97: "!a"}[part.conversion]
                spec = ""
                if part.format_spec is not None:
                    specs = [p for p in part.format_spec.values]
                    if not all(isinstance(p, gast.Constant) for p in specs):
                        raise self.error(part, "nested f-string format specs are not supported")
                    spec = ":" + "".join(str(p.value) for p in specs)
                fmt += "{" + conv + spec + "}"
                args.append(self.value(part.value))
        if not args:
            return Const(fmt)
        return self.op("method.format", [Const(fmt), *args])

    def expr_NamedExpr(self, node: gast.NamedExpr) -> Operand:
        v = self.value(node.value)
        self.assign(node.target, v, node)
        return v

    def expr_Lambda(self, node: gast.Lambda) -> NestedFn:
        return NestedFn(node, "<lambda>", [nested_default(self, d) for d in node.args.defaults])

    def expr_Starred(self, node: Any) -> Any:
        raise self.error(node, "starred expressions are only supported in calls and literals")

    def expr_Yield(self, node: Any) -> Any:
        raise self.error(node, "generators (`yield`) are not supported")

    expr_YieldFrom = expr_Yield

    def expr_Await(self, node: Any) -> Any:
        raise self.error(node, "`await` is not supported")

    def expr_SetComp(self, node: Any) -> Any:
        """A set only tested, as a set display (lower/sets.py); refused else."""
        return sets.comprehension(self, node)

    def _range_item(self, s: slice) -> Operand:
        """A constant slice in ``np.r_``: ``a:b:c`` is arange, ``a:b:nj`` linspace of n points."""
        start = 0 if s.start is None else s.start
        if isinstance(s.step, complex):
            return self.op("numpy.linspace", [Const(start), Const(s.stop), Const(int(abs(s.step)))])
        return self.op("numpy.arange", [Const(start), Const(s.stop), Const(s.step or 1)])

    # -- unpacking and assignment -------------------------------------------------------------
    def unpack(self, v: Operand, n: int | None, node: Any) -> list[Operand]:
        """Elements of a tuple/list value (from its literal when known, else getitem ops)."""
        elts = known_elts(self, v)
        if elts is not None:
            return elts
        if n is None:
            raise self.error(node, "cannot unpack a value of unknown length here")
        v = listed_iterator(self, unpacked(self, v, node))  # a dict's keys, views, iterators
        check_length(self, v, n, node)  # Python's ValueError for another length
        return [self.op("getitem", [v, Const(k)]) for k in range(n)]

    def _literal_elts(self, v: Operand) -> list[Operand] | None:
        return literal_elts(self, v)  # (lower/starlits.py)

    def assign(self, target: Any, value: Any, node: Any) -> None:
        if isinstance(value, fnvalues.Items):  # a pair holding a function (`out, pull = vjp(...)`)
            return fnvalues.assign(self, target, value, node)
        if isinstance(target, gast.Name):
            if isinstance(value, Var) and not value.hint:
                value.hint = target.id
            self.env[target.id] = value
        elif isinstance(target, (gast.Tuple, gast.List)):
            v = self.operand(value, node)
            star = [k for k, e in enumerate(target.elts) if isinstance(e, gast.Starred)]
            if star:
                k = star[0]
                after = len(target.elts) - k - 1
                v = listed_iterator(self, unpacked(self, v, node))  # (as in `unpack`)
                check_length(self, v, k + after, node, least=True)
                for j, e in enumerate(target.elts[:k]):
                    self.assign(e, self.op("getitem", [v, Const(j)]), node)
                stop = Const(-after if after else None)
                rest = self.op("getitem", [v, Const(slice(k, stop.value))])
                self.assign(target.elts[k].value, self.op("builtins.list", [rest]), node)
                for j, e in enumerate(target.elts[k + 1 :]):
                    self.assign(e, self.op("getitem", [v, Const(j - after)]), node)
                return
            elts = self.unpack(v, len(target.elts), node)
            if len(elts) != len(target.elts):
                raise self.error(node, f"cannot unpack {len(elts)} values into {len(target.elts)}")
            for e, x in zip(target.elts, elts):
                self.assign(e, x, node)
        elif isinstance(target, gast.Subscript):
            self.assign_to(target, self.operand(value, node))
        elif isinstance(target, gast.Attribute):  # of an object built here (lower/objstate.py)
            objects.set_attr(self, target, value, node)  # (a property's setter inlined)
        elif isinstance(target, gast.Starred):
            raise self.error(target, "starred assignment target here is not supported")
        else:
            raise self.error(target, "unsupported assignment target")

    def assign_to(self, target: Any, new_value: Operand) -> None:
        """Functional update: ``x[i][j] = v`` -> ``x = setitem(x, i, setitem(x[i], j, v))``;
        a Name target just rebinds."""
        if isinstance(target, gast.Name):
            if target.id not in self.py_locals:
                raise self.error(
                    target,
                    f"modifying `{target.id}`, which is not a local variable, is not supported",
                    "copy it into a local first (`x = x.copy()`) or return the new value",
                )
            if isinstance(new_value, Var) and not new_value.hint:
                new_value.hint = target.id
            self.env[target.id] = new_value
            return
        if isinstance(target, gast.Subscript):
            if object_setitem(self, target, new_value) or copy_write(self, target):
                return  # its class's __setitem__; a copy's item (lower/copywrites.py)
            base = self.value(as_load(target.value))
            idx = self.index(target.slice)
            self.at(target)
            if isinstance(new_value, Var) and made_as_tuple(self, base):
                raise self.error(  # `t[0][j] = v`: the list in it changes, the tuple stays
                    target,
                    "writing into an element of a tuple (`t[i][j] = v`) is not supported",
                    "keep the rows in a list (`t = [row0, row1]`) or build the new tuple",
                )
            new = self.op("setitem", [base, idx, new_value], hint=self._base_name(target))
            self.assign_to(target.value, new)
            return
        if isinstance(target, gast.Attribute):  # `a.p[0] = v`: a field of an object built here
            return objects.set_attr(self, target, new_value, target)
        raise self.error(target, "unsupported assignment target")
