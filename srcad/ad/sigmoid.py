"""The logistic sigmoid written out, ``y = n / (1.0 + np.exp(v))``: its derivative from its output.

Input: a function's IR. Output: ``sigmoids(fn) -> {y: Sigmoid}`` for each chain ``y = n / d``
(also ``np.reciprocal(d)``, ``d ** -1``: `n` 1) with ``d = 1 + e`` (or ``e + 1``) and
``e = np.exp(v)``, whose intermediates `e` and `d` are defined in the same block as `y` and read
nowhere else. Where ``np.exp(v)`` overflows (``v > 709``: a steep or saturated sigmoid,
``1 / (1 + np.exp(-(x - t) / 0.01))``, SiLU ``x / (1 + np.exp(-x))``) the chain rule through the
intermediates gives ``n * (e dv) / d**2 = inf / inf = nan``, though `y`'s derivative is 0 there:
both sweeps read it from ``q = 1 / d`` instead, ``e / d**2 = q * (1 - q)``::

    dy = dn * q - n * (q * (1 - q)) * dv        (forward, `sigmoid_jvp`)
    bn = g * q,  bv = -(g * n) * (q * (1 - q))  (reverse, `sigmoid_vjp`; unbroadcast to n, v)

The classic ``y = 1 / (1 + np.exp(-u))`` (`Sigmoid.u`: a `-u` read only there) gives `u` the
cotangent ``g * (y * (1.0 - y))`` directly, as a person writes it: three operations instead of
seven, and the tape keeps `y` (read anyway) instead of the exponential and the denominator.
The other chains apply only where `v` is varied and neither `n` nor `v` may be complex.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from srcad.ad.boolmasks import is_in
from srcad.ad.common import RT
from srcad.ssa.census import ops_of
from srcad.ssa.core import (
    Const,
    Function,
    Op,
    Operand,
    Var,
    blocks_with_defs,
    shared_uses,
)


class Sigmoid(NamedTuple):
    n: Operand  # the numerator (1 for a reciprocal)
    v: Var  # the exponent
    d: Var  # the denominator 1 + exp(v)
    u: Var | None  # v = -u read only here, n == 1: the classic sigmoid of u
    chain: tuple[Var, ...]  # the intermediates (-u,) exp(v), 1 + exp(v)


_RECIPROCALS = ("numpy.reciprocal", "pow", "numpy.power")


def _one(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float) and a.value == 1


def _minus_one(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float) and a.value == -1


def _over(op: Op) -> Operand | None:
    """`op`'s denominator when it is ``n / d``, ``np.reciprocal(d)`` or ``d ** -1``."""
    if op.kwargs or len(op.results) != 1:
        return None
    if op.prim == "truediv" and len(op.args) == 2:
        return op.args[1]
    if op.prim == "numpy.reciprocal" and len(op.args) == 1:
        return op.args[0]
    if op.prim in ("pow", "numpy.power") and len(op.args) == 2 and _minus_one(op.args[1]):
        return op.args[0]
    return None


def _candidates(fn: Function) -> bool:
    """Does `fn` divide by ``1 + np.exp(v)`` somewhere (one walk, before any counting)?"""
    exps: set[Var] = set()
    dens: set[Var] = set()
    for op in ops_of(fn.body):  # (SSA: a definition comes before its reads)
        p = op.prim
        if p == "numpy.exp":
            exps.update(op.results)
        elif p == "add" and exps and len(op.args) == 2:
            a, b = op.args
            if (_one(a) and is_in(b, exps)) or (_one(b) and is_in(a, exps)):
                dens.update(op.results)
        elif dens and (p == "truediv" or p in _RECIPROCALS) and is_in(_over(op), dens):
            return True
    return False


