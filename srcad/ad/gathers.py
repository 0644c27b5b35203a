"""Reverse-mode masks through ops that copy, reorder or accumulate entries (`ad/partreads.py`).

Input: an op of `GATHERS` (``np.concatenate([y, y])``, ``np.stack``, ``np.tile(y, 2)``,
``np.repeat``, ``np.broadcast_to``, ``np.pad``, ``np.insert``, ``np.append``, ``np.rot90``,
``np.sort``, ``np.partition``, ``np.cumsum``, ``np.cumprod``, ``a @ b``, ``np.einsum``,
``np.tensordot``, ``np.inner``, ``np.outer``, ``np.diff``; the reductions ``np.sum``, ``np.mean``,
whose result's entry sums a slice: `Y2` with a NaN row, ``v = np.sum(Y2[k] * w)`` read only
where ``not np.isnan(v)``) whose result's uses are masked (a
partial read ``c[:2]``: `partreads.partial_reads` follows these ops back to a singular op's
value). Output:
`gather_use`, the masks of the op's array operands: where its result's mask keeps a position,
moved back to the positions of each operand that reach it (``_srcad.gather_mask``,
`rules/gathermasks.py`), so an entry no read reaches gets no ``0 * nan`` from the op that made
it::

    y = np.sqrt(x)                    # x = [1, 4, -1]: y[2] is nan, and 0.5 / y[2] too
    return np.sum(np.tile(y, 2)[:2])  # y[2]'s cotangent is an exact zero: 0, not 0 * nan

A list operand (``np.concatenate([a, b])``) masks each item of the ``list``/``tuple`` op that
made it (`masks._block`'s `chosen`); one made elsewhere masks nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from srcad.ad.common import RT
from srcad.ad.maskcarry import Moved
from srcad.rules.gathermasks import ARRAYS
from srcad.ssa.core import Const, Op, Var

GATHERS = {**dict.fromkeys(ARRAYS, "gather"), "numpy.sort": "sort", "numpy.partition": "sort",
           "numpy.cumsum": "prefix", "method.cumsum": "prefix", "numpy.cumprod": "prefix",
           "method.cumprod": "prefix", "matmul": "matmul", "numpy.matmul": "matmul",
           "numpy.dot": "matmul", "numpy.diff": "diff", "numpy.einsum": "einsum",
           "numpy.tensordot": "contract", "numpy.inner": "contract", "numpy.outer": "outer",
           "numpy.sum": "reduce", "method.sum": "reduce", "numpy.mean": "reduce",
           "method.mean": "reduce"}  # fmt: skip
HOWS = frozenset(GATHERS.values())
MASK = RT + "gather_mask"
_SEQS = frozenset(("list", "tuple"))


def gathers(op: Op) -> str | None:
    """How `op` moves entries (`GATHERS`), None for another op or form."""
    how = GATHERS.get(op.prim)
    first = op.args[0] if op.args else None
    ok = how is not None and len(op.results) == 1 and (type(first) is Var or how == "einsum")
    return how if ok else None


def _arrays(op: Op) -> tuple[int, ...]:
    how = GATHERS.get(op.prim)
    if how == "einsum":  # (the operands after the subscripts)
        return tuple(range(1, len(op.args)))
    return ARRAYS.get(op.prim, (0, 1) if how in ("matmul", "contract", "outer") else (0,))


def _seq(v: object, def_of: Callable) -> Op | None:
    """The ``list``/``tuple`` op making `v`, None for another value."""
    d = def_of(v) if type(v) is Var else None
    ok = d is not None and d.prim in _SEQS and not d.kwargs and len(d.results) == 1
    return d if ok else None


def sources(op: Op, def_of: Callable) -> list[Var]:
    """The values whose entries the gather `op`'s result holds: its array operands, the items
    of a list operand made by a ``list``/``tuple`` op."""
    out: list[Var] = []
    for k in _arrays(op):
        a = op.args[k] if k < len(op.args) else None
        seq = _seq(a, def_of)
        out.extend(v for v in (seq.args if seq is not None else (a,)) if type(v) is Var)
    return out


def gather_use(op: Op, how: str, my: tuple, def_of: Callable) -> dict[object, object]:
    """The masks of the uses of the gather `op`'s array operands (`my`: its result's mask;
    non-empty): ``{position: masks}`` for a direct operand, ``{list op: [masks per item]}`` for
    a list operand made here (`def_of`). Operands it leaves out keep their plain uses."""
    names = Const(tuple(op.kwargs))
    rest = (Const(op.prim),)
    tail = (names, *op.args, *op.kwargs.values())
    out: dict[object, object] = {}

    def mask(u: object, slot: tuple) -> tuple:
        args = [*rest, Const(slot), *tail]
        return (((Moved(how, u, op.result, my, args), True),),)

    for k in _arrays(op):
        a = op.args[k] if k < len(op.args) else None
        if type(a) is not Var:
            continue
        seq = _seq(a, def_of)
        if seq is not None:
            out[seq] = [mask(v, (k, j)) for j, v in enumerate(seq.args)]
        else:  # (``np.append(y, y)``: each its own positions, the other's -1)
            out[k] = mask(a, (k, -1))
    return out
