"""What values are, from what the arguments are: Python numbers, 1-D arrays, risky divisions.

Input: a `Function` and the parameters that hold Python ints/floats (or float64 arrays of known
rank) at the call being compiled (part of the cache key). Output: the Vars that are certainly
Python or NumPy scalars (`scalar_vars`), certainly 1-D arrays (`one_d_vars`), float arrays of a
known rank (`float_ranks`; `element_index`: is ``x[i, j]`` one number of one), and the divisions
whose derivative could divide a Python number by zero (`risky_divisions`). The transforms use
them to pick operator rules without broadcasting (on scalars ``unbroadcast(g, x)`` is ``g``), the
mutation check to excuse `x op= v` on numbers and `x[i]` reads of 1-D arrays.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy

from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops

_ARITH = frozenset({"add", "sub", "mul", "truediv", "neg", "pos", "pow", "floordiv", "mod", "abs",
                    "float", "int", "round", "min", "max", "len"})  # fmt: skip


def is_scalar_const(a: object) -> bool:
    return isinstance(a, Const) and type(a.value) in (int, float, bool)


@functools.cache
def _is_ufunc(prim: str) -> bool:
    """A one-result ufunc (np.modf, np.frexp, np.divmod return tuples)."""
    if not prim.startswith("numpy.") or prim.count(".") != 1:
        return False
    u = getattr(numpy, prim[6:], None)
    return isinstance(u, numpy.ufunc) and u.nout == 1


def scalar_vars(fn: Function, seeds: set[Var], ndims: dict[Var, int] | None = None) -> set[Var]:
    """Vars that hold Python or NumPy scalars. `ndims`: parameters known to be float arrays of
    that many dimensions (part of the cache key), so ``x[i]`` of a 1-D `x` is a scalar; so is
    ``out[i]`` (an int `i`) of a float 1-D array the function makes (`float_1d_vars`)."""
    return scalar_facts(fn, seeds, ndims).scal


class ScalarFacts(NamedTuple):
    """`scalar_vars` and what computing it found on the way, for callers that need those too:
    `int_vars` of the function and, when its fixpoint was reached, ``float_ranks(fn, ndims,
    scal)`` (else None)."""

    scal: set[Var]
    ints: set[Var]
    ranks: dict[Var, int] | None


def scalar_facts(fn: Function, seeds: set[Var], ndims: dict[Var, int] | None = None) -> ScalarFacts:
    """`scalar_vars`, with the int Vars and the float arrays' ranks (`ScalarFacts`)."""
    ndims = ndims or {}
    ints = int_vars(fn)
    made: dict[Var, int] = {}
    indexed: set[Var] = set()  # what `x[i]` reads index (`made` matters only for those)
    scal = _scalar_vars(fn, seeds, ndims, made, ints, indexed)
    ranks = float_ranks(fn, ndims, scal)
    for _ in range(4):  # the two facts feed each other (``x * x[0]`` is 1-D): to a fixpoint
        new = {v: r for v, r in ranks.items() if v not in ndims}
        if new.items() <= made.items():
            return ScalarFacts(scal, ints, ranks)
        made = new
        if indexed.isdisjoint(made):  # no read of a made array: the same scalars again
            return ScalarFacts(scal, ints, ranks)
        before, scal = scal, _scalar_vars(fn, seeds, ndims, made, ints)
        if scal != before:  # else the same ranks again (a function of `scal`), and done
            ranks = float_ranks(fn, ndims, scal)
    return ScalarFacts(scal, ints, None)


def array_ranks(
    fn: Function, ndims: dict[Var, int], given: tuple[dict, list] | None = None
) -> set[int]:
    """The ranks `float_ranks` looks for: those of `ndims`, 1, and those of the shapes given to
    ``np.zeros``/``ones``/``empty``; `given`: ``tuple_defs(fn)`` and `fn`'s ops whose primitive
    is in `RANK_MAKERS` (in program order), when the caller has them."""
    ranks = {n for n in ndims.values() if n >= 1} | {1}
    tuples, ops = given if given is not None else (tuple_defs(fn), walk_ops(fn.body))
    for op in ops:
        if op.prim in _MAKE_1D and len(op.args) == 1 and not op.kwargs:
            ranks.add(_shape_rank(op.args[0], tuples) or 1)
        elif op.prim == "numpy.full" and op.args:
            ranks.add(_shape_rank(op.args[0], tuples) or 1)
        elif op.prim in _EYE:
            ranks.add(2)
    return ranks


