"""Loops that touch one slot of an array per iteration: no zeros read back, no dead zeroing.

Input: a `Function` about to be emitted (the in-place pass runs this first). Output: the same
function with two rewrites of ``for`` loops over ``range`` whose carry `p` is only read and
written at one index that differs from one iteration to the next (the loop index, or the loop
index plus or minus an int constant), one number at a time (``p[k]`` of a float array of known
rank: `passes/inplace._Elements`). Returns True when it changed something.

- **First write**: `p` starts as fresh zeros (``_srcad.zeros_like(x)``, ``np.zeros(n)``) and the
  body is ``p[k] = p[k] + w``: slot `k` is still zero when iteration `k` reads it, so the body is
  ``p[k] = w`` (the reverse sweep's accumulator of ``x[k]``: ``bx[k] = g * ...``).
- **Dead write**: the loop's result for `p` is not read afterwards and the body writes ``p[k] =
  v`` after reading only ``p[k]``: no later iteration reads slot `k` again, so the write is
  dropped and `p` is no longer carried (the reverse sweep's zeroing of ``bout[k]`` after reading
  it, when nothing reads ``bout`` after the loop).

- **Ones**: ``bx[k] = bout[k] * w`` where `bout` is the cotangent of ``np.sum(out)`` seeded
  with 1.0 (``_srcad.sum_vjp(1.0, out, None, False)``, all ones; copied, never updated) and
  `bx` a float array: ``bx[k] = w`` (`_ones`), and `bout` is not made at all.

All are exact for every value the slot can hold (``0.0 + w`` is `w`, up to the sign of a zero;
``1.0 * w`` stored into a float array is `w`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from srcad.ssa.census import kept_ops
from srcad.ssa.core import Block, Const, Function, Op, Var, replace_uses, uses, walk_ops

if TYPE_CHECKING:
    from srcad.passes.inplace import _Elements

RT = "srcad.runtime."
_ZEROS = frozenset({RT + "zeros_like", "numpy.zeros"})
_SUM_VJP = RT + "sum_vjp"
_COPY = RT + "owned_copy"


def single_slots(fn: Function, elems: _Elements, counts: dict[Var, int] | None = None) -> bool:
    """`counts`: `fn`'s use counts, when the caller has them."""
    changed = False
    blocks = [fn.body]
    seeds: set[Var] = set()  # `_seeded`, in the same walk
    ops = kept_ops(fn.body)  # (the shared walk, when made for this IR already: `ssa/census.py`)
    if ops is None:  # a walk of its own: no later pass reads the IR's shared walk (CSE and DCE
        _blocks_and_seeds(fn.body, blocks, seeds)  # changed it since the last was made)
    else:
        for o in ops:
            if o.blocks:
                blocks.extend(o.blocks)
            elif o.prim in _SEEDING:
                _seed(o, seeds)
    # the use counts, again after each change
    for block in blocks:
        # (`_loop` rewrites a carry only around a ``setitem`` op of the body itself)
        loops = [
            op for op in block.ops
            if op.prim == "for" and "setitem" in [o.prim for o in op.blocks[-1].ops]
        ]  # fmt: skip
        if not loops:
            continue
        outer = {r: o for o in block.ops for r in o.results}
        for op in loops:
            if op in block.ops:
                counts = uses(fn.body) if counts is None else counts
                if _loop(op, elems, counts, outer):
                    changed, counts = True, None
    return _ones(fn, blocks, elems, counts, None if changed else seeds) or changed


def _blocks_and_seeds(block: Block, blocks: list[Block], seeds: set[Var]) -> None:
    """The nested blocks of `block` and the `_seed`s of its ops, in `ops_of`'s order (each op,
    then its blocks' ops)."""
    for o in block.ops:
        if o.blocks:
            blocks.extend(o.blocks)
            for b in o.blocks:
                _blocks_and_seeds(b, blocks, seeds)
        elif o.prim in _SEEDING:
            _seed(o, seeds)


