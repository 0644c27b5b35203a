"""Squares of a magnitude, ``np.abs(x) ** 2``, ``np.linalg.norm(x) ** 2`` and
``np.sqrt(s) ** 2`` of a sum of squares `s`: their derivative from `x` (from `s`).

Input: a function's IR. Output: ``{y: (x, kind, axis, keepdims)}`` for each ``y = a ** 2``
(also ``np.square(a)``, ``np.power(a, 2)``, ``math.pow(a, 2)``, ``a * a``) whose `a` is
``abs(x)``/``np.abs(x)``/``np.fabs(x)``/``math.fabs(x)`` (`kind` "abs": elementwise),
``np.linalg.norm(x, ord, axis, keepdims)`` of `ord` None, ``"fro"`` or 2 of vectors ("norm": the
2-norm or the Frobenius norm, ``np.sum(x * x, axis)`` squared back)
or ``np.sqrt(x)``/``math.sqrt(x)``/``x ** 0.5`` of a real sum of squares `x` ("root":
`fmasks.square_sums`, ``r = np.sqrt(np.sum(d ** 2))``; the square is `x` itself), defined in
the same block as `y`. Kind "terms" (the `Term`s in the `axis` slot, summed) is the rest:
``np.hypot(p, q)``/``math.hypot(p, q)`` (``p ** 2 + q ** 2``, each part through a nested
magnitude again: ``math.hypot(x, y, z)`` is ``hypot(hypot(x, y), z)``), ``np.copysign(x, s)``
(``x ** 2``, broadcast), ``np.std(x, axis, ddof)`` (``np.var``), ``float(m)``/``abs(m)`` of a
magnitude `m`; ``c * a ** 2`` of a number `c` too (``-r * r``, ``0.5 * r * r``: "terms", `c` in
the `keepdims` slot), and ``c * f1 * ... * a ** 2`` of values `fi` (``lam * n * n``: "fterms",
``(c, factors)`` in that slot; ad/squares_scaled.py). `a` may be read elsewhere too
(``r ** 2 + r ** 3``): those reads keep its rule; `a` made before an ``if`` is taken in its
branches (not in a loop body). The reverse sweep (`ad/vjp.py`) gives `x` the
cotangent ``2 x g`` (`g` spread over the reduced axes; `g` itself for a root) directly; of a
complex `x` (``np.abs(psi) ** 2``, a state's probabilities: kind "cabs"; a norm's square,
"cnorm", summed), the tangent ``2 Re(conj(x) dx)`` and the cotangent ``2 Re(g) conj(x)`` (the
root and the "terms" of complex values keep their rules).

Why: the function is smooth (it is ``x * x``, summed), but the chain rule through the magnitude
is not at 0, where the magnitude's derivative takes the subgradient 0. The first derivative comes
out right there (``2 |x| * 0 = 0``), its derivative does not: forward over reverse gave a Hessian
of 0 where it is 2 (``np.linalg.norm(w) ** 2`` as a regulariser at the common starting point
``w = 0`` dropped out of Newton's step; ``np.exp(-r ** 2)`` of a distance ``r = np.sqrt(np.sum((x
- c) ** 2))`` had a Hessian of 0 at ``x = c`` where it is -2; ``math.hypot(x0, x1, x2) ** 2``
had ``[0, 0, 2]`` on its diagonal at 0, ``np.std(w) ** 2`` 0 at constant `w`). ``2 x g`` is
smooth, so every order is right.
"""

from __future__ import annotations

from collections import ChainMap
from typing import Any

from srcad.ad.fmasks import square_sums
from srcad.ad.maskemit import where_selection
from srcad.ad.maskscan import NUMBER_CASTS
from srcad.ad.softplus_tail import softplus_tails, tail_vjp
from srcad.ad.squares_even import (
    DOTS,
    EVEN,
    abscarry_term,
    carried_abs,
    cos_factor,
    cosmag_jvp,
    cosmag_vjp,
    even_factor,
    even_square,
)
from srcad.ad.squares_forms import ABS, helper_magnitude, item_jvp, item_vjp, squared_item
from srcad.ad.squares_scaled import fterms_jvp, fterms_vjp, scaled_square, terms_jvp, terms_vjp
from srcad.ssa.census import ops_of
from srcad.ssa.core import (
    Const,
    Function,
    Op,
    Operand,
    Var,
)

