"""Reverse mode through a partial read of a value with an infinite local derivative.

Input: a block of primal IR. Output: `partial_reads(block, seq_ops, prims)`, the values made from
a singular op (``np.sqrt``, logs, fractional powers, divisions: `branchmasks`' walk) through
elementwise ops and moves (``r.reshape(2, 3)``, ``r.T``, ``r[1:]``: `MOVES`) that an index or a
selection reads (``r[0]``, ``np.take(r, i)``, ``r.item(0)``, ``np.delete(r, k)``,
``np.split(r, 3)[0]``, ``r.tolist()[1]``); `ad/masks.py` masks such a read's use (one whose own
result is not masked) by the positions it reads (``_srcad.read_mask(r, idx)``; a selection:
``_srcad.read_by(prim, ..)``, the positions its result holds when it selects from an array of
positions), so the positions no read reaches get no contribution from the ops that made the
value::

    r = np.sqrt(x)                    # x = [1, -2, 3]: r[1] is nan, and 0.5 / r[1] too
    return r[0] + r[2]                # r[1]'s cotangent is an exact zero: 0, not 0 * nan

Before, the reverse sweep summed ``br * (0.5 / r)`` with ``br = [1, 0, 1]``: the gradient was
``[0.5, nan, 0.29]`` where the function does not depend on ``x[1]``. A read in a branch is also
masked by the branch's condition (`branchmasks`); one in a loop body by an index the body makes
by the positions the loop read, recorded at run time (`loopreads`).
"""

from __future__ import annotations

from collections.abc import Container
from functools import partial

from srcad.ad.branchmasks import MAKERS, Made, _made, made_values
from srcad.ad.common import RT
from srcad.ad.gathers import GATHERS, HOWS, gather_use, gathers, sources
from srcad.ad.loopreads import SELECTIONS, record_loop_reads
from srcad.ad.maskcarry import Moved
from srcad.rules import default_registry
from srcad.ssa import verify
from srcad.ssa.census import ops_of, ops_with
from srcad.ssa.core import Block, Const, Op, Var
from srcad.ssa.verify import IRVerifyError

# ops that move the positions of their first operand (no kwargs): how `moved_mask` moves back
MOVES = {"numpy.reshape": "shape", "method.reshape": "shape", "numpy.ravel": "shape",
         "method.ravel": "shape", "method.flatten": "shape", "numpy.squeeze": "shape",
         "method.squeeze": "shape", "numpy.expand_dims": "shape", "attr.T": "T",
         "numpy.transpose": "T", "method.transpose": "T", "numpy.swapaxes": "swap",
         "method.swapaxes": "swap", "getitem": "index", "method.copy": "shape",
         "numpy.copy": "shape", RT + "as_sequence": "shape", "numpy.atleast_1d": "shape",
         "numpy.atleast_2d": "shape", "numpy.atleast_3d": "shape", "numpy.moveaxis": "moveaxis",
         "numpy.flip": "flip", "numpy.roll": "roll"}  # fmt: skip
_ORDERED = {"numpy.reshape": 2, "numpy.ravel": 1, "method.ravel": 1, "method.flatten": 1,
            "numpy.atleast_1d": 1, "numpy.atleast_2d": 1, "numpy.atleast_3d": 1}  # fmt: skip
_ARITY = {"T": (1,), "index": (2,), "swap": (3,), "moveaxis": (3,), "flip": (1, 2), "roll": (2, 3)}
# ... the moves whose arguments may be given by keyword (`move_args` puts them in this order)
_KEYWORDS = {"numpy.flip": ("axis",), "numpy.roll": ("shift", "axis"),
             "numpy.moveaxis": ("source", "destination")}  # fmt: skip
# ... and those whose result is a list of such parts, each read as ``parts[k]`` (`_ListRead`;
# ``list(r)``, ``tuple(r)``: its rows, and np.unstack, lowered to a tuple of a moveaxis)
LISTS = {"numpy.split": 0, "numpy.array_split": 0, "numpy.hsplit": 0, "numpy.vsplit": 0,
         "numpy.dsplit": 0, "method.tolist": 0, "builtins.list": 0,
         "builtins.tuple": 0}  # fmt: skip
MASKED_PRIMS = frozenset((*MOVES, *SELECTIONS, *LISTS, *GATHERS))  # (`moved_use` masks through)
READ_BY = RT + "read_by"
_GETITEM = frozenset(("getitem",))  # (the ops `_index` may hold for)
_PARTS = frozenset((*SELECTIONS, *LISTS))  # (the ops `_operand` may give a position of)


