"""Shift invariance: maxima whose total derivative is provably zero (log-sum-exp, softmax).

Input: a `Function`. Output: `shift_invariant(fn)`, the results of ``m = np.max(x, ...)`` (or
min, amax, amin, ``x.max(...)``) that the function's output does not depend on: every use of `m`
is part of a pattern that cancels a shift of `m`, like ``log(sum(exp(x - m))) + m`` (log-sum-exp),
``(x - m) - log(sum(exp(x - m)))`` (log-softmax) or ``exp(x - m) / sum(exp(x - m))`` (softmax).
The reverse sweep then treats `m` as a constant: its cotangent, zero in exact arithmetic, would
otherwise be summed from full-size arrays and spread over the tied maxima (`ext_weights`).

The argument: replace `m` by ``m + c`` (`c` an array of `m`'s shape). Each value computed from `m`
is tracked as ``v0 + k*c`` ("shift") or ``v0 * exp(k*c)`` ("scale"), k = +-1, with the form in
which `c` broadcasts into it: "x" (the shape of the max's input `x`, `c` constant along the
reduced axes), "keep" (`m`'s own keepdims shape), "drop" (the reduced axes removed), or "scalar"
(a full reduction: `c` is one number, the same in every element). Values where `c` cancels
(``shift - shift`` of the same k and a compatible form, ``scale / scale``) do not depend on `m`;
any other use of a tracked value (an op not listed, a nested block, the function's output) and
the candidate is rejected. Shapes are never guessed: with a non-scalar `c` the only other operand
allowed next to a tracked value is `x` itself, whose shape `c` broadcasts into exactly.
"""

from __future__ import annotations

from srcad.ssa.census import blocks_of, nested_blocks, ops_of
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

_EXTREMA = frozenset({"numpy.max", "numpy.amax", "numpy.min", "numpy.amin", "method.max",
                      "method.min"})  # fmt: skip
_SUMS = frozenset({"numpy.sum", "method.sum"})
# forms in which the shift `c` broadcasts the same way into the result
_COMPATIBLE = {("x", "x"), ("x", "keep"), ("keep", "x"), ("keep", "keep"), ("drop", "drop"),
               ("scalar", "scalar")}  # fmt: skip


def shift_invariant(fn: Function) -> set[Var]:
    """Results of max/min ops the output of `fn` provably does not depend on."""
    out: set[Var] = set()
    blocks = blocks_of(fn.body)
    for block in blocks:
        for i, op in enumerate(block.ops):
            if op.prim not in _EXTREMA:  # (`_reduction` is None: no call for most ops)
                continue
            reduced = _reduction(op)
            if reduced is not None and _cancels(block, i, reduced):
                out.add(op.result)
    return out


def _axis_and_keep(op: Op, nargs: int) -> tuple[bool, object, bool] | None:
    """(ok, axis, keepdims) of a reduction op with `nargs` array operands before `axis`."""
    args = op.args
    if len(args) > nargs + 1 or set(op.kwargs) - {"axis", "keepdims"}:
        return None
    axis: Operand = args[nargs] if len(args) > nargs else op.kwargs.get("axis", Const(None))
    keep = op.kwargs.get("keepdims", Const(False))
    if not isinstance(axis, Const) or not isinstance(keep, Const) or type(keep.value) is not bool:
        return None
    a = axis.value
    if (
        a is not None
        and type(a) is not int
        and not (type(a) is tuple and all(type(e) is int for e in a))
    ):
        return None
    return True, a, keep.value


def _reduction(op: Op) -> tuple[Var, object, bool] | None:
    """(x, axis, keepdims) of a candidate ``m = max(x, axis, keepdims)``."""
    if op.prim not in _EXTREMA or len(op.results) != 1 or not op.args:
        return None
    x = op.args[0]
    got = _axis_and_keep(op, 1)
    if not isinstance(x, Var) or got is None:
        return None
    return x, got[1], got[2]


def _nested_uses(op: Op) -> set[Var]:
    """Vars read inside the blocks of a structured op."""
    seen: set[Var] = set()
    for b in op.blocks:
        for sub in ops_of(b):
            seen.update(a for a in sub.operands() if isinstance(a, Var))
        seen.update(a for a in b.yields if isinstance(a, Var))
        for bb in nested_blocks(b):
            seen.update(a for a in bb.yields if isinstance(a, Var))
    return seen


