"""Kinks that tie at the same point and disagree on its side, for their second-order check.

Input: a JVP or VJP transform (its function's IR; the IR of the user functions it calls, for a
helper whose result is a kink of a parameter: ``def relu(z): return np.maximum(z, 0)``).
Output: `kink_checked(t, res, c, b, d)`: `c`, the derivative of a kink whose result is `res`
(its tangent, or its contribution to an operand's adjoint) wrapped in
``_srcad.root_d2_check(c, s, s, (), ds)``, ``s = u - w`` the kink's own tie measure (0 exactly
where ``u == w``), when the kink is one of two
or more kinks at the same point that a nonlinear op reads and whose one-sided choices at that
point differ (`_inconsistent`): that check's derivatives refuse where ``s == 0`` and the
direction moves `s` (rules/root_at0.py), as ad/abscheck.py's do for ``np.abs``.

Why: at a tie a kink's first derivative is a convention: ``np.maximum``/``np.minimum`` split it
(0.5 each side, as JAX), Python's ``max``/``min`` take the first operand, ``np.clip`` the value
inside, ``np.where(x > 0, a, b)``, ``if x > 0`` and ``x * (x > 0)`` the branch the comparison
picks (``x > 0`` false: the side ``x < 0``; ``x >= 0`` true: ``x > 0``), ``np.heaviside(x, c)``
its `c`. One such kink read nonlinearly is right wherever the function is twice differentiable
(the split and each one-sided value agree there), and gives JAX's convention elsewhere
(``np.maximum(x, 0) ** 2`` at 0: 0.5): kept. Two at the same point whose choices are not one and
the same side are not: ``np.maximum(x, 0) ** 2 + np.maximum(-x, 0) ** 2`` is ``x ** 2``, but
each half gets 0.25 of its curvature (Hessian 1, true 2); ``r = relu(x) + relu(-x)``
(``np.maximum(x, 0) - np.minimum(x, 0)``, ``x * (x > 0) - x * (x < 0)``, ``v if v > 0 else 0``
plus ``-v if v < 0 else 0``) is ``|x|`` with slope 0 at 0, so ``np.cos(r)`` and ``(1 + r) *
np.exp(-r)`` came out with Hessian 0 (true -1); ``np.where(x > 0, x, 0) ** 2 + np.where(x < 0,
-x, 0) ** 2`` gave 0, ``max(v, 0) ** 2 + min(v, 0) ** 2`` and the same with ``np.clip`` 4 (true
2), while ``np.where(x >= 0, x, 0) ** 2 + np.where(x < 0, -x, 0) ** 2`` (one side: ``x > 0``)
gives 2 and is kept. Those ties are refused at second order; away from a tie nothing changes. A
kink read only linearly up to the result (an L1 penalty ``relu(x) + relu(-x)``) contributes no
curvature on either side and is not counted. (Taking one side for every kink of a point would
give the right value where one exists, but it would change first derivatives, which follow the
conventions above and central differences.)

Same point: ``u == w`` for affine forms of one value: ``x``, ``-x``, ``2 * x``, ``x - 1``, ``1 -
x`` (ties at ``x == 0`` or 1), or the same two values (``np.maximum(x, y)``, ``np.minimum(x,
y)``). Not followed (the convention kept): kinks of other forms of the value (``np.maximum(x **
3, 0)`` and ``np.maximum(x, 0)``), a helper with more than one kink or called with keywords,
``np.abs`` (ad/abscheck.py's).
"""

from __future__ import annotations

import math
from typing import Any

from srcad.ad.abscheck import _closure, _scan, _smooth
from srcad.ad.callees import user_call
from srcad.ad.common import RT, zero_like
from srcad.lower.values import static_value
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Op, Operand, Var

SPLIT = frozenset({"numpy.maximum", "numpy.minimum", "numpy.fmax", "numpy.fmin"})
_CMP = {
    "gt": ">", "numpy.greater": ">", "ge": ">=", "numpy.greater_equal": ">=",
    "lt": "<", "numpy.less": "<", "le": "<=", "numpy.less_equal": "<=",
}  # fmt: skip
# the side of ``u - w`` a comparison's value at the tie belongs to (``u > w`` false: ``u < w``)
_TIE_SIDE = {">": -1, ">=": 1, "<": 1, "<=": -1}
_NOTS = frozenset({"not", "numpy.logical_not", "invert", "numpy.invert"})
_CASTS = frozenset({"float", "numpy.float64", "method.astype", "numpy.asarray"})
_MULS = frozenset({"mul", "numpy.multiply"})
_FIRST = {"max": 1, "min": -1}  # (Python's max/min return the first at a tie: its side)
_CLIPS = frozenset({"numpy.clip", "method.clip"})
# the primitives a kink may be (the transforms' quick test)
KINKS = SPLIT | _MULS | _CLIPS | {"numpy.where", "call", "if", *_FIRST}
# a kink or a mask in a function: else no kink pairs (kink_pairs' quick test)
_MADE = ("__srcad_derivative__", "__srcad_chain__", "__srcad_ir__", "__srcad_no_derivative__")
_HINTS = SPLIT | _CLIPS | {"call", *_FIRST, *_CMP, "numpy.heaviside"}


