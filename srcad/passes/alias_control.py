"""The control flow of the mutation check's analysis (passes/alias_flow.py): `if` joins both
branches, loops iterate their body to a fixpoint.

Input: the `Flow` running (this class is one of its bases), a structured op and the state before
it. Output: the state after it (in place), its results defined. A loop runs its body until the
state at its head stops changing, so an object stored in iteration k and updated in k+1 is seen,
and a value read in a later iteration than the update is a hazard too.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.alias_model import EMPTY, State
from srcad.passes.alias_nested import relabel_swaps
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops


class ControlFlow:
    """`if_` and `loop` of `Flow` (which supplies `block`, `pts`, `define`, `int_like`)."""

    _locals: dict[int, tuple]
    _dead: dict[int, tuple]
    _unread: dict[int, frozenset]
    ints: set[Var]
    op: Any
    read: Any
    pts: Any
    define: Any
    int_like: Any

    def block(self, b: Block, st: State) -> None:
        dead = self._dead
        for op in b.ops:
            self.op(op, st)
            drop = dead.get(id(op))
            if drop:  # values nothing reads any more: what is known of them decides nothing
                env, stale = st.env, st.stale
                for v in drop:
                    env.pop(v, None)
                    stale.pop(v, None)
        if st.stale:
            unread = self._unread.get(id(b), ())
            for k, y in enumerate(b.yields):
                if k not in unread:
                    self.read(st, y, None)

    def branches(self, op: Op, st: State) -> tuple[list[State], list[list[frozenset]]]:
        """Each branch of the ``if`` `op` run from a copy of `st`: its state and the objects of
        its yields."""
        outs, states = [], []
        for blk in op.blocks:
            s = st.copy()
            self.block(blk, s)
            states.append(s)
            outs.append([self.pts(s, y) for y in blk.yields])
            self.prune(s, blk)
        return states, outs

    def if_(self, op: Op, st: State) -> None:
        states, outs = self.branches(op, st)
        if states:
            merged = states[0]
            for s in states[1:]:
                merged.join(s)
            st.take(merged)
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
        split = _break_split(op, body)
        left: State | None = None  # the state where a pass stops the loop (`break`, `return`)
        gone: list[frozenset] = [EMPTY] * n  # and the objects it yields then
        for _ in range(100):
            s = head.copy()
            if op.prim == "while":
                self.bind(s, op.blocks[0].params, [], carried)
                self.block(op.blocks[0], s)
                exit_state = s
                s = s.copy()
            self.bind(s, body.params, pre, carried)
            if split is None:
                self.block(body, s)
            else:  # the passes that stop the loop do not reach its next pass
                s, stop = self.split_body(body, s, split)
                if stop is not None:
                    gone = [gone[k] | self.pts(stop, y) for k, y in enumerate(body.yields[:n])]
                    for blk in op.blocks:
                        self.prune(stop, blk)
                    if left is None:
                        left = stop
                    else:
                        left.join(stop)
            relabel_swaps(self, s, carried, body.yields[:n])  # `a, b = b, a`: double buffers
            new = [carried[k] | self.pts(s, y) for k, y in enumerate(body.yields[:n])]
            for blk in op.blocks:  # values local to the loop are redefined by the next pass
                self.prune(s, blk)
                if op.prim == "while":
                    self.prune(exit_state, blk)
            joined = head.copy()
            joined.join(s)
            if joined.same(head) and new == carried:
                break
            head, carried = joined, new
        else:  # pragma: no cover - the lattice is finite
            raise AssertionError("alias analysis did not converge")
        final = exit_state if op.prim == "while" else head
        if left is not None:
            final = final.copy()
            final.join(left)
        st.take(final)
        for k, r in enumerate(op.results[:n]):
            self.define(st, r, carried[k] | gone[k])
        for r in op.results[n:]:
            self.define(st, r, EMPTY)

    def split_body(
        self, body: Block, s: State, split: tuple[Op, int]
    ) -> tuple[State, State | None]:
        """Run `body` (its last op the ``if`` `split` names) from `s`: the state of the
        branches that go on to the next pass, and of those that stop the loop (or None)."""
        last, j = split
        dead = self._dead
        for op in body.ops[:-1]:  # (as `block`)
            self.op(op, s)
            for v in dead.get(id(op), ()):
                s.env.pop(v, None)
                s.stale.pop(v, None)
        if s.stale:  # (as `op` reads an `if`'s operands)
            for a in last.operands():
                self.read(s, a, last)
        states, outs = self.branches(last, s)
        on: State | None = None
        stop: State | None = None
        for blk, b, o in zip(last.blocks, states, outs):
            for k, r in enumerate(last.results):
                self.define(b, r, o[k] if k < len(o) else EMPTY)
            for v in dead.get(id(last), ()):
                b.env.pop(v, None)
                b.stale.pop(v, None)
            if b.stale:
                unread = self._unread.get(id(body), ())
                for k, y in enumerate(body.yields):
                    if k not in unread:
                        self.read(b, y, None)
            y = blk.yields[j] if j < len(blk.yields) else None
            if isinstance(y, Const) and y.value is True:
                stop = b if stop is None else _joined(stop, b)
            else:
                on = b if on is None else _joined(on, b)
        if on is None:  # every pass stops the loop: the next one is never run
            on = s.copy()
        return on, stop

    def prune(self, st: State, b: Block) -> None:
        """Forget the values defined in `b` once it is done (nothing outside reads them)."""
        loc = self._locals.get(id(b))
        if loc is None:
            loc = self._locals[id(b)] = tuple(_defined(b))
        env, stale = st.env, st.stale
        for v in loc:
            env.pop(v, None)
            stale.pop(v, None)

    def bind(self, st: State, params: list[Var], pre: list[Var], carried: list[frozenset]) -> None:
        for p in pre:
            self.define(st, p, EMPTY)
        for p, objs in zip(params[len(pre) :], carried):
            self.define(st, p, objs)


def _break_split(op: Op, body: Block) -> tuple[Op, int] | None:
    """A loop whose body ends in an ``if`` that yields its stop flag (``has_break``: the body's
    last yield; a ``return`` or ``break`` in a branch yields ``True``): that ``if`` and the
    position of the flag among its results; None for any other loop."""
    if not op.params.get("has_break") or not body.ops or not body.yields:
        return None
    last, flag = body.ops[-1], body.yields[-1]
    if last.prim != "if" or type(flag) is not Var or flag not in last.results:
        return None
    j = last.results.index(flag)
    if not any(
        j < len(b.yields) and isinstance(b.yields[j], Const) and b.yields[j].value is True
        for b in last.blocks
    ):
        return None
    return last, j


def _joined(a: State, b: State) -> State:
    a.join(b)
    return a


def _defined(b: Block) -> list[Var]:
    out = list(b.params)
    for op in b.ops:
        out.extend(op.results)
        for sub in op.blocks:
            out.extend(_defined(sub))
    return out


def dead_after(fn: Function) -> dict[int, tuple]:
    """id(op) -> the Vars defined in `op`'s block that nothing reads after `op` (its last reader,
    or `op` itself when nothing reads its result), for `ControlFlow.block` to drop from the state.

    A read inside an op's blocks counts as a read by that op at the level of the Var's block (a
    Var read in a loop body stays until the loop is done, so every pass of its fixpoint sees
    it); a Var its own block yields, or read somewhere outside its block's op tree, is never
    dropped (`prune` forgets a block's values after it, as before), nor is an element of a
    tuple/list/dict literal (`getitem` of a literal with a constant index reads the element's
    entry: `literal_item`). Soundness: the analysis reads what the state knows of a Var only
    where the IR reads the Var (`pts`, `read` and the stale entries `op` inherits take operands
    and yields), or an element of a literal; `mutate`, `age`, joins and `relabel_swaps` only
    rewrite or compare entries, so an entry no later read looks up changes
    no hazard, effect, target or summary; joins and the fixpoint's comparison are per entry, so
    the entries kept are the ones the full state would have. Loops only converge sooner (no
    pass for a change in a dropped entry alone)."""
    out: dict[int, list] = {}
    keep: set = set()  # elements of literal containers; Vars read outside their block's ops
    # `c[k][j] op= v`: `item_update` looks up the container `c[k]` of the element `op=` reads
    olds = {op.args[0] for op in fn.item_augmented if op.args and type(op.args[0]) is Var}

    def walk(b: Block, own: set) -> list:
        """Record the drops of `b`'s Vars; return the Vars `b` reads that it does not define."""
        last: dict[Var, int] = {}
        ops = b.ops
        for i, op in enumerate(ops):
            for a in op.args:
                if type(a) is Var:
                    last[a] = i
            if op.kwargs:
                for a in op.kwargs.values():
                    if type(a) is Var:
                        last[a] = i
            if op.blocks:
                for sub in op.blocks:
                    for v in walk(sub, set(sub.params)):
                        last[v] = i
            own.update(op.results)
            if op.prim in _LITERALS:  # `getitem` of the literal reads the element (`literal_item`)
                keep.update(a for a in op.args if type(a) is Var)
            elif (
                olds and op.prim == "getitem" and op.results[0] in olds and type(op.args[0]) is Var
            ):
                keep.add(op.args[0])
        for y in b.yields:
            if type(y) is Var:
                last[y] = -1
        free = []
        drops: list[list] = [[] for _ in ops]
        for v, i in last.items():
            if v not in own:
                free.append(v)
            elif i >= 0:
                drops[i].append(v)
        for op, d in zip(ops, drops):
            for r in op.results:
                if r not in last:
                    d.append(r)  # read nowhere
            if d:
                out[id(op)] = d
        return free

    keep.update(walk(fn.body, set(fn.params) | set(fn.body.params)))
    # a Var read outside its block's op tree (none in the lowering's IR): never dropped
    return {k: tuple(v for v in vs if v not in keep) for k, vs in out.items()}


_LITERALS = frozenset({"tuple", "list", "dict"})


def unread_carries(fn: Function) -> dict[int, frozenset]:
    """id(loop body) -> the positions of its yields nothing reads: the carry's parameter is
    read in no pass and the loop's result nowhere (``u`` of ``for o in idx: u = W[o]; W[o] -=
    0.3 * u`` in an outer loop: lowered as a carry of the inner loop, which optimization drops).
    Such a yield is no read of a stale value: Python reads the name again only after binding it.
    A yield read by a live yield (an inner loop's result an outer loop carries on) is read."""
    loops: list[tuple[Block, list[tuple[Var, ...]]]] = []
    read: set[Var] = {y for y in fn.body.yields if type(y) is Var}
    for op in walk_ops(fn.body):
        read.update(a for a in op.operands() if type(a) is Var)
        body = op.blocks[-1] if op.prim in ("for", "while") and op.blocks else None
        for b in op.blocks:
            if b is not body:
                read.update(y for y in b.yields if type(y) is Var)
        if body is None:
            continue
        if op.prim == "for":
            n = len(op.args) - 3
            params = [(q,) for q in body.params[1 : 1 + n]]
        else:
            n = len(op.args)
            params = list(zip(op.blocks[0].params[:n], body.params[:n]))
        loops.append((body, [params[k] + (op.results[k],) for k in range(n)]))
    live: set[tuple[int, int]] = set()
    changed = True
    while changed:
        changed = False
        for body, uses in loops:
            for k, vs in enumerate(uses):
                if (id(body), k) not in live and k < len(body.yields) and not read.isdisjoint(vs):
                    live.add((id(body), k))
                    y = body.yields[k]
                    if type(y) is Var:
                        read.add(y)
                    changed = True
    out: dict[int, frozenset] = {}
    for body, uses in loops:
        dead = frozenset(k for k in range(len(uses)) if (id(body), k) not in live)
        if dead:
            out[id(body)] = dead
    return out