def _cancels(block: Block, start: int, reduced: tuple[Var, object, bool]) -> bool:
    """Every use of the max at `block.ops[start]` ends in values where its shift cancels."""
    x, axis, keepdims = reduced
    m = block.ops[start].result
    scalar = axis is None and not keepdims
    # without keepdims, `m` broadcasts into `x` like the keepdims max only when the reduced axes
    # are the leading ones (x.max(axis=1) of a square x lines up with the columns, not the rows)
    form = "scalar" if scalar else "keep" if keepdims or _leading(axis) else "drop"
    dep: dict[Var, tuple[str, int, str]] = {m: ("shift", 1, form)}
    for op in block.ops[start + 1 :]:
        used = [a for a in op.operands() if _in(a, dep)]
        if op.blocks and any(v in dep for v in _nested_uses(op)):
            return False
        if not used:
            continue
        state = _step(op, dep, x, m, axis, scalar, keepdims)
        if state is False:
            return False
        if state is not None:
            dep[op.result] = state
    return not any(isinstance(y, Var) and y in dep for y in block.yields)


def _step(
    op: Op, dep: dict, x: Var, m: Var, axis: object, scalar: bool, keepdims: bool
) -> tuple[str, int, str] | None | bool:
    """The tracked state of `op`'s result; None: independent of the shift; False: unknown."""
    p, args = op.prim, op.args
    if len(op.results) != 1 or (op.kwargs and p not in _SUMS):
        return False
    if p in ("add", "sub") and len(args) == 2:
        a, b = (dep.get(v) if isinstance(v, Var) else None for v in args)
        sign = 1 if p == "add" else -1
        if a is not None and b is not None:
            if a[0] != "shift" or b[0] != "shift" or (a[2], b[2]) not in _COMPATIBLE:
                return False
            return None if a[1] + sign * b[1] == 0 else False
        tracked, k = (a, 1) if a is not None else (b, sign)
        other = args[1] if a is not None else args[0]
        if tracked[0] != "shift":
            return False
        if scalar:
            return ("shift", k * tracked[1], "scalar")
        if other is x and tracked[2] in ("x", "keep"):
            return ("shift", k * tracked[1], "x")
        return False
    if p == "neg" and len(args) == 1:
        kind, k, form = dep[args[0]]
        return (kind, -k, form) if kind == "shift" else (kind, k, form)
    if p == "numpy.exp" and len(args) == 1:
        kind, k, form = dep[args[0]]
        return ("scale", k, form) if kind == "shift" else False
    if p == "numpy.log" and len(args) == 1:
        kind, k, form = dep[args[0]]
        return ("shift", k, form) if kind == "scale" else False
    if p in _SUMS and args and _in(args[0], dep) and not any(_in(v, dep) for v in args[1:]):
        kind, k, form = dep[args[0]]
        got = _axis_and_keep(op, 1)
        if kind != "scale" or got is None:
            return False
        if scalar:
            return ("scale", k, "scalar")
        if form in ("x", "keep") and got[1] == axis:
            return ("scale", k, "keep" if got[2] else "drop")
        return False
    if p == "getitem" and len(args) == 2 and not _in(args[1], dep):
        if scalar:
            return dep[args[0]]
        if args[0] is m and isinstance(args[1], Const) and keepdims:
            return ("shift", 1, "drop") if _drops_reduced(args[1].value, axis) else False
        return False
    if p == "truediv" and len(args) == 2:
        a, b = (dep.get(v) if isinstance(v, Var) else None for v in args)
        if a is not None and b is not None:
            ok = a[0] == b[0] == "scale" and a[1] == b[1] and (a[2], b[2]) in _COMPATIBLE
            return None if ok else False
        if scalar and a is not None and a[0] == "scale":
            return a
        if scalar and b is not None and b[0] == "scale":
            return ("scale", -b[1], "scalar")
        return False
    if p == "mul" and len(args) == 2 and scalar:
        a, b = (dep.get(v) if isinstance(v, Var) else None for v in args)
        if (a is None) != (b is None) and (a or b)[0] == "scale":
            return a or b
        return False
    return False


def _leading(axis: object) -> bool:
    """The reduced axes are 0, 1, ..., k-1: dropping them leaves a shape that broadcasts into `x`
    as the keepdims shape does."""
    axes = (axis,) if type(axis) is int else axis
    return type(axes) is tuple and axes == tuple(range(len(axes))) and len(axes) > 0


def _in(a: object, dep: dict) -> bool:
    return isinstance(a, Var) and a in dep


def _drops_reduced(idx: object, axis: object) -> bool:
    """``m[idx]`` of a keepdims max over `axis` (non-negative ints) removes exactly those axes,
    each of size 1, and nothing else."""
    axes = (axis,) if type(axis) is int else axis
    if type(axes) is not tuple or not axes or any(a < 0 for a in axes):
        return False
    parts = idx if type(idx) is tuple else (idx,)
    dropped = set()
    for j, e in enumerate(parts):
        if type(e) is int and e in (0, -1) and j in axes:
            dropped.add(j)
        elif not (type(e) is slice and e == slice(None)):
            return False
    return dropped == set(axes)