def _num(a: Any) -> float | None:
    if isinstance(a, Const) and type(a.value) in (int, float) and math.isfinite(a.value):
        return float(a.value)
    return None


_COPIES = frozenset({"method.copy", "numpy.copy"})


def _whole(k: Operand) -> bool:
    return isinstance(k, Const) and type(k.value) is slice and k.value == slice(None)


def _affine(v: Var, defs: dict) -> tuple[Var, float, float]:
    """``(r, a, b)`` with ``v == a * r + b`` (negations, scalings, shifts by constants)."""
    a, b = 1.0, 0.0
    for _ in range(64):
        d = defs.get(v)
        if d is None or len(d.results) != 1 or d.kwargs or not d.args:
            break
        p, args = d.prim, d.args
        if p in _COPIES and len(args) == 1 and type(args[0]) is Var:
            v = args[0]  # (the same values: ``x.copy()``, ``np.copy(x)``)
            continue
        if p == "getitem" and len(args) == 2 and type(args[0]) is Var and _whole(args[1]):
            v = args[0]  # (``x[:]``)
            continue
        if p in ("neg", "numpy.negative", "pos") and len(args) == 1 and type(args[0]) is Var:
            v, a = args[0], (a if p == "pos" else -a)
            continue
        if len(args) != 2:
            break
        x, y = args
        cx, cy = _num(x), _num(y)
        if p in ("add", "numpy.add") and type(x) is Var and cy is not None:
            v, b = x, b + a * cy
        elif p in ("add", "numpy.add") and type(y) is Var and cx is not None:
            v, b = y, b + a * cx
        elif p in ("sub", "numpy.subtract") and type(x) is Var and cy is not None:
            v, b = x, b - a * cy
        elif p in ("sub", "numpy.subtract") and type(y) is Var and cx is not None:
            v, a, b = y, -a, b + a * cx
        elif p in _MULS and type(x) is Var and cy:
            v, a = x, a * cy
        elif p in _MULS and type(y) is Var and cx:
            v, a = y, a * cx
        elif p in ("truediv", "numpy.divide") and type(x) is Var and cy:
            v, a = x, a / cy
        else:
            break
    return v, a, b


def _ident(v: Operand, defs: dict) -> tuple | None:
    """A value's identity across reads: a global's name (``global`` ops are not merged yet),
    a constant array's object, else the SSA value."""
    if type(v) is not Var:
        return ("c", id(v.value)) if isinstance(v, Const) and _num(v) is None else None
    d = defs.get(v)
    if d is not None and d.prim in ("global", "free") and not d.args and "name" in d.params:
        return ("g", d.prim, d.params["name"])
    return ("v", id(v))


def _point(u: Operand, w: Operand, defs: dict) -> tuple[tuple, int] | None:
    """The point where ``u == w`` (a key) and the sign of ``u - w`` along its value."""
    cu, cw = _num(u), _num(w)
    if type(u) is Var and cw is not None:
        r, a, b = _affine(u, defs)
        return ((_ident(r, defs), (cw - b) / a), 1 if a > 0 else -1) if a else None
    if cu is not None:
        got = _point(w, u, defs) if type(w) is Var else None
        return (got[0], -got[1]) if got else None
    (ru, au, bu), (rw, aw, bw) = _affine_any(u, defs), _affine_any(w, defs)
    iu, iw = _ident(ru, defs), _ident(rw, defs)
    if iu is None or iw is None:
        return None
    if iu == iw:
        return ((iu, (bw - bu) / (au - aw)), 1 if au > aw else -1) if au != aw else None
    if iu > iw:  # (one order per pair: which is first changes no answer)
        return ((iw, iu, aw, bw, au, bu), -1)
    return ((iu, iw, au, bu, aw, bw), 1)


def _affine_any(v: Operand, defs: dict) -> tuple[Operand, float, float]:
    return _affine(v, defs) if type(v) is Var else (v, 1.0, 0.0)


