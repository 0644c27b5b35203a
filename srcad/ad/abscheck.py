"""Which magnitudes ``np.abs(x)`` reach a nonlinear function, for their second-order check.

Input: a JVP or VJP transform (its function's IR, its `squares` table: ad/squares.py). Output:
`abs_checked(t, op, c, b, dirn)`: `c`, the derivative of ``r = abs(x)`` (``np.abs``,
``np.absolute``, ``np.fabs``, ``math.fabs``, ``abs``; its tangent, or its contribution to
`x`'s adjoint) wrapped in ``_srcad.root_d2_check(c, x, x, ())`` (`dirn`: `x`'s tangent in
forward code) when `r` reaches an op that is not linear in it (`nonlinear_abs`): that check's
derivatives refuse where ``x == 0`` and the direction moves `x` (rules/root_at0.py).

Why: the derivative of ``|x|`` at 0 is the subgradient 0, so every second-order term through
``r`` is 0 there. That is the answer only for functions linear in ``r`` (an L1 penalty ``lam *
np.sum(np.abs(w))``, a mean absolute error, Huber's linear branch: a kink, where 0 is the
convention JAX follows too). A smooth function of ``r`` (``(1 + r) * np.exp(-r)``, ``np.dot(r,
r)`` of a ``d`` of unknown rank) has a Hessian there that is not 0 (-1, 2 per entry), and a
nonlinear one with ``g'(0) != 0`` (``(1 + r) ** 2``) none: both came out 0 in every
second-order mode. Linear here: sums, differences, scalings and products with a value that
does not come from such an ``r``, selections, ``np.where``'s branches, what a loop carries,
piecewise-linear ops (``np.max``, ``np.clip``, ``np.sort``), the function's result (a called
helper's only where its caller reads it so: `linear_key`); not derivatives at all:
comparisons, ``np.sign``; smooth at 0: ``r ** p`` of a constant ``p > 2`` of `r` itself (its
first and second derivatives are 0 there; not ``(1 + r) ** 3``, whose slope jumps from -3 to 3)
and the squares ad/squares.py takes from `x`; singular at 0:
``np.sqrt(r)``, ``np.log(r)``, ``c / r``, ``r ** p`` of ``p < 1`` of `r` itself (``-r``,
``r[i]``, ``2 * r``; not ``np.sqrt(1 + r)``, smooth there) (where taken, the first
derivative there is NaN already; where a max or a branch does not take it, 0 and right, as
the first-order masks make it: ``max(np.sqrt(np.abs(d)), 1.0)``). Conservative:
an entry at 0 that a nonlinear op reads only through an ``np.max`` that does not pick it
(``np.max(np.abs(x)) ** 2``) is refused too.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.common import RT
from srcad.ad.squares_forms import ABS
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Operand, Var

_LINEAR = frozenset({
    "add", "sub", "neg", "pos", "numpy.add", "numpy.subtract", "numpy.negative",
    "numpy.positive", "numpy.sum", "method.sum", "numpy.mean", "method.mean", "sum",
    "getitem", "numpy.reshape", "method.reshape", "numpy.transpose", "method.transpose",
    "attr.T", "numpy.ravel", "method.ravel", "method.flatten", "method.copy", "numpy.copy",
    "float", "numpy.float64", "numpy.asarray", "numpy.array", "tuple", "list",
    "numpy.concatenate", "numpy.stack", "numpy.hstack", "numpy.vstack", "numpy.cumsum",
    "method.cumsum", "numpy.trace", "numpy.diag", "numpy.broadcast_to", "numpy.expand_dims",
    "numpy.squeeze", "method.squeeze", "numpy.real", "attr.real", "numpy.diff",
    "numpy.atleast_1d", "numpy.atleast_2d", "numpy.flip", "numpy.roll", "setitem",
    "list_append",
    # piecewise linear: linear in `r` near the point (their own kinks are their rules')
    "numpy.max", "numpy.min", "numpy.amax", "numpy.amin", "method.max", "method.min", "max",
    "min", "numpy.maximum", "numpy.minimum", "numpy.fmax", "numpy.fmin", "numpy.clip",
    "method.clip", "numpy.sort", "sorted", "numpy.median", *ABS,
})  # fmt: skip
_BILINEAR = frozenset({
    "mul", "numpy.multiply", "matmul", "numpy.dot", "method.dot", "numpy.inner",
    "numpy.outer", "numpy.vdot", "numpy.tensordot", "numpy.matmul", "numpy.kron",
    "numpy.einsum",
})  # fmt: skip
_DIVS = frozenset({"truediv", "numpy.divide", "numpy.true_divide"})
_POWS = frozenset({"pow", "numpy.power", "math.pow", "numpy.float_power"})
_FLAT = frozenset({
    "lt", "le", "gt", "ge", "eq", "ne", "numpy.less", "numpy.less_equal", "numpy.greater",
    "numpy.greater_equal", "numpy.equal", "numpy.not_equal", "numpy.sign", "numpy.argmax",
    "numpy.argmin", "method.argmax", "method.argmin", "numpy.argsort", "numpy.isnan",
    "numpy.isfinite", "numpy.isinf", "int", "bool", "not", "numpy.floor", "numpy.ceil",
    "numpy.round", "numpy.rint", "attr.shape", "attr.ndim", "attr.size", "attr.dtype",
    "len", "numpy.shape", "numpy.ndim", "numpy.signbit", "is", "isnot", RT + "real_sign",
    "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like",
    RT + "sign",
})  # fmt: skip
_WHERES = frozenset({"numpy.where"})
# infinite slope at r = 0: where taken, the first derivative there is already not finite (NaN);
# where not (``max(np.sqrt(r), 1.0)``), the first-order masks give the right 0 (fmasks)
_SINGULAR = frozenset({
    "numpy.sqrt", "math.sqrt", "numpy.cbrt", "math.cbrt", "numpy.log", "math.log",
    "numpy.log2", "math.log2", "numpy.log10", "math.log10",
})  # fmt: skip
_SIGNS = frozenset({"numpy.sign", RT + "real_sign", RT + "sign"})
# the primitives `magnitude_base` may take for a magnitude (the transforms' quick test)
MAGNITUDES = ABS | {"numpy.linalg.norm", "numpy.maximum", "numpy.fmax", "mul", "numpy.multiply"}
_PAIRED = _SIGNS | {"neg", "numpy.negative"}  # (the definitions `magnitude_base` reads)


def has_magnitude(ops: list[Op]) -> bool:
    """Does `magnitude_base` take one of `ops` (every op of a function: `ops_of`)? Its test
    with the definitions it reads, those of negations and signs, found in one pass."""
    defs = {op.results[0]: op for op in ops if op.prim in _PAIRED and len(op.results) == 1}
    return any(magnitude_base(op, defs) is not None for op in ops if op.prim in MAGNITUDES)


def magnitude_base(op: Op, defs: dict) -> Var | None:
    """`x` when `op` computes ``|x|`` elementwise: ``np.abs(x)`` (`ABS`), ``np.maximum(x,
    -x)``, ``np.sign(x) * x``; `x` too for ``np.sign(x) * d`` of another `d` (``d = x - 0.0``:
    the same kink where ``x == 0``); the sum ``np.linalg.norm(x, 1)`` (its kinks at each ``x_i =
    0`` too), else None."""
    p, args = op.prim, op.args
    if len(op.results) != 1 or not args or type(args[0]) is not Var:
        return None
    if p in ABS:
        return args[0] if len(args) == 1 and not op.kwargs else None
    if p == "numpy.linalg.norm":
        got = dict(zip(("x", "ord", "axis", "keepdims"), args))
        got.update(op.kwargs)
        o, ax = got.get("ord"), got.get("axis", Const(None))
        one = isinstance(o, Const) and type(o.value) in (int, float) and o.value == 1
        return args[0] if one and isinstance(ax, Const) and ax.value is None else None
    if len(args) != 2 or op.kwargs or type(args[1]) is not Var:
        return None
    a, c = args
    if p in ("numpy.maximum", "numpy.fmax"):
        for u, w in ((a, c), (c, a)):
            d = defs.get(w)
            if d is not None and d.prim in ("neg", "numpy.negative") and d.args == [u]:
                return u
    if p in ("mul", "numpy.multiply"):
        for u, w in ((a, c), (c, a)):
            d = defs.get(w)
            if d is not None and d.prim in _SIGNS and d.args == [u] and not d.kwargs:
                return u
        for w in (c, a):  # (``np.sign(x) * d``, `d` another value 0 where `x` is: a kink there)
            d = defs.get(w)
            if d is not None and d.prim in ("neg", "numpy.negative") and type(d.args[0]) is Var:
                d = defs.get(d.args[0])  # (``-np.sign(x) * d``: the same kink)
            if d is not None and d.prim in _SIGNS and len(d.args) == 1 and not d.kwargs:
                if type(d.args[0]) is Var:
                    return d.args[0]
    return None


def _smooth(squares: dict, tails: dict, defs: dict) -> set:
    """The results ad/squares.py and ad/softplus_tail.py differentiate from `x` (smooth at 0:
    ``np.abs(x) ** 2``, ``np.log1p(np.exp(-2 * np.abs(x)))``) and the tails' intermediates
    (read nowhere else), back to the magnitude."""
    # (not a loop carry's square, "abscarry": its check sits on the square's contribution, before
    # ``abs_vjp``'s ``sign(x)``, whose 0 hides it from a reverse sweep over the gradient)
    out = {v for v, got in squares.items() if got[1:2] != ("abscarry",)} | set(tails)
    todo = [v for v in tails]
    while todo:
        d = defs.get(todo.pop())
        if d is None or d.prim in ABS:
            continue
        for a in d.args:
            if type(a) is Var and a not in out and (e := defs.get(a)) is not None:
                if e.prim not in ABS:
                    out.add(a)
                    todo.append(a)
    return out


def nonlinear_abs(
    body: Block, squares: dict, result_linear: bool, tails: dict | None = None
) -> dict[Var, Var]:
    """``{r: x}`` for the magnitudes ``r = |x|`` in `body` (`magnitude_base`) from which a
    value reaches an op nonlinear in it (module docstring; `result_linear`: the function's
    result is the end of a linear chain: the function the user differentiates, not a called
    helper)."""
    if not has_magnitude(ops_of(body)):
        return {}  # (no magnitude: no walk of every op's readers)
    ops: list[tuple[Op, Block]] = []
    readers: dict[Var, list] = {}  # value -> [(op, position) | ((op, block), yield position)]
    _scan(body, ops, readers)
    defs = {r: op for op, _ in ops for r in op.results}
    roots = {  # (`magnitude_base` is None for the other primitives)
        op.results[0]: x
        for op, _ in ops
        if op.prim in MAGNITUDES and (x := magnitude_base(op, defs)) is not None
    }
    if not roots:
        return {}
    smooth = _smooth(squares, tails or {}, defs)
    every = _closure(list(roots), readers, smooth, None)  # (any magnitude's: products of two)
    out = {}
    for r, x in roots.items():
        got = _closure([r], readers, smooth, every)
        if got is None or (not result_linear and _at_result(body, got)):
            out[r] = x
    return out


def read_linearly(t: Any, v: Var) -> bool:
    """Is `v` (a call's result in the function of the transform `t`) read only by ops linear
    in it up to that function's result, itself read linearly (`result_linear`)? A helper whose
    result is has the same linear magnitudes as the function it is inlined in would."""
    ops: list[tuple[Op, Block]] = []
    readers: dict[Var, list] = {}
    body = t.fn.body
    _scan(body, ops, readers)
    defs = {r: op for op, _ in ops for r in op.results}
    tails = getattr(t, "tails", None) or {}
    smooth = _smooth(getattr(t, "squares", None) or {}, tails, defs)
    every = _closure([v], readers, smooth, None)
    got = _closure([v], readers, smooth, every)
    return got is not None and (result_linear(t) or not _at_result(body, got))


def linear_key(t: Any, op: Op) -> tuple:
    """What the key of the helper the call `op` of `t`'s function makes holds of how its
    result is read: ``(("linear", True),)`` when `read_linearly`; also handed to the helper's
    transform (``module.next_linear``, taken by `Transform.__init__`)."""
    linear = len(op.results) == 1 and read_linearly(t, op.results[0])
    t.module.next_linear = linear
    return (("linear", True),) if linear else ()


def result_linear(t: Any) -> bool:
    """Is the result of `t`'s function the end of a linear chain: the function the user
    differentiates, or a helper whose caller reads its result linearly (`read_linearly`)?"""
    return t.param_kinds is None or getattr(t, "linear_result", False)


def _scan(block: Block, ops: list, readers: dict) -> None:
    for op in block.ops:
        ops.append((op, block))
        for i, a in enumerate(op.args):
            if type(a) is Var:
                readers.setdefault(a, []).append((op, i))
        for a in op.kwargs.values():
            if type(a) is Var:
                readers.setdefault(a, []).append((op, -1))
        for blk in op.blocks:
            _scan(blk, ops, readers)
            for i, y in enumerate(blk.yields):
                if type(y) is Var:
                    readers.setdefault(y, []).append(((op, blk), i))


def _closure(roots: list, readers: dict, smooth: set, every: set | None) -> set | None:
    """The values linear in `roots`, or None where one reaches a nonlinear op (`every`: the
    values linear in any magnitude, a product of two of which is not linear; None: products
    taken as linear)."""
    tainted = set(roots)
    bare = set(roots)  # (0 exactly where a magnitude's entry is: `r`, ``-r``, ``r[i]``, ``2 * r``)
    todo = list(roots)
    while todo:
        v = todo.pop()
        for who, i in readers.get(v, ()):
            if type(who) is tuple:  # a yield of a structured op's block
                nxt = _yielded(who[0], who[1], i)
            elif who.results and who.results[0] in smooth:
                continue  # (ad/squares.py, ad/softplus_tail.py differentiate it from `x`)
            elif v in bare and (_singular(who, i) or _high_power(who, i)):
                continue
            else:
                nxt = _through(who, i, every)
                if v in bare and nxt and _scaling(who, i):
                    bare.update(nxt)
            if nxt is None:
                if every is None:
                    continue
                return None
            for w in nxt:
                if w not in tainted:
                    tainted.add(w)
                    todo.append(w)
    return tainted


def _at_result(body: Block, tainted: set) -> bool:
    return any(type(y) is Var and y in tainted for y in body.yields)


def _yielded(op: Any, blk: Block, i: int) -> list | None:
    """The values a yield at position `i` of `op`'s block `blk` becomes, or None (unknown)."""
    if op is None:
        return []
    if op.prim == "if":
        return [op.results[i]] if i < len(op.results) else []
    if op.prim == "for":
        k = len(op.results)
        if i >= k:
            return []  # (the stop flag)
        return [blk.params[1 + i], op.results[i]]
    if op.prim == "while":
        if blk is op.blocks[0]:
            return []  # (the condition's flag)
        k = len(op.results)
        if i >= k:
            return []
        return [op.blocks[0].params[i], blk.params[i], op.results[i]]
    return None


def _singular(op: Op, i: int) -> bool:
    """Is `op` singular at 0 in its operand at `i` (``np.sqrt(r)``, ``c / r``, ``r ** 0.5``)?"""
    p = op.prim
    if p in _SINGULAR:
        return i == 0
    if p in _DIVS:
        return i == 1
    if p in _POWS and i == 0 and len(op.args) == 2 and isinstance(op.args[1], Const):
        e = op.args[1].value
        return type(e) in (int, float) and e < 1
    return False


def _high_power(op: Op, i: int) -> bool:
    """Is `op` ``r ** p`` of a constant ``p > 2`` (C2 at ``r == 0`` with a zero Hessian there:
    only of `r` itself, 0 exactly where the magnitude is; ``(1 + r) ** 3`` has a kink there)?"""
    if op.prim in _POWS and i == 0 and len(op.args) == 2 and isinstance(op.args[1], Const):
        e = op.args[1].value
        return type(e) in (int, float) and e > 2
    return False


def _scaling(op: Op, i: int) -> bool:
    """Is `op`'s result 0 exactly where its operand at `i` is (entrywise)?"""
    p = op.prim
    if p in ("neg", "pos", "numpy.negative", "getitem", "float", "numpy.float64"):
        return i == 0
    if len(op.args) == 2 and i in (0, 1) and (p == "mul" or (p == "truediv" and i == 0)):
        c = op.args[1 - i]
        return isinstance(c, Const) and type(c.value) in (int, float) and c.value != 0
    return False


def _through(op: Op, i: int, every: set | None) -> list | None:
    """The results of `op` linear in its operand at `i` (a value linear in a magnitude), []
    where they do not depend on it differentiably or smoothly at 0, None where `op` is not
    linear in it (`every`: `_closure`'s)."""
    p = op.prim
    res = list(op.results)
    if p in _FLAT or p == "comment":
        return []
    if p in _LINEAR:
        return res
    if p in _WHERES:
        return [] if i == 0 else res
    if p in ("if", "for", "while"):
        return _into_blocks(op, i)
    n = len(op.args) if every is None else sum(type(a) is Var and a in every for a in op.args)
    if p in _BILINEAR:
        return res if every is None or n <= 1 else None
    if p in _DIVS:
        return res if i == 0 and (every is None or n <= 1) else None
    if p in _POWS and i == 0 and len(op.args) == 2 and isinstance(op.args[1], Const):
        e = op.args[1].value
        if type(e) in (int, float) and e == 1:
            return res
    return None


def _into_blocks(op: Op, i: int) -> list | None:
    """The block params an operand of a structured op becomes (its carries' starts)."""
    if op.prim == "if":
        return [] if i == 0 else None  # (the condition; an ``if`` has no other operands)
    if op.prim == "for":
        if i < 3:
            return None  # (a tainted loop bound)
        k = i - 3
        return [op.blocks[0].params[1 + k], op.results[k]]
    k = i  # while: the inits
    return [op.blocks[0].params[k], op.blocks[1].params[k], op.results[k]]


def abs_checked(t: Any, op: Op, c: Operand, b: Any, d: Any = None) -> Operand:
    """`c`, the derivative of the magnitude `op` (its tangent, or its contribution to an
    operand's adjoint), checked at second order where its base ``x == 0`` when its result
    reaches a nonlinear op (module docstring; `d`: the forward transform's tangent of a value,
    `x`'s passed as the check's direction)."""
    found = getattr(t, "abs_nonlinear", None)
    if found is None:
        found = nonlinear_abs(t.fn.body, t.squares, result_linear(t), getattr(t, "tails", None))
        t.abs_nonlinear = found
    x = found.get(op.results[0]) if len(op.results) == 1 else None
    if x is None or type(c) is not Var:
        return c
    args = [c, x, x, Const(())] + ([] if d is None else [d(x)])
    return b.op(RT + "root_d2_check", args)
