"""Forward mode: primal `Function` -> JVP `Function` computing ``(out, dout)``.

Input: a lowered function, the indices of the differentiated parameters, the JVP rule table.
Output: ``jvp_f(*params, *d_params) -> (out, dout)``: every primal op, followed (for varied values
only) by the ops computing its tangent; structured ops carry tangents as extra results/carries.
User functions called with varied arguments get JVP versions of their own (collected in a `Module`).

    def f(x):              def jvp_f(x, dx):
        y = np.sin(x)          y = np.sin(x)
        return y * x           dy = dx * np.cos(x)
                               _t1 = y * x
                               d_t1 = dy * x + y * dx
                               return (_t1, d_t1)
"""

from __future__ import annotations

import functools
from typing import Any

from srcad.ad import infvals
from srcad.ad.abscheck import MAGNITUDES, abs_checked
from srcad.ad.base import Transform
from srcad.ad.boolmasks import fixed_values
from srcad.ad.callees import at_user_call, custom_call, refuse_varied_nondiff, user_call
from srcad.ad.common import (
    RT,
    active_params,
    any_varied,
    as_operand,
    diff_error,
    no_rule_error,
    param_names_of,
    pretty,
    sum_terms,
    tangent_hint,
    variant_rule,
    zero_like,
)
from srcad.ad.fmasks import mask_tangent, zero_tangents
from srcad.ad.infcalls import resolver
from srcad.ad.infsources import fixed_tangent
from srcad.ad.kinkpairs import KINKS, kink_checked
from srcad.ad.kinkties import TIE_KINKS, tie_result, tie_tangent
from srcad.ad.maskemit import IGNORE_ALL, quiet_ops
from srcad.ad.rootcheck import ROOT_PRIMS, root_checked
from srcad.ad.seqs import is_noseq
from srcad.ad.sigmoid import sigmoid_jvp, sigmoids
from srcad.ad.softplus_tail import tail_jvp
from srcad.ad.squares import magnitude_chains, square_jvp
from srcad.ad.structural import field_rule, jvp_record_call
from srcad.ad.template import expand
from srcad.ad.useful import needed_vars
from srcad.ad.vjp_custom import check
from srcad.ad.vjp_util import numeric_op
from srcad.errors import SrcadError
from srcad.frontend.source import unwrap
from srcad.ssa.builder import Builder
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, uses, walk_ops


