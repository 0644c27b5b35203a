"""Random permutations of arrays by a NumPy generator the function makes: ``rng.permutation(x)``
and the statement ``rng.shuffle(x)`` of a local array, as a fixed gather whose rows are drawn
from the generator (`srcad.rules.permutations`).

Input: the lowerer and the call (`permutation`: its lowered receiver and arguments, from
lower/draws_np.method; `shuffle`: the expression statement, from lower/exprstmt.py). Output::

    y = rng.permutation(x)   ->  p = _srcad.perm_index(rng, x); y = _srcad.perm_take(x, p)
    rng.shuffle(x)           ->  (x no list, checked when it runs) the same, bound to `x`, the
                                 old array marked as updated in place (`listedits._mark_updated`)

or None/False (left as it was: refused when differentiated), for a generator passed in, a
keyword (``axis=``), or a shuffled operand that is not a local name. NumPy draws the same
numbers for an array as for ``arange(len(x))``, so the values are NumPy's, bit for bit.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import values as vals
from srcad.lower.listedits import _mark_updated
from srcad.ssa.core import Const, Operand, Var

RT = "srcad.runtime."
MAKERS = frozenset({"numpy.random.default_rng", "numpy.random.Generator",
                    "numpy.random.RandomState"})  # fmt: skip
_LIST = (
    "rng.shuffle(x) of a list: srcad lowers the shuffle as an array's (hint: shuffle an array, "
    "or take xs = [xs[i] for i in rng.permutation(len(xs))])"
)


def made_here(lc: Any, recv: Operand) -> bool:
    """`recv` is a generator the function made (``rng = np.random.default_rng(seed)``)."""
    if not isinstance(recv, Var) or recv in lc.b.block.params or recv in lc.entry_vars:
        return False
    op = vals.defining_op(recv, lc.b.block.ops, lc.outer_ops)
    return op is not None and op.prim in MAKERS


def permutation(lc: Any, rng: Operand, args: list, kwargs: dict) -> Operand | None:
    """``rng.permutation(x)``: the rows of `x` in the order the generator draws."""
    if len(args) != 1 or kwargs or not made_here(lc, rng):
        return None
    p = lc.op(RT + "perm_index", [rng, args[0]], hint="perm")
    return lc.op(RT + "perm_take", [args[0], p])


def shuffle(lw: Any, call: gast.Call) -> bool:
    """The statement ``rng.shuffle(x)`` of a local `x` (above); False when not one."""
    target = call.args[0] if len(call.args) == 1 else None
    if call.keywords or not isinstance(target, gast.Name) or target.id not in lw.py_locals:
        return False
    rng = lw.value(call.func.value)
    if not made_here(lw, rng):
        return False
    lw.at(call)
    old = lw.value(target)
    no_list = lw.op("not", [lw.op("isinstance", [old, Const(list)])])
    lw.op(RT + "require", [no_list, Const(_LIST)])
    p = lw.op(RT + "perm_index", [rng, old], hint="perm")
    new = lw.op(RT + "perm_take", [old, p])
    _mark_updated(lw, old, "shuffle")
    lw.assign_to(target, new)
    return True
