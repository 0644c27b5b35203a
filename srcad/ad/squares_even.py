"""Even functions of a magnitude and dot products of one with itself (ad/squares.py's forms).

Input: an op of a function's IR, the ops defining the values it reads, the float arrays' ranks
(or None) and `terms_of(m)`: the parts of ``m ** 2`` of a magnitude `m` (ad/squares.py's
`_terms`: ``np.abs(x)``, a root of a sum of squares, ``np.hypot``, a 2-norm, ...). Output:
`even_square(op, defs, ranks, norm_params, terms_of)`, the entry of ad/squares.py's table for
`op`, or None:

- ``np.cos(np.abs(x))`` (``cosh``, ``math.cos``): ``(x, "even", f', sign)``, as ``cos(x)``;
  ``np.cos(r)`` of a whole 2-norm ``r`` of `x`: ``(x, "cosnorm", r, which)``.
- ``np.cos(c * m)`` (``cosh``; ``m * c``; `c` a constant number, 1 by default) of any other
  magnitude `m`: ``(x, "cosmag", (terms, u), (which, c))``, `u` the argument ``c * m``: its
  derivative is ``c ** 2 / 2 * (-sin(u) / u)`` (``sinh(u) / u``) times that of ``m ** 2``
  (`terms`), smooth at ``m = 0`` (``math.cos(math.hypot(p, q))``, ``np.cos(2 * np.abs(x))``,
  ``np.cosh(np.sqrt(np.sum(d ** 2)))``), where the chain rule through the magnitude's
  subgradient 0 gave a second derivative of 0.
- ``np.dot(a, a)`` (``a @ a``, ``np.inner``, ``np.vdot``) of ``a = np.abs(x)`` of a vector `x`:
  ``(x, "norm", None, False)``, ``np.sum(x * x)``.

- ``a ** 2`` of ``a = n`` or ``n[i]``, `n` a ``for`` loop's carry that starts as ``np.abs(x)``
  and changes in the loop (``n = n * 2``, ``n[1] = 5.0``): ``(x, "abscarry", a, None)``
  (`carried_abs`): the chain rule (``2 a da``), checked at second order where ``x == 0`` along
  a nonzero direction (rules/root_at0.py): through the magnitude's subgradient its second
  derivative there came out 0 (``x[0] ** 2`` read before ``n`` changes: 2). For ``n[i]`` (a
  constant `i`) of a carry the loop only scales (``n = n * 2``: `_in_place`), only ``x[i]``
  is checked (a zero elsewhere that moves reaches no square).

And their rules (`cosmag_jvp`, `cosmag_vjp`, `even_factor`, `cos_factor`, `abscarry_term`).
"""

from __future__ import annotations

import math
from typing import Any

from srcad.ad.common import RT
from srcad.ad.squares_forms import ABS
from srcad.ssa.core import Const, Op, Operand, Var

# even functions: f(|x|) is f(x), whose derivative is f'(x) (prim, sign) everywhere, 0 included
EVEN = {"numpy.cos": ("numpy.sin", -1.0), "math.cos": ("math.sin", -1.0),
        "numpy.cosh": ("numpy.sinh", 1.0), "math.cosh": ("math.sinh", 1.0)}  # fmt: skip
DOTS = frozenset(("matmul", "numpy.dot", "numpy.inner", "numpy.vdot", "method.dot"))
_NORM = "numpy.linalg.norm"
_SCALES = ("mul", "numpy.multiply")


def even_square(op: Op, defs: Any, ranks: Any, norm_params: Any, terms_of: Any) -> Any:
    """The entry of `op` (module docstring), or None."""
    if op.kwargs or len(op.results) != 1 or not op.args or type(op.args[0]) is not Var:
        return None
    if op.prim in DOTS:
        return _dot_of_abs(op, defs, ranks)
    if len(op.args) != 1:
        return None
    got = _even_of_abs(op, defs, ranks, norm_params)
    if got is not None:
        return got
    u = op.args[0]
    m, c = u, 1.0
    d = defs.get(u)
    if d is not None and d.prim in _SCALES and len(d.args) == 2 and not d.kwargs:
        for k in (0, 1):
            cst, v = d.args[k], d.args[1 - k]
            if isinstance(cst, Const) and type(cst.value) in (int, float) and type(v) is Var:
                m, c = v, float(cst.value)
    terms = terms_of(m) if type(m) is Var else None
    if not terms or c == 0.0:
        return None
    which = None if "cos" == op.prim[-3:] else "cosh"
    return (terms[0][1], "cosmag", (tuple(terms), u), Const((which, c)))


