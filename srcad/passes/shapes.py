"""Shapes decided at transform time: helper calls that do nothing, and the algebra a person does.

Input: a generated `Function` and what the specialization knows of its parameters (the ranks of
its float64 arrays, its Python numbers, or, for the default `Spec()`, that they are arrays or
numbers: part of the cache key). Output: the same function, rewritten in place; True when it
changed.

The shapes (and which values are arrays or NumPy scalars) come from `passes/shape_infer.py`;
nothing is guessed, so every rewrite below holds whatever sizes the arrays have at run time:

- ``_srcad.unbroadcast(g, x)`` where `g` and `x` have the same shape and `x` is an array or a
  NumPy scalar (not a Python number, list or tuple) is `g` (the helper returns `g` itself then);
- ``sum_vjp(g, a, axis) * y`` with `y` of `a`'s shape multiplies `g` with its reduced axes kept
  (``g[:, None]``) instead of a full-size broadcast view, and ``pow_dx(x, 2)`` as `y` becomes
  ``(2.0 * g) * x`` (one full-size product instead of two; ``2 * v`` is exact, so the numbers do
  not change), ``(2.0 * n) * v`` for ``g = v * n`` (just `v` for ``0.5 * np.sum(x ** 2)``);
  of a whole-array sum it is ``g * y`` for `a` an array of any rank, even unknown (``2.0 * t``
  for ``np.sum(t ** 2)``, ``t = np.tanh(X @ w)`` of a global `X`);
- ``unbroadcast(g * other, x)``, summing over axes along which `other` is constant:
  ``unbroadcast(np.sum(g, axes, keepdims=True) * other, x)`` (sum the large array first, then
  multiply by the small one);
- ``matmul_vjp(g, a, b, 0)`` of 2-D arrays is ``g @ b.T`` (``a.T @ g`` for `b`), and the
  other ranks' products likewise (`passes/shapes_matmul.py`);
- ``getitem_vjp(g, x, (None, slice(None)))`` (the cotangent of ``x[None, :]``) is ``g[0, :]``
  when nothing in the function is updated in place (a view of `g`, not zeros and an assignment);
- ``pow_dx(x, k)`` of a number `x` (``x[j]`` of a 1-D float64 array and a ``for`` loop's
  counter `j` too) and a constant int ``k >= 2`` is ``k * x ** (k - 1)``
  (``2 * x``): the helper's own expression, with no call per element of a scalar loop;
- the ops these rewrites make, of two number constants (``2.0 * 1.0``), are their value;
- a product by one is the other operand where no one can tell (``1.0 * g``: `unit_factors`).
"""

from __future__ import annotations

import math
from typing import Any

from srcad.ad.floats import fold_constants, substitute
from srcad.passes.hoist import hoist_indices
from srcad.passes.known_unpacks import drop_known_unpacks
from srcad.passes.refusals import refuse_known
from srcad.passes.shape_facts import Known
from srcad.passes.shape_infer import Shapes, infer
from srcad.passes.shape_rules import Shape, axes_of, broadcast, index
from srcad.passes.shapes_matmul import matmul_cotangent
from srcad.passes.shapes_mean import divided_by_count
from srcad.passes.unit_factors import Units, fold_unit
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, uses

RT = "srcad.runtime."
_UNBROADCAST = RT + "unbroadcast"
_SUM_VJP = RT + "sum_vjp"
_MEAN_VJP = RT + "mean_vjp"
_POW_DX = RT + "pow_dx"
_REWRITTEN = frozenset({_UNBROADCAST, RT + "matmul_vjp", RT + "getitem_vjp", "mul", _POW_DX})
# the ops whose definitions the rewrites look at (`_Ctx.defs`: of no other op), and `_REWRITTEN`
_DEFS = _REWRITTEN | {_SUM_VJP, _MEAN_VJP}
_FOLDABLE = frozenset({"mul", "add", "sub"})  # (of two constants: `ad/floats.fold_constants`)


