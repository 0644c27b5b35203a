"""Random permutations of arrays by a NumPy generator the function makes: ``rng.permutation(x)``,
``rng.choice(x, ...)`` and the statement ``rng.shuffle(x)`` of a local array, as a fixed gather
whose rows are drawn from the generator (`srcad.rules.permutations`).

Input: the lowerer and the call (`permutation`: its lowered receiver and arguments, from
lower/draws_np.method; `shuffle`: the expression statement, from lower/exprstmt.py). Output::

    y = rng.permutation(x)   ->  p = _srcad.perm_index(rng, x); y = _srcad.perm_take(x, p)
    y = rng.choice(x, n)     ->  i = _srcad.choice_index(rng, x, n, ...); y = _srcad.choice_take(x, i, 0)
    rng.shuffle(x)           ->  (x no list, checked when it runs) the same, bound to `x`, the
                                 old array marked as updated in place (`listedits._mark_updated`)

or None/False (left as it was: refused when differentiated), for a generator passed in, a
keyword (``axis=``), or a shuffled operand that is not a local name. NumPy draws the same
numbers for an array as for ``arange(len(x))`` (``choice``: as for ``len(x)``, also with
``p``, ``replace`` and ``axis``), so the values are NumPy's, bit for bit.
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


def _choice_args(a, size=None, replace=True, p=None, axis=None, shuffle=None):  # Python binds them
    return a, size, replace, p, axis, shuffle


def choice(lc: Any, rng: Operand, args: list, kwargs: dict) -> Operand | None:
    """``rng.choice(a, size, replace, p, axis, shuffle)``: the rows of `a` (along `axis`) that
    the generator draws for ``rng.choice(len(a), ...)``; None for a constant `a` (the call as
    written), arguments that do not bind (Python's error) or a generator passed in."""
    try:
        a, size, replace, p, axis, shuf = _choice_args(*args, **kwargs)
    except TypeError:
        return None
    if isinstance(a, Const) or not made_here(lc, rng):
        return None
    opts = [size, replace, p, axis, shuf]
    idx = lc.op(RT + "choice_index", [rng, a, *(Const(None) if v is None else v for v in opts)])
    return lc.op(RT + "choice_take", [a, idx, Const(0) if axis is None else axis])


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
    _mark_updated(lw, old, "shuffle", new)
    lw.assign_to(target, new)
    return True