_ABS = ABS
_NORM = "numpy.linalg.norm"
_NORM_KWARGS = frozenset({"axis", "keepdims"})
_SQUARING = frozenset(
    {"pow", "numpy.power", "math.pow", "numpy.square", "mul", "numpy.multiply"}
)  # what `squared` (ad/squares_forms.py) reads
_SQRT = frozenset({"numpy.sqrt", "math.sqrt"})
_HYPOT = frozenset({"numpy.hypot", "math.hypot"})
_COPYSIGN = "numpy.copysign"
_CALLS = ("call", "getitem")  # (a helper's result, or an item of its split forward part's)


Square = tuple[Var, str, Operand, Operand]


def _roots(
    fn: Function, prims: set[str], cplx: Any, ranks: Any, memo: dict | None = None
) -> dict[Var, Var]:
    """``{r: s}`` for each square root ``r`` of a real sum of squares `s` (`square_sums`; not
    ``a @ a`` of an `a` not known to be a vector, `ranks` None or the float arrays' ranks: a
    matrix product may be negative)."""
    if prims.isdisjoint(_SQRT) and not prims & {"pow", "numpy.power", "numpy.float_power"}:
        return {}
    sums = square_sums(fn.body, cplx, ranks, prims, memo)
    out: dict[Var, Var] = {}
    if not sums:
        return out  # (no sum of squares: no root of one)
    for op in ops_of(fn.body):
        r = op.results[0] if len(op.results) == 1 else None
        if r not in sums or type(sums[r]) is not Var:
            continue
        if op.prim in _SQRT or (len(op.args) == 2 and _half(op.args[1])):
            out[r] = sums[r]
    return out


def _half(a: Operand) -> bool:
    return isinstance(a, Const) and type(a.value) is float and a.value == 0.5


_STD = frozenset({"numpy.std", "method.std"})
_STD_KWARGS = frozenset({"axis", "ddof", "keepdims"})
_NORM_PARAMS = ("ord", "axis", "keepdims")

# One part of a square: (kind, x, ref, params). "abs": ``x ** 2``; "norm": ``x ** 2`` summed
# (params: axis, keepdims); "root": `x` (a sum of squares); "var": ``np.var(x, ...)`` (params:
# axis, ddof, keepdims); "const": ``x ** 2`` of a number Const `x` (``np.hypot(p, 0.5)``),
# after the others: no derivative, but part of the square's value (`terms_value`). `ref`: the
# magnitude the part came from (its shape: a cotangent of a broadcast ``np.hypot`` is summed
# down to it first).
Term = tuple[str, Var, Var, tuple]


def _norm_params(d: Op, ranks: Any) -> tuple[Operand, Operand] | None:
    """(axis, keepdims) of ``np.linalg.norm(x, ord, axis, keepdims)`` when it is the square root
    of a sum of squares: `ord` None, ``"fro"`` (matrices only), or 2 of a vector (an int `axis`,
    or no axis and `x` known to be a vector: of a matrix, 2 is the largest singular value)."""
    if len(d.args) > 4 or not set(d.kwargs) <= set(_NORM_PARAMS):
        return None
    got = dict(zip(_NORM_PARAMS, d.args[1:]))
    if set(got) & set(d.kwargs):
        return None
    got.update(d.kwargs)
    order, axis = got.get("ord", Const(None)), got.get("axis", Const(None))
    if not isinstance(order, Const) or not isinstance(axis, (Const, Var)):
        return None
    if order.value is None or (type(order.value) is str and order.value == "fro"):
        return axis, got.get("keepdims", Const(False))
    if type(order.value) not in (int, float) or order.value != 2 or not isinstance(axis, Const):
        return None
    vector = type(axis.value) is int or (
        axis.value is None and ranks is not None and ranks.get(d.args[0]) == 1
    )
    return (axis, got.get("keepdims", Const(False))) if vector else None


