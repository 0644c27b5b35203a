"""The reverse transform's rewrites of calls and updates before its sweeps (`ad/vjp.py`).

Input: a `VJP` transform (`self`) and its function's body. Output, in place:
- `split_calls`: calls of user functions (and of functions with rules of their own) made calls
  of their generated forward and backward functions (``pair = vjp_f_fwd(*args); y = pair[0];
  res = pair[1]``, the callee transformed once per key in `self.module`);
- `dtype_flags`: ``inexact = _srcad.is_inexact(x.1)`` after each differentiated write into an
  array that may hold integers (the reverse sweep zeroes the truncated value's cotangent).
"""

from __future__ import annotations

from operator import is_
from typing import Any

from srcad.ad.activity import is_varied
from srcad.ad.callees import at_user_call, custom_call, user_call
from srcad.ad.callmasks import arg_masks, summary
from srcad.ad.common import RT
from srcad.ad.infmasks import inf_args
from srcad.ad.kinkpairs import kink_pairs
from srcad.ad.kinkties import tie_fixes
from srcad.ad.structural import element, may_truncate, vjp_record_call
from srcad.ad.vjp_custom import custom_vjp_call
from srcad.errors import SrcadError
from srcad.ssa.builder import Builder
from srcad.ssa.census import blocks_of
from srcad.ssa.core import Block, Const, Op, Var


def dtype_flags(self: Any, block: Block) -> dict[Op, Var]:
    """``inexact = _srcad.is_inexact(x.1)`` after each ``x.1 = setitem(x, i, v)`` with `v`
    differentiated whose `x` may be an integer array (`structural.may_truncate`): the reverse
    sweep zeroes `v`'s cotangent where NumPy truncated `v`. Computed from the result, so a
    loop still updates `x` in place (reading the old `x` later would forbid it)."""
    flags: dict[Op, Var] = {}
    for b in blocks_of(block):
        if "setitem" not in [op.prim for op in b.ops]:
            continue  # (most blocks: no flag to add)
        ops = []
        for op in b.ops:
            ops.append(op)
            if (
                op.prim == "setitem"
                and len(op.results) == 1
                and is_varied(op.args[2], self.varied)
                and may_truncate(self, op.args[0])
                and not element(self, op.args[0], op.args[1])
            ):
                flag = Var("inexact")
                ops.append(Op(RT + "is_inexact", [op.result], results=[flag], loc=op.loc))
                flags[op] = flag
        b.ops = ops
    return flags


def split_calls(self: Any, block: Block) -> bool:
    """Calls of user functions (and of functions with rules of their own) as calls of their
    generated forward and backward functions. -> whether an op of `block` (or of a block
    nested in it) was replaced or added: the ops are not the same objects in the same order."""
    changed = False
    new_ops: list[Op] = []
    for op in block.ops:
        for sub in op.blocks:
            changed = split_calls(self, sub) or changed
        cc = custom_call(self.fn, op, self.known) if len(op.results) == 1 else None
        if cc is not None and op.result in self.varied:
            done = custom_vjp_call(self, op, cc[0], cc[1], new_ops)
            if done:
                continue
        is_call = (
            op.prim == "call"
            or op in self.user_ops
            or (op.prim.startswith("method.") and self.table.get(op.prim) is None)
        )
        if not is_call or not any(r in self.varied for r in op.results):
            new_ops.append(op)
            continue
        if op.prim == "call" and op not in self.user_ops and vjp_record_call(self, op):
            new_ops.append(op)  # a record built: namedtuple, Dual, ...
            continue
        target = user_call(self.fn, op, self.types_of, self.known, self.module.derive)
        if target is None:
            new_ops.append(op)
            continue
        if getattr(self, "kink_found", None) is None:  # (of the calls as written: kinkpairs)
            self.kink_found = kink_pairs(self)
            self.tie_fixes = tie_fixes(self)
        b = Builder(Block(), op.loc)
        args, wrt, key, ptypes, pvals, pkinds, pseqs = self.bind_callee(op, target, b, "vjp")
        if not wrt:
            new_ops.append(op)
            continue
        infp = inf_args(self, args)  # (a written infinity passed on: ad/infmasks.py)
        key = (*key, ("inf", infp)) if infp else key
        base = _generated(self, op, target, key, (wrt, ptypes, pvals, pkinds, pseqs), infp)
        f = b.op("global", params={"name": f"{base}_fwd", "generated": True})
        self.call_specs[op.result] = (op, target, infp, b.block.ops[-1])  # (ad/resultmasks.py)
        pair = b.op("call", [f, *args], hint="pair")
        if (am := arg_masks(self.module.param_masks.get(key), args)) is not None:
            self.call_masks[pair] = am
        b.block.ops.append(Op("getitem", [pair, Const(0)], results=[op.result], loc=op.loc))
        res = b.op("getitem", [pair, Const(1)], hint="res")
        self.calls[op.result] = (res, f"{base}_bwd", wrt, args)
        new_ops.extend(b.block.ops)
    if len(new_ops) != len(block.ops) or not all(map(is_, new_ops, block.ops)):
        changed = True
    block.ops = new_ops
    return changed


def _generated(self: Any, op: Op, target: tuple, key: tuple, facts: tuple, infp: Any,
               gmask: Var | None = None) -> str:  # fmt: skip
    """The base name of the helper's generated pair for `key`, made when new (`facts`: the
    differentiated positions and what the caller knows of the parameters, from `bind_callee`;
    `gmask`: the masked version's mask parameter, `ad/resultmasks.py`)."""
    if key in self.module.done:
        return self.module.done[key]
    callee_fn = target[0]
    wrt, ptypes, pvals, pkinds, pseqs = facts
    base = self.module.unique(f"vjp_{callee_fn.name}")
    fwd_name, bwd_name = f"{base}_fwd", f"{base}_bwd"
    self.module.done[key] = base
    self.module.names += [fwd_name, bwd_name]
    sub = type(self)(
        callee_fn, wrt, self.table, self.module, (), ptypes, None, pvals, pkinds, pseqs
    )
    sub.helper, sub.inf_params, sub.result_mask = True, infp, gmask
    try:
        fwd, bwd = sub.split(fwd_name, bwd_name)
    except SrcadError as e:  # (in a library's body: at this call)
        raise at_user_call(self.fn, op, target[1], e) from e
    self.module.functions += [fwd, bwd]
    if gmask is None:
        self.module.param_masks[key] = summary(sub.fn, sub.param_masks)
    return base


def masked_version(self: Any, op: Op, target: tuple, infp: Any) -> str | None:
    """The base name of the version of the helper `op` calls whose backward function takes its
    result's mask (`ad/resultmasks.py`); None when the differentiated operands changed since the
    call was split (``self.varied`` less the shift-invariant maxima)."""
    b = Builder(Block(), op.loc)  # (the operands `bind_callee` binds again: not emitted)
    args, wrt, key, *facts = self.bind_callee(op, target, b, "vjp")
    if wrt != self.calls[op.result][2]:
        return None
    key = (*key, ("inf", infp)) if infp else key
    return _generated(self, op, target, (*key, ("result_mask",)), (wrt, *facts), infp, Var("gmask"))
