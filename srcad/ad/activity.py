"""Activity analysis: which SSA values depend on a differentiated input.

Input: a `Function`, the set of active parameter Vars, and the rule table (to know zero-derivative
prims). Output: the set of *varied* Vars (those that can carry a non-zero derivative). Loops are
iterated to a fixpoint; a carry is varied when its initial value or its next value is.

Values that are varied but whose derivative reaches no result (read only by conditions: a loop's
convergence test) are dropped from the set afterwards (`srcad.ad.live`, in `Transform.analyze`).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.ad.termzeros import maybe_zero, static_zeros
from srcad.custom import custom_of
from srcad.lower.values import static_value
from srcad.ssa import verify
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

# Prims whose results never carry derivatives whatever their inputs.
_INACTIVE_PRIMS = frozenset({"global", "free", "slice", "len", "range", "isinstance", "not", "eq",
                             "ne", "lt", "le", "gt", "ge", "is", "is_not", "in", "not_in"})  # fmt: skip
_MULS = ("mul", "numpy.multiply")


def varied_vars(
    fn: Function, active: set[Var], table: RuleTable, calls: set[Op] | None = None
) -> set[Var]:
    """`calls`: `method.*` ops that call a user method (no rule applies, whatever the name).

    One walk is the fixpoint: every read of a Var comes after its definition in program order
    (SSA; `ssa/verify.py` checks it), an ``if``'s results are decided after its branches, and a
    loop's body is walked again until its carries stop changing. In verify mode a second walk
    checks that it adds nothing."""
    varied = set(active)
    calls = calls or set()
    rules = _Rules(table, fn)
    _block(fn.body, varied, rules, calls)
    if verify.enabled():
        before = len(varied)
        _block(fn.body, varied, rules, calls)
        if len(varied) != before:
            raise AssertionError(f"activity of `{fn.name}`: one walk was not the fixpoint")
    return varied


class _Rules(dict):
    """prim -> (its rule, the names of its differentiable parameters, whether every parameter
    is one and binds one operand: no ``*args``/``**kwargs``, no `zero_in`, no ``dtype``, which
    may make the result an integer), looked up once per primitive
    (`Rule.diff_params` makes a list each time); the rule None: no rule."""

    def __init__(self, table: RuleTable, fn: Function) -> None:
        super().__init__()
        self.table = table
        self.fn = fn
        self.dtypes: dict[Var, bool] = {}
        self.stops: dict[Var, bool] = {}

    def stopped(self, callee: object) -> bool:
        """`callee` (a call's first operand) is ``srcad.stop_gradient``."""
        if not isinstance(callee, Var):
            return False
        got = self.stops.get(callee)
        if got is None:
            found, obj = static_value(self.fn, callee)
            c = custom_of(obj) if found else None
            got = self.stops[callee] = c is not None and c.kind == "stop"
        return got

    def integral(self, dtype: object) -> bool:
        """`dtype` (an operand) is an integer or boolean dtype known at transform time
        (``int``, ``np.int64``, ``"i4"``, ``bool``)."""
        if isinstance(dtype, Const):
            return _integral(True, dtype.value)
        if not isinstance(dtype, Var):
            return False
        got = self.dtypes.get(dtype)
        if got is None:  # (a Var: its defining op found by a walk, once)
            got = self.dtypes[dtype] = _integral(*static_value(self.fn, dtype))
        return got

    def __missing__(self, prim: str) -> tuple:
        rule = self.table.get(prim)
        got = self[prim] = (None, (), False) if rule is None else (rule, *_facts(rule))
        return got


def _facts(rule: Any) -> tuple[tuple[str, ...], bool]:
    """(the differentiable parameters, whether every one is) of `_Rules`' entry of `rule`,
    once per rule (frozen: kept on it, as `Rule.active` keeps its plan)."""
    got = rule.__dict__.get("_activity")
    if got is None:
        kinds = [p.kind for p in rule.sig.parameters.values()]
        plain = all(k in (_POS_ONLY, _POS_OR_KW, _KW_ONLY) for k in kinds)
        every = plain and not rule.zero_in and "dtype" not in rule.sig.parameters
        every = every and not maybe_zero(rule)  # (a term some constants make zero)
        got = (tuple(rule.diff_params), every)
        object.__setattr__(rule, "_activity", got)  # (frozen: not a field, not compared)
    return got


def _integral(found: bool, value: object) -> bool:
    if not found or value is None:
        return False
    try:
        return np.dtype(value).kind in "biu"
    except (TypeError, ValueError):
        return False


_POS_ONLY = inspect.Parameter.POSITIONAL_ONLY
_POS_OR_KW = inspect.Parameter.POSITIONAL_OR_KEYWORD
_KW_ONLY = inspect.Parameter.KEYWORD_ONLY


def is_varied(a: Operand, varied: set[Var]) -> bool:
    return isinstance(a, Var) and a in varied


def _block(block: Block, varied: set[Var], table: _Rules, calls: set[Op]) -> None:
    for op in block.ops:
        if not op.blocks:  # nothing to add (also no results at all): `all`, inline, before
            for r in op.results:  # the call (a loop's body walked again: most are varied)
                if r not in varied:
                    break
            else:
                continue
        _op(op, varied, table, calls)


def _op(op: Op, varied: set[Var], table: _Rules, calls: set[Op]) -> None:
    p = op.prim
    if p == "if":
        for b in op.blocks:
            _block(b, varied, table, calls)
        for k, r in enumerate(op.results):
            if any(is_varied(b.yields[k], varied) for b in op.blocks):
                varied.add(r)
        return
    if p in ("for", "while"):
        n = len(op.results)
        inits = op.args[3:] if p == "for" else op.args
        body = op.blocks[-1]
        off = 1 if p == "for" else 0
        # The blocks' walk adds only what their params and the values before the loop decide:
        # walked again only when a carry became varied since (a yield, or its initial value)
        first = True
        while True:
            changed = first
            first = False
            for k in range(n):
                v = is_varied(inits[k], varied) or is_varied(body.yields[k], varied)
                if v:
                    for b in op.blocks:
                        o = off if b is body else 0
                        if b.params[o + k] not in varied:
                            varied.add(b.params[o + k])
                            changed = True
                    varied.add(op.results[k])
            if not changed:
                return
            for b in op.blocks:
                _block(b, varied, table, calls)
    # (`_block` called this op only when a result is not varied yet: something to add)
    for a in op.args:  # no varied operand: `any(is_varied(...))`, inline
        if type(a) is Var and a in varied:
            break
    else:
        if not op.kwargs or not any(is_varied(a, varied) for a in op.kwargs.values()):
            return
    if p in _INACTIVE_PRIMS:
        return
    if p == "mod" and isinstance(op.args[0], Const) and isinstance(op.args[0].value, (str, bytes)):
        return  # "%r" % x: text (srcad.ad.textflow refuses a number read back out of it)
    if op in calls:  # a user method differentiated through its source
        varied.update(op.results)
        return
    if p == "call" and table.stopped(op.args[0]):
        return  # srcad.stop_gradient(...): a constant for the transforms
    if p in _MULS and len(op.args) == 2 and not op.kwargs and any(map(is_zero_const, op.args)):
        # ``u * 0`` (``y[m] *= 0.0``): constant, also where u's derivative is infinite (the
        # product's 0 * inf would be nan: ``np.sqrt`` of the written zeros, ad/fmasks.py)
        return
    if p == "setitem":  # only x and v carry derivatives, not the index
        if is_varied(op.args[0], varied) or is_varied(op.args[2], varied):
            varied.update(op.results)
        return
    if p == "getitem" and not is_varied(op.args[0], varied):
        return
    rule, diff, every = table[p]
    if rule is not None:
        if rule.zero:
            return
        if every:  # the varied operand binds a differentiable parameter, or the call is bad
            varied.update(op.results)
            return
        try:
            bound = rule.bind(op.args, op.kwargs)
        except TypeError:  # the transform reports the bad call with its location
            varied.update(op.results)
            return
        zeros = static_zeros(rule, bound)  # (ad/termzeros.py)
        if not any(_bound_varied(bound[n], varied) for n in diff if n in bound and n not in zeros):
            return
        if "dtype" in bound and table.integral(bound["dtype"]):
            return  # an integer or boolean result (``x.astype(int)``): no derivative
    varied.update(op.results)


def _bound_varied(v: object, varied: set[Var]) -> bool:
    if isinstance(v, tuple):
        return any(_bound_varied(e, varied) for e in v)
    if isinstance(v, dict):
        return any(_bound_varied(e, varied) for e in v.values())
    return isinstance(v, Var) and v in varied


def is_zero_const(a: Operand) -> bool:
    """A literal number 0 (not False, not an array: a Const may hold a module's array)."""
    v = a.value if isinstance(a, Const) else None
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)) and v == 0
