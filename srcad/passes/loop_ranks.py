"""The rank of a value whose shape `passes/shape_infer.py` does not know, for
`passes/shapes_matmul.py`: an LSTM's carried state ``h = o * np.tanh(c)``, its gates slices of
``z`` of widths shape inference cannot compare, is 2-D all the same.

Input: a value and `passes/shapes.py`'s `_Ctx`. Output: its number of axes, or None when this
cannot tell. A value of a known shape has its length; a number constant 0; elementwise
arithmetic, ufuncs and ``np.where`` the largest of their operands' (NumPy broadcasting); ``z[:, a:b]`` (slices
only, no more than the axes) its operand's; the product of two matrices 2; ``np.zeros((m, n))``
(`ones`) its tuple's length; a ``for`` loop's carry its initial value's when each iteration
yields a value of that rank given the carry has it (induction over the iterations); an item of a
loop's tape the rank every value appended there has (`passes/given_loops.py`).
"""

from __future__ import annotations

from typing import Any

from srcad.passes.given_loops import carry_sources, taped_items
from srcad.passes.shape_rules import ufunc_nin
from srcad.ssa.census import result_defs
from srcad.ssa.core import Const, Op, Var, walk_ops

_ARITH = frozenset(("add", "sub", "mul", "truediv", "neg", "pos", "numpy.where"))
_FILLS = frozenset(("numpy.zeros", "numpy.ones"))
_BUDGET = 400


def rank(x: Any, c: Any) -> int | None:
    """The number of axes of `x` (module docstring)."""
    c.rank_budget, c.rank_memo, c.rank_assumed = _BUDGET, {}, {}
    return _rank(x, c)


def _rank(x: Any, c: Any) -> int | None:
    if type(x) is Const:
        return 0 if type(x.value) in (int, float) else None
    if type(x) is not Var:
        return None
    s = c.sh.shape(x)
    if type(s) is tuple:
        return len(s)
    if x in c.rank_assumed:
        return c.rank_assumed[x]
    memo = c.rank_memo
    if x in memo:
        return memo[x]
    c.rank_budget -= 1
    r = memo[x] = _rank_op(x, c) if c.rank_budget > 0 else None
    return r


def _rank_op(x: Var, c: Any) -> int | None:
    made = _made(c)
    d = made.get(x)
    if d is None:
        return _carried(x, c)
    if d.blocks or len(d.results) != 1:
        return None
    p = d.prim
    if p == "getitem":
        items = taped_items(d, c, made)
        if items is not None:
            return _same([_rank(a, c) for a in items])
        return _sliced(d, c, made)
    if d.kwargs:
        return None
    if p == "numpy.where" and len(d.args) != 3:  # (``np.where(c)``: a tuple of indices)
        return None
    if p in _ARITH or ufunc_nin(p) == len(d.args) > 0:
        rs = [_rank(a, c) for a in d.args]
        return None if None in rs else max(rs)
    if p == "matmul" and len(d.args) == 2:
        return 2 if _rank(d.args[0], c) == 2 and _rank(d.args[1], c) == 2 else None
    if p in _FILLS and len(d.args) == 1 and type(d.args[0]) is Var:
        t = made.get(d.args[0])
        return len(t.args) if t is not None and t.prim == "tuple" and not t.kwargs else None
    return None


def _sliced(d: Op, c: Any, made: dict) -> int | None:
    """``z[idx]`` of slices only (a slice, or a tuple of at most rank-of-z slices)."""
    if len(d.args) != 2 or d.kwargs:
        return None
    z, idx = d.args
    rz = _rank(z, c)
    if not rz:
        return None
    parts = [idx]
    t = made.get(idx) if type(idx) is Var else None
    if t is not None and t.prim == "tuple" and not t.kwargs:
        parts = list(t.args)
    elif type(idx) is Const and type(idx.value) is tuple:
        parts = [Const(v) for v in idx.value]
    if len(parts) > rz or not all(_is_slice(a, made) for a in parts):
        return None
    return rz


def _is_slice(a: Any, made: dict) -> bool:
    if type(a) is Const:
        return type(a.value) is slice
    d = made.get(a) if type(a) is Var else None
    return d is not None and d.prim == "slice" and not d.kwargs


def _carried(x: Var, c: Any) -> int | None:
    """A ``for`` carry: its initial value's rank, when what each iteration yields has it too
    given that the carry does."""
    src = carry_sources(x, c)
    if src is None:
        return None
    r = _rank(src[0], c)
    if r is None:
        return None
    c.rank_assumed[x] = r
    before = set(c.rank_memo)
    try:
        ok = _rank(src[1], c) == r
    finally:
        del c.rank_assumed[x]
    if not ok:  # (what was found assuming it no longer holds)
        for k in [k for k in c.rank_memo if k not in before]:
            del c.rank_memo[k]
    return r if ok else None


def _same(rs: list) -> int | None:
    return rs[0] if rs and None not in rs and all(r == rs[0] for r in rs) else None


def _made(c: Any) -> dict:
    if c.made is None:
        c.made = result_defs(walk_ops(c.fn.body))
    return c.made
