"""The stable softplus' tail, ``y = np.log1p(np.exp(-np.abs(z)))``: its derivative without `abs`.

Input: a function's IR. Output: ``{y: (z, c, m)}`` for each ``y = log1p(exp(-c * abs(z)))``
(also ``np.log(1 + np.exp(-np.abs(z)))``, builtin ``abs``, `math`'s functions: `m`, a constant
``c > 0``: 1, or 2 in the stable log-cosh ``|x| + log1p(exp(-2 |x|)) - log 2``) whose
intermediates between `y` and ``|z|`` are defined in the same block as `y` and read nowhere
else (``|z|`` may be: log-cosh's partner).
Both sweeps (`ad/vjp.py`, `ad/jvp.py`) differentiate `y` (of ``w = c z``) as the chain rule
does, ``-sign(w) sigmoid(-|w|)`` (sigmoid(w) minus the step `np.maximum(w, 0)`, its usual
partner in softplus and binary cross-entropy with logits, contributes), except at ``w == 0``:
there ``0.5 * tanh(0.5 w)``, the same value 0 (the half-and-half tie of `np.maximum` makes the
sum sigmoid(0); `abs`'s 0 makes log-cosh's tanh(0)) with the derivative sigmoid'(0) = 0.25.

Why: the chain rule's ``sign(z)`` appears twice in the second derivative, ``sign(z) ** 2``, and
is 0 at ``z = 0``: the Hessian of the stable softplus or log-sigmoid at 0 came out 0 where both
one-sided values, and the smooth sum's, are sigmoid'(0) = 0.25 (Newton's method on logistic
regression starts at ``w = 0``, every logit 0). Away from 0, ``sign(z) ** 2`` is 1 and the chain
rule right.
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, shared_uses

_ABS = frozenset({"abs", "numpy.absolute", "numpy.abs", "math.fabs"})


def _one(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float) and a.value == 1


def softplus_tails(fn: Function, memo: dict | None = None) -> dict[Var, Var]:
    """``{y: z}`` for the ``y = log1p(exp(-abs(z)))`` chains in `fn` (module docstring)."""
    found: dict[Var, Var] = {}
    if not any(op.prim in _ABS for op in ops_of(fn.body)):
        return found
    counts: list = []  # the read counts, counted on the first question

    def visit(block: Block) -> None:
        defs: dict[Var, Op] = {}

        def single(v: Operand, prims: Any) -> Op | None:
            d = defs.get(v) if isinstance(v, Var) else None
            if d is None or d.prim not in prims or d.kwargs:
                return None
            if not counts:
                counts.append(shared_uses(fn.body, memo))
            if counts[0].get(v) != 1:
                return None
            return d if len(d.args) == (2 if d.prim in ("add", "mul") else 1) else None

        for op in block.ops:
            for sub in op.blocks:
                visit(sub)
            for r in op.results:
                defs[r] = op
            if op.kwargs or len(op.args) != 1 or len(op.results) != 1:
                continue
            e = op.args[0]
            if op.prim in ("numpy.log", "math.log"):
                den = single(e, ("add",))
                if den is None or not any(_one(a) for a in den.args):
                    continue
                e = den.args[1] if _one(den.args[0]) else den.args[0]
            elif op.prim not in ("numpy.log1p", "math.log1p"):
                continue
            ex = single(e, ("numpy.exp", "math.exp"))
            arg, scale = _scaled(single, ex.args[0]) if ex is not None else (None, 1.0)
            ab = defs.get(arg) if isinstance(arg, Var) else None  # (|z| may be read elsewhere)
            if ab is not None and ab.prim in _ABS and len(ab.args) == 1 and not ab.kwargs:
                if isinstance(ab.args[0], Var):  # (math's: a number, not a 0-d array)
                    found[op.results[0]] = (ab.args[0], scale, op.prim.startswith("math."))

    try:
        visit(fn.body)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = None  # type: ignore[assignment]
    return found


def _scaled(single: Any, v: Operand) -> tuple[Operand | None, float]:
    """(|z|, c) of an exponent ``-|z|``, ``-(c * |z|)`` or ``-c * |z|`` (a constant c > 0:
    ``log1p(exp(-2 * abs(x)))``, the tail of log-cosh), else (None, 1.0)."""
    neg = single(v, ("neg",))
    if neg is not None:
        m = single(neg.args[0], ("mul",))
        if m is None:
            return neg.args[0], 1.0
        k, a = _constant_factor(m.args)
        return (a, k) if k is not None and k > 0 else (None, 1.0)
    m = single(v, ("mul",))
    k, a = _constant_factor(m.args) if m is not None else (None, None)
    return (a, -k) if k is not None and k < 0 else (None, 1.0)


def _constant_factor(args: list) -> tuple[float | None, Operand | None]:
    for k, a in (args, args[::-1]):
        if isinstance(k, Const) and type(k.value) in (int, float) and isinstance(a, Var):
            return float(k.value), a
    return None, None


def _slope(z: Operand, b: Any, number: bool = False) -> Operand:
    """The derivative of the tail at `z`: ``-sign(z) e / (1 + e)``, ``e = exp(-|z|)`` (the chain
    rule's value, exact in the far tails), except at ``z == 0``: ``0.5 * tanh(0.5 z)``, 0 there
    with the derivative sigmoid'(0) (both branches finite everywhere)."""
    e = b.op("numpy.exp", [b.op("neg", [b.op("numpy.absolute", [z])])])
    q = b.op("truediv", [e, b.op("add", [Const(1.0), e])])
    chain = b.op("mul", [b.op("neg", [b.op("numpy.sign", [z])]), q])
    at0 = b.op("mul", [Const(0.5), b.op("numpy.tanh", [b.op("mul", [Const(0.5), z])])])
    out = b.op("numpy.where", [b.op("eq", [z, Const(0.0)]), at0, chain])
    return b.op("getitem", [out, Const(())]) if number else out


def tail_vjp(vjp: Any, op: Op, g: Operand, adj: dict, b: Any) -> bool:
    """`vjp` (an ad/vjp.py reverse transform) at a tail `y`: `z` gets ``g * slope``; False where
    it does not apply (not a tail, or `g` may be None)."""
    zc = vjp.tails.get(op.results[0]) if len(op.results) == 1 else None
    if zc is None or g in vjp.maybe_none:
        return False
    z, c, number = zc
    if c == 1.0:
        vjp.acc(adj, z, b.op("mul", [g, _slope(z, b, number)]), b)
    else:  # the tail of w = c z: c * slope(w)
        w = b.op("mul", [Const(c), z])
        vjp.acc(adj, z, b.op("mul", [b.op("mul", [g, Const(c)]), _slope(w, b, number)]), b)
    return True


def tail_jvp(jvp: Any, op: Op, b: Any) -> Operand | None:
    """`jvp` (an ad/jvp.py forward transform) at a tail `y`: ``slope * dz``, or None."""
    zc = jvp.tails.get(op.results[0]) if len(op.results) == 1 else None
    if zc is None:
        return None
    z, c, number = zc
    if c == 1.0:
        return b.op("mul", [_slope(z, b, number), jvp.d(z, b)])
    w = b.op("mul", [Const(c), z])
    return b.op("mul", [_slope(w, b, number), b.op("mul", [Const(c), jvp.d(z, b)])])