def _terms(a: Operand, defs: dict, roots: dict, ranks: Any) -> list[Term] | None:
    """The parts of ``a ** 2`` when `a` is a magnitude defined in the block (`defs`): a root of
    a sum of squares, ``abs(x)``, a 2-norm, ``np.hypot(p, q)`` (the parts of ``p ** 2`` and
    ``q ** 2``, through nested magnitudes: ``math.hypot(x, y, z)`` is two hypots), a standard
    deviation, or ``float(m)``/``abs(m)`` of a magnitude `m`; None otherwise."""
    d = defs.get(a) if type(a) is Var else None
    if d is None:
        return None
    if a in roots:
        return [("root", roots[a], a, ())]
    x = d.args[0] if d.args else None
    if type(x) is not Var:
        return None
    if not d.kwargs and (
        d.prim in NUMBER_CASTS
        and len(d.args) == 1
        or d.prim == "getitem"
        and len(d.args) == 2
        and isinstance(d.args[1], Const)
        and d.args[1].value == ()
    ):  # (``float(np.linalg.norm(x))``; ``m[()]``: scipy's ``euclidean(u, v)``)
        return _terms(x, defs, roots, ranks)
    if d.prim == "getitem" and not d.kwargs and _one_entry(x, d.args[1], defs, ranks):
        return _terms(x, defs, roots, ranks)  # (``np.linalg.norm(x, keepdims=True)[0]``)
    if (d.prim in _ABS and len(d.args) == 1 or d.prim == _COPYSIGN and len(d.args) == 2) and (
        not d.kwargs
    ):  # (``np.copysign(x, s) ** 2`` is ``x ** 2``, broadcast)
        return _terms(x, defs, roots, ranks) or [("abs", x, x, ())]
    if d.prim == _NORM:
        got = _norm_params(d, ranks)
        return None if got is None else [("norm", x, a, got)]
    if (
        d.prim in _STD
        and len(d.args) == 1
        and set(d.kwargs) <= _STD_KWARGS
        and isinstance(d.kwargs.get("ddof", Const(0)), Const)  # (a float `ddof` varies it)
    ):
        kw = d.kwargs
        params = (
            kw.get("axis", Const(None)),
            kw.get("ddof", Const(0)),
            kw.get("keepdims", Const(False)),
        )
        return [("var", x, a, params)]
    if d.prim in _HYPOT and len(d.args) == 2 and not d.kwargs:
        out: list[Term] = []
        consts: list[Term] = []  # (``np.hypot(x, 0.5) ** 2`` is ``x ** 2 + 0.25``: last)
        for v in d.args:
            if type(v) is Var:
                out += _terms(v, defs, roots, ranks) or [("abs", v, v, ())]
            elif (
                isinstance(v, Const)
                and isinstance(v.value, float | int)
                and (not isinstance(v.value, bool))
            ):
                consts += [] if v.value == 0 else [("const", v, a, ())]
            else:
                return None
        return out + consts if out else None
    return None


def _one_entry(m: Var, k: Operand, defs: dict, ranks: Any) -> bool:
    """`m` is a norm of the whole of `x` with ``keepdims=True`` (one entry, all its axes 1)
    and `k` a constant index of 0s: ``m[k]`` is the norm."""
    d = defs.get(m)
    if d is None or d.prim != _NORM or not isinstance(k, Const):
        return False
    got = _norm_params(d, ranks)
    if got is None or not (isinstance(got[0], Const) and got[0].value is None):
        return False
    if not (isinstance(got[1], Const) and got[1].value is True):
        return False
    idx = k.value if type(k.value) is tuple else (k.value,)
    return all(type(i) is int and i in (0, -1) for i in idx)