def _scalar_vars(
    fn: Function,
    seeds: set[Var],
    ndims: dict[Var, int],
    made: dict[Var, int] | None = None,
    ints: set[Var] | None = None,
    indexed: set[Var] | None = None,
) -> set[Var]:
    """`scalar_vars` given the float arrays the function makes (`made`: their ranks, read with
    int indices from `ints` only: an index that is a NumPy bool would select a 1-element array).
    `indexed` gets what the ``x[i]`` reads index, other than the parameters in `ndims` (the
    reads of `made` arrays are all there is to `made`: the same scalars without those)."""
    made, ints = made or {}, ints or set()
    scal = set(seeds) | ints
    tuples: dict[Var, list] = {}
    lists: dict[Var, list] = {}
    vecs: set[Var] = set()

    def ok(a: object) -> bool:
        return is_scalar_const(a) or (isinstance(a, Var) and (a in scal or a in ints))

    def leaf(op: Op) -> None:
        p = op.prim
        if p == "tuple":
            tuples[op.result] = list(op.args)
        if p == "list":  # (not an index: x[[i, j]] picks rows)
            lists[op.result] = list(op.args)
        if p in _FROM_LIST and len(op.args) == 1 and set(op.kwargs) <= {"dtype"}:
            items = lists.get(op.args[0]) if isinstance(op.args[0], Var) else None
            if items and all(ok(a) for a in items):
                vecs.add(op.result)  # np.array([a, b, c]) of numbers: 1-D, its x[i] a number
        if p == "len":
            scal.add(op.result)
        if p == "getitem" and op.args[0] in ndims:
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
        elif p == "getitem" and op.args[0] in vecs and _is_int(op.args[1], ints):
            scal.add(op.result)
        elif p == "getitem":
            if indexed is not None:
                indexed.add(op.args[0])
            if op.args[0] in made and element_index(op.args[1], made[op.args[0]], ints, tuples):
                scal.add(op.result)
        elif _is_ufunc(p) and all(ok(a) for a in op.args) and not op.kwargs:
            scal.add(op.result)
        elif p.startswith("math.") and p not in ("math.frexp", "math.modf"):
            if all(ok(a) for a in op.operands()):
                scal.add(op.result)
        elif p in _ARITH and op.args and all(ok(a) for a in op.operands()):
            scal.add(op.result)

    _propagate(fn.body, [(scal, ok)], leaf)
    return scal | ints


def _propagate(block: Block, facts: list[tuple[set[Var], Any]], leaf: Any) -> None:
    """Forward facts about Vars through structured control flow: `leaf(op)` adds the facts of a
    single-result op; an `if` result has a fact when every branch yields a value with it; loop
    carries by `_carry_fixpoint`; a `for` index when the range bounds have the first fact."""

    def visit(b: Block) -> None:
        for op in b.ops:
            if op.prim == "if":
                for blk in op.blocks:
                    visit(blk)
                for k, r in enumerate(op.results):
                    for have, holds in facts:
                        if all(holds(blk.yields[k]) for blk in op.blocks):
                            have.add(r)
            elif op.prim in ("for", "while"):
                have, holds = facts[0]
                if op.prim == "for" and all(holds(a) for a in op.args[:3]):
                    have.add(op.blocks[-1].params[0])
                for j, (have, holds) in enumerate(facts):
                    _carry_fixpoint(op, have, holds, visit, skip=j > 0)
            elif len(op.results) == 1:
                leaf(op)

    visit(block)


def _carry_fixpoint(op: Any, facts: set[Var], holds: Any, visit: Any, skip: bool = False) -> None:
    """Loop carries hold a fact (being a scalar, being 1-D) when their initial value does and,
    assuming it of the carries, their next value does too: an optimistic fixpoint that drops the
    carries whose yield breaks it and re-derives the body. Adds the facts for the results.
    `skip`: the blocks were just walked (by another fact's fixpoint, which ends on a walk that
    changed nothing it assumed): with no carry to assume this fact of, walking them again in
    the same state would add nothing (`visit` adds what the facts' states decide), so not done."""
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    inits = op.args[3:] if op.prim == "for" else op.args

    def params(k: int) -> list[Var]:
        return [blk.params[(off if blk is body else 0) + k] for blk in op.blocks]

    cand = [k for k in range(len(op.results)) if holds(inits[k])]
    if skip and not cand:
        return
    while True:
        for k in cand:
            facts.update(params(k))
        for blk in op.blocks:
            visit(blk)
        bad = [k for k in cand if not holds(body.yields[k])]
        if not bad:
            break
        for k in bad:
            facts.difference_update(params(k))
        cand = [k for k in cand if k not in bad]
        for blk in op.blocks:  # forget what the body derived from the dropped assumptions
            for o in walk_ops(blk):
                facts.difference_update(o.results)
    facts.update(op.results[k] for k in cand)