def _ones(
    fn: Function,
    blocks: list[Block],
    elems: _Elements,
    counts: dict | None,
    ones: set[Var] | None = None,
) -> bool:
    """``bx[k] = bout[k] * w`` where `bout` is ``_srcad.sum_vjp(1.0, out, None, False)`` (the
    cotangent of ``np.sum(out)``: ones), copied or not, and never updated: ``bx[k] = w``. The
    product is stored into an array only, so ``1.0 * w`` and `w` store the same number.
    `ones`: ``_seeded(fn)``, when the caller has it."""
    if ones is None:
        ones = _seeded(fn)
    if not ones:
        return False  # no ones to start from: no product to rewrite (and no facts to compute)
    # the reads of the ones (or of their copies), per block: none, nothing to rewrite
    cands = [
        [o for o in b.ops if o.prim == "getitem" and o.args and _var_in(o.args[0], ones)]
        for b in blocks
    ]
    if not any(cands):
        return False
    defs = {r: o for o in walk_ops(fn.body) for r in o.results}
    counts = uses(fn.body) if counts is None else counts
    readers: dict[Var, list[Op]] = {}
    for o in walk_ops(fn.body):
        for a in o.operands():
            if isinstance(a, Var):
                readers.setdefault(a, []).append(o)
    changed = False
    for block, reads in zip(blocks, cands):
        for r in [o for o in reads if elems.number(o)]:
            ones = _all_ones(r.args[0], defs, readers, counts, elems)
            if not ones or counts.get(r.result, 0) != 1:
                continue
            m = readers[r.result][0]
            if m not in block.ops or m.prim != "mul" or m.kwargs or len(m.args) != 2:
                continue
            w = m.args[1] if m.args[0] is r.result else m.args[0]
            users = readers.get(m.result, [])
            if w is r.result or len(users) != counts.get(m.result, 0):
                continue
            if not all(u.prim == "setitem" and elems.array(u.args[0]) for u in users):
                continue  # a float array stores the same number for 1.0 * w and w
            if any(m.result in u.args[:2] for u in users):
                continue
            for u in users:
                u.args[2] = w
            block.ops.remove(m)
            block.ops.remove(r)
            changed = True
    if changed:  # the ones and their copy, when nothing reads them any more
        for prim in (RT + "owned_copy", RT + "sum_vjp"):
            counts = uses(fn.body)
            for block in blocks:
                block.ops = [o for o in block.ops if o.prim != prim or counts.get(o.results[0])]
    return changed


def _number_read(o: Op, v: Var, elems: _Elements) -> bool:
    return o.prim == "getitem" and o.args[0] is v and elems.number(o)


def _all_ones(
    v: object, defs: dict[Var, Op], readers: dict[Var, list[Op]], counts: dict, elems: _Elements
) -> bool:
    """Is `v` ones of the sum's cotangent, read (by ``getitem``) and copied only?"""
    while isinstance(v, Var):
        d = defs.get(v)
        rs = readers.get(v, [])
        if d is None or len(rs) != counts.get(v, 0):  # yielded or returned: may be updated
            return False
        if not all(o.prim == RT + "owned_copy" or _number_read(o, v, elems) for o in rs):
            return False
        if d.prim == RT + "owned_copy" and len(d.args) == 1 and not d.kwargs:
            v = d.args[0]
            continue
        return _ones_seed(d)
    return False


def _var_in(a: object, vs: set[Var]) -> bool:
    """(A Const may hold a slice or a list: unhashable.)"""
    return type(a) is Var and a in vs


def _seeded(fn: Function) -> set[Var]:
    """The values made by a `_ones_seed` op, or by copies of those (what `_all_ones` then
    checks): one walk in program order, every copy after what it copies."""
    out: set[Var] = set()
    for o in walk_ops(fn.body):
        if o.prim in _SEEDING:
            _seed(o, out)
    return out


_SEEDING = frozenset((_SUM_VJP, _COPY))


def _seed(o: Op, out: set[Var]) -> None:
    """Add the results of `o` to `out` when it makes ones or copies them (`_seeded`)."""
    if o.prim == _SUM_VJP:
        if _ones_seed(o):
            out.update(o.results)
    elif len(o.args) == 1 and not o.kwargs and _var_in(o.args[0], out):
        out.update(o.results)


def _ones_seed(d: Op) -> bool:
    """Is `d` ``_srcad.sum_vjp(1.0, out, None, False)`` (ones of `out`'s shape)?"""
    return (
        d.prim == RT + "sum_vjp"
        and not d.kwargs
        and len(d.args) == 4
        and d.args[0] == Const(1.0)
        and type(d.args[0].value) is float
        and d.args[2] == Const(None)
        and d.args[3] == Const(False)
    )