def shape_rewrites(fn: Function, known: Known) -> bool:
    """Infer shapes from what is `known` of the parameters (`passes/shape_infer.py`) and apply
    the rewrites (module docstring)."""
    sh = infer(fn, known)
    refuse_known(fn, sh)  # helpers that would refuse when they run (passes/refusals.py)
    drop_known_unpacks(fn, sh)  # `n, d = x.shape` of a known rank: no length check
    # without ranks no value has a shape of rank >= 1: only unbroadcast calls go, the other
    # rewrites need neither use counts nor whether something is updated in place
    ndims = known.ndims
    ranked = bool(ndims or known.consts)
    counts = uses(fn.body) if ranked else {}
    updates = not ranked or _updates_some(fn)
    c = _Ctx(sh, {}, counts, updates)
    c.fn = fn
    c.units = Units(fn, sh, ndims, counts)
    changed = _rewrite_block(fn.body, c, {})
    return hoist_indices(fn.body, sh) | changed if ranked else changed


def _updates_some(fn: Function) -> bool:
    """Some op of `fn` updates a value in place (by its primitive's facts or name, or marked
    so), each primitive looked up once."""
    reg = default_registry()
    seen: dict[str, bool] = {}
    for op in ops_of(fn.body):
        p = op.prim
        hit = seen.get(p)
        if hit is None:
            hit = seen[p] = bool(reg.get(p).updates) or any(
                w in p for w in ("setitem", "append", "inplace", "add_at")
            )
        if hit or (op.params and op.params.get("inplace")):
            return True
    return False


class _Ctx:
    """What the rewrites read: the facts, definitions, use counts; `updates`: the function
    updates some value in place (then no views of cotangents)."""

    def __init__(self, sh: Shapes, defs: dict, counts: dict, updates: bool) -> None:
        self.sh, self.defs, self.counts, self.updates = sh, defs, counts, updates
        self.sums: set[Var] = set()  # results of `sum_vjp` (`_small_factor` looks for them)
        self.fn: Function | None = None
        self._uses = counts or None
        self.units: Units | None = None  # (`unit_factors`)
        self.products: dict | None = None  # (a, b) -> ``a @ b`` (`shapes_matmul`, when asked)
        self.made: dict | None = None  # value -> the op making it (`shapes_matmul._given`)
        self.given_memo: dict | None = None  # value -> finite for every argument (`_given`)

    def once(self, v: Operand) -> bool:
        """`v` is read once (the use counts of the function as it was: counted on the first
        question when the caller had none, without ranks)."""
        if self._uses is None:
            self._uses = uses(self.fn.body) if self.fn is not None else {}
        return self._uses.get(v) == 1

    def shape(self, a: Operand) -> Shape | None:
        """The shape of `a` when its rank is known."""
        s = self.sh.shape(a)
        return s if type(s) is tuple else None


