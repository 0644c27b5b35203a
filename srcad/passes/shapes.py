"""Shapes decided at transform time: helper calls that do nothing, and the algebra a person does.

Input: a generated `Function` and the ranks of its float-array parameters (the specialization:
part of the cache key). Output: the same function, rewritten in place; True when it changed.

Shapes are tuples of dimensions, each an int (a literal 1 from ``x[None]`` or a keepdims
reduction) or a symbol: ``("p", k, i)`` for dimension i of parameter k, a frozenset of those for
the broadcast of dimensions srcad cannot prove equal (whichever is not 1 at run time: the same
set means the same size). Unknown shapes are absent; nothing is guessed,
so every rewrite below holds whatever sizes the arrays have at run time:

- ``_srcad.unbroadcast(g, x)`` where `g` and `x` have the same shape (rank >= 1) is `g`
  (the helper returns `g` itself then);
- ``sum_vjp(g, a, axis) * y`` with `y` of `a`'s shape multiplies `g` with its reduced axes kept
  instead of a full-size broadcast view, and ``pow_dx(x, 2)`` as `y` becomes ``(2.0 * g) * x``
  (one full-size product instead of two; ``2 * v`` is exact, so the numbers do not change);
- ``unbroadcast(g * other, x)``, summing over axes along which `other` is constant:
  ``unbroadcast(np.sum(g, axes, keepdims=True) * other, x)`` (sum the large array first, then
  multiply by the small one);
- ``matmul_vjp(g, a, b, 0)`` of 2-D arrays is ``g @ b.T`` (``a.T @ g`` for `b`);
- ``getitem_vjp(g, x, (None, slice(None)))`` (the cotangent of ``x[None, :]``) is ``g[0, :]``
  when nothing in the function is updated in place (a view of `g`, not zeros and an assignment).
"""

from __future__ import annotations

import functools

import numpy

from srcad.rules import default_registry
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, replace_uses, uses, walk_ops

RT = "srcad.runtime."
Shape = tuple
_BINARY = frozenset({"add", "sub", "mul", "truediv", "pow", RT + "pow_dx"})
_UNARY = frozenset({"neg", "pos"})
_REDUCE = frozenset({"numpy.sum", "numpy.mean", "numpy.max", "numpy.min", "numpy.amax",
                     "numpy.amin", "numpy.prod"})  # fmt: skip
# runtime helpers whose result has the shape of one operand (its position)
_LIKE_OPERAND = {RT + "unbroadcast": 1, RT + "sum_vjp": 1, RT + "mean_vjp": 1,
                 RT + "expand_reduced": 1, RT + "ext_weights": 0, RT + "getitem_vjp": 1,
                 RT + "mul_vjp": 1}  # fmt: skip


@functools.cache
def _ufunc_nin(prim: str) -> int:
    if not prim.startswith("numpy.") or prim.count(".") != 1:
        return 0
    f = getattr(numpy, prim[6:], None)
    return f.nin if isinstance(f, numpy.ufunc) and f.nout == 1 else 0


def shape_rewrites(fn: Function, ndims: dict[int, int]) -> bool:
    """Infer shapes from the parameter ranks `ndims` and apply the rewrites (module docstring)."""
    shapes: dict[Var, Shape] = {}
    for k, n in ndims.items():
        if k < len(fn.params):
            shapes[fn.params[k]] = tuple(("p", k, i) for i in range(n))
    defs: dict[Var, Op] = {}
    for op in walk_ops(fn.body):
        for r in op.results:
            defs[r] = op
        if len(op.results) == 1:
            s = _infer(op, shapes)
            if s is not None:
                shapes[op.result] = s
            elif op.prim == "attr.shape" and op.args and _shape(op.args[0], shapes):
                shapes[(op.result, "shape")] = ()  # marks a tuple of ints, not an array
    counts = uses(fn.body)
    reg = default_registry()
    updates = any(
        reg.get(op.prim).updates
        or op.params.get("inplace")
        or any(w in op.prim for w in ("setitem", "append", "inplace", "add_at"))
        for op in walk_ops(fn.body)
    )
    return _rewrite_block(fn.body, shapes, defs, counts, updates)