def _mask(m: Operand, defs: dict) -> tuple[Operand, Operand, int] | None:
    """``(u, w, side)`` of a mask `m` that switches where ``u == w`` (a comparison, through
    negations and casts to numbers; ``np.heaviside(u, c)``): `side` the sign of ``u - w`` whose
    value the mask has at the tie (0: neither, ``heaviside(u, 0.5)``)."""
    sign = 1
    for _ in range(16):
        d = defs.get(m) if type(m) is Var else None
        if d is None or len(d.results) != 1 or not d.args or d.kwargs:
            return None
        if d.prim in _CMP and len(d.args) == 2:
            return d.args[0], d.args[1], _TIE_SIDE[_CMP[d.prim]] * sign
        if d.prim == "numpy.heaviside" and len(d.args) == 2:  # (`c` not a number: neither)
            side = {0.0: -1, 1.0: 1}.get(_num(d.args[1]), 0)  # type: ignore[arg-type]
            return d.args[0], Const(0.0), side * sign
        if d.prim in _NOTS or d.prim in _CASTS:
            sign = -sign if d.prim in _NOTS else sign
            m = d.args[0]
            continue
        return None
    return None


def _kink(op: Op, defs: dict, callee: Any) -> tuple[list, bool] | None:
    """``([(u, w, side), ...], bare)`` of a kink `op` (``np.clip`` has two): `side` the sign of
    ``u - w`` whose branch it takes at the tie ``u == w`` (0: split), `bare` its branches affine
    in the value (only its readers can make its curvature); else None. `callee(op)`: a helper's
    kink, for a `call`."""
    p, args = op.prim, op.args
    if not op.results or (len(op.results) != 1 and p != "if"):
        return None
    if (p in SPLIT or p in _FIRST) and len(args) == 2 and not op.kwargs:
        return [(args[0], args[1], _FIRST.get(p, 0))], True
    if p in _CLIPS and len(args) == 3 and not op.kwargs:  # (inside at each bound, as NumPy)
        got = [(args[0], args[k], side) for k, side in ((1, 1), (2, -1))
               if type(args[k]) is Var or _num(args[k]) is not None]  # fmt: skip
        return (got, True) if got else None
    if p == "call":
        return callee(op) if callee is not None else None
    if p == "numpy.where" and len(args) == 3 and not op.kwargs:
        cond, branches = args[0], args[1:]
    elif p == "if" and len(args) == 1:
        cond, branches = args[0], [y for blk in op.blocks for y in blk.yields]
    elif p in _MULS and len(args) == 2 and not op.kwargs:
        for i in (0, 1):
            if _mask(args[i], defs) is not None:
                cond, branches = args[i], [args[1 - i]]
                break
        else:
            return None
    else:
        return None
    got = _mask(cond, defs)
    if got is None:
        return None
    u, w, side = got
    pt = _point(u, w, defs)
    if pt is None:
        return None
    root = pt[0][0]
    bare = all(_num(a) is not None or (type(a) is Var and _ident(_affine(a, defs)[0], defs) == root)
               for a in branches)  # fmt: skip
    return [(u, w, side)], bare


def _callee_kink(t: Any) -> Any:
    """`call` op -> the kink of a helper ``def relu(z): return np.maximum(z, 0)`` at its caller's
    operand (the helper's own readers: nonlinear ones make it not `bare`), or None."""

    def kink(op: Op) -> tuple | None:
        if op.kwargs or not op.args:
            return None
        try:
            obj = static_value(t.fn, op.args[0], t.known)[1]
        except Exception:
            return None
        if any(hasattr(obj, a) for a in _MADE):
            return None  # (a derivative srcad makes: its level is built once, by the transform)
        try:
            target = user_call(t.fn, op, t.types_of, t.known, t.module.derive)
        except Exception:  # (the transform reports it at the call, as before)
            return None
        if target is None or target[3] or len(target[2]) != len(target[0].params):
            return None
        fn, operands = target[0], target[2]
        ops = ops_of(fn.body)
        if not any(o.prim in _HINTS and o.prim != "call" for o in ops):
            return None
        defs = {r: o for o in ops for r in o.results}
        found = [(o, got) for o in ops if o.prim in KINKS and o.prim != "call"
                 and (got := _kink(o, defs, None)) is not None]  # fmt: skip
        if len(found) != 1 or len(found[0][1][0]) != 1:
            return None
        o, ([(u, w, side)], bare) = found[0]
        pt = _point(u, w, defs)
        params = [_ident(p, defs) for p in fn.params]
        if pt is None or len(pt[0]) != 2 or pt[0][0] not in params:
            return None
        arg = operands[params.index(pt[0][0])]
        if type(arg) is not Var:
            return None
        readers: dict = {}
        _scan(fn.body, [], readers)
        got = _closure(list(o.results), readers, set(), None)
        ends = {y for y in fn.body.yields if type(y) is Var}
        bare = bare and got is not None and bool(ends & got)
        # (the kink at ``z == c`` of the parameter `z`: ``arg == c`` here, its side along `z`)
        return [(arg, Const(pt[0][1]), side * pt[1])], bare

    return kink


