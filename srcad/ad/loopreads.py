"""Reverse mode through a read of a singular value by an index a loop body makes: a run-time
record of the positions the loop read.

Input: a block of primal IR and the values `partreads.partial_reads` finds (made from a singular
op through elementwise ops, read by ``getitem``). Output: `record_loop_reads(block, made, out)`
rewrites each ``for`` loop whose body reads ``r[i]`` (`r` made before the loop, `i` in the body)
to carry a boolean array of `r`'s shape, ``_srcad.unread(r)`` before the loop and
``_srcad.mark_read(seen, i)`` after each read (in place: the array is the loop's own), and fills
`out[r]` with ``{read: the loop's final record}``; `partreads.moved_use` masks `r`'s
contributions by it, as it masks a read by an index made before the read::

    r = np.sqrt(x)                    # x = [.5, 1, -2]: r[2] is nan, and 0.5 / r[2] too
    s = 0.0
    for i in range(2):                # seen = _srcad.unread(r), carried
        s = s + r[i]                  # seen = _srcad.mark_read(seen, i)
    return s                          # bx = np.where(seen, br * (0.5 / r), 0.0)

Before, the gradient was ``[0.71, 0.5, nan]`` where the function does not depend on ``x[2]``
(``br[2] = 0`` times 0.5 / r[2]). A read in a branch of the body or an inner range loop is
recorded there (the ``if`` yields the record, the inner loop carries it). A ``while`` loop's body
is recorded alike (its condition block gets the record as a parameter it does not read):
``i = 0; while i < 2: s = s + r[i]; i += 1`` gave nan for ``x[2] < 0`` too.
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.common import RT
from srcad.ssa.core import Block, Op, Var, walk_ops


def record_loop_reads(block: Block, made: Container, out: dict) -> None:
    """Rewrites the loops of `block` (nested blocks included) reading values of `made` by an
    index their body makes; `out`: ``{r: {getitem op: the record after the loop}}``, filled.
    An outer loop first: its record is carried through the inner loops reading the same value."""
    for op in list(block.ops):
        if _plain_loop(op):
            _record(block, op, made, out)
        for sub in op.blocks:
            record_loop_reads(sub, made, out)


def _plain_loop(op: Op) -> bool:
    """A range loop ``for i in range(a, b, c) carry(...)`` (one body) or a ``while c carry(...)``
    (a condition block yielding its flag, taking the carries as the body does), the body
    yielding its carries (and its break flag last)."""
    if op.kwargs or op.prim not in ("for", "while") or len(op.blocks) != _BLOCKS[op.prim]:
        return False
    body, n, lead = op.blocks[-1], len(op.results), 3 if op.prim == "for" else 0
    flag = 1 if op.params.get("has_break") else 0
    if op.prim == "while" and (len(op.blocks[0].params) != n or len(op.blocks[0].yields) != 1):
        return False
    return (
        len(op.args) == lead + n
        and len(body.params) == (lead > 0) + n
        and len(body.yields) == n + flag
    )


_BLOCKS = {"for": 1, "while": 2}


def _carry(loop: Op, init: Var) -> tuple[Block, Var]:
    """Adds the carry `init` to `loop` (a `_plain_loop`) after its carries: -> (its body,
    the body's parameter for it); the body's yield and the loop's result are the caller's."""
    loop.args.append(init)
    for b in loop.blocks[:-1]:  # (a while's condition block: takes the record, reads nothing)
        b.params.append(Var("seen"))
    body = loop.blocks[-1]
    body.params.append(Var("seen"))
    return body, body.params[-1]


def _record(block: Block, loop: Op, made: Container, out: dict) -> None:
    body = loop.blocks[-1]
    local = set(body.params)
    for o in walk_ops(body):
        local.update(o.results)
        for sub in o.blocks:  # (an inner loop's index)
            local.update(sub.params)
    reads: dict[Var, list[Op]] = {}  # (in the body's order)
    _reads(body, made, local, reads, out)
    n = len(loop.results)
    for r, gets in reads.items():
        init, last = Var("seen"), Var("seen")
        block.ops.insert(
            block.ops.index(loop), Op(RT + "unread", [r], results=[init], loc=loop.loc)
        )
        _, param = _carry(loop, init)
        body.yields.insert(n, _thread(body, param, set(gets)))
        loop.results.insert(n, last)
        n += 1
        out.setdefault(r, {}).update((g, last) for g in gets)


def _reads(b: Block, made: Container, local: Container, reads: dict, out: dict) -> None:
    """The reads ``r[i]`` in `b`, the branches of its ifs and the bodies of its plain loops, not
    recorded by an outer loop (`out`)."""
    for o in b.ops:
        if o.prim == "if" or _plain_loop(o):
            for sub in o.blocks[-1:] if o.prim == "while" else o.blocks:
                _reads(sub, made, local, reads, out)
        if o.prim != "getitem" or len(o.args) != 2 or o.kwargs or len(o.results) != 1:
            continue
        r, idx = o.args
        if type(r) is Var and r in made and r not in local and type(idx) is Var and idx in local:
            if o not in out.get(r, ()):
                reads.setdefault(r, []).append(o)


def _thread(b: Block, cur: Var, gets: set[Op]) -> Var:
    """Marks each read of `gets` in `b` (and its ifs' branches: a new result of the if) on the
    record `cur`; -> the record at the end of `b`."""
    k = 0
    while k < len(b.ops):
        o = b.ops[k]
        if o in gets:
            new = Var("seen")
            b.ops.insert(k + 1, Op(RT + "mark_read", [cur, o.args[1]], results=[new], loc=o.loc))
            cur, k = new, k + 1
        elif o.blocks and any(g in gets for sub in o.blocks for g in walk_ops(sub)):
            if o.prim == "if":
                for sub in o.blocks:
                    sub.yields.append(_thread(sub, cur, gets))
            else:  # an inner plain loop (`_reads`): carried through it too
                n = len(o.results)
                body, param = _carry(o, cur)
                body.yields.insert(n, _thread(body, param, gets))
            cur = Var("seen")
            o.results.insert(len(o.results), cur)
        k += 1
    return cur