def squares(
    fn: Function, memo: dict | None = None, facts: tuple = ((), None), module: Any = None
) -> dict[Var, Square]:
    """``{y: (x, kind, axis, keepdims)}`` for the squared magnitudes in `fn` (module docstring):
    kinds "abs", "norm" and "root" of one magnitude, else "terms" (`axis`: the `Term`s, summed).
    `facts`: (the Vars that may be complex, the float arrays' ranks or None), for the roots and
    the 2-norms. The magnitude may be read elsewhere too: those reads keep its own rule.
    `module`: the reverse transform's, whose generated helpers a split call invokes."""
    found: dict[Var, Square] = {}
    prims = {op.prim for op in ops_of(fn.body)}
    roots = _roots(fn, prims, *facts, memo)
    if not roots and not any(
        p in _ABS or p in _HYPOT or p in _STD or p in (_NORM, _COPYSIGN) for p in prims
    ):
        if "call" not in prims or prims.isdisjoint(_SQUARING):  # (a helper's magnitude)
            return found
    for block, defs in _visible_defs(fn.body, None):
        for op in block.ops:
            if op.prim in EVEN or op.prim in DOTS:  # (ad/squares_even.py)
                terms_of = lambda v, defs=defs: _terms(v, defs, roots, facts[1])  # noqa: E731
                got = even_square(op, defs, facts[1], _norm_params, terms_of)
                if got is not None:
                    found[op.results[0]] = got
                continue
            if op.prim not in _SQUARING:  # (`squared` is None)
                continue

            def magnitude(v: Operand, defs: Any = defs) -> list:
                terms = _terms(v, defs, roots, facts[1])
                if not terms and type(v) is Var and v in defs and defs[v].prim in _CALLS:
                    terms = helper_magnitude(fn, defs[v], defs, _norm_params, module)
                return terms

            a, scale, factors = scaled_square(
                op,
                defs,
                lambda v, defs=defs: bool(
                    magnitude(v) or squared_item(v, defs) or carried_abs(v, defs)
                ),
            )
            terms = magnitude(a) if a is not None else None
            if not terms:
                item = squared_item(a, defs) or carried_abs(a, defs)
                item = item if scale == 1.0 and not factors else None
                if item is not None:
                    found[op.results[0]] = item
                continue
            kind, x, ref, params = terms[0]
            if factors:  # ``lam * n * n``: the factors' derivatives too (ad/squares_scaled.py)
                found[op.results[0]] = (x, "fterms", tuple(terms), (Const(scale), factors))
                continue
            direct = ref is a or (defs[a].prim in _ABS and defs[a].args[0] is x)  # (`a`'s shape)
            if len(terms) > 1 or kind == "var" or not direct or scale != 1.0:
                found[op.results[0]] = (x, "terms", tuple(terms), Const(scale))
            elif kind == "norm":
                found[op.results[0]] = (x, "norm", *params)
            else:
                found[op.results[0]] = (x, kind, Const(None), Const(False))
    return found


def _visible_defs(block: Any, outer: Any) -> Any:
    """Each block (nested ones first) with the ops defining the values it may read: its own
    and, in an ``if``'s branch or a loop's body, its enclosing blocks' (``n =
    np.linalg.norm(x)`` before an ``if`` or a loop squaring it; the reverse sweep of a loop
    carries the cotangents of the `x` of the squares in its body too: `square_targets`)."""
    # (a block that sees no other: a dict, whose writes and reads cost less than a ChainMap's)
    defs = own = {} if outer is None else ChainMap({}, outer)
    if outer is not None:
        own = defs.maps[0]  # (where `defs[r] = op` writes)
    for op in block.ops:
        for k, sub in enumerate(op.blocks):
            seen = op.prim == "if" or op.prim in ("for", "while") and k == len(op.blocks) - 1
            if op.prim == "for":  # (its carries: `carried_abs`, ad/squares_even.py)
                seen = seen and ChainMap(dict.fromkeys(sub.params[1:], op), defs)
            yield from _visible_defs(sub, (seen if seen is not True else defs) if seen else None)
        for r in op.results:
            own[r] = op
    yield block, defs


# kinds whose contributions a mask of the square's shape broadcasts over: elementwise (`x` has
# the square's shape), a root's (`x` is its square), the cos of a whole-array norm (one number)
_MASKABLE = frozenset({"abs", "cabs", "root", "even", "cosnorm", "abscarry"})


def _whole(kind: str, params: Any) -> bool:
    return (
        kind == "norm"
        and all(isinstance(p, Const) for p in params)
        and (params[0].value is None and params[1].value is False)
    )


def _whole_norms(vjp: Any, got: Any) -> bool:
    """Has each contribution the shape of the square's mask: the square a number, its parts
    norms of whole arrays (``np.where(c, n * n, 0.0)`` of ``n = np.linalg.norm(w)``, which
    `vjp.scalars` does not hold), or one root part (``0.7 * r * r`` of a root `r`: its shape), the
    factors numbers?"""
    x, kind, axis, keepdims = got
    if kind == "norm":
        return _whole(kind, (axis, keepdims))
    if kind == "fterms" and not all(f in vjp.scalars for f, _ in keepdims[1]):
        return False
    if kind not in ("terms", "fterms"):
        return False
    parts = [t for t in axis if t[0] != "const"]  # (a constant part gives no contribution)
    return (len(parts) == 1 and parts[0][0] == "root") or all(_whole(t[0], t[3]) for t in parts)


