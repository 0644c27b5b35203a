"""Values at most 1 in size and their blends, for `passes/shapes_matmul._given`: a GRU's state.

Input: a value of the function and the map value -> the op making it (`shapes_matmul._made`).
Output: the operands the value's finiteness rests on, for `_given` to ask about in turn, or None
when this module cannot tell:

- `unit_product`: ``u * x`` (either order) of a value `u` at most 1 in size for every operand
  but nan (`_unit`: ``np.tanh``, the logistic ``c / (a + np.exp(v))`` with ``|c| <= 1 <= a``):
  ``|u * x| <= |x|``, finite when `x` is (a GRU's ``r * h``);
- `blend`: ``(1 - w) * x + w * y`` (the terms and factors in either order) of a weight `w`
  between 0 and 1 for every operand but nan (`_weight`: a logistic with ``0 <= c <= 1 <= a``):
  at most ``max(|x|, |y|)`` in size, finite when `x` and `y` are. A GRU's state ``h = (1 - z) *
  n + z * h`` is one; through `given_loops.carry_sources` (induction over the iterations) the
  state, and the tape's ``h`` and ``r * h``, are finite wherever the arguments are, so the reverse
  sweep's ``matmul_vjp(g, h_k, Wrz, 1)`` is ``h_k.T @ g`` (issue 11: a GRU's weight cotangents
  then go into `passes/matmul_into.py`'s ``add_matmul_into`` as an LSTM's do).

Nothing is asked of a sum of unknown terms: ``w * x + w * y`` may overflow, a blend cannot.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.given_loops import carry_sources, taped_items
from srcad.ssa.core import Const, Op, Var


def unit_product(d: Op, made: dict) -> list | None:
    """[u, x] for ``d = u * x`` (or ``x * u``) with `u` at most 1 in size, else None."""
    if d.prim != "mul" or len(d.args) != 2 or d.kwargs:
        return None
    for k in (0, 1):
        if _unit(d.args[k], made, -1.0):
            return list(d.args)
    return None


def blend(d: Op, made: dict, c: Any) -> list | None:
    """[w, x, y] for ``d = (1 - w) * x + w * y`` (module docstring) with `x` and `y` at most 1 in
    size or nan (`_small`), else None."""
    bl = _blend(d, made)
    if bl is None:
        return None
    assumed: set = set()
    budget = [_BUDGET]
    return bl if all(_small(v, made, c, assumed, 0, budget) for v in bl[1:]) else None


def _blend(d: Op, made: dict) -> list | None:
    if d.prim != "add" or len(d.args) != 2 or d.kwargs:
        return None
    t0, t1 = (_factors(a, made) for a in d.args)
    if t0 is None or t1 is None:
        return None
    for (p, x), (q, y) in ((f0, f1) for f0 in t0 for f1 in t1):
        for w, other in ((p, q), (q, p)):
            if _weight(w, made) and _one_minus(other, made) is w:
                return [w, x, y]
    return None


def _small(x: Any, made: dict, c: Any, assumed: set, depth: int, budget: list) -> bool:
    """`x` is at most 1 in size, or nan: a constant, ``np.zeros``/``ones``, ``np.tanh``, a
    logistic, a product or blend of such values, a ``for`` loop's carry whose initial value and
    yield are (the yield given that the carry is: induction; a blend's rounding grows the bound
    by a factor ``1 + 2**-53`` per iteration at most), an item of a loop's tape all of whose
    appended values are. At most `_BUDGET` values looked at per question (then False)."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if type(x) is Const:
        return type(x.value) in (int, float) and abs(x.value) <= 1
    if type(x) is not Var or depth > _DEPTH:
        return False
    d = made.get(x)
    if d is None:
        src = carry_sources(x, c)
        if src is None:
            return False
        if x in assumed:
            return True
        assumed.add(x)
        try:
            return all(_small(v, made, c, assumed, depth + 1, budget) for v in src)
        finally:
            assumed.discard(x)
    if d.blocks or len(d.results) != 1:
        return False
    if d.prim in _FILLS:
        return True
    if _unit(x, made, -1.0):
        return True
    if d.kwargs:
        return False
    if d.prim == "mul" and len(d.args) == 2:
        return all(_small(v, made, c, assumed, depth + 1, budget) for v in d.args)
    if d.prim == "getitem":
        items = taped_items(d, c, made)
        return items is not None and all(
            _small(v, made, c, assumed, depth + 1, budget) for v in items
        )
    bl = _blend(d, made)
    return bl is not None and all(_small(v, made, c, assumed, depth + 1, budget) for v in bl[1:])


_DEPTH = 16
_BUDGET = 200
_FILLS = frozenset(("numpy.zeros", "numpy.ones", "numpy.zeros_like", "numpy.ones_like"))


def _factors(a: Any, made: dict) -> list | None:
    """The two ways of reading ``a = f * x`` as (factor, other)."""
    d = made.get(a) if type(a) is Var else None
    if d is None or d.prim != "mul" or len(d.args) != 2 or d.kwargs or d.blocks:
        return None
    f, x = d.args
    return [(f, x), (x, f)]


def _one_minus(a: Any, made: dict) -> Any:
    """`w` of ``a = 1 - w``, else None."""
    d = made.get(a) if type(a) is Var else None
    if d is None or d.prim != "sub" or len(d.args) != 2 or d.kwargs:
        return None
    one = d.args[0]
    if type(one) is not Const or type(one.value) not in (int, float) or one.value != 1:
        return None
    return d.args[1]


def _unit(a: Any, made: dict, low: float) -> bool:
    """`a` is in ``[low, 1]`` for every operand but nan (`low` -1 or 0): ``np.tanh`` (for -1),
    the logistic ``c / (s + np.exp(v))`` with ``low <= c <= 1 <= s`` constants."""
    d = made.get(a) if type(a) is Var else None
    if d is None or d.blocks or len(d.results) != 1 or d.kwargs:
        return False
    if d.prim == "numpy.tanh":
        return low < 0 and len(d.args) == 1
    if d.prim != "truediv" or len(d.args) != 2 or not _const_in(d.args[0], low, 1.0):
        return False
    den = made.get(d.args[1]) if type(d.args[1]) is Var else None
    if den is None or den.prim != "add" or len(den.args) != 2 or den.kwargs:
        return False
    for k in (0, 1):
        e, s = den.args[k], den.args[1 - k]
        de = made.get(e) if type(e) is Var else None
        if _const_in(s, 1.0, 1e150) and de is not None and de.prim == "numpy.exp":
            return not de.kwargs and len(de.args) == 1
    return False


def _weight(w: Any, made: dict) -> bool:
    return _unit(w, made, 0.0)


def _const_in(a: Any, lo: float, hi: float) -> bool:
    return type(a) is Const and type(a.value) in (int, float) and lo <= a.value <= hi
