"""Expressions of lower/listobjs.py's rewrite: reads of the identities (`Obj`) of lists, tuples
and dicts built in the function, the sequences loops over them take round by round (`Seq`), and
helpers of the same module inlined where they are given one (or build one).

Input: a `Rewriter`'s environment and an expression node. Output: an `Obj`, a constant `K`, or
an expression node reading run-time values (the items' variables among them); `Abort` where the
rewrite cannot decide at rewrite time which object an expression is, or where Python would keep
the object somewhere this does not follow.

Helpers given an identity are inlined by lower/listhelpers.py.
"""

from __future__ import annotations

import builtins
import copy
import math
import types
from typing import Any

import gast
import numpy as np

from srcad.lower.values import python_locals


class Abort(Exception):
    """The rewrite does not apply: the tree stays as it was; `site`, when given, is the list
    display to try again as a run-time list (appended to in a loop, given to a method)."""

    def __init__(self, site: Any = None) -> None:
        super().__init__()
        self.site = site


class K:
    """A constant known at rewrite time (an int position, a tuple's constant item)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def node(self) -> Any:
        return gast.Constant(value=self.value, kind=None)


class Obj:
    """The identity of a list/tuple/dict built here: its items (a variable's name, a `K` or
    another `Obj`), and for a dict its constant keys."""

    def __init__(self, serial: int, kind: str, slots: list, keys: list | None = None) -> None:
        self.serial, self.kind, self.slots, self.keys = serial, kind, slots, keys
        self.refs = 0  # names and items that held it
        self.written = False
        self.site: Any = None  # (line, column) of the display that made it


class Seq:
    """What a loop iterates over: `round(k)` the k-th item (read when its round starts), None
    past the end."""

    def __init__(self, round_fn: Any) -> None:
        self.round = round_fn


_NP_MODULES = (np, math, np.linalg)
_READERS = {"sum", "min", "max", "abs", "float", "any", "all", "sorted", "tuple", "round"}
_SAFE_DEFAULT = (int, float, bool, str, type(None))


def _pair_check(node: Any) -> bool:
    """`node` is lower/combos.py's run-time check of the pool of pairs, of a plain name."""
    return (
        isinstance(node.func, gast.Name)
        and node.func.id == "srcad_pair_source"
        and len(node.args) == 1
        and isinstance(node.args[0], gast.Name)
        and not node.keywords
    )