def _masked(vjp: Any, op: Op, kind: str, b: Any) -> Any:
    """`vjp.acc`, or one zeroing each contribution outside the square's `np.where` mask (its
    cotangent is 0 there, `x` may be inf or nan: ``np.where(x > 0, np.abs(np.log(x)) ** 2,
    0.0)``; ``if c: return s`` of a number `s`); None where the mask has another shape than the
    contributions (a square of a norm over axes)."""
    masks = vjp.masks.get(op.results[0])
    if not masks:
        return vjp.acc
    if kind not in _MASKABLE and op.results[0] not in vjp.scalars:
        if not _whole_norms(vjp, vjp.squares[op.results[0]]):
            return None  # (elementwise: `x` has the square's shape; a root's `x` is its square)
    sel = where_selection(op, masks, b)

    def acc(adj: dict, x: Any, c: Operand, b: Any) -> None:
        kept = b.op("numpy.where", [sel, c, Const(0.0)])
        vjp.acc(adj, x, b.op("getitem", [kept, Const(())]), b)  # (a number stays one)

    return acc


def square_vjp(vjp: Any, op: Op, g: Operand, adj: dict, b: Any) -> bool:
    """`vjp` (an ad/vjp.py reverse transform) at ``y = a ** 2`` of `squares`: `x` gets
    ``g * (2 x)`` (`g` spread over a norm's reduced axes first; `g` for a root's square); False
    where it does not apply (not such a `y`, or `g` may be None)."""
    got = vjp.squares.get(op.results[0]) if len(op.results) == 1 else None
    if got is None or g in vjp.maybe_none:
        return False
    x, kind, axis, keepdims = got
    acc = _masked(vjp, op, kind, b)
    if acc is None:
        return False  # (the rule of `op` itself, masked)
    if kind == "root":
        acc(adj, x, g, b)
        return True
    if kind == "item":  # (`axis`: the index)
        if vjp.masks.get(op.results[0]):
            return False  # (masked: the rule of `op` itself)
        item_vjp(vjp, op, x, axis, g, adj, b)
        return True
    if kind == "even":  # (`axis`: f' of x; `keepdims`: its sign)
        acc(adj, x, b.op("mul", [g, even_factor(axis, keepdims, x, b)]), b)
        return True
    if kind == "cosnorm":  # (`axis`: the norm r)
        acc(adj, x, b.op("mul", [b.op("mul", [g, cos_factor(axis, keepdims, b)]), x]), b)
        return True
    if kind == "cosmag":  # (ad/squares_even.py)
        cosmag_vjp(acc, got, g, adj, b, terms_vjp)
        return True
    if kind == "abscarry":
        acc(adj, axis, abscarry_term(got, g, b), b)
        return True
    if kind in ("norm", "cnorm"):
        g = b.op("srcad.runtime.sum_vjp", [g, x, axis, keepdims])
    if kind in ("cabs", "cnorm"):  # a complex x: 2 Re(g) conj(x) (dL = Re(ct dx), JAX's)
        c = b.op("mul", [Const(2.0), b.op("numpy.conjugate", [x])])
        acc(adj, x, b.op("mul", [b.op("numpy.real", [g]), c]), b)
        return True
    if kind == "fterms":  # (`axis`: the parts; `keepdims`: the constant and the factors)
        fterms_vjp(acc, vjp.varied, got, g, adj, b, terms_vjp)
        return True
    if kind == "terms":  # (`axis`: the parts; `keepdims`: the constant factor)
        if keepdims.value != 1.0:
            g = b.op("mul", [g, keepdims])
        terms_vjp(acc, axis, g, adj, b)
        return True
    acc(adj, x, b.op("mul", [g, b.op("mul", [Const(2.0), x])]), b)
    return True