def _rewrite_block(block: Block, c: _Ctx, subst: dict[Var, Operand]) -> bool:
    """Rewrite `block` in program order; `subst`: the results dropped so far -> what reads them
    now read (applied as the walk goes: every read comes after its definition); `c.defs` is
    filled as it goes too (the rewrites look at their operands' definitions only)."""
    changed = False
    new_ops: list[Op] = []
    append = new_ops.append
    defs, sums, info = c.defs, c.sums, c.sh.info
    q, quiet = -1, True  # new_ops[q:] replace a quiet op (ad/maskemit.py): quiet as it was
    for op in block.ops:
        if q >= 0:
            if len(new_ops) != q + 1 or "quiet" not in new_ops[q].params:  # (rewritten)
                _quiet_from(new_ops, q, quiet)
            q = -1
        if op.params and "quiet" in op.params:
            q, quiet = len(new_ops), op.params["quiet"]
        if subst:
            for a in op.args:  # a new list only when one is dropped (most ops read none)
                if type(a) is Var and a in subst:
                    op.args = [subst.get(a, a) if type(a) is Var else a for a in op.args]
                    break
            if op.kwargs and any(type(a) is Var and a in subst for a in op.kwargs.values()):
                op.kwargs = {
                    k: subst.get(a, a) if type(a) is Var else a for k, a in op.kwargs.items()
                }
        p = op.prim
        if op.blocks:
            a = op.args
            cond = a[0] if p == "if" and a and type(a[0]) is Var else None
            for j, sub in enumerate(
                op.blocks
            ):  # `sh.active`: the guarded facts of branch j (`_if`)
                added = c.sh.guarded.get((cond, j), {}) if cond is not None else {}
                c.sh.active.update(added)
                try:
                    changed |= _rewrite_block(sub, c, subst)
                finally:
                    for v in added:
                        c.sh.active.pop(v, None)
        if (
            p in _FOLDABLE
            and len(op.args) == 2
            and not op.kwargs
            and (type(op.args[0]) is Const or type(op.args[1]) is Const)
        ):  # (both folds need a constant operand: most ops have none)
            folded = fold_constants(p, op.args)
            if folded is not None:
                subst[op.results[0]] = folded
                changed = True
                continue
            one = fold_unit(op, c.units, subst)  # ``1.0 * g``: `g`; ``-1.0 * g``: ``-g``
            if one:
                if one == 1:
                    append(op)
                changed = True
                continue
        if p not in _DEFS:  # (most ops: neither rewritten nor looked at by a rewrite)
            append(op)
            continue
        a, rs = op.args, op.results
        for r in rs:  # (only the definitions the rewrites look for: `_DEFS`)
            defs[r] = op
        if p not in _REWRITTEN:
            if p == _SUM_VJP or p == _MEAN_VJP:
                c.sums.update(rs)
            append(op)
            continue
        if p == _UNBROADCAST and len(a) == 2 and not op.kwargs:
            g, x = a
            if _same_shape(g, x, c.sh, info):
                r = rs[0]  # (`op.result`: one result)
                if type(g) is Var and r.hint and not g.hint and g not in c.units.shared:  # type: ignore[union-attr]
                    g.hint = r.hint
                subst[r] = g
                changed = True
                continue
            done = _sum_first(op, c) if c.counts else None  # (it needs use counts of 1)
            if done:
                _extend(new_ops, done, subst, c)
                changed = True
                continue
        if p == _POW_DX:
            done = _pow_dx_scalar(op, c)
            if done:
                _extend(new_ops, done, subst, c)
                changed = True
                continue
        if p == RT + "matmul_vjp":
            done = matmul_cotangent(op, c)
            if done:
                _extend(new_ops, done, subst, c)
                changed = True
                continue
        if p == RT + "getitem_vjp" and not c.updates:
            view = _getitem_view(op, c)
            if view is not None:
                new_ops.append(view)
                changed = True
                continue
        if (
            p == "mul"
            and len(a) == 2
            and not op.kwargs
            and sums
            and ((type(a[0]) is Var and a[0] in sums) or (type(a[1]) is Var and a[1] in sums))
        ):  # fmt: skip  (`_small_factor` needs a `sum_vjp` operand first)
            done = _small_factor(op, c)
            if done:
                _extend(new_ops, done, subst, c)
                changed = True
                continue
        new_ops.append(op)
    if q >= 0:
        _quiet_from(new_ops, q, quiet)
    block.ops = new_ops
    if subst:
        block.yields = [subst.get(y, y) if type(y) is Var else y for y in block.yields]
    return changed


def _quiet_from(ops: list[Op], k: int, quiet: Any = True) -> None:
    """Mark ``ops[k:]`` quiet as the op they replace was (`quiet`: its mark)."""
    for o in ops[k:]:
        o.params["quiet"] = quiet


def _extend(new_ops: list[Op], done: list[Op], subst: dict[Var, Operand], c: _Ctx) -> None:
    """Append a rewrite's ops, those of two number constants folded (`fold_constants`), those
    by one too (`fold_unit`)."""
    for o in done:
        if subst:  # (an earlier op of `done` folded: its readers read the number)
            substitute(o, subst)
        if o.prim in _FOLDABLE and len(o.args) == 2 and not o.kwargs:
            folded = fold_constants(o.prim, o.args)
            if folded is not None:
                subst[o.results[0]] = folded
                continue
            if fold_unit(o, c.units, subst) == 2:
                continue
        new_ops.append(o)