_FROM_LIST = frozenset({"numpy.array", "numpy.asarray", "numpy.asanyarray"})
_NEW_1D = frozenset({"numpy.arange", "numpy.linspace"})
_SHAPED = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full"})
_LIKE = frozenset({"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like",
                   "numpy.copy", "method.copy", "method.astype", "setitem",
                   "srcad.runtime.setitem", "srcad.runtime.as_sequence"})  # fmt: skip
_ELEMENTWISE = frozenset({"add", "sub", "mul", "truediv", "pow", "neg", "pos"})


def one_d_vars(fn: Function, ndims: dict[Var, int], scal: set[Var]) -> set[Var]:
    """Vars certainly holding 1-D arrays: parameters of rank 1, `np.zeros(n)`, copies, updates and
    elementwise arithmetic of those with scalars. Used to decide that `x[i]` is a copy."""
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
                _carry_fixpoint(op, one, is1, visit)
            elif len(op.results) == 1:
                a = op.args
                if p in _NEW_1D:
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
                elif (p in _ELEMENTWISE or _is_ufunc(p)) and a and not op.kwargs:
                    if any(is1(x) for x in a) and all(is1(x) or sc(x) for x in a):
                        one.add(op.result)

    visit(fn.body)
    return one


def _is_int(a: object, ints: set[Var]) -> bool:
    return (isinstance(a, Const) and type(a.value) is int) or (isinstance(a, Var) and a in ints)


_INT_OPS = frozenset({"add", "sub", "mul", "floordiv", "mod", "neg", "pos", "abs", "min", "max"})


def int_vars(fn: Function) -> set[Var]:
    """Vars certainly holding Python ints (never bools): int constants, ``len(...)``, ``int(...)``,
    indices of ``for`` loops (over a ``range``), and ``+ - * // %``, ``abs``, ``min``/``max`` of ints.
    Indices from these read one element of a 1-D array (a NumPy bool would select an array)."""
    # range() yields Python ints, whatever its bounds are (objects with __index__)
    ints: set[Var] = {op.blocks[-1].params[0] for op in walk_ops(fn.body) if op.prim == "for"}

    def holds(a: object) -> bool:
        return _is_int(a, ints)

    def leaf(op: Op) -> None:
        p = op.prim
        if p == "len" or (p == "int" and len(op.args) == 1 and not op.kwargs):
            ints.add(op.result)
        elif p in _INT_OPS and op.args and not op.kwargs and all(holds(a) for a in op.args):
            ints.add(op.result)

    _propagate(fn.body, [(ints, holds)], leaf)
    return ints


@functools.cache
def _float_ufunc(prim: str) -> bool:
    """A ufunc whose float64 loop returns one float64: its results on float (complex) arrays and
    numbers are float (complex) arrays."""
    if not _is_ufunc(prim):
        return False
    u = getattr(numpy, prim[6:])
    return u.nout == 1 and "d" * u.nin + "->d" in u.types


_MAKE_1D = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty"})
# (`as_sequence(x)` of an array, `for v in x`, is `x` itself)
_SAME_ARRAY = frozenset({"numpy.copy", "numpy.array", "numpy.zeros_like", "numpy.ones_like",
                         "numpy.empty_like", "method.copy", "setitem", "srcad.runtime.setitem",
                         "srcad.runtime.zeros_like",
                         "srcad.runtime.as_sequence"})  # fmt: skip


def float_1d_vars(fn: Function, ndims: dict[Var, int], scal: set[Var]) -> set[Var]:
    """Vars certainly holding 1-D arrays of an inexact dtype (float64 unless complex numbers
    entered them): parameters of rank 1, ``np.zeros(n)``/``ones``/``empty`` without a dtype,
    ``np.linspace(a, b[, n])``, copies and ``x[i] = v`` updates of those, and their arithmetic with
    numbers (`scal`). ``x[i]`` of one, `i` an int, is a number, not a view; a cotangent
    accumulator of one (``zeros_like``) is an array that ``acc[i] += g`` updates without casting."""
    return _inexact(fn, {v for v, n in ndims.items() if n == 1}, scal, 1)


