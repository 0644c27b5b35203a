"""Forward mode through a selection that makes a value locally constant: where tangents are zero.

Input: a function's IR, its varied values and `list/tuple` ops (`seq_ops`). Output:
``zero_tangents(fn, varied, seq_ops) -> {r: Zero}`` for the results `r` of *singular* elementwise
ops (`np.sqrt`, logs, `** 0.5`, `arccos`, ...: a derivative that is infinite at finite points)
whose varied operands have a structurally zero tangent at some positions, and `mask_tangent`,
what the JVP emits for such an op::

    u = np.maximum(x, 0.0)              du = np.where(x > 0.0, dx, ...)   # 0 where x < 0
    y = np.sqrt(u)                      dy = du * (0.5 / y)               # 0 * inf = nan
                                        dy = np.where(x < 0.0, 0.0, dy)   # the true derivative

The positions come from the unselected side of ``np.where(c, x, y)``, of ``np.maximum``/
``np.minimum``/``np.fmax``/``np.fmin``/Python ``max``/``min`` against a value that is not varied,
of ``np.clip`` with bounds that are not varied (strictly outside them), of ``u * (x > 0)`` (a
boolean factor that is False; a global's value that is 0, ``u * MASK``, or a closure value's or a
parameter's not differentiated at any level: `boolmasks.fixed_values`), of ``v if c else 0.0``
and of a write ``u[m] = 0.0`` under a boolean mask `m` or at ``np.nonzero(m)`` (where
``_srcad.unset_mask(u, m)`` is False); they pass through elementwise ops (an op of several
varied operands: where all of them are zero). Each is exact: the tangent is 0 there whatever
the rest of the program does, so masking never changes a finite correct value.
A `Zero` is a disjunction of conjunctions of atoms; an atom is ``(c, True)`` (zero where `c` is
truthy), ``(c, False)`` (where it is falsy), ``((cmp, a, b), True)`` (where ``a cmp b``) or
``(("bool", c), ..)`` (an ``if``'s condition). Every operand of an atom is defined before the
op it describes, so it is in scope at its consumers.
Programs without both a selection and a singular op pay one scan of the prims and are unchanged.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.ad.boolmasks import boolish, constant_values, mask_indices
from srcad.ad.common import RT
from srcad.ad.fpartial import partly_constant
from srcad.ad.sqsums import square_sums
from srcad.rules import default_registry
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, walk_ops

Atom = tuple[Any, bool]  # (Var | (cmp prim, a, b), zero where truthy)
Conj = tuple[Atom, ...]
Zero = tuple[Conj, ...]  # () : nowhere known
ALL = "all"  # a value that is not varied: its tangent is zero everywhere
_MAX_ALTS = 4

_SELECTS = frozenset(
    ("numpy.where", "numpy.maximum", "numpy.minimum", "numpy.fmax", "numpy.fmin", "numpy.clip",
     "method.clip", "max", "min", "mul", "numpy.multiply", "if", "setitem")
)  # fmt: skip
_UNARY_SINGULAR = frozenset(
    f"{m}.{n}"
    for m, names in (
        ("numpy", ("sqrt", "cbrt", "log", "log2", "log10", "log1p", "arcsin", "arccos",
                   "arctanh", "arccosh", "reciprocal")),
        ("math", ("sqrt", "cbrt", "log", "log2", "log10", "log1p", "asin", "acos", "atanh",
                  "acosh")),
        # (and of two operands: ``xlogy(p, p)``, the entropy's, at p = 0)
        ("scipy.special", ("xlogy", "xlog1py", "entr", "rel_entr", "kl_div")),
        ("cmath", ("sqrt",)),  # (the cmath functions with rules: rules/math.CMATH)
    )
    for n in names
)  # fmt: skip
_POWERS = frozenset(("pow", "numpy.power", "numpy.float_power", "math.pow"))
_ABS = frozenset(("abs", "numpy.abs", "numpy.absolute", "numpy.fabs", "math.fabs"))
# select -> the comparison of its varied operand with the other one where it takes the other
_EXTREMES = {"numpy.maximum": "lt", "numpy.fmax": "lt", "numpy.minimum": "gt", "numpy.fmin": "gt"}


def zero_tangents(
    fn: Function,
    varied: Container,
    seq_ops: Container = (),
    facts: tuple = ((), None),
    consts: Container = (),
) -> dict[Var, Zero]:
    """-> {result of a singular op: where all its varied operands' tangents are zero}.
    `facts`: (Vars that may be complex, float arrays' ranks or None), for `square_sums`;
    `consts`: values constant at every level besides globals (`boolmasks.fixed_values`)."""
    prims = {op.prim for op in ops_of(fn.body)}
    if prims.isdisjoint(_UNARY_SINGULAR) and prims.isdisjoint(_POWERS):
        return {}  # no op to mask
    sums = square_sums(fn.body, *facts, prims)
    partial = partly_constant(fn, varied)  # written buffers (ad/fpartial.py)
    if prims.isdisjoint(_SELECTS) and not sums and not partial:
        return {}
    return _Scan(varied, seq_ops, sums, prims, partial, facts[0], consts).run(fn)


class _Scan:
    def __init__(
        self,
        varied: Container,
        seq_ops: Container,
        sums: dict[Var, Any],
        prims: set[str],
        partial: Container = (),
        cplx: Container = (),
        fixed: Container = (),
    ) -> None:
        self.varied = varied
        self.fixed = fixed  # (parameters not differentiated, closure values: `fixed_values`)
        self.cplx = cplx  # (Vars that may be complex: no mask of a complex global)
        self.partial = set(partial)
        self.prims = prims
        self.seq_ops = seq_ops
        self.sums = sums
        self.reg = default_registry()
        self.zero: dict[Var, Zero] = {}
        self.boolish: set[Var] = set()
        self.picks: set[Var] = set()
        self.consts: set[Var] = set()
        self.out: dict[Var, Zero] = {}
        self.loops: dict[Var, list] = {}  # a loop's or a branch's result -> the values yielded

    def run(self, fn: Function) -> dict[Var, Zero]:
        self.boolish = boolish(fn.body)
        # ``u * MASK``: 0 where MASK is (a global, literals, a closure value, a fixed parameter)
        self.consts = (constant_values(fn.body) | set(self.fixed)) - set(self.cplx)
        self.picks = mask_indices(fn.body, self.boolish) if "setitem" in self.prims else set()
        for op in walk_ops(fn.body):
            self.carry_partial(op)
            if op.prim == "if":
                self.if_op(op)
                continue
            if len(op.results) != 1:
                continue
            r = op.result
            if r not in self.varied or op.kwargs and op.prim not in ("numpy.clip", "method.clip"):
                continue
            z = self.select(op)
            if z is None and self.elementwise(op):
                z = self.both(op.args)
                if r in self.sums:  # the root of a sum of squares at 0 (`square_sums`)
                    s0 = self.sums[r]  # (s falsy, or the runtime's test of `a @ a`)
                    z = _or(z, (((s0, False) if type(s0) is Var else (s0, True),),))
                if singular(op):
                    z = self.written(op, z)
                if z and singular(op):
                    self.out[r] = z
            if z:
                self.zero[r] = z
        return self.out

    def carry_partial(self, op: Op) -> None:
        """A value computed from a partly constant one is one; so is what an op that is no
        elementwise op nor a selection (``y.reshape(..)``, ``y[1:]``, ``np.sort(y)``,
        ``np.sum(y)``) makes of a value with zero positions a condition names: the positions
        move where no condition follows them (ad/fpartial.py)."""
        rs = [r for r in op.results if r in self.varied]
        if op.prim in ("for", "while", "if"):  # (pre-order: its blocks are scanned before
            bodies = op.blocks[:1] if op.prim == "for" else op.blocks[-1:]  # its results' reads)
            bodies = op.blocks if op.prim == "if" else bodies
            for k, r in enumerate(op.results):
                self.loops[r] = [b.yields[k] for b in bodies if k < len(b.yields)]
        for a in op.operands():  # a loop's or a branch's result made of values with zeros
            if type(a) is Var and a in self.loops and a in self.varied and self.weak(a):
                self.partial.add(a)
        if not rs or op.prim in ("for", "while", "if"):
            return
        vs = [a for a in op.operands() if isinstance(a, Var) and a in self.varied]
        if any(a in self.partial for a in vs) or (
            op.prim not in _SELECTS
            and not self.elementwise(op)
            and any(self.zero.get(a) for a in vs)
        ):
            self.partial.update(rs)

    def weak(self, a: Var, depth: int = 0) -> bool:
        """May `a`, a loop's or a branch's result, have a zero tangent at some positions: one
        of the values yielded for it has zeros a condition names or is partly constant."""
        if a in self.partial or self.zero.get(a):
            return True
        ys = self.loops.get(a, ())
        return depth < 8 and any(type(y) is Var and self.weak(y, depth + 1) for y in ys)

    def written(self, op: Op, z: Zero) -> Zero:
        """`z`, or also where the tangents of all varied operands are zero when the code runs, if
        one of them comes from a write leaving constants (ad/fpartial.py)."""
        vs = list(dict.fromkeys(a for a in op.args if isinstance(a, Var) and a in self.varied))
        if not any(a in self.partial for a in vs):
            return z
        conj = tuple((("dzero", a), True) for a in vs)
        return _or(z, (conj,)) if z else (conj,)

    def of(self, a: Operand) -> Zero | str:
        if not isinstance(a, Var) or a not in self.varied:
            return ALL
        return self.zero.get(a, ())

    def elementwise(self, op: Op) -> bool:
        return (
            (self.reg.get(op.prim).elementwise or op.prim in _ABS)
            and len(op.args) <= 2
            and op not in self.seq_ops
        )

    def both(self, args: list[Operand]) -> Zero:
        """Where the tangents of all of `args` are zero."""
        zs = [z for z in map(self.of, args) if z is not ALL]
        if not zs or any(not z for z in zs):
            return ()
        acc = zs[0]
        for z in zs[1:]:
            acc = tuple(_join(a, b) for a in acc for b in z)
            if len(acc) > _MAX_ALTS:
                return ()
        return acc

    def select(self, op: Op) -> Zero | None:
        """The zero positions a selection adds; None for other ops."""
        p, args = op.prim, op.args
        if p == "numpy.where" and len(args) == 3 and not op.kwargs:
            c = args[0]
            if not isinstance(c, Var) or c in self.varied:
                return ()
            return _or(_side(self.of(args[1]), (c, True)), _side(self.of(args[2]), (c, False)))
        if p in _EXTREMES and len(args) == 2 and not op.kwargs:
            x, y = args
            cmp = _EXTREMES[p]
            return self.extreme(args, (((cmp, x, y), True), ((cmp, y, x), True)))
        if p in ("max", "min") and len(args) == 2 and not op.kwargs:
            x, y = args  # Python's max(x, y) is x unless y > x
            cmp = "gt" if p == "max" else "lt"
            return self.extreme(args, (((cmp, y, x), True), ((cmp, y, x), False)))
        if p in ("mul", "numpy.multiply") and len(args) == 2 and op not in self.seq_ops:
            for u, c in (args, args[::-1]):
                if (
                    type(c) is Var
                    and c not in self.varied
                    and (c in self.boolish or c in self.consts)
                ):
                    return _or(self.of(u), ((((c, False),),)))
            return None
        if p in ("numpy.clip", "method.clip"):
            return self.clip(op)
        if p == "setitem" and len(args) == 3:  # x[m] = v, v not varied: zero where m writes
            x, m, v = args
            if type(m) is Var and m in self.picks and m not in self.varied and self.of(v) is ALL:
                return _or(self.of(x), ((((RT + "unset_mask", x, m), False),),))
        return None

    def extreme(self, args: list[Operand], atoms: tuple[Atom, Atom]) -> Zero:
        """`atoms`: where the result does not take the first / the second operand."""
        vx, vy = (self.of(a) is not ALL for a in args)
        if vx == vy:
            return self.both(args)  # (both varied: where both are zero)
        k = 0 if vx else 1
        return _or(self.of(args[k]), ((atoms[k],),))

    def clip(self, op: Op) -> Zero:
        """Strictly outside bounds that are not varied (at a bound the tangent passes)."""
        numpy_clip = op.prim == "numpy.clip"
        if len(op.args) > 3 or set(op.kwargs) - {"a_min", "a_max", "min", "max"} or not op.args:
            return ()  # (`out=`)
        pos = dict(zip(("a", "lo", "hi"), op.args))
        kw = {"a_min": "lo", "min": "lo", "a_max": "hi", "max": "hi"}
        for k, v in op.kwargs.items():
            if k.startswith("a_") and not numpy_clip:
                return ()
            pos[kw[k]] = v
        a = pos["a"]
        bounds = [(pos.get(n), cmp) for n, cmp in (("lo", "lt"), ("hi", "gt"))]
        bounds = [(v, cmp) for v, cmp in bounds if v is not None and not _none(v)]
        if any(self.of(v) is not ALL for v, _ in bounds):
            return ()
        return _or(self.of(a), tuple((((cmp, a, v), True),) for v, cmp in bounds))

    def if_op(self, op: Op) -> None:
        """``v if c else 0.0``: zero where `c` selects the side that is not varied."""
        if len(op.blocks) != 2 or not op.args or not isinstance(op.args[0], Var):
            return
        c = op.args[0]
        for k, r in enumerate(op.results):
            if r not in self.varied:
                continue
            ys = [blk.yields[k] if k < len(blk.yields) else None for blk in op.blocks]
            if any(y is None for y in ys):
                continue
            zs = [self.of(y) for y in ys]
            truth = ("bool", c)  # (``if items:`` tests a list: one truth value, not a mask)
            if zs[0] is ALL and zs[1] is not ALL:
                self.zero[r] = (((truth, True),),)
            elif zs[1] is ALL and zs[0] is not ALL:
                self.zero[r] = (((truth, False),),)


def singular(op: Op) -> bool:
    """An elementwise op whose derivative is infinite at some finite points (0 for sqrt)."""
    if op.prim in _UNARY_SINGULAR:
        return True
    if op.prim in _POWERS and len(op.args) == 2:
        e = op.args[1]  # u ** 2, u ** 3.0: a finite derivative everywhere
        return not (isinstance(e, Const) and _whole(e.value))
    return False


def feeds_singular(
    block: Block, seq_ops: Container, prims: set[str], outs: Container = ()
) -> set[Var]:
    """Values of `block` that reach an operand of a singular op (or one of `outs`: a helper's
    results, which its caller may give an infinite cotangent) through elementwise ops: where
    a reverse sweep may carry an infinite cotangent. `prims`: those of `block`'s ops."""
    reg = default_registry()
    out: set[Var] = {v for v in outs if type(v) is Var}
    if not out and prims.isdisjoint(_UNARY_SINGULAR) and prims.isdisjoint(_POWERS):
        return out
    for op in reversed(ops_of(block)):  # (every use before its definition)
        if singular(op) or (
            len(op.results) == 1
            and op.results[0] in out
            and (reg.get(op.prim).elementwise or op.prim in _ABS)
            and op not in seq_ops
        ):
            out.update(a for a in op.args if isinstance(a, Var))
    return out


def _none(v: Operand) -> bool:
    return isinstance(v, Const) and v.value is None


def _whole(v: object) -> bool:
    return type(v) in (int, float) and float(v).is_integer() and v >= 1


def _join(a: Conj, b: Conj) -> Conj:
    return a + tuple(e for e in b if e not in a)


def _side(z: Zero | str, e: Atom) -> Zero:
    """Where ``np.where``'s result is zero through the side `e` selects: `z` and `e`."""
    if z is ALL:
        return ((e,),)
    return tuple(_join(conj, (e,)) for conj in z)


def _or(a: Zero | str, b: Zero) -> Zero:
    if a is ALL:
        return b  # (not reached for a varied result)
    alts = list(a)
    for conj in b:
        if conj not in alts:
            alts.append(conj)
    return tuple(alts) if len(alts) <= _MAX_ALTS else tuple(b)  # (b alone: a subset, sound)


# -- what the JVP emits --------------------------------------------------------------------------
def mask_tangent(
    zero: Zero, t: Operand, b: Builder, scalar: bool, tangent_of: Any = None
) -> Operand:
    """``np.where(zero, 0.0, t)`` (an element of it for a Python number). `tangent_of(a)`: the
    tangent of `a`, for an atom ``("dzero", a)`` (zero there, `t` NaN: grad of jvp reads d t)."""
    if not isinstance(t, Var):
        return t
    where = None
    for conj in zero:
        term = None
        for c, truthy in conj:
            if isinstance(c, tuple) and c[0] == "dzero":  # (0 * inf only: not a zero by chance)
                v = b.op("eq", [tangent_of(c[1]), Const(0.0)])
                v = b.op("numpy.logical_and", [v, b.op("numpy.isnan", [t])])
            elif isinstance(c, tuple) and c[0] == "bool":
                v = b.op("bool" if truthy else "not", [c[1]])
            else:
                v = b.op(c[0], list(c[1:])) if isinstance(c, tuple) else c
                v = v if truthy else b.op("numpy.logical_not", [v])
            term = v if term is None else b.op("numpy.logical_and", [term, v])
        where = term if where is None else b.op("numpy.logical_or", [where, term])
    out = b.op("numpy.where", [where, Const(0.0), t])
    return b.op("getitem", [out, Const(())]) if scalar else out
