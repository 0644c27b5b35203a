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
from srcad.ssa.core import Block, Op, Var


class ControlFlow:
    """`if_` and `loop` of `Flow` (which supplies `block`, `pts`, `define`, `int_like`)."""

    _locals: dict[int, tuple]
    ints: set[Var]
    block: Any
    pts: Any
    define: Any
    int_like: Any

    def if_(self, op: Op, st: State) -> None:
        outs, states = [], []
        for blk in op.blocks:
            s = st.copy()
            self.block(blk, s)
            states.append(s)
            outs.append([self.pts(s, y) for y in blk.yields])
            self.prune(s, blk)
        if states:
            merged = states[0]
            for s in states[1:]:
                merged.join(s)
            st.env, st.heap, st.stale, st.dup = merged.env, merged.heap, merged.stale, merged.dup
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
        st.env, st.heap, st.stale, st.dup = final.env, final.heap, final.stale, final.dup
        for k, r in enumerate(op.results[:n]):
            self.define(st, r, carried[k])
        for r in op.results[n:]:
            self.define(st, r, EMPTY)

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


def _defined(b: Block) -> list[Var]:
    out = list(b.params)
    for op in b.ops:
        out.extend(op.results)
        for sub in op.blocks:
            out.extend(_defined(sub))
    return out
