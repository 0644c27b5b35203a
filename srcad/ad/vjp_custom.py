"""Reverse mode at calls of functions with rules of their own (`srcad.custom`).

Input: the reverse-mode transform (`srcad.ad.vjp.VJP`, passed in as `self`), a call op and the
callee's `Custom` record. Output: the forward-sweep ops (appended to the caller's new op list) and
a function emitting the call's reverse sweep (``self.reversers[result](g, builder, adj)``):
custom_vjp: ``fwd`` forward, ``bwd`` reverse; custom_jvp: the VJP of the tangent map of the rule
(`jvp_adapter`, transposed like a callee); checkpoint: the callee's primal forward, its split pair
re-run in the reverse sweep; stop_gradient: nothing. What a rule returns is checked at run time
(`check`, srcad.custom.check_rule).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.activity import is_varied
from srcad.ad.callees import refuse_varied_nondiff, user_call
from srcad.ad.common import diff_error, param_names_of, zero_like
from srcad.ad.vjp_loops import refuse_nondeterministic
from srcad.custom import GlobalReads, check_globals, check_rule, snapshot_globals
from srcad.passes.missing_keys import callee_kinds
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var


def custom_vjp_call(self: Any, op: Op, c: Any, args: list, new_ops: list[Op]) -> bool:
    """Rewrite a call of `c` (custom_vjp, custom_jvp, checkpoint, stop_gradient) into
    `new_ops`; False when it is differentiated as an ordinary call (its primal body)."""
    diff = [k for k in range(len(args)) if k not in c.nondiff_argnums]
    wrt = [k for k in diff if is_varied(args[k], self.varied)]
    if c.kind != "stop":
        refuse_varied_nondiff(self.src, op, c, args, lambda a: is_varied(a, self.varied))
    if c.kind == "stop" or not wrt:
        new_ops.append(op)
        self.reversers[op.result] = lambda g, b, adj: None
        return True
    if c.kind == "checkpoint":
        return _checkpoint(self, op, c, args, new_ops)
    if c.fwd is None and c.jvp_rule is None:
        return False
    b = Builder(Block(), op.loc)
    nd = [args[k] for k in c.nondiff_argnums]
    ref = b.op("tuple", [args[k] for k in diff], hint="primals")
    if c.fwd is None:
        new_ops.append(op)
        _transpose_jvp(self, op, c, args, diff, wrt, ref, b)
        new_ops.extend(b.block.ops)
        return True
    fname, bname = _rule_name(c.fwd), _rule_name(c.bwd)
    pair = b.op("call", [Const(c.fwd), *args], hint="pair")
    pair = check(b, pair, Const(None), fname, "pair")
    b.block.ops.append(Op("getitem", [pair, Const(0)], results=[op.result], loc=op.loc))
    res = b.op("getitem", [pair, Const(1)], hint="res")
    new_ops.extend(b.block.ops)

    def reverse(g: Operand, rb: Builder, adj: dict) -> None:
        cts = rb.op("call", [Const(c.bwd), *nd, res, g], hint="cts")
        cts = check(rb, cts, ref, bname, "cts")
        for j, k in enumerate(diff):
            if k in wrt:
                self.acc(adj, args[k], rb.op("getitem", [cts, Const(j)]), rb)

    self.reversers[op.result] = reverse
    return True


def _transpose_jvp(
    self: Any, op: Op, c: Any, args: list, diff: list, wrt: list, ref: Var, b: Builder
) -> None:
    """Reverse mode over a custom_jvp: the VJP, in the tangents, of ``t -> rule(*nondiff,
    primals, t)[1]`` (linear in t), generated like a callee's split pair."""
    n = len(args)
    twrt = tuple(n + j for j, k in enumerate(diff) if k in wrt)
    key = ("custom_jvp_transpose", id(c.jvp_rule), n, tuple(c.nondiff_argnums), twrt)
    if key not in self.module.done:
        adapter = jvp_adapter(self.fn, c, n, diff, op)
        base = self.module.unique(f"vjp_{_rule_name(c.jvp_rule)}")
        self.module.done[key] = base
        self.module.names += [f"{base}_fwd", f"{base}_bwd"]
        sub = type(self)(adapter, twrt, self.table, self.module, ())
        self.module.functions += list(sub.split(f"{base}_fwd", f"{base}_bwd"))
    base = self.module.done[key]
    zeros = [zero_like(args[k], b) for k in diff]
    f = b.op("global", params={"name": f"{base}_fwd", "generated": True})
    pair = b.op("call", [f, *args, *zeros], hint="pair")
    res = b.op("getitem", [pair, Const(1)], hint="res")

    def reverse(g: Operand, rb: Builder, adj: dict) -> None:
        fb = rb.op("global", params={"name": f"{base}_bwd", "generated": True})
        cts = rb.op("call", [fb, res, g], hint="cts")
        for j, k in enumerate(x for x in diff if x in wrt):
            self.acc(adj, args[k], rb.op("getitem", [cts, Const(j)]), rb)

    self.reversers[op.result] = reverse