class Inliner:
    def __init__(self, node: Any, ns: Any) -> None:
        self.ns = ns
        self.root_locals = python_locals(node)
        self.serial = 0
        self.objs: list[Obj] = []
        self.inlining = 0
        self.top_call: Any = None
        self.runtime_sites: set = set()  # displays kept as run-time lists

    # -- helpers ------------------------------------------------------------------------------
    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def new_obj(self, kind: str, slots: list, keys: list | None = None) -> Obj:
        self.serial += 1
        o = Obj(self.serial, kind, [], keys)
        for v in slots:
            o.slots.append(self.slot_of(o, v))
        self.objs.append(o)
        return o

    def slot_of(self, o: Obj, v: Any) -> Any:
        """An item of `o` holding `v`: the identity itself, a tuple's constant, else a new
        variable (the value Python's object holds from now on)."""
        if isinstance(v, Obj):
            v.refs += 1
            return v
        if isinstance(v, K) and o.kind != "list":
            return v
        name = self.fresh(f"srcad_lo{o.serial}_")
        self.pre.append(_assign(name, v.node() if isinstance(v, K) else v))
        return name

    def shared_write(self) -> bool:
        """An item written of a list held in two places, or held (at any depth) by a list or
        tuple held in two: ``for b in bodies: b[0][0] += v`` writes `bodies`' lists through `b`."""
        holders: dict[int, list[Obj]] = {}
        for o in self.objs:
            for s in o.slots:
                if isinstance(s, Obj):
                    holders.setdefault(id(s), []).append(o)

        def shared(o: Obj, seen: set) -> bool:
            seen.add(id(o))
            return o.refs >= 2 or any(
                shared(h, seen) for h in holders.get(id(o), []) if id(h) not in seen
            )

        return any(o.written and shared(o, set()) for o in self.objs)

    def as_node(self, v: Any) -> Any:
        if isinstance(v, (Obj, Seq)):
            raise Abort(v.site if isinstance(v, Obj) else None)  # (``x in [a, b]``: run-time)
        return v.node() if isinstance(v, K) else v

    def materialize(self, v: Any, nested: bool) -> Any:
        """A display of what `v` holds now (a copy: for readers that keep no reference)."""
        if isinstance(v, Seq):
            raise Abort
        if not isinstance(v, Obj):
            return self.as_node(v)

        def item(s: Any) -> Any:
            if isinstance(s, str):
                return _name(s)
            if isinstance(s, Obj) and not nested:
                raise Abort
            return self.materialize(s, nested)

        elts = [item(s) for s in v.slots]
        if v.kind == "list":
            return gast.List(elts=elts, ctx=gast.Load())
        if v.kind == "tuple":
            return gast.Tuple(elts=elts, ctx=gast.Load())
        return gast.Dict(keys=[K(k).node() for k in v.keys], values=elts)

    def lookup(self, name: str) -> Any:
        """The object a free name holds now (None for a local or an unknown name)."""
        if name in self.root_locals or name.startswith("srcad_") or name in self.env:
            return None
        for d in (self.ns.closure, self.ns.globals, vars(builtins)):
            if name in d:
                return d[name]
        return None

    def callee(self, func: Any) -> Any:
        if isinstance(func, gast.Name):
            return self.lookup(func.id)
        if isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name):
            mod = self.lookup(func.value.id)
            if isinstance(mod, types.ModuleType):
                return getattr(mod, func.attr, None)
        return None

    # -- expressions --------------------------------------------------------------------------
    def expr(self, node: Any, **_: Any) -> Any:
        if isinstance(node, gast.Name):
            v = self.env.get(node.id)
            if v is not None and not isinstance(v, (Obj, K)):
                raise Abort(getattr(v, "site", None))  # a name a run-time loop or branch
                # bound to another object (its display a run-time list, if it has one)
            return v if v is not None else copy.deepcopy(node)
        if isinstance(node, gast.Constant):
            return K(node.value)
        if isinstance(node, gast.Subscript):
            return self.subscript(node)
        if isinstance(node, gast.Call):
            return self.call(node)
        if isinstance(node, (gast.List, gast.Tuple)):
            if any(isinstance(e, gast.Starred) for e in node.elts):
                raise Abort
            vals = self.ordered([lambda e=e: self.expr(e) for e in node.elts])
            if any(isinstance(e, gast.Starred) for e in node.elts):
                raise Abort
            kind = "list" if isinstance(node, gast.List) else "tuple"
            site = (getattr(node, "lineno", None), getattr(node, "col_offset", None))
            plain = not any(isinstance(v, (Obj, Seq)) for v in vals)
            if plain and (kind == "tuple" or site in self.runtime_sites):
                elts = [self.as_node(v) for v in vals]
                return (gast.Tuple if kind == "tuple" else gast.List)(elts=elts, ctx=gast.Load())
            o = self.new_obj(kind, vals)
            o.site = site if kind == "list" else None
            return o
        if isinstance(node, gast.Dict):
            if any(k is None or not isinstance(k, gast.Constant) for k in node.keys):
                self.check_no_obj(node)
                return copy.deepcopy(node)
            keys = [k.value for k in node.keys]
            vals = self.ordered([lambda v=v: self.expr(v) for v in node.values])
            if len(set(map(repr, keys))) != len(keys) or not any(isinstance(v, Obj) for v in vals):
                return gast.Dict(keys=[K(k).node() for k in keys],
                                 values=[self.as_node(v) for v in vals])  # fmt: skip
            return self.new_obj("dict", vals, keys)
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
            v = self.expr(node.operand)
            if isinstance(v, K) and type(v.value) is int:
                return K(-v.value)
            return gast.UnaryOp(op=node.op, operand=self.as_node(v))
        if isinstance(node, gast.ListComp):  # (a generator: only as a call's argument, `arg`)
            return self.comprehension(node)
        if isinstance(node, gast.BinOp):
            a, b = self.ordered([lambda: self.expr(node.left), lambda: self.expr(node.right)])
            if isinstance(a, K) and isinstance(b, K) and _ints(a, b):
                f = _INT_OPS.get(type(node.op))
                if f is not None and not (isinstance(node.op, (gast.FloorDiv, gast.Mod)) and
                                          b.value == 0):  # fmt: skip
                    return K(f(a.value, b.value))
            return gast.BinOp(left=self.as_node(a), op=node.op, right=self.as_node(b))
        if isinstance(
            node, (gast.Lambda, gast.NamedExpr, gast.SetComp, gast.DictComp, gast.GeneratorExp)
        ):
            self.check_no_obj(node)
            if isinstance(node, gast.NamedExpr):
                raise Abort
            return copy.deepcopy(node)
        return self.generic(node)

    def generic(self, node: Any) -> Any:
        """Any other expression: its parts rewritten, none of them an identity."""
        new = copy.copy(node)
        slots = []
        for f, val in gast.iter_fields(node):
            for k, x in enumerate(val) if isinstance(val, list) else [(None, val)]:
                slots.append((f, k, x))
        start = len(self.pre)
        got = self.ordered([lambda x=x: self._part(x) for _, _, x in slots])
        if isinstance(node, (gast.BoolOp, gast.IfExp)) and len(self.pre) > start:
            raise Abort  # (statements for a part Python may not evaluate)
        lists = {f: list(v) for f, v in gast.iter_fields(node) if isinstance(v, list)}
        for (f, k, _), v in zip(slots, got):
            if k is None:
                setattr(new, f, v)
            else:
                lists[f][k] = v
        for f, v in lists.items():
            setattr(new, f, v)
        return new

    def ordered(self, parts: list) -> list:
        """Evaluate `parts` (callables) in order; a part with a call whose statements a later
        part put before the expression is evaluated into a name first (Python's order)."""
        out, ends = [], []
        for fn in parts:
            out.append(fn())
            ends.append(len(self.pre))
        total = len(self.pre)
        for i in range(len(out) - 1, -1, -1):
            v = out[i]
            if ends[i] < total and isinstance(v, gast.AST) and _effects(v):
                name = self.fresh("srcad_lt")
                self.pre.insert(ends[i], _assign(name, v))
                out[i] = _name(name)
        return out

    def _part(self, x: Any) -> Any:
        if isinstance(x, gast.expr):
            return self.as_node(self.expr(x))
        if isinstance(x, gast.AST):
            return self.generic(x)
        return x

    def index(self, o: Obj, k: Any) -> Any:
        if o.kind == "dict":
            if not isinstance(k, K) or k.value not in o.keys:
                raise Abort
            return o.slots[o.keys.index(k.value)]
        i = k.value + len(o.slots) if k.value < 0 else k.value
        if not 0 <= i < len(o.slots):
            raise Abort
        return o.slots[i]

    def subscript(self, node: Any) -> Any:
        base = self.expr(node.value)
        if not isinstance(base, Obj):
            return gast.Subscript(value=self.as_node(base), slice=self._part(node.slice),
                                  ctx=gast.Load())  # fmt: skip
        sl = node.slice
        if isinstance(sl, gast.Slice) and base.kind != "dict":
            bounds = [None if b is None else self.expr(b) for b in (sl.lower, sl.upper, sl.step)]
            if not all(b is None or (isinstance(b, K) and type(b.value) is int) for b in bounds):
                raise Abort
            picked = base.slots[slice(*[None if b is None else b.value for b in bounds])]
            return self.new_obj(base.kind, [_read(s) for s in picked])
        k = self.expr(sl)
        if isinstance(k, K) and (type(k.value) is int or base.kind == "dict"):
            return _read(self.index(base, k))
        if base.kind == "dict" or not all(isinstance(s, str) for s in base.slots):
            raise Abort  # which object: known only at run time
        shown = gast.List(elts=[_name(s) for s in base.slots], ctx=gast.Load())
        return gast.Subscript(value=shown, slice=self.as_node(k), ctx=gast.Load())

    def copied(self, v: Any, kind: str) -> Obj:
        if isinstance(v, Obj):
            if v.kind == "dict":
                return self.new_obj(kind, [K(k) for k in v.keys])
            return self.new_obj(kind, [_read(s) for s in v.slots])
        if isinstance(v, Seq):
            items, k = [], 0
            while (it := v.round(k)) is not None:
                items.append(it)
                k += 1
                if k > 4096:
                    raise Abort
            return self.new_obj(kind, items)
        raise Abort

    def call(self, node: Any) -> Any:
        if _pair_check(node) and isinstance(got := self.expr(node.args[0]), Obj):
            if got.kind in ("list", "tuple"):  # (lower/combos.py's check: passes)
                return K(None)
        f = self.callee(node.func)
        if isinstance(node.func, gast.Attribute):
            base = self.expr(node.func.value)
            if isinstance(base, Obj):
                return self.method(base, node)
        if (
            isinstance(f, types.FunctionType)
            and isinstance(node.func, gast.Name)
            and self.ns.globals.get(node.func.id) is f
            and node.func.id not in self.ns.closure
        ):  # (a module-level function of this module)
            if node is self.top_call and self.inlinable(f, node):
                return self.inline(f, node)
        module = (getattr(f, "__module__", None) or "") if f is not None else ""
        np_fn = module.split(".")[0] in ("numpy", "math") or isinstance(f, np.ufunc)
        reader = any(f is getattr(builtins, n) for n in _READERS)
        consumer = np_fn or reader or f is list or f is tuple
        args = self.ordered([lambda a=a: self.arg(a, consumer) for a in node.args])
        if f is len and len(args) == 1 and isinstance(args[0], Obj) and not node.keywords:
            return K(len(args[0].slots))
        if (f is list or f is tuple) and len(args) == 1 and not node.keywords:
            if isinstance(args[0], (Obj, Seq)):
                return self.copied(args[0], f.__name__)
        if f is copy.copy and len(args) == 1 and isinstance(args[0], Obj):
            return self.copied(args[0], args[0].kind) if args[0].kind != "dict" else _abort()
        held = any(isinstance(a, (Obj, Seq)) for a in args)
        if f is enumerate and len(args) in (1, 2) and not node.keywords and held:
            return self.enumerated(args)
        if f is zip and args and not node.keywords and any(isinstance(a, Obj) for a in args):
            seqs = [self.seq(a) for a in args]
            return Seq(lambda k: _tuple_or_none(self, [s.round(k) for s in seqs]))
        keywords = [gast.keyword(arg=w.arg, value=self.as_node(self.expr(w.value)))
                    for w in node.keywords]  # fmt: skip
        if held:
            if not (np_fn or reader):
                raise Abort(next((a.site for a in args if isinstance(a, Obj)), None))
            args = [self.materialize(a, np_fn) for a in args]
        func = (
            self.as_node(self.expr(node.func))
            if not isinstance(node.func, gast.Name)
            else (copy.deepcopy(node.func) if node.func.id not in self.env else _abort())
        )
        return gast.Call(func=func, args=[self.as_node(a) for a in args], keywords=keywords)

    def arg(self, a: Any, consumer: bool) -> Any:
        if isinstance(a, gast.GeneratorExp) and consumer:  # consumed at once: its items now
            return self.comprehension(a)
        if isinstance(a, gast.List):  # a display given to a call: a run-time list
            if any(isinstance(e, gast.Starred) for e in a.elts):
                self.check_no_obj(a)
                return copy.deepcopy(a)
            vals = [self.expr(e) for e in a.elts]
            if not any(isinstance(v, (Obj, Seq)) for v in vals):
                return gast.List(elts=[self.as_node(v) for v in vals], ctx=gast.Load())
            return self.new_obj("list", vals)
        if isinstance(a, gast.Starred):
            v = self.expr(a.value)
            if isinstance(v, (Obj, Seq)):
                raise Abort
            return gast.Starred(value=self.as_node(v), ctx=gast.Load())
        return self.expr(a)

    def method(self, base: Obj, node: Any) -> Any:
        m, n = node.func.attr, len(node.args)
        if node.keywords:
            raise Abort(base.site)
        if base.kind == "dict" and n == 0 and m in ("values", "keys", "items"):
            keys = base.keys

            def round_fn(k: int) -> Any:
                if k >= len(keys):
                    return None
                if m == "keys":
                    return K(keys[k])
                got = _read(base.slots[k])
                return got if m == "values" else _tuple_or_none(self, [K(keys[k]), got])

            return Seq(round_fn)
        if m == "copy" and n == 0 and base.kind != "tuple":
            return self.copied(base, base.kind) if base.kind == "list" else _abort()
        if m == "get" and base.kind == "dict" and n == 1:
            return _read(self.index(base, self.expr(node.args[0])))
        raise Abort(base.site)

    def seq(self, v: Any) -> Seq:
        if isinstance(v, Seq):
            return v
        if isinstance(v, Obj):
            if v.kind == "dict":
                return Seq(lambda k: K(v.keys[k]) if k < len(v.keys) else None)
            return Seq(lambda k: _read(v.slots[k]) if k < len(v.slots) else None)
        raise Abort

    def enumerated(self, args: list) -> Seq:
        s = self.seq(args[0])
        start = args[1] if len(args) == 2 else K(0)
        if not isinstance(start, K) or type(start.value) is not int:
            raise Abort

        def round_fn(k: int) -> Any:
            it = s.round(k)
            return None if it is None else _tuple_or_none(self, [K(start.value + k), it])

        return Seq(round_fn)


