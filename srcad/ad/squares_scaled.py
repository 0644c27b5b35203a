"""Scaled squares for `ad/squares.py`: ``c * f1 * ... * a ** 2`` of a magnitude `a`.

Input: a squaring op (``a ** 2``, ``a * a``, ``(c * a) * (d * a)``, ``(lam * n) * n``) and the
ops defining the values it reads. Output: (`a`, `c`, factors) with the op equal to
``c * f1 ** p1 * ... * fk ** pk * a ** 2`` for a number `c`, operands `fi` and powers `pi` of 1
or -1 (``(r / ell) ** 2``: `scaled_square`), and the
derivative code of such a square whose factors are operands, kind "fterms"
(`fterms_vjp`, `fterms_jvp`); the parts' rules of a square, ``2 x dx`` summed (`terms_jvp`,
`terms_vjp`), and its smooth value (`terms_value`, a constant part's square included).

Why: ``n = np.linalg.norm(w); lam * n * n`` (Python reads ``(lam * n) * n``), a regulariser at
the common starting point ``w = 0``, had a Hessian of 0 there where it is ``2 lam``: the chain
rule through the norm's subgradient 0, as for ``n ** 2`` (`ad/squares.py`), with the factor
`lam` a value, not a number constant. The factors' own derivatives read the smooth square
(``np.sum(w * w)``, not ``n * n``), so every order is right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ad.squares_forms import squared
from srcad.ssa.core import Const, Op, Operand, Var

_MAX_FACTORS = 2
_MULS = ("mul", "numpy.multiply")  # (``np.multiply(n, n)``)


def _candidates(
    v: Operand, defs: Any, depth: int = 0, budget: int = _MAX_FACTORS
) -> list[tuple[Operand, float, tuple]]:
    """The ways of reading `v` as ``c * f1 ** p1 * ... * a`` (`v` itself first): through
    negations, products with and divisions by numbers, and products by and divisions by other
    operands (the factors ``(f, 1)`` and ``(f, -1)``, at most `budget` of them)."""
    out: list[tuple[Operand, float, tuple]] = [(v, 1.0, ())]
    d = defs.get(v) if type(v) is Var and depth < 6 else None
    if d is None or d.kwargs or len(d.results) != 1:
        return out
    args = d.args
    if d.prim == "neg" and len(args) == 1:
        out += [(a, -c, f) for a, c, f in _candidates(args[0], defs, depth + 1, budget)]
    elif d.prim in ("mul", "truediv") and len(args) == 2:
        for k in (0, 1) if d.prim == "mul" else (1,):
            n, other = args[k], args[1 - k]
            if isinstance(n, Const) and type(n.value) in (int, float) and n.value != 0:
                for a, c, f in _candidates(other, defs, depth + 1, budget):
                    out.append((a, c * n.value if d.prim == "mul" else c / n.value, f))
            elif budget > 0 and (d.prim == "mul" or type(n) is Var):
                power = 1 if d.prim == "mul" else -1  # (``r / ell``)
                for a, c, f in _candidates(other, defs, depth + 1, budget - 1):
                    out.append((a, c, (*f, (n, power))))
    return out


def scaled_square(
    op: Op, defs: Any, ok: Callable[[Operand], bool]
) -> tuple[Operand | None, float, tuple]:
    """(`a`, `c`, factors) when `op` computes ``c * f1 * ... * a ** 2`` for a number `c` and a
    value `a` that `ok` accepts (a magnitude): the square (`squared`: ``a ** 2``, ``a * a``) of
    a scaled value, or the product of two scaled values (``(2.0 * r) * (3.0 * r)``, ``-r * r``,
    ``(lam * r) * r``); the reading with the fewest factors. (None, 1.0, ()) otherwise."""
    a = squared(op, defs)
    if a is not None:
        for b, c, f in sorted(_candidates(a, defs), key=lambda t: len(t[2])):
            if type(b) is Var and 2 * len(f) <= _MAX_FACTORS and ok(b):
                return b, c * c, f + f
        return None, 1.0, ()
    if op.prim not in _MULS or len(op.args) != 2 or op.kwargs:
        return None, 1.0, ()
    left, right = _candidates(op.args[0], defs), _candidates(op.args[1], defs)
    pairs = [(p, q) for p in left for q in right if type(p[0]) is Var and p[0] is q[0]]
    for (p, cp, fp), (_, cq, fq) in sorted(pairs, key=lambda t: len(t[0][2]) + len(t[1][2])):
        if len(fp) + len(fq) <= _MAX_FACTORS and ok(p):
            return p, cp * cq, fp + fq
    return None, 1.0, ()


def _product(factors: Any, b: Any) -> Operand | None:
    """``f1 ** p1 * ... * fk ** pk`` (None for no factors)."""
    out = None
    for f, p in factors:
        if p == 1:
            out = f if out is None else b.op("mul", [out, f])
        else:
            out = b.op("truediv", [Const(1.0) if out is None else out, f])
    return out


def _partial(factors: tuple, i: int, b: Any) -> Operand | None:
    """The derivative of the factors' product in the `i`-th: the others' product, times
    ``-1 / fi ** 2`` for a divisor (None for 1)."""
    rest = _product([*factors[:i], *factors[i + 1 :]], b)
    f, p = factors[i]
    if p == 1:
        return rest
    t = b.op("neg", [b.op("truediv", [b.op("truediv", [Const(1.0), f]), f])])
    return t if rest is None else b.op("mul", [rest, t])


def terms_value(terms: tuple, b: Any) -> Operand:
    """The square's smooth value from its parts: ``x * x`` ("abs"; "const", a number: the
    ``0.5 ** 2`` of ``np.hypot(p, 0.5) ** 2``), ``np.sum(x * x, axis, keepdims)`` ("norm"), `x`
    ("root"), ``np.var(x, ...)`` ("var"), summed."""
    out = None
    for kind, x, _, params in terms:
        if kind == "root":
            t = x
        elif kind == "var":
            kw = dict(zip(("axis", "ddof", "keepdims"), params))
            t = b.op("numpy.var", [x], kw)
        else:
            t = b.op("mul", [x, x])
            if kind == "norm":
                t = b.op("numpy.sum", [t], {"axis": params[0], "keepdims": params[1]})
        out = t if out is None else b.op("add", [out, t])
    return out


def terms_vjp(acc: Any, terms: tuple, g: Operand, adj: dict, b: Any) -> None:
    """Each part's cotangent from `g` (summed down to its magnitude's shape first); `acc`:
    the reverse transform's, or ad/squares.py's `_masked`'s."""
    for kind, x, ref, params in terms:
        if kind == "const":  # (a constant part: no derivative)
            continue
        gg = b.op("srcad.runtime.unbroadcast", [g, ref])
        if kind == "root":
            acc(adj, x, gg, b)
            continue
        if kind == "var":
            acc(adj, x, b.op("srcad.runtime.var_vjp", [gg, x, *params]), b)
            continue
        if kind == "norm":
            gg = b.op("srcad.runtime.sum_vjp", [gg, x, *params])
        acc(adj, x, b.op("mul", [gg, b.op("mul", [Const(2.0), x])]), b)


