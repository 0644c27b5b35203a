"""What the JVP and VJP transforms share: the request, the specialization, the analyses.

Input: a lowered `Function`, the differentiated parameter positions, a rule table, the `Module` that
collects generated functions, and what the call site knows about the parameters (Python numbers,
array ranks, user classes, functions passed in). Output: `Transform`, the base class whose
`analyze()` fills in the varied values, the scalars and the known parameter facts.
"""

from __future__ import annotations

import inspect
from typing import Any

from srcad.ad import badcalls, callfacts, privcopy
from srcad.ad.abscheck import linear_key
from srcad.ad.activity import is_varied, varied_vars
from srcad.ad.arrayize import arrayize
from srcad.ad.augcheck import check_augmented_for
from srcad.ad.boundcalls import function_args
from srcad.ad.callees import operand_types, user_call
from srcad.ad.callfacts import box_facts, call_facts, global_number, none_facts, split_facts
from srcad.ad.common import bound_operands, diff_error, is_none
from srcad.ad.complex_check import check_complex, complex_args
from srcad.ad.dictkeys import refuse_varied_keys
from srcad.ad.effects import check_global_effects
from srcad.ad.inplace_dtypes import cast_augmented, transform_seeds
from srcad.ad.libcalls import library_calls
from srcad.ad.live import dead_vars
from srcad.ad.properties import call_getters
from srcad.ad.receiver_guards import guard_receivers
from srcad.ad.receivers import deep, entry_key_kinds, operand_kinds, resolve_receivers
from srcad.ad.rules import RuleTable
from srcad.ad.seqs import dict_merges, dispatch_ops, operand_seqs, seq_kinds
from srcad.ad.template import new_epoch
from srcad.ad.textflow import refuse_parsed_text
from srcad.ad.typeswitch import fold_type_switches
from srcad.ad.zeroattrs import guard_field_zero_attrs
from srcad.errors import SrcadError
from srcad.lower.argcopy import drop_numbers
from srcad.lower.oneshot import reread_params_of
from srcad.lower.values import static_value
from srcad.passes.alias import return_sources, shares_results
from srcad.passes.divisions import risky_divisions
from srcad.passes.hoist import hoist_loop_indices
from srcad.passes.rowelems import row_elements
from srcad.passes.scalars import inexact_vars, one_d_vars, scalar_facts
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.clone import clone_function
from srcad.ssa.core import Const, Function, Var, uses, walk_ops