def _shape(a: Operand, shapes: dict[Var, Shape]) -> Shape | None:
    if isinstance(a, Const):
        return () if type(a.value) in (int, float, bool) else None
    return shapes.get(a)


def _broadcast(s1: Shape, s2: Shape) -> Shape:
    n = max(len(s1), len(s2))
    a = (1,) * (n - len(s1)) + s1
    b = (1,) * (n - len(s2)) + s2
    out = []
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:  # which of the two is not 1 at run time: named by the set of dimensions met
            out.append(frozenset(_parts(x) | _parts(y)))
    return tuple(out)


def _parts(d: object) -> frozenset:
    return d if isinstance(d, frozenset) else frozenset((d,))


def _axes(axis: object, rank: int) -> tuple[int, ...] | None:
    if axis is None:
        return tuple(range(rank))
    parts = (axis,) if type(axis) is int else axis
    if type(parts) is not tuple or any(type(a) is not int or not -rank <= a < rank for a in parts):
        return None
    return tuple(sorted({a % rank for a in parts}))


def _const(op: Op, pos: int, name: str, default: object) -> tuple[bool, object]:
    a = op.args[pos] if len(op.args) > pos else op.kwargs.get(name, Const(default))
    return (True, a.value) if isinstance(a, Const) else (False, None)


def _infer(op: Op, shapes: dict[Var, Shape]) -> Shape | None:
    p, args = op.prim, op.args
    if op.blocks:
        return None
    ins = [_shape(a, shapes) for a in args]
    if p in _BINARY or _ufunc_nin(p) == 2:
        if len(args) == 2 and not op.kwargs and None not in ins:
            return _broadcast(ins[0], ins[1])
        return None
    if p in _UNARY or _ufunc_nin(p) == 1:
        return ins[0] if len(args) == 1 and not op.kwargs else None
    if p in _REDUCE and args and ins[0] is not None:
        if set(op.kwargs) - {"axis", "keepdims"} or len(args) > 2:
            return None
        ok1, axis = _const(op, 1, "axis", None)
        ok2, keep = _const(op, 2, "keepdims", False)
        axes = _axes(axis, len(ins[0])) if ok1 and ok2 and type(keep) is bool else None
        if axes is None:
            return None
        s = ins[0]
        if keep:
            return tuple(1 if i in axes else d for i, d in enumerate(s))
        return tuple(d for i, d in enumerate(s) if i not in axes)
    if p == "getitem" and len(args) == 2 and ins[0] is not None and isinstance(args[1], Const):
        return _index(ins[0], args[1].value)
    if p == "matmul" and len(args) == 2 and ins[0] is not None and ins[1] is not None:
        if len(ins[0]) == 2 and len(ins[1]) == 2:
            return (ins[0][0], ins[1][1])
        return None
    if p in ("attr.ndim", "attr.size", "len") and len(args) == 1 and ins[0] is not None:
        return ()  # a Python int
    if p == "getitem" and len(args) == 2 and _is_shape_of_array(args[0], shapes):
        return () if isinstance(args[1], Const) and type(args[1].value) is int else None
    if p == "attr.T" and len(args) == 1 and ins[0] is not None:
        return tuple(reversed(ins[0]))
    if p == RT + "matmul_vjp" and len(args) == 4 and isinstance(args[3], Const):
        which = args[3].value
        return ins[1 + which] if which in (0, 1) else None
    if p in _LIKE_OPERAND and len(args) > _LIKE_OPERAND[p]:
        s = ins[_LIKE_OPERAND[p]]
        # a cotangent of a Python number or a list is not an array of that shape
        return s if s else None
    if p == RT + "add" and len(args) == 2 and ins[0] is not None and ins[0] == ins[1]:
        return ins[0] if ins[0] else None
    return None