def terms_jvp(jvp: Any, terms: tuple, y: Var, b: Any) -> Operand:
    """The sum of the parts' tangents, in the shape of the square `y` (``np.copysign(x, s)``
    of a larger `s`)."""
    out = None
    for kind, x, _, params in terms:
        if kind == "const":  # (a constant part: no derivative)
            continue
        dx = jvp.d(x, b)
        if kind == "root":
            t = dx
        elif kind == "var":
            t = b.op("srcad.runtime.var_jvp", [dx, x, *params])
        else:
            t = b.op("mul", [b.op("mul", [Const(2.0), x]), dx])
            if kind == "norm":
                t = b.op("numpy.sum", [t], {"axis": params[0], "keepdims": params[1]})
        out = t if out is None else b.op("add", [out, t])
    return b.op("srcad.runtime.broadcast_like", [out, y])


def fterms_vjp(
    acc: Any, varied: Any, got: tuple, g: Operand, adj: dict, b: Any, parts: Any
) -> None:
    """``y = c * f1 ** p1 * ... * fk ** pk * s`` (`got`: `ad/squares.py`'s record, kind
    "fterms"): each varied factor gets ``g * c * s`` times the product's derivative in it
    (`_partial`, summed to its shape), and the square's parts ``g * c * f1 ** p1 * ...``
    (`parts`: `terms_vjp`)."""
    _, _, terms, (scale, factors) = got
    g = g if scale.value == 1.0 else b.op("mul", [g, scale])
    s = None
    for i, (f, _) in enumerate(factors):
        if type(f) is not Var or f not in varied:
            continue
        s = terms_value(terms, b) if s is None else s
        rest = _partial(factors, i, b)
        c = b.op("mul", [g, s if rest is None else b.op("mul", [s, rest])])
        acc(adj, f, b.op("srcad.runtime.unbroadcast", [c, f]), b)
    parts(acc, terms, b.op("mul", [g, _product(factors, b)]), adj, b)


def fterms_jvp(jvp: Any, got: tuple, y: Var, b: Any, parts: Any) -> Operand:
    """The tangent of ``y = c * P * s``, ``P = f1 ** p1 * ... * fk ** pk``: ``c * (P * ds +
    sum_i dfi * dP/dfi * s)``, in `y`'s shape (`parts`: `terms_jvp`, `ds`)."""
    _, _, terms, (scale, factors) = got
    t = b.op("mul", [_product(factors, b), parts(jvp, terms, y, b)])
    s = None
    for i, (f, _) in enumerate(factors):
        if type(f) is not Var or f not in jvp.tan:
            continue
        s = terms_value(terms, b) if s is None else s
        rest = _partial(factors, i, b)
        c = b.op("mul", [jvp.tan[f], s if rest is None else b.op("mul", [s, rest])])
        t = b.op("add", [t, c])
    if scale.value != 1.0:
        t = b.op("mul", [scale, t])
    return b.op("srcad.runtime.broadcast_like", [t, y])
