"""Reverse mode through the unselected side of ``np.where``: which cotangents are structurally zero.

Input: a block of primal IR (the function body, after the VJP split its calls) and the VJP rule
table. Output: ``where_masks(block, table) -> {u: ((cond, keep), ...)}`` for op results `u` whose
cotangent reaches them only through the `x` (``keep=True``) or `y` (``keep=False``) side of
``np.where(cond, x, y)``, passing through elementwise ops on the way; and what the reverse sweep
emits for such an op (`ad/maskemit.py`). At the positions where a
``cond`` differs from its ``keep`` that cotangent is exactly zero; the reverse sweep multiplies it by
the op's local derivative, which may be inf or nan there (``exp(1000)``, ``0.5 / sqrt(-1)``), so the
sweep masks the op's contributions to its operands before summing them to the operands' shapes::

    sel = _srcad.where_mask(np.shape(u), cond)        # u = np.exp(x), used only in where(cond, u, ..)
    bx = np.where(sel, g * u, 0.0)                      # not g * u: 0 * inf would be nan

A value is masked by the conditions all of its uses agree on: a use outside the chain (another
op, the block's result) leaves its cotangent unmasked, though the contributions of its masked
users stay masked. Uses in a nested block (a loop body, a branch) count with their masks when
those conditions are computed before the block (the same in every iteration), else unmasked.
Uses with no cotangent (comparisons, a where's condition) are ignored. Where the condition
broadcasts differently from `u`, `where_mask` keeps a position of `u` when any position of the
where's result it broadcasts to selects that side, so no cotangent is ever dropped. Uses under
different conditions (``np.where(x > 0, y, 0) + np.where(x > 1, y, 1)``) keep a position when any
of them keeps it: a mask is a disjunction of conjunctions (at most `_MAX_ALTS` of them, else the
conditions they all share). ``np.nan_to_num(u)`` acts as ``np.where(np.isfinite(u), u, ..)`` on
`u`, and ``u * c`` with a boolean `c` (``x > 0``, `boolmasks.boolish`) as ``np.where(c, u, 0.0)``;
the root of a sum of squares (`fmasks.square_sums`) gives no cotangent where the sum is 0. A
write under a boolean mask, ``r[np.isnan(r)] = 0.0`` (`_patches`), gives the old `r` no cotangent
where it writes (``_srcad.unset_mask(r, m)``), and ``np.select(conds, choices, default)`` with both
lists made in the function (`_select`; ``np.choose(a, choices)``: `_choose`) gives a choice none
where it is not chosen. A NaN-skipping reduction ``np.nansum(u)`` (nanmean, nanmax, ..:
`nanmasks.py`) gives `u` none where it leaves a NaN entry out, and a reduction's mask ``np.sum(u,
where=c)`` (`wheremasks.py`) where `c` is False.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from functools import partial
from typing import Any

from srcad.ad.activity import _INACTIVE_PRIMS
from srcad.ad.boolmasks import boolish, constant_values, is_in, mask_indices
from srcad.ad.branchmasks import MAKERS as BRANCH_MAKERS
from srcad.ad.branchmasks import branch_cond, branch_values, check_plain
from srcad.ad.common import RT
from srcad.ad.fmasks import feeds_singular, square_sums
from srcad.ad.loopmasks import Loops, loop_yields
from srcad.ad.loopwheres import where_loops
from srcad.ad.maskcarry import RECOMPUTED, branch_yields, out_of_branch, tape_items, tapes
from srcad.ad.maskscan import MASK_MAKERS, bool_products, defined_by, may_bool_product
from srcad.ad.nanmasks import SKIPPING as NAN_PRIMS
from srcad.ad.nanmasks import left_out_all, nan_skipped
from srcad.ad.partreads import MASKED_PRIMS, moved_use, moves, partial_reads
from srcad.ad.rules import RuleTable
from srcad.ad.selmasks import PRIMS as SEL_PRIMS
from srcad.ad.selmasks import fixed_interps, select_keeps, singular_values
from srcad.ad.vjp_util import free_vars
from srcad.ad.wheremasks import PRIMS as WHERE_PRIMS
from srcad.ad.wheremasks import has_where, where_kept
from srcad.ad.writemasks import PUT, singular_writes
from srcad.rules import default_registry
from srcad.ssa import verify
from srcad.ssa.census import ops_of, ops_with
from srcad.ssa.core import Block, Const, Op, Var

Conj = tuple[tuple[Var, Any], ...]  # (cond, keep): keep True/False, or FINITE (np.isfinite(cond))
Masks = tuple[Conj, ...]  # a position is kept when some conjunction keeps it; () masks nothing
FINITE = "finite"
_MAX_ALTS = 4


def where_masks(
    block: Block,
    table: RuleTable,
    seq_ops: Container = (),
    facts: tuple = ((), None),
    calls: dict | None = None,
    params: dict | None = None,
    outs: Container = (),
    memo: dict | None = None,
    consts: Container = (),
) -> dict[Var, Masks]:
    """-> the masked op results of `block` and its nested blocks, with their conditions.
    `seq_ops`: ``+``/``*`` ops that may concatenate or repeat lists (not elementwise then);
    `facts`: (Vars that may be complex, float arrays' ranks or None), for `square_sums`;
    `calls`: a helper's call result -> the masks of its operands (`ad/callmasks.py`);
    `params`: filled with the masks of the values `block` reads (its function's parameters);
    `outs`: a helper's results, whose cotangent its caller may make infinite (`feeds_singular`);
    `memo`: for `square_sums` and the definitions the prechecks read (`ssa/census.shared_defs`;
    the reverse sweep's, shared with its squared magnitudes); `consts`: values constant at every
    level of the request besides globals (`boolmasks.fixed_values`), factors masking as those."""
    prims = {op.prim for op in ops_of(block)}
    # `np.sqrt(x * (x > 0))`: products by a boolean feeding an op with an infinite derivative
    feeds = feeds_singular(block, seq_ops, prims, outs) if not prims.isdisjoint(_MULS) else ()
    may = feeds and may_bool_product(ops_of(block), feeds, _MULS, consts)  # (else no `boolish`)
    fixed = (constant_values(block) | set(consts)) - set(facts[0]) if may else ()  # (real ones)
    bools = boolish(block) | fixed if may else ()
    if bools and not bool_products(ops_of(block), feeds, bools, _MULS):
        bools = ()  # (no ``u * (x > 0)`` feeding a singular op: nothing for `_block` to mask)
    # the root of a sum of squares gives nothing where the sum is 0 (`fmasks.square_sums`)
    roots = square_sums(block, *facts, prims, memo)
    # ``r[np.isnan(r)] = 0``: writes under a boolean mask (the old r: nothing where written)
    patches = _patches(block, seq_ops) if "setitem" in prims or PUT in prims else ()
    # ``max(np.sqrt(t), 1.0)``: the side a max/min/clip does not take (`selmasks.py`)
    sing = singular_values(block, seq_ops, prims, memo)
    exact = fixed_interps(block, consts, memo) if sing and "numpy.interp" in prims else ()
    # ``r = np.sqrt(x); if x < 0: .. else: y = r``: r's cotangent is zero where the if takes the
    # branch not reading it (`branchmasks.py`; not those read where no mask can apply: `_unmasked`)
    # ``for ..: v = v * 2`` then ``np.where(c, v, 0)``: the loops whose results may be masked
    loops = Loops(block, _masking, memo) if "for" in prims else frozenset()  # (`loopmasks`)
    plain = partial(_unmasked, table, calls or {}, loops)
    ifs = "if" in prims and not prims.isdisjoint(BRANCH_MAKERS)
    made: dict = {} if memo is None else memo  # (`branchmasks.made_values`: for `brs`, `reads`)
    brs = branch_values(block, seq_ops, plain, made) if ifs else (set(), set())
    sels = not prims.isdisjoint(_SELECTS) or not prims.isdisjoint(NAN_PRIMS)
    sels = sels or any(map(has_where, ops_with(block, WHERE_PRIMS)))  # (of those primitives)
    reads = partial_reads(block, seq_ops, prims, made)  # ``r = np.sqrt(x); r[0]``: partreads
    wheres = where_loops(block, prims, seq_ops, made)  # ``for k: np.where(k > i, r, 0)``
    parts = (bools, feeds, roots, patches, (sing, exact), calls, sels, reads, loops, wheres)
    out = _masked(block, table, seq_ops, prims, parts, brs, params)
    if ifs and verify.enabled():  # what `plain` left out must change no mask (branchmasks.py)
        masked = partial(_masked, block, table, seq_ops, prims, parts)
        check_plain(block, seq_ops, brs, out, masked, made)
    return out


def _masked(
    block: Block, table: RuleTable, seq_ops: Container, prims: set, parts: tuple, brs: tuple,
    params: dict | None = None,
) -> dict[Var, Masks]:  # fmt: skip
    """`where_masks`' result from the analyses it chose to run (`parts`, `brs`)."""
    bools, feeds, roots, patches, sx, calls, sels, reads, loops, wheres = parts  # (sx: sing, exact)
    out: dict[Var, Masks] = {}
    if bools or roots or patches or sx[0] or calls or brs[0] or sels or reads or wheres:
        # tuples a loop appends to a list another loop reads (a gradient's tape: maskcarry.py)
        tps = tapes(block) if "list_append" in prims else ({}, [])
        muls = (bools, feeds, roots, patches, *tps, {}, sx, calls or {}, brs, reads, loops, wheres)
        uses = _block(block, table, out, seq_ops, muls)
        if params is not None:
            params.update((v, _any(ms, v)) for v, ms in uses.items())
    return out


def _patches(block: Block, seq_ops: Container) -> dict[Op, dict | None]:
    """The ``x[m] = v`` of `block` (nested blocks included) whose index `m` is a comparison's
    or a logical op's result or the positions where one holds (`boolmasks.mask_indices`): a patch
    of the positions where `x` is bad; and those whose `x` a singular op made (`writemasks.py`),
    whatever the index."""
    ops = ops_of(block)
    writes = [op for op in ops if op.prim == "setitem" and len(op.args) == 3]
    out = singular_writes(block, seq_ops)
    if not defined_by(ops, {op.args[1] for op in writes if type(op.args[1]) is Var}, MASK_MAKERS):
        return out  # (no index made by an op that can make a mask: no `boolish` walk)
    masks = mask_indices(block, boolish(block))
    out.update((op, None) for op in writes if is_in(op.args[1], masks) and op not in out)
    return out


_SELECTS = ("numpy.where", "numpy.nan_to_num", "numpy.select", "numpy.choose")
_MULS = ("mul", "numpy.multiply")
_GUARDS = frozenset((RT + "plain_receiver", RT + "root_d2_check", RT + "root_adj_check"))  # (x)


def _block(
    block: Block,
    table: RuleTable,
    out: dict[Var, Masks],
    seq_ops: Container,
    muls: tuple,
    ymasks: list | None = None,
) -> dict[Var, list[Masks]]:
    """Fills `out` for `block`'s ops; -> the masks of the uses of every value `block` reads.
    `ymasks`: the masks of `block`'s yields (a branch's, from the uses of the ``if``'s results)."""
    reg = default_registry()
    uses: dict[Var, list[Masks]] = {}

    def use(v: object, m: Masks) -> None:
        if type(v) is Var:
            uses.setdefault(v, []).append(m)

    for y, m in zip(block.yields, ymasks or [()] * len(block.yields)):
        if m is not None:
            use(y, m)
    tps, watch, seen, sx, calls, (brs, conds), reads, loops, wheres = muls[4:]
    sing = sx[0]  # (and the interps of fixed x and xp: `selmasks.fixed_interps`)
    chosen: dict[Var, list[Masks]] = {}  # a np.select's choice list -> its items' masks
    for op in reversed(block.ops):  # SSA: every use of a result comes after its op
        branch = op.prim == "if"
        looped = None  # (a for loop's masked results: the yields' masks, `loopmasks.py`)
        if op in loops and op not in muls[3]:  # (not a loop_unset patch: `writemasks`)
            run = lambda b, ym: _block(b, table, {}, seq_ops, muls, ym)  # noqa: E731
            looped, firsts = loop_yields(op, uses, run, _any) or (None, None)
        subs = [
            (sub, _block(sub, table, out, seq_ops, muls, ym))
            for sub in op.blocks
            for ym in [branch_yields(op, sub, block, uses, _any) if branch else looped]
        ]
        cond = branch_cond(op, conds) if branch and brs else None
        for k, (sub, inner) in enumerate(subs):
            free = free_vars(sub)
            for v in free:
                # a loop body (or branch) that reads v only under conditions computed before it
                # (`for k in ..: np.where(c, y, 0)`): those mask v in every iteration; its
                # conditions computed from values made before it: recomputed outside
                if v not in inner:
                    continue  # (no cotangent flows to v there)
                m = (wheres and wheres.get((op, v))) or _any(inner[v], v)  # (`loopwheres`)
                if not all(c in free for conj in m for c, _ in conj):
                    m = out_of_branch(m, sub, NAN_PRIMS | WHERE_PRIMS)
                if (  # (every branch's use under its condition, when one of them is masked:
                    cond is not None  # ``if c: r[i] = 0`` keeps r where c fails or i leaves it)
                    and v in brs
                    and (m or any(v not in i or _any(i[v]) for _, i in subs))
                ):
                    m = _and(m, (cond, k == 0))  # (branch 0 runs where `cond` is truthy)
                use(v, m)
        m: Masks = ()
        p = op.prim
        if tps and len(op.results) == 1 and op.result in tps:  # a value appended to a tape
            t = tps[op.result]
            items = t.item.args if t.item is op else [t.item]
            for a, ma in zip(items, tape_items(t, seen, _any)):
                if ma is not None:  # (None: no read of the tape reads that item)
                    use(a, ma)
            continue
        elementwise_op = (
            reg.get(p).elementwise
            and len(op.results) == 1
            and not op.kwargs
            and len(op.args) <= 2
            and op not in seq_ops
        )
        if (elementwise_op or p == "numpy.where") and op.result in uses:
            # Only an elementwise op's contributions line up position by position with its
            # result; a flip, concatenation or index moves them (their masks would be wrong).
            m = _any(uses[op.result], op.result)
            if m:
                out[op.result] = m
        if p in _GUARDS:  # `_srcad.plain_receiver(x, ..)`: `x` itself (or an error), g to x
            if op.result in uses:
                use(op.args[0], _any(uses[op.result], op.result))
            continue
        if p == "numpy.where" and len(op.args) == 3 and not op.kwargs:
            c, x, y = op.args
            if isinstance(c, Var):
                use(x, _and(m, (c, True)))
                use(y, _and(m, (c, False)))
                continue
        if sing and p in SEL_PRIMS and _extreme(op, uses, sx, m if elementwise_op else (), use):
            continue
        if p == "numpy.select" and op.result in uses and _select(op, block, uses, chosen):
            continue
        if p == "numpy.choose" and op.result in uses and _choose(op, block, table, uses, chosen):
            continue
        if op.prim in _SEQS and len(op.results) == 1 and op.result in chosen:
            if len(uses.get(op.result, ())) == 1:  # read by the np.select alone: item by item
                for a, ma in zip(op.args, chosen[op.result]):
                    use(a, ma)
                continue
        if p == "numpy.nan_to_num" and op.args and isinstance(op.args[0], Var):
            # np.nan_to_num(u) keeps u where it is finite: elsewhere u's cotangent is zero
            mr = _any(uses[op.result], op.result) if op.result in uses else ()
            use(op.args[0], _and(mr, (op.args[0], FINITE)))
            for a in (*op.args[1:], *op.kwargs.values()):
                use(a, ())
            continue
        skip = nan_skipped(op, table) if p in NAN_PRIMS else None
        kept = where_kept(op, table) if p in WHERE_PRIMS else None  # (`wheremasks.py`)
        if skip is not None or kept is not None:  # np.nansum(u): u's NaN entries get nothing
            if op.result in uses:  # (`nanmasks.py`); np.sum(u, where=c): where c is False
                conj = tuple(s[1] for s in (skip, kept) if s is not None)
                us = (skip or kept)[0]  # (`u`, or a derivative helper's operands: nanmasks)
                us = us if type(us) is tuple else (us,)
                for a in (*op.args, *op.kwargs.values()):
                    use(a, (conj,) if a in us else ())
            continue
        if calls and len(op.results) == 1 and op.result in calls:  # a helper's masked operands
            for a, ma in zip(op.args[1:], calls[op.result]):
                use(a, ma)
            continue
        bools, feeds, roots, patches = muls[:4]
        if looped is not None:  # a for loop's first values (`loopmasks.py`)
            for j, a in enumerate(op.args):
                use(a, (firsts[j - 3] or ()) if 3 <= j < len(op.args) else ())
            continue
        if op in patches and p == "for":  # for i in idx: r[i] = v (writemasks.loop_unset)
            unset = patches[op]  # (or a loop's record of where it writes: `loopwrites`)
            for j, a in enumerate(op.operands()):
                k = j - 3  # (the carry's position: after range's three operands)
                if k in unset and type(a) is Var:
                    r = op.results[k]
                    use(a, _and(_any(uses[r], r) if r in uses else (), unset[k]))
                else:
                    use(a, ())
            continue
        if op in patches:  # x[m] = v: the old x's cotangent is zero where m writes
            x, idx, v = op.args[:3]
            mr = _any(uses[op.result], op.result) if op.result in uses else ()
            put = p == PUT  # (np.put, np.place: ``put_write(x, idx, v, mode, kind)``)
            unset = (RT + "put_unset", *op.args) if put else (RT + "unset_mask", x, idx)
            use(x, _and(mr, (unset, True)))
            use(v, ())
            continue
        if roots and len(op.results) == 1 and op.result in roots:  # np.sqrt(s), s = sum(a * a)
            s0 = roots[op.result]  # (s, or the runtime's test of `a @ a` at 0)
            out[op.result] = _and(m, (s0, True) if type(s0) is Var else (s0, False))
        if elementwise_op and p in _MULS and op.result in feeds and len(op.args) == 2:
            u, c = op.args if is_in(op.args[1], bools) else op.args[::-1]
            if is_in(c, bools):  # u * (x > 0): u's cotangent is g * False = 0 where c is False
                m = _and(m, (c, True))
                out[op.result] = m
                use(u, m)
                continue
        if elementwise_op:
            if op.result in uses:  # (``np.abs(r) < 1``: no cotangent reaches np.abs(r))
                for a in op.args:
                    use(a, m)
            continue
        how = moves(op) if len(op.results) == 1 and op.result in uses else None
        if how is not None:  # y = u.reshape(..), u.T, u[idx]: y's mask, moved back to u
            mus = moved_use(op, how, _any(uses[op.result], op.result), reads, (chosen, block))
            if mus:  # ({operand position: the mask of its use})
                for j, a in enumerate((*op.args, *op.kwargs.values())):
                    use(a, mus.get(j, ()))
                continue
        if p in _INACTIVE_PRIMS or _zero(table, p):
            continue  # no cotangent flows to the operands
        # (`_unmasked` predicts this use: a case above for more primitives adds them to `_MASKING`)
        for a in _carriers(table, op):
            use(a, ())
    for e in watch:  # the masks of the tapes' reads, for the loops appending to them
        if e in uses:
            seen[e] = _any(uses[e], e)
    return uses


_SEQS = ("list", "tuple")
# the ops whose operands `_block` may give a masked use: those it masks through or skips
_MASKING = frozenset((*_SELECTS, *_SEQS, *NAN_PRIMS, *SEL_PRIMS, *MASKED_PRIMS, *_INACTIVE_PRIMS,
                      "setitem", PUT, "list_append", *_GUARDS))  # fmt: skip


def _masking(op: Op) -> bool:
    """Does `op` give its operands masks of its own (a where, a selection, a reduction's)?"""
    p = op.prim
    return p in _SELECTS or p in NAN_PRIMS or p in SEL_PRIMS or p in WHERE_PRIMS and has_where(op)


def _unmasked(table: RuleTable, calls: Container, loops: Container, op: Op) -> list:
    """The operands of `op` that `_block` gives an unmasked use whatever the uses of `op`'s
    results (`_carriers`: a loop's first values too, but those of `loops`, which get their
    results' masks: `loopmasks.py`); [] for an op it may mask through."""
    p = op.prim
    if p == "for" and op in loops:
        return list(op.args[:3])
    if p in _MASKING or default_registry().get(p).elementwise or _zero(table, p) or has_where(op):
        return []
    return [] if len(op.results) == 1 and op.result in calls else _carriers(table, op)


def _extreme(op: Op, uses: dict, sx: tuple, base: Masks, use: Callable) -> bool:
    """A max/min/clip `op` one of whose operands is made from a singular op (`sx`: (those
    values, `selmasks.fixed_interps`)): records the uses of its operands, each masked where the
    op does not take it (`selmasks.py`), onto `base` (the mask of the op's result, for an
    elementwise op); False (nothing done) when none is, or for another form."""
    sing, exact = sx
    keeps = select_keeps(op, exact)
    if keeps is None or not any(is_in(a, sing) for a, _ in keeps):
        return False
    if op.result not in uses:
        return True  # (no cotangent reaches the operands)
    for a, alts in keeps:
        if not alts or not is_in(a, sing):
            use(a, base)
            continue
        m = tuple(_join(conj, alt) for conj in base or ((),) for alt in alts)
        use(a, m if len(m) <= _MAX_ALTS else base)
    return True


def _join(conj: Conj, alt: Conj) -> Conj:
    return (*conj, *(e for e in alt if not _has(conj, e)))


def _select(op: Op, block: Block, uses: dict, chosen: dict) -> bool:
    """``np.select([c0, c1, ..], [v0, v1, ..], default)`` with both lists made in `block`: the
    item `vk` gets a cotangent only where ``ck`` holds and no earlier condition does, `default`
    where none does. Records those masks in `chosen` for the choice list's op, and the uses of
    the select's operands in `uses`; False (nothing done) for another form."""
    if op.kwargs.keys() - {"default"} or len(op.args) not in (2, 3):
        return False
    conds, items = (_made(block, a) for a in op.args[:2])
    if conds is None or items is None or len(conds.args) != len(items.args):
        return False
    if not all(type(c) is Var for c in conds.args):
        return False
    m = _any(uses[op.result], op.result)
    masks = []
    for k, c in enumerate(conds.args):
        mk = m
        for e in (*((c0, False) for c0 in conds.args[:k]), (c, True)):
            mk = _and(mk, e)
        masks.append(mk)
    md = m  # the default: where no condition holds
    for c in conds.args:
        md = _and(md, (c, False))
    chosen[op.args[1]] = masks
    for a, ma in ((op.args[1], ()), *((d, md) for d in (*op.args[2:], *op.kwargs.values()))):
        if type(a) is Var:  # (the conditions: no cotangent)
            uses.setdefault(a, []).append(ma)
    return True


_MODES = {"raise": 0, "wrap": 1, "clip": 2}  # (np.choose's, as `condmasks.choose_pick` reads)


def _choose(op: Op, block: Block, table: RuleTable, uses: dict, chosen: dict) -> bool:
    """``np.choose(a, [v0, v1, ..], mode=)`` with the list made in `block` and a constant mode,
    no ``out=``: the item `vk` gets a cotangent only where `a` (wrapped or clipped as `mode`
    says) is k (``_srcad.recomputed('choose_pick', a, k, n, mode)``). Records those masks in
    `chosen` for the list's op; False (nothing done) for another form."""
    rule = table.get(op.prim)
    try:
        bound = rule.bind(op.args, op.kwargs) if rule is not None else {}
    except TypeError:
        return False
    a, items = bound.get("a"), _made(block, bound.get("choices"))
    mode, out = (v.value if type(v) is Const else v for v in (bound.get("mode"), bound.get("out")))
    mode = "raise" if mode is None else mode
    if items is None or type(a) not in (Var, Const) or mode not in _MODES or out is not None:
        return False
    m, n = _any(uses[op.result], op.result), len(items.args)
    pick = (RECOMPUTED, Const("choose_pick"))
    chosen[items.result] = [
        _and(m, ((*pick, a, Const(k), Const(n), Const(_MODES[mode])), True)) for k in range(n)
    ]
    uses.setdefault(items.result, []).append(())
    return True


def _made(block: Block, v: object) -> Op | None:
    """The ``list``/``tuple`` op of `block` that makes `v`, None for another value."""
    if type(v) is not Var:
        return None
    for op in block.ops:
        if v in op.results:
            return op if op.prim in _SEQS and not op.kwargs and len(op.results) == 1 else None
    return None


def _carriers(table: RuleTable, op: Op) -> list:
    """The operands of `op` a cotangent can flow to: not those read only for a shape, a key
    or a flag (a rule's `zero_in` and `nondiff` parameters: ``unbroadcast(g, u)``'s `u`, which
    the reverse sweep of a gradient reads; a derivative of it would leave `u` unmasked)."""
    rule = table.get(op.prim)
    if rule is None or rule.fn is not None or not (rule.zero_in or rule.nondiff):
        return op.operands()
    try:
        bound = rule.bind(op.args, op.kwargs)
    except TypeError:
        return op.operands()
    skip = rule.zero_in | rule.nondiff
    out = []
    for k, a in bound.items():
        if k not in skip:
            out.extend(a.values() if type(a) is dict else a if type(a) in (tuple, list) else (a,))
    return out


def _any(ms: list[Masks], v: Any = None) -> Masks:
    """The union of the uses' masks of `v` (a use that masks nothing: nothing masked)."""
    alts: list[Conj] = []
    for m in ms:
        if not m:
            return ()
        for conj in m:
            if not any(_same(conj, a) for a in alts):
                alts.append(conj)
    if len(alts) <= _MAX_ALTS:
        return tuple(alts)
    common = tuple(e for e in alts[0] if all(_has(a, e) for a in alts[1:]))
    return (common,) if common else left_out_all(alts, v)  # (keeps more than the union: sound)


def _and(m: Masks, e: tuple[Var, Any]) -> Masks:
    """Each conjunction of `m` (or the empty one) with the condition `e` added."""
    return tuple(conj if _has(conj, e) else (*conj, e) for conj in (m or ((),)))


def _has(m: Conj, e: tuple[Var, Any]) -> bool:
    return any(c is e[0] and k is e[1] for c, k in m)


def _same(a: Conj, b: Conj) -> bool:
    return len(a) == len(b) and all(_has(b, e) for e in a)


def _zero(table: RuleTable, prim: str) -> bool:
    rule = table.get(prim)
    return rule is not None and rule.zero
