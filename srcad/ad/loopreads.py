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
``i = 0; while i < 2: s = s + r[i]; i += 1`` gave nan for ``x[2] < 0`` too. A read whose value
the body uses only in branches of its ifs (and comparisons) is marked in those branches
(``for v in r: if v != v: break; s = s + v``: not where it breaks), and a selection by an index
the body makes (``np.take(r, i)``, ``r.item(i)``: `SELECTIONS`) by ``_srcad.mark_read_by``.
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.boolmasks import _CMPS
from srcad.ad.common import RT
from srcad.ssa.core import Block, Const, Op, Var, walk_ops

# ops whose result holds some positions of one operand (its position): ``_srcad.read_by``
# runs them on an array of positions (`rules/condmasks.py`; `partreads`)
SELECTIONS = {"numpy.take": 0, "method.take": 0, "numpy.take_along_axis": 0, "method.item": 0,
              "numpy.compress": 1, "method.compress": 0, "numpy.diagonal": 0,
              "method.diagonal": 0, "numpy.trace": 0, "method.trace": 0, "numpy.diag": 0,
              "numpy.tril": 0, "numpy.triu": 0}  # fmt: skip


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
        r = _read_of(o)
        if r is None or r not in made or r in local or o in out.get(r, ()):
            continue
        if any(type(a) is Var and a in local for a in (*o.args, *o.kwargs.values()) if a is not r):
            reads.setdefault(r, []).append(o)  # (an index the body makes)


def _read_of(o: Op) -> Var | None:
    """The value ``r`` `o` reads some positions of: ``r[i]``, ``np.take(r, i)`` (`SELECTIONS`)."""
    if len(o.results) != 1:
        return None
    if o.prim == "getitem" and len(o.args) == 2 and not o.kwargs:
        return o.args[0] if type(o.args[0]) is Var else None
    p = SELECTIONS.get(o.prim)
    r = o.args[p] if p is not None and p < len(o.args) else None
    return r if type(r) is Var else None


def _mark(cur: Var, o: Op) -> Op:
    """The op marking on the record `cur` the positions the read `o` reads."""
    new = Var("seen")
    if o.prim == "getitem":
        return Op(RT + "mark_read", [cur, o.args[1]], results=[new], loc=o.loc)
    head = [cur, Const(o.prim), Const(SELECTIONS[o.prim]), Const(tuple(o.kwargs))]
    return Op(RT + "mark_read_by", [*head, *o.args, *o.kwargs.values()], results=[new], loc=o.loc)


def _thread(b: Block, cur: Var, gets: set[Op], pending: tuple = ()) -> Var:
    """Marks each read of `gets` in `b` (and its ifs' branches: a new result of the if) on the
    record `cur`; -> the record at the end of `b`. A read whose value `b` uses only in the
    branches of its ifs (``v = r[i]; if v != v: break; s = s + v`` in the other branch) is marked
    in the branches that use it (`pending`: those reads, ``(value, index)``, for a branch), so a
    position read only for a comparison, or used only in a branch not taken, stays unread."""
    head = 0  # (the marks go first in `b`, in the reads' order: each marks the record before)
    for g in pending:  # (a read before the branch `b`, whose value it uses)
        if _used(b.ops, b.yields, g.result):
            b.ops.insert(head, _mark(cur, g))
            cur, head = b.ops[head].result, head + 1
    later: list[Op] = []  # reads of `b` used only in its ifs' branches
    k = 0
    while k < len(b.ops):
        o = b.ops[k]
        if o in gets and not _direct(b, k, o.result):
            later.append(o)
        elif o in gets:
            b.ops.insert(k + 1, _mark(cur, o))
            cur, k = b.ops[k + 1].result, k + 1
        elif o.blocks and (
            any(g in gets for sub in o.blocks for g in walk_ops(sub))
            or any(_used(sub.ops, sub.yields, g.result) for sub in o.blocks for g in later)
        ):
            if o.prim == "if":
                for sub in o.blocks:
                    sub.yields.append(_thread(sub, cur, gets, tuple(later)))
            else:  # an inner plain loop (`_reads`): carried through it too
                n = len(o.results)
                body, param = _carry(o, cur)
                body.yields.insert(n, _thread(body, param, gets))
            cur = Var("seen")
            o.results.insert(len(o.results), cur)
        k += 1
    return cur


def _direct(b: Block, k: int, v: Var) -> bool:
    """Is `v` (the result of `b.ops[k]`) used by an op of `b` after it other than an ``if``
    (nested blocks of other ops included), or yielded by `b`, other than by a comparison?"""
    if v in b.yields:
        return True
    for o in b.ops[k + 1 :]:
        if o.prim == "if":
            if v in o.args:
                return True
            continue
        if _used([o], (), v):
            return True
    return False


def _used(ops: list[Op], yields: list, v: Var) -> bool:
    """Is `v` read by one of `ops` (nested blocks included) other than by a comparison, or
    among `yields` (a cotangent may reach it there)?"""
    if v in yields:
        return True
    for o in ops:
        if o.prim not in _CMPS and v in o.operands():
            return True
        if any(_used(sub.ops, sub.yields, v) for sub in o.blocks):
            return True
    return False
