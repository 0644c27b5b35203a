"""Float arrays of a known rank, from what the arguments are.

Input: a `Function`, the float64 array parameters' ranks (part of the cache key) and its scalar
Vars (`passes/scalars.py`). Output: the Vars certainly holding arrays of an inexact dtype: of rank
1 (`float_1d_vars`), of any rank (`inexact_vars`), of a known rank (`float_ranks`;
`element_index`: is ``x[i, j]`` one number of one; `array_ranks`: the ranks to look for). Split
from `passes/scalars.py` (which re-exports these names).
"""

from __future__ import annotations

import functools

import numpy

from srcad.passes.flowfacts import ELEMENTWISE, carry_fixpoint, is_int, is_scalar_const, is_ufunc
from srcad.ssa.core import Block, Const, Function, Var, walk_ops

_MAKE_1D = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty"})
# (`as_sequence(x)` of an array, `for v in x`, is `x` itself)
_SAME_ARRAY = frozenset({"numpy.copy", "numpy.array", "numpy.zeros_like", "numpy.ones_like",
                         "numpy.empty_like", "method.copy", "setitem", "srcad.runtime.setitem",
                         "srcad.runtime.zeros_like",
                         "srcad.runtime.as_sequence"})  # fmt: skip


_VIEWS = frozenset({"getitem", "method.reshape", "method.ravel", "method.flatten",
                    "method.transpose", "attr.T", "numpy.reshape", "numpy.ravel",
                    "numpy.transpose", "matmul", "numpy.dot", "numpy.matmul"})  # fmt: skip
_PRODUCTS = frozenset({"matmul", "numpy.dot", "numpy.matmul"})
_TRANSPOSES = frozenset({"attr.T", "method.transpose", "numpy.transpose"})
_EYE = frozenset({"numpy.eye", "numpy.identity"})
RANK_MAKERS = _MAKE_1D | _EYE | {"numpy.full"}  # the primitives `array_ranks` reads


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


@functools.cache
def _float_ufunc(prim: str) -> bool:
    """A ufunc whose float64 loop returns one float64: its results on float (complex) arrays and
    numbers are float (complex) arrays."""
    if not is_ufunc(prim):
        return False
    u = getattr(numpy, prim[6:])
    return u.nout == 1 and "d" * u.nin + "->d" in u.types


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
        return is_int(idx, ints)
    if isinstance(idx, Const):
        v = idx.value
        return type(v) is tuple and len(v) == rank and all(type(a) is int for a in v)
    parts = tuples.get(idx) if isinstance(idx, Var) else None
    return parts is not None and len(parts) == rank and all(is_int(a, ints) for a in parts)


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
                carry_fixpoint(op, one, is1, visit)
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
            elif (p in ELEMENTWISE or _float_ufunc(p)) and not op.kwargs:
                if any(is1(x) for x in a) and all(is1(x) or num(x) for x in a):
                    one.add(op.result)
            elif not one_d and p in _VIEWS and is1(a[0]):
                if p not in _PRODUCTS or (len(a) == 2 and is1(a[1])):
                    one.add(op.result)

    visit(fn.body)
    return one
