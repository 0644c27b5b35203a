"""What a caller knows of a helper's arguments, for the helper's mutation check.

Input: the caller's `Transform` (its scalars and float ranks), the called helper's IR and the
call's operands in parameter order. Output: ((position, rank), ...), rank -1 for a number, -2
for a list or tuple the caller built of numbers only (``bump([x[0], x[1]])``: it holds no object,
``a = l[0]; a += 2.0`` rebinds `a`), `DICT` for a dict of numbers only (the caller's own
parameter), `NONE` for None (``out=None`` left out: passes/alias_nones.py).

A helper is transformed without its arguments' types (one version serves every caller), so
`passes/alias.check_transform` assumes any argument may be a list or an array of any rank: a
helper that swaps ``y[0], y[1] = y[1], y[0]`` or copies ``t = a[j].copy()`` is refused although
the same function differentiated directly is accepted. When the helper has hazards only argument
types can excuse (`alias_deferred`), or that calls a function updating an argument in place
(`needs_facts`: ``E = M; E -= dE`` of ``kepler(p[0], e)`` in ``model(p)`` called by ``loss``),
its caller hands over what it knows, and the generated helper's key records it (a version
checked for 1-D arrays is not reused for a 2-D call); the helper's own calls then count what
its caller told it (`_from_caller`: ``p[0]`` of a 1-D `p` is a number)."""

from __future__ import annotations

import types
from typing import Any

from srcad.ad.kinds import constant_kind
from srcad.errors import SrcadError
from srcad.frontend.source import unwrap
from srcad.lower.reads import ItemRead, NumbersRead, note_read, number_items, rely_on_numbers
from srcad.lower.values import static_value
from srcad.passes.alias import typed_param_mutations
from srcad.passes.classnums import writes_globals
from srcad.passes.prepare import lowered
from srcad.passes.ranks import float_ranks
from srcad.passes.scalars import scalar_vars
from srcad.ssa.core import Const, Function, Op, Var, uses, walk_ops

_NUMBER = (int, float, bool)
NONE = -3  # the rank of a None operand
DICT = -4  # the rank of a dict of numbers


def call_facts(tr: Any, callee: Function, args: list, always: bool = False) -> tuple:
    """((position, rank), ...) of the operands the caller knows to be numbers (-1) or float
    arrays of a known rank; () when the helper's check needs no types (unless `always`: for
    `ad.base.refuse_argument_mutation`)."""
    if not always and not needs_facts(callee):
        return ()
    facts = getattr(tr, "scalar_facts", None)  # (made by `Transform.analyze`)
    ranks = (facts.ranks if facts is not None else None) or {}
    scal = getattr(tr, "scalars", ())
    told = _from_caller(tr)
    if told is not None:  # (a helper: what its own caller knows of its parameters, followed)
        scal, ranks = set(scal) | told[0], {**told[1], **ranks}
    out = []
    for k, a in enumerate(args):
        if isinstance(a, Const):
            if a.value is None:  # (immutable: passes/alias_nones.py decides its `is None`)
                out.append((k, NONE))
            elif type(a.value) in _NUMBER:
                out.append((k, -1))
            elif type(a.value) in (list, tuple) and all(type(v) in _NUMBER for v in a.value):
                out.append((k, -2))  # (a display of constants, made anew by each call)
        elif isinstance(a, Var):
            if a in scal or a in _seq_numbers(tr, scal) or global_number(tr, a):
                out.append((k, -1))  # (a global number: its kind is in the cache key)
            elif ranks.get(a, 0) >= 1:  # (a 0-d array is updated in place, as no number is)
                out.append((k, ranks[a]))
            elif a in _number_box_params(tr):
                out.append((k, DICT if a in _number_dict_params(tr) else -2))
            elif _number_seq(tr, a, scal) or global_numbers(tr, a) or _listed_numbers(tr, a, ranks):
                out.append((k, -2))
            elif _number_dict(tr, a, scal):
                out.append((k, DICT))
    return tuple(out)


