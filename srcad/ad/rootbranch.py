"""The second-order checks of a magnitude (a root of a sum of squares, a hypot, a norm), only where
its value is used.

Input: the reverse sweep (`srcad.ad.vjp`), a root op ``r = np.sqrt(s)`` of a sum of squares
(`srcad.ad.rootcheck`) whose contributions `ad/masks.py` masks, and a contribution. Output:
``branch_checked(vjp, op, v, b)``: `v` wrapped as `rootcheck.checked` wraps it, the check's sum
`s` replaced by ``np.where(sel, s, 1.0)``, `sel` the positions where the mask's conditions that
do not depend on a differentiated input keep `r` (``if flag: y = np.exp(r)``, ``r if flag else
x[0]``, ``np.where(flag, f(r), g(x))``), so the check never refuses where `r` is not used.
And ``branch_ans(vjp, op, ans, b, selection)``: the result of ``np.hypot``/``math.hypot``/
``np.linalg.norm`` (whose rules make their checks themselves) as their reverse rule reads it,
``np.where(sel, ans, 1.0)`` where every read of it is on one side of a top-level ``if`` on such a
condition, or where its masks' such conditions drop it (``np.where(flag, .., np.hypot(p, q))``;
`sel`: that side taken; the cotangent is exactly 0 on the other).

Why it is right: such a condition is constant near the point, so where it drops `r`, `r`'s
cotangent is 0 near the point too, and so is every second-order term through `r`: the Hessian
there is the other side's alone. A condition that depends on a differentiated input
(``r * (r > 0)``, ``if x[0] < 0``) may switch at the point (``cos(r * (r > 0))`` is ``cos(r)``:
its Hessian at the centre is not 0) and is left out: its positions stay checked. So is the root's
own test ``s != 0`` (the mask the root adds), and a condition moved back from a reshape or a
gather (`Moved`). `tainted` is the dependence on the differentiated inputs through every op
(comparisons included) and through control: an ``if``'s results depend on its condition, a
loop's on whatever decides how many times it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ad.maskcarry import RECOMPUTED, Expr
from srcad.ad.rootcheck import checked, high_power_only, transform_roots
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var


def branch_checked(vjp: Any, op: Op, v: Operand, b: Any, selection: Callable) -> Operand:
    """`v` (a contribution of the root `op`, masked) checked where its value is used;
    `selection(r, masks, b)`: the positions a mask keeps (`maskemit._selection`)."""
    r = op.results[0]
    roots = transform_roots(vjp)
    if r not in roots:
        return v
    s, bases, cent, wts = roots[r]
    kept = _fixed_masks(vjp, r, s) if isinstance(v, Var) else ()
    if kept:
        sel = selection(r, kept, b)
        s = b.op("numpy.where", [sel, s, Const(1.0)])
    return checked(v, r, {r: (s, bases, cent, wts)}, b)


def _fixed_masks(vjp: Any, r: Var, s: Any) -> tuple:
    """The masks of `r` (`ad/masks.py`) with only their conditions no differentiated input
    changes (not `s`, the root's own test); () when one of them keeps every position then (or
    `r` is not masked): ``np.where(flag, x[2] ** 2, np.hypot(x[0], x[1]))``, `flag` fixed."""
    masks = vjp.masks.get(r) if getattr(vjp, "masks", None) else None
    if not masks:
        return ()
    taint = _taint(vjp)
    kept = tuple(
        tuple((c, k) for c, k in conj if c is not s and _fixed(c, taint)) for conj in masks
    )
    return kept if kept and all(kept) else ()  # (a conjunction left empty keeps every position)


BRANCHED = frozenset(("numpy.hypot", "math.hypot", "numpy.linalg.norm"))


def branch_ans(vjp: Any, op: Op, ans: Operand, b: Any, selection: Callable) -> Operand:
    """`ans`, the result of a hypot or a norm `op` as its reverse rule reads it, replaced by
    ``np.where(sel, ans, 1.0)`` where every read of it is on one side of an ``if`` on a
    condition no differentiated input changes (`sel`: that side taken). Where it is not, the
    cotangent `g` is exactly 0 (the reverse ``if`` gives it none), so the rule's terms stay 0,
    and the magnitude checks the rule makes (``root_d2_check``, ``np.linalg.norm``'s
    ``norm_d2_check`` at second order) see no zero there."""
    if op.prim not in BRANCHED or len(op.results) != 1 or not isinstance(ans, Var):
        return ans
    side = _one_side(vjp, op.results[0])
    kept = ((side,),) if side is not None else _fixed_masks(vjp, op.results[0], None)
    kept = kept or _where_sides(vjp, op.results[0])
    if not kept and high_power_only(vjp.fn.body, op.results[0]):  # (``np.hypot(p, q) ** 3``)
        w = b.op("numpy.where", [b.op("eq", [ans, Const(0.0)]), Const(1.0), ans])
        return b.op("getitem", [w, Const(())])  # (0 where ans is 0: g = 3 ans ** 2 there)
    if not kept:
        return ans
    w = b.op("numpy.where", [selection(ans, kept, b), ans, Const(1.0)])
    return b.op("getitem", [w, Const(())])  # (a number stays a number)


def _one_side(vjp: Any, r: Var) -> tuple | None:
    """``((recomputed, "truth", c), keep)`` when every read of `r` (made in the function's
    body) is in the branch `keep` (True: then) of ``if c`` and `c` depends on no input."""
    body = vjp.fn.body
    if not any(r in o.results for o in body.ops) or _mentions_any(body.yields, r):
        return None
    got = set()
    for o in body.ops:
        if o.prim == "if" and len(o.blocks) == 2:
            sides = [k for k, bl in enumerate(o.blocks) if _mentions(bl, r)]
            if len(sides) == 2:
                return None
            if sides:
                got.add((o.args[0], sides[0] == 0))
        elif _mentions_any(o.operands(), r) or any(_mentions(bl, r) for bl in o.blocks):
            return None
    if len(got) != 1:
        return None
    ((c, keep),) = got
    if not _fixed(c, _taint(vjp)):
        return None
    return ((RECOMPUTED, Const("truth"), c), keep)


def _where_sides(vjp: Any, r: Var) -> tuple:
    """``(((c, keep),), ...)`` when every read of `r` (made in the function's body, a norm's
    result: `masks` records none for it) is a side of a ``np.where(c, x, y)`` there (`keep`:
    True for `x`) on a condition `c` no differentiated input changes; else ()."""
    body = vjp.fn.body
    if not any(r in o.results for o in body.ops) or _mentions_any(body.yields, r):
        return ()
    got: list = []
    for o in body.ops:
        if not (_mentions_any(o.operands(), r) or any(_mentions(bl, r) for bl in o.blocks)):
            continue
        if o.prim != "numpy.where" or len(o.args) != 3 or o.kwargs or o.args[0] is r:
            return ()
        c = o.args[0]
        for k in (1, 2):
            if o.args[k] is r and ((c, k == 1),) not in got:
                got.append(((c, k == 1),))
    taint = _taint(vjp)
    if not got or not all(type(c) is Var and _fixed(c, taint) for ((c, _),) in got):
        return ()
    return tuple(got)


def _mentions_any(vals: Any, r: Var) -> bool:
    for a in vals:
        if a is r or isinstance(a, (tuple, list)) and _mentions_any(a, r):
            return True
    return False


def _mentions(block: Block, r: Var) -> bool:
    if _mentions_any(block.yields, r):
        return True
    return any(
        _mentions_any(o.operands(), r) or any(_mentions(bl, r) for bl in o.blocks)
        for o in block.ops
    )


def _taint(vjp: Any) -> set[Var]:
    taint = getattr(vjp, "input_taint", None)
    if taint is None:
        taint = vjp.input_taint = tainted(vjp.fn, {vjp.fn.params[i] for i in vjp.wrt})
    return taint


def _fixed(c: object, taint: set[Var]) -> bool:
    """`c` (a mask's condition) depends on no differentiated input."""
    if isinstance(c, Const):
        return True
    if type(c) is Var:
        return c not in taint
    if type(c) is Expr:
        return all(_fixed(a, taint) for a in (*c.args, *c.kwargs.values()))
    if type(c) is tuple:  # (a pure runtime function of its operands, recomputed: `maskemit`)
        return all(_fixed(a, taint) for a in c[1:])
    return False


def tainted(fn: Function, wrt: set[Var]) -> set[Var]:
    """The Vars of `fn` whose values may change with the Vars `wrt` (module docstring)."""
    out = set(wrt)
    _block(fn.body, out)
    return out


def _any(args: Any, out: set[Var]) -> bool:
    for a in args:
        if isinstance(a, Var):
            if a in out:
                return True
        elif isinstance(a, (tuple, list)) and _any(a, out):
            return True
    return False


def _block(block: Block, out: set[Var]) -> None:
    for op in block.ops:
        if op.prim == "if":
            for bl in op.blocks:
                _block(bl, out)
            every = _any(op.args, out)
            for k, r in enumerate(op.results):
                if every or any(_any((bl.yields[k],), out) for bl in op.blocks):
                    out.add(r)
        elif op.prim in ("for", "while"):
            _loop(op, out)
        elif op.blocks:  # (no other op has blocks: all of it, as if it read everything)
            for bl in op.blocks:
                _block(bl, out)
            out.update(op.results)
        elif _any(op.operands(), out):
            out.update(op.results)


def _loop(op: Op, out: set[Var]) -> None:
    n = len(op.results)
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    inits = op.args[3:] if op.prim == "for" else op.args
    if op.prim == "for" and _any(op.args[:3], out):
        out.add(body.params[0])
    while True:
        before = len(out)
        for k in range(n):
            if _any((inits[k], body.yields[k]), out):
                for bl in op.blocks:
                    out.add(bl.params[(off if bl is body else 0) + k])
        for bl in op.blocks:
            _block(bl, out)
        if len(out) == before:
            break
    trips = _any(op.args[:3], out) if op.prim == "for" else _any(op.blocks[0].yields, out)
    trips = trips or _any(body.yields[n:], out)  # (a break's flag)
    for k in range(n):
        if trips or _any((inits[k], body.yields[k]), out):
            out.add(op.results[k])