def _dot_of_abs(op: Op, defs: Any, ranks: Any) -> Any:
    """``(x, "norm", None, False)`` for ``np.dot(a, a)`` of ``a = np.abs(x)``, `x` a vector."""
    a = op.args[0]
    if len(op.args) != 2 or op.args[1] is not a:
        return None
    d = defs.get(a)
    if d is None or d.prim not in ABS or len(d.args) != 1 or d.kwargs:
        return None
    x = d.args[0]
    vector = ranks is not None and (ranks.get(x) == 1 or ranks.get(a) == 1)
    if type(x) is not Var or not (vector or op.prim == "numpy.vdot"):  # (vdot: flattened)
        return None
    return (x, "norm", Const(None), Const(False))


def _even_of_abs(op: Op, defs: Any, ranks: Any, norm_params: Any) -> Any:
    """``(x, "even", f', sign)`` when `op` is ``np.cos(np.abs(x))`` (``cosh``, ``math.cos``,
    ...): ``cos(|x|)`` is ``cos(x)``, smooth at 0, where the chain rule through the magnitude's
    subgradient 0 gave a second derivative of 0 (-1). ``(x, "cosnorm", r, None)`` for
    ``np.cos(r)`` of a 2-norm ``r`` of the whole of `x`: ``-sin(r) / r`` times ``x . dx``
    (``np.cosh(r)``: ``(x, "cosnorm", r, "cosh")``, ``sinh(r) / r``)."""
    r = op.args[0]
    d = defs.get(r)
    if d is not None and d.prim == _NORM:
        got = norm_params(d, ranks)
        whole = got is not None and all(isinstance(v, Const) for v in got)
        if whole and got[0].value is None and got[1].value is False and type(d.args[0]) is Var:
            return (d.args[0], "cosnorm", r, Const(None if "cos" == op.prim[-3:] else "cosh"))
        return None
    if d is None or d.prim not in ABS or len(d.args) != 1 or d.kwargs:
        return None
    x = d.args[0]
    if type(x) is not Var:
        return None
    prim, sign = EVEN[op.prim]
    return (x, "even", Const(prim), Const(sign))


def even_factor(prim: Const, sign: Const, x: Var, b: Any) -> Var:
    """``sign * f'(x)`` of an "even" entry."""
    return b.op("mul", [sign, b.op(prim.value, [x])])


def cos_factor(r: Operand, which: Const, b: Any, signed: bool = False) -> Var:
    """``-sin(r) / r`` (-1 at 0): ``-np.sinc(r / pi)``; for ``which`` "cosh", ``sinh(r) / r``
    (1 at 0): its series ``1 + r^2 / 6 + r^4 / 120`` below 1e-3 (the next term, r^6 / 5040, is
    below the rounding there), each branch finite where the other is taken. `signed`: `r` may
    be negative (``c * m``)."""
    if which.value is None:
        return b.op("neg", [b.op("numpy.sinc", [b.op("truediv", [r, Const(math.pi)])])])
    small = b.op("lt", [b.op("numpy.absolute", [r]) if signed else r, Const(1e-3)])
    rr = b.op("mul", [r, r])
    tail = b.op("add", [Const(1.0 / 6.0), b.op("mul", [rr, Const(1.0 / 120.0)])])
    series = b.op("add", [Const(1.0), b.op("mul", [rr, tail])])
    ratio = b.op("truediv", [b.op("numpy.sinh", [r]), b.op("numpy.where", [small, Const(1.0), r])])
    return b.op("numpy.where", [small, series, ratio])


