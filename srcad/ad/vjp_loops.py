"""Reverse sweep of `for`/`while` loops, with a per-loop tape.

Input: the reverse sweep (`ReverseSweep`: what is varied, which accumulators are private, how to
add a cotangent and reverse a block), a forward loop op (and the block holding it), the reverse
block and the cotangents so far. Output: a reverse `for` loop appended to the reverse block, running
the body's reverse sweep once per forward iteration, last first; the forward loop gains a tape push
at the end of its body (only for the values the reverse body reads) and, when needed, an
iteration counter.

    tape = []                                  # forward
    for i in range(n):
        ...
        tape.append((i, x))
    for k in range(len(tape) - 1, -1, -1):     # reverse
        i, x = tape[k]
        ...
"""

from __future__ import annotations

import inspect
from typing import Any

from srcad.ad.adjoints import new_adj, put
from srcad.ad.boundcalls import function_args
from srcad.ad.callees import operand_types
from srcad.ad.common import RT, ReverseSweep, diff_error, pretty, zero_like
from srcad.ad.objclasses import call_target, classes_of
from srcad.ad.shape_reads import tape_reads
from srcad.ad.squares_forms import square_targets
from srcad.ad.vjp_util import block_defs, free_vars, loop_defs, outer_varied_reads
from srcad.checkpointing import AUTO
from srcad.custom import GlobalReads, check_globals, snapshot_globals
from srcad.passes.missing_keys import callee_kinds, refuse_recomputed
from srcad.ssa.builder import Builder
from srcad.ssa.census import structured_ops
from srcad.ssa.clone import clone_block
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, replace_uses, walk_ops


