"""Points-to and staleness analysis behind the mutation check (see passes/alias.py).

Input: a lowered `Function`, `Facts` (what is known about the argument types) and a function giving
the alias summary of a called user function. Output: a `Flow` whose `hazards` are reads of values
made stale by an in-place update (Python would see the change, srcad's functional IR does not),
whose `effects` are updates of objects that exist before the call (arguments, globals, closures),
and whose `ret` holds the objects the return value may be or reach.

Abstract objects: ``("p", i)`` parameter i and ``("pe", i)`` the objects inside it; ``("g", key)``
a global or closure object and ``("ge", key)`` the objects inside it; ``("x",)`` a global reached
through a helper's return value; ``("n", site)`` the newest object an op made and ``("o", site)``
the older ones (recency abstraction: a list built in a loop may hold the arrays earlier iterations
allocated, never the one this iteration just made). The state maps each Var to the objects it may
be, each object to the objects it may contain, and each Var to the updates that made it stale (a
stale Var is an SSA value that no longer matches its Python object). `if` joins both branches;
loops iterate their body to a fixpoint, so an object stored in iteration k and updated in k+1 is
seen, and a value read in a later iteration than the update is a hazard too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.ssa.core import Block, Const, Function, Op, Var

EMPTY: frozenset = frozenset()
MUTATORS = frozenset({"setitem", "list_append"})
EXTERNAL = frozenset({"p", "pe", "g", "ge", "x"})
# Results that never share memory with their arguments.
_FRESH_METHODS = frozenset({"sum", "mean", "prod", "max", "min", "std", "var", "dot", "astype",
                            "cumsum", "cumprod", "tolist", "item", "round", "clip", "any", "all",
                            "argmax", "argmin", "flatten", "format", "count", "index", "trace",
                            "nonzero", "argsort", "keys"})  # fmt: skip
_FRESH_PRIMS = frozenset({"sub", "truediv", "floordiv", "mod", "pow", "matmul", "neg", "pos",
                          "invert", "abs", "float", "int", "round", "global", "free",
                          "comment"})  # fmt: skip
# Results that are numbers, flags, strings, ranges or slices: nothing can update them in place.
_IMMUTABLE = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "is", "is_not", "in", "not_in", "not",
                        "bitor", "bitand", "bitxor", "lshift", "rshift", "len", "bool", "range",
                        "slice", "isinstance", "attr.shape", "attr.ndim", "attr.size",
                        "attr.dtype", "srcad.runtime.raise_", "srcad.runtime.assert_"})  # fmt: skip
_VIEW_NUMPY = frozenset({"reshape", "ravel", "transpose", "squeeze", "expand_dims", "swapaxes",
                         "moveaxis", "broadcast_to", "asarray", "asanyarray", "atleast_1d",
                         "atleast_2d", "atleast_3d", "diagonal", "real", "imag", "split",
                         "array_split", "hsplit", "vsplit", "dsplit", "rollaxis", "matrix_transpose",
                         "permute_dims", "broadcast_arrays", "flip", "fliplr", "flipud", "rot90",
                         "unstack", "ascontiguousarray", "asfortranarray", "require",
                         "asarray_chkfinite", "asmatrix"})  # fmt: skip
# New containers holding the elements of their argument (an array's rows are views of it).
_COPY_CONTAINERS = frozenset({"builtins.list", "builtins.tuple", "srcad.runtime.as_list",
                              "srcad.runtime.as_tuple", "srcad.runtime.dict_values",
                              "srcad.runtime.dict_items", "sorted"})  # fmt: skip
_LEAF_TYPES = (np.ndarray, np.generic, int, float, complex, bool, str, bytes, type(None))


class Facts:
    """What a transform knows: numbers (`x op= v` rebinds them), 1-D arrays (`x[i]` is a copy),
    parameters that hold no other objects. `optimistic`: assume all three everywhere (a lower
    bound of every transform's hazards, for errors that need no type knowledge)."""

    def __init__(
        self,
        scalars: set[Var] | None = None,
        one_d: set[Var] | None = None,
        leaf_params: frozenset[int] = frozenset(),
        optimistic: bool = False,
    ) -> None:
        self.scalars = scalars or set()
        self.one_d = one_d or set()
        self.leaf_params = leaf_params
        self.optimistic = optimistic


class State:
    __slots__ = ("env", "heap", "stale")

    def __init__(
        self, env: dict | None = None, heap: dict | None = None, stale: dict | None = None
    ):
        self.env: dict[Var, frozenset] = env if env is not None else {}
        self.heap: dict[tuple, frozenset] = heap if heap is not None else {}
        self.stale: dict[Var, tuple] = stale if stale is not None else {}

    def copy(self) -> State:
        return State(dict(self.env), dict(self.heap), dict(self.stale))

    def join(self, o: State) -> None:
        for d, od in ((self.env, o.env), (self.heap, o.heap)):
            for k, v in od.items():
                old = d.get(k)
                d[k] = v if old is None else (old | v)
        for k, v in o.stale.items():
            old = self.stale.get(k, ())
            self.stale[k] = old + tuple(m for m in v if m not in old)

    def same(self, o: State) -> bool:
        return self.env == o.env and self.heap == o.heap and self.stale == o.stale


Summary = Callable[[Function, Op], Any]


class Flow:
    def __init__(self, fn: Function, facts: Facts, summary: Summary | None = None) -> None:
        self.fn = fn
        self.facts = facts
        self.summary = summary
        self.aug = {id(op) for op in fn.augmented}
        self.ints: set[Var] = set()
        self.sites: dict[int, int] = {}
        self.sites_run: dict[int, bool] = {}
        self.leaf: set[tuple] = set()  # objects that hold no other objects
        self.hazards: list[tuple[Op, Var, Op | None]] = []  # (update, stale value, read or None)
        self.effects: list[tuple[Op, frozenset]] = []  # (update, pre-existing objects it hits)
        self._seen: set = set()
        self.ret: frozenset = EMPTY
        self.ret_reach: frozenset = EMPTY
        self.final_env: dict[Var, frozenset] = {}

    # -- driver ---------------------------------------------------------------------------------
    def run(self) -> Flow:
        st = State()
        fn = self.fn
        for i, p in enumerate(fn.params):
            st.env[p] = frozenset({("p", i)})
            if self.facts.optimistic or i in self.facts.leaf_params:
                self.leaf.add(("p", i))
            else:
                st.heap[("p", i)] = frozenset({("pe", i)})
                st.heap[("pe", i)] = frozenset({("pe", i)})
        self.block(fn.body, st)
        self.final_env = st.env
        if fn.body.yields:
            self.ret = self.pts(st, fn.body.yields[0])
            self.ret_reach = self.reach(st, self.ret)
        return self

    def block(self, b: Block, st: State) -> None:
        for op in b.ops:
            self.op(op, st)
        for y in b.yields:
            self.read(st, y, None)

    def read(self, st: State, a: object, at: Op | None) -> None:
        if isinstance(a, Var):
            for m in st.stale.get(a, ()):
                key = (id(m), a, id(at))
                if key not in self._seen:
                    self._seen.add(key)
                    self.hazards.append((m, a, at))

    @staticmethod
    def define(st: State, v: Var, objs: frozenset) -> None:
        st.env[v] = objs
        st.stale.pop(v, None)

    # -- helpers --------------------------------------------------------------------------------
    @staticmethod
    def pts(st: State, a: object) -> frozenset:
        return st.env.get(a, EMPTY) if isinstance(a, Var) else EMPTY

    @staticmethod
    def contents(st: State, objs: frozenset) -> frozenset:
        out: frozenset = EMPTY
        for o in objs:
            out = out | st.heap.get(o, EMPTY)
        return out

    @staticmethod
    def reach(st: State, objs: frozenset) -> frozenset:
        seen = set(objs)
        todo = list(objs)
        while todo:
            for c in st.heap.get(todo.pop(), EMPTY):
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
        return frozenset(seen)

    def pts_all(self, st: State, args: Any) -> frozenset:
        out: frozenset = EMPTY
        for a in args:
            out = out | self.pts(st, a)
        return out

    def int_like(self, a: object) -> bool:
        if isinstance(a, Const):
            return type(a.value) is int
        return isinstance(a, Var) and a in self.ints

    def alloc(self, st: State, op: Op, contents: frozenset = EMPTY) -> frozenset:
        """The object `op` makes; the one it made before (an earlier iteration) becomes old."""
        s = self.sites.setdefault(id(op), len(self.sites))
        new, old = ("n", s), ("o", s)
        if self.sites_run.get(s):
            _age(st, new, old)
        self.sites_run[s] = True
        if contents:
            st.heap[new] = contents
        else:
            st.heap.pop(new, None)
            self.leaf.add(new)
            self.leaf.add(old)
        return frozenset({new})

    def may_seq(self, objs: frozenset) -> bool:
        return any(o not in self.leaf for o in objs)

    def external(self, op: Op, kind: str, name: str) -> frozenset:
        ok, value = _lookup(self.fn, kind, name)
        key = ("g", id(value)) if ok else ("g", name)
        return frozenset({key}), (ok and isinstance(value, _LEAF_TYPES))

    # -- ops ------------------------------------------------------------------------------------
    def op(self, op: Op, st: State) -> None:
        for a in op.operands():
            self.read(st, a, op)
        p = op.prim
        if p == "if":
            return self.if_(op, st)
        if p in ("for", "while"):
            return self.loop(op, st)
        if p == "len" or (
            p in ("add", "sub", "mul", "floordiv", "mod") and all(map(self.int_like, op.args))
        ):
            self.ints.update(op.results)
        objs = self.transfer(op, st)
        for r in op.results:
            self.define(st, r, objs)

    def rebinds(self, op: Op) -> bool:
        """`x op= v` on a number makes a new number."""
        old = op.args[0] if op.args else None
        return self.facts.optimistic or not isinstance(old, Var) or old in self.facts.scalars

    def transfer(self, op: Op, st: State) -> frozenset:
        p, args = op.prim, op.args
        sc = self.facts.scalars
        if op.results and all(r in sc for r in op.results) and p not in MUTATORS:
            if id(op) not in self.aug or self.rebinds(op):
                return EMPTY  # numbers
        if p in MUTATORS or (id(op) in self.aug and not self.rebinds(op)):
            return self.mutation(op, st)
        if p in _IMMUTABLE:
            return EMPTY
        if p in ("global", "free"):
            objs, leaf = self.external(op, p, op.params.get("name", ""))
            (key,) = objs
            if leaf:
                self.leaf.add(key)
            else:
                st.heap[key] = frozenset({("ge", key[1])})
                st.heap[("ge", key[1])] = frozenset({("ge", key[1])})
            return objs
        if p in ("tuple", "list", "dict"):
            return self.alloc(st, op, self.pts_all(st, op.operands()))
        if p == "getitem":
            base = self.pts(st, args[0])
            elems = self.contents(st, base)
            if len(args) > 1 and self.int_like(args[1]):
                if self.facts.optimistic or args[0] in self.facts.one_d:
                    return elems  # `x[i]` of a 1-D array is a number
            return base | elems
        if p in _COPY_CONTAINERS:
            return self.alloc(st, op, self.reach(st, self.pts_all(st, args[:1])))
        if p in ("srcad.runtime.concat", "srcad.runtime.seq_repeat"):
            return self.alloc(st, op, self.contents(st, self.pts_all(st, args)))
        if p in ("add", "mul"):  # concatenation / repetition when both may be sequences
            a, b = (self.pts(st, x) for x in args[:2]) if len(args) >= 2 else (EMPTY, EMPTY)
            seq = self.may_seq(a) and self.may_seq(b)
            if p == "mul":
                seq = (self.may_seq(a) and _maybe_int(args[1])) or (
                    self.may_seq(b) and _maybe_int(args[0])
                )
            return self.alloc(st, op, self.contents(st, a | b) if seq else EMPTY)
        if p == "sum":  # `sum(lists, [])` concatenates
            if len(args) > 1 and not isinstance(args[1], Const):
                inner = self.contents(st, self.pts(st, args[0]))
                return self.alloc(st, op, self.reach(st, self.contents(st, inner)))
            return self.alloc(st, op)
        if p == "call":
            return self.call(op, st)
        if p == "method.copy":  # shallow for lists and dicts
            return self.alloc(st, op, self.contents(st, self.pts_all(st, args[:1])))
        if _fresh(p):
            return self.alloc(st, op)
        # views, element reads, attributes and unknown functions: anything their operands reach
        return self.reach(st, self.pts_all(st, op.operands()))

    def mutation(self, op: Op, st: State) -> frozenset:
        p, args = op.prim, op.args
        target = self.pts(st, args[0])
        if p == "setitem" or p == "list_append":
            added = self.pts(st, args[-1])
        else:  # `lst += other`: the elements of `other`
            added = self.contents(st, self.pts_all(st, args[1:]))
        if not target:
            return self.alloc(st, op, added)
        self.mutate(op, st, target)
        if added:
            for o in target:
                st.heap[o] = st.heap.get(o, EMPTY) | added
                self.leaf.discard(o)
        return target

    def mutate(self, m: Op, st: State, target: frozenset) -> None:
        """Every value holding or reaching an object in `target` is stale after `m`."""
        rev: dict[tuple, list] = {}
        for o, cs in st.heap.items():
            for c in cs:
                rev.setdefault(c, []).append(o)
        hit = set(target)
        todo = list(target)
        while todo:
            for o in rev.get(todo.pop(), ()):
                if o not in hit:
                    hit.add(o)
                    todo.append(o)
        for v, objs in st.env.items():
            if not objs.isdisjoint(hit):
                old = st.stale.get(v, ())
                if m not in old:
                    st.stale[v] = old + (m,)
        ext = frozenset(o for o in target if o[0] in EXTERNAL)
        if ext:
            self.effects.append((m, ext))

    def call(self, op: Op, st: State) -> frozenset:
        """A user function: what its return value may be or hold, from its own analysis."""
        s = self.summary(self.fn, op) if self.summary else None
        if s is None:
            srcs = self.reach(st, self.pts_all(st, list(op.args[1:]) + list(op.kwargs.values())))
            return self.alloc(st, op, srcs) | srcs
        binding, direct, within = s
        def_objs: frozenset = EMPTY
        in_objs: frozenset = EMPTY
        for kind, i in direct | within:
            a = binding.get(i) if kind in ("p", "pe") else None
            objs = self.pts(st, a)
            if kind == "pe":
                objs = self.contents(st, objs)
            elif kind == "x":
                objs = frozenset({("x",)})
                st.heap[("x",)] = objs
            if (kind, i) in direct:
                def_objs = def_objs | objs
            in_objs = in_objs | objs
        return self.alloc(st, op, in_objs) | def_objs

    def if_(self, op: Op, st: State) -> None:
        outs, states = [], []
        for blk in op.blocks:
            s = st.copy()
            self.block(blk, s)
            states.append(s)
            outs.append([self.pts(s, y) for y in blk.yields])
        if states:
            merged = states[0]
            for s in states[1:]:
                merged.join(s)
            st.env, st.heap, st.stale = merged.env, merged.heap, merged.stale
        for k, r in enumerate(op.results):
            objs = EMPTY
            for o in outs:
                if k < len(o):
                    objs = objs | o[k]
            self.define(st, r, objs)

    def loop(self, op: Op, st: State) -> None:
        body = op.blocks[-1]
        if op.prim == "for":
            inits, pre = op.args[3:], [body.params[0]]
            if all(self.int_like(a) for a in op.args[:3]):
                self.ints.add(body.params[0])
        else:
            inits, pre = op.args, []
        carried = [self.pts(st, a) for a in inits]
        n = len(carried)
        head = st
        for _ in range(100):
            s = head.copy()
            if op.prim == "while":
                self.bind(s, op.blocks[0].params, [], carried)
                self.block(op.blocks[0], s)
                exit_state = s
                s = s.copy()
            self.bind(s, body.params, pre, carried)
            self.block(body, s)
            new = [carried[k] | self.pts(s, y) for k, y in enumerate(body.yields[:n])]
            joined = head.copy()
            joined.join(s)
            if joined.same(head) and new == carried:
                break
            head, carried = joined, new
        else:  # pragma: no cover - the lattice is finite
            raise AssertionError("alias analysis did not converge")
        final = exit_state if op.prim == "while" else head
        st.env, st.heap, st.stale = final.env, final.heap, final.stale
        for k, r in enumerate(op.results[:n]):
            self.define(st, r, carried[k])
        for r in op.results[n:]:
            self.define(st, r, EMPTY)

    def bind(self, st: State, params: list[Var], pre: list[Var], carried: list[frozenset]) -> None:
        for p in pre:
            self.define(st, p, EMPTY)
        for p, objs in zip(params[len(pre) :], carried):
            self.define(st, p, objs)


def _age(st: State, new: tuple, old: tuple) -> None:
    for d in (st.env, st.heap):
        for k, v in d.items():
            if new in v:
                d[k] = (v - {new}) | {old}
    if new in st.heap:
        st.heap[old] = st.heap.get(old, EMPTY) | st.heap.pop(new)


def _maybe_int(a: object) -> bool:
    return not isinstance(a, Const) or type(a.value) in (int, bool)


def _fresh(p: str) -> bool:
    if p in _FRESH_PRIMS:
        return True
    if p.startswith("method."):
        return p[7:] in _FRESH_METHODS
    if p.startswith(("numpy.", "math.", "cmath.", "scipy.")):
        return p.rsplit(".", 1)[-1] not in _VIEW_NUMPY
    if p.startswith("srcad.runtime."):
        return p != "srcad.runtime.as_sequence"
    return False


def _lookup(fn: Function, kind: str, name: str) -> tuple[bool, Any]:
    ns = fn.namespace
    if ns is None or not name:
        return False, None
    try:
        k, value = ns.lookup(name)
    except Exception:
        return False, None
    return k != "missing", value
