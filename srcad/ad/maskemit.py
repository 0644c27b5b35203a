"""What the reverse sweep emits where a mask of `ad/masks.py` applies (`VJP.rev_op`).

Input: an op, its masks (`masks.where_masks`' value for its result) and the reverse block being
built. Output: `where_selection(op, masks, b)`, the Var of the positions where the op's
contributions can be non-zero, `mask_contribution`, a contribution zeroed outside it, and
`quiet_sweep`, which marks the sweep's ops to run under ``np.errstate(all="ignore")``::

    sel = _srcad.where_mask(np.shape(u), cond)          # u = np.exp(x), read by np.where(cond, u, ..)
    bx = np.where(sel, g * u, 0.0)
"""

from __future__ import annotations

from typing import Any

from srcad.ad.common import RT
from srcad.ad.gathers import HOWS
from srcad.ad.maskcarry import Expr, Moved, emit
from srcad.ad.masks import FINITE, Masks
from srcad.ad.rootbranch import BRANCHED as BRANCHED  # (for vjp.py)
from srcad.ad.rootbranch import branch_ans as _branch_ans
from srcad.ad.rootbranch import branch_checked
from srcad.ad.rootcheck import ROOT_PRIMS
from srcad.ad.rootcheck import SQUARING as SQUARING
from srcad.ad.rootcheck import adj_checked as adj_checked  # (for ad/vjp.py)
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Op, Operand, Var


def where_selection(op: Op, masks: Masks, b: Builder) -> Var:
    """Where `op`'s contributions can be non-zero: ``_srcad.where_mask(np.shape(ans), c...)``,
    or'ed over the conjunctions of `masks`."""
    return _selection(op.result, masks, b)


def _selection(u: Any, masks: Masks, b: Builder) -> Var:
    shape = b.op("numpy.shape", [emit(u, b)])
    sel = None
    for conj in masks:
        conds = [
            b.op("numpy.isfinite", [emit(c, b)])
            if k is FINITE and type(c) is not Expr
            else b.op(c[0], [emit(a, b) for a in c[1:]])
            if type(c) is tuple
            else _moved(c, b)
            if type(c) is Moved
            else emit(c, b)
            for c, k in conj
        ]
        # (a recomputed value's np.isfinite: where_mask's, which masks nothing on `UNKNOWN`)
        keep = tuple(
            "finite" if k is FINITE and type(c) is Expr else k is not False for c, k in conj
        )
        kw = {} if all(k is True for k in keep) else {"keep": Const(keep)}
        s = b.op(RT + "where_mask", [shape, *conds], kw, hint="sel")
        sel = s if sel is None else b.op("numpy.logical_or", [sel, s], hint="sel")
    assert sel is not None
    return sel


def branch_ans(vjp: Any, op: Op, ans: Operand, b: Builder) -> Operand:
    """`ans` as the reverse rule of a hypot or norm `op` reads it: 1.0 where the branch reading
    it is not taken (`rootbranch.branch_ans`)."""
    return _branch_ans(vjp, op, ans, b, _selection)


def _moved(c: Moved, b: Builder) -> Var:
    inner = _selection(c.y, c.masks, b)
    args = [emit(a, b) for a in (c.u, c.y, *c.args)]
    name = "gather_mask" if c.how in HOWS else "moved_mask"  # (`ad/gathers.py`)
    return b.op(RT + name, [inner, args[0], args[1], Const(c.how), *args[2:]], hint="sel")


# what a reverse sweep may run that depends on NumPy's error state (a user's ``except
# FloatingPointError`` again, `_srcad.try_which`), or that runs a user's code (a call)
_LOUD = frozenset(
    {"call", RT + "try_which", RT + "try_error", "numpy.seterr", "numpy.geterr", "numpy.errstate"}
    | {"for", "while"}  # (`quiet_sweep`: loop bodies are never wrapped)
)


# the mark of a tangent of an op the user's ``with np.errstate(...)`` runs: its ops run under
# ``np.errstate(all="ignore")``, in a loop body too (backend/emit.py's `block`)
IGNORE_ALL = (("all", "ignore"),)