def needs_facts(callee: Function) -> bool:
    """`callee`'s transform decides a mutation hazard by its arguments' types: its own
    (`alias_deferred`), or one of a user function it calls by name that updates an argument in
    place (``E = M; E -= dE``: only if `M` is a number or a 1-D array's item is that a rebinding),
    or that needs them itself. Cached on `callee`."""
    if getattr(callee, "alias_deferred", False):
        return True
    got = getattr(callee, "needs_facts", None)
    if got is not None:
        return got
    callee.needs_facts = False  # (a recursive call: what the rest decides)
    for op in walk_ops(callee.body):
        if op.prim != "call" or not op.args:
            continue
        try:
            ok, obj = static_value(callee, op.args[0])
            pyfunc = unwrap(obj) if ok else None
            if not isinstance(pyfunc, types.FunctionType):
                continue
            sub = lowered(pyfunc)
        except (SrcadError, TypeError, ValueError):
            continue
        if sub.param_mutations or needs_facts(sub):
            callee.needs_facts = True
            break
    return callee.needs_facts


def _from_caller(tr: Any) -> tuple[set, dict] | None:
    """(numbers, {var: rank} of float arrays) of the helper `tr` transforms, from the facts its
    caller handed over (`Transform.caller_facts`); None without any. Computed once."""
    nums, ndims = getattr(tr, "caller_facts", ((), None))
    if not nums and not ndims:
        return None
    got = getattr(tr, "_told", None)
    if got is not None and got[0] is tr.fn:
        return got[1]
    params = tr.fn.params
    seeds = {params[i] for i in nums if i < len(params)} | set(getattr(tr, "scalars", ()))
    nd = {params[i]: r for i, r in (ndims or {}).items() if i < len(params)}
    scal = scalar_vars(tr.fn, seeds, nd)
    out = (scal, float_ranks(tr.fn, nd, scal) if nd else {})
    tr._told = (tr.fn, out)
    return out


def _seq_numbers(tr: Any, scal: Any) -> Any:
    """The caller's numbers read out of its own lists/tuples of numbers (``p[0]``, ``max(p)``
    of a list argument holding floats: `Spec.numbers`), besides `scal`; computed once."""
    got = getattr(tr, "_seq_nums", None)
    if got is not None and got[0] is tr.fn:
        return got[1]
    kinds, params = getattr(tr, "param_seqs", None) or {}, tr.fn.params
    seqs = frozenset(params[i] for i in getattr(tr, "number_boxes", ())
                     if i < len(params) and type(kinds.get(i)) is tuple and kinds[i][0] == "s")  # fmt: skip
    out = scalar_vars(tr.fn, set(scal), None, "", seqs) - set(scal) if seqs else frozenset()
    tr._seq_nums = (tr.fn, out)
    return out


def _number_box_params(tr: Any) -> frozenset:
    """The caller's own list/dict parameters that hold numbers only (its `number_boxes`)."""
    params = tr.fn.params
    return frozenset(params[i] for i in getattr(tr, "number_boxes", ()) if i < len(params))


def _number_dict_params(tr: Any) -> frozenset:
    """Those of `_number_box_params` that are dicts (`param_seqs` kind ``("d", ...)``)."""
    kinds, params = getattr(tr, "param_seqs", None) or {}, tr.fn.params
    return frozenset(
        params[i]
        for i in getattr(tr, "number_boxes", ())
        if i < len(params) and type(kinds.get(i)) is tuple and kinds[i][0] == "d"
    )


_DISPLAYS = ("list", "tuple")
_COPIES = ("builtins.list", "builtins.tuple")
_MAKERS = (*_DISPLAYS, *_COPIES, "dict")


def _seq_def(tr: Any, a: Var) -> Op | None:
    """The op making `a` when it is a list/tuple display or ``list(v)``/``tuple(v)`` (one map
    per caller function, made on first use)."""
    defs = getattr(tr, "_seq_defs", None)
    if defs is None or defs[0] is not tr.fn:
        made = {op.result: op for op in walk_ops(tr.fn.body) if op.prim in _MAKERS}
        defs = tr._seq_defs = (tr.fn, made)
    return defs[1].get(a)


def _number_seq(tr: Any, a: Var, scal: Any) -> bool:
    """`a` is made by a ``[...]`` or ``(...)`` display of the caller's numbers (SSA: an update
    of it made another value)."""
    op = _seq_def(tr, a)
    if op is None or op.prim not in _DISPLAYS or op.kwargs or len(op.results) != 1:
        return False
    return all(type(v.value) in _NUMBER if isinstance(v, Const) else v in scal for v in op.args)


