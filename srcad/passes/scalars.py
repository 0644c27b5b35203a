"""What values are, from what the arguments are: Python numbers, 1-D arrays, risky divisions.

Input: a `Function` and the parameters that hold Python ints/floats (or float64 arrays of known
rank) at the call being compiled (part of the cache key). Output: the Vars that are certainly
Python or NumPy scalars (`scalar_vars`), Python ints (`int_vars`), certainly 1-D arrays
(`one_d_vars`); float arrays of a known rank (`float_ranks`; `element_index`: is ``x[i, j]`` one
number of one) are `passes/ranks.py`'s, re-exported here, the divisions whose derivative could
divide a Python number by zero `passes/divisions.py`'s. The transforms use them to pick operator
rules without broadcasting (on scalars ``unbroadcast(g, x)`` is ``g``), the mutation check to
excuse `x op= v` on numbers and `x[i]` reads of 1-D arrays.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any, NamedTuple

from srcad.passes.classnums import class_number, global_boxes, global_names
from srcad.passes.flowfacts import (
    ELEMENTWISE,
    carry_fixpoint,
    is_int,
    is_scalar_const,
    is_ufunc,
    propagate,
)
from srcad.passes.ranks import (  # noqa: F401 (re-exported: the facts' users import them here)
    RANK_MAKERS,
    array_ranks,
    element_index,
    float_1d_vars,
    float_ranks,
    inexact_vars,
    tuple_defs,
)
from srcad.passes.reductions import (
    NUMPY_SCALARS,
    REDUCTIONS,
    numpy_values,
    of_number,
    reduces_whole,
)
from srcad.ssa.census import structured_ops
from srcad.ssa.core import Block, Const, Function, Op, Var

_ARITH = frozenset({"add", "sub", "mul", "truediv", "neg", "pos", "pow", "floordiv", "mod", "abs",
                    "float", "int", "round", "min", "max", "len"})  # fmt: skip
_NUMBERS = (int, float, bool)  # the constants `is_scalar_const` accepts
# a Python int or float whatever the operands are (or an exception): ``float(np.sum(v))``,
# ``float(x)`` of a 0-d or 1-element array, ``int(s)``, ``len(xs)``
_CONVERT = frozenset({"float", "int", "len"})


def scalar_vars(
    fn: Function,
    seeds: set[Var],
    ndims: dict[Var, int] | None = None,
    reductions: str = "",
    seqs: frozenset[Var] = frozenset(),
    dicts: frozenset[Var] = frozenset(),
) -> set[Var]:
    """Vars that hold Python or NumPy scalars. `ndims`: parameters known to be float arrays of
    that many dimensions (part of the cache key), so ``x[i]`` of a 1-D `x` is a scalar; so is
    ``out[i]`` (an int `i`) of a float 1-D array the function makes (`float_1d_vars`).
    `reductions` (the mutation check's): ``"known"``: a whole reduction of a NumPy float array
    of a known rank (``np.sum(x)``, ``x.mean()``, ``np.linalg.norm(x)``, ``u @ v`` of 1-D ones;
    no `axis`, `keepdims` or `out`) is a NumPy scalar, so ``t += np.sum(x)`` rebinds `t`;
    ``"any"``: so is every such reduction (the optimistic bound, whatever the operands are).
    `seqs`: parameters that are lists/tuples of numbers only (their items, and ``for v in x``'s
    `v`, are numbers); `dicts`: parameters that are dicts of numbers only (``d[k]`` a number,
    for any key, as is the value a ``d[k] = number`` leaves there)."""
    return scalar_facts(fn, seeds, ndims, reductions, seqs, dicts).scal


def known_scalar_vars(
    fn: Function,
    seeds: set[Var],
    ndims: dict[Var, int],
    seqs: frozenset,
    dicts: frozenset,
    top: bool,
) -> set[Var]:
    """`scalar_vars` for the mutation check at transform time (``"known"`` reductions); for the
    differentiated function (`top`), with the module-global lists and dicts of numbers it reads
    (`classnums.global_boxes`, recorded) among `seqs` and `dicts`."""
    gseqs, gdicts = global_boxes(fn) if top else (frozenset(), frozenset())
    return scalar_vars(fn, seeds, ndims, "known", seqs | gseqs, dicts | gdicts)


class ScalarFacts(NamedTuple):
    """`scalar_vars` and what computing it found on the way, for callers that need those too:
    `int_vars` of the function and, when its fixpoint was reached, ``float_ranks(fn, ndims,
    scal)`` (else None)."""

    scal: set[Var]
    ints: set[Var]
    ranks: dict[Var, int] | None


def scalar_facts(
    fn: Function,
    seeds: set[Var],
    ndims: dict[Var, int] | None = None,
    reductions: str = "",
    seqs: frozenset[Var] = frozenset(),
    dicts: frozenset[Var] = frozenset(),
) -> ScalarFacts:
    """`scalar_vars`, with the int Vars and the float arrays' ranks (`ScalarFacts`)."""
    ndims = ndims or {}
    ints = int_vars(fn)
    made: dict[Var, int] = {}
    indexed: set[Var] = set()  # what `x[i]` reads index (`made` matters only for those)
    red: bool | set[Var] | None = False  # `_scalar_vars`'s `red`: no whole reduction a number
    if reductions:
        red = None if reductions == "any" else numpy_values(fn, set(seeds) | set(ndims))
    scal = _scalar_vars(fn, seeds, ndims, made, ints, indexed, red, seqs, dicts)
    ranks = float_ranks(fn, ndims, scal)
    for _ in range(4):  # the two facts feed each other (``x * x[0]`` is 1-D): to a fixpoint
        new = {v: r for v, r in ranks.items() if v not in ndims}
        if new.items() <= made.items():
            return ScalarFacts(scal, ints, ranks)
        made = new
        if indexed.isdisjoint(made):  # no read of a made array: the same scalars again
            return ScalarFacts(scal, ints, ranks)
        before, scal = scal, _scalar_vars(fn, seeds, ndims, made, ints, None, red, seqs, dicts)
        if scal != before:  # else the same ranks again (a function of `scal`), and done
            ranks = float_ranks(fn, ndims, scal)
    return ScalarFacts(scal, ints, None)


def _scalar_vars(
    fn: Function,
    seeds: set[Var],
    ndims: dict[Var, int],
    made: dict[Var, int] | None = None,
    ints: set[Var] | None = None,
    indexed: set[Var] | None = None,
    red: bool | set[Var] | None = False,
    seqs: frozenset[Var] = frozenset(),
    dicts: frozenset[Var] = frozenset(),
) -> set[Var]:
    """`scalar_vars` given the float arrays the function makes (`made`: their ranks, read with
    int indices from `ints` only: an index that is a NumPy bool would select a 1-element array).
    `indexed` gets what the ``x[i]`` reads index and what the products reduce, other than the
    parameters in `ndims` (the reads of `made` arrays are all there is to `made`: the same
    scalars without those). `red`: False, or `reduces_whole`'s `numpy_vals` (whole reductions
    of those, or of anything for None, are numbers)."""
    made, ints = made or {}, ints or set()
    scal = set(seeds) | ints
    tuples: dict[Var, list] = {}
    lists: dict[Var, list] = {}
    named: dict[Var, str] = {}  # the names ``global`` ops read (passes/classnums.py)
    # what an int index reads a number from: tuples of numbers, ``np.array`` of a list of
    # numbers, 1-D float parameters, and loop carries holding those (``x, v = state``, `state` a
    # 1-D array and then ``(x, v)``)
    numtups: set[Var] = {v for v, n in ndims.items() if n == 1} | seqs
    numdicts: set[Var] = set(dicts)  # dicts of numbers: a copy, a carry, ``d[k] = number``

    def numdict(a: object) -> bool:
        return type(a) is Var and a in numdicts

    def numtup(a: object) -> bool:
        return type(a) is Var and a in numtups

    def ok(a: object) -> bool:
        return is_scalar_const(a) or (isinstance(a, Var) and (a in scal or a in ints))

    def all_ok(operands: Any) -> bool:  # `all(ok(a) for a in operands)`, one call
        for a in operands:
            if type(a) is Var:
                if a not in scal and a not in ints:
                    return False
            elif type(a) is not Const or type(a.value) not in _NUMBERS:
                return False
        return True

    # 0-d float array parameters: arithmetic and ufuncs of those and numbers give NumPy scalars
    # (``0.08 * x`` of a 0-d `x` is an np.float64), so ``d[k] -= 0.08 * x`` rebinds a number
    zero_d = {v for v, n in ndims.items() if n == 0} if red is not False else set()

    def of_0d(op: Op) -> bool:  # (the mutation check's only: `red`; the parameter stays an array)
        return bool(zero_d) and bool(op.args) and not op.kwargs and _of_0d(op.args, zero_d, ok)

    def leaf(op: Op) -> None:
        p = op.prim
        if p in _ARITH:  # the most common: looked at first (none of the names below is one)
            if p in _CONVERT or (op.args and all_ok(op.operands() if op.kwargs else op.args)):
                scal.add(op.result)
            elif p in _UFUNC_ARITH and of_0d(op):
                scal.add(op.result)
            elif p in _SEQWISE and not op.kwargs and numtups and _numwise(op.args, numtup, ok):
                numtups.add(op.result)  # ``v = v * 1.1`` of ``np.array([a, b])``: still 1-D
            elif p in _OF_NUMBERS and len(op.args) == 1 and not op.kwargs and numtup(op.args[0]):
                scal.add(op.result)  # ``max(xs)`` of numbers or a 1-D array: a number
        elif p == "getitem" and op.args[0] in ndims:
            idx = op.args[1]
            parts = (
                list(idx.value) if isinstance(idx, Const) and type(idx.value) is tuple
                else tuples.get(idx, [idx]) if isinstance(idx, Var) else [idx]
            )  # fmt: skip
            whole = all(
                (isinstance(a, Const) and type(a.value) is int)
                or (isinstance(a, Var) and (a in scal or a in ints))
                for a in parts
            )
            if whole and len(parts) == ndims[op.args[0]]:
                scal.add(op.result)
        elif p == "getitem" and op.args[0] in numtups and is_int(op.args[1], ints):
            scal.add(op.result)
        elif p == "getitem" and numdicts and numdict(op.args[0]) and not op.kwargs:
            scal.add(op.result)  # (a key the dict lacks: KeyError)
        elif p == "getitem":
            if indexed is not None:
                indexed.add(op.args[0])
            if op.args[0] in made and element_index(op.args[1], made[op.args[0]], ints, tuples):
                scal.add(op.result)
        elif p == "tuple":
            tuples[op.result] = list(op.args)
            if all_ok(op.args):
                numtups.add(op.result)
        elif p == "list":  # (not an index: x[[i, j]] picks rows)
            lists[op.result] = list(op.args)
            if all_ok(op.args):  # ``[0.0] * n``, ``[]``: its items numbers
                numtups.add(op.result)
        elif p == "list_append" and numtup(op.args[0]) and ok(op.args[1]):
            numtups.add(op.result)  # ``out.append(s)`` of a number to a list of numbers
        elif p in _FROM_LIST:
            if len(op.args) == 1 and set(op.kwargs) <= {"dtype"}:
                items = lists.get(op.args[0]) if isinstance(op.args[0], Var) else None
                if items and all_ok(items):
                    numtups.add(op.result)  # np.array([a, b, c]) of numbers: 1-D, its x[i] a number
        elif is_ufunc(p) or p in _NUMBERWISE:
            if all_ok(op.args) and not op.kwargs or (is_ufunc(p) and of_0d(op)):
                scal.add(op.result)
            elif not op.kwargs and numtups and _numwise(op.args, numtup, ok):
                numtups.add(op.result)  # ``np.sin(v)``, ``np.clip(v, lo, hi)``: 1-D of numbers
        elif p in _KEEPS_1D and not op.kwargs and numtups and _numwise(op.args, numtup, ok):
            if p != "numpy.where" or len(op.args) == 3:  # (one operand: a tuple of index arrays)
                numtups.add(op.result)  # ``v.copy()``, ``v > 0``, ``np.where(v > 0, v, 0.5 * v)``
        elif p.startswith("math.") and p not in ("math.frexp", "math.modf"):
            if p not in _MATH_ANY or all_ok(op.operands()):  # (a float of an array's one element)
                scal.add(op.result)
        elif p in _ITSELF and ok(op.args[0]):  # a number: itself
            scal.add(op.result)
        elif p in _ITSELF and numdict(op.args[0]):  # (`entry_copy` of a dict: a dict)
            numdicts.add(op.result)
        elif p == _COPY_SOURCE and len(op.args) == 4:  # `v` of ``x[i] = v`` (passes/overlap.py)
            if ok(op.args[2]):  # (``v[0], v[1] = v[1], v[0]``: numbers of a 1-D array)
                scal.add(op.result)
            elif numtup(op.args[2]):
                numtups.add(op.result)
        elif p == _AS_SEQUENCE and numtup(op.args[0]):  # (`for v in x` of a list or 1-D array)
            numtups.add(op.result)
        elif p == "sum" and len(op.args) == 1 and not op.kwargs and numtup(op.args[0]):
            scal.add(op.result)  # ``sum(xs)`` of numbers or a 1-D array: a number
        elif p in _SETITEM and len(op.args) == 3 and numdict(op.args[0]):
            if ok(op.args[2]) and not op.kwargs:
                numdicts.add(op.result)  # ``d[k] += v``: a number stored under a key
        elif p in _SETITEM and len(op.args) == 3 and numtup(op.args[0]):
            if is_int(op.args[1], ints) and ok(op.args[2]) and not op.kwargs:
                numtups.add(op.result)  # ``state[0] += dt * v``: a number stored at an int index
        elif p[:5] == "attr." and class_number(op, fn, named):  # ``class K: force = 10.0``
            scal.add(op.result)
        elif p == "global":
            global_names(op, named)
        elif red is not False and p in REDUCTIONS:
            if reduces_whole(op, red, ndims, made, indexed) or of_number(op, ok):  # type: ignore[arg-type]
                scal.add(op.result)  # (``np.sum(d[k])`` of a dict of numbers too)
        elif red is not False and p in NUMPY_SCALARS and len(op.args) == 1 and not op.kwargs:
            if ok(op.args[0]):  # np.float64(number): a NumPy scalar
                scal.add(op.result)

    propagate(fn.body, [(scal, ok), (numtups, numtup), (numdicts, numdict)], leaf, linked=True)
    return scal | ints


# of 1-D arrays/tuples/lists of numbers and numbers: one of those again (elementwise, or a
# tuple/list repeated or joined; anything else raises)
_SEQWISE = frozenset({"add", "sub", "mul", "truediv", "neg", "pos", "pow"})
# of those and numbers: 1-D again (or, comparing tuples/lists, a bool: nothing to index)
_KEEPS_1D = frozenset(
    {"numpy.copy", "method.copy", "numpy.where", "lt", "le", "gt", "ge", "eq", "ne"}
)


_OF_NUMBERS = frozenset({"max", "min"})
# Python operators that are NumPy ufuncs on arrays (``max``/``min``/``round`` are not: ``max(x,
# 0.1)`` is `x` itself)
_UFUNC_ARITH = frozenset({"add", "sub", "mul", "truediv", "neg", "pos", "pow", "floordiv", "mod",
                          "abs"})  # fmt: skip


def _of_0d(args: Any, zero_d: set, ok: Any) -> bool:
    """`args` are numbers (`ok`) and 0-d float arrays (`zero_d`), at least one of those."""
    return any(type(a) is Var and a in zero_d for a in args) and all(
        ok(a) or (type(a) is Var and a in zero_d) for a in args
    )


def _numwise(args: Any, numtup: Any, ok: Any) -> bool:
    """Some of `args` hold 1-D numbers (`numtup`), the rest numbers (`ok`)."""
    return bool(args) and any(map(numtup, args)) and all(numtup(a) or ok(a) for a in args)


# not ufuncs, but of numbers a NumPy number (``np.clip(v, -vmax, vmax)``)
_NUMBERWISE = frozenset({"numpy.clip"})
_FROM_LIST = frozenset({"numpy.array", "numpy.asarray", "numpy.asanyarray"})
# math functions that may return what their operands' methods do (``__floor__``, ``*``); every
# other one converts its operands to floats/ints and returns a Python number (or raises)
_MATH_ANY = frozenset({"math.prod", "math.sumprod", "math.floor", "math.ceil", "math.trunc"})
_AS_SEQUENCE = "srcad.runtime.as_sequence"
_COPY_SOURCE = "srcad.runtime.copy_source"
_SETITEM = frozenset({"setitem", "srcad.runtime.setitem"})
_ITSELF = frozenset({"srcad.runtime.entry_copy", "srcad.runtime.returned_arg"})  # (lower/argcopy)
_SHAPED = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full"})
_LIKE = frozenset({"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like",
                   "numpy.copy", "method.copy", "method.astype", "setitem", "srcad.runtime.entry_copy",
                   "srcad.runtime.setitem", "srcad.runtime.as_sequence",
                   "srcad.runtime.returned_arg"})  # fmt: skip


def one_d_vars(fn: Function, ndims: dict[Var, int], scal: set[Var]) -> set[Var]:
    """Vars certainly holding 1-D arrays: parameters of rank 1, `np.zeros(n)`, `np.ravel(a)`,
    copies, updates and elementwise arithmetic of those with scalars. Used to decide that `x[i]`
    is a copy (and that `np.diag` of one is a new array: ``np.diagflat``)."""
    one = {v for v, n in ndims.items() if n == 1}

    def is1(a: object) -> bool:
        return isinstance(a, Var) and a in one

    def sc(a: object) -> bool:
        return is_scalar_const(a) or (isinstance(a, Var) and a in scal)

    def visit(b: Block) -> None:
        for op in b.ops:
            p = op.prim
            if p == "if":
                for blk in op.blocks:
                    visit(blk)
                for k, r in enumerate(op.results):
                    if all(is1(blk.yields[k]) for blk in op.blocks):
                        one.add(r)
            elif p in ("for", "while"):
                carry_fixpoint(op, one, is1, visit)
            elif len(op.results) == 1:
                a = op.args
                if p == "numpy.arange" or (
                    p == "numpy.linspace" and all(map(sc, a[:2])) and "axis" not in op.kwargs
                ):  # (`np.linspace(u, v, n)` of arrays: one row per sample, `L[0]` a view)
                    one.add(op.result)
                elif (
                    p in _SHAPED
                    and a
                    and (
                        sc(a[0])
                        or (
                            isinstance(a[0], Const)
                            and type(a[0].value) is tuple
                            and len(a[0].value) == 1
                        )
                    )
                ):
                    one.add(op.result)
                elif p in _LIKE and a and is1(a[0]):
                    one.add(op.result)
                elif p == "numpy.ravel":  # of anything (a number: one element)
                    one.add(op.result)
                elif (p in ELEMENTWISE or is_ufunc(p)) and a and not op.kwargs:
                    if any(is1(x) for x in a) and all(is1(x) or sc(x) for x in a):
                        one.add(op.result)

    visit(fn.body)
    return one


_INT_OPS = frozenset({"add", "sub", "mul", "floordiv", "mod", "neg", "pos", "abs", "min", "max",
                      "lshift", "rshift", "bitand", "bitor", "bitxor"})  # fmt: skip


# one operand, no keywords: an int (``np.argmax(x)`` without `axis`: a NumPy integer scalar, which
# indexes as an int does)
_ONE_INT = frozenset({"int", "numpy.argmax", "numpy.argmin", "method.argmax", "method.argmin"})
# NumPy integer scalars of one int (``np.int64(1)``; of a list they make an array)
NP_INTS = frozenset(f"numpy.{t}" for t in ("int8", "int16", "int32", "int64", "intp", "uint8",
                                            "uint16", "uint32", "uint64", "uintp"))  # fmt: skip
# of one sequence of ints: a list / tuple of its items, or one of them
_SEQ_OF_ITEMS = frozenset({"builtins.list", "builtins.tuple", "builtins.sorted"})
_OF_ITEMS = _SEQ_OF_ITEMS | {"max", "min"}
# the value of operand k, unchanged: ``copy_source(x, idx, v, line)`` (passes/overlap.py: a swap
# ``piv[0], piv[1] = piv[1], piv[0]``) and ``as_sequence(xs)`` of a list, tuple or range
_SAME_VALUE = {"srcad.runtime.copy_source": 2, "srcad.runtime.as_sequence": 0}
# the ones only the last case of `int_vars` takes (tested for first: `+ - // %` of ints)
_ARITH_ONLY = _INT_OPS - {"mul", "max", "min"}
# the primitives a case of `int_vars` takes (each case tests for some of them first)
_SHAPES = frozenset({"attr.shape", "numpy.shape"})
_INT_LEAF = frozenset({"len", "srcad.runtime.key_pick", "range", "list", "tuple", "mul", "setitem",
                       "getitem", *_ONE_INT, *NP_INTS, *_OF_ITEMS, *_INT_OPS, *_SAME_VALUE,
                       *_SHAPES})  # fmt: skip


def int_vars(fn: Function, shaped: bool | Container[Var] = ()) -> set[Var]:
    """Vars certainly holding Python ints (never bools): int constants, ``len(...)``, ``int(...)``,
    ``np.argmax(x)`` / ``np.argmin(x)`` (NumPy integers, no `axis`), ``np.int64(i)`` of an int,
    indices of ``for`` loops (over a ``range``), and ``+ - * // % << >> & | ^``, ``abs``, ``min``/``max``
    of ints, and an int-indexed item of a list/tuple made of ints whose items only ints replace
    (its SSA value: an update through another name is the mutation check's hazard) or of a
    literal tuple of ints (``for p in (1, 0, 2)``); a ``range``
    and ``list`` / ``tuple`` / ``sorted`` of such a sequence are such sequences, ``max`` / ``min``
    of one an int, as is the position ``max(xs, key=f)`` picks (``key_pick``); ``a.shape`` and
    ``np.shape(a)`` are such tuples when `shaped` holds `a` (an ndarray), or is True (any `a`).
    Indices from these read one element of a 1-D array (a NumPy bool would select an array)."""
    # range() yields Python ints, whatever its bounds are (objects with __index__)
    ints: set[Var] = {op.blocks[-1].params[0] for op in structured_ops(fn.body) if op.prim == "for"}

    seqs: set[Var] = set()  # lists/tuples of ints: ``pivot = [0] * n; pivot[j] = jp``

    def holds(a: object) -> bool:
        return is_int(a, ints)

    def int_seq(a: object) -> bool:
        if type(a) is Const:  # a literal tuple of ints, ``for p in (1, 0, 2)`` (a list or
            v = a.value  # another global object could change before the code runs)
            return type(v) is tuple and all(type(e) is int for e in v)
        return type(a) is Var and a in seqs

    def leaf(op: Op) -> None:
        p = op.prim
        if p not in _INT_LEAF:  # (no case below takes it: most ops)
            return
        if p in _ARITH_ONLY:  # (the common case: no case below but the last takes it)
            if not op.kwargs and op.args and _int_args(op.args, ints):
                ints.add(op.result)
            return
        if p == "len" or (p in _ONE_INT and len(op.args) == 1 and not op.kwargs):
            ints.add(op.result)
        elif p == "srcad.runtime.key_pick":  # the position ``max(xs, key=f)`` picks
            ints.add(op.result)
        elif p in NP_INTS and len(op.args) == 1 and not op.kwargs and holds(op.args[0]):
            ints.add(op.result)
        elif op.kwargs or not op.args:
            return
        elif p == "range":  # its items: Python ints
            seqs.add(op.result)
        elif p in _SHAPES and (shaped is True or _held(op.args[0], shaped)):
            seqs.add(op.result)  # an ndarray's shape: Python ints (``n = x.shape[0]``)
        elif p in _SAME_VALUE and len(op.args) > _SAME_VALUE[p]:  # the operand, not a copy
            a = op.args[_SAME_VALUE[p]]
            if holds(a):
                ints.add(op.result)
            elif int_seq(a):
                seqs.add(op.result)
        elif p in _OF_ITEMS and len(op.args) == 1 and int_seq(op.args[0]):
            (seqs if p in _SEQ_OF_ITEMS else ints).add(op.result)  # list(range(...)), max(...)
        elif p in ("list", "tuple") and all(map(holds, op.args)):
            seqs.add(op.result)
        elif p == "mul" and len(op.args) == 2 and int_seq(op.args[0]) and holds(op.args[1]):
            seqs.add(op.result)  # `[0] * n`
        elif p == "setitem" and int_seq(op.args[0]) and all(map(holds, op.args[1:])):
            seqs.add(op.result)  # `pivot[j] = jp`: an int item replaced by an int
        elif p == "getitem" and len(op.args) == 2 and int_seq(op.args[0]) and holds(op.args[1]):
            ints.add(op.result)
        elif p in _INT_OPS and op.args and not op.kwargs and _int_args(op.args, ints):
            ints.add(op.result)

    propagate(fn.body, [(ints, holds), (seqs, int_seq)], leaf)
    return ints


def _held(a: object, vs: Container[Var]) -> bool:
    return type(a) is Var and a in vs


def _int_args(args: list, ints: set) -> bool:
    """Every operand an int: a Var of `ints` or an int constant (``all(holds(a) ...)`` as one
    loop: it runs for most ops of a transform)."""
    for a in args:
        if type(a) is Var:
            if a not in ints:
                return False
        elif type(a) is not Const or type(a.value) is not int:
            return False
    return True