class Transform:
    def __init__(
        self,
        fn: Function,
        wrt: tuple[int, ...],
        table: RuleTable,
        module: Any,
        scalar_params: tuple[int, ...] = (),
        param_types: dict[int, type] | None = None,
        param_ndims: dict[int, int] | None = None,
        param_values: dict[int, Any] | None = None,
        param_kinds: dict[int, Any] | None = None,
        param_seqs: dict[int, Any] | None = None,
    ):
        self.src = fn
        self.wrt = wrt
        self.table = table
        self.module = module
        self.scalar_params = scalar_params
        self.param_types = dict(param_types or {})
        self.param_ndims = dict(param_ndims or {})
        self.param_values = dict(param_values or {})
        # a called helper's parameters, as its caller knows them (srcad.ad.receivers); None for
        # the function the user differentiates (its cache key tells)
        self.param_kinds = param_kinds
        # list/tuple kinds of the parameters (srcad.ad.seqs), from the argument values or a caller
        self.param_seqs = param_seqs
        # parameters that may be complex (srcad.ad.complex_check), handed over by the module
        self.param_complex, module.next_complex = module.next_complex, frozenset()
        # parameters the caller knows to be ints (`x.shape[1]`): `d op= v` rebinds them too
        ints = tuple(i for i, k in (param_seqs or {}).items() if k == "i")
        nums, helper_ndims = self.caller_facts = split_facts(module.next_facts)  # (a helper's)
        nones = none_facts(module.next_facts)  # (None passed: `passes/alias_nones.py`)
        self.number_boxes = boxes = module.next_boxes | box_facts(module.next_facts)  # (numbers)
        kinds = callfacts.check_kinds(module.next_facts, param_seqs)  # (for the check)
        module.next_facts, module.next_boxes = (), frozenset()
        self.linear_result, module.next_linear = module.next_linear, False
        arrays, module.next_arrays = module.next_arrays, {}
        fixed, module.next_fixed = module.next_fixed, None  # (the entry point's)
        self.param_items, module.next_items = module.next_items, {}  # (the entry point's)
        self.param_exact, module.next_exact = module.next_exact, {}  # (the entry point's)
        self.fixed_consts = fixed is not None
        # its parameters known to be numbers or arrays of numbers (for `boolmasks.fixed_values`)
        self.numeric_params = frozenset(
            (*scalar_params, *(param_ndims or ()), *arrays, *(fixed or ()))
        )
        scal = (*scalar_params, *ints, *nums)
        alias_ndims = param_ndims if param_ndims is None else {**arrays, **param_ndims}
        f64 = tuple(param_ndims or ())  # (float64 arrays: `arrays` holds the others)
        check_augmented_for(fn, scal, alias_ndims, kinds, helper_ndims, boxes, nones, f64)
        new_epoch()  # kept rule lowerings: their module reads checked again (ad/template.py)
        self.fn = clone_function(fn)
        module.params_of[id(self.fn)] = (self.fn, self.param_ndims, scalar_params, self)
        aug = fn.augmented + fn.item_augmented  # clones of `x op= v`, `c[k] op= v` (receivers)
        self.augmented = cloned_ops(fn, self.fn, aug) if aug else frozenset()
        drop_numbers(self.fn, (*scalar_params, *ints))  # `x op= v` of a number: no write-back

    def analyze(self) -> None:
        """Varied values, known parameter classes/values (for calls) and scalars, on `self.fn`."""
        fn = self.fn
        self.types_of = {fn.params[i]: t for i, t in self.param_types.items()}
        self.known = {fn.params[i]: v for i, v in self.param_values.items()}
        library_calls(fn, self.table, self.known)  # `f(y)` of `f = np.sin` handed to a method
        exact = {fn.params[i]: t for i, t in self.param_exact.items()}
        fold_type_switches(fn, self.types_of, exact)  # `if isinstance(s, C)`, s's class known
        resolve_receivers(self)  # user methods named like NumPy's: calls, not rules
        fold_type_switches(fn, self.types_of)  # (and the classes of ``C(...)`` results)
        call_getters(self)  # `q.degree`, a property of q's known class: its getter called
        cast_augmented(fn, self.augmented, transform_seeds(self))  # `t += x`, t float32
        badcalls.raise_bad_calls(self)  # (`f(a, b)` of a one-parameter `f`: Python's TypeError)
        kinds = seq_kinds(fn, self.seq_seeds(), self.known)
        changed = arrayize(fn, kinds, self.table)  # lists NumPy takes as arrays: arrays first
        dict_merges(fn, kinds)  # `a | b` of dicts: a merge, not a bitwise or
        active = {fn.params[i] for i in self.wrt}
        self.varied: set[Var] = varied_vars(fn, active, self.table, self.user_ops)
        check_complex(self)  # values that may be complex: ops without complex rules refused
        refuse_varied_keys(fn, self.varied, kinds)
        refuse_parsed_text(fn, self.varied)
        guard_field_zero_attrs(fn, self.varied, self.types_of, self.kinds)
        changed = guard_receivers(self) or changed
        self.compute_scalars(None if changed else kinds)  # the same IR: the same kinds
        self.check_inactive_calls()
        check_global_effects(self)  # `HIST.append(loss)` read back (lower/globaleffects.py)
        if fn.one_shot_args:
            refuse_one_shot_calls(fn, self.types_of, self.known, self.module.derive)
        self.varied -= dead_vars(fn, self.varied, self.user_ops)  # (no result reads: ad/live.py)
        privcopy.copy_private_args(self)  # (a helper's update of a value the sweep reads)

    def check_inactive_calls(self) -> None:
        """A call that carries no derivative runs the user's function as it is; if that function
        updates an argument in place, values the reverse sweep (or the rest of the primal) reads
        later would see the change, so such calls are refused like differentiated ones."""
        for op in ops_of(self.fn.body):
            if op.prim != "call" or any(r in self.varied for r in op.results):
                continue  # differentiated calls are checked when they are bound
            try:
                target = user_call(self.fn, op, self.types_of, self.known, self.module.derive)
            except SrcadError:
                continue  # not a user function srcad can read: left to Python, as before
            if target is None or not target[0].param_mutations:
                continue
            callee_fn, pyfunc, pos, kw = target
            try:
                bound = inspect.signature(pyfunc).bind(*pos, **kw)
            except TypeError:
                continue
            args = [bound.arguments.get(n) for n in callee_fn.param_names]
            refuse_argument_mutation(self, callee_fn, args, op, self.private_args(args))

    def private_args(self, args: list, bare: bool = False) -> frozenset[int]:
        """Positions of `args` holding `_private_temporaries` (computed on first need); `bare`:
        only those holding no other object (a differentiated callee's update of an object
        inside the temporary would be lost; a call carrying no derivative runs Python's)."""
        if getattr(self, "_temporaries", None) is None:
            self._temporaries = _private_temporaries(self)
        temps = self._temporaries
        held = [isinstance(a, Var) and a in temps for a in args]  # (a default may be a list)
        return frozenset(i for i, a in enumerate(args) if held[i] and not (bare and temps[a]))

    def bind_callee(self, op: Any, target: tuple, b: Any, mode: str) -> tuple:
        """Bind a user-function call's operands to the callee's parameters.

        -> (operands in parameter order, differentiated positions, key of the generated version,
        parameter classes, functions passed in, what is known of the others: `receivers.DEEP`/
        `PLAIN`, their list/tuple kinds: `seqs`)."""
        callee_fn, pyfunc, pos, kw = target
        try:
            bound = inspect.signature(pyfunc).bind(*pos, **kw)
        except TypeError as e:
            raise diff_error(self.fn, op, f"bad call of `{pyfunc.__name__}`: {e}") from None
        args = bound_operands(bound, callee_fn.param_names, b)  # (defaults applied)
        # a private temporary's own update is unseen; an object inside it may be the caller's
        private = self.private_args(args, True) if callee_fn.param_mutations else frozenset()
        refuse_argument_mutation(self, callee_fn, args, op, private)
        wrt = tuple(k for k, a in enumerate(args) if is_varied(a, self.varied))
        ptypes = operand_types(self.fn, args, self.types_of)
        pvals = function_args(self.fn, args, self.known)
        pkinds = operand_kinds(args, self.kinds)
        pseqs = operand_seqs(args, self.seqkinds)
        cplx = complex_args(args, self.complex)
        key = generated_key(mode, pyfunc, wrt, types=ptypes, values=pvals, kinds=pkinds, seqs=pseqs)
        if cplx:  # the callee's transform, made next if the key is new, checks them
            key += (("complex", tuple(sorted(cplx))),)
        self.module.next_complex = cplx
        facts = call_facts(self, callee_fn, args)  # (for its mutation check: srcad.ad.callfacts)
        if facts:
            key += (("facts", facts),)
        self.module.next_facts = facts
        key += linear_key(self, op)  # (its magnitudes' second-order checks: ad/abscheck.py)
        return args, wrt, key, ptypes, pvals, pkinds, pseqs

    def inexact(self) -> set[Var]:
        """Vars certainly holding float (complex) arrays: ``x[i] = v`` into them keeps `v`'s
        derivative without a run-time dtype check (`srcad.passes.scalars.inexact_vars`)."""
        if getattr(self, "_inexact", None) is None:
            ndims = {self.fn.params[i]: n for i, n in self.param_ndims.items()}
            self._inexact = inexact_vars(self.fn, ndims, getattr(self, "scalars", set()))
        return self._inexact

    def seq_seeds(self) -> dict[Var, Any]:
        """The list/tuple kinds of the parameters (`srcad.ad.seqs`)."""
        fn = self.fn
        if self.param_seqs is not None:
            return {fn.params[i]: k for i, k in self.param_seqs.items()}
        # no argument values (`srcad.source(f)` / `srcad dump` without args): show the version
        # for array or float arguments; calls always pass their arguments' kinds
        seeds: dict[Var, Any] = {p: "a" for p in fn.params}
        seeds.update({fn.params[i]: "n" for i in self.scalar_params})
        seeds.update({fn.params[i]: "f" for i in self.param_ndims})
        return seeds

    def compute_scalars(self, kinds: dict[Var, Any] | None = None) -> None:
        """`kinds`: ``seq_kinds`` of `self.fn` as it is, when the caller has them."""
        fn = self.fn
        pys = {fn.params[i] for i in self.scalar_params}
        ndims = {fn.params[i]: n for i, n in self.param_ndims.items()}
        self.scalar_facts = scalar_facts(fn, pys, ndims)  # the reverse sweep reads its parts
        if row_elements(fn, self.scalar_facts.ranks, self.scalar_facts.ints):  # `A[i][j]`
            self.scalar_facts = scalar_facts(fn, pys, ndims)  # (its `A[i, j]` are numbers)
        hoist_loop_indices(fn, self.scalar_facts.ranks)  # (before tapes: `passes/hoist.py`)
        self.scalars = self.scalar_facts.scal
        self.fdivs = risky_divisions(fn, pys, ndims)
        if kinds is None:
            kinds = seq_kinds(fn, self.seq_seeds(), self.known)
        for v, k in getattr(self, "seqkinds", {}).items():  # before calls became generated ones
            kinds.setdefault(v, k)
        self.seqkinds = kinds
        # `+`/`*` ops that may concatenate/repeat lists: rules that look at the values
        self.seq_ops = dispatch_ops(fn, self.seqkinds)


