"""A shortcut of the mutation check (passes/alias.py): updates confined to objects the function
made itself and hands along linearly, which no analysis of aliases needs to follow.

Input: a lowered `Function`. Output: `confined(fn)`, True only when the points-to analysis
(passes/alias_flow.py, with no facts of the argument types) would find no hazard and no update of
an object that exists before the call; then the check skips it (it costs about as much as the
lowering). False means "run the analysis", never a refusal.

    out = []                       # a new list; `np.zeros(n)`, `a * b` make new objects too
    for v in xs:
        out.append(v * v)          # the only live name of that list is updated...
    return sum(out) + out[0]       # ...and read after its last update only

An update is a `setitem` or `list_append` op, or ``x op= v`` (`Function.augmented`, taken for
an update of `x` as the analysis does without facts of numbers; ``c[k] op= v`` is left to it).
The values that may hold an updated object (`_Tracked`: the update's target, its result, and
the loop-carried values, `if` results and yields connecting them) must all come from ops that
make a new object (`_ROOT`). Program order (`_Linear`): each such value is consumed at most once
(updated, passed to a loop as its initial value, yielded, or consumed inside an `if` branch) and
read before that only by ops whose results hold no reference to it (`_clean`); it is consumed at
the loop depth it was defined at (an outer value updated in a loop body is updated again by the
next iteration), and a loop body yields at position k only what came from its carried value k
(no object made in the body survives an iteration, no two carried values trade objects).

Soundness, in the analysis's terms: the objects of a tracked value are sites of `_ROOT` ops
(their newest and older objects; an ``x op= v`` whose `x` has none makes one), never stored
in another object (no tracked value is an element operand of a literal or update, nor an
operand of a call; ``x op= v`` adds only `v`'s elements) and absent from every value
a `_clean` op gives (`Flow.transfer`: immutable results hold nothing, `OWNS` and `add`/`mul`
make new objects holding at most the elements, a `getitem` with a constant single key of a
container literal gives its elements). So an update makes stale only tracked values (nothing
holds their objects), which are all consumed by then: linearity leaves one live tracked value
per object (at a loop's head, one per carried position: the older objects of a site inside
the loop are no longer referred to), and the update consumed it. No stale value is read,
nothing external is updated: no hazard, no effect, no updated argument.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.alias_model import ADD_MUL, IMMUTABLE, MUTATORS, OWNS, prim_kind
from srcad.rules import default_registry
from srcad.ssa.core import Block, Const, Function, Op, Var

_BOXES = frozenset({"list", "tuple", "dict"})
_ROOT = frozenset({OWNS, ADD_MUL})  # a new object (besides the container literals)
_FLOW, _BOX, _DICT, _NEW, _OTHER = range(5)  # how a Var is defined (`_Tracked.defs`)


class _Bail(Exception):
    """Not provably confined: the analysis runs."""


def confined(fn: Function) -> bool:
    """Every update in `fn` is confined (module docstring): the mutation check has nothing to
    find. `x op= v` (`fn.augmented`) counts as an update of `x` (without facts of numbers the
    analysis takes it for one: a new object when `x` has none, `v`'s elements added);
    ``c[k] op= v`` is left to the analysis."""
    if fn.item_augmented:
        return False
    try:
        tracked = _Tracked(fn)
        if tracked.comps:
            _Linear(tracked).block(fn.body, 0, None)
    except _Bail:
        return False
    return True


class _Tracked:
    """The Vars that may hold an updated object: the connected components (of the values that
    pass an object along: update target -> result, loop initial value -> carried parameters ->
    yield -> result, `if` branch yield -> result) holding an update's target."""

    def __init__(self, fn: Function) -> None:
        self.parent: dict[Var, Var] = {}
        self.defs: dict[Var, Any] = dict.fromkeys(fn.params, _OTHER)  # `_FLOW`, `_OTHER`, an op
        self.kinds: dict[str, object] = {}
        self.rec = default_registry().get
        self.aug = {id(op) for op in fn.augmented}
        targets: list[Var] = []
        self.walk(fn.body, targets)
        comps = {self.find(t) for t in targets}
        # per component: all its objects are container literals / dict literals
        self.box: dict[Var, bool] = dict.fromkeys(comps, True)
        self.dict: dict[Var, bool] = dict.fromkeys(comps, True)
        self.member: set[Var] = set()
        for v in self.parent:
            c = self.find(v)
            if c not in comps:
                continue
            self.member.add(v)
            d = self.defs.get(v, _OTHER)
            if type(d) is Op:
                d = self.made(d.prim)
            if d == _OTHER:
                raise _Bail  # a parameter, an element read, a call's result...
            if d != _FLOW:
                self.box[c] = self.box[c] and d in (_BOX, _DICT)
                self.dict[c] = self.dict[c] and d == _DICT
        self.comps = comps

    def kind(self, p: str) -> object:
        kind = self.kinds.get(p)
        if kind is None:
            kind = self.kinds[p] = prim_kind(p, self.rec(p))
        return kind

    def made(self, p: str) -> int:
        """How the result of a `p` op is defined: a container literal, a new object, other."""
        if p in _BOXES:
            return _DICT if p == "dict" else _BOX
        return _NEW if self.kind(p) in _ROOT else _OTHER

    def find(self, v: Var) -> Var:
        parent = self.parent
        root = parent.setdefault(v, v)
        while parent[root] is not root:
            root = parent[root]
        while parent[v] is not root:
            parent[v], v = root, parent[v]
        return root

    def union(self, vs: list[Any]) -> None:
        vs = [v for v in vs if type(v) is Var]
        if vs:
            r = self.find(vs[0])
            for v in vs[1:]:
                s = self.find(v)
                if s is not r:
                    self.parent[s] = r

    def walk(self, b: Block, targets: list[Var]) -> None:
        defs = self.defs
        for op in b.ops:
            p = op.prim
            if op.blocks:
                self.structured(op, targets)
            elif p in MUTATORS or (id(op) in self.aug and op.args and type(op.args[0]) is Var):
                t = op.args[0] if op.args else None
                if type(t) is not Var or len(op.results) != 1:
                    raise _Bail
                targets.append(t)
                self.union([t, op.results[0]])
                defs[op.results[0]] = _FLOW
            elif len(op.results) == 1:
                defs[op.results[0]] = op  # a new object or not: decided for tracked Vars only
            else:
                defs.update(dict.fromkeys(op.results, _OTHER))

    def structured(self, op: Op, targets: list[Var]) -> None:
        p, defs = op.prim, self.defs
        if p == "if":
            for blk in op.blocks:
                self.walk(blk, targets)
                for k, r in enumerate(op.results):
                    self.union([r, blk.yields[k] if k < len(blk.yields) else None])
            defs.update(dict.fromkeys(op.results, _FLOW))
            return
        if p not in ("for", "while"):
            raise _Bail
        inits = op.args[3:] if p == "for" else op.args
        n = len(inits)
        body = op.blocks[-1]
        carried = body.params[1:] if p == "for" else body.params
        cond = op.blocks[0].params if p == "while" else []
        if len(carried) != n or len(op.results) != n or len(body.yields) < n:
            raise _Bail
        for p0 in body.params[: len(body.params) - n]:
            defs[p0] = _OTHER  # the loop index
        for k in range(n):
            group = [inits[k], carried[k], body.yields[k], op.results[k]]
            if cond:
                group.append(cond[k])
            self.union(group)
        defs.update(dict.fromkeys(carried, _FLOW))
        defs.update(dict.fromkeys(cond, _FLOW))
        defs.update(dict.fromkeys(op.results, _FLOW))
        for blk in op.blocks:
            self.walk(blk, targets)


class _Linear:
    """The program-order half of `confined`: consumed once, read cleanly before, at its depth."""

    def __init__(self, t: _Tracked) -> None:
        self.t = t
        self.member = t.member
        self.aug = t.aug
        self.level: dict[Var, int] = {}  # loop depth a tracked Var is defined at
        self.src: dict[Var, frozenset] = {}  # the new objects / carried parameters it came from
        self.consumed: set[Var] = set()

    def define(self, v: Var, depth: int, src: frozenset) -> None:
        self.level[v] = depth
        self.src[v] = src

    def consume(self, v: Any, depth: int) -> bool:
        if type(v) is not Var or v not in self.member:
            return False
        if v in self.consumed or self.level.get(v) != depth:
            raise _Bail
        self.consumed.add(v)
        return True

    def read(self, v: Any) -> None:
        if type(v) is Var and v in self.consumed:
            raise _Bail

    def block(self, b: Block, depth: int, carried: list[Var] | None) -> None:
        """`carried`: the loop's carried parameters, when `b` is a loop body (its yields)."""
        member = self.member
        for op in b.ops:
            if op.blocks:
                self.structured(op, depth)
                continue
            p, args = op.prim, op.args
            if p in MUTATORS or (id(op) in self.aug and args and type(args[0]) is Var):
                if any(type(a) is Var and a in member for a in op.kwargs.values()):
                    raise _Bail
                if p in MUTATORS:
                    if any(type(a) is Var and a in member for a in args[1:]):
                        raise _Bail  # the object stored somewhere (or an index)
                else:
                    for a in args[1:]:
                        self.read(a)  # `x op= v` adds `v`'s elements to `x`, never `v`
                self.consume(args[0], depth)
                r = op.results[0]
                self.define(r, depth, self.src[args[0]])
                continue
            for k, a in enumerate(op.operands() if op.kwargs else args):
                if type(a) is Var and a in member:
                    self.read(a)
                    if not _clean(self.t, op, k, a):
                        raise _Bail
            for r in op.results:
                if r in member:
                    self.define(r, depth, frozenset((r,)))
        if carried is None:
            for y in b.yields:
                self.consume(y, depth)
            return
        n = len(carried)
        for k, y in enumerate(b.yields):
            if type(y) is Var and y in member:
                if k >= n or not self.src[y] <= {carried[k]}:
                    raise _Bail  # a break flag; an object made in the body, or swapped
                self.consume(y, depth)

    def structured(self, op: Op, depth: int) -> None:
        member = self.member
        if op.prim == "if":
            for a in op.operands():
                self.read(a)
            before, after = self.consumed, set()
            srcs: list[frozenset] = [frozenset()] * len(op.results)
            for blk in op.blocks:
                self.consumed = set(before)
                self.block(blk, depth, None)
                after |= self.consumed
                for k, y in enumerate(blk.yields[: len(srcs)]):
                    if type(y) is Var and y in member:
                        srcs[k] = srcs[k] | self.src[y]
            self.consumed = after
            for r, s in zip(op.results, srcs):
                if r in member:
                    self.define(r, depth, s)
            return
        head = op.args[:3] if op.prim == "for" else []
        if any(type(a) is Var and a in member for a in (*head, *op.kwargs.values())):
            raise _Bail
        inits = op.args[3:] if op.prim == "for" else op.args
        body = op.blocks[-1]
        carried = body.params[len(body.params) - len(inits) :]
        srcs = []
        for a in inits:
            srcs.append(self.src[a] if self.consume(a, depth) else frozenset())
        if op.prim == "while":
            cond = op.blocks[0]
            for v in cond.params:
                self.define(v, depth + 1, frozenset((v,)))
            self.block(cond, depth + 1, [])  # yields only the condition (a tracked one bails)
        for v in carried:
            self.define(v, depth + 1, frozenset((v,)))
        self.block(body, depth + 1, carried)
        for r, s in zip(op.results, srcs):
            if r in member:
                self.define(r, depth, s)


def _clean(t: _Tracked, op: Op, k: int, v: Var) -> bool:
    """Does `op` read its operand `k`, the tracked `v`, without its result holding `v`'s object
    (`Flow.transfer` with no facts)?"""
    p = op.prim
    kind = t.kind(p)
    if kind is IMMUTABLE or kind in _ROOT:
        return True  # nothing, or a new object (holding at most the elements)
    if k != 0 or not op.args:
        return False  # a keyword operand, an index, a stored value...
    if p == "sum":
        return True  # a new object (`sum(lists, [])`: holding the elements' elements)
    if p == "getitem" and len(op.args) == 2:
        c = t.find(v)
        if not t.box[c]:
            return False  # an array's element may be a view of it
        idx = op.args[1]
        single = isinstance(idx, Const) and not isinstance(idx.value, (slice, tuple))
        return single or t.dict[c]  # an element, never the container
    return False
