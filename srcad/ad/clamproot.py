"""The root of a value clamped at 0, ``np.sqrt(np.maximum(s, 0))``: refused where its derivative
is ``0 * inf``.

Input: a transform (`ad/jvp.py`, `ad/vjp.py`) and a root op (``np.sqrt``, ``math.sqrt``,
``u ** 0.5``) with the derivative it computed (a tangent, or a contribution to the operand's
adjoint). Output: `clamp_checked`, that derivative wrapped in ``_srcad.clamp_root_check(c, m)``
(`rules/root_at0.py`) when the root's operand `m` is made by ``np.maximum(s, 0)`` (either order),
``np.clip(s, 0, ..)`` or ``s.clip(0, ..)``: the check raises where ``m == 0`` and `c` is NaN.

Why: ``r = np.sqrt(np.maximum(sq, 0))`` of a squared distance in its expanded form
(``|x_i|^2 + |x_j|^2 - 2 x_i . x_j``, a Matern or exponential kernel) is 0 on its diagonal,
where the root's local derivative is inf and the chain rule's ``0 * inf`` (a kernel flat at
``r = 0``, or a tangent of ``sq`` that is 0 there) gave a NaN gradient and JVP with no
explanation, though the kernel is differentiable (JAX gives NaN too). srcad cannot tell from
``sq``'s value whether it moves at second order, so the derivative is refused there, with a hint
to the difference form ``np.sqrt(np.sum((x[:, None] - x[None]) ** 2, -1))``, whose zero diagonal
srcad differentiates (`fmasks.square_sums`). An infinite derivative (a nonzero cotangent at 0:
the root's one-sided slope) is kept.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.common import RT
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Op, Operand, Var

ROOTS = frozenset(("numpy.sqrt", "math.sqrt", "pow", "numpy.power"))
_MAXIMA = frozenset(("numpy.maximum", "numpy.fmax"))
_CLIPS = frozenset(("numpy.clip", "method.clip"))


def clamp_checked(t: Any, op: Op, c: Operand, b: Any) -> Operand:
    """`c`, the derivative of the root `op`, checked where its operand is clamped at 0 (module
    docstring); `t`: the transform (its clamped roots found once, `_clamped`)."""
    found = t.__dict__.get("clamped_roots")
    if found is None:
        found = t.__dict__["clamped_roots"] = _clamped(t.fn.body)
    m = found.get(op.results[0]) if len(op.results) == 1 else None
    if m is None or type(c) is not Var:
        return c
    return b.op(RT + "clamp_root_check", [c, m])


def _clamped(body: Any) -> dict[Var, Var]:
    """``{r: m}`` for each root ``r`` of a value ``m`` clamped at 0 in `body`."""
    ops = ops_of(body)
    clamps = {op.results[0] for op in ops if len(op.results) == 1 and _clamp(op)}
    out: dict[Var, Var] = {}
    for op in ops:
        if op.prim not in ROOTS or len(op.results) != 1 or op.kwargs or not op.args:
            continue
        m = op.args[0]
        half = len(op.args) == 2 and type(op.args[1]) is Const and op.args[1].value == 0.5
        if m in clamps and (op.prim.endswith("sqrt") and len(op.args) == 1 or half):
            out[op.results[0]] = m
    return out


def _zero(a: object) -> bool:
    return type(a) is Const and type(a.value) in (int, float) and a.value == 0


def _clamp(op: Op) -> bool:
    """Is `op` ``np.maximum(s, 0)``, ``np.maximum(0, s)``, ``np.clip(s, 0, ..)`` or
    ``s.clip(0, ..)`` (positional, no other keyword)?"""
    args = op.args
    if op.kwargs or len(args) < 2:
        return False
    if op.prim in _MAXIMA:
        return len(args) == 2 and (_zero(args[0]) or _zero(args[1]))
    return op.prim in _CLIPS and len(args) >= 2 and _zero(args[1])
