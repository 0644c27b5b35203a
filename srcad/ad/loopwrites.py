"""Reverse mode through a loop's writes over a singular value: a run-time record of the positions
the loop wrote.

Input: a ``for`` loop (`loopreads._plain_loop`: a range loop, a break allowed) and the position
of a carry `r` whose body only writes it: ``r[idx] = v`` at any index (a tuple ``r[i, j]``), in
the branches of its ifs (``if x[i] <= 0: r[i] = 0.0``) and in inner loops carrying it (nested
loops), never reading it otherwise. Output: `record_writes(block, loop, j)` rewrites the loop
to carry a boolean array of `r`'s shape, ``_srcad.unwritten(r0)`` before the loop and
``_srcad.mark_written(rec, idx)`` after each write (in place: the array is the loop's own), and
returns the loop's final record; `ad/masks.py` masks the first value `r0`'s contributions where
it is True, as `writemasks.loop_unset` does for an unconditional write at the counter::

    r = np.log(x)                     # x[1] = 0: 1 / x[1] is inf
    for i in range(3):                # rec = _srcad.unwritten(r), carried
        if x[i] <= 0:
            r[i] = 0.0                # rec = _srcad.mark_written(rec, i)
    return np.sum(r)                  # bx = np.where(~rec, br * (1 / x), 0.0)

Before, the gradient was nan at x[1] (the write's zero cotangent times 1 / 0). A position the
loop overwrites gets no cotangent from `r0`, whatever came before, since the body never reads
`r`: exact at every order. A record that cannot be kept (`r0` not an array, an index NumPy's
write would refuse) is False, masking nothing.
"""

from __future__ import annotations

from srcad.ad.common import RT
from srcad.ad.loopreads import _carry, _plain_loop
from srcad.ad.vjp_util import free_vars
from srcad.ssa.core import Block, Op, Var

UNWRITTEN, MARK = RT + "unwritten", RT + "mark_written"


def written_only(loop: Op, j: int) -> set[Op] | None:
    """The ops of `loop`'s body (nested blocks included) that write its carry `j` (``setitem``)
    or pass it on (ifs, inner loops), when the body does nothing else with it; else None."""
    if loop.prim != "for" or not _plain_loop(loop):
        return None
    body = loop.blocks[0]
    tracked: set[Op] = set()
    got = _scan(body, {body.params[1 + j]}, tracked)
    n = len(loop.results)
    if got is None or [k for k, y in enumerate(body.yields) if y in got] != [j] or j >= n:
        return None
    return tracked


def _scan(b: Block, vers: set, tracked: set) -> set | None:
    """The versions of the written value in `b` (`vers`: those in scope on entry, added to),
    recording the ops that make them in `tracked`; None when an op reads one otherwise."""
    for op in b.ops:
        args = (*op.args, *op.kwargs.values())
        hit = [k for k, a in enumerate(args) if type(a) is Var and a in vers]
        inner = any(v in vers for sub in op.blocks for v in free_vars(sub))
        if not hit and not inner:
            continue
        if op.prim == "setitem" and hit == [0] and len(op.args) == 3 and not inner:
            vers.add(op.result)
        elif op.prim == "if" and not hit and len(op.blocks) == 2:
            outs = [_scan(sub, set(vers), tracked) for sub in op.blocks]
            if None in outs:
                return None
            ks = [
                {k for k, y in enumerate(sub.yields) if y in o} for sub, o in zip(op.blocks, outs)
            ]
            if ks[0] != ks[1] or any(k >= len(op.results) for k in ks[0]):
                return None  # (a branch yielding another array in its place)
            vers.update(op.results[k] for k in ks[0])
        elif op.prim == "for" and _plain_loop(op) and len(hit) == 1 and hit[0] >= 3 and not inner:
            k = hit[0] - 3
            sub = op.blocks[0]
            got = _scan(sub, {sub.params[1 + k]}, tracked)
            if got is None or [i for i, y in enumerate(sub.yields) if y in got] != [k]:
                return None
            vers.add(op.results[k])
        else:
            return None
        tracked.add(op)
    return vers


def record_writes(block: Block, loop: Op, j: int, tracked: set[Op]) -> Var:
    """Rewrites `loop` (an op of `block`) to carry the record of the positions its carry `j`'s
    writes (`tracked`, `written_only`'s) set; -> the loop's final record."""
    init, last = Var("rec"), Var("rec")
    r0 = loop.args[3 + j]
    block.ops.insert(block.ops.index(loop), Op(UNWRITTEN, [r0], results=[init], loc=loop.loc))
    n = len(loop.results)
    body, param = _carry(loop, init)
    body.yields.insert(n, _thread(body, param, tracked))
    loop.results.insert(n, last)
    return last


def _thread(b: Block, cur: Var, tracked: set[Op]) -> Var:
    """Marks each write of `tracked` in `b` on the record `cur` (an if: each branch's record
    yielded; an inner loop: carried); -> the record at the end of `b`."""
    k = 0
    while k < len(b.ops):
        o = b.ops[k]
        if o in tracked and o.prim == "setitem":
            new = Var("rec")
            b.ops.insert(k + 1, Op(MARK, [cur, o.args[1]], results=[new], loc=o.loc))
            cur, k = new, k + 1
        elif o in tracked and o.prim == "if":
            for sub in o.blocks:
                sub.yields.append(_thread(sub, cur, tracked))
            cur = Var("rec")
            o.results.append(cur)
        elif o in tracked:  # an inner loop carrying the written value: and the record
            n = len(o.results)
            body, param = _carry(o, cur)
            body.yields.insert(n, _thread(body, param, tracked))
            cur = Var("rec")
            o.results.insert(n, cur)
        k += 1
    return cur