def reverse_loop(vjp: ReverseSweep, op: Op, parent: Block, rev: Block, adj: dict) -> None:
    n = len(op.results)
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    act = [k for k in range(n) if op.results[k] in vjp.varied]
    if not any(op.results[k] in adj for k in act):
        return
    # A segment loop of `srcad.checkpoint_loop` (see `segment_loops`): the forward sweep runs a
    # copy of the body without tapes; the reverse body recomputes the body from its taped params.
    fwd_body = clone_block(body, {}) if op.params.get("recompute") else None
    b = Builder(rev, op.loc)
    inner = loop_defs(op)
    outer = outer_varied_reads(op, inner, vjp.varied, square_targets(vjp.squares, body))
    # reverse body: params [index, cotangents of carries, accumulators of outer values]
    rbody = Block()
    ridx = Var("k")
    pc = [Var("b" + body.params[off + k].hint if body.params[off + k].hint else "") for k in act]
    po = [Var("b" + v.hint if v.hint else "") for v in outer]
    rbody.params = [ridx, *pc, *po]
    a2 = new_adj(vjp, zip(outer, po))  # (`ad/adjoints.py`)
    vjp.owned.update(po)
    # Cotangents of arrays the body updates with `x[i] = v` stay private to the reverse loop, so
    # zeroing the overwritten slot happens in place (no copy per iteration).
    updated = {o.args[0] for o in body.ops if o.prim in ("setitem", "list_append") and o.args}
    private = [k for k in act if body.params[off + k] in updated]
    vjp.owned.update(p for k, p in zip(act, pc) if k in private)
    rb = Builder(rbody, op.loc)
    for k, p in zip(act, pc):
        vjp.acc(a2, body.yields[k], p, rb)
    vjp.rev_block(body, rbody, a2)
    yields = []
    inits_fwd = op.args[3:] if op.prim == "for" else op.args
    scal = getattr(vjp, "scalars", set())
    zeroed = set()  # carries whose previous value gets no cotangent: a number each step
    for k in act:
        prm = body.params[off + k]
        got, y = a2.get(prm), body.yields[k]  # (a Const may hold an unhashable slice)
        if got is None and isinstance(y, Var) and y in scal:  # no zeros_like(previous value)
            got = Const(0.0)
            zeroed.add(k)
        yields.append(got if got is not None else zero_like(prm, rb))
    outer, po = _untouched_outer(rbody, yields, outer, po, a2)
    rbody.params = [ridx, *pc, *po]
    yields += [a2[v] for v in outer]
    for j, k in enumerate(act):
        if k in private and yields[j] not in vjp.owned:  # keep the next iteration's private
            yields[j] = rb.op("srcad.runtime.owned_copy", [yields[j]])
    rbody.yields = yields
    fwd_of: dict = {}
    if fwd_body is not None:
        fwd_of = _recompute(op, body, fwd_body, rbody)
    # the tape: values of the forward body the reverse body reads
    defs = block_defs(body)
    # Code that is differentiated again tapes the values that carry no derivative (loop indices,
    # flags) apart: on a tape of their own they get no tangent, where a zero tangent would be
    # multiplied by factors that are infinite or nan there (log of a negative base, 1 / 0).
    # Values the reverse body reads only for their type and shape go on the tape as stand-ins
    # (`_srcad.shape_like`: no memory), so the tape keeps no iteration's temporaries alive.
    if vjp.module.functional or fwd_body is not None:
        needed, shaped = [v for v in free_vars(rbody) if v in defs], set()
    else:
        needed, shaped = tape_reads(rbody, defs)
    index = body.params[0] if op.prim == "for" else None
    if index is not None and fwd_body is None:
        ints = getattr(vjp, "ints", set())  # VJP.ints
        n0 = len(rbody.ops)
        needed = _index_from_k(op, body, rbody, ridx, needed, inner, ints)
        # the ops it put first (``i * v`` of a `v` it left on the tape) read values, and it
        # rewrote reads of the values it took off only: the others' reads are as counted
        first = rbody.ops[: len(rbody.ops) - n0]
        shaped = {v for v in needed if v in shaped}
        shaped.difference_update(a for o in first for a in o.operands() if type(a) is Var)
    groups = [needed]
    if vjp.module.functional:
        groups = [
            [v for v in needed if v in vjp.varied],
            [v for v in needed if v not in vjp.varied],
        ]
    groups = [grp for grp in groups if grp]
    tape = None
    if groups:
        fb = Builder(op.blocks[-1], op.loc)
        tapes = []
        for grp in groups:
            src = [fwd_of.get(v, v) for v in grp]
            src = [fb.op(RT + "shape_like", [v]) if v in shaped else v for v in src]
            item = src[0] if len(src) == 1 else fb.op("tuple", src)
            tapes.append(_add_tape(op, parent, item))
        tape = tapes[0]
        # Read the tape back to front without popping, so a pullback can run more than once.
        n_saved = b.op("len", [tape], hint="n")
        last = b.op("sub", [n_saved, Const(1)], hint="last")
        head = [last, Const(-1), Const(-1)]  # the reverse loop walks the tape back to front
        pop_block = Block()
        pb = Builder(pop_block, op.loc)
        mapping = {}
        for tp, grp in zip(tapes, groups):
            t = pb.op("getitem", [tp, ridx], hint="saved" if len(grp) > 1 else grp[0].hint)
            if len(grp) == 1:
                mapping[grp[0]] = t
            else:
                for j, v in enumerate(grp):
                    mapping[v] = pb.op("getitem", [t, Const(j)], hint=v.hint)
        replace_uses(rbody, mapping)
        rbody.ops = pop_block.ops + rbody.ops
    elif op.prim == "for" and not op.params.get("has_break"):
        rng = b.op("range", op.args[:3])
        head = [Const(0), b.op("len", [rng], hint="n"), Const(1)]
    else:
        head = [Const(0), _add_counter(op, parent), Const(1)]
    inits = [adj.get(op.results[k]) or zero_like(op.results[k], b) for k in act]
    for j, k in enumerate(act):
        if k in private and inits[j] not in vjp.owned:
            inits[j] = b.op("srcad.runtime.owned_copy", [inits[j]], hint=pc[j].hint)
    # Accumulators of outer values start owned (fresh zeros, or an already-owned cotangent), so
    # `x[i]` reads in the loop add into them in place instead of allocating per iteration.
    fresh = [adj.get(v) not in vjp.owned for v in outer]
    inits += [zero_like(v, b) if f else adj[v] for v, f in zip(outer, fresh)]
    for z, p in zip(inits[len(act) :], po):  # bx = zeros_like(x), not _t7: the name it keeps
        if isinstance(z, Var) and not z.hint:
            z.hint = p.hint
    results = [Var(p.hint) for p in pc + po]
    rev.ops.append(Op("for", [*head, *inits], results=results, blocks=[rbody], loc=op.loc))
    for v, r, f in zip(outer, results[len(act) :], fresh):
        # the accumulator started from zero (add what came before) or from adj[v] (replace it)
        old = adj.get(v) if f else None
        put(vjp, adj, v, r if old is None else b.op(_add_prim(vjp, v), [old, r], hint=r.hint))
        if old is None:
            vjp.owned.add(r)
    for k, r in zip(act, results[: len(act)]):
        init = inits_fwd[k]
        if k in zeroed and isinstance(init, Var) and init not in scal and init in vjp.varied:
            r = b.op(RT + "add", [zero_like(init, b), r])  # the initial value's type and shape
        vjp.acc(adj, init, r, b)