def _checkpoint(self: Any, op: Op, c: Any, args: list, new_ops: list[Op]) -> bool:
    """``srcad.checkpoint(f)(...)``: the forward sweep runs `f` itself and keeps its
    arguments; the reverse sweep runs f's forward sweep again (``{base}_residuals``: the split
    pair's forward returning only the residuals, so the output is neither computed nor kept
    during the reverse), then its reverse sweep."""
    target = user_call(self.fn, op, self.types_of, self.known, self.module.derive)
    if target is None:
        return False
    b = Builder(Block(), op.loc)
    cargs, wrt, key, ptypes, pvals, pkinds, pseqs = self.bind_callee(op, target, b, "vjp")
    if not wrt:
        return False
    ckey = ("checkpoint", key)
    if ckey not in self.module.done:
        base = self.module.unique(f"vjp_{target[0].name}")
        self.module.done[ckey] = base
        self.module.names += [f"{base}_residuals", f"{base}_bwd"]
        sub = type(self)(
            target[0], wrt, self.table, self.module, (), ptypes, None, pvals, pkinds, pseqs
        )
        fwd, bwd = sub.split(f"{base}_residuals", f"{base}_bwd")
        out_and_res = fwd.body.yields[0]  # (out, residuals): the recomputation needs the latter
        pair = next(o for o in fwd.body.ops if out_and_res in o.results)
        fwd.body.yields = [pair.args[1]]  # the output's ops become dead code
        self.module.functions += [fwd, bwd]
    base = self.module.done[ckey]
    spec = _callee_reads(self, op, c, target, ptypes, pvals)
    new_ops.extend(b.block.ops)
    new_ops.append(op)
    if spec is not None:  # the globals the recomputation reads, as the forward sweep saw them
        snap = Var("snap")
        new_ops.append(Op("call", [Const(snapshot_globals), Const(spec)], results=[snap]))

    def reverse(g: Operand, rb: Builder, adj: dict) -> None:
        rb.block.ops.append(Op("comment", params={"text": f"recompute {c.name} (checkpoint)"}))
        if spec is not None:
            rb.op("call", [Const(check_globals), Const(spec), snap], hint="checked")
        ff = rb.op("global", params={"name": f"{base}_residuals", "generated": True})
        res = rb.op("call", [ff, *cargs], hint="res")
        fb = rb.op("global", params={"name": f"{base}_bwd", "generated": True})
        cts = rb.op("call", [fb, res, g], hint="cts")
        for j, k in enumerate(wrt):
            self.acc(adj, cargs[k], rb.op("getitem", [cts, Const(j)]), rb)

    self.reversers[op.result] = reverse
    return True


def _callee_reads(
    self: Any, op: Op, c: Any, target: tuple, ptypes: dict, pvals: dict
) -> GlobalReads | None:
    """Refuse a checkpointed function whose recomputation could compute other values (random
    draws, calls srcad cannot follow: vjp_loops.refuse_nondeterministic); the module globals it
    and its callees read, for a run-time check before the recomputation (None: none)."""
    callee = target[0]
    types_of = {callee.params[i]: t for i, t in ptypes.items()}
    known = {callee.params[i]: v for i, v in pvals.items()}
    reads: list = []
    own = {self.fn.params[i]: k for i, k in (self.param_seqs or {}).items()}
    kinds = callee_kinds(self.fn, callee.params, target[2], own)  # (missing_keys)
    refuse_nondeterministic(
        self, callee, callee.body, types_of, known, set(), reads, c.name, True, kinds
    )
    if not reads:
        return None
    return GlobalReads(reads, f"`{c.name}` (srcad.checkpoint)", diff_error(self.fn, op, ""))


def _rule_name(f: Any) -> str:
    return getattr(f, "__name__", None) or "rule"


def check(b: Builder, value: Operand, ref: Operand, rule: str, kind: str) -> Var:
    """``check_rule(value, ref, rule, kind)``: what a user's rule returned, checked at run time
    (a SrcadError naming the rule); differentiable as the identity in `value` (srcad.custom)."""
    return b.op("call", [Const(check_rule), value, ref, Const(rule), Const(kind)], hint="checked")


def jvp_adapter(fn: Function, c: Any, n: int, diff: list, op: Op) -> Function:
    """``adapter(*args, *tangents) -> rule(*nondiff, primals, tangents)[1]`` (checked): the
    tangent map of a custom_jvp, whose VJP in the tangents is reverse mode's rule."""
    params = [Var(f"a{k}") for k in range(n)] + [Var(f"t{j}") for j in range(len(diff))]
    body = Block(params=list(params))
    b = Builder(body, op.loc)
    prim = b.op("tuple", [params[k] for k in diff], hint="primals")
    tans = b.op("tuple", params[n:], hint="tangents")
    nd = [params[k] for k in c.nondiff_argnums]
    name = _rule_name(c.jvp_rule)
    pair = check(b, b.op("call", [Const(c.jvp_rule), *nd, prim, tans], hint="pair"), Const(None),
                 name, "pair")  # fmt: skip
    out = b.op("getitem", [pair, Const(0)], hint="out")
    t = check(b, b.op("getitem", [pair, Const(1)], hint="t"), out, name, "tangent")
    body.yields = [t]
    return Function(
        name=f"{name}_tangent",
        params=params,
        param_names=param_names_of(params),
        body=body,
        filename=fn.filename,
        firstline=fn.firstline,
        namespace=fn.namespace,
        source_lines=fn.source_lines,
    )
