"""First derivatives at a point where kinks of different conventions tie.

Input: a JVP or VJP transform (its function's IR; the kinks ad/kinkpairs.py finds, at the tie
points it finds). Output: `tie_tangent(t, op, tan, b, d)`, the tangent `tan` of a kink `op`
plus ``_srcad.at_tie(corr, s)``, and `tie_adjoint(t, op, val, c, g, b)`, an operand's adjoint
contribution `c` plus ``unbroadcast(_srcad.at_tie(delta * g, s), val)``: where the kink's tie
measure ``s = u - w`` is 0, its derivative is moved from its own convention to the one its
group of kinks at that point shares. Elsewhere (``s != 0``) nothing changes.

Why: at a tie each kink's slope is a convention (ad/kinkpairs.py: ``np.maximum`` splits it,
Python's ``max``/``min`` take the first operand, ``np.clip`` the inside, a mask the side its
comparison's value at the tie belongs to). One kink alone may take any of them; two at one point
added up may not: ``np.clip(x, 0, None) + np.clip(x, None, 0)`` and ``max(x, 0.0) + min(x,
0.0)`` are ``x`` (slope 1) but gave 2 at 0, ``max(0.0, x) + min(0.0, x)`` gave 0, ``np.maximum(x,
0) + min(x, 0.0)`` 1.5, ``np.where(x > 0, x, 0) + np.where(x < 0, x, 0)`` 0. One side for
all the kinks of a point (each takes the branch it has on that side of the tie) makes the
derivative there the derivative of that side's smooth piece: the true one wherever the function
is differentiable, for sums and for kinks nested in one another's branches (``np.where(x > 0,
np.maximum(x, 0), np.minimum(x, 0))``, ``x``: the split gave 0.5). The side is that of the
group's kinks srcad cannot change (an ``if`` runs one branch only; a helper's kink is
differentiated inside the helper), else the one most of its one-sided kinks take (``x > 0``'s
on a draw); where those ``if``s and helpers disagree the derivative is refused at the tie
(``_srcad.tie_refuse``, where the tie measure moves or the result's cotangent is not 0). A
group whose kinks already agree (``np.maximum(x, 0) + np.minimum(x, 0)``: both split) and a lone
kink keep their conventions: ReLU's slope at 0 stays as it was.

Example: ``max(x, 0.0) + min(x, 0.0)`` (sides ``x > 0`` and ``x < 0``: the first taken): min's
tangent ``dx`` at the tie becomes 0: ``(dx if not 0.0 < x else 0.0) + _srcad.at_tie(-1.0 * dx,
x)``.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.common import RT
from srcad.ad.kinkpairs import (
    _CASTS,
    _CLIPS,
    _CMP,
    _FIRST,
    _HINTS,
    _MULS,
    _NOTS,
    KINKS,
    SPLIT,
    _callee_kink,
    _kinks,
    _num,
    _point,
)  # fmt: skip
from srcad.ad.squares_forms import ABS
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Op, Operand, Var

_MAXES = frozenset({"numpy.maximum", "numpy.fmax", "max"})
TIE_KINKS = KINKS | ABS  # (the transforms' quick test)
_ANCHORS = frozenset({"if", "call"})  # (a kink whose slope at the tie srcad does not choose)
# a comparison's value at its tie and the side of ``u - w`` where it is true
_CMP_AT = {">": (0.0, 1), ">=": (1.0, 1), "<": (0.0, -1), "<=": (1.0, -1)}


def _mask_at(m: Operand, defs: dict) -> tuple[float, int] | None:
    """``(value at the tie, side of u - w where it is 1)`` of a mask (kinkpairs._mask's forms)."""
    flip = False
    for _ in range(16):
        d = defs.get(m) if type(m) is Var else None
        if d is None or len(d.results) != 1 or not d.args or d.kwargs:
            return None
        if d.prim in _CMP and len(d.args) == 2:
            v, side = _CMP_AT[_CMP[d.prim]]
            return (1.0 - v, -side) if flip else (v, side)
        if d.prim == "numpy.heaviside" and len(d.args) == 2:
            c = _num(d.args[1])
            if c is None:
                return None
            return (1.0 - c, -1) if flip else (c, 1)
        if d.prim in _NOTS or d.prim in _CASTS:
            flip = flip != (d.prim in _NOTS)
            m = d.args[0]
            continue
        return None
    return None


def _k(a: Operand) -> Var | None:
    return a if type(a) is Var else None  # (constants take no derivative: left out)


def _weights(op: Op, u: Operand, w: Operand, defs: dict) -> Any:
    """``(own, at)`` of a kink: `own` its branches' weights at the tie (its convention), `at(side)`
    their weights for a side of ``u - w`` (0: each half); None for a kink not followed."""
    p, args = op.prim, op.args
    if p in ABS:  # (|u|: u on the side u > 0, -u on the other, 0 at the tie)
        a = _k(u)
        return {a: 0.0}, lambda s: {a: float(s)}
    lower = w is args[1] if p in _CLIPS and len(args) == 3 else False
    u, w = _k(u), _k(w)
    if p in SPLIT or p in _FIRST:
        big, small = (u, w) if p in _MAXES else (w, u)
        own = {u: 0.5, w: 0.5} if p in SPLIT else {u: 1.0}
        return own, lambda s: {big: 1.0} if s > 0 else {small: 1.0} if s < 0 else {u: 0.5, w: 0.5}
    if p in _CLIPS:
        if args[1] is args[2] or (_num(args[1]) is not None and _num(args[1]) == _num(args[2])):
            return None  # (equal bounds: not the inside at the tie)
        up, down = (u, w) if lower else (w, u)
        return {
            u: 1.0
        }, lambda s: {up: 1.0} if s > 0 else {down: 1.0} if s < 0 else {u: 0.5, w: 0.5}
    if p == "numpy.where":
        got = _mask_at(args[0], defs)
        if got is None:
            return None
        v, true = got
        a, b = _k(args[1]), _k(args[2])

        def where_at(s: int) -> dict:
            m = 0.5 if s == 0 else float(s == true)
            return {a: m, b: 1.0 - m} if a is not b else {}

        return ({a: v, b: 1.0 - v} if a is not b else {}), where_at
    if p in _MULS:
        for i in (0, 1):
            got = _mask_at(args[i], defs)
            if got is not None:
                return _masked(got[0], got[1], _k(args[1 - i]))
    return None


def _masked(v: float, true: int, a: Var | None) -> tuple:
    return {a: v}, lambda s: {a: 0.5 if s == 0 else float(s == true)}


def tie_fixes(t: Any) -> dict[Var, list]:
    """``{kink result: [(u, w, {operand: delta}), ...]}``: the weights to add at each tie (of
    the function as written: the reverse sweep asks before its calls are rewritten)."""
    if t.fn.pyfunc is None:  # (code srcad generated: its selections are rules' conventions)
        return {}
    ops = ops_of(t.fn.body)
    if not any(op.prim in _HINTS for op in ops):
        return {}
    defs = {r: op for op in ops for r in op.results}
    found = _kinks(ops, defs, _callee_kink(t))
    if not found:
        return {}
    for op in ops:  # (np.abs, split at 0 by its rule: a kink of the groups too)
        if op.prim in ABS and len(op.args) == 1 and not op.kwargs and len(op.results) == 1:
            pt = _point(op.args[0], Const(0.0), defs)
            if pt is not None:
                found.append((op, [(pt[0], 0, op.args[0], Const(0.0))], True))
    groups: dict[tuple, list] = {}
    for op, ks, _ in found:
        for pt, side, u, w in ks:
            if any(type(a) is Var and a in t.varied for a in (u, w)):
                groups.setdefault(pt, []).append((op, side, u, w))
    out: dict[Var, list] = {}
    for members in groups.values():
        if len({m[1] for m in members}) < 2:
            continue  # (one convention already: their slopes add up)
        anchors = {side for op, side, _, _ in members if op.prim in _ANCHORS}
        if len(anchors) > 1:  # (branches srcad cannot choose, on both sides: refused there)
            for op, _, u, w in members:
                out.setdefault(op.results[0], []).append((u, w, None))
            continue
        sides = [m[1] for m in members if m[1]]
        target = anchors.pop() if anchors else 1 if 2 * sides.count(1) >= len(sides) else -1
        for op, side, u, w in members:
            if op.prim in _ANCHORS or side == target:
                continue
            got = _weights(op, u, w, defs)
            pt = _point(u, w, defs)
            if got is None or pt is None:
                continue
            own, at = got[0], got[1](target * pt[1])  # (the side along u - w)
            delta = {a: at.get(a, 0.0) - own.get(a, 0.0) for a in (*own, *at)}
            delta = {a: x for a, x in delta.items() if type(a) is Var and x}
            if delta:
                out.setdefault(op.results[0], []).append((u, w, delta))
    return out


def _found(t: Any) -> dict[Var, list]:
    got = getattr(t, "tie_fixes", None)
    if got is None:
        got = t.tie_fixes = tie_fixes(t)
    return got


def _measure(u: Operand, w: Operand, b: Any) -> Operand:
    return u if _num(w) == 0.0 else b.op("sub", [u, w])


def tie_tangent(t: Any, op: Op, tan: Operand, b: Any, d: Any) -> Operand:
    """`tan`, the tangent of the kink `op`, moved at its ties to its group's convention (`d(a)`:
    the tangent of a varied value)."""
    for u, w, delta in _found(t).get(op.results[0], ()):
        if delta is None:
            tan = _refused(t, tan, u, w, b, d)
            continue
        corr: Operand | None = None
        for a, x in delta.items():
            if a in t.varied:
                da = d(a)
                if da is not None:
                    term = b.op("mul", [Const(x), da])
                    corr = term if corr is None else b.op("add", [corr, term])
        if corr is not None:
            tan = b.op("add", [tan, b.op(RT + "at_tie", [corr, _measure(u, w, b)])])
    return tan


def tie_adjoint(t: Any, op: Op, val: Operand, c: Operand, g: Operand, b: Any) -> Operand:
    """`c`, the contribution of the kink `op`'s cotangent `g` to its operand `val`'s adjoint,
    moved at its ties to its group's convention."""
    if not op.results or type(val) is not Var:
        return c
    for u, w, delta in _found(t).get(op.results[0], ()):
        if delta is None:
            c = b.op(RT + "tie_refuse", [c, _measure(u, w, b), g])
            continue
        x = delta.get(val)
        if x:
            at = b.op(RT + "at_tie", [b.op("mul", [Const(x), g]), _measure(u, w, b)])
            c = b.op("add", [c, b.op(RT + "unbroadcast", [at, val])])
    return c


def _refused(t: Any, tan: Operand, u: Operand, w: Operand, b: Any, d: Any) -> Operand:
    du = d(u) if type(u) is Var and u in t.varied else None
    dw = d(w) if type(w) is Var and w in t.varied else None
    if du is None and dw is None:
        return tan
    ds = du if dw is None else b.op("neg", [dw]) if du is None else b.op("sub", [du, dw])
    return b.op(RT + "tie_refuse", [tan, _measure(u, w, b), ds])


def tie_result(t: Any, op: Op, c: Operand, b: Any, d: Any = None, g: Any = None) -> Operand:
    """A tangent (`d` given) or cotangent `c` of a result of an ``if`` or a helper's call (`g`:
    the cotangent of the call's result, `c` its contribution to an operand), refused where the
    kink ties with others whose sides it cannot share."""
    for u, w, delta in _found(t).get(op.results[0], ()):
        if delta is None:
            if d is not None:
                c = _refused(t, c, u, w, b, d)
            else:
                c = b.op(RT + "tie_refuse", [c, _measure(u, w, b), c if g is None else g])
    return c
