"""What both transforms share: the generated-function collection, located errors, zero tangents,
names of derivative values, rule lookup for an op.

Input: IR values and ops. Output: `Module` (the functions one request generates), `diff_error`
(a `DiffError` at an op's source position), `zero_like` (the IR of a zero of a value's shape),
`tangent_hint`/`adj_hint` (``dx``/``bx`` names), `as_operand` (bound rule arguments as
operands), `bound_operands` (a user call's), `pick_table` (the rule variant an op's operand
types call for), and the two interfaces rule functions and the loop reversal see of a
transform (`ForwardSweep`, `ReverseSweep`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Protocol

from srcad.ad.rules import RuleTable
from srcad.ad.termzeros import static_zeros
from srcad.errors import DiffError
from srcad.passes.scalars import is_scalar_const
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of, result_defs
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, walk_ops


class ForwardSweep(Protocol):
    """What a JVP rule function (srcad.ad.structural) may use of the transform: the tangents
    found so far and the tangent of any operand (a zero for inactive ones)."""

    tan: dict[Var, Operand]

    def d(self, a: Any, b: Builder) -> Operand: ...


class ReverseSweep(Protocol):
    """What a VJP rule function and the loop reversal (srcad.ad.vjp_loops) may use of the reverse
    sweep: which values carry a derivative (`varied`), which cotangent accumulators are private
    and may be updated in place (`owned`), which values are arrays or numbers (`arraylike`: their
    cotangents add with ``+``), adding a contribution to a value's cotangent (`acc`) and
    reversing a block (`rev_block`)."""

    varied: set[Var]
    owned: set
    arraylike: set[Var]
    module: Module

    def acc(self, adj: dict, v: Any, c: Operand, b: Builder) -> None: ...

    def rev_block(self, block: Block, rev: Block, adj: dict) -> None: ...


ZEROS_LIKE = "srcad.runtime.zeros_like"
RT = "srcad.runtime."


@dataclass
class Module:
    """The functions generated for one transform request, in creation order."""

    functions: list[Function] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    done: dict[tuple, str] = field(default_factory=dict)
    taken: set = field(default_factory=set)  # bases handed out (a base names a fwd/bwd pair too)
    # The functions will be differentiated again: reverse mode updates no accumulator in place
    # (the tangent of a private cotangent need not be private).
    functional: bool = False
    # Makes the IR of a derivative srcad made, called in the function being transformed
    # (``srcad.grad(inner)(w)``): ``derive(fn, op, wrapper) -> (Function, stand-in) | None``.
    derive: Any = None
    # The parameters of the next transform made that may be complex (set by the entry point's
    # `Spec` or a caller's `bind_callee`, taken by `Transform.__init__`: srcad.ad.complex_check),
    # and the complex-return facts of callees (per callee and pattern of complex arguments).
    next_complex: frozenset = frozenset()
    # what a caller knows of the next helper's arguments, for its mutation check: position ->
    # rank of a float array, -1 for a number (`srcad.ad.callfacts`, taken by `Transform.__init__`)
    next_facts: tuple = ()
    next_linear: bool = False  # (a helper's result read linearly: ad/abscheck.py)
    # the entry point's lists and dicts of numbers (`Spec.numbers`), taken by `Transform.__init__`
    next_boxes: frozenset = frozenset()
    # the entry point's non-float64 arrays of numbers, position -> rank (`Spec.arrays`): for its
    # mutation check only, taken by `Transform.__init__`
    next_arrays: dict = field(default_factory=dict)
    # not None: the entry point's parameters not differentiated and closure values are constant
    # at every level of its request (`boolmasks.fixed_values`; the positions of its arrays of
    # numbers that are not float64), taken by `Transform.__init__`
    next_fixed: tuple[int, ...] | None = None
    # the entry point's lists of user objects, position -> the items' classes (`Spec.items`:
    # `ad/layouts.py` unrolls loops over them), taken by `Transform.__init__`
    next_items: dict = field(default_factory=dict)
    # the entry point's parameters of a known exact class, position -> `float`, `int` or
    # `np.ndarray` (`Spec.exact_types`: ``isinstance`` decided), taken by `Transform.__init__`
    next_exact: dict = field(default_factory=dict)
    complex_memo: dict = field(default_factory=dict)
    # id of each transformed function (`Transform.fn`) -> (it, its parameter ranks, its scalar
    # positions, its transform): what it passes to ``srcad.grad(inner)`` is (ad/compose.py)
    params_of: dict = field(default_factory=dict)
    # a generated vjp pair's key -> its helper's parameter masks (`ad/callmasks.summary`)
    param_masks: dict = field(default_factory=dict)

    def unique(self, base: str) -> str:
        name, k = base, 1
        while name in self.names or name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name


def diff_error(fn: Function, op: Op, message: str, hint: str | None = None) -> DiffError:
    line = op.loc.line if op.loc else None
    col = op.loc.col if op.loc else None
    src = None
    if line and fn.source_lines and 0 < line <= len(fn.source_lines):
        src = fn.source_lines[line - 1]
    return DiffError(message, filename=fn.filename, line=line, col=col, source_line=src, hint=hint)


NONDIFF_HINT = (
    "hold it constant: compute it from values that do not depend on the differentiated inputs, "
    "or wrap it in srcad.stop_gradient(...) if a constant is meant; if you need this derivative, "
    "file an issue"
)


def active_params(
    fn: Function,
    op: Op,
    rule: Any,
    bound: dict,
    varied: set[Var],
    b: Builder,
    owner: Function | None = None,
    tangent: Any = None,
) -> tuple[list[str], bool]:
    """The parameters of `op`'s template `rule` (bound to `bound`) that carry a derivative here:
    their argument is varied and the rule has a term for them (`Rule.active`), and whether a
    varied `nondiff` one got the run-time check ``no_float`` (built with `b`), which refuses a
    float (an int, flag or string: no derivative). A varied one with no term is refused now,
    unless `owner` (the function holding `op`) read it out of a parameter (`_item_of_param`):
    then it is checked as a `nondiff` one, or, given `tangent` (the JVP's: the tangent of an
    operand), its tangent is checked to be zero when it runs (a float item of the tuple with no
    derivative: ``t = np.arange(-2, 3) * 1.0`` of a helper's residuals at second order; a zero
    tangent makes the missing term zero). JVP and VJP both ask this."""
    unsure: list[str] = []

    def is_varied(v: object) -> bool:
        if type(v) is Var and not unsure:  # (the common case: no item of a parameter unsure)
            return v in varied
        if any(v is bound.get(k) for k in unsure):
            return False
        return type(v) is Var and v in varied or any_varied(v, varied)

    while True:
        out, guarded, bad = rule.active(bound, is_varied)
        if bad is None or owner is None or not _item_of_param(owner, bound[bad]):
            break
        unsure.append(bad)
    if bad is not None:
        raise diff_error(
            fn, op, _nondiff_message(op, bad, "has no derivative rule for"), NONDIFF_HINT
        )
    guarded = [*guarded, *unsure]
    for k in guarded:
        msg = _nondiff_message(op, k, "declares no derivative for")
        if tangent is not None and k in unsure:
            still = b.op("not", [b.op("numpy.any", [tangent(bound[k])])])
            b.op(RT + "require", [still, Const(msg), Const("srcad"), Const(NONDIFF_HINT)])
            continue
        b.op(RT + "no_float", [as_operand(bound[k], b), Const(msg), Const(NONDIFF_HINT)])
    # terms the call's constants make ``zeros_like``: none (ad/termzeros.py; a rule known to
    # have no such term, `maybe_zero`'s () kept on it, is not asked)
    if out and rule.__dict__.get("_maybe_zero", True):
        zeros = static_zeros(rule, bound)
        if zeros:
            out = [k for k in out if k not in zeros]
    return out, bool(guarded)


def _item_of_param(fn: Function, v: object) -> bool:
    """Is `v` read out of a parameter of `fn` (``t = residuals[3]``, through items of items:
    ``saved = tape[k]; saved[0]``)? The activity analysis takes a whole tuple or list as varied
    when one item is (a derivative's residuals hold the inputs and the integers of
    ``np.arange(window)`` alike), so such an item may be an integer array, which carries no
    derivative: checked when it runs (``no_float``), as a `nondiff` argument is."""
    if type(v) is not Var:
        return False
    defs = result_defs(ops_of(fn.body))
    params = set(fn.params)
    for _ in range(8):
        d = defs.get(v)
        if d is None or d.prim != "getitem" or type(d.args[0]) is not Var:
            return False
        v = d.args[0]
        if v in params:
            return True
    return False


def _nondiff_message(op: Op, k: str, kind: str) -> str:
    return (
        f"`{pretty(op.prim)}` is not differentiable in its argument `{k}`: here it depends on "
        f"the differentiated inputs, and srcad {kind} it"
    )


def tangent_hint(v: Var) -> str:
    return "d" + v.hint if v.hint else ""


def adj_hint(v: Any) -> str:
    return "b" + v.hint if isinstance(v, Var) and v.hint else ""


def sum_terms(
    b: Builder, prim: str, total: Operand, term: Operand, hint: str = "", keep: bool = False
) -> Operand:
    """``total + term`` (`prim`: ``add`` or the runtime's), written ``total - y`` when `term` is a
    ``-y`` just built (the last op of `b`'s block: a rule's ``-dy`` term): one operation and one
    temporary fewer, the same value (IEEE's ``x - y`` is ``x + (-y)``). The ``-y`` op is dropped,
    as forward mode reads its terms nowhere else; `keep`: it stays (reverse mode's accumulation:
    a contribution may be read again, given to several adjoints or carried by a loop; DCE drops
    it when nothing does)."""
    ops = b.block.ops
    last = ops[-1] if ops else None
    if prim == "add" and last is not None and last.prim == "neg" and last.results == [term]:
        if len(last.args) == 1 and not last.kwargs and not last.params and not last.blocks:
            if not keep:
                ops.pop()
            return b.op("sub", [total, last.args[0]], hint=hint)
    return b.op(prim, [total, term], hint=hint)


def zero_like(a: Any, b: Builder) -> Operand:
    if isinstance(a, Const):
        v = a.value
        if isinstance(v, (bool, int, float)) or v is None:
            return Const(0.0)
        if isinstance(v, complex):
            return Const(0j)
    if isinstance(a, tuple):
        return b.op("tuple", [zero_like(e, b) for e in a])
    return b.op(ZEROS_LIKE, [a if isinstance(a, (Var, Const)) else Const(a)])


def as_operand(v: Any, b: Builder) -> Any:
    if isinstance(v, (Var, Const)):
        return v
    if isinstance(v, tuple):
        if all(isinstance(e, Const) for e in v):
            return Const(tuple(e.value for e in v))
        if all(isinstance(e, (Var, Const)) for e in v):
            return b.op("tuple", list(v))
    if isinstance(v, dict):
        return Const(None) if not v else b.op("dict", [x for kv in v.items() for x in kv])
    return Const(v)


def bound_operands(bound: Any, names: list[str], b: Builder) -> list:
    """A user function's call, bound (`inspect.BoundArguments`), as operands for `names`, its
    defaults applied. A default the call left out is the callee's own object, as Python passes
    it: a dict default (``opts=CONFIG``) is read when the code runs, so a change to it after the
    transform is seen, and an empty one (``opts={}``) is a dict, not `as_operand`'s no-kwargs
    None; `*args`/`**kwargs` are packed as before."""
    given = set(bound.arguments)
    bound.apply_defaults()
    params = bound.signature.parameters
    packed = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    out = []
    for n in names:
        v = bound.arguments[n]
        if n not in given and n in params and params[n].kind not in packed:
            out.append(v if isinstance(v, (Var, Const)) else Const(v))
        else:
            out.append(as_operand(v, b))
    return out


def is_none(a: Any) -> bool:
    """`a` is the operand None (``out=None`` left out): no object a callee could update in place
    (``if out is None: out = np.zeros(n)`` rebinds the name first)."""
    return isinstance(a, Const) and a.value is None


def any_varied(v: Any, varied: set[Var]) -> bool:
    if isinstance(v, tuple):
        return any(any_varied(e, varied) for e in v)
    return isinstance(v, Var) and v in varied


def _is(a: Any, bound: Any) -> bool:
    return a is bound


def pretty(prim: str) -> str:
    if prim.startswith("method."):
        return "." + prim[7:] + "()"
    if prim.startswith("attr."):
        return "." + prim[5:]
    return prim


def pick_table(
    op, scal: set[Var], table: RuleTable, mode: str, fdivs: set | frozenset = frozenset()
) -> RuleTable:
    """The rules for `op`: its record's ``"scalar"`` variant when every operand is a Python number
    (no broadcasting helpers), the ``"fdiv"`` variant of ``x / y`` for the divisions in `fdivs`
    (see `risky_divisions`), else `table`."""
    rec = table.registry.lookup(op.prim)
    if rec is None or not rec.variants:
        return table
    variant = pick_variant(op, rec, scal, fdivs)
    return table if variant is None else table.registry.table(mode, variant)


def variant_rule(
    cache: dict, op: Op, rec: Any, table: RuleTable, scal: set[Var], fdivs: set | frozenset
) -> Any:
    """``pick_table(op, scal, table, table.mode, fdivs).get(op.prim)``, `rec` the primitive's
    record (None: undeclared), kept in `cache` by primitive and variant (one transform's)."""
    if rec is None or table.variant is not None:
        return pick_table(op, scal, table, table.mode, fdivs).get(op.prim)
    key = (op.prim, pick_variant(op, rec, scal, fdivs) if rec.variants else None)
    if key not in cache:
        variant = key[1]
        cache[key] = (table if variant is None else table.registry.table(table.mode, variant)).get(
            op.prim
        )
    return cache[key]


def pick_variant(op, rec: Any, scal: set[Var], fdivs: set | frozenset) -> str | None:
    """The name of the variant of `op`'s record (`rec`, which has variants) `pick_table` picks,
    None for the record's own rules."""
    scalar = "scalar" in rec.variants
    if scalar:  # (a loop: a generator per op cost more)
        for a in op.operands():
            if not (is_scalar_const(a) or (isinstance(a, Var) and a in scal)):
                scalar = False
                break
    if op in fdivs:
        return "scalar_fdiv" if scalar else "fdiv"
    return "scalar" if scalar else None


def no_rule_error(
    fn: Function, op: Op, table: RuleTable, body: Function | None = None
) -> DiffError:
    """The refusal of an op whose primitive has no rule in `table` (with the record's reason
    when the primitive is a runtime helper declared without rules); `body`: the function `op`
    is in (a clone of `fn`), when it is not `fn`."""
    rec = table.registry.lookup(op.prim)
    reason = rec.no_rules if rec is not None else None
    if op.prim.startswith("numpy.ma."):
        return diff_error(
            fn, op, f"masked arrays (`np.ma.{op.prim.rsplit('.', 1)[1]}`) are not supported",
            "srcad differentiates plain ndarrays: keep the mask as a boolean array and use "
            "np.where(mask, x, fill), np.sum(x, where=~mask), np.nansum, ...",
        )  # fmt: skip
    if op.prim == "vars":  # (lower/getattrs.vars_of took the objects whose fields it knows)
        return diff_error(
            fn, op, "`vars(obj)` is differentiated only for an object built in the function "
            "srcad differentiates (or a dataclass/record made there) whose fields nothing "
            "writes later, read where it is made (`vars(o).values()`, `.items()`, `vars(o)[k]`)",
            "read the fields by name (`obj.w`, `obj.b`); `vars(self)` in a method is not "
            "followed (srcad differentiates the method on its own, where the fields of `self` "
            "are not known), nor `vars` of an object passed in or of a class whose code may add "
            "attributes",
        )  # fmt: skip
    hint = (
        f"srcad has no rule for it: {reason}"
        if reason
        else "use a NumPy/math function srcad knows, or compute this from values that do not "
        "depend on the differentiated inputs"
    )
    made = _made_by_call(body or fn, op) if op.prim.startswith("method.") else None
    if made is not None:  # (`e = d.__rmul__(t); e.norm()`: a user method of an unknown class)
        hint = (
            f"`.{op.prim[7:]}()` is called on {made}, whose class srcad could "
            "not tell (a method returning a number or an object by its argument's type, as a "
            "`__mul__` serving both `v * w` and `v * c` does): a user class's method runs only "
            "on an object whose class is known: build it with the class (`V(...)`), or give "
            "each case a method of its own that always returns one type"
        )
    held = _global_item(body or fn, op) if op.prim.startswith("method.") else None
    if held is not None:  # (`TASKS[i].run(d)`: which object's class, srcad cannot tell)
        return diff_error(
            fn,
            op,
            f"`.{op.prim[7:]}()` of an item of the module-level `{held}` picked by an index "
            "known only when the code runs: srcad cannot tell which class's method it is (no "
            "derivative rule for a method of that name either)",
            f"loop over the items (`for t in {held}:`), index with a constant, or pass `{held}` "
            "as an argument",
        )
    return diff_error(fn, op, f"no derivative rule for `{pretty(op.prim)}`", hint)


def _global_item(fn: Function, op: Op) -> str | None:
    """The module-level (or closure) name of the sequence the receiver of `op` is an item of,
    read with a run-time index (``G[i].m()``), else None."""
    defs = {r: o for o in walk_ops(fn.body) for r in o.results}
    got = defs.get(op.args[0]) if op.args else None
    if got is None or got.prim != "getitem" or isinstance(got.args[1], Const):
        return None
    seq = defs.get(got.args[0])
    ok = seq is not None and seq.prim in ("global", "free")
    return seq.params.get("name") if ok else None  # type: ignore[union-attr]


def _made_by_call(fn: Function, op: Op) -> str | None:
    """How the receiver of `op` was made, when a function or method call made it."""
    recv = op.args[0] if op.args else None
    if not isinstance(recv, Var):
        return None
    for o in walk_ops(fn.body):
        if recv in o.results:
            if o.prim == "call" or o.prim.startswith("method."):
                return "the result of " + ("a call" if o.prim == "call" else f"`.{o.prim[7:]}()`")
            if o.prim == "if":  # (`retval`: a helper inlined here returning from two places)
                return "a value set by an `if`'s branches (or by the returns of a function inlined here)"
            return None
    return None


class NeverOwned(set):
    """The `owned` set of a reverse sweep whose output is differentiated again: nothing is ever
    private, so no accumulator is updated in place."""

    def add(self, v: Any) -> None:
        pass

    def update(self, *vs: Any) -> None:
        pass


def param_names_of(params: list[Var]) -> list[str]:
    """Distinct parameter names for a generated function, from its parameters' hints (a user
    parameter named ``dx`` beside ``x``, or a tangent of a tangent, would repeat one)."""
    out: list[str] = []
    for k, p in enumerate(params):
        base = p.hint if p.hint and p.hint.isidentifier() else f"p{k}"
        name, n = base, 1
        while name in out:
            name, n = f"{base}_{n}", n + 1
        out.append(name)
    return out