def _cosmag_scale(got: tuple, b: Any) -> Var:
    """``c ** 2 / 2 * (-sin(u) / u)`` (``sinh``) of a "cosmag" entry."""
    which, c = got[3].value
    return b.op("mul", [cos_factor(got[2][1], Const(which), b, True), Const(0.5 * c * c)])


def cosmag_jvp(jvp: Any, got: tuple, b: Any, terms_jvp: Any) -> Var:
    """The tangent of ``cos(c * m)``: `_cosmag_scale` times that of ``m ** 2``."""
    terms, u = got[2]
    return b.op("mul", [_cosmag_scale(got, b), terms_jvp(jvp, terms, u, b)])


def cosmag_vjp(acc: Any, got: tuple, g: Operand, adj: dict, b: Any, terms_vjp: Any) -> None:
    """Each part of ``m ** 2`` gets its cotangent of ``g * _cosmag_scale``."""
    terms_vjp(acc, got[2][0], b.op("mul", [g, _cosmag_scale(got, b)]), adj, b)


def carried_abs(a: Any, defs: Any) -> Any:
    """``(x, "abscarry", a, None)`` when `a` is ``n`` or ``n[i]`` of a loop carry `n` (`defs`
    maps a ``for`` body's carries to the loop: ad/squares.py's `_visible_defs`) starting as
    ``np.abs(x)`` (through the carries of enclosing loops), else None."""
    n, idx = a, None
    d = defs.get(a) if type(a) is Var else None
    if d is not None and d.prim == "getitem" and len(d.args) == 2 and not d.kwargs:
        n, idx = d.args
        d = defs.get(n) if type(n) is Var else None
    start, levels = n, 0
    for _ in range(8):  # (a carry of nested loops: the outer loop's carry, its start)
        if d is None or d.prim != "for" or n in d.results or len(d.blocks) != 1:
            break
        params, k = d.blocks[0].params[1:], len(d.results)
        if n not in params or len(d.args) < k or len(params) != k:
            return None
        if levels == 0 and not _in_place(d.blocks[0], n, params.index(n)):
            idx = None  # (the carry's positions may move: every position of `x` is checked)
        levels += 1
        n = d.args[len(d.args) - k + params.index(n)]
        d = defs.get(n) if type(n) is Var else None
    if n is start or d is None or d.prim not in ABS or len(d.args) != 1 or d.kwargs:
        return None
    x = d.args[0]
    if levels != 1 or not (type(idx) is Const and type(idx.value) is int):
        idx = None
    return None if type(x) is not Var else (x, "abscarry", a, idx)


_SCALED = frozenset(("mul", "truediv", "add", "sub", "neg", "pos"))


def _in_place(body: Any, p: Var, k: int) -> bool:
    """Does the loop `body` make its carry `k` (the parameter `p`) from `p` alone by arithmetic
    with constant numbers (``n = n * 2``), so position ``i`` of the new value comes from
    position ``i`` of `p` only, in every iteration?"""
    defs = {r: o for o in body.ops for r in o.results}
    v = body.yields[k] if k < len(body.yields) else None
    for _ in range(64):
        if v is p:
            return True
        o = defs.get(v) if type(v) is Var else None
        if o is None or o.prim not in _SCALED or o.kwargs or len(o.results) != 1:
            return False
        vs = [u for u in o.args if type(u) is Var]
        consts = [u for u in o.args if type(u) is Const]
        if len(vs) != 1 or not all(type(c.value) in (int, float) for c in consts):
            return False
        v = vs[0]
    return False


def abscarry_term(got: tuple, t: Operand, b: Any) -> Var:
    """``2 a t`` (`t`: ``da`` or ``g``) of an "abscarry" entry, checked where ``x == 0``."""
    x, _, a, idx = got
    v = b.op("mul", [b.op("mul", [Const(2.0), a]), t])
    if idx is not None:  # ``n[i]`` of a carry whose positions stay: only ``x[i]`` reaches it
        x = b.op("getitem", [x, idx])
    return b.op(RT + "root_d2_check", [v, x, x, Const(())])
