"""The forms of a square `ad/squares.py` reads: ``a ** 2`` (``np.square(a)``, ``a * a``, an
exponent that is a cast of 2: ``r ** np.int64(2)``; `squared`, which ad/squares_scaled.py reads
for ``c * f1 * ... * a ** 2``), and ``n[i] ** 2`` of an entry (any index) of ``n =
np.abs(x)``: ``x[i] ** 2``. Also the values a loop's reverse sweep carries for the squares in
its body (`square_targets`).

Input: ops of a function's IR and the ops defining the values they read. Output: the squared
value and the factor; the entry-square rules (`item_jvp`, `item_vjp`: ``2 x[i] dx[i]``, and
``2 x[i] g`` added at `i`).
"""

from __future__ import annotations

import types
from typing import Any

from srcad.ad.callees import resolve_callee
from srcad.ad.structural import vjp_getitem
from srcad.lower.values import static_value
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Op, Operand, Var

ABS = frozenset({"abs", "numpy.absolute", "numpy.abs", "numpy.fabs", "math.fabs"})


def _two(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float) and a.value == 2


# integer and float casts of a number 2 (``r ** np.int64(2)``) are the exponent 2
_TWO_CASTS = frozenset({"int", "float", "numpy.int64", "numpy.int32", "numpy.float64"})


def _two_at(a: Operand, defs: Any) -> bool:
    """`a` is 2, or a cast of 2 defined in the block (`defs`)."""
    if _two(a):
        return True
    d = defs.get(a) if type(a) is Var else None
    return (
        d is not None
        and d.prim in _TWO_CASTS
        and len(d.args) == 1
        and not d.kwargs
        and (_two(d.args[0]))
    )


def squared(op: Op, defs: Any = None) -> Operand | None:
    """`a` when `op` computes ``a ** 2`` (``np.square(a)``, ``np.power(a, 2)``, ``a * a``;
    the exponent may be a cast of 2 defined in `defs`: ``r ** np.int64(2)``)."""
    if op.kwargs or len(op.results) != 1:
        return None
    args = op.args
    two = _two if defs is None else (lambda v: _two_at(v, defs))
    if op.prim in ("pow", "numpy.power", "math.pow") and len(args) == 2 and two(args[1]):
        return args[0]
    if op.prim == "numpy.square" and len(args) == 1:
        return args[0]
    if op.prim in ("mul", "numpy.multiply") and len(args) == 2 and args[0] is args[1]:
        return args[0]  # (``np.multiply(n, n)``)
    return None


def square_targets(found: dict, block: Any) -> list[Var]:
    """The values the reverse rules of the squares `found` in `block` (nested blocks
    included) give cotangents to, in first-read order: a loop's reverse sweep carries them
    (``r = np.linalg.norm(x)`` before the loop, ``s += r ** 2`` in it: `x` gets ``2 x g``)."""
    out: dict[Var, None] = {}
    for op in ops_of(block) if found else ():
        got = found.get(op.results[0]) if len(op.results) == 1 else None
        if got is not None:
            xs = [t[1] for t in got[2]] if got[1] in ("terms", "fterms") else [got[0]]
            if got[1] == "cosmag":  # (``np.cos(np.hypot(p, q))``: ad/squares_even.py)
                xs = [t[1] for t in got[2][0]]
            if got[1] == "fterms":  # (``lam * n * n``: the factors get cotangents too)
                xs += [f for f in got[3][1] if type(f) is Var]
            for x in xs:
                if type(x) is Var:  # (not a constant part, ``np.hypot(p, 0.5)``)
                    out[x] = None
    return list(out)


def squared_item(a: Operand, defs: Any) -> tuple | None:
    """``(x, "item", i, False)`` when `a` is ``n[i]`` of ``n = np.abs(x)`` (``abs``,
    ``np.fabs``; a real `x`, any index): ``a ** 2`` is ``x[i] ** 2``, smooth at 0, where the
    chain rule through the magnitude's subgradient gave a second derivative of 0."""
    d = defs.get(a) if type(a) is Var else None
    if d is None or d.prim != "getitem" or len(d.args) != 2 or d.kwargs:
        return None
    n, i = d.args
    m = defs.get(n) if type(n) is Var else None
    if m is None or m.prim not in ABS or len(m.args) != 1 or m.kwargs:
        return None
    x = m.args[0]
    return None if type(x) is not Var else (x, "item", i, Const(False))


