"""Reverse mode: primal `Function` -> forward sweep + reverse sweep.

Input: a lowered function, the differentiated parameter positions, the VJP rule table.
Output: for ``mode="grad"`` (`VJP.combined`) one function
``grad_f(*params) -> (out, (b_params...))`` (forward sweep, a ``# reverse sweep`` comment, reverse
sweep); for ``mode="vjp"`` (`VJP.split`) a split pair ``vjp_f_fwd(*params) -> (out, residuals)``
and ``vjp_f_bwd(residuals, g) -> (b_params...)``; user functions called with varied arguments too.

What the reverse sweep reads is found after generating it (free variables of the reverse code):
- values from straight-line code are read directly (SSA never overwrites them): no tape;
- values defined inside an ``if`` branch become extra results of the forward ``if``;
- values defined inside a loop body are pushed on a per-loop tape (one tuple per iteration) and
  popped by the reverse loop; the trip count is the tape's length (or a counter).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.abscheck import MAGNITUDES, abs_checked
from srcad.ad.activity import is_varied
from srcad.ad.adjoints import new_adj, put
from srcad.ad.base import Transform
from srcad.ad.boolmasks import fixed_values
from srcad.ad.callees import may_split
from srcad.ad.common import (
    RT,
    NeverOwned,
    active_params,
    adj_hint,
    diff_error,
    no_rule_error,
    param_names_of,
    pretty,
    sum_terms,
    variant_rule,
    zero_like,
)
from srcad.ad.floats import is_float, python_floats
from srcad.ad.infmasks import inf_masks
from srcad.ad.kinkpairs import KINKS, kink_checked
from srcad.ad.kinkties import TIE_KINKS, tie_adjoint, tie_result
from srcad.ad.maskemit import (
    BRANCHED,
    SQUARING,
    adj_checked,
    branch_ans,
    mask_contribution,
    quiet_sweep,
    where_selection,
)
from srcad.ad.masks import where_masks
from srcad.ad.resultmasks import bwd_call, masked_calls, seeded
from srcad.ad.shift import shift_invariant
from srcad.ad.sigmoid import sigmoid_vjp, sigmoids
from srcad.ad.slice_chains import block_chains, defer
from srcad.ad.squares import magnitude_chains, magnitude_vjp
from srcad.ad.structural import element, field_rule
from srcad.ad.template import expand, term_env
from srcad.ad.vjp_calls import dtype_flags, masked_version, split_calls
from srcad.ad.vjp_if import reverse_if
from srcad.ad.vjp_loops import reverse_loop, segment_loops
from srcad.ad.vjp_util import arraylike_defs, constant_residuals, free_vars, unseen_effect
from srcad.lower.argcopy import ENTRY_COPY
from srcad.passes.factor import factor_block
from srcad.passes.scalars import RANK_MAKERS, float_1d_vars
from srcad.rules.facts import PASSTHROUGH
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of, ops_with
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, replace_uses


def _unpacked(c: Operand, b: Builder) -> bool:
    """`c` was just taken out of what a call returned (``bargs[0]``, a custom rule's ``cts[0]``):
    custom rules may return None for a zero cotangent."""
    ops = b.block.ops
    if not ops or ops[-1].prim != "getitem" or ops[-1].results != [c]:
        return False
    box = ops[-1].args[0]
    return any(o.prim == "call" and o.results == [box] for o in ops)


def _scan(block: Block, gets: list, tuples: dict, makers: list) -> None:
    """`VJP._function`'s walk, in `walk_ops`' order, of the ops of the primitives it reads
    only (`ops_with`: the function's body is the primal and the whole reverse sweep)."""
    for op in ops_with(block, _SCANNED):
        p = op.prim
        if p == "getitem":
            if len(op.args) == 2:
                gets.append(op)
        elif p == "tuple":
            tuples[op.result] = list(op.args)
        else:
            makers.append(op)


_SCANNED = frozenset({"getitem", "tuple", *RANK_MAKERS})


class VJP(Transform):
    """One reverse-mode transform of one function (and its callees, through `module`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: dict[Var, tuple[Var, str, tuple[int, ...], list[Operand]]] = {}
        self.call_masks: dict[Var, list] = {}  # a helper's call -> its operands' masks
        self.call_specs: dict[Var, tuple] = {}  # a helper call's result -> how it was split
        self.masked_results: dict[Var, Any] = {}  # call results masked (ad/resultmasks.py)
        self.result_mask: Var | None = None  # a helper's: its result's mask parameter
        self.helper = False  # a helper's VJP, split for its callers (`vjp_calls.split_calls`)
        self.inf_params: tuple[int, ...] = ()  # parameters given a written infinity (infmasks)
        self.infs: frozenset[Var] | None = None  # may_inf of the IR as it is (infmasks)
        # results of calls with rules of their own (srcad.custom): how to emit their reverse
        self.reversers: dict[Var, Any] = {}
        # Cotangent Vars holding arrays no other cotangent shares: safe to update in place.
        self.owned: set[Var] = NeverOwned() if self.module.functional else set()
        # float 1-D arrays and int values: x[i] reads one number (sweep computes them)
        self.float1d: set[Var] = set()
        self.ints: set[Var] = set()
        # cotangents that may be None at run time (srcad.runtime.add treats None as zero)
        self.maybe_none: set[Var] = set()
        self.sigmoids: dict[Var, Any] = {}  # y = n / (1 + exp(v)) (ad/sigmoid.py)
        # cotangents certainly Python floats (`ad/floats.py`): no `unbroadcast` of those
        self.pyfloats: set[Var] = set()
        self._plain_rules: dict[str, Any] = {}  # `_rule_of`: primitives without variants
        self._variant_rules: dict[tuple, Any] = {}  # `_rule_of`: (primitive, variant) -> rule

    # -- driver ---------------------------------------------------------------------------------
    def sweep(self, seed: Operand, has_aux: bool = False) -> tuple[Block, list[Operand], Operand]:
        """Run both sweeps. -> (reverse block, cotangents of wrt params, primal output).

        With `has_aux` the function returns ``(loss, aux)`` and only `loss` is differentiated."""
        fn = self.fn
        segment_loops(self)  # srcad.checkpoint_loop: loops over segments, recomputed
        self.analyze()
        if may_split(fn.body, self.user_ops) and split_calls(self, fn.body):
            self.compute_scalars()  # again: calls were rewritten (a function of the IR only)
            self.infs = None  # (and the written infinities: ad/infmasks.py)
        ndims = {fn.params[i]: n for i, n in self.param_ndims.items()}
        # x[i]: structural.py; what computing the scalars found (`compute_scalars`) when it can
        facts = self.scalar_facts
        ranks = facts.ranks
        self.float1d = (
            float_1d_vars(fn, ndims, self.scalars) if ranks is None
            else {v for v, r in ranks.items() if r == 1}  # rank 1 is the first found
        )  # fmt: skip
        self.ints = facts.ints
        self.setitem_flags = dtype_flags(self, fn.body)
        # maxima whose total derivative is zero (log-sum-exp, softmax): constants here
        self.varied -= shift_invariant(fn)
        self.arraylike = arraylike_defs(fn.body, self.seq_ops)
        rev = Block()
        adj: dict[Var, Operand] = new_adj(self)  # (writes journaled: `ad/adjoints.py`)
        out = fn.body.yields[0]
        rb = Builder(rev)
        target = out
        if has_aux:
            d = next((o for o in fn.body.ops if out in o.results), None)
            if d is not None and d.prim == "tuple" and len(d.args) == 2:
                target = d.args[0]
            else:
                fb = Builder(fn.body)
                checked = fb.op(RT + "check_aux", [out])
                target = fb.op("getitem", [checked, Const(0)], hint="loss")
                if out in self.varied:
                    self.varied.add(checked)
                if out in self.varied:  # added after the activity analysis ran
                    self.varied.add(target)
        facts = (self.complex, self.scalar_facts.ranks)
        self.param_masks: dict = {}
        outs = fn.body.yields if self.helper else ()  # (a caller's np.sqrt(helper(x)))
        # the analyses of `fn` as it is now, made once for the masks and the peepholes below
        memo = self.sweep_memo = {"module": self.module}  # (read counts; square_sums; ...)
        memo["computed"] = self.varied.difference(fn.params)  # (no data: ad/branchmasks.py)
        fixed = self.fixed_consts and not self.helper  # (``u * mask``, `mask` a fixed parameter)
        fixed = fixed_values(fn, self.wrt, self.numeric_params) if fixed else ()
        self.masks = where_masks(
            seeded(self, fn.body), self.table, self.seq_ops, facts, self.call_masks, self.param_masks, outs,
            memo, fixed)  # fmt: skip
        if self.call_specs:  # a helper's result the caller masks: masked inside (resultmasks)
            masked_calls(self, masked_version)
        inf_masks(self)  # ``np.exp(np.inf / g)``: 0 where infinite (ad/infmasks.py)
        self.sigmoids = {
            y: sg for y, sg in sigmoids(fn, memo).items()
            if not any(v in self.masks for v in (y, *sg.chain))
        }  # fmt: skip
        self.squares, self.tails = magnitude_chains(fn, self.masks, self.complex, memo, facts[1])
        self._check_effects()
        self.acc(adj, target, seed, rb)
        self.rev_block(fn.body, rev, adj)
        quiet_sweep(rev, self.pyfloats)  # (np.errstate(all="ignore"): ad/maskemit.py)
        seqs = self.param_seqs or {}
        grads = [adj.get(fn.params[i]) or zero_like(_at_entry(fn, i, seqs), rb) for i in self.wrt]
        return rev, grads, out

    def combined(self, name: str, has_aux: bool = False) -> Function:
        rev, grads, out = self.sweep(Const(1.0), has_aux)
        body = self.fn.body
        b = Builder(body)
        b.block.ops.append(Op("comment", params={"text": "reverse sweep"}))
        body.ops.extend(rev.ops)
        gt = b.op("tuple", grads, hint="grads")
        body.yields = [b.op("tuple", [out, gt])]
        return self._function(name, self.fn.params, body)

    def pulled(self, name: str) -> Function:
        """``pull_f(*params, g) -> (out, cotangents)``: both sweeps in one function, the output's
        cotangent a parameter (a row of a reverse-mode Jacobian that is differentiated again)."""
        g = Var("g")
        rev, grads, out = self.sweep(g)
        body = self.fn.body
        b = Builder(body)
        b.block.ops.append(Op("comment", params={"text": "reverse sweep"}))
        body.ops.extend(rev.ops)
        gt = b.op("tuple", grads, hint="grads")
        body.yields = [b.op("tuple", [out, gt])]
        return self._function(name, [*self.fn.params, g], body)

    def split(self, fwd_name: str, bwd_name: str) -> tuple[Function, Function]:
        g = Var("g")
        rev, grads, out = self.sweep(g)
        body = self.fn.body
        b = Builder(body)
        bwd_body = Block()
        gm = self.result_mask  # (a parameter of the backward function: `ad/resultmasks.py`)
        remat, res = constant_residuals(
            body, [v for v in free_vars(rev) if v is not g and v is not gm], self.varied
        )
        grads_t = Builder(rev).op("tuple", grads)
        rev.yields = [grads_t]
        # residuals: everything the reverse sweep reads from the forward sweep
        rt = b.op("tuple", res, hint="residuals") if res else Const(())
        body.yields = [b.op("tuple", [out, rt])]
        rvar = Var("residuals")
        bb = Builder(bwd_body)
        mapping = {}
        for k, v in enumerate(res):
            nv = bb.op("getitem", [rvar, Const(k)], hint=v.hint)
            mapping[v] = nv
        for op in remat:  # literals: rebuilt, not passed (`constant_residuals`)
            bb.loc = op.loc
            args = [mapping.get(a, a) if type(a) is Var else a for a in op.args]
            kw = {k: mapping.get(a, a) if type(a) is Var else a for k, a in op.kwargs.items()}
            mapping[op.result] = bb.op(op.prim, args, kw, params=op.params, hint=op.result.hint)
        replace_uses(rev, mapping)
        bwd_body.ops.extend(rev.ops)
        bwd_body.yields = rev.yields
        bwd_body.params = [rvar, g] if gm is None else [rvar, g, gm]
        fwd = self._function(fwd_name, self.fn.params, body)
        bwd = self._function(bwd_name, bwd_body.params, bwd_body)
        return fwd, bwd

    def _function(self, name: str, params: list[Var], body: Block) -> Function:
        body.params = list(params)
        fn = self.fn
        numbers = self.__dict__.get("number_reads", set())
        gets, tuples, makers = [], {}, []  # one walk: the reads, and what `element` may need
        _scan(body, gets, tuples, makers)
        if body is fn.body and "_nd_facts" not in self.__dict__:
            self.__dict__["_nd_given"] = (tuples, makers)  # (`structural._nd_facts`)
        reads = {op.result for op in gets if op.result in numbers or element(self, *op.args)}
        self.__dict__.pop("_nd_given", None)
        # x[i] of a float 1-D array: passes/inplace.py may update x in place after it
        return Function(
            element_reads=reads,
            name=name,
            params=list(params),
            param_names=param_names_of(params),
            body=body,
            filename=fn.filename,
            firstline=fn.firstline,
            namespace=fn.namespace,
            source_lines=fn.source_lines,
        )

    # -- accumulation ---------------------------------------------------------------------------
    def acc(self, adj: dict, v: Any, c: Operand, b: Builder) -> None:
        if type(v) is not Var or v not in self.varied:  # (no subclass of Var: `ssa/core.py`)
            return
        if type(c) is Var and not c.hint:
            c.hint = "b" + v.hint if v.hint else ""  # (`adj_hint` of a Var, inline)
        ops = b.block.ops  # (`_unpacked`'s first test, inline: most contributions fail it)
        if ops and ops[-1].prim == "getitem" and _unpacked(c, b):
            self.maybe_none.add(c)  # a rule of the user's (srcad.custom) may give None (a zero)
        if v not in adj:
            put(self, adj, v, c)
            return
        old = adj[v]
        sure = old not in self.maybe_none and c not in self.maybe_none
        numeric = v in self.arraylike or (sure and (v in self.scalars or v in self.float1d))
        prim = "add" if numeric else RT + "add"
        owned = adj[v] in self.owned
        put(self, adj, v, sum_terms(b, prim, old, c, adj_hint(v), keep=True))  # (acc - t)
        if is_float(old, self.pyfloats) and is_float(c, self.pyfloats):
            self.pyfloats.add(adj[v])  # (`_srcad.add` of two Python floats is their sum)
        if old in self.maybe_none and c in self.maybe_none:
            self.maybe_none.add(adj[v])
        if owned:  # `acc + c` is a new array
            self.owned.add(adj[v])

    # -- user calls: forward part ---------------------------------------------------------------
    # -- reverse sweep --------------------------------------------------------------------------
    def rev_block(self, block: Block, rev: Block, adj: dict) -> None:
        chains = block_chains(self, block)  # x[:, :H], x[:, H:]: one cotangent (slice_chains.py)
        for op in reversed(list(block.ops)):
            if op.prim == "if":
                self.rev_if(op, rev, adj)
            elif op.prim in ("for", "while"):
                self.rev_loop(op, block, rev, adj)
            elif chains and op in chains:
                defer(self, chains[op], op, rev, adj)
            else:
                self.rev_op(op, rev, adj)
        factor_block(rev)  # g*a + (g*b)*c -> g * (a + b*c): reverse ops only (passes/factor.py)

    def rev_op(self, op: Op, rev: Block, adj: dict) -> None:
        if len(op.results) != 1 or op.results[0] not in adj:
            return
        ans = op.results[0]
        g = adj[ans]
        b = Builder(rev, op.loc)
        p = op.prim
        if ans in self.reversers:
            self.reversers[ans](g, b, adj)
            return
        # (each applies only at a result of its own table: looked up here, no call per op)
        if (ans in self.sigmoids and sigmoid_vjp(self, op, g, adj, b)) or (
            (ans in self.squares or ans in self.tails) and magnitude_vjp(self, op, g, adj, b)
        ):
            return
        if ans in self.calls:
            res, bwd, wrt, args = self.calls[ans]
            f = b.op("global", params={"name": bwd, "generated": True})
            bargs = bwd_call(self, ans, op, f, res, g, b)
            for j, k in enumerate(wrt):
                c = b.op("getitem", [bargs, Const(j)])
                c = kink_checked(self, op.results[0], tie_result(self, op, c, b, g=g), b)
                self.acc(adj, args[k], c, b)
            return
        rule = self.table.get(RT + self.seq_ops[op]) if op in self.seq_ops else self._rule_of(op)
        if p.startswith("attr."):  # (`field_rule` is `rule` for the other primitives)
            rule = field_rule(self, op, "vjp", rule)
        if rule is None:
            raise no_rule_error(self.src, op, self.table, self.fn)
        if rule.zero:
            return
        if rule.fn is not None:  # structural primitives (srcad.ad.structural)
            rule.fn(self, op, g, adj, b)
            return
        try:
            bound = rule.bind(op.args, op.kwargs)
        except TypeError as e:
            raise diff_error(
                self.src, op, f"cannot bind the arguments of `{pretty(p)}`: {e}"
            ) from None
        env = term_env(rule, bound, b)
        env["ans"] = branch_ans(self, op, ans, b) if p in BRANCHED else ans  # (rootbranch)
        env["g"] = g
        masks = self.masks.get(ans) if p not in PASSTHROUGH else None
        sel = where_selection(op, masks, b) if masks else None
        varied, squaring = self.varied, p in SQUARING  # (`adj_checked`)
        # (what the template makes of `g` may be one too; `is_float`, inline)
        floats = (
            g in self.pyfloats if type(g) is Var else type(g) is Const and type(g.value) is float
        )
        for k in active_params(self.src, op, rule, bound, varied, b, self.fn)[0]:
            n0 = len(rev.ops)
            c = expand(rule.terms[k], env, rev, op.loc)
            if floats and len(rev.ops) > n0:
                c = python_floats(rev, n0, c, self.pyfloats)
            if sel is not None:
                c = mask_contribution(op, sel, c, rev, op.result in self.scalars, self)
            val = bound[k]
            if isinstance(val, tuple):  # *args parameter: the template returns a tuple
                for j, e in enumerate(val):
                    if is_varied(e, self.varied):
                        self.acc(adj, e, b.op("getitem", [c, Const(j)]), b)
            else:
                if squaring:
                    c = adj_checked(self, op, val, c, b)
                if p in MAGNITUDES:
                    c = abs_checked(self, op, c, b)
                if p in TIE_KINKS:  # (two kinks tied: ad/kinkties.py, ad/kinkpairs.py)
                    c = tie_adjoint(self, op, val, c, g, b)
                if p in KINKS:
                    c = kink_checked(self, op.results[0], c, b)
                self.acc(adj, val, c, b)

    def _check_effects(self) -> None:
        """Refuse a method call that may update a differentiated object when no cotangent
        reaches its result (`unseen_effect`; the JVP refuses it for want of a rule)."""
        for op in ops_of(self.fn.body):
            if len(op.results) != 1 or not op.prim.startswith("method."):
                continue
            r = op.results[0]
            handled = r in self.calls or r in self.reversers or op in self.seq_ops
            if unseen_effect(op, self.varied, handled or self._rule_of(op) is not None):
                raise no_rule_error(self.src, op, self.table, self.fn)

    def _rule_of(self, op: Op) -> Any:
        """`op`'s rule: of its record's variant for its operands (`pick_table`), or, for a
        primitive without variants, the table's, looked up once per transform."""
        p = op.prim
        rule = self._plain_rules.get(p)
        if rule is not None:
            return rule
        rec = self.table.registry.lookup(p)
        if rec is not None and not rec.variants:
            rule = self.table.get(p)
            if rule is not None:
                self._plain_rules[p] = rule
            return rule
        return variant_rule(self._variant_rules, op, rec, self.table, self.scalars, self.fdivs)

    # -- if -------------------------------------------------------------------------------------
    def rev_if(self, op: Op, rev: Block, adj: dict) -> None:
        reverse_if(self, op, rev, adj)

    # -- loops ----------------------------------------------------------------------------------
    def rev_loop(self, op: Op, parent: Block, rev: Block, adj: dict) -> None:
        reverse_loop(self, op, parent, rev, adj)


def _at_entry(fn: Function, i: int, seqs: dict) -> Var:
    """Parameter `i`'s value at entry: for a list or dict (`seqs`: srcad.ad.kinds) the private
    copy of an argument the function updates in place (lower/argcopy.py), else the parameter; a
    zero derivative is laid out like it, not like the caller's object, which holds the final
    value (another length) by the time a pullback runs. (An array keeps its shape.)"""
    p = fn.params[i]
    k = seqs.get(i)
    if not (type(k) is tuple and k[0] in "sd"):
        return p
    for op in fn.body.ops:
        if op.prim == ENTRY_COPY and op.args[0] is p:
            return op.results[0]
    return p