class JVP(Transform):
    """One JVP transform of one function (and, through `module`, of the user functions it calls)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tan: dict[Var, Operand] = {}
        self._rules: dict[tuple, Any] = {}  # `variant_rule`'s, by (primitive, variant)
        self.empty_lists = {
            op.result for op in walk_ops(self.fn.body) if op.prim == "list" and not op.args
        }
        self.squares: dict = {}  # (set by `run`)
        self.tails: dict = {}
        self.sigmoids: dict = {}  # y = n / (1 + exp(v)) (ad/sigmoid.py)
        self.inf_params: tuple[int, ...] = ()  # parameters given a written infinity (infvals)
        self.infs: frozenset[Var] = frozenset()
        self.fmasks: dict = {}  # (set by `run`)
        self.defs: dict | None = None  # Var -> its op (`infsources`, made when first needed)
        self.needed: set[Var] | None = None  # Vars whose tangents may reach a result (useful.py)
        self.records: set[Var] = set()  # records built here: their tangents hold None (zero)

    @functools.cached_property
    def read_vars(self) -> dict[Var, int]:
        """The Vars of the function that something reads (an output included)."""
        return uses(self.fn.body)

    def run(self, name: str) -> Function:
        fn = self.fn
        self.analyze()
        infp = [fn.params[i] for i in self.inf_params]
        self.infs = infvals.may_inf(fn, infp, resolver(self))
        # ``np.abs(x) ** 2``, ``log1p(exp(-|z|))``: smooth derivatives (ad/squares.py)
        memo: dict = {}  # the read counts of `fn`, counted once for the peepholes, ad/rootcheck
        self.sigmoids = sigmoids(fn, memo)  # where exp(v) overflows: from q = 1 / (1 + exp(v))
        ranks = self.scalar_facts.ranks
        self.squares, self.tails = magnitude_chains(fn, (), self.complex, memo, ranks)
        self.sweep_memo = memo
        # ``np.sqrt(np.maximum(x, 0))``: 0 * inf where the tangent is zero (ad/fmasks.py)
        facts = (self.complex, self.scalar_facts.ranks)
        fixed = fixed_values(fn, self.wrt, self.numeric_params) if self.fixed_consts else ()
        self.fmasks = zero_tangents(fn, self.varied, self.seq_ops, facts, fixed)
        tparams = []
        for i in self.wrt:
            p = fn.params[i]
            t = Var(tangent_hint(p))
            self.tan[p] = t
            tparams.append(t)
        body = Block(params=list(fn.params) + tparams)
        self.block(fn.body, body)
        out = fn.body.yields[0]
        b = Builder(body)
        dout = self.tangent_or_zero(out, b)
        body.yields = [b.op("tuple", [out, dout])]
        return Function(
            name=name,
            params=body.params,
            param_names=param_names_of(body.params),
            body=body,
            filename=fn.filename,
            firstline=fn.firstline,
            namespace=fn.namespace,
            source_lines=fn.source_lines,
        )

    # -- helpers --------------------------------------------------------------------------------
    def tangent_or_zero(self, a: Operand, b: Builder) -> Operand:
        if isinstance(a, Var) and a in self.tan:
            return self.tan[a]
        return zero_like(a, b)

    def block(self, src: Block, dst: Block) -> None:
        """Transform the ops of `src` into `dst` (params and yields handled by the caller)."""
        for op in src.ops:
            self.op(op, dst)

    def op(self, op: Op, dst: Block) -> None:
        b = Builder(dst, op.loc)
        if op.prim in ("if", "for", "while"):
            self.structured(op, dst)
            return
        dst.ops.append(op)
        if not any(r in self.varied for r in op.results):
            return
        cc = custom_call(self.fn, op, self.known) if len(op.results) == 1 else None
        if cc is not None and self.custom(op, dst, cc[0], cc[1]):
            return
        if op.prim == "call" and op not in self.user_ops:  # a record built: namedtuple, Dual, ...
            t = jvp_record_call(self, op, b)
            if t is not None:
                self.tan[op.result] = t
                self.records.add(op.result)
                return
        if (
            op.prim == "call"
            or op in self.user_ops
            or (op.prim.startswith("method.") and self.table.get(op.prim) is None)
        ):
            target = user_call(self.fn, op, self.types_of, self.known, self.module.derive)
            if target is not None:
                self.call(op, dst, target)
                return
        res, n = op.result, len(dst.ops)
        t = (
            square_jvp(self, op, b)
            or tail_jvp(self, op, b)
            or sigmoid_jvp(self, op, b)
            or self.tangent(op, b)
        )
        if t is not None and res in self.fmasks:
            ranks = self.scalar_facts.ranks  # (a number, or not known to be an array: `[()]`)
            scalar = res in self.scalars or (ranks is not None and res not in ranks)
            t = mask_tangent(self.fmasks[res], t, b, scalar, lambda a: self.d(a, b))
            if op.prim in ROOT_PRIMS:  # (checked at second order: ad/rootcheck.py)
                t = root_checked(self, res, t, b, lambda a: self.d(a, b))
        if t is not None and op.prim in MAGNITUDES and res not in self.squares:
            t = abs_checked(self, op, t, b, lambda a: self.d(a, b))
        if t is not None and op.prim in TIE_KINKS:  # (two kinks tied: ad/kinkties.py)
            t = tie_tangent(self, op, t, b, lambda a: self.d(a, b))
        if t is not None and op.prim in KINKS:  # (two kinks tied: ad/kinkpairs.py)
            t = kink_checked(self, op.results[0], t, b, lambda a: self.d(a, b))
        if t is not None and infvals.fixed_at_inf(op, self.infs, self.seq_ops):
            t = fixed_tangent(self, op, t, b)  # 0 where an infinite operand made it (not
            # an overflow: `ad/infsources.py`), infinite for every nearby input
        elif t is not None and infvals.fixed_product(op, self.infs):  # (``X @ W``, the same)
            helper, rest = infvals.fixed_call(op)
            t = b.op(RT + helper, [t, res, *rest])
        if t is not None:
            if isinstance(t, Var) and not t.hint:
                t.hint = tangent_hint(res)
            self.tan[res] = t
            if op.params.get("quiet") or res in self.fmasks:  # (a reverse sweep's; masked)
                # (np.errstate(all="ignore"): ad/maskemit.py; a tangent of an op under a user's
                # errstate may be inf - inf where the primal divided by zero: in loops too)
                q = True if res in self.fmasks or op.params.get("quiet") is True else IGNORE_ALL
                quiet_ops(dst.ops[n:], q)

    def d(self, a: Any, b: Builder) -> Operand:
        """Tangent of operand `a`, instantiating zeros for inactive values (a new empty list for
        an empty one: a tape that gains tangents in a loop, which must not share the primal's)."""
        if isinstance(a, Var) and a in self.tan:
            return self.tan[a]
        if isinstance(a, Var) and a in self.empty_lists:
            return b.op("list", [], hint=tangent_hint(a))
        return zero_like(a, b)

    def tangent(self, op: Op, b: Builder) -> Operand | None:
        p = op.prim
        rule = field_rule(
            self,
            op,
            "jvp",
            self.table.get(RT + self.seq_ops[op])
            if op in self.seq_ops
            else variant_rule(
                self._rules,
                op,
                self.table.registry.lookup(p),
                self.table,
                self.scalars,
                self.fdivs,
            ),  # fmt: skip
        )
        if rule is None:
            if p == "call" and not any(r in self.read_vars for r in op.results):
                # nothing reads it (`log.info("%s", loss)`): no tangent to make, as the reverse
                # mode makes no cotangent (an unknown method may update its receiver: refused
                # for want of a rule in both modes, `vjp_util.unseen_effect`)
                return None
            raise no_rule_error(self.src, op, self.table, self.fn)
        if rule.fn is not None:  # structural primitives (srcad.ad.structural)
            return rule.fn(self, op, b)
        try:
            bound = rule.bind(op.args, op.kwargs)
        except TypeError as e:
            raise diff_error(
                self.src, op, f"cannot bind the arguments of `{pretty(p)}`: {e}"
            ) from None
        names = {k: as_operand(v, b) for k, v in bound.items()}
        try:
            active, checked = active_params(
                self.src, op, rule, bound, self.varied, b, self.fn, lambda v: self.d(v, b)
            )
        except SrcadError:
            if self.needed is None:
                self.needed = needed_vars(self.fn)
            if any(r in self.needed for r in op.results):
                raise
            return None  # read only by comparisons (ad/useful.py): no tangent needed
        if not active:  # (a checked argument holds no float: a zero tangent)
            return zero_like(op.result, b) if checked else None
        if rule.linear:
            if len(active) != 1:
                raise diff_error(self.src, op, f"`{pretty(p)}`: linear rule with several inputs")
            k = active[0]
            new_args = [self.d(a, b) if a is bound[k] else a for a in op.args]
            new_kwargs = {n: self.d(a, b) if a is bound[k] else a for n, a in op.kwargs.items()}
            if isinstance(bound[k], tuple):  # *args-style linear parameter
                new_args = [self.d(a, b) if any(a is e for e in bound[k]) else a for a in op.args]
            return b.op(p, new_args, new_kwargs)
        env = dict(names)
        env["ans"] = op.result
        if rule.joint is not None and len(active) == 1 and active[0] in rule.single:
            k = active[0]
            env["d" + k] = self.d(bound[k], b)
            return expand(rule.single[k], env, b.block, op.loc)
        if rule.joint is not None:
            for k in rule.sig.parameters:
                if k in bound:
                    env["d" + k] = self.d(bound[k], b) if k in active else zero_like(bound[k], b)
            return expand(rule.joint, env, b.block, op.loc)
        total: Operand | None = None
        for k in active:
            env["d" + k] = self.d(bound[k], b)
            tmpl = rule.terms[k]
            if tmpl.startswith(infvals.INF0):  # guarded only where a written inf may be
                tmpl = infvals.term(tmpl, names, self.infs)
            term = expand(tmpl, env, b.block, op.loc)
            total = term if total is None else sum_terms(b, self.sum_prim(op), total, term)
        return total

    def sum_prim(self, op: Op) -> str:
        """How the terms of a tangent add: ``+`` for numbers and arrays, the runtime's `add`
        for what may be a list or tuple (a runtime helper's cotangent of a list, in second
        order: ``+`` would concatenate)."""
        if is_noseq(self.seqkinds.get(op.result)) or numeric_op(op, self.seq_ops):
            return "add"
        return RT + "add"

    # -- user function calls --------------------------------------------------------------------
    def call(self, op: Op, dst: Block, target: tuple) -> None:
        callee_fn = target[0]
        b = Builder(dst, op.loc)
        args, wrt, key, ptypes, pvals, pkinds, pseqs = self.bind_callee(op, target, b, "jvp")
        infp = tuple(k for k, a in enumerate(args) if infvals.marked(a, self.infs))
        key = (*key, ("inf", infp)) if infp else key
        if key not in self.module.done:
            name = self.module.unique(f"jvp_{callee_fn.name}")
            self.module.done[key] = name
            self.module.names.append(name)
            sub = JVP(
                callee_fn, wrt, self.table, self.module, (), ptypes, None, pvals, pkinds, pseqs
            )
            sub.inf_params = infp
            try:
                sub = sub.run(name)
            except SrcadError as e:  # (in a library's body: at this call)
                raise at_user_call(self.fn, op, target[1], e) from e
            self.module.functions.append(sub)
        name = self.module.done[key]
        f = b.op("global", params={"name": name, "generated": True}, hint=name)
        pair = b.op("call", [f, *args, *[self.tan[args[k]] for k in wrt]])
        # Rebind the primal result to the pair's first element, drop the primal call.
        dst.ops.remove(op)
        res = op.result
        dst.ops.append(Op("getitem", [pair, Const(0)], results=[res], loc=op.loc))
        t = b.op("getitem", [pair, Const(1)], hint=tangent_hint(res))
        t = tie_result(self, op, t, b, lambda a: self.d(a, b))  # (a helper's kink)
        self.tan[res] = kink_checked(self, op.results[0], t, b, lambda a: self.d(a, b))

    # -- calls of functions with rules of their own (srcad.custom) ------------------------------
    def custom(self, op: Op, dst: Block, c: Any, args: list) -> bool:
        """A call of a custom_jvp (its rule), stop_gradient (no tangent), or a registered
        callable; False for the rest, which forward mode differentiates through their body."""
        if c.kind == "stop":
            return True
        diff = [k for k in range(len(args)) if k not in c.nondiff_argnums]
        if c.jvp_rule is None:
            if op.prim != "call" and self.table.get(op.prim) is not None:
                return False  # a primitive given a reverse rule only: its own forward rule
            try:
                unwrap(c)
            except SrcadError:
                raise diff_error(
                    self.src,
                    op,
                    f"`{c.name}` has a reverse-mode rule only, and srcad cannot "
                    "read its source to differentiate it in forward mode",
                    "register a forward-mode rule too: srcad.defjvp(fn, rule)",
                ) from None
            return False
        refuse_varied_nondiff(self.src, op, c, args, lambda a: any_varied(a, self.varied))
        if not any(any_varied(args[k], self.varied) for k in diff):
            return True
        b = Builder(dst, op.loc)
        name = getattr(c.jvp_rule, "__name__", "rule")
        prim = b.op("tuple", [args[k] for k in diff], hint="primals")
        tans = b.op("tuple", [self.d(args[k], b) for k in diff], hint="tangents")
        nd = [args[k] for k in c.nondiff_argnums]
        pair = b.op("call", [Const(c.jvp_rule), *nd, prim, tans], hint="pair")
        pair = check(b, pair, Const(None), name, "pair")
        dst.ops.remove(op)
        res = op.result
        dst.ops.append(Op("getitem", [pair, Const(0)], results=[res], loc=op.loc))
        t = b.op("getitem", [pair, Const(1)], hint=tangent_hint(res))
        self.tan[res] = check(b, t, res, name, "tangent")
        return True

    # -- structured ops -------------------------------------------------------------------------
    def structured(self, op: Op, dst: Block) -> None:
        p = op.prim
        n = len(op.results)
        vk = [k for k in range(n) if op.results[k] in self.varied]
        new_results = list(op.results) + [Var(tangent_hint(op.results[k])) for k in vk]
        b = Builder(dst, op.loc)
        if p == "if":
            blocks = []
            for blk in op.blocks:
                nb = Block()
                self.block(blk, nb)
                bb = Builder(nb, op.loc)
                nb.yields = list(blk.yields) + [self.d(blk.yields[k], bb) for k in vk]
                blocks.append(nb)
            dst.ops.append(Op("if", op.args, results=new_results, blocks=blocks, loc=op.loc))
        else:
            head = op.args[:3] if p == "for" else []
            inits = op.args[len(head) :]
            new_inits = list(inits) + [self.d(inits[k], b) for k in vk]
            body = op.blocks[-1]
            blocks = []
            for blk in op.blocks:
                off = 1 if (p == "for" and blk is body) else 0
                tparams = []
                for k in vk:
                    t = Var(tangent_hint(blk.params[off + k]))
                    self.tan[blk.params[off + k]] = t
                    tparams.append(t)
                nb = Block(params=list(blk.params) + tparams)
                self.block(blk, nb)
                bb = Builder(nb, op.loc)
                if blk is body:
                    ys = list(blk.yields[:n]) + [self.d(blk.yields[k], bb) for k in vk]
                    nb.yields = ys + list(blk.yields[n:])
                else:
                    nb.yields = list(blk.yields)
                blocks.append(nb)
            dst.ops.append(
                Op(p, head + new_inits, results=new_results, blocks=blocks, params=op.params,
                   loc=op.loc)
            )  # fmt: skip
        for j, k in enumerate(vk):
            t = new_results[n + j]
            if p == "if":  # (two kinks tied: ad/kinkties.py, ad/kinkpairs.py)
                t = tie_result(self, op, t, b, lambda a: self.d(a, b))
                t = kink_checked(self, op.results[k], t, b, lambda a: self.d(a, b))
            self.tan[op.results[k]] = t