def _untouched_outer(
    rbody: Block, yields: list, outer: list[Var], po: list[Var], a2: dict
) -> tuple[list[Var], list[Var]]:
    """The outer values (and their accumulators) the reverse body adds something to: one whose
    accumulator the body neither updates nor reads (a squared magnitude whose cotangent
    `ad/squares.py` sends to the square's `x`) is not carried, its cotangent left as it was."""
    read = {a for o in walk_ops(rbody) for a in o.operands() if type(a) is Var}
    read.update(y for o in walk_ops(rbody) for b in o.blocks for y in b.yields if type(y) is Var)
    read.update(y for y in yields if type(y) is Var)
    keep = [j for j, (v, p) in enumerate(zip(outer, po)) if a2[v] is not p or p in read]
    return [outer[j] for j in keep], [po[j] for j in keep]


def _recompute(op: Op, body: Block, fwd_body: Block, rbody: Block) -> dict[Var, Var]:
    """Move the (taped) forward body `body` to the start of the reverse body `rbody` and give
    the forward loop `fwd_body`, its copy without tapes. -> the forward loop's params by `body`'s
    (the reverse then reads `body`'s params from a tape of `fwd_body`'s)."""
    op.blocks[-1] = fwd_body
    if any(v in block_defs(body) and v not in body.params for v in free_vars(rbody)):
        rbody.ops = body.ops + rbody.ops
    return dict(zip(body.params, fwd_body.params))


def segment_loops(tr: Any, block: Block | None = None) -> None:
    """Split each `for` op marked by `srcad.checkpoint_loop` (``params["checkpoint"]``: the
    segment length, `AUTO` for about sqrt(n)) into a loop over segments, marked ``recompute``,
    whose body runs the original loop over one segment's indices::

        n = len(range(a, b, c)); k = every or max(isqrt(n), 1); segments = (n + k - 1) // k
        for s in range(segments):                      # carries: the loop's carries
            lo, hi = a + s * k * c, a + min(s * k + k, n) * c
            carries = for i in range(lo, hi, c): body  # (+ a `brk` carry, then `break if brk`)

    The reverse sweep (`reverse_loop`) tapes only the segment loop's carries and recomputes each
    segment, with its own tape, before reversing it. Run on the transform `tr` (its function's
    body, or `block`) before the activity analysis. A body whose values could differ when run
    again (random numbers; a call srcad cannot follow) is refused: its recomputed tape would not
    be the one the forward sweep saw."""
    if block is None:
        block = tr.fn.body
        if not any("checkpoint" in op.params for op in structured_ops(block)):
            return  # (no loop to split, as mostly: the walk below would change nothing)
    new_ops: list[Op] = []
    for op in block.ops:
        for sub in op.blocks:
            segment_loops(tr, sub)
        if op.prim == "for" and "checkpoint" in op.params:
            fn = tr.fn
            types_of = {fn.params[i]: t for i, t in tr.param_types.items()}
            known = {fn.params[i]: v for i, v in tr.param_values.items()}
            reads: list = []
            refuse_nondeterministic(tr, fn, op.blocks[-1], types_of, known, set(), reads)
            new_ops.extend(_hoist_reads(fn, op.blocks[-1]))
            new_ops.extend(_check_callee_reads(fn, op, reads))
            new_ops.extend(_segments(op))
        else:
            new_ops.append(op)
    block.ops = new_ops