def _effects(v: Any) -> bool:
    return any(isinstance(n, (gast.Call, gast.Await, gast.Yield)) for n in gast.walk(v))


def _read(s: Any) -> Any:
    return _name(s) if isinstance(s, str) else s


def _tuple_or_none(rw: Any, items: list) -> Any:
    if any(i is None for i in items):
        return None
    return rw.new_obj("tuple", items)  # (`slot_of`: the values the items hold now)


def _abort() -> Any:
    raise Abort


def _ints(a: K, b: K) -> bool:
    return all(type(x.value) is int for x in (a, b))


_INT_OPS = {
    gast.Add: lambda a, b: a + b,
    gast.Sub: lambda a, b: a - b,
    gast.Mult: lambda a, b: a * b,
    gast.FloorDiv: lambda a, b: a // b,
    gast.Mod: lambda a, b: a % b,
}


def _renamed(node: Any, names: dict[str, str]) -> Any:
    node = copy.deepcopy(node)
    for n in gast.walk(node):
        if isinstance(n, gast.Name) and n.id in names:
            n.id = names[n.id]
    return node


def _name(name: str, ctx: Any = None) -> Any:
    return gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def _assign(name: str, value: Any) -> Any:
    return gast.Assign(targets=[_name(name, gast.Store())], value=value, type_comment=None)