def generated_key(
    mode: str,
    pyfunc: Any,
    wrt: tuple[int, ...],
    *,
    scalars: tuple[int, ...] = (),
    ndims: dict[int, int] | None = None,
    types: dict[int, type] | None = None,
    values: dict[int, Any] | None = None,
    kinds: dict[int, Any] | None = None,
    seqs: dict[int, Any] | None = None,
) -> tuple:
    """The one key of a generated function ("already generated"): everything its transform
    depends on. A called helper is transformed with no scalar parameters and no ranks; the
    function the user differentiates (`entry_key`) with what its arguments are, so a recursive
    call finds the entry point only when the entry was generated for no more than the call knows
    (a version specialized for Python numbers or 1-D arrays is not reused for other values)."""
    return (
        mode,
        pyfunc,
        tuple(wrt),
        tuple(scalars),
        tuple(sorted((ndims or {}).items())),
        tuple(sorted((k, id(t)) for k, t in (types or {}).items())),
        tuple(sorted((k, id(v)) for k, v in (values or {}).items())),
        tuple(sorted((kinds or {}).items())),
        tuple(sorted((seqs or {}).items())),
    )


def entry_key(
    mode: str,
    pyfunc: Any,
    nparams: int,
    wrt: tuple[int, ...],
    scalars: tuple[int, ...],
    ndims: dict[int, int],
    types: dict[int, type],
    seqs: dict[int, Any] | None,
) -> tuple:
    """`generated_key` of the function the user differentiates, with the parameter kinds its
    transform starts from (`receivers.seeds_of`, `Transform.compute_scalars`)."""
    display = seqs is None  # no argument values: the version for array or float arguments
    if display:
        seqs = {i: "f" if i in ndims else "n" if i in scalars else "a" for i in range(nparams)}
    deep = tuple(range(nparams)) if display else scalars  # (`receivers.seeds_of`: DEEP)
    kinds = dict(entry_key_kinds(nparams, deep, ndims, types))
    return generated_key(
        mode, pyfunc, wrt, scalars=scalars, ndims=ndims, types=types, kinds=kinds, seqs=seqs
    )