def inexact_vars(fn: Function, ndims: dict[Var, int], scal: set[Var]) -> set[Var]:
    """Vars certainly holding arrays of an inexact dtype, of any rank: float parameters
    (`ndims`), and what `float_1d_vars` follows for 1-D ones, plus views, reshapes and products
    of those. ``x[i] = v`` into one keeps `v`'s derivative; into another array (an integer array
    truncates `v`) the transforms check the dtype at run time (`srcad.ad.structural`)."""
    return _inexact(fn, set(ndims), scal, 0)


def float_ranks(fn: Function, ndims: dict[Var, int], scal: set[Var]) -> dict[Var, int]:
    """Vars certainly holding arrays of an inexact dtype and a known rank -> the rank: what
    `float_1d_vars` follows, for every rank (``np.zeros((n, m))`` is 2-D, as is a copy of a 2-D
    float parameter). ``x[i, j]`` of a 2-D one, `i` and `j` ints, is a number (`element_index`)."""
    out: dict[Var, int] = {}
    for r in sorted(array_ranks(fn, ndims)):
        seeds = {v for v, n in ndims.items() if n == r}
        for v in _inexact(fn, seeds, scal, r):
            out.setdefault(v, r)
    return out


def tuple_defs(fn: Function) -> dict[Var, list]:
    """The operands of each ``tuple`` op of `fn` (Vars used as index tuples and shapes)."""
    return {op.result: list(op.args) for op in walk_ops(fn.body) if op.prim == "tuple"}


def _shape_rank(shape: object, tuples: dict[Var, list]) -> int | None:
    """The number of dimensions `shape` (an argument of ``np.zeros``) gives, when known: a tuple
    of ints (constant or built here); None for a number (1-D) or anything else."""
    if isinstance(shape, Const) and type(shape.value) is tuple:
        return len(shape.value) if all(type(v) is int for v in shape.value) else None
    if isinstance(shape, Var) and shape in tuples:
        return len(tuples[shape])
    return None


def element_index(idx: object, rank: int, ints: set[Var], tuples: dict[Var, list]) -> bool:
    """Does ``x[idx]`` read (write) one number of an array of that rank? `idx` is an int
    (`int_vars`) for rank 1, a tuple of `rank` ints (constant, or built by a ``tuple`` op whose
    operands `tuples` holds) otherwise; never a slice, an array or a bool."""
    if rank == 1:
        return _is_int(idx, ints)
    if isinstance(idx, Const):
        v = idx.value
        return type(v) is tuple and len(v) == rank and all(type(a) is int for a in v)
    parts = tuples.get(idx) if isinstance(idx, Var) else None
    return parts is not None and len(parts) == rank and all(_is_int(a, ints) for a in parts)


_VIEWS = frozenset({"getitem", "method.reshape", "method.ravel", "method.flatten",
                    "method.transpose", "attr.T", "numpy.reshape", "numpy.ravel",
                    "numpy.transpose", "matmul", "numpy.dot", "numpy.matmul"})  # fmt: skip
_PRODUCTS = frozenset({"matmul", "numpy.dot", "numpy.matmul"})
_TRANSPOSES = frozenset({"attr.T", "method.transpose", "numpy.transpose"})
_EYE = frozenset({"numpy.eye", "numpy.identity"})
RANK_MAKERS = _MAKE_1D | _EYE | {"numpy.full"}  # the primitives `array_ranks` reads


def _sizes(fn: Function) -> set[Var]:
    """Vars holding ``len(...)`` or ``x.shape[k]`` (`k` a constant int): Python ints."""
    shapes = {op.result for op in walk_ops(fn.body) if op.prim == "attr.shape" and op.results}
    return {
        op.result
        for op in walk_ops(fn.body)
        if (op.prim == "len" and len(op.results) == 1)
        or (
            op.prim == "getitem"
            and len(op.args) == 2
            and isinstance(op.args[0], Var)
            and op.args[0] in shapes
            and isinstance(op.args[1], Const)
            and type(op.args[1].value) is int
        )
    }