def moves(op: Op) -> str | None:
    """How `op` moves its first operand's positions (`MOVES`), ``"select"`` for an op of
    `SELECTIONS` or `LISTS`, None for other ops."""
    if op.prim in SELECTIONS or op.prim in LISTS:
        return "select" if len(op.results) == 1 else None
    if op.prim in GATHERS:  # (concatenate, tile, sort, cumsum, ..: `ad/gathers.py`)
        return gathers(op)
    how = MOVES.get(op.prim)
    if how is None or len(op.results) != 1 or type(op.args[0]) is not Var:
        return None
    n = 1 + len(move_args(op))
    if len(op.args) + len(op.kwargs) != n:
        return None  # (a keyword it does not take, or one given out of order)
    if how in _ARITY and n not in _ARITY[how]:
        return None  # (a transpose with axes: not followed)
    if op.prim in _ORDERED and n != _ORDERED[op.prim]:
        return None  # an order ('F') given by position, several arrays to atleast_2d
    return how


def move_args(op: Op) -> list:
    """The arguments of the move `op` after the array, in order (its keywords too, for
    `_KEYWORDS`: ``np.flip(r, axis=1)`` gives ``[1]``)."""
    rest = list(op.args[1:])
    for name in _KEYWORDS.get(op.prim, ())[len(rest) :]:
        if name not in op.kwargs:
            break
        rest.append(op.kwargs[name])
    return rest


class _ListRead:
    """The list `op` (an op of `LISTS`) makes of a partly read value, read only as ``parts[k]``:
    each read's mask is the positions that part holds, in the value's shape."""

    __slots__ = ("op",)

    def __init__(self, op: Op) -> None:
        self.op = op

    def get(self, _read: Op) -> None:  # (as a value's loop records: none)
        return None


def partial_reads(
    block: Block, seq_ops: Container, prims: set[str], memo: dict | None = None
) -> dict[Var, dict]:
    """The values of `block` (nested blocks included) made from a singular op through
    elementwise ops and moves and read by ``getitem`` or a selection, each with its reads by an
    index a loop body makes (``{getitem op: the loop's record of the positions read}``:
    `loopreads`, which rewrites those loops); and the lists of `LISTS` made of them and read
    only by an index (a `_ListRead`); empty when there is none. `memo`: the walk of
    `branchmasks.made_values`, shared with `branch_values`."""
    if prims.isdisjoint(MAKERS) or prims.isdisjoint(("getitem", *SELECTIONS, *LISTS)):
        return {}
    ops = ops_of(block)
    bases = [op.args[0] for op in ops_with(block, _GETITEM) if _index(op)]
    bases += [op.args[p] for op in ops_with(block, _PARTS) for p in [_operand(op)] if p is not None]
    if not bases:
        return {}
    made = made_values(ops, seq_ops, memo)
    if not prims.isdisjoint(MOVES) or not prims.isdisjoint(GATHERS):  # (`_moved`)
        memo: dict[Var, bool] = {}
        out: dict[Var, dict] = {r: {} for r in bases if _moved_made(r, made, memo)}
    else:
        out = {r: {} for r in bases if r in made}
    if out and ("for" in prims or "while" in prims):
        record_loop_reads(block, out, out)
    if out and not prims.isdisjoint(LISTS):
        out.update(_list_reads(ops, out, block.yields))
    return out


def _index(op: Op) -> bool:
    return op.prim == "getitem" and len(op.args) == 2 and not op.kwargs and type(op.args[0]) is Var


def _operand(op: Op) -> int | None:
    """The position of the operand a selection or list op of `op` reads parts of, else None."""
    p = SELECTIONS.get(op.prim, LISTS.get(op.prim))
    ok = p is not None and len(op.results) == 1 and p < len(op.args)
    return p if ok and type(op.args[p]) is Var else None


def _moved_made(v: Var, made: Made, memo: dict | None = None) -> bool:
    """Is `v` in `made` or the result of moves (`MOVES`: ``r.reshape(2, 3)``, ``r[1:]``, each
    reading its first operand), gathers (`GATHERS`: ``np.concatenate([r, r])``, reading their
    array operands) and elementwise ops of a value in `made`? (`_moved`'s answer for `v`, from
    `v`'s definition back; in verify mode checked against it. `memo`: the answers so far.)"""
    stack, seen, got, memo = [v], set(), False, {} if memo is None else memo
    while stack:
        u = stack.pop()
        if u in made or memo.get(u):
            got = True
            break
        if u in seen or u in memo:
            continue
        seen.add(u)
        op = made.def_of(u)
        if op is None:
            continue
        if MOVES.get(op.prim) and op.args and moves(op):
            stack.append(op.args[0])  # (a Var: `moves`)
        elif gathers(op):
            stack.extend(sources(op, made.def_of))
        elif _elementwise(op, made.seq_ops):  # (``y[:, None] * w`` of a moved value)
            stack.extend(a for a in op.args if type(a) is Var)
    if verify.enabled() and got != (
        v in _moved(made.ops, _made(made.ops, made.seq_ops, made.computed), made.seq_ops)
    ):
        raise IRVerifyError(f"partial reads: {v} is {got} from its definition, not in the walk")
    memo.update(dict.fromkeys((v,) if got else seen, got))  # (none of `seen` reaches one)
    return got