def _pow_dx_scalar(op: Op, c: _Ctx) -> list[Op] | None:
    """``pow_dx(x, k)`` of a number or 0-d `x` (shape ``()``) and a constant int ``k >= 2`` is
    the helper's own expression ``k * x ** (k - 1)`` (``2 * x`` for ``k == 2``) written out: no
    runtime call per element of a scalar loop, the same numbers."""
    a = op.args
    if len(a) != 2 or op.kwargs or type(a[1]) is not Const:
        return None
    k, x = a[1].value, a[0]
    if type(k) is not int or k < 2:
        return None
    ix = (type(x) is Var and c.sh.info.get(x)) or c.sh.of(x)
    if ix.shape != () or ix.parts is not None:
        return None
    if k == 2:
        return [Op("mul", [Const(2), x], results=op.results, loc=op.loc)]
    t = Var()
    return [
        Op("pow", [x, Const(k - 1)], results=[t], loc=op.loc),
        Op("mul", [Const(k), t], results=op.results, loc=op.loc),
    ]


def _same_shape(g: Operand, x: Operand, sh: Shapes, info: dict) -> bool:
    """``unbroadcast(g, x)`` returns `g` itself: a Python float `g`, or the same shape and `x` an
    array or NumPy scalar (the helper turns `g` into a Python number only for a Python number
    `x`, and sums or copies only when the shapes differ). `info`: ``sh.info`` (`sh.of` of a
    Var with facts there, inline)."""
    ig = (type(g) is Var and info.get(g)) or sh.of(g)
    if ig.flt:
        return True
    ix = (type(x) is Var and info.get(x)) or sh.of(x)
    sg, sx = ig.shape, ix.shape
    if sg is None or sg != sx:
        return False
    return bool(type(sx) is tuple and sx) or ix.arr


def _expanded(
    g: Operand, s_a: Shape, axis: object, keep: bool, out: list[Op], arr: bool
) -> Operand | None:
    """`g`, the cotangent of a reduction of an array of shape `s_a`, with the reduced axes kept:
    indexed with None there when `arr` (`g` is an array, not a list; ``np.expand_dims`` costs
    microseconds of Python a call), ``np.expand_dims(g, axes)`` otherwise."""
    axes = axes_of(axis, len(s_a))
    if axes is None:
        return None
    if keep or axis is None:
        return g
    v = Var()
    if arr and len(axes) < len(s_a):
        idx = [None if i in axes else slice(None) for i in range(len(s_a))]
        while idx[-1] is not None:
            idx.pop()  # (trailing whole axes unwritten: ``g[:, None]``, not ``g[:, None, :]``)
        out.append(Op("getitem", [g, Const(tuple(idx) if len(idx) > 1 else None)], results=[v]))
        return v
    out.append(Op("numpy.expand_dims", [g, Const(axes if len(axes) > 1 else axes[0])], results=[v]))
    return v