def _is_shape_of_array(a: Operand, shapes: dict[Var, Shape]) -> bool:
    """`a` is ``x.shape`` of an array `x` of known rank (a tuple of Python ints)."""
    return isinstance(a, Var) and (a, "shape") in shapes


def _index(s: Shape, idx: object) -> Shape | None:
    """Shape of ``x[idx]`` for basic indices of None, ``:`` and ints."""
    parts = idx if type(idx) is tuple else (idx,)
    out, i = [], 0
    for e in parts:
        if e is None:
            out.append(1)
        elif type(e) is slice and e == slice(None):
            if i >= len(s):
                return None
            out.append(s[i])
            i += 1
        elif type(e) is int:
            if i >= len(s):
                return None
            i += 1
        else:
            return None
    return (*out, *s[i:])


def _rewrite_block(block: Block, shapes: dict, defs: dict, counts: dict, updates: bool) -> bool:
    """`updates`: the function updates some value in place (then no views of cotangents)."""
    changed = False
    for sub in (b for op in block.ops for b in op.blocks):
        changed |= _rewrite_block(sub, shapes, defs, counts, updates)
    new_ops: list[Op] = []
    subst: dict[Var, Operand] = {}
    for op in block.ops:
        p, a = op.prim, op.args
        if p == RT + "unbroadcast" and len(a) == 2 and not op.kwargs:
            g, x = a
            sg, sx = _shape(g, shapes), _shape(x, shapes)
            if sg and sg == sx and isinstance(g, Var):
                if op.result.hint and not g.hint:
                    g.hint = op.result.hint
                subst[op.result] = g
                changed = True
                continue
            done = _sum_first(op, shapes, defs, counts)
            if done:
                new_ops.extend(done)
                changed = True
                continue
        if p == RT + "matmul_vjp":
            done = _matmul_2d(op, shapes)
            if done:
                new_ops.extend(done)
                changed = True
                continue
        if p == RT + "getitem_vjp" and not updates:
            view = _getitem_view(op, shapes)
            if view is not None:
                new_ops.append(view)
                changed = True
                continue
        if p == "mul" and len(a) == 2 and not op.kwargs:
            done = _small_factor(op, shapes, defs, counts)
            if done:
                new_ops.extend(done)
                changed = True
                continue
        new_ops.append(op)
    block.ops = new_ops
    if subst:
        replace_uses(block, subst)
    return changed


def _expanded(g: Operand, s_a: Shape, axis: object, keep: bool, out: list[Op]) -> Operand | None:
    """`g`, the cotangent of a reduction of an array of shape `s_a`, with the reduced axes kept."""
    axes = _axes(axis, len(s_a))
    if axes is None:
        return None
    if keep or axis is None:
        return g
    v = Var()
    out.append(Op("numpy.expand_dims", [g, Const(axes if len(axes) > 1 else axes[0])], results=[v]))
    return v


def _small_factor(op: Op, shapes: dict, defs: dict, counts: dict) -> list[Op] | None:
    """``sum_vjp(g, a, axis, keepdims) * y`` (either order), `y` of `a`'s shape."""
    for j in (0, 1):
        s, y = op.args[j], op.args[1 - j]
        d = defs.get(s) if isinstance(s, Var) else None
        if d is None or d.prim != RT + "sum_vjp" or len(d.args) != 4 or d.kwargs:
            continue
        g, a, axis, keep = d.args
        s_a = _shape(a, shapes)
        if not s_a or _shape(y, shapes) != s_a or not isinstance(axis, Const):
            continue
        if not isinstance(keep, Const) or type(keep.value) is not bool:
            continue
        axes = _axes(axis.value, len(s_a))
        reduced = (
            None if axes is None
            else tuple(1 if i in axes else n for i, n in enumerate(s_a)) if keep.value
            else tuple(n for i, n in enumerate(s_a) if i not in axes)
        )  # fmt: skip
        if axis.value is not None and (reduced is None or _shape(g, shapes) != reduced):
            continue  # `g` must be the reduction's cotangent, of the reduced shape
        out: list[Op] = []
        dy = defs.get(y) if isinstance(y, Var) else None
        two = (
            dy is not None and dy.prim == RT + "pow_dx" and counts.get(y) == 1
            and dy.args[1] == Const(2) and _shape(dy.args[0], shapes) == s_a
        )  # fmt: skip
        if two:
            g2 = Var()
            out.append(Op("mul", [Const(2.0), g], results=[g2]))
            g, y = g2, dy.args[0]
        e = _expanded(g, s_a, axis.value, keep.value, out)
        if e is None:
            continue
        out.append(Op("mul", [e, y], results=op.results, loc=op.loc))
        return out
    return None