def _inexact(fn: Function, seeds: set[Var], scal: set[Var], rank: int) -> set[Var]:
    """The float arrays of that `rank` (`seeds` are), or of any rank (`rank` 0: `inexact_vars`)."""
    one = set(seeds)
    one_d = rank > 0
    tuples = tuple_defs(fn) if rank > 1 else {}

    def is1(a: object) -> bool:
        return isinstance(a, Var) and a in one

    sizes = _sizes(fn) if one_d else set()

    def num(a: object) -> bool:  # (a size from ``len`` or ``.shape[k]``: a Python int)
        return is_scalar_const(a) or (isinstance(a, Var) and (a in scal or a in sizes))

    attrs: dict[Var, tuple[str, object]] = {}  # ``a.shape`` / ``a.dtype`` -> (prim, a)

    def like(v: object, attr: str) -> bool:  # `v` is ``a.<attr>`` of a float array of `rank`
        got = attrs.get(v) if isinstance(v, Var) else None
        return got is not None and got[0] == attr and (attr == "slice" or is1(got[1]))

    def shape_ok(shape: object) -> bool:
        if not one_d:
            return True
        if rank == 1 and num(shape):
            return True
        if like(shape, "attr.shape"):  # np.zeros(a.shape): the rank of `a`
            return True
        if isinstance(shape, Var) and shape in tuples:  # (n, m): each one dimension (or raises)
            return len(tuples[shape]) == rank
        return (
            isinstance(shape, Const)
            and type(shape.value) is tuple
            and len(shape.value) == rank
            and all(type(v) is int for v in shape.value)
        )

    def visit(b: Block) -> None:
        for op in b.ops:
            p, a = op.prim, op.args
            if p == "if":
                for blk in op.blocks:
                    visit(blk)
                for k, r in enumerate(op.results):
                    if all(is1(blk.yields[k]) for blk in op.blocks):
                        one.add(r)
            elif p in ("for", "while"):
                _carry_fixpoint(op, one, is1, visit)
            elif len(op.results) != 1 or not a:
                continue
            elif p in ("attr.shape", "attr.dtype", "slice"):
                attrs[op.result] = (p, a[0])
            elif p == "getitem" and len(a) == 2 and is1(a[0]) and not op.kwargs:
                if isinstance(a[1], Const) and type(a[1].value) is slice or like(a[1], "slice"):
                    one.add(op.result)  # `x[i:j]`: the same rank
            elif p in _MAKE_1D and len(a) == 1 and set(op.kwargs) <= {"dtype"}:
                # (`dtype=a.dtype` of a float array keeps its inexact dtype)
                if shape_ok(a[0]) and (
                    "dtype" not in op.kwargs or like(op.kwargs["dtype"], "attr.dtype")
                ):
                    one.add(op.result)
            elif p == "numpy.linspace" and len(a) <= 3 and not op.kwargs and all(map(num, a)):
                one.add(op.result)
            elif p == "numpy.full" and len(a) == 2 and not op.kwargs and shape_ok(a[0]):
                if isinstance(a[1], Const) and type(a[1].value) is float:
                    one.add(op.result)  # np.full((n, m), -1e30): float64 of the shape's rank
            elif p in _EYE and rank == 2 and 1 <= len(a) <= 2 and set(op.kwargs) <= {"k", "M"}:
                one.add(op.result)  # float64 without a dtype, whatever the sizes (or it raises)
            elif one_d and p in _TRANSPOSES and len(a) == 1 and not op.kwargs and is1(a[0]):
                one.add(op.result)  # the same rank, reversed axes
            elif rank == 2 and p in _PRODUCTS and len(a) == 2 and not op.kwargs:
                if is1(a[0]) and is1(a[1]):
                    one.add(op.result)  # a 2-D float matrix product is 2-D
            elif p in _SAME_ARRAY and is1(a[0]) and (len(a) == 1 or p.endswith("setitem")):
                if not op.kwargs:
                    one.add(op.result)
            elif (p in _ELEMENTWISE or _float_ufunc(p)) and not op.kwargs:
                if any(is1(x) for x in a) and all(is1(x) or num(x) for x in a):
                    one.add(op.result)
            elif not one_d and p in _VIEWS and is1(a[0]):
                if p not in _PRODUCTS or (len(a) == 2 and is1(a[1])):
                    one.add(op.result)

    visit(fn.body)
    return one