def _injective(idx: object, op: Op, defs: dict[Var, Op]) -> bool:
    """Is `idx` the loop index of `op`, or that index plus or minus int constants, and never
    negative? (Python's negative indices wrap: ``p[k - 1]`` for ``k`` in ``range(0, n + 1)``
    reads and writes the last slot twice.)"""
    body = op.blocks[-1]
    k = body.params[0]
    offset = 0
    while isinstance(idx, Var) and idx is not k:
        d = defs.get(idx)
        if d is None or d.prim not in ("add", "sub") or d.kwargs or len(d.args) != 2:
            return False
        a, c = d.args
        if d.prim == "add" and isinstance(a, Const):
            a, c = c, a
        if not (isinstance(c, Const) and type(c.value) is int):
            return False
        offset += c.value if d.prim == "add" else -c.value
        idx = a
    return idx is k and _lowest(op) is not None and _lowest(op) + offset >= 0


def _lowest(op: Op) -> int | None:
    """A lower bound of a ``range`` loop's index known at transform time, or None: the start of
    a loop stepping up by a constant, one past the stop of a loop stepping down."""
    start, stop, step = op.args[:3]
    if not (isinstance(step, Const) and type(step.value) is int and step.value != 0):
        return None
    if step.value > 0:
        return start.value if isinstance(start, Const) and type(start.value) is int else None
    return stop.value + 1 if isinstance(stop, Const) and type(stop.value) is int else None


def _loop(op: Op, elems: _Elements, counts: dict[Var, int], outer: dict[Var, Op]) -> bool:
    """`counts`: the function's use counts; `outer`: the definitions in the block of `op`."""
    body = op.blocks[-1]
    defs = None  # the body's definitions, made when first needed (a dropped write is no
    # definition `_injective` follows: it takes only `add`/`sub` ops)
    changed = False
    readers = None
    for k in range(len(op.results) - 1, -1, -1):
        p, init = body.params[1 + k], op.args[3 + k]
        if readers is None:  # again after each change of the body
            readers = _readers(body)
        at, n = readers.get(p, ([], 0))
        if n != counts.get(p, 0):
            continue  # read by a nested block or a yield
        writes = [o for o in at if o.prim == "setitem"]
        reads = [o for o in at if o.prim == "getitem"]
        if len(writes) != 1 or len(reads) + 1 != len(at) or len(writes[0].results) != 1:
            continue
        m = writes[0]
        idx = m.args[1] if len(m.args) == 3 and m.args[0] is p and not m.kwargs else None
        if idx is None:
            continue
        if defs is None:
            defs = {r: o for o in body.ops for r in o.results}
        if not _injective(idx, op, defs) or m.args[2] is p:
            continue
        if not all(r.args[1] is idx and elems.number(r) for r in reads):
            continue
        if counts.get(m.result, 0) != 1 or body.yields[k] is not m.result:
            continue
        if not counts.get(op.results[k], 0) and isinstance(m.args[2], Const):  # dead write
            body.ops.remove(m)
            replace_uses(body, {p: init})
            del op.args[3 + k], op.results[k], body.params[1 + k], body.yields[k]
            changed, readers = True, None
            continue
        d = outer.get(init) if isinstance(init, Var) else None
        if d is None or d.prim not in _ZEROS or d.kwargs or len(d.args) != 1:
            continue
        if counts.get(init, 0) != 1:
            continue
        if _first_write(body, m, reads, counts):
            changed, readers = True, None
    return changed


def _readers(body: Block) -> dict[Var, tuple[list[Op], int]]:
    """Each Var the ops of `body` (not its nested blocks) read -> (those ops, in order; how many
    operands read it)."""
    out: dict[Var, tuple[list[Op], int]] = {}
    for o in body.ops:
        for a in o.operands():
            if type(a) is Var:
                got = out.get(a)
                if got is None:
                    out[a] = ([o], 1)
                else:
                    ops, n = got
                    if ops[-1] is not o:
                        ops.append(o)
                    out[a] = (ops, n + 1)
    return out


def _first_write(body: Block, m: Op, reads: list[Op], counts: dict[Var, int]) -> bool:
    """``p[k] = p[k] + w`` -> ``p[k] = w`` (the read and the sum used nowhere else)."""
    if len(reads) != 1 or counts.get(reads[0].result, 0) != 1:
        return False
    s = next((o for o in body.ops if m.args[2] in o.results), None)
    if s is None or s.prim != "add" or s.kwargs or counts.get(s.result, 0) != 1:
        return False
    r = reads[0].result
    if s.args[0] is r and s.args[1] is not r:
        w = s.args[1]
    elif s.args[1] is r and s.args[0] is not r:
        w = s.args[0]
    else:
        return False
    m.args[2] = w
    body.ops.remove(s)
    body.ops.remove(reads[0])
    return True