def _small_factor(op: Op, c: _Ctx) -> list[Op] | None:
    """``sum_vjp(g, a, axis, keepdims) * y`` (either order), `y` of `a`'s shape; also of
    ``mean_vjp``, `a` an array (``g / max(n, 1)``: `passes/shapes_mean.py`)."""
    for j in (0, 1):
        s, y = op.args[j], op.args[1 - j]
        d = c.defs.get(s) if isinstance(s, Var) else None
        if d is None or d.prim not in (_SUM_VJP, _MEAN_VJP) or len(d.args) != 4 or d.kwargs:
            continue
        g, a, axis, keep = d.args
        if not isinstance(axis, Const) or not isinstance(keep, Const):
            continue
        mean = a if d.prim == _MEAN_VJP else None
        if type(keep.value) is not bool or (mean is not None and not c.sh.arrayish(a)):
            continue
        s_a = c.shape(a)
        if s_a is None and axis.value is None:  # any rank: `a` an array of `y`'s shape
            s_a = _any_rank(g, a, y, c)
        if not s_a or c.sh.shape(y) != s_a:
            continue
        if type(s_a) is not tuple:  # (`_any_rank`: the whole-array sum's scalar `g`)
            return _scaled(op, c, g, y, [], mean)
        axes = axes_of(axis.value, len(s_a))
        reduced = (
            None if axes is None
            else tuple(1 if i in axes else n for i, n in enumerate(s_a)) if keep.value
            else tuple(n for i, n in enumerate(s_a) if i not in axes)
        )  # fmt: skip
        if axis.value is not None and (reduced is None or c.shape(g) != reduced):
            continue  # `g` must be the reduction's cotangent, of the reduced shape
        out: list[Op] = []
        ig = c.sh.of(g)
        arr = ig.arr and ig.parts is None  # (before `g` becomes ``2.0 * g``, an array as `g` is)
        g, y = _doubled(g, y, s_a, c, out)
        if mean is not None:
            g = divided_by_count(g, mean, None if axis.value is None else axes, out, op.loc)
        e = _expanded(g, s_a, axis.value, keep.value, out, arr)
        if e is None:
            continue
        out.append(Op("mul", [e, y], results=op.results, loc=op.loc))
        if mean is not None:  # (one line: the factor written inside the product)
            for o in out:
                o.loc = o.loc or op.loc
        return out
    return None


def _any_rank(g: Operand, a: Operand, y: Operand, c: _Ctx) -> object:
    """The shape of `a` (of unknown rank) for ``sum_vjp(g, a) * y`` (a whole-array sum) when
    the product is ``g * y``: `a` an array or NumPy scalar (not a list: its cotangent is a list),
    `g` a number or 0-d (the sum's cotangent) and `y` of `a`'s shape; else None."""
    ia = c.sh.of(a)
    if not ia.arr or ia.parts is not None or ia.shape is None or c.sh.of(g).shape != ():
        return None
    return ia.shape if c.sh.shape(y) == ia.shape else None


def _scaled(
    op: Op, c: _Ctx, g: Operand, y: Operand, out: list[Op], mean: Operand | None = None
) -> list[Op]:
    """``sum_vjp(g, a) * y`` of a whole-array sum of `a` (any rank, `y` of its shape): ``g * y``
    (``2.0 * x`` for ``sum_vjp(1.0, x ** 2) * pow_dx(x, 2)``); of the mean of `mean` (`a`):
    ``(2.0 / max(a.size, 1)) * x``."""
    g, y = _doubled(g, y, c.sh.shape(y), c, out)
    if mean is not None:
        g = divided_by_count(g, mean, None, out, op.loc)
    out.append(Op("mul", [g, y], results=op.results, loc=op.loc))
    return out


def _doubled(g: Operand, y: Operand, s_a: object, c: _Ctx, out: list[Op]) -> tuple:
    """(g, y) for the product ``g * y`` (`g` expanded to `s_a`): ``(2.0 * g, x)`` when `y` is
    ``pow_dx(x, 2)`` read once, `x` of shape `s_a` (one full-size product instead of two)."""
    dy = c.defs.get(y) if isinstance(y, Var) else None
    two = (
        dy is not None and dy.prim == RT + "pow_dx" and c.once(y)
        and dy.args[1] == Const(2) and c.sh.shape(dy.args[0]) == s_a
    )  # fmt: skip
    if not two:
        return g, y
    g, k = _times_number(g, c)
    if k != 1.0:  # (``2.0 * (v * 0.5)`` is `v`: no product at all)
        g2 = Var()
        out.append(Op("mul", [Const(k), g], results=[g2]))
        g = g2
    return g, dy.args[0]