# draws from a generator: NumPy's, and srcad's helpers that draw (rules/random_draws.py, the rows
# of `rng.permutation`/`shuffle`/`choice` in rules/permutations.py)
_DRAWS = ("numpy.random", "random.", "time.", "os.", "secrets.", "uuid.", RT + "draw_",
          RT + "perm_index", RT + "choice_index")  # fmt: skip


def refuse_nondeterministic(
    tr: Any,
    fn: Function,
    block: Block,
    types_of: dict,
    known: dict,
    seen: set,
    reads: list | None = None,
    what: str = "",
    record: bool = False,
    kinds: dict | None = None,
) -> None:
    """Raise a located `DiffError` at the first op of `block` (callees followed) that may give
    other values when the checkpointed loop's body (or, with `what`, the `srcad.checkpoint`
    function `what`) runs again in the reverse sweep. `reads` collects the (globals dict, name)
    pairs the code reads (with `record`; the callees' only for a loop body, whose own reads are
    hoisted)."""
    marker = "srcad.checkpoint" if what else "srcad.checkpoint_loop"
    again = (
        f"`{what}` (`srcad.checkpoint`)" if what else "the body of a `srcad.checkpoint_loop` loop"
    )
    draws = (
        f"draw random numbers outside `{what}` and pass them in as an argument"
        if what
        else "draw random numbers before the loop (noise = rng.normal(size=(T, n)), then noise[t])"
    )
    hint = f"{draws} and call functions srcad can read, or remove {marker}"
    if kinds is None:  # (the parameters' kinds: `missing_keys.kind_of`)
        kinds = {fn.params[i]: k for i, k in (tr.param_seqs or {}).items()} if fn is tr.fn else {}
    refuse_recomputed(fn, block, again, f"remove {marker}", kinds)  # (`d[k]` storing `k`)
    types_of = classes_of(fn, types_of, known)  # (``cell = Cell(w)``: `cell(h)` its method)
    for op in walk_ops(block):
        name = op.params.get("name")
        if reads is not None and record and op.prim == "global":
            if fn.namespace.lookup(name)[0] == "global":
                reads.append((fn.namespace.globals, name))
        if op.prim.startswith(_DRAWS) or op.prim == "id":
            raise diff_error(
                fn,
                op,
                f"`{pretty(op.prim)}` may give another value when it runs again, and {again} "
                "runs again in the reverse sweep",
                hint,
            )
        if op.prim != "call" and not (
            op.prim.startswith("method.") and tr.table.get(op.prim) is None
        ):
            continue
        target = call_target(fn, op, types_of, known, tr.module.derive)
        if target is None:
            raise diff_error(
                fn,
                op,
                f"srcad cannot tell which function this call in {again} runs, so not whether "
                "it gives the same values when it runs again in the reverse sweep",
                hint,
            )
        if not target:  # ``C(w)`` of a class without an ``__init__`` of its own
            continue
        callee, pyfunc, pos, kw = target
        if pyfunc in seen:
            continue
        seen.add(pyfunc)
        try:
            bound = inspect.signature(pyfunc).bind(*pos, **kw)
        except TypeError:
            bound = None
        args = [bound.arguments.get(n) for n in callee.param_names] if bound else []
        ctypes = {callee.params[k]: t for k, t in operand_types(fn, args, types_of).items()}
        cknown = {callee.params[k]: v for k, v in function_args(fn, args, known).items()}
        ckinds = callee_kinds(fn, callee.params, args, kinds)
        refuse_nondeterministic(
            tr, callee, callee.body, ctypes, cknown, seen, reads, what, True, ckinds
        )


