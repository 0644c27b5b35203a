"""The bases of the squares under a root of a sum of squares, for the root's second-order check.

Input: a block and its roots of sums of squares (`fmasks.square_sums`: ``{r: s}``). Output:
``root_bases(block, sums, memo) -> {r: (s, bases, cent, wts)}``, `bases` a tuple of ``(a, reds)``: each
value `a` squared in `s` (``a ** 2``, ``a * a``, ``np.square(a)``, ``a @ a`` of a vector) with the
``(axis, keepdims)`` reductions (``np.sum``, ``np.mean``, the builtin ``sum``, a vector's dot)
that take its positions to `s`'s, inner first; elementwise ``+`` adds the bases of both sides
(broadcast). `bases` is None where `s` is made some other way (``np.var``, ``np.einsum``, a
reduction over axes only known when the code runs): its check refuses wherever ``s == 0``;
`wts`: the weights of a weighted sum (`sqsums`: ``x ** 2 * w``), whose check reads
``_srcad.weighted_root_s(s, *wts)``: 0 where ``s == 0`` and every weight broadcast to `s`'s
shape is > 0, else 1 (no cone where a weight is 0).
And `checked(v, r, roots, b)`: `v` (the root's tangent or its contribution to `s`) wrapped in
``_srcad.root_d2_check(v, s, a, reds)`` once per base, whose derivatives refuse where ``s == 0``
and `a` moves (rules/root_at0.py): the root's rule takes its derivative as 0 there (the
minimum-norm subgradient), right at first order, but the terms of its derivative's derivative
are 0 there too, which is right only where every base has a zero tangent (the zero diagonal of
a pairwise distance, accepted), not at the centre of a distance ``np.sqrt(np.sum((x - c) ** 2))``
along a nonzero direction (a smooth kernel of it has a nonzero Hessian there: refused).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from srcad.ad.common import RT
from srcad.ad.fmasks import square_sums
from srcad.ad.loopsquares import loop_parts, positive, range_counters, scaled_sum
from srcad.ad.sqsums import same_value
from srcad.ssa.census import ops_of, ops_with, shared_defs
from srcad.ssa.core import Block, Const, Operand, Var, uses_among

_SQUARES = ("pow", "numpy.power", "numpy.float_power")
_PRODUCTS = ("mul", "numpy.multiply")
_DOTS = ("matmul", "numpy.dot", "numpy.inner", "method.dot", "numpy.vdot")
_SUMS = ("numpy.sum", "method.sum", "numpy.mean", "method.mean")
_CASTS = ("float", "numpy.float64")
_WHOLE = ((None, False),)
Bases = tuple[tuple[Var, tuple], ...]


def root_bases(
    block: Block, sums: dict, memo: dict | None = None, squares: dict | None = None
) -> dict[Var, tuple]:
    """``{r: (s, bases, cent)}`` for the roots `sums` of `block` (module docstring; `cent`:
    ``{a: x}`` for the bases ``x - np.mean(x)``, `_centred`); `squares` gets ``{t: [(s, a, reds,
    x), ...]}`` for each square `t` of a base `a` (``adj_checked``)."""
    if not sums:
        return {}
    defs = shared_defs(ops_of(block), memo)
    out: dict[Var, tuple] = {}
    for r, s in sums.items():
        wts = s[2:] if type(s) is tuple and s[0] == RT + "weighted_sq_zero" else ()
        if type(s) is tuple and type(s[1]) is Var:  # (`a @ a`, `a` of unknown rank)
            s = s[1]
        if type(s) is Var:
            found: dict = {}
            bases = _bases(s, (), defs, 0, found)
            cent = {a: x for a, _ in bases or () if (x := _centred(a, defs)) is not None}
            out[r] = (s, bases, cent, wts)
            if found.pop(None, False) and bases is not None:  # (a square sum plus c > 0)
                out[r] = (s, (), {}, ())  # (never 0: nothing to check, ``np.sqrt(s + 1e-12)``)
            elif squares is not None and bases is not None:
                for t, (a, reds) in found.items():
                    squares.setdefault(t, []).append((s, a, reds, cent.get(a)))
            elif squares is not None:  # (a sum a loop accumulates: its squares' adjoints)
                for t, (a, reds) in _loop_squares(s, defs).items():
                    squares.setdefault(t, []).append((s, a, reds, None))
    return out


def _loop_squares(s: Var, defs: dict, depth: int = 0) -> dict:
    """``{t: (a, reds)}`` for the squares `t` of bases `a` a ``for`` loop adds to its carry
    (``d += v * v``) or appends to its list (``acc.append(v * v)``, ``sum(acc)``) that becomes
    `s` (``sum(v * v for v in d)``; ``d + e`` of two such sums, or of one and a sum of squares
    `_bases` reads: every part's), else {}: reverse over reverse at the root's 0, where the
    root's own check sees the cotangent ``f'(r) h``, 0 there (`adj_checked`)."""
    d = defs.get(s)
    if d is not None and d.prim == "add" and len(d.args) == 2 and not d.kwargs and depth < 8:
        if not all(type(a) is Var for a in d.args):
            return {}  # (``d + 1e-12``: never 0)
        found: dict = {}
        for a in d.args:
            got = _loop_squares(a, defs, depth + 1)
            if not got:  # (a part made otherwise: its squares as `_bases` finds them)
                if _bases(a, (), defs, 0, got) is None or got.pop(None, False) or not got:
                    return {}
            found.update(got)
        return found
    if d is not None and d.prim == "sum" and len(d.args) == 1 and not d.kwargs:
        s = d.args[0]
        d = defs.get(s) if type(s) is Var else None
    parts = loop_parts(d, d.results.index(s)) if d is not None and s in d.results else None
    if parts is None:  # (a ``for`` or ``while`` loop's carry)
        return {}
    _, carry, y, _ = parts
    e = defs.get(y) if type(y) is Var else None
    if e is not None and e.prim == RT + "inplace_cast" and e.args and e.args[1:2] == [carry]:
        e = defs.get(e.args[0]) if type(e.args[0]) is Var else None  # (``d += v * v``)
    if e is None or len(e.args) != 2 or e.kwargs or e.args[0] is not carry:
        return {}
    if e.prim not in ("add", "list_append") or e.args[1] is carry:
        return {}
    t, found = e.args[1], {}
    w = defs.get(t) if type(t) is Var else None  # (``d += t * t * (i + 1.0)``: t's squares)
    if w is not None and scaled_sum(w, partial(positive, defs=defs, counters=_counters(defs))):
        t = w.args[0]
    if _bases(t, (), defs, 0, found) is None or found.pop(None, False):
        return {}
    return found


def _counters(defs: dict) -> set[Var]:
    """`loopsquares.range_counters` of the loops `defs` holds (as `LoopSquares.positive`)."""
    return range_counters(o for o in {id(o): o for o in defs.values()}.values())


_MEANS = ("numpy.mean", "method.mean")


def _centred(a: Var, defs: dict) -> Var | None:
    """`x` when the base `a` is ``x - np.mean(x, ...)`` (``x - x.mean()``): at constant data
    its squares sum to a rounding residue, not 0 (``_srcad.rounded_sq``), else None."""
    d = defs.get(a)
    if d is None or d.prim != "sub" or len(d.args) != 2 or d.kwargs:
        return None
    x, m = d.args
    dm = defs.get(m) if type(m) is Var else None
    ok = dm is not None and dm.prim in _MEANS and bool(dm.args) and dm.args[0] is x
    return x if ok and type(x) is Var else None


def _bases(v: Operand, reds: tuple, defs: dict, depth: int, found: dict) -> Bases | None:
    """The bases of the sum of squares `v`, their positions reduced by `reds` after its own;
    `found`: ``{t: (a, reds)}`` for each square `t` met, ``{None: True}`` if a positive
    constant is added (the sum is never 0)."""
    op = defs.get(v) if type(v) is Var else None
    if op is None or depth > 32 or len(op.results) != 1:
        return None
    p, args, kw = op.prim, op.args, op.kwargs
    a = args[0] if args else None
    if type(a) is not Var and p != "numpy.einsum":
        return None
    two = len(args) == 2 and isinstance(args[1], Const) and args[1].value == 2
    if not kw and (
        (p in _SQUARES and two)
        or (p == "numpy.square" and len(args) == 1)
        or (p in _PRODUCTS and len(args) == 2 and same_value(args[1], a, defs, ()))
    ):  # (``t * t`` of one value, read twice: as `square_sums` took it, calls checked there)
        found[v] = (a, reds)
        return ((a, reds),)
    if p in _DOTS and len(args) == 2 and args[1] is a and not kw:
        found[v] = (a, _WHOLE + reds)
        return ((a, _WHOLE + reds),)  # (a vector's: `square_sums` takes no matrix's)
    if p == "numpy.einsum" and len(args) == 3 and args[2] is args[1] and not kw:
        spec = args[0].value if isinstance(args[0], Const) else None
        if type(spec) is str and type(args[1]) is Var:  # (`square_sums`: "S,S->T")
            found[v] = (args[1], (("einsum", spec),) + reds)
            return ((args[1], (("einsum", spec),) + reds),)
        return None
    if p == "add" and len(args) == 2 and not kw:
        out: Bases = ()
        for b in args:
            if isinstance(b, Const):
                c = b.value
                found[None] = found.get(None) or type(c) in (int, float) and c > 0
                continue
            got = _bases(b, reds, defs, depth + 1, found)
            if got is None:
                return None
            out += got
        return out
    if p in _CASTS and len(args) == 1 and not kw:
        return _bases(a, reds, defs, depth + 1, found)
    if scaled_sum(op):  # (``np.sum(d ** 2) / n``: 0 where the sum is)
        return _bases(a, reds, defs, depth + 1, found)
    if p == "sum" and len(args) == 1 and not kw:
        return _bases(a, ((0, False),) + reds, defs, depth + 1, found)
    if p in _SUMS:
        got = _reduction(args[1:], kw)
        return None if got is None else _bases(a, (got,) + reds, defs, depth + 1, found)
    return None


def _reduction(rest: list, kw: dict) -> tuple | None:
    """``(axis, keepdims)`` of ``np.sum(a, axis, dtype, out, keepdims)`` when both are constants."""
    got = dict(zip(("axis", "dtype", "out", "keepdims"), rest))
    if set(got) & set(kw) or not set(kw) <= {"axis", "dtype", "keepdims"}:
        return None
    got.update(kw)
    axis, keepdims = got.get("axis", Const(None)), got.get("keepdims", Const(False))
    if not isinstance(axis, Const) or not isinstance(keepdims, Const) or "out" in got:
        return None
    ax = axis.value
    if not (ax is None or type(ax) is int or type(ax) is tuple):
        return None
    return (ax, bool(keepdims.value))


def checked(v: Operand, r: Var, roots: dict, b: Any, d: Any = None) -> Operand:
    """`v` wrapped in one ``_srcad.root_d2_check`` per base of the root `r` (module docstring);
    `d`: the forward transform's tangent of a base, passed as the check's direction (its
    cotangent rule refuses where it moves at ``s == 0``: a gradient of this tangent)."""
    s, bases, cent, wts = roots[r]
    if not isinstance(v, Var):
        return v

    def test(sq: Operand) -> Operand:  # (``x ** 2 * w``: 0 and fixed where a weight is 0)
        return b.op(RT + "weighted_root_s", [sq, *wts]) if wts else sq

    if bases is None:
        return b.op(RT + "root_d2_check", [v, test(s), s, Const(None), *([d(s)] if d else [])])
    for a, reds in dict.fromkeys(bases):
        sq = test(b.op(RT + "rounded_sq", [s, cent[a]]) if a in cent else s)
        v = b.op(RT + "root_d2_check", [v, sq, a, Const(reds), *([d(a)] if d else [])])
    return v


ROOT_PRIMS = frozenset(("numpy.sqrt", "math.sqrt", "numpy.cbrt", "math.cbrt", *_SQUARES))


def transform_roots(t: Any, memo: dict | None = None) -> dict[Var, tuple]:
    """`root_bases` of the function of the transform `t` (a JVP or VJP: its `fn`, `complex`,
    `scalar_facts`), found on first use and kept on `t`."""
    got = getattr(t, "root_checks", None)
    memo = getattr(t, "sweep_memo", None) if memo is None else memo  # (the sweep's analyses)
    if got is None:
        body = t.fn.body
        prims = {op.prim for op in ops_of(body)}
        sums = square_sums(body, t.complex, t.scalar_facts.ranks, prims, memo)
        t.root_squares = {}
        got = t.root_checks = root_bases(body, sums, memo, t.root_squares)
        high = {got.pop(r)[0] for r in list(got) if high_power_only(body, r)}  # (``r ** 3``)
        if t.root_squares:  # (the bases' adjoint checks: none where every read is a square)
            smooth = _squared_only(body, got, getattr(t, "squares", {})) | high
            for k, entries in list(t.root_squares.items()):
                t.root_squares[k] = [e for e in entries if e[0] not in smooth]
    return got


_POWS = ("pow", "numpy.power", "numpy.float_power")


def high_power_only(body: Block, r: Var) -> bool:
    """Is every read of `r` (a magnitude) in `body` a power ``r ** p`` by a constant ``p > 2``
    (not a yield)? Then the second derivative through `r` at ``r == 0`` is 0 along every
    direction (``r ** p`` is C2 there with a zero Hessian: ``p (p-1) r ** (p-2) dr dr`` and
    ``p r ** (p-1) d2r``, ``d2r`` of order ``1 / r``, both vanish), which the chain rule through
    the magnitude's subgradient gives: its checks (`checked`, ``root_adj_check``, a hypot's or
    norm's: `rootbranch.branch_ans`) would refuse an exact 0 (``np.linalg.norm(d) ** 3``)."""
    reads = 0
    stack = [body]
    while stack:
        b = stack.pop()
        if any(y is r for y in b.yields):
            return False
        for op in b.ops:
            stack.extend(op.blocks)
            if not any(a is r for a in op.operands()):
                continue
            e = op.args[1] if len(op.args) == 2 else None
            ok = op.prim in _POWS and not op.kwargs and op.args[0] is r and type(e) is Const
            if not (ok and type(e.value) in (int, float) and e.value > 2):
                return False
            reads += 1
    return reads > 0


def _scaling(op: Any) -> bool:
    """Is `op` ``-v`` or `v` times or over number constants (its derivative in `v` constant)?"""
    if op.prim in ("neg", "pos"):
        return True
    return op.prim in ("mul", "truediv") and sum(isinstance(a, Const) for a in op.args) == 1


def _squared_only(body: Block, roots: dict, squares: dict) -> set:
    """The sums of squares of the roots in `roots` whose every read (yields and returns too) is
    in a square that ad/squares.py differentiates through the sum itself (``r * r``, ``r **
    2``, ``-r * r``: a "root" part), directly or through one op whose result only such squares
    read (the ``-r`` of ``-r * r``): the root's own rule never runs, so its bases' adjoints need
    no check."""
    if not roots:
        return set()
    sums = {roots[r][0]: r for r in roots}
    ops = ops_of(body)
    smooth: dict = {}  # square op -> the root whose sum it reads as a part
    for op in ops:
        got = squares.get(op.results[0]) if len(op.results) == 1 else None
        if got is not None and got[1] == "root" and got[0] in sums:
            smooth[op] = sums[got[0]]
        elif got is not None and got[1] in ("terms", "fterms"):
            parts = [t[1] for t in got[2] if t[0] == "root" and t[1] in sums]
            if len(parts) == 1:
                smooth[op] = sums[parts[0]]
    if not smooth:
        return set()
    inner: dict = {}  # reads by the squares of the values they read
    for op, r in smooth.items():
        for v in op.args:
            if type(v) is Var:
                inner[(v, r)] = inner.get((v, r), 0) + 1
    total = uses_among(body, {v for v, _ in inner} | set(roots))
    via = {v: r for (v, r), k in inner.items() if v not in roots and total.get(v) == k}
    squared: dict = {r: inner.get((r, r), 0) for r in roots}
    for op in ops:
        if len(op.results) == 1 and via.get(op.results[0]) is not None and _scaling(op):
            r = via[op.results[0]]
            squared[r] += sum(1 for v in op.args if v is r)
    return {roots[r][0] for r, k in squared.items() if k and total.get(r) == k}


def root_checked(t: Any, r: Var, v: Operand, b: Any, d: Any = None) -> Operand:
    """`v`, the tangent of the root `r` or its contribution to its operand (`t`: the JVP or
    VJP), `checked` where `r` is a root of a sum of squares (`d`: `checked`'s)."""
    roots = transform_roots(t)
    return checked(v, r, roots, b, d) if r in roots else v


def _maybe_root(op: Any) -> bool:
    """Can `op` (of `ROOT_PRIMS`) be a root: not a power of the constant 2 or 3?"""
    if op.prim not in _SQUARES or len(op.args) != 2 or not isinstance(op.args[1], Const):
        return True
    v = op.args[1].value
    return not (type(v) in (int, float) and v in (2, 3))


SQUARING = frozenset((*_SQUARES, "numpy.square", *_PRODUCTS, *_DOTS, "numpy.einsum"))


def adj_checked(t: Any, op: Any, a: Any, c: Operand, b: Any) -> Operand:
    """`c`, the contribution of `op` to the adjoint of its operand `a` in the reverse sweep
    `t`, wrapped in ``_srcad.root_adj_check`` where `op` squares `a`, a base of a root of a sum
    of squares (rules/root_at0.py: reverse over reverse at the root's 0)."""
    if op.prim not in SQUARING or type(c) is not Var or type(a) is not Var:
        return c
    if getattr(t, "root_squares", None) is None:
        if any(_maybe_root(o) for o in ops_with(t.fn.body, ROOT_PRIMS)):
            transform_roots(t)
        else:  # (no root: no square sums found, the common case)
            t.root_squares = {}
    for s, base, reds, x in t.root_squares.get(op.results[0], ()):
        if base is a:
            sq = s if x is None else b.op(RT + "rounded_sq", [s, x])
            c = b.op(RT + "root_adj_check", [c, sq, Const(reds)])
    return c