def _times_number(g: Operand, c: _Ctx) -> tuple[Operand, float]:
    """(v, k) with ``2.0 * g == k * v``: ``(v, 2.0 * n)`` when `g` is ``v * n`` (or ``n * v``) for
    a finite number `n` (``0.5 * np.sum(z ** 2)``'s cotangent times ``pow_dx(z, 2)``: one
    product, not two; doubling is exact, so ``2.0 * (v * n)`` and ``(2.0 * n) * v`` round alike
    unless ``v * n`` overflows or is subnormal), else ``(g, 2.0)``."""
    d = c.defs.get(g) if isinstance(g, Var) else None
    if d is not None and d.prim == "mul" and len(d.args) == 2 and not d.kwargs:
        for j in (0, 1):
            n, v = d.args[j], d.args[1 - j]
            k = n.value if isinstance(n, Const) and isinstance(v, Var) else None
            if c.shape(v) is None or c.shape(v) != c.shape(g):
                continue  # (a number or an array of `g`'s shape: `v * n` is no repetition)
            if (type(k) is float or (type(k) is int and abs(k) < 2**53)) and k:
                if math.isfinite(2.0 * k):
                    return v, 2.0 * k
    return g, 2.0


def _sum_first(w: Op, c: _Ctx) -> list[Op] | None:
    """``w = unbroadcast(g * other, x)``, possibly through ``unbroadcast(., a)`` with `x`
    broadcasting into `a` and `a` into the product (so the two sums are the one to `x`): sum `g`
    over the axes `x` and `other` are both constant along before multiplying by `other`."""
    t, x = w.args
    d = c.defs.get(t) if isinstance(t, Var) else None
    if d is not None and d.prim == RT + "unbroadcast" and c.counts.get(t) == 1 and not d.kwargs:
        t, a = d.args
        sa, sx = c.shape(a), c.shape(x)
        if not sa or sx is None or broadcast(sa, sx) != sa:
            return None
        d = c.defs.get(t) if isinstance(t, Var) else None
        if d is not None and c.shape(t) is not None:
            if broadcast(c.shape(t), sa) != c.shape(t):
                return None
    if d is None or d.prim != "mul" or c.counts.get(t) != 1 or d.kwargs or len(d.args) != 2:
        return None
    st, sx = c.shape(t), c.shape(x)
    if not st or sx is None or len(sx) > len(st):
        return None
    for g, other in (d.args, reversed(d.args)):
        sg, so = c.shape(g), c.shape(other)
        if sg != st or so is None or len(so) > len(st) or not isinstance(g, Var):
            continue
        n = len(st)
        pad_o = (1,) * (n - len(so)) + so
        pad_x = (None,) * (n - len(sx)) + sx
        axes = tuple(i for i in range(n) if pad_o[i] == 1 and pad_x[i] in (None, 1) and st[i] != 1)
        if not axes:
            return None
        summed, prod = Var(), Var()
        kw = {"axis": Const(axes), "keepdims": Const(True)}
        return [
            Op("numpy.sum", [g], kw, results=[summed], loc=d.loc),
            Op("mul", [summed, other], results=[prod], loc=d.loc),
            Op(w.prim, [prod, x], results=w.results, loc=w.loc),
        ]
    return None


def _getitem_view(op: Op, c: _Ctx) -> Op | None:
    """``getitem_vjp(g, x, idx)`` of ``x[None, :, ...]`` (new axes and whole axes only) is `g`
    indexed at 0 on the new axes: no zeros to fill. A view of `g`: only where nothing is
    updated in place (the caller checks)."""
    if len(op.args) != 3 or op.kwargs or not isinstance(op.args[2], Const):
        return None
    g, x, idx = op.args[0], op.args[1], op.args[2].value
    parts = idx if type(idx) is tuple else (idx,)
    if None not in parts or any(e is not None and e != slice(None) for e in parts):
        return None
    sx, sg = c.shape(x), c.shape(g)
    if not sx or sg is None or index(sx, idx) != sg:
        return None
    new = tuple(0 if e is None else e for e in parts)
    return Op("getitem", [g, Const(new)], results=op.results, loc=op.loc)