def refuse_one_shot_calls(
    fn: Function, types_of: dict | None = None, known: dict | None = None, derive: Any = None
) -> None:
    """A one-shot iterator (``h(v * v for v in x)``) passed to a user function that reads that
    parameter twice: Python's second read sees it exhausted, srcad's a list (the lowering makes
    one). Refused, differentiated or not, in the primal round trip too (lower/oneshot.py)."""
    for op in walk_ops(fn.body):
        at = fn.one_shot_args.get((op.loc.line, op.loc.col)) if op.loc else None
        if at is None or not (op.prim == "call" or op.prim.startswith("method.")):
            continue
        try:
            target = user_call(fn, op, types_of, known, derive)
        except SrcadError:
            continue  # not a user function srcad can read: Python runs it as written
        if target is None:
            continue
        _callee, pyfunc, pos, kw = target
        try:
            bound = inspect.signature(pyfunc).bind(*pos, **kw).arguments
            reread = reread_params_of(pyfunc)
        except (TypeError, SrcadError):
            continue
        shots = [op.args[1 + k] for k in at[0] if 1 + k < len(op.args)]
        shots += [op.kwargs[k] for k in at[1] if k in op.kwargs]
        for name, v in bound.items():
            if name in reread and any(v is s for s in shots):
                raise diff_error(
                    fn,
                    op,
                    "a one-shot iterator (a generator expression, map, filter, enumerate or "
                    f"reversed) passed as `{name}` of `{pyfunc.__name__}`, which reads it more "
                    "than once: Python's second read finds it exhausted, srcad would see a list",
                    "pass a list (`[... for ...]` or `list(...)`)",
                )