def _moved(ops: list[Op], made: set[Var], seq_ops: Container = ()) -> set[Var]:
    """`made` with the results of moves (`MOVES`: ``r.reshape(2, 3)``, ``r[1:]``), gathers
    (`GATHERS`) and elementwise ops of its values."""
    out, n = set(made), -1
    seqs = {op.results[0]: op for op in ops if op.prim in ("list", "tuple") and op.results}
    while n != len(out):  # (a move in a loop body may come before its operand's op)
        n = len(out)
        for op in ops:
            how = MOVES.get(op.prim)
            if how and op.args and op.args[0] in out and moves(op):
                out.add(op.results[0])
            elif gathers(op) and any(a in out for a in sources(op, seqs.get)):
                out.add(op.results[0])
            elif _elementwise(op, seq_ops) and any(a in out for a in op.args):
                out.add(op.results[0])
    return out


def _elementwise(op: Op, seq_ops: Container) -> bool:
    """Is `op` an elementwise op of one result (`branchmasks._made`'s test)?"""
    ok = len(op.results) == 1 and not op.kwargs and op not in seq_ops
    return ok and default_registry().get(op.prim).elementwise


def _list_reads(ops: list[Op], reads: Container, ys: list) -> dict[Var, _ListRead]:
    """The results of the `LISTS` ops of a value of `reads` used only as ``parts[k]`` (not
    yielded: `ys`, the block's yields, or a nested block's)."""
    users: dict[Var, list[Op]] = {}
    yielded = {y for y in ys if type(y) is Var}
    for op in ops:
        for a in op.operands():
            if type(a) is Var:
                users.setdefault(a, []).append(op)
        for sub in op.blocks:
            yielded.update(y for y in sub.yields if type(y) is Var)
    out: dict[Var, _ListRead] = {}
    for op in ops:
        p = LISTS.get(op.prim) if len(op.results) == 1 else None
        if p is None or p >= len(op.args) or op.args[p] not in reads:
            continue
        y = op.results[0]
        us = users.get(y, ())
        if us and y not in yielded and all(_part(u, y) for u in us):
            out[y] = _ListRead(op)
    return out


def _part(op: Op, parts: Var) -> bool:
    """Is `op` a read ``parts[k]`` of the list `parts`, or a use with no cotangent (``len``,
    the length check of ``a, b, c = parts``)?"""
    if op.prim in _CHECKS and op.args[0] is parts:
        return all(a is not parts for a in op.args[1:])
    return _index(op) and op.args[0] is parts and op.args[1] is not parts


_CHECKS = frozenset(("len", RT + "unpack_check"))


def _def_in(block: Block, v: object) -> Op | None:
    """The op of `block` (not of a nested block) making `v`."""
    return next((op for op in block.ops if v in op.results), None)


def _read_by(op: Op, p: int, *item: object) -> tuple:
    """The condition ``_srcad.read_by(prim, p, names, *args, *kwargs, *item)`` of `op`."""
    names = Const(tuple(op.kwargs))
    return (READ_BY, Const(op.prim), Const(p), names, *op.args, *op.kwargs.values(), *item)


def moved_use(op: Op, how: str, my: tuple, reads: dict, seqs: tuple) -> dict[int, tuple]:
    """{k: the mask of the use of `op`'s operand k} for ``y = move(u, *args)`` (`op`, `how`:
    `moves`): `y`'s mask `my` moved back to `u`'s positions; for ``u[idx]`` with `y` unmasked
    and `u` one of `reads`, the positions `idx` reads (``_srcad.read_mask(u, idx)``); for a
    selection of a value of `reads`, the positions it holds, whatever `my`; for a gather
    (`ad/gathers.py`), `my` moved back to each array operand, or to the items of a list
    operand made in the block ``seqs[1]`` (set in ``seqs[0]``, `masks._block`'s `chosen`);
    else {} (the operands keep their plain uses)."""
    u = op.args[0]
    if how in HOWS:
        got = gather_use(op, how, my, partial(_def_in, seqs[1])) if my else {}
        for a, mu in got.items():
            if type(a) is Op:  # (a list operand: its items' masks)
                seqs[0][a.result] = mu
        return {k: mu for k, mu in got.items() if type(k) is int}
    if how == "select":
        p = _operand(op)
        if p is None or op.args[p] not in reads:
            return {}
        if op.prim in LISTS:  # (the masks of its reads `parts[k]`, in u's positions)
            return {p: my} if my and type(reads.get(op.result)) is _ListRead else {}
        seen = reads[op.args[p]].get(op)  # (a selection in a loop: the positions the loop read)
        return {p: (((seen if seen is not None else _read_by(op, p), True),),)}
    if how == "index" and type(reads.get(u)) is _ListRead:
        return {0: (((_read_by(reads[u].op, LISTS[reads[u].op.prim], op.args[1]), True),),)}
    if my:
        return {0: (((Moved(how, u, op.result, my, move_args(op)), True),),)}
    if how == "index" and u in reads:
        seen = reads[u].get(op)  # (a read in a loop: the positions the loop read)
        return {0: (((seen if seen is not None else (RT + "read_mask", u, op.args[1]), True),),)}
    return {}
