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

The one read allowed is a write-back of the entry itself: ``r[i] = r[i]`` (`_written_back`, in a
branch: ``if x[i] < 0: r[i] = 0.0 else: r[i] = r[i]``), and ``r[i, j] = 0.0 if x[i, j] <= 0
else r[i, j]`` (`_self_copy`: an ``if`` one of whose branches yields ``r[idx]`` and the other
what does not read `r`, written at once to ``r[idx]`` and read nowhere else), where only the
branch not reading `r` marks `idx` (the record threaded through the ``if``). A write-back moves
no entry, so a marked position still holds nothing of `r0` after the loop.
"""

from __future__ import annotations

from srcad.ad.common import RT
from srcad.ad.loopreads import _carry, _plain_loop
from srcad.ad.vjp_util import free_vars
from srcad.ssa.core import Block, Op, Operand, Var

UNWRITTEN, MARK = RT + "unwritten", RT + "mark_written"
_COPY = RT + "copy_source"  # (``r[i] = v``'s copy of a view of `r`: lower/copywrites.py)
_KEPT = "kept"  # (`tracked`'s value of a write-back: no mark)


def written_only(loop: Op, j: int) -> dict[Op, object] | None:
    """The ops of `loop`'s body (nested blocks included) that write its carry `j` (``setitem``)
    or pass it on (ifs, inner loops), when the body does nothing else with it (but `_self_copy`
    write-backs); else None. Each op maps to None, a write-back's setitem to `_KEPT`, its ``if``
    to ``(idx, the branches not reading the carry)``."""
    if loop.prim != "for" or not _plain_loop(loop):
        return None
    body = loop.blocks[0]
    tracked: dict[Op, object] = {}
    got = _scan(body, {body.params[1 + j]}, tracked)
    n = len(loop.results)
    if got is None or [k for k, y in enumerate(body.yields) if y in got] != [j] or j >= n:
        return None
    return tracked


def _scan(b: Block, vers: set, tracked: dict) -> set | None:
    """The versions of the written value in `b` (`vers`: those in scope on entry, added to),
    recording the ops that make them in `tracked`; None when an op reads one otherwise."""
    skip = 0
    for n, op in enumerate(b.ops):
        if skip:  # (a write-back's copy and setitem, taken with its ``if``)
            skip -= 1
            continue
        args = (*op.args, *op.kwargs.values())
        hit = [k for k, a in enumerate(args) if type(a) is Var and a in vers]
        inner = any(v in vers for sub in op.blocks for v in free_vars(sub))
        if not hit and not inner:
            continue
        if op.prim == "setitem" and hit == [0] and len(op.args) == 3 and not inner:
            vers.add(op.result)
        elif op.prim == "getitem" and hit == [0] and (w := _written_back(b, n)) is not None:
            tracked[w[0]], skip = _KEPT, w[1]  # (``r[i] = r[i]``: no mark)
            vers.add(w[0].result)
            continue
        elif op.prim == "if" and not hit and (got := _self_copy(b, n, vers)) is not None:
            tracked[op], (w, skip) = got[0], got[1:]
            tracked[w] = _KEPT
            vers.add(w.result)
            continue
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
        tracked[op] = None
    return vers


def _self_copy(b: Block, n: int, vers: set) -> tuple | None:
    """For the ``if`` ``b.ops[n]``: ``((idx, branches), setitem, ops to skip)`` when it is a
    write-back's choice (``sel = if c {yield 0.0} else {yield r[idx]}``, then ``r' =
    setitem(r, idx, sel)``, through a `_COPY` of `sel` or not), `branches` the positions of the
    branches not reading `r`; else None."""
    op, branches, read = b.ops[n], [], None
    if len(op.blocks) != 2 or len(op.results) != 1:
        return None
    for k, sub in enumerate(op.blocks):
        uses = [o for o in sub.ops if any(type(a) is Var and a in vers for a in o.args)]
        if not uses and not any(v in vers for v in free_vars(sub)):
            branches.append(k)
            continue
        g = uses[0] if len(uses) == 1 else None
        if g is None or g.prim != "getitem" or len(g.args) != 2 or g.kwargs or g.blocks:
            return None
        if sub.yields != [g.result] or any(g.result in o.args for o in sub.ops):
            return None  # (the entry read is the branch's value, read nowhere else)
        if any(v in vers for o in sub.ops if o is not g for v in _reads(o)):
            return None
        read = (read or []) + [(g.args[0], g.args[1])]
    if read is None or not branches or len({r for r, _ in read}) != 1:
        return None
    r, idx = read[0]
    if any(i != idx for _, i in read):
        return None
    got = _write_of(b, n, r, idx)
    return None if got is None else ((idx, tuple(branches)), *got)


def _written_back(b: Block, n: int) -> tuple | None:
    """For ``b.ops[n]`` = ``getitem(r, idx)``: ``(setitem, ops to skip)`` when the entry is
    written straight back (``r[idx] = r[idx]``) and read nowhere else; else None."""
    g = b.ops[n]
    if len(g.args) != 2 or g.kwargs or len(g.results) != 1:
        return None
    return _write_of(b, n, g.args[0], g.args[1])


def _write_of(b: Block, n: int, r: Var, idx: Operand) -> tuple | None:
    """``(setitem, ops to skip)`` when ``b.ops[n]``'s one result is written at once to
    ``r[idx]`` (through a `_COPY` of it or not) and read nowhere else; else None."""
    rest, sel = b.ops[n + 1 : n + 3], b.ops[n].results[0]
    if rest and rest[0].prim == _COPY and rest[0].args[:3] == [r, idx, sel]:
        w, sel, used = (rest[1] if len(rest) > 1 else None), rest[0].result, 2
    else:
        w, used = rest[0] if rest else None, 1
    if w is None or w.prim != "setitem" or w.args != [r, idx, sel] or w.kwargs:
        return None
    if _read_after(b, n + 1 + used, {b.ops[n].results[0], sel}):
        return None
    return w, used


def _reads(o: Op) -> list:
    """What `o` reads: its operands and its blocks' free values."""
    return [*o.args, *o.kwargs.values(), *(v for sub in o.blocks for v in free_vars(sub))]