def item_jvp(jvp: Any, x: Var, i: Operand, b: Any) -> Operand:
    """The tangent ``2 x[i] dx[i]`` of ``np.abs(x)[i] ** 2``."""
    xi, dxi = b.op("getitem", [x, i]), b.op("getitem", [jvp.d(x, b), i])
    return b.op("mul", [b.op("mul", [Const(2.0), xi]), dxi])


def item_vjp(vjp: Any, op: Op, x: Var, i: Operand, g: Operand, adj: dict, b: Any) -> None:
    """`x` gets ``2 x[i] g`` at `i` (as the reverse rule of ``x[i]`` adds it)."""
    xi = b.op("getitem", [x, i])
    c = b.op("mul", [g, b.op("mul", [Const(2.0), xi])])
    vjp_getitem(vjp, Op("getitem", [x, i], results=[Var("")], loc=op.loc), c, adj, b)


def helper_magnitude(
    fn: Any, d: Op, defs: Any, norm_params: Any, module: Any = None
) -> list | None:
    """``[(kind, x, a, params)]`` when `d` is ``a = helper(x, ...)`` of a user function whose
    body returns ``np.abs(p)`` ("abs") or a 2-norm ``np.linalg.norm(p)`` of the whole or over
    constant axes ("norm", `norm_params`' (axis, keepdims)) of its parameter `p` (``def
    _nrm(v): return np.linalg.norm(v)`` then ``_nrm(x) ** 2``): `x` the call's operand there.
    Also `d` ``a = pair[k]`` of ``pair = fwd(x, ...)``, the forward part of a split helper
    returning ``(magnitude, residuals)``."""
    k, a = None, d.results[0] if len(d.results) == 1 else None
    if d.prim == "getitem" and type(d.args[0]) is Var and defs.get(d.args[0]) is not None:
        c = d.args[1]
        k = c.value if type(c) is Const and type(c.value) is int and c.value >= 0 else None
        d = defs[d.args[0]]
        if k is None or d.prim != "call":
            return None
    if d.kwargs or len(d.results) != 1 or not d.args or a is None:
        return None
    g = defs.get(d.args[0]) if type(d.args[0]) is Var else None
    if g is not None and g.prim == "global" and g.params.get("generated"):
        name = g.params.get("name")  # (a helper's forward part the reverse transform made)
        made = [f for f in getattr(module, "functions", ()) if f.name == name]
        if len(made) != 1 or k is None:
            return None
        callee = made[0]
    else:
        if g is None or g.prim not in ("global", "free") or not _plain_function(fn, d.args[0]):
            return None  # (cheap: a refusal's message is not built here)
        try:
            callee, _ = resolve_callee(fn, d)
        except Exception:
            return None  # (the call's own rule refuses it, as before)
    body = callee.body
    if len(body.yields) != 1 or len(callee.params) != len(d.args) - 1:
        return None
    r = body.yields[0]
    m = next((o for o in body.ops if r in o.results), None)
    if k is not None:  # (the result of a split helper's forward part: its first item)
        if m is None or m.prim != "tuple" or m.kwargs or len(m.args) <= k:
            return None
        r = m.args[k]
        m = next((o for o in body.ops if r in o.results), None)
    if m is None or not m.args or m.args[0] not in callee.params:
        return None
    x = d.args[1 + callee.params.index(m.args[0])]
    if type(x) is not Var:
        return None
    if m.prim in ABS and len(m.args) == 1 and not m.kwargs:
        return [("abs", x, a, ())]
    got = norm_params(m, None) if m.prim == "numpy.linalg.norm" else None
    if got is None or not all(isinstance(v, Const) for v in got):
        return None
    return [("norm", x, a, got)]


def _plain_function(fn: Any, f: Var) -> bool:
    """`f` is known here to be a plain Python function (not a derivative srcad made)."""
    ok, obj = static_value(fn, f)
    return ok and isinstance(obj, types.FunctionType) and not hasattr(obj, "__srcad_derivative__")
