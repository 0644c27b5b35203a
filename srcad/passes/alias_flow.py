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
stale Var is an SSA value that no longer matches its Python object). `if` joins both branches
(passes/alias_control.py); loops iterate to a fixpoint: an object stored in iteration k, updated
in k+1, is seen; a value read in a later iteration than the update is a hazard too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.passes import alias_index
from srcad.passes import alias_slots as slots
from srcad.passes.alias_calls import call_result, fresh_positions, made_flags
from srcad.passes.alias_control import ControlFlow, dead_after, unread_carries
from srcad.passes.alias_index import INT_OPS, ITSELF, fancy_copy, is_slice, of_numbers, written_back
from srcad.passes.alias_model import (
    ADD_MUL,
    EMPTY,
    EXTERNAL,
    LEAF_TYPES,
    MAY_BE_ARRAY,
    MUTATORS,
    NUMBER_OF,
    OWNS,
    SPECIAL,
    Facts,
    State,
    age,
    is_immutable,
    literal_item,
    lookup_name,
    prim_kind,
)
from srcad.passes.alias_nested import (
    array_read,
    box_like,
    dup_of,
    int_tuple,
    item_update,
    stored_items,
    writeback,
)
from srcad.passes.alias_seqs import add_mul, copied_items
from srcad.passes.alias_tuples import FRESH_TUPLES, fresh_item, fresh_tuple
from srcad.passes.scalars import float_ranks, inexact_vars, int_vars, tuple_defs
from srcad.rules import default_registry
from srcad.ssa.core import Const, Function, Op, Var

Summary = Callable[[Function, Op], Any]
RT_DICT_OR = "srcad.runtime.dict_or"  # (in alias_model.TRANSFER_PRIMS)
RT_CONCAT = "srcad.runtime.concat"  # (`xs.extend(vs)`: an augmented op adding vs's elements)