def square_jvp(jvp: Any, op: Op, b: Any) -> Operand | None:
    """`jvp` (an ad/jvp.py forward transform) at ``y = a ** 2`` of `squares`: the tangent
    ``2 x dx`` (summed over a norm's reduced axes; ``dx`` for a root's square); None where it
    does not apply."""
    got = jvp.squares.get(op.results[0]) if len(op.results) == 1 else None
    if got is None:
        return None
    x, kind, axis, keepdims = got
    if kind == "root":
        return jvp.d(x, b)
    if kind == "item":  # (`axis`: the index)
        return item_jvp(jvp, x, axis, b)
    if kind == "even":  # (`axis`: f' of x; `keepdims`: its sign)
        return b.op("mul", [even_factor(axis, keepdims, x, b), jvp.d(x, b)])
    if kind == "cosnorm":  # (`axis`: the norm r)
        dot = b.op("numpy.sum", [b.op("mul", [x, jvp.d(x, b)])])
        return b.op("mul", [cos_factor(axis, keepdims, b), dot])
    if kind == "cosmag":  # (ad/squares_even.py)
        return cosmag_jvp(jvp, got, b, terms_jvp)
    if kind == "abscarry":
        return abscarry_term(got, jvp.d(axis, b), b)
    if kind == "fterms":
        return fterms_jvp(jvp, got, op.results[0], b, terms_jvp)
    if kind == "terms":  # (`axis`: the parts; `keepdims`: the constant factor)
        t = terms_jvp(jvp, axis, op.results[0], b)
        return t if keepdims.value == 1.0 else b.op("mul", [keepdims, t])
    if kind in ("cabs", "cnorm"):  # a complex x: 2 Re(conj(x) dx)
        t = b.op("numpy.real", [b.op("mul", [b.op("numpy.conjugate", [x]), jvp.d(x, b)])])
        t = b.op("mul", [Const(2.0), t])
    else:
        t = b.op("mul", [b.op("mul", [Const(2.0), x]), jvp.d(x, b)])
    if kind in ("norm", "cnorm"):
        t = b.op("numpy.sum", [t], {"axis": axis, "keepdims": keepdims})
    return t


def _parts(s: Square) -> Any:
    """The `Term`s of a "terms", "fterms" or "cosmag" entry."""
    return s[2][0] if s[1] == "cosmag" else s[2]


def magnitude_chains(
    fn: Function, masks: Any, cplx: Any, memo: dict | None = None, ranks: Any = None
) -> tuple[dict, dict]:
    """`squares` and the softplus tails (ad/softplus_tail.py) of `fn`, except a tail where a
    `np.where` mask applies to the result (`masks`: ad/masks.py; a square's rule masks its
    contributions, `_masked`) or a square whose argument may be complex (`cplx`:
    ``|F| ** 2`` of a complex `F` is not ``F * F``). `memo`: `ssa.core.shared_uses`'s (the
    read counts are counted once for both, and for `ad/sigmoid.py` before them) and
    `fmasks.square_sums`' (found once for the masks and the roots). `ranks`: the
    float arrays' ranks or None (`squares`). ``memo["module"]``: the reverse transform's module
    (the helpers it generated: `squares`), when there is one."""
    memo = {} if memo is None else memo
    sq = {}
    for y, s in squares(fn, memo, (cplx, ranks), memo.get("module")).items():
        if s[0] in cplx and s[1] not in ("abs", "norm"):  # (masked: `_masked`)
            continue
        if s[1] in ("terms", "fterms", "cosmag") and any(
            type(t[1]) is Var and t[1] in cplx for t in _parts(s)
        ):
            continue
        if s[1] == "fterms" and any(f in cplx for f, _ in s[3][1]):
            continue
        sq[y] = (s[0], "c" + s[1], *s[2:]) if s[0] in cplx else s  # |F| ** 2 = Re(conj(F) F)
    return sq, {
        y: z for y, z in softplus_tails(fn, memo).items() if y not in masks and z[0] not in cplx
    }


def magnitude_vjp(vjp: Any, op: Op, g: Operand, adj: dict, b: Any) -> bool:
    """`square_vjp`, else the softplus tail's `tail_vjp`."""
    return square_vjp(vjp, op, g, adj, b) or tail_vjp(vjp, op, g, adj, b)