def quiet_ops(ops: list[Op], quiet: Any = True) -> None:
    """Mark `ops`, a tangent's (`ad/jvp.py`), ``quiet`` as `quiet_sweep` does: the tangent of a
    quiet op (a reverse sweep's, differentiated again: ``hvp``), or one masked where the primal
    is not differentiable (`fmasks.mask_tangent`: ``np.sqrt(x * x + y * y)`` at 0). Other
    tangents interleave with the primal ops, which stay under the user's state: a ``with`` per
    op would cost more than the op (an infinite tangent, ``np.arcsin`` at 1, still reports)."""
    for o in ops:  # (`quiet`: True, or the user's errstate its primal runs under: withs.ignored)
        if o.prim not in _LOUD and o.prim != "if" and o.params.get("quiet") is not True:
            o.params["quiet"] = quiet


def quiet_sweep(rev: Block, floats: set[Var]) -> None:
    """Mark the ops of the reverse sweep `rev` ``quiet`` (not in loop bodies, whose statements
    the backend never wraps, but a loop whose body runs nothing of `_LOUD` is, whole; nor those
    of `_LOUD`, nor those making Python floats, of which
    NumPy reports nothing): the backend runs runs of them under ``np.errstate(all="ignore")``.
    A derivative may be infinite where the primal is not (``0.5 / sqrt(t)`` at ``t == 0``, then
    ``0 * inf``), or divide by zero where a mask drops the value (`mask_contribution`), and a primal
    value the sweep computes again was computed before, under the user's state (an error the
    primal raises was raised there), so ``np.errstate(all="raise")`` or warnings as errors
    raise nowhere the primal does not, and nothing the primal raises is hidden."""
    for o in rev.ops:
        p = o.prim
        if p in ("for", "while") and all(_silent(b) for b in o.blocks):
            o.params["quiet"] = (
                True  # (the whole loop under the ``with``: its body reports nothing)
            )
            continue
        if p in _LOUD:
            continue
        if p == "if":
            for b in o.blocks:
                quiet_sweep(b, floats)
        elif not floats or not o.results or o.results[0] not in floats:
            o.params["quiet"] = True
        elif any(r not in floats for r in o.results):
            o.params["quiet"] = True


def _silent(block: Block) -> bool:
    """`block` (a loop body of a reverse sweep) runs no op of `_LOUD` but loops, nested blocks
    included: a user's code or error-state handling, which must see the user's state."""
    for o in block.ops:
        if o.prim in _LOUD and o.prim not in ("for", "while"):
            return False
        if o.blocks:
            for b in o.blocks:
                if not _silent(b):
                    return False
    return True


def mask_contribution(
    op: Op, sel: Var, c: Operand, rev: Block, scalar: bool, vjp: Any = None
) -> Operand:
    """Zero the contribution `c` outside `sel`, before it is summed to the operand's shape;
    `scalar`: `op`'s result is a number (numbers in, a number out: not a 0-d array). `vjp`: the
    reverse sweep, whose roots of sums of squares get their second-order check (`rootcheck`)
    where the root's value is used (`rootbranch`)."""
    b = Builder(rev, op.loc)
    if vjp is not None and op.prim in ROOT_PRIMS and len(op.results) == 1:
        c = mask_contribution(op, sel, c, rev, scalar)
        return branch_checked(vjp, op, c, b, _selection)  # (checked where used: rootbranch)
    if scalar:
        return b.op("getitem", [b.op("numpy.where", [sel, c, Const(0.0)]), Const(())])
    last = rev.ops[-1] if rev.ops else None
    if last is not None and last.results == [c] and last.prim == RT + "unbroadcast":
        w = Var()
        rev.ops.insert(len(rev.ops) - 1, Op("numpy.where", [sel, last.args[0], Const(0.0)],
                                            results=[w], loc=op.loc))  # fmt: skip
        last.args[0] = w
        return c
    return b.op("numpy.where", [sel, c, Const(0.0)])  # a unary op: c has the result's shape