def sigmoids(fn: Function, memo: dict | None = None) -> dict[Var, Sigmoid]:
    """``{y: Sigmoid}`` for the ``y = n / (1 + exp(v))`` chains in `fn` (module docstring). A
    denominator may end several chains (``q = 1.0 / d`` next to ``y = x / d``: the reverse sweep
    of a chain reads `q`) when every read of it is one."""
    found: dict[Var, Sigmoid] = {}
    if not _candidates(fn):
        return found  # no division by ``1 + np.exp(v)``: nothing to count
    counts = shared_uses(fn.body, memo)  # (`memo`: read counts shared with later peepholes)

    for block, defs in blocks_with_defs(fn.body):

        def single(v: Operand, prim: str, n: int = 1, defs: dict[Var, Op] = defs) -> Op | None:
            d = defs.get(v) if isinstance(v, Var) else None
            if d is None or d.prim != prim or d.kwargs or counts.get(v) != n:
                return None
            return d

        ends: dict[Var, list[Op]] = {}  # denominator -> the divisions by it
        for op in block.ops:
            d = _over(op)
            if isinstance(d, Var) and d in defs:
                ends.setdefault(d, []).append(op)
        for d, ops in ends.items():
            den = single(d, "add", len(ops))
            if den is None or len(den.args) != 2 or not any(_one(a) for a in den.args):
                continue
            e = den.args[1] if _one(den.args[0]) else den.args[0]
            ex = single(e, "numpy.exp")
            if ex is None or len(ex.args) != 1 or not isinstance(ex.args[0], Var):
                continue
            v = ex.args[0]
            for op in ops:
                n = op.args[0] if op.prim == "truediv" else Const(1)
                neg = single(v, "neg") if _one(n) else None
                if neg is not None and len(neg.args) == 1 and isinstance(neg.args[0], Var):
                    chain = (neg.result, ex.result, d)
                    found[op.result] = Sigmoid(n, v, d, neg.args[0], chain)
                else:
                    found[op.result] = Sigmoid(n, v, d, None, (ex.result, d))
    return found


def _general(tr: Any, s: Sigmoid) -> bool:
    """Does the general chain's derivative apply (`v` varied, nothing complex)?"""
    cplx = tr.complex
    return s.v in tr.varied and s.v not in cplx and not (isinstance(s.n, Var) and s.n in cplx)


def _q_terms(y: Var, s: Sigmoid, b: Any) -> tuple[Operand, Operand]:
    """``q = 1 / d`` (`y` itself when `n` is 1) and ``q * (1 - q)``."""
    q = y if _one(s.n) else b.op("truediv", [Const(1.0), s.d])
    return q, b.op("mul", [q, b.op("sub", [Const(1.0), q])])


def sigmoid_jvp(jvp: Any, op: Op, b: Any) -> Operand | None:
    """`jvp` (an ad/jvp.py forward transform) at a chain's `y`: its tangent, or None where it
    does not apply."""
    s = jvp.sigmoids.get(op.results[0]) if len(op.results) == 1 else None
    if s is None:
        return None
    y = op.results[0]
    if s.u is not None:
        return b.op("mul", [jvp.d(s.u, b), b.op("mul", [y, b.op("sub", [Const(1.0), y])])])
    if not _general(jvp, s):
        return None
    q, qq = _q_terms(y, s, b)
    t = b.op("mul", [jvp.d(s.v, b), qq])
    t = b.op("neg", [t if _one(s.n) else b.op("mul", [s.n, t])])
    if isinstance(s.n, Var) and s.n in jvp.varied:
        t = b.op("add", [b.op("mul", [jvp.d(s.n, b), q]), t])
    return t


def sigmoid_vjp(vjp: Any, op: Op, g: Operand, adj: dict, b: Any) -> bool:
    """`vjp` (an ad/vjp.py reverse transform) at a chain's `y`: the cotangents of `u`, or of `n`
    and `v`; False where it does not apply (not such a `y`, or `g` may be None)."""
    s = vjp.sigmoids.get(op.results[0]) if len(op.results) == 1 else None
    if s is None or g in vjp.maybe_none:
        return False
    y = op.results[0]
    if s.u is not None:
        qq = b.op("mul", [y, b.op("sub", [Const(1.0), y])])
        vjp.acc(adj, s.u, b.op("mul", [g, qq]), b)
        return True
    if not _general(vjp, s):
        return False
    q, qq = _q_terms(y, s, b)
    gn = g if _one(s.n) else b.op("mul", [g, s.n])
    bv = b.op("neg", [b.op("mul", [gn, qq])])
    vjp.acc(adj, s.v, b.op(RT + "unbroadcast", [bv, s.v]), b)
    if isinstance(s.n, Var) and s.n in vjp.varied:
        vjp.acc(adj, s.n, b.op(RT + "unbroadcast", [b.op("mul", [g, q]), s.n]), b)
    return True