def _read_after(b: Block, start: int, vals: set) -> bool:
    """Whether an op of `b` from `start` on (or its yields) reads one of `vals`."""
    if any(y in vals for y in b.yields):
        return True
    return any(type(a) is Var and a in vals for o in b.ops[start:] for a in _reads(o))


def record_writes(block: Block, loop: Op, j: int, tracked: dict) -> Var:
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


def _thread(b: Block, cur: Var, tracked: dict) -> Var:
    """Marks each write of `tracked` in `b` on the record `cur` (an if: each branch's record
    yielded, a write-back's marked in the branches not reading; an inner loop: carried); -> the
    record at the end of `b`."""
    k = 0
    while k < len(b.ops):
        o = b.ops[k]
        if o not in tracked or tracked[o] is _KEPT:
            pass
        elif o.prim == "setitem":
            new = Var("rec")
            b.ops.insert(k + 1, Op(MARK, [cur, o.args[1]], results=[new], loc=o.loc))
            cur, k = new, k + 1
        elif o.prim == "if" and tracked[o] is not None:
            idx, branches = tracked[o]
            for i, sub in enumerate(o.blocks):
                sub.yields.append(_mark(sub, cur, idx, o.loc) if i in branches else cur)
            cur = Var("rec")
            o.results.append(cur)
        elif o.prim == "if":
            for sub in o.blocks:
                sub.yields.append(_thread(sub, cur, tracked))
            cur = Var("rec")
            o.results.append(cur)
        else:  # an inner loop carrying the written value: and the record
            n = len(o.results)
            body, param = _carry(o, cur)
            body.yields.insert(n, _thread(body, param, tracked))
            cur = Var("rec")
            o.results.insert(n, cur)
        k += 1
    return cur


def _mark(b: Block, cur: Var, idx: Operand, loc: object) -> Var:
    """``_srcad.mark_written(cur, idx)`` appended to `b`; -> the new record."""
    new = Var("rec")
    b.ops.append(Op(MARK, [cur, idx], results=[new], loc=loc))
    return new