def _check_callee_reads(fn: Function, op: Op, reads: list) -> list[Op]:
    """The globals functions called in the loop's body read: snapshot them before the loop (the
    ops returned) and check them at the top of the body, so a pullback recomputing a segment after
    the caller rebound one is refused (srcad.custom.check_globals) instead of silently using the
    new value."""
    if not reads:
        return []
    where = diff_error(fn, op, "")
    spec = GlobalReads(reads, "a `srcad.checkpoint_loop` loop's body", where)
    snap = Var("snap")
    ops = [Op("call", [Const(snapshot_globals), Const(spec)], results=[snap], loc=op.loc)]
    body = op.blocks[-1]
    check = Op("call", [Const(check_globals), Const(spec), snap], results=[Var()], loc=op.loc)
    body.ops.insert(0, check)
    return ops


def _hoist_reads(fn: Function, block: Block) -> list[Op]:
    """Take the reads of global and closure names that exist now out of `block` (and its
    blocks) and return them: read once before the loop (nothing the loop runs can rebind them),
    the recomputation in the reverse sweep sees the values the forward sweep saw, also when a
    pullback runs after the caller rebound the name."""
    out: list[Op] = []
    kept: list[Op] = []
    for op in block.ops:
        for sub in op.blocks:
            out.extend(_hoist_reads(fn, sub))
        name = op.params.get("name")
        if op.prim in ("global", "free") and fn.namespace.lookup(name)[0] in ("global", "free"):
            out.append(op)
        else:
            kept.append(op)
    block.ops = kept
    return out


def _segments(op: Op) -> list[Op]:
    every = op.params.pop("checkpoint")
    pre = Block()
    b = Builder(pre, op.loc)
    start, stop, step = op.args[:3]
    inits = op.args[3:]
    nc = len(op.results)
    body = op.blocks[-1]
    n = b.op("len", [b.op("range", [start, stop, step])], hint="n")
    k: Operand = Const(every)
    if every == AUTO:
        k = b.op("max", [b.op("math.isqrt", [n]), Const(1)], hint="every")
    k1 = Const(every - 1) if every != AUTO else b.op("sub", [k, Const(1)])
    nseg = b.op("floordiv", [b.op("add", [n, k1]), k], hint="segments")
    seg = Var("seg")
    carries = [Var(p.hint) for p in body.params[1 : 1 + nc]]
    outer_body = Block(params=[seg, *carries])
    ob = Builder(outer_body, op.loc)

    def index(j: Operand, hint: str) -> Operand:  # start + j * step
        if step != Const(1):
            j = ob.op("mul", [j, step])
        return j if start == Const(0) else ob.op("add", [start, j], hint=hint)

    j0 = ob.op("mul", [seg, k], hint="lo")
    lo = index(j0, "lo")
    hi = index(ob.op("min", [ob.op("add", [j0, k]), n], hint="hi"), "hi")
    results = list(op.results)
    op.args = [lo, hi, step, *carries]
    op.results = [Var(r.hint) for r in results]
    outer_body.yields = list(op.results)
    params = {"recompute": True}
    if op.params.get("has_break"):  # the segment says whether it stopped: a carry of its own
        body.params.append(Var("brk"))
        body.yields.insert(nc, body.yields[-1])
        op.args.append(Const(False))
        op.results.append(Var("brk"))
        outer_body.yields.append(op.results[-1])
        params["has_break"] = True
    outer_body.ops.append(op)
    head = [Const(0), nseg, Const(1), *inits]
    outer = Op("for", head, results=results, blocks=[outer_body], params=params, loc=op.loc)
    return [*pre.ops, outer]