def _number_dict(tr: Any, a: Var, scal: Any) -> bool:
    """`a` is made by a ``{k: v, ...}`` display (or ``dict(k=v, ...)``) whose values are the
    caller's numbers (``cfg = {"i": 1, "scale": 2.0}`` passed to ``h(x, cfg)``, which does
    ``s = x[cfg["i"]]; s *= cfg["scale"]``): its items are numbers, as a dict of numbers the
    user passes (`Spec.numbers`) is (SSA: an update of it made another value)."""
    op = _seq_def(tr, a)
    if op is None or op.prim != "dict" or op.kwargs or len(op.results) != 1 or len(op.args) % 2:
        return False
    vals = op.args[1::2]
    return all(type(v.value) in _NUMBER if isinstance(v, Const) else v in scal for v in vals)


def _listed_numbers(tr: Any, a: Var, ranks: dict) -> bool:
    """`a` is ``list(v)`` or ``tuple(v)`` of a 1-D float array or of the caller's own list of
    numbers (``u = list(u0)`` passed to ``times(u, s)``, as spectral_norm does): a new list
    whose items are numbers, which hold no object."""
    op = _seq_def(tr, a)
    if op is None or op.prim not in _COPIES or op.kwargs or op.results != [a]:
        return False
    if len(op.args) != 1 or not isinstance(op.args[0], Var):
        return False
    v = op.args[0]
    return ranks.get(v, 0) == 1 or v in _number_box_params(tr)


def box_facts(facts: tuple) -> frozenset:
    """Positions of the lists, tuples and dicts of numbers."""
    return frozenset(k for k, r in facts if r in (-2, DICT))


def typed_mutations(callee: Function, facts: tuple) -> dict:
    """`passes.alias.typed_param_mutations` of `callee` for a call whose `call_facts` are
    `facts` (those of its parameters: a derivative called inside differentiated code, whose
    adapter is checked as its function, takes tangents after them: ad/compose._adapter)."""
    callee = getattr(callee, "level_of", callee)  # (a derivative's adapter: its function's)
    facts = tuple((k, r) for k, r in facts if k < len(callee.params))
    nums, ndims = split_facts(facts)
    return typed_param_mutations(callee, nums, ndims, box_facts(facts), seq_facts(facts))


def written_back(tr: Any, callee: Function, args: list) -> frozenset[int]:
    """For a derivative called inside differentiated code (`callee` an ad/compose._adapter,
    whose level updates the caller's objects itself: `writes_back`), the positions whose
    argument is a parameter of the function the request differentiates (`Module.entry`, not
    a helper's) read by this call only: no later read sees the
    update (``srcad.grad(lambda z: np.sum(srcad.grad(f)(z) ** 2))``), the caller's caller sees
    it as from Python. Any other argument the level updates is refused (a read after the call
    would take the old value: a wrong derivative)."""
    entry = getattr(getattr(tr, "module", None), "entry", None)
    if not getattr(callee, "writes_back", False) or entry is None or tr.src is not entry:
        return frozenset()  # (a helper's parameter: its caller may read the object again)
    if (tr.src.filename or "").startswith("<srcad:"):  # (generated derivative code: lowered
        return frozenset()  # again inside a caller's, lower/deeper.py, whose check misses it)
    counts, params = uses(tr.fn.body), set(tr.fn.params)
    return frozenset(
        k for k, a in enumerate(args) if type(a) is Var and a in params and counts.get(a) == 1
    )


def check_kinds(facts: tuple, param_seqs: dict | None) -> dict | None:
    """`param_seqs` for a helper's mutation check (`passes/alias.check_transform`): with the
    lists and tuples of numbers its caller passes (a global ``TAGS = [0, 2]``, whose kind the
    caller's `ad.seqs` does not record) as lists of numbers, ``("s", None)``, and its dicts of
    numbers (a ``{"i": 1}`` display) as dicts, ``("d", None)``."""
    seqs = seq_facts(facts)
    dicts = frozenset(k for k, r in facts if r == DICT)
    if not seqs and not dicts:
        return param_seqs
    told = {**dict.fromkeys(dicts, ("d", None)), **dict.fromkeys(seqs, ("s", None))}
    return {**told, **(param_seqs or {})}