def _sum_first(w: Op, shapes: dict, defs: dict, counts: dict) -> list[Op] | None:
    """``w = unbroadcast(g * other, x)``, possibly through ``unbroadcast(., a)`` with `x`
    broadcasting into `a` and `a` into the product (so the two sums are the one to `x`): sum `g`
    over the axes `x` and `other` are both constant along before multiplying by `other`."""
    t, x = w.args
    d = defs.get(t) if isinstance(t, Var) else None
    if d is not None and d.prim == RT + "unbroadcast" and counts.get(t) == 1 and not d.kwargs:
        t, a = d.args
        sa, sx = _shape(a, shapes), _shape(x, shapes)
        if not sa or sx is None or _broadcast(sa, sx) != sa:
            return None
        d = defs.get(t) if isinstance(t, Var) else None
        if d is not None and _shape(t, shapes) is not None:
            if _broadcast(_shape(t, shapes), sa) != _shape(t, shapes):
                return None
    if d is None or d.prim != "mul" or counts.get(t) != 1 or d.kwargs or len(d.args) != 2:
        return None
    st, sx = _shape(t, shapes), _shape(x, shapes)
    if not st or sx is None or len(sx) > len(st):
        return None
    for g, other in (d.args, reversed(d.args)):
        sg, so = _shape(g, shapes), _shape(other, shapes)
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


def _matmul_2d(op: Op, shapes: dict) -> list[Op] | None:
    """``matmul_vjp(g, a, b, which)`` of 2-D `a` and `b`: ``g @ b.T`` or ``a.T @ g`` (the helper
    computes the same product and sums nothing: `g` has the shape of ``a @ b``)."""
    if len(op.args) != 4 or op.kwargs or not isinstance(op.args[3], Const):
        return None
    g, a, b, which = op.args
    sg, sa, sb = (_shape(v, shapes) for v in (g, a, b))
    if sa is None or sb is None or len(sa) != 2 or len(sb) != 2 or sg != (sa[0], sb[1]):
        return None
    t = Var()
    if which.value == 0:
        return [
            Op("attr.T", [b], results=[t]),
            Op("matmul", [g, t], results=op.results, loc=op.loc),
        ]
    if which.value == 1:
        return [
            Op("attr.T", [a], results=[t]),
            Op("matmul", [t, g], results=op.results, loc=op.loc),
        ]
    return None


def _getitem_view(op: Op, shapes: dict) -> Op | None:
    """``getitem_vjp(g, x, idx)`` of ``x[None, :, ...]`` (new axes and whole axes only) is `g`
    indexed at 0 on the new axes: no zeros to fill. A view of `g`: only where nothing is
    updated in place (the caller checks)."""
    if len(op.args) != 3 or op.kwargs or not isinstance(op.args[2], Const):
        return None
    g, x, idx = op.args[0], op.args[1], op.args[2].value
    parts = idx if type(idx) is tuple else (idx,)
    if None not in parts or any(e is not None and e != slice(None) for e in parts):
        return None
    sx, sg = _shape(x, shapes), _shape(g, shapes)
    if not sx or sg is None or _index(sx, idx) != sg:
        return None
    new = tuple(0 if e is None else e for e in parts)
    return Op("getitem", [g, Const(new)], results=op.results, loc=op.loc)