def _kinks(ops: list, defs: dict, callee: Any) -> list[tuple[Op, list, bool]]:
    """``(op, [(point, side along its value, u, w), ...], bare)`` of each kink among `ops`."""
    out = []
    for op in ops:
        if op.prim in KINKS:
            got = _kink(op, defs, callee)
            if got is None:
                continue
            ks = []
            for u, w, side in got[0]:
                pt = _point(u, w, defs)
                if pt is not None:
                    ks.append((pt[0], side * pt[1], u, w))
            if ks:
                out.append((op, ks, got[1]))
    return out


def _inconsistent(sides: list) -> bool:
    return len(sides) > 1 and (0 in sides or len(set(sides)) > 1)


def _any_inconsistent(found: list, varied: Any) -> bool:
    """Whether some tie point's kinks disagree before the linear reads are left out (leaving
    members out of a group that agrees keeps it agreeing: the readers' walk can be skipped)."""
    groups: dict[tuple, list] = {}
    for _, ks, _ in found:
        for pt, side, u, w in ks:
            if any(type(a) is Var and a in varied for a in (u, w)):
                groups.setdefault(pt, []).append(side)
    return any(_inconsistent(sides) for sides in groups.values())


def kink_pairs(t: Any) -> dict[Var, list]:
    """``{result: [(u, w), ...]}`` of the kinks of `t`'s function to check (module docstring)."""
    ops = ops_of(t.fn.body)
    if not any(op.prim in _HINTS for op in ops):
        return {}
    defs = {r: op for op in ops for r in op.results}
    found = _kinks(ops, defs, _callee_kink(t))
    if len(found) < 2 or not _any_inconsistent(found, t.varied):
        return {}  # (no pair that could disagree: no walk of every op's readers)
    readers: dict = {}
    _scan(t.fn.body, [], readers)
    smooth = _smooth(getattr(t, "squares", None) or {}, getattr(t, "tails", None) or {}, defs)
    every = _closure([r for op, _, _ in found for r in op.results], readers, smooth, None)
    varied = t.varied
    groups: dict[tuple, list] = {}
    for op, ks, bare in found:
        if bare and _closure(list(op.results), readers, smooth, every) is not None:
            continue  # (read linearly: no curvature from it on either side)
        for pt, side, u, w in ks:
            if any(type(a) is Var and a in varied for a in (u, w)):  # (not a selection by data)
                groups.setdefault(pt, []).append((op, side, u, w))
    out: dict[Var, list] = {}
    for members in groups.values():
        if _inconsistent([m[1] for m in members]):
            for op, _, u, w in members:
                for r in op.results:
                    out.setdefault(r, []).append((u, w))
    return out


def kink_checked(t: Any, res: Var, c: Operand, b: Any, d: Any = None) -> Operand:
    """`c`, the derivative of the kink whose result is `res` (its tangent, or its contribution
    to an operand's adjoint), checked at second order where a tie measure ``u - w`` of it is 0
    (module docstring; `d`: the forward transform's tangent of a value)."""
    found = getattr(t, "kink_found", None)
    if found is None:
        found = t.kink_found = kink_pairs(t)
    for u, w in found.get(res, ()):
        if type(c) is not Var:
            return c
        uv, wv = type(u) is Var and u in t.varied, type(w) is Var and w in t.varied
        s = u if _num(w) == 0.0 else b.op("sub", [u, w])
        args = [c, s, s, Const(())]
        if d is not None:
            du = d(u) if uv else None
            dw = d(w) if wv else None
            if du is not None and dw is not None:
                ds = b.op("sub", [du, dw])
            elif du is not None:
                ds = du
            elif dw is not None:
                ds = b.op("neg", [dw])
            else:
                continue
            args.append(ds)
        c = b.op(RT + "root_d2_check", args)
    return c


def tie_zeros(t: Any, op: Op, b: Any, adj: dict) -> None:
    """After the reverse ``if`` of a kink `op` (its branch chosen by ``u > w``, ...): a checked 0
    added to the cotangents of `u` and `w`, so that reverse over reverse refuses at the tie too
    (the branch not taken there, whose curvature is missing, adds nothing that could be
    checked)."""
    found = getattr(t, "kink_found", None)
    if found is None or not op.results:
        return
    for u, w in found.get(op.results[0], ()):
        s = u if _num(w) == 0.0 else b.op("sub", [u, w])
        for a in (u, w):
            if type(a) is Var and a in t.varied:
                t.acc(adj, a, b.op(RT + "root_d2_check", [zero_like(a, b), s, s, Const(())]), b)
