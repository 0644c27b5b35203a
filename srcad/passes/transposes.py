"""Transposed matrix parameters multiplied in a loop: one C-ordered copy before the loop.

Input: a generated entry point and the positions of its 2-D float64 array parameters (the
`Spec`'s ranks). Output: the same function, rewritten in place; True when it changed.

``g @ W.T`` inside a loop (a recurrent network's reverse sweep: ``bh = bz @ Wh.T`` once per
step) multiplies by a transposed view, which BLAS takes as a transposed operand: for the LSTM of
benchmarks/bench_lstm.py, (32, 256) @ (256, 64), 30 us against 20 us for the same product by a
C-ordered matrix (OpenBLAS, one thread; process CPU time, medians). So ``WT = W.T.copy()`` is
made once before the outermost loop holding such products, which then read `WT`: the same
product (BLAS may sum in another order: rounding-level differences), one copy per call.

Only where nothing can change `W` while the loop runs: `W` is a parameter (the same array for the
whole call) or a view of one by slices made before the loops (`_sliced`), no op of the function
updates in place a value that may share memory with a parameter or a global (`_may_share`:
anything but the results of ops that own their memory, followed through loops and branches), and
the function calls no Python code srcad did not follow (a ``call`` op, or an op with no record).
The transposed view must be read only as the right operand of ``@`` in that loop (a view read
elsewhere could be written through).
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops

_LOOPS = ("for", "while")


def contiguous_transposes(fn: Function, ndims: dict[int, int]) -> bool:
    """Hoist ``W.T`` read by products in a loop as ``W.T.copy()`` (module docstring)."""
    mats = {p for k, p in enumerate(fn.params) if ndims.get(k) == 2}
    if not mats or not any(op.prim in _LOOPS for op in fn.body.ops):
        return False
    mats |= _sliced(fn, mats)
    reads: dict[Var, list[tuple[Op, int]]] = {}
    transposes: list[tuple[Op, Op]] = []  # (the top-level loop, the ``attr.T`` op in it)
    for top in fn.body.ops:
        if top.prim not in _LOOPS:
            continue
        for op in walk_ops(Block(ops=[top])):
            for k, a in enumerate(op.operands()):
                if type(a) is Var:
                    reads.setdefault(a, []).append((op, k))
            if op.prim == "attr.T" and len(op.args) == 1 and op.args[0] in mats:
                transposes.append((top, op))
    if not transposes or _unsafe(fn):
        return False
    hoisted: dict[tuple[Op, Var], Var] = {}  # (top-level loop, W) -> the copy
    changed = False
    for top, op in transposes:
        t = op.results[0]
        uses = reads.get(t, [])
        if not uses or any(u.prim != "matmul" or k != 1 or len(u.args) != 2 for u, k in uses):
            continue
        w = op.args[0]
        copy = hoisted.get((top, w))
        if copy is None:
            view, copy = Var(), hoisted.setdefault((top, w), Var(f"{w.hint}T" if w.hint else ""))
            at = fn.body.ops.index(top)
            fn.body.ops[at:at] = [
                Op("attr.T", [w], results=[view], loc=op.loc),
                Op("method.copy", [view], results=[copy], loc=op.loc),
            ]
        for u, _ in uses:
            u.args[1] = copy
        changed = True
    return changed


def _sliced(fn: Function, mats: set[Var]) -> set[Var]:
    """Views ``W[:, a:b]`` of those matrices made before any loop (a GRU's ``Wn = Wh[:, 2 *
    H:]``): an index of slices only, made in the function's body, is 2-D and the same view for
    the whole call."""
    made = {r: op for op in fn.body.ops for r in op.results}
    out = set()
    for op in fn.body.ops:
        if op.prim in _LOOPS:  # (the copy goes before the first loop reading it)
            break
        if op.prim != "getitem" or len(op.args) != 2 or op.kwargs or op.args[0] not in mats:
            continue
        idx = op.args[1]
        t = made.get(idx) if type(idx) is Var else None
        if t is None or t.prim != "tuple" or t.kwargs or len(t.args) != 2:
            continue
        if all(_slice(a, made) for a in t.args):
            out.update(op.results)
    return out


def _slice(a: object, made: dict) -> bool:
    if type(a) is Const:
        return type(a.value) is slice
    return type(a) is Var and a in made and made[a].prim == "slice"


def _unsafe(fn: Function) -> bool:
    """Some op may change a parameter's (or a global's) memory, or runs code srcad did not
    follow."""
    reg = default_registry()
    shared = _may_share(fn, reg)
    for op in walk_ops(fn.body):
        if op.prim in _LOOPS or op.prim == "if":
            continue
        rec = reg.get(op.prim)
        if rec is None or op.prim == "call":
            return True
        p = op.prim
        writes = rec.updates or op.params.get("inplace") or "setitem" in p or "inplace" in p
        if writes and any(type(a) is Var and a in shared for a in op.operands()):
            return True
    return False


def _may_share(fn: Function, reg: object) -> set[Var]:
    """The values that may share memory with a parameter or a global: those, and the results
    of every op reading one but the ops owning their result's memory (`Primitive.owns`), through
    loop carries and branches (to a fixpoint)."""
    shared: set[Var] = set(fn.params)
    while True:
        n = len(shared)
        for op in walk_ops(fn.body):
            if op.prim in ("global", "free"):
                shared.update(op.results)
                continue
            reads = any(type(a) is Var and a in shared for a in op.operands())
            if op.blocks:
                for b in op.blocks:
                    out = any(type(y) is Var and y in shared for y in b.yields)
                    if reads or out:  # (a yield is the next iteration's carry)
                        shared.update(b.params)
                    if out:
                        shared.update(op.results)
                if reads:
                    shared.update(op.results)
                continue
            rec = reg.get(op.prim)
            if reads and not (rec is not None and rec.owns):
                shared.update(op.results)
        if len(shared) == n:
            return shared