class Flow(ControlFlow):
    def __init__(self, fn: Function, facts: Facts, summary: Summary | None = None) -> None:
        self.fn = fn
        self.facts = facts
        self.summary = summary
        self.aug = {id(op) for op in fn.augmented}
        self.item_aug = {id(op) for op in fn.item_augmented}  # `c[k] op= v` (item_update)
        self.item_numbers: set[Var] = set()  # results of item updates found to act on numbers
        # the objects of arguments known to be numbers: `x op= v` on one rebinds `x`
        self.numbers = frozenset(("p", i) for i, q in enumerate(fn.params) if q in facts.scalars)
        self.copies_param = False  # a shallow copy of an argument (`alias_nested.box_like`)
        self.ints: set[Var] = set()
        self.sites: dict[int, int] = {}
        self.site_of: dict[tuple, tuple] = {}  # ("n", site) -> the Vars the op defines
        self.escaped: set[int] = set()  # sites whose newest object something else refers to
        self.leaf: set[tuple] = set()  # objects that hold no other objects
        self.boxes: set[int] = set()  # sites making tuples/lists/dicts: `c[i]` is never `c`
        self.dicts: set[int] = set()  # sites making dicts: `d[k]` is an element for any `k`
        self.flat: set[int] = set()  # sites making 1-D arrays (facts): `a[i]` is a number
        self.hazards: list[tuple[Op, Var, Op | None]] = []  # (update, stale value, read or None)
        self.effects: list[tuple[Op, frozenset]] = []  # (update, pre-existing objects it hits)
        self._seen: set = set()
        self.ret: frozenset = EMPTY
        self.ret_reach: frozenset = EMPTY
        self.ret_made: int | None = None
        self.ret_fresh: tuple[bool, ...] | None = None  # (`alias_calls.fresh_positions`)
        self.ext_names: dict[object, str] = {}  # global/closure object key -> its name
        self._locals: dict[int, tuple] = {}
        self._dead = dead_after(fn)  # id(op) -> the Vars nothing reads after it (`block`)
        self._unread = unread_carries(fn)  # loop body -> yields nothing reads (`block`)
        self._recs: dict[str, Any] = {}  # prim -> its record (looked up once per analysis)
        self._kinds: dict[str, object] = {}  # prim -> `prim_kind`
        self._objs: dict[int, tuple] = {}  # id(op) -> its site's (new, old, {new}) objects
        # nested updates `c[k][j] = v`: e = c[k]; e' = setitem(e, j, v); c' = setitem(c, k, e')
        self.getitem_of: dict[Var, tuple] = {}  # e -> (c, k)
        self.root: dict[Var, Var] = {}  # e' -> e (the element an update chain started from)
        self.chain: dict[Var, tuple] = {}  # e' -> the updates that led to it
        self.targets: dict[int, frozenset] = {}  # id(update) -> objects it changed
        self.origin: dict[Var, Var] = {}  # element read from a stale container -> the container
        self.literal: dict[Var, Op] = {}  # `(a, b)`, `[a, b]`, `{"k": a}`: their elements
        self.fresh: dict[int, tuple] = {}  # site of `np.linalg.svd(a)` -> its elements' sites
        self.tuples = tuple_defs(fn)  # operands of `tuple` ops (index tuples)
        # float arrays of known rank (holding numbers, no objects): `A[i]` of a 2-D one is a view
        self.rank: dict[Var, int] = dict(float_ranks(fn, facts.ndims, facts.scalars, True))
        self.int_idx = int_vars(fn, facts.optimistic or self.rank)  # Python ints (their shapes')
        self._inexact: set[Var] | None = None

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
        if fn.body.yields:
            self.ret = self.pts(st, fn.body.yields[0])
            self.ret_reach = self.reach(st, self.ret)
            self.ret_made, self.ret_fresh = made_flags(self, st), fresh_positions(self, st)
        return self

    def read(self, st: State, a: object, at: Op | None, spared: frozenset = EMPTY) -> None:
        if isinstance(a, Var):
            for m in st.stale.get(a, ()):
                if id(m) in spared or alias_index.shape_only(self, st, a, at, m):
                    continue
                key = (id(m), a, id(at))
                if key not in self._seen:
                    self._seen.add(key)
                    self.hazards.append((m, a, at))

    def define(self, st: State, v: Var, objs: frozenset) -> None:
        st.env[v] = objs
        st.stale.pop(v, None)
        for o in objs:
            if o[0] == "n" and v not in self.site_of.get(o, ()):
                self.escaped.add(o[1])

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
        return isinstance(a, Var) and (a in self.ints or a in self.int_idx)  # (loop carries too)

    def int_item(self, op: Op) -> bool:
        """``col[i]`` of a list/tuple literal of int constants (scimark's ``val[col[i]]``)."""
        lit = self.literal.get(op.args[0]) if len(op.args) == 2 else None
        ok = lit is not None and self.int_like(op.args[1])
        return ok and all(isinstance(a, Const) and type(a.value) is int for a in lit.args)

    def alloc(self, st: State, op: Op, contents: frozenset = EMPTY, dup: bool = False) -> frozenset:
        """The object `op` makes; the one it made before (an earlier iteration) becomes old."""
        objs = self._objs.get(id(op))
        if objs is None:
            s = self.sites.setdefault(id(op), len(self.sites))
            objs = self._objs[id(op)] = (("n", s), ("o", s), frozenset({("n", s)}))
        new, old, made = objs
        if new[1] in self.escaped:  # only its own results held the previous one otherwise
            age(st, new, old)
        self.site_of[new] = op.results
        st.dup.discard(new)  # (its store counts stay: aged, it has none; else the old one's)
        if contents:
            for o in contents:
                if o[0] == "n":
                    self.escaped.add(o[1])
            st.heap[new] = st.store(contents)
            if dup:
                st.dup.add(new)
        else:
            st.heap.pop(new, None)
            self.leaf.add(new)
            self.leaf.add(old)
        return made

    def all_boxes(self, objs: frozenset) -> bool:
        """`objs` are all lists/tuples/dicts this function made (their items are no views), or
        arguments of the differentiated function known to be ones (`Facts.box_params`)."""
        box = self.facts.box_params
        return bool(objs) and all(
            (o[0] in ("n", "o") and o[1] in self.boxes) or (o[0] == "p" and o[1] in box)
            for o in objs
        )

    def may_seq(self, objs: frozenset) -> bool:
        return not objs <= self.leaf  # some object may hold others

    def external(self, op: Op, kind: str, name: str) -> tuple[frozenset, bool]:
        """A global or closure object (one per Python object): (objects, holds nothing)."""
        ok, value = lookup_name(self.fn, kind, name)
        if ok and is_immutable(value):
            return EMPTY, True  # numbers, strings, tuples of those, functions, modules, classes
        key = ("g", id(value)) if ok else ("g", name)
        return frozenset({key}), (ok and isinstance(value, LEAF_TYPES))

    def inexact(self) -> set[Var]:
        """Float arrays of any rank (``np.empty(a.shape)`` of a reshaped `a`): made when needed."""
        if self._inexact is None:
            self._inexact = inexact_vars(self.fn, self.facts.ndims, self.facts.scalars)
        return self._inexact

    def is_1d(self, a: object) -> bool:
        """`a` is known to be a 1-D array (the argument types, or a float array of rank 1)."""
        return isinstance(a, Var) and (a in self.facts.one_d or self.rank.get(a) == 1)

    # -- ops ------------------------------------------------------------------------------------
    def op(self, op: Op, st: State) -> None:
        inherited = ()
        if st.stale:  # no stale value, nothing to report (or inherit): most ops, most of the time
            spared = writeback(self, op, st) if op.prim == "setitem" else None
            for k, a in enumerate(op.operands()):
                if k == 0 and spared is not None:
                    self.read(st, a, op, spared)
                elif k == 0 and op.prim == "getitem" and isinstance(a, Var):
                    inherited = st.stale.get(a, ())  # reported where the element is used
                else:
                    self.read(st, a, op)
        p = op.prim
        if p == "if":
            return self.if_(op, st)
        if p in ("for", "while"):
            return self.loop(op, st)
        if (
            p == "len"
            or (p in INT_OPS and all(map(self.int_like, op.args)))
            or (p == "getitem" and self.int_item(op))
        ):
            self.ints.update(op.results)
        kind = self._kinds.get(p)
        if kind is None:
            kind = self._kinds[p] = self._kind(p)
        if id(op) in self.item_aug:
            self.aug.discard(id(op))
            if item_update(self, op, st):
                self.aug.add(id(op))
        if kind is SPECIAL or self.facts.scalars or id(op) in self.aug:
            objs = self.transfer(op, st)
        elif kind is ADD_MUL:
            objs = self.add_mul(op, st)
        else:  # what `transfer` gives such a primitive, without its tests
            objs = self.alloc(st, op) if kind is OWNS and not of_numbers(self, st, op) else EMPTY
        for r in op.results:
            self.define(st, r, objs)
            if inherited:
                st.stale[r] = inherited
                self.origin[r] = self.origin.get(op.args[0], op.args[0])
            site = self.sites.get(id(op))
            if r in self.facts.one_d and site is not None and objs == {("n", site)}:
                self.flat.add(site)  # a 1-D array this op made

    def _kind(self, p: str) -> object:
        rec = self._recs.get(p)
        if rec is None:
            rec = self._recs[p] = default_registry().get(p)
        return prim_kind(p, rec)

    def rebinds(self, op: Op) -> bool:
        """`x op= v` on a number makes a new number."""
        old = op.args[0] if op.args else None
        return self.facts.optimistic or not isinstance(old, Var) or old in self.facts.scalars

    def transfer(self, op: Op, st: State) -> frozenset:
        p, args = op.prim, op.args
        rec = self._recs.get(p)
        if rec is None:
            rec = self._recs[p] = default_registry().get(p)
        sc = self.facts.scalars
        if sc and op.results and all(r in sc for r in op.results) and p not in MUTATORS:
            if id(op) not in self.aug or self.rebinds(op):
                return EMPTY  # numbers
        if p in MUTATORS or (id(op) in self.aug and not self.rebinds(op)):
            return self.mutation(op, st)
        if p in MAY_BE_ARRAY:  # (not known numbers: a mask)
            return self.alloc(st, op)
        if p in FRESH_TUPLES:  # `U, s, Vt = np.linalg.svd(a)`: three new arrays
            return fresh_tuple(self, st, op)
        if rec.immutable or p in NUMBER_OF or of_numbers(self, st, op):
            return EMPTY
        if p in ("global", "free"):
            objs, leaf = self.external(op, p, op.params.get("name", ""))
            if not objs:
                return objs
            (key,) = objs
            self.ext_names.setdefault(key[1], op.params.get("name", ""))
            if leaf:
                self.leaf.add(key)
            else:
                st.heap[key] = frozenset({("ge", key[1])})
                st.heap[("ge", key[1])] = frozenset({("ge", key[1])})
            return objs
        if p in ("tuple", "list", "dict") or rec.copies:
            self.boxes.add(self.sites.setdefault(id(op), len(self.sites)))
            if p in ("dict", "builtins.dict"):
                self.dicts.add(self.sites[id(op)])
        if p in ("tuple", "list", "dict"):
            self.literal[op.results[0]] = op
            parts = [self.pts(st, a) for a in op.operands()]
            new = self.alloc(st, op, self.pts_all(st, op.operands()))
            if sum(map(len, parts)) > len(frozenset().union(*parts)):
                st.dup.update(new)
            if p != "tuple":  # its entries under constant keys (passes/alias_slots.py)
                slots.made(self, st, op, new)
            return new
        if p == "getitem":
            alias_index.index_read(self, st, op)  # (``x[None]``: the object no longer flat)
            if array_read(self, op) or (self.facts.optimistic and int_tuple(self, args[1:])):
                return EMPTY  # one number of a float array
            if fancy_copy(self, op) or alias_index.number_item(self, st, op):  # `x[[1, 0]]`: new
                return self.alloc(st, op, self.contents(st, self.pts(st, args[0])))
            idx = args[1] if len(args) > 1 else None
            known = literal_item(self.literal.get(args[0]), idx)
            if known is not None:  # `t[1]` of `t = (y, 1.5)` is 1.5
                return self.pts(st, known)
            base = self.pts(st, args[0])
            if (item := fresh_item(self, st, base, idx)) is not None:
                return item
            if (item := slots.read(self, st, base, idx)) is not None:
                return item  # `d["k"]` of dicts made here whose entries are known
            elems = self.contents(st, base)
            single = self.int_like(idx) or (
                isinstance(idx, Const) and not isinstance(idx.value, (slice, tuple))
            )
            single = single or (base and all(o[0] in "no" and o[1] in self.dicts for o in base))
            num = isinstance(idx, Var) and idx in self.facts.scalars  # `val[n]`, `n` an int
            single = single or (num and self.all_boxes(base))
            boxes = frozenset(o for o in base if self.all_boxes(frozenset({o})))
            if single:  # an element of a container, never the container itself
                rest = base - boxes
                if self.int_like(idx) and (
                    self.facts.optimistic
                    or args[0] in self.facts.one_d
                    or all(o[0] in ("n", "o") and o[1] in self.flat for o in rest)
                ):
                    rest = EMPTY  # `x[i]` of a 1-D array is a number
                return elems | rest
            if (
                (self.all_boxes(base) or alias_index.param_slice(self, base))
                and is_slice(idx, self)
                and op.results[0] not in written_back(self)
            ):  # `b = a[:]`: a new list (`c[0:1][0] = v` writes it back: Python loses that)
                self.boxes.add(self.sites.setdefault(id(op), len(self.sites)))  # (a list too)
                return self.alloc(st, op, elems, dup=not st.dup.isdisjoint(base))
            return alias_index.box_item(self, st, op, base, elems)  # (`parent[parent[a]]`)
        if rec.copies:
            base = outer = self.pts_all(st, args[:1])
            base = copied_items(self, st, args[:1], base)  # (alias_seqs: not the container)
            src = self.reach(st, base)  # (`list([y, y])` holds `y` twice, as `[y, y]` does)
            return self.alloc(st, op, src, dup=not st.dup.isdisjoint(src | outer))
        if p in ("srcad.runtime.concat", "srcad.runtime.seq_repeat", "bitor", RT_DICT_OR):
            box_like(self, op, st, args, any_dict=p in ("bitor", RT_DICT_OR))  # (dicts' `a | b`)
            a, b = (self.pts(st, x) for x in args[:2]) if len(args) > 1 else (EMPTY, EMPTY)
            dup = len(args) != 2 or dup_of(self, st, op, a, b)
            return self.alloc(st, op, self.contents(st, self.pts_all(st, args)), dup=dup)
        if p in ("add", "mul"):
            return self.add_mul(op, st)
        if p == "sum":  # `sum(lists, [])` concatenates
            if len(args) > 1 and not isinstance(args[1], Const):
                inner = self.contents(st, self.pts(st, args[0]))
                return self.alloc(st, op, self.reach(st, self.contents(st, inner)), dup=True)
            return self.alloc(st, op)
        if p == "call":
            return self.call(op, st)
        if p in ITSELF:  # an operand itself (or a refusal): `plain_list`, `copy_source`
            return self.pts(st, args[ITSELF[p]])
        if p == "method.get" and self.all_boxes(self.pts_all(st, args[:1])):  # d.get(k, v)
            return self.contents(st, self.pts_all(st, args[:1])) | self.pts_all(st, args[2:])
        if p in ("method.copy", "srcad.runtime.entry_copy"):  # shallow for lists and dicts
            box_like(self, op, st, args[:1])
            base = self.pts_all(st, args[:1])
            return self.alloc(st, op, self.contents(st, base), dup=not st.dup.isdisjoint(base))
        if rec.owns or (p == "numpy.diag" and (self.facts.optimistic or self.is_1d(args[0]))):
            if p == "numpy.diag" and self.rank.get(args[0]) == 1:
                self.rank[op.results[0]] = 2
            return self.alloc(st, op)  # np.diag of a 1-D array is a new 2-D one (2-D: a view)
        if p == "numpy.einsum" and len(args) > 2 and isinstance(args[0], Const):
            return self.alloc(st, op)  # ("ij,jk", a, b): new; one operand: a view when the
            # subscripts only pick or permute (as the sublist form may be)
        # views, element reads, attributes and unknown functions: anything their operands reach;
        # a view of another shape (`np.reshape(v, (2, 2))[0]`) makes a 1-D object's `[i]` a view
        out = alias_index.number_array(self, st, op)  # (what the operands reach, or new)
        if not all(r in self.facts.one_d or r in self.facts.scalars for r in op.results):
            self.flat.difference_update(o[1] for o in out if o[0] in ("n", "o"))
        return out

    def add_mul(self, op: Op, st: State) -> frozenset:
        """`a + b`, `a * b` (passes/alias_seqs.py)."""
        return add_mul(self, op, st)

    def mutation(self, op: Op, st: State) -> frozenset:
        p, args = op.prim, op.args
        target = self.pts(st, args[0])
        if p not in MUTATORS and not target.isdisjoint(self.numbers):
            target = target - self.numbers  # (`x op= v` of a joined value: a number argument)
        if p == "setitem" or p == "list_append":
            added = alias_index.stored(self, st, op, target)  # (`x[:] = y`: y's elements)
        else:  # `lst += other`: the elements of `other`
            added = self.contents(st, self.pts_all(st, args[1:]))
            if p == RT_CONCAT and alias_index.tuples_only(self, target):  # `t += (v,)`: a new tuple
                return self.alloc(st, op, self.contents(st, target) | added)
        if not target:  # `s += v` of two objects holding nothing (numbers): a number
            if p not in MUTATORS and not self.pts_all(st, args[1:]):
                return EMPTY
            once = p == "setitem" and len(args) == 3 and self.int_like(args[1])  # `e[0] = v`, `e`
            once = once and st.dup.isdisjoint(self.pts(st, args[2]))  # a row: `v` held once
            return self.alloc(st, op, added, dup=not once)
        x, r = args[0], op.results[0] if op.results else None
        self.targets[id(op)] = target
        # a float array stores copies of numbers (optimistic: anything but a list/tuple/dict may be one)
        arr = isinstance(x, Var) and (
            x in self.rank
            or x in self.inexact()
            or (self.facts.optimistic and all(o[-1] not in self.boxes for o in target))
        )
        if r is not None and x in self.rank:
            self.rank[r] = self.rank[x]
        if r is not None and isinstance(x, Var):
            self.root[r] = self.root.get(x, x)
            v = args[-1] if p == "setitem" else None
            self.chain[r] = self.chain.get(x, ()) + (op,) + self.chain.get(v, ())
        self.mutate(op, st, target)
        slots.update(self, st, op, target)
        if p not in MUTATORS and (p != RT_CONCAT or not st.dup.isdisjoint(self.pts_all(st, args))):
            st.dup.update(target)  # `lst *= 2`; `xs.extend(vs)` of a `vs` holding one twice
        if added and not arr:
            rewrite = stored_items(self, st, op, added)  # (counts the holders `added` gain)
            for o in target:
                held = st.heap.get(o, EMPTY)
                if not rewrite and not held.isdisjoint(added):
                    st.dup.add(o)
                st.heap[o] = held | added
                self.escaped.update(a[1] for a in added if a[0] == "n")
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
        alias_index.rebound(self, st, m, hit, target)  # (`xs.reverse()`: the new `xs`)
        ext = frozenset(o for o in target if o[0] in EXTERNAL)
        if ext:
            self.effects.append((m, ext))

    def call(self, op: Op, st: State) -> frozenset:
        """A user function: passes/alias_calls.py."""
        return call_result(self, op, st)