def _index_from_k(
    op: Op, body: Block, rbody: Block, k: Var, needed: list[Var], inner: set[Var], ints: set[Var]
) -> list[Var]:
    """Take the loop index, ints computed from it (``i - 1``) and reads of values from before
    the loop at those (``x[i]``) off the tape: the k-th entry of the tape is the k-th iteration,
    whose index is ``start + k * step``; the reverse body computes them. -> what stays on the
    tape (everything when nothing else would)."""
    index = body.params[0]
    cheap: dict = {index: None}

    def known(a: Operand) -> bool:
        if isinstance(a, Const):
            return type(a.value) is int
        return a in cheap or (a not in inner and a in ints)

    for o in body.ops:
        if len(o.results) != 1 or o.kwargs:
            continue
        if o.prim in ("add", "sub", "mul") and all(known(a) for a in o.args):
            cheap[o.result] = o
        elif o.prim == "tuple" and o.args and all(known(a) for a in o.args):
            cheap[o.result] = o  # an index ``(i, j)`` of those: ``x[i, j]`` is recomputed too
        elif o.prim == "getitem" and isinstance(o.args[0], Var) and o.args[0] not in inner:
            if known(o.args[1]) and o.result in needed:
                cheap[o.result] = o
    rest = [v for v in needed if v not in cheap]
    if not rest:  # a tape is still needed (its length, the reverse order): keep the reads on it
        rest = [
            v for v in needed if v in cheap and cheap[v] is not None and cheap[v].prim == "getitem"
        ]
        for v in rest:
            del cheap[v]
    if not rest or len(rest) == len(needed):
        return needed
    ib = Builder(Block(), op.loc)
    start, step = op.args[0], op.args[2]
    i: Operand = k if step == Const(1) else ib.op("mul", [k, step])
    if start != Const(0):
        i = ib.op("add", [start, i], hint=index.hint)
    sub: dict = {index: i}
    for v, d in cheap.items():
        if d is not None and (v in needed or any(v in c.args for c in cheap.values() if c)):
            sub[v] = ib.op(d.prim, [sub.get(a, a) for a in d.args], hint=v.hint)
    replace_uses(rbody, sub)
    rbody.ops = ib.block.ops + rbody.ops
    return rest


def _add_prim(vjp: ReverseSweep, v: Var) -> str:
    return "add" if v in vjp.arraylike else "srcad.runtime.add"


def _add_tape(op: Op, parent: Block, item: Var) -> Var:
    """Give the forward loop a tape: a list carried through the loop, `item` appended at the end
    of each iteration (a functional `list_append`, so the IR stays a pure program that can be
    differentiated again; the in-place pass makes it a real ``tape.append``); return the tape
    after the loop."""
    n = len(op.results)
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    start = Var("tape")
    parent.ops.insert(parent.ops.index(op), Op("list", [], results=[start], loc=op.loc))
    params = []
    for blk in op.blocks:
        p = Var("tape")
        blk.params.insert((off if blk is body else 0) + n, p)
        params.append(p)
    nxt = Var("tape")
    body.ops.append(Op("list_append", [params[-1], item], results=[nxt], loc=op.loc))
    body.yields.insert(n, nxt)
    op.args.insert((3 if op.prim == "for" else 0) + n, start)
    r = Var("tape")
    op.results.insert(n, r)
    return r


def _add_counter(op: Op, parent: Block) -> Var:
    """Give the forward loop an iteration counter carry; return its final value."""
    n = len(op.results)
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    params = []
    for blk in op.blocks:
        o = off if blk is body else 0
        p = Var("count")
        blk.params.insert(o + n, p)
        params.append(p)
    bp = params[-1]
    nxt = Var("count")
    body.ops.append(Op("add", [bp, Const(1)], results=[nxt], loc=op.loc))
    body.yields.insert(n, nxt)
    head = 3 if op.prim == "for" else 0
    op.args.insert(head + n, Const(0))
    r = Var("trips")
    op.results.append(r)
    return r