def cloned_ops(fn: Function, clone: Function, ops: list) -> frozenset:
    """The ops of `clone` that copy `ops` of `fn` (`clone_function` keeps the walk order)."""
    marks = {id(op) for op in ops}
    return frozenset(c for o, c in zip(walk_ops(fn.body), walk_ops(clone.body)) if id(o) in marks)


def _private_temporaries(tr: Transform) -> dict[Var, bool]:
    """Values made fresh by their op (or returned fresh by a user function: `_fresh_call`) and
    read once: a call that updates such a value in place changes an object nothing else can see
    (`helper(np.arange(3.0))`; fluid code's `vx, vy = project(advect(vx, ...), ...)`). -> whether
    the value may hold other objects (``[a]``, a tuple, a helper's list of its arguments)."""
    counts = uses(tr.fn.body)
    reg = default_registry()
    out: dict[Var, bool] = {}
    scal = getattr(tr, "scalars", set())
    for op in walk_ops(tr.fn.body):
        if len(op.results) != 1 or counts.get(op.result) != 1:
            continue
        rec = reg.get(op.prim)
        if op.prim in ("list", "tuple", "dict") and all(_number(scal, a) for a in op.args):
            out[op.result] = False  # `[float(x[0]), 2.0]`: a new list of numbers
        elif rec.new:
            out[op.result] = op.prim in _BOXES or bool(rec.copies or rec.container)
        elif callfacts.new_numbers(op, rec, lambda a: _numeric(tr, a) or deep(tr, a)):
            out[op.result] = False  # `np.cos(z)`, `y.mean(axis=1)`: a new array of numbers
        elif op.prim == "call" and (holds := _fresh_call(tr, op, out)) is not None:
            out[op.result] = holds
    return out


_BOXES = frozenset({"tuple", "list", "dict", "builtins.dict", "builtins.list", "builtins.tuple"})


def _number(scal: set, a: object) -> bool:
    """`a` is a Python number constant, a string (a dict key) or a Var in `scal` (a number)."""
    return type(a.value) in (int, float, bool, str) if isinstance(a, Const) else a in scal


def _fresh_call(tr: Transform, op: Any, temps: dict) -> bool | None:
    """Whether the new object the user function `op` calls returns may hold other objects (an
    element of an argument holding no objects, such as a float array's, is a number; the
    argument itself, or a view of it, where that is one of the private `temps`: ``bump(bump(
    np.sin(x)))``); None when the result may be something else than a new object."""
    try:
        target = user_call(tr.fn, op, tr.types_of, tr.known, tr.module.derive)
        bound = target and inspect.signature(target[1]).bind(*target[2], **target[3])
    except (SrcadError, TypeError):
        return None
    if not target or shares_results(static_value(tr.fn, op.args[0])[1]):
        return None
    callee, _, _, _ = target
    args = [bound.arguments.get(n) for n in callee.param_names]
    holds = False
    for kind, i in return_sources(callee):
        a = args[i] if kind in ("p", "pe") and i < len(args) else None
        if kind == "m" or kind == "p" and isinstance(a, Var) and a in temps:
            holds = holds or kind == "m" or temps[a]  # (objects it made: `[np.zeros(2)]`)
        elif kind == "p" or not (
            isinstance(a, Var) and (_holds_no_objects(tr, a) or _numeric(tr, a))
        ):
            return None
    return holds