def seq_facts(facts: tuple) -> frozenset:
    """Positions of the lists and tuples of numbers (their items are numbers: ``x[0, tags[0]]``
    of a 2-D array is a number too)."""
    return frozenset(k for k, r in facts if r == -2)


def none_facts(facts: tuple) -> tuple:
    """Positions of the None operands."""
    return tuple(k for k, r in facts if r == NONE)


def split_facts(facts: tuple) -> tuple[tuple, dict | None]:
    """(positions of numbers, {position: rank} of float arrays or None)."""
    nums = tuple(k for k, r in facts if r == -1)
    ndims = {k: r for k, r in facts if r >= 0}
    return nums, (ndims or None)


def global_number(tr: Any, a: Any) -> bool:
    """`a` is read from a module global or closure cell holding a Python or NumPy number (``GS =
    0.7``): ``c *= v`` in a helper only rebinds `c`. The value's kind is part of the cache key
    (`srcad.backend.cache.global_kinds`): rebound to an array, the caller is transformed anew."""
    fn = tr.fn
    if not isinstance(a, Var) or fn.namespace is None:
        return False
    op = next((o for o in walk_ops(fn.body) if a in o.results), None)
    if op is None or op.prim not in ("global", "free") or op.params.get("generated"):
        return False
    name = op.params.get("name")
    if not isinstance(name, str):
        return False
    kind, value = fn.namespace.lookup(name)
    return kind != "missing" and constant_kind(value) in ("f", "i")


_MAX_GLOBAL_NUMBERS = 256  # items of a global list checked on every call (`NumbersRead`)


def global_numbers(tr: Any, a: Any) -> bool:
    """`a` is read from a module global holding a list or tuple of Python numbers (``TAGS = [0,
    2, 1]`` passed to ``h(tags, x)``, which does ``j = tags[i]; j += 1``): it holds no object.
    The binding and the items' kinds are recorded reads (`srcad.lower.reads.NumbersRead`): an
    item that becomes a list, or the name rebound, makes the transform again."""
    fn = tr.fn
    if not isinstance(a, Var) or fn.namespace is None:
        return False
    op = next((o for o in walk_ops(fn.body) if a in o.results), None)
    if op is None or op.prim != "global" or op.params.get("generated"):
        return False
    name = op.params.get("name")
    if not isinstance(name, str):
        return False
    kind, value = fn.namespace.lookup(name)
    if kind != "global" or not number_items(value, _MAX_GLOBAL_NUMBERS):
        return False
    entry = getattr(getattr(tr, "module", None), "entry", None)
    if any(writes_globals(f, lowered, True) for f in (fn, entry) if f is not None):
        return False  # (an item may change before the helper reads it: not the fact)
    note_read(fn.namespace.globals, ItemRead(name), value)
    note_read(value, NumbersRead(_MAX_GLOBAL_NUMBERS), True)
    rely_on_numbers(value)  # (the code's own writes into it check it: rules/effects.py)
    return True


# Reductions and copies of an array making a new array (or a NumPy scalar) of numbers: the most
# positional operands they take before `out` (the receiver or array counted).
_NEW_NUMBERS = {
    "sum": 3, "mean": 3, "prod": 3, "std": 3, "var": 3, "cumsum": 3, "cumprod": 3, "max": 2,
    "min": 2, "amax": 2, "amin": 2, "median": 2, "nansum": 3, "nanmean": 3, "ptp": 2,
    "round": 2, "clip": 3, "flatten": 2,
}  # fmt: skip


def new_numbers(op: Op, rec: Any, numeric: Any) -> bool:
    """`op` makes a new array (or NumPy scalar) of numbers, writing into no argument: a NumPy
    elementwise function (``np.cos(z)``), a reduction or a copy of a value `numeric` tells is a
    float array or a number (``y.mean(axis=1)``, ``np.sum(y, 0)``, ``y.flatten()``; a user
    object's ``mean`` method may return anything) given no output (``out=``, or positionally)."""
    if "out" in op.kwargs or "copy" in op.kwargs:
        return False
    if rec.elementwise and op.prim.startswith("numpy."):
        return True
    family, _, name = op.prim.partition(".")
    most = _NEW_NUMBERS.get(name) if family in ("numpy", "method") and "." not in name else None
    if most is None or len(op.args) > most or not (family == "numpy" or rec.owns):
        return False
    return bool(op.args) and type(op.args[0]) is Var and numeric(op.args[0])
