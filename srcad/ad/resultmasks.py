"""A helper's result masked by its caller: the reverse sweep's masks (`ad/masks.py`) carried into
the helper's backward function.

Input: a reverse transform (`ad/vjp.py`) whose masks are computed, and the calls of helpers
`vjp_calls.split_calls` made (``pair = vjp_h_fwd(*args); y = pair[0]``). Output, in place:
`masked_calls` gives each call whose result `y` the caller masks (its uses' masks: elementwise
ops the caller masks, NaN-skipping reductions) a version of the helper whose backward function
takes where `y`'s cotangent can be non-zero as a third parameter (`gmask`), the bool the caller
computes as for any masked op (``sel = _srcad.where_mask(np.shape(y), ..)``); the helper's
sweep (`seeded`) reads its result as used only through ``np.where(gmask, out, 0.0)``, so its
ops' contributions are masked by it, as if the caller's code were inlined::

    def h(a, b):
        return np.sin(a * b)
    np.nansum(h(Y, w[0]) * w[1])   # Y holds a NaN: h's cotangent is 0 there, cos(nan) is nan

The helper multiplied the caller's exact zero by its NaN local derivative: the gradient was NaN
where it is finite. The mask only zeroes contributions at positions where the cotangent is
structurally zero (never on a value of 0), so it cannot change a finite derivative.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.maskemit import where_selection
from srcad.ad.masks import _GUARDS, _and, _any
from srcad.ad.nanmasks import SKIPPING, nan_skipped
from srcad.rules import default_registry
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Op, Var


def result_mask(self: Any, r: Var) -> tuple:
    """The union of the masks of the uses of the call result `r`: `where_masks`' (`param_masks`,
    the body's values), else those of its uses, all in the block making it (a loop body's too; a
    read in a nested block or a yield of `r`: ()): an elementwise op's mask, a side of a where,
    a NaN-skipping reduction's condition, the masks of a guard's result
    (``_srcad.plain_receiver(r, ..)``, `r` itself: ``h(Y, s) * s`` of a NumPy scalar `s`); any
    other use masks nothing."""
    body = self.fn.body
    if r in body.yields:
        return ()
    whole = self.param_masks.get(r)  # (`where_masks`' union of its uses' masks: the same)
    if whole:
        return whole
    block = _making(body, r)  # (``for ..: s += np.where(x[i] > 0, h(x[i]), 0.0)``)
    if block is None or r in block.yields:
        return ()
    reg = default_registry()
    found: list = []
    for op in block.ops:
        if any(r in reads for reads in _nested_reads(op)):
            return ()
        if r not in op.args and r not in op.kwargs.values():
            continue
        s = nan_skipped(op, self.table) if op.prim in SKIPPING else None
        side = _where_side(op, r)
        if side is not None:  # np.where(c, r, ..): no cotangent where c does not pick r
            found.append(_and(self.masks.get(op.result, ()), side))
        elif op.prim in _GUARDS and op.args[0] is r and r not in op.args[1:]:
            found.append(result_mask(self, op.results[0]))  # (`r` itself, or an error)
        elif reg.get(op.prim).elementwise and len(op.results) == 1 and not op.kwargs:
            found.append(self.masks.get(op.result, ()))
        elif s is not None and op.args[0] is r and r not in (*op.args[1:], *op.kwargs.values()):
            found.append(((s[1],),) if s[0] is r else ())
        else:
            return ()
    return _any(found, r) if found else ()


def _making(body: Block, r: Var) -> Block | None:
    """The block of `body` (nested ones too) with the op making `r`."""
    stack = [body]
    while stack:
        b = stack.pop()
        for op in b.ops:
            if r in op.results:
                return b
            stack.extend(op.blocks)
    return None


def _where_side(op: Op, r: Var) -> tuple | None:
    """(c, True) for ``np.where(c, r, y)``, (c, False) for ``np.where(c, x, r)``; None for any
    other op, or a where reading `r` on both sides or as its condition."""
    if op.prim != "numpy.where" or len(op.args) != 3 or op.kwargs or type(op.args[0]) is not Var:
        return None
    c, x, y = op.args
    if c is r or (x is r) == (y is r):
        return None
    return (c, x is r)


def _nested_reads(op: Op) -> list[set]:
    """The values each block nested in `op` reads (operands of its ops, its yields)."""
    out = []
    for sub in op.blocks:
        reads: set = set(sub.yields)
        stack = list(sub.ops)
        while stack:
            o = stack.pop()
            reads.update(a for a in (*o.args, *o.kwargs.values()) if type(a) is Var)
            for s in o.blocks:
                reads.update(y for y in s.yields if type(y) is Var)
                stack.extend(s.ops)
        out.append(reads)
    return out


def masked_calls(self: Any, make: Any) -> None:
    """Each call whose result the caller masks calls the helper's masked version (made by
    `make(op, target, infp, key)` -> its base name, or None where it cannot be)."""
    for r, (op, target, infp, fop) in list(self.call_specs.items()):
        m = result_mask(self, r) if r in self.calls else ()
        if not m:
            continue
        base = make(self, op, target, infp)
        if base is None:
            continue
        fop.params = {**fop.params, "name": f"{base}_fwd"}
        res, _, wrt, args = self.calls[r]
        self.calls[r] = (res, f"{base}_bwd", wrt, args)
        self.masked_results[r] = m


def seeded(self: Any, body: Block) -> Block:
    """`body` as `ad/masks.py` reads it: for a helper with a masked result, its result used only
    through ``np.where(gmask, out, 0.0)`` (an op the function does not run)."""
    gm = self.result_mask
    if gm is None or len(body.yields) != 1 or type(body.yields[0]) is not Var:
        return body
    w = Op("numpy.where", [gm, body.yields[0], Const(0.0)], results=[Var("masked")])
    return Block(body.params, [*body.ops, w], [w.result])


def bwd_call(self: Any, r: Var, op: Op, f: Var, res: Var, g: Any, b: Builder) -> Var:
    """The call of the helper's backward function, with the mask of `r` (`op`'s result) where
    the caller masks it."""
    m = self.masked_results.get(r)
    if not m:
        return b.op("call", [f, res, g], hint="bargs")
    return b.op("call", [f, res, g, where_selection(op, m, b)], hint="bargs")