def refuse_argument_mutation(
    tr: Transform,
    callee: Function,
    args: list,
    op: Any,
    skip: frozenset[int] = frozenset(),
) -> None:
    """A user function that updates one of its arguments in place changes the caller's object:
    the functional IR cannot carry that back, so such a call is refused (unless the update is
    `x op= v` on a number, which only rebinds, or touches objects inside an argument that is a
    number or an array, which holds none; or the callee's check, told which arguments are
    numbers and float arrays of known rank, finds no update: ``a = x[0]; a += v`` of a 1-D
    array). Positions in `skip` are known to be safe."""
    typed, skip = None, skip | callfacts.written_back(tr, callee, args)
    for i, (kind, mop) in sorted(callee.param_mutations.items()):
        if i >= len(args) or i in skip or is_none(args[i]):  # (`out=None`, rebound inside)
            continue
        a = args[i]
        if kind != "always" and (not isinstance(a, Var) or a in tr.scalars or _int(tr, a)):
            continue
        if kind == "augmented" and (_reduced_number(tr, a) or global_number(tr, a)):
            continue
        if kind == "element" and _holds_no_objects(tr, a):
            continue
        if kind != "always":
            if typed is None:
                typed = callfacts.typed_mutations(callee, call_facts(tr, callee, args, True))
            if i not in typed:
                continue
        name, names = callee.param_names[i], callee.param_names
        at = _update_line(callee, mop, name)
        where = f" (line {at})" if at else ""
        hint = f"make `{callee.name}` return the new value and assign it here"
        others = [names[k] for k, b in enumerate(args[: len(names)]) if k != i and _box(tr, b)]
        if others:  # (nbody's `pairs` of the lists `bodies` holds)
            hint += (
                f"; `{others[0]}`, passed too, may hold the same objects, and would not see "
                f"the new ones: rebuild it from the returned value (or pass only `{name}`)"
            )
        raise diff_error(
            tr.fn,
            op,
            f"`{callee.name}` modifies its argument `{name}` in place{where}; srcad cannot "
            "carry that change back to this caller",
            hint,
        )


def _box(tr: Transform, a: object) -> bool:
    """`a` is a list, tuple or dict (srcad.ad.seqs) that may hold objects."""
    k = getattr(tr, "seqkinds", {}).get(a) if isinstance(a, Var) else None
    return isinstance(k, tuple) and k[0] in "sd" and not _holds_no_objects(tr, a)


# NumPy reductions over every axis (no axis, keepdims, out given): of a float array, a float or
# an int, a NumPy scalar, which ``a op= v`` in the callee only rebinds
_FULL_REDUCTIONS = frozenset(
    f"{m}.{n}"
    for m in ("numpy", "method")
    for n in ("sum", "mean", "prod", "max", "min", "std", "var", "amax", "amin")
) | {"numpy.linalg.norm", "numpy.median"}


def _reduced_number(tr: Transform, a: Var) -> bool:
    """`a` is made by a full reduction (`_FULL_REDUCTIONS`) of a numeric value (`_numeric`)."""
    op = next((o for o in walk_ops(tr.fn.body) if a in o.results), None)
    if op is None or op.prim not in _FULL_REDUCTIONS or len(op.args) != 1 or op.kwargs:
        return False
    x = op.args[0]
    return isinstance(x, Var) and (x in tr.scalars or _numeric(tr, x))


def _numeric(tr: Transform, a: Var) -> bool:
    """`a` is a float array (of known or unknown rank), a float or an int: it holds no objects
    (list kinds, `srcad.ad.kinds`: "f" is a float or float64 array)."""
    return a in tr.inexact() or getattr(tr, "seqkinds", {}).get(a) in ("f", "i")


def _int(tr: Transform, a: Var) -> bool:
    """`a` is an int or a NumPy integer (its list kind, `srcad.ad.seqs`: ``x.shape[1]`` of an
    array is one), which ``a op= v`` in the callee only rebinds."""
    return getattr(tr, "seqkinds", {}).get(a) == "i"


def _holds_no_objects(tr: Transform, a: Var) -> bool:
    """`a` is certainly a number or an array (arguments of known rank, 1-D arrays)."""
    fn = tr.fn
    if a in fn.params and fn.params.index(a) in tr.param_ndims:
        return True
    ndims = {fn.params[i]: n for i, n in tr.param_ndims.items()}
    return a in one_d_vars(fn, ndims, tr.scalars)


def _update_line(callee: Function, mop: Any, name: str) -> int | None:
    """The line of the update of parameter `name` the mutation `mop` stands for: a write-back
    (lower/argcopy.py) is located at the ``def``; the first op rebinding the copy is the update."""
    if mop.prim != "srcad.runtime.write_back":
        return mop.loc.line if mop.loc else None
    for op in walk_ops(callee.body):
        if op.loc and op.prim not in _COPY_OPS and any(r.hint == name for r in op.results):
            return op.loc.line
    return None


_COPY_OPS = ("srcad.runtime.entry_copy", "srcad.runtime.write_back")
