"""Float arrays of a known rank, from what the arguments are.

Input: a `Function`, the float64 array parameters' ranks (part of the cache key) and its scalar
Vars (`passes/scalars.py`). Output: the Vars certainly holding arrays of an inexact dtype: of rank
1 (`float_1d_vars`), of any rank (`inexact_vars`), of a known rank (`float_ranks`;
`element_index`: is ``x[i, j]`` one number of one; `array_ranks`: the ranks to look for). Split
from `passes/scalars.py` (which re-exports these names).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy

from srcad.lower.values import static_value
from srcad.passes import ranks_reorder
from srcad.passes.flowfacts import ELEMENTWISE, is_int, is_scalar_const, is_ufunc
from srcad.passes.ranks_reorder import JOINS, REORDERS, keeps_rank, reorder_ok, stacked_rank
from srcad.passes.readonly import view_index
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops

_MAKE_1D = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty"})
# (`as_sequence(x)` of an array, `for v in x`, is `x` itself)
_SAME_ARRAY = frozenset({"numpy.copy", "numpy.array", "numpy.zeros_like", "numpy.ones_like",
                         "numpy.empty_like", "method.copy", "setitem", "srcad.runtime.entry_copy",
                         "srcad.runtime.setitem", "srcad.runtime.returned_arg",
                         "srcad.runtime.zeros_like",
                         "srcad.runtime.as_sequence"})  # fmt: skip


_VIEWS = frozenset({"getitem", "method.reshape", "method.ravel", "method.flatten",
                    "method.transpose", "attr.T", "numpy.reshape", "numpy.ravel",
                    "numpy.transpose", "matmul", "numpy.dot", "numpy.matmul"})  # fmt: skip
_PRODUCTS = frozenset({"matmul", "numpy.dot", "numpy.matmul"})
_TRANSPOSES = frozenset({"attr.T", "method.transpose", "numpy.transpose"})
_EYE = frozenset({"numpy.eye", "numpy.identity"})
RANK_MAKERS = _MAKE_1D | _EYE | {"numpy.full", "numpy.outer", "numpy.einsum"}  # (`array_ranks`)
RANK_MAKERS |= {"method.reshape", "numpy.reshape"} | JOINS


def einsum_rank(op: Op) -> int | None:
    """The rank of ``np.einsum(subscripts, *operands)``'s result when the subscripts are a
    constant string without an ellipsis: the output's labels (implicit: those appearing once)."""
    if op.kwargs or not op.args or not isinstance(op.args[0], Const):
        return None
    subs = op.args[0].value
    if type(subs) is not str or "." in subs:
        return None
    subs = subs.replace(" ", "")
    ins, arrow, out = subs.partition("->")
    if len(ins.split(",")) != len(op.args) - 1:
        return None
    labels = [c for c in ins if c != ","]
    if not all(c.isalpha() for c in labels + list(out)):
        return None
    return len(out) if arrow else sum(1 for c in set(labels) if labels.count(c) == 1)


def array_ranks(
    fn: Function, ndims: dict[Var, int], given: tuple[dict, list] | None = None
) -> set[int]:
    """The ranks `float_ranks` looks for: those of `ndims`, 1, and those of the shapes given to
    ``np.zeros``/``ones``/``empty``; `given`: ``tuple_defs(fn)`` and `fn`'s ops whose primitive
    is in `RANK_MAKERS` (in program order), when the caller has them."""
    ranks = {n for n in ndims.values() if n >= 1} | {1}
    joins = False
    tuples, ops = given if given is not None else (tuple_defs(fn), walk_ops(fn.body))
    for op in ops:
        if op.prim in _MAKE_1D and len(op.args) == 1 and not op.kwargs:
            ranks.add(_shape_rank(op.args[0], tuples) or 1)
        elif op.prim == "numpy.full" and op.args:
            ranks.add(_shape_rank(op.args[0], tuples) or 1)
        elif op.prim in _EYE or op.prim == "numpy.outer":
            ranks.add(2)
        elif op.prim == "numpy.einsum" and (k := einsum_rank(op)):
            ranks.add(k)
        elif op.prim in _RESHAPES and len(op.args) >= 2:
            k = len(op.args) - 1 if len(op.args) > 2 else _shape_rank(op.args[1], tuples)
            ranks.add(k or 1)
        elif op.prim in JOINS:  # (`stacked_rank`: one more than the parts', or 2 or 3)
            joins = True
    if joins:
        ranks |= {k + 1 for k in ranks if k < 4} | {3}
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


def float_ranks(
    fn: Function, ndims: dict[Var, int], scal: set[Var], broadcast: bool = False
) -> dict[Var, int]:
    """Vars certainly holding arrays of an inexact dtype and a known rank -> the rank: what
    `float_1d_vars` follows, for every rank (``np.zeros((n, m))`` is 2-D, as is a copy of a 2-D
    float parameter). ``x[i, j]`` of a 2-D one, `i` and `j` ints, is a number (`element_index`).
    `broadcast`: arithmetic of operands of different known ranks has the highest (``M * x`` of a
    2-D `M` and a 1-D `x` is 2-D; the alias check's, which only refuses less with it)."""
    tuples, sizes, makers = _census(fn)
    wanted = tuple(sorted(array_ranks(fn, ndims, (tuples, makers))))
    seeds = {v: 1 << n for v, n in ndims.items() if n in wanted}
    out: dict[Var, int] = {}
    for v, m in _ranked(fn, seeds, scal, wanted, (tuples, sizes), broadcast).items():
        if m:  # the lowest rank (one, unless a rank's facts contradict another's)
            out[v] = (m & -m).bit_length() - 1
    return out


def float64_dtype(fn: Function, v: object) -> bool:
    """Is `v` (a ``dtype=`` operand) float64 when transforming: ``float``, ``np.float64``,
    ``np.double``, ``"float64"``, ``"f8"``? (A copy or array made with it is a float array.)"""
    if isinstance(v, Const):
        val = v.value
    else:
        found, val = static_value(fn, v)
        if not found:
            return False
    if val is float or val is numpy.float64:
        return True
    if isinstance(val, (str, numpy.dtype)):
        try:
            return numpy.dtype(val) == numpy.float64
        except TypeError:
            return False
    return False


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


def _census(fn: Function) -> tuple[dict[Var, list], set[Var], list[Op]]:
    """`tuple_defs(fn)`, `_sizes(fn)` and the ops in `RANK_MAKERS` (program order), one walk (an
    op's operands are defined before it in program order)."""
    tuples: dict[Var, list] = {}
    shapes: set[Var] = set()
    sizes: set[Var] = set()
    makers: list[Op] = []
    for op in ops_of(fn.body):
        p = op.prim
        if p == "tuple":
            tuples[op.result] = list(op.args)
        elif p == "attr.shape" and op.results:
            shapes.add(op.result)
        elif p == "len" and len(op.results) == 1:
            sizes.add(op.result)
        elif p == "getitem" and len(op.args) == 2 and isinstance(op.args[0], Var):
            if op.args[0] in shapes and isinstance(op.args[1], Const):
                if type(op.args[1].value) is int:
                    sizes.add(op.result)
        elif p in RANK_MAKERS:
            makers.append(op)
    return tuples, sizes, makers


def _inexact(fn: Function, seeds: set[Var], scal: set[Var], rank: int) -> set[Var]:
    """The float arrays of that `rank` (`seeds` are), or of any rank (`rank` 0: `inexact_vars`)."""
    bit = 1 << rank
    return {v for v, m in _ranked(fn, dict.fromkeys(seeds, bit), scal, (rank,)).items() if m & bit}


def _ranked(
    fn: Function,
    seeds: dict[Var, int],
    scal: set[Var],
    wanted: tuple[int, ...],
    given: tuple[dict, set] | None = None,
    broadcast: bool = False,
) -> dict[Var, int]:
    """The float arrays of each rank in `wanted` at once: Var -> a mask with bit ``1 << r`` set
    when it is one of rank `r` (0: of any rank). `seeds`: the parameters' masks; `given`:
    ``tuple_defs(fn)`` and ``_sizes(fn)`` when the caller has them.

    Each rank's facts are a separate analysis (the rules of rank `r` read only bit `r` of the
    operands' masks), done in one walk: an op is looked at for the ranks its operands have, and
    the ops that make arrays (``np.zeros``, ``np.full``, ``np.linspace``, ``np.eye``) for every
    wanted rank; a loop's carries keep, per rank, the bits their next values keep (the
    optimistic fixpoint of `carry_fixpoint`, run for all ranks in the same passes)."""
    masks = dict(seeds)
    get = masks.get
    every = 0
    for r in wanted:
        every |= 1 << r
    if given is not None:
        tuples, sizes = given
    else:
        tuples = tuple_defs(fn) if any(r > 1 for r in wanted) else {}
        sizes = _sizes(fn) if any(r > 0 for r in wanted) else set()
    attrs: dict[Var, tuple[str, object]] = {}  # ``a.shape`` / ``a.dtype`` -> (prim, a)
    bools: dict[Var, int] = {}  # comparisons of such arrays (with numbers): their rank masks
    floats: set[Var] = set()  # list displays of number constants, one a float
    seqs: dict[Var, list] = {}  # list and tuple displays -> their items (`stacked_rank`)

    def mask(a: object) -> int:
        return get(a, 0) if type(a) is Var else 0

    def num(a: object, r: int) -> bool:  # (of rank >= 1: a size from ``len`` or ``.shape[k]``)
        return is_scalar_const(a) or (isinstance(a, Var) and (a in scal or (r > 0 and a in sizes)))

    def like(v: object, attr: str, bit: int) -> bool:  # `v` is ``a.<attr>`` of such an array
        got = attrs.get(v) if isinstance(v, Var) else None
        return got is not None and got[0] == attr and (attr == "slice" or mask(got[1]) & bit > 0)

    def shape_ok(shape: object, r: int) -> bool:
        if r == 0:
            return True
        if r == 1 and num(shape, r):
            return True
        if like(shape, "attr.shape", 1 << r):  # np.zeros(a.shape): the rank of `a`
            return True
        if r > 1 and isinstance(shape, Var) and shape in tuples:  # (n, m): one size each
            return len(tuples[shape]) == r
        return (
            isinstance(shape, Const)
            and type(shape.value) is tuple
            and len(shape.value) == r
            and all(type(v) is int for v in shape.value)
        )

    def rule(op: Op, p: str, a: list, r: int) -> bool:
        """Is `op`'s result a float array of rank `r` (of any rank: 0)?"""
        bit = 1 << r
        if p in JOINS and a and type(a[0]) is Var and a[0] in seqs:
            # `np.stack([a, b])`, `np.vstack((x, y))`: float arrays of one rank, joined
            common = every | 1
            for x in seqs[a[0]]:
                common &= mask(x)
            if r == 0:
                return common & 1 > 0
            return any(common >> k & 1 and stacked_rank(op, p, k) == r for k in wanted if k)
        if p == "getitem" and len(a) == 2 and mask(a[0]) & bit and not op.kwargs:
            if r == 0 and view_index(a[1]):
                return True  # `x[:, 1]`: a float array of another rank
            idx = a[1]  # `x[i:j]`, `x[:, :h]`: slices only, the same rank
            items = tuples.get(idx) if type(idx) is Var else None
            if items is None:
                items = idx.value if type(idx) is Const and type(idx.value) is tuple else [idx]
            return len(items) > 0 and all(  # (``x[()]`` of a 0-d array: a NumPy scalar)
                type(x) is slice or (type(x) is Const and type(x.value) is slice)
                or like(x, "slice", bit) for x in items
            )  # fmt: skip
        if p in ranks_reorder.REDUCTIONS and a and mask(a[0]):
            # `np.sum(T, axis=0)`, `x.mean(axis=(0, 1))`: T's rank less the axes, 1 or more
            ks = [ranks_reorder.reduced_rank(op, a, k) for k in wanted if k and mask(a[0]) >> k & 1]
            return any(m is not None and m > 0 and r in (0, m) for m in ks)
        if p == "numpy.outer":  # of two float arrays of any ranks: 2-D
            return r in (0, 2) and len(a) == 2 and not op.kwargs and all(map(mask, a))
        if p in _RESHAPES and len(a) >= 2 and not op.kwargs and r > 0 and mask(a[0]):
            # `x.reshape((3, 2))`, `x.reshape(3, 2)`, `np.reshape(x, -1)`: the shape's length
            dims = a[1:] if p == "method.reshape" and len(a) > 2 else None
            if dims is not None:
                return len(dims) == r and all(num(d, 1) for d in dims)
            if p == "numpy.reshape" and len(a) != 2:
                return False
            return (r == 1 and num(a[1], 1)) or _shape_rank(a[1], tuples) == r
        if p == "numpy.einsum":  # of float arrays (of known ranks): the output's labels
            k = einsum_rank(op)
            return k is not None and r in (0, k) and k > 0 and all(map(mask, a[1:]))
        if p == "numpy.linalg.solve" and len(a) == 2 and not op.kwargs and r > 0:
            # b 1-D: a vector per matrix of a (2-D a: 1-D); else the broadcast stack of b's rank
            if r == 1:
                return mask(a[1]) & 2 > 0 and mask(a[0]) & 4 > 0
            return mask(a[1]) & bit > 0 and mask(a[0]) & (bit | (bit - 1)) & ~3 > 0
        if p in _MAKE_1D and len(a) == 1 and set(op.kwargs) <= {"dtype"}:
            # (`dtype=a.dtype` of a float array keeps its inexact dtype; `dtype=float`)
            dt = op.kwargs.get("dtype")
            return shape_ok(a[0], r) and (
                dt is None or like(dt, "attr.dtype", bit) or float64_dtype(fn, dt)
            )
        if p == "numpy.linspace" and len(a) <= 3 and not op.kwargs:
            if all(num(x, r) for x in a):
                return True
        elif p == "numpy.full" and len(a) == 2 and not op.kwargs and shape_ok(a[0], r):
            # np.full((n, m), -1e30): float64 of the shape's rank
            return isinstance(a[1], Const) and type(a[1].value) is float
        elif p in _EYE and r == 2 and 1 <= len(a) <= 2 and set(op.kwargs) <= {"k", "M"}:
            # float64 without a dtype, whatever the sizes (or it raises); the second positional
            # argument of np.identity is its dtype (``np.identity(3, int)``), np.eye's is M
            return p == "numpy.eye" or len(a) == 1 or float64_dtype(fn, a[1])
        elif r > 0 and p in _TRANSPOSES and len(a) == 1 and not op.kwargs and mask(a[0]) & bit:
            return True  # the same rank, reversed axes
        elif r == 2 and p in _PRODUCTS and len(a) == 2 and not op.kwargs:
            return mask(a[0]) & mask(a[1]) & bit > 0  # a 2-D float matrix product is 2-D
        if p in REORDERS and mask(a[0]) and reorder_ok(op, p, a):
            # `np.sort(x)`, `x.cumsum(axis=0)`, `np.roll(x, 2)`: x's rank; `np.cumsum(x)`,
            # `np.sort(x, axis=None)`, `x.ravel()`: 1-D
            return mask(a[0]) & bit > 0 if keeps_rank(op, p, a) else r in (0, 1)
        if p in _SAME_ARRAY and mask(a[0]) & bit and (len(a) == 1 or p.endswith("setitem")):
            if p == "numpy.array" and set(op.kwargs) == {"dtype"}:  # np.array(x, dtype=float)
                return float64_dtype(fn, op.kwargs["dtype"])
            return not op.kwargs
        if p == "numpy.where" and len(a) == 3 and not op.kwargs:  # of a float array: its rank
            vals = a[1:]  # (a condition of a lower rank or a number broadcasts to it)
            if not any(mask(x) & bit for x in vals):
                return False
            if not all(mask(x) & bit or num(x, r) for x in vals):
                return False
            return r == 0 or (mask(a[0]) | bools.get(a[0], 0)) & bit > 0 or num(a[0], r)
        if (p in ELEMENTWISE or p in _FLOORS or _float_ufunc(p)) and not op.kwargs:
            # broadcasting: one operand of rank `r`, the others of lower ranks (``M * x`` of a
            # 2-D `M` and a 1-D `x` is 2-D) or numbers; bits 1..r-1 (bit 0 is "any rank")
            low = bit | (bit - 2) if r > 1 and broadcast else bit
            return any(mask(x) & bit for x in a) and all(mask(x) & low or num(x, r) for x in a)
        if r == 0 and p in _VIEWS and mask(a[0]) & bit:
            return p not in _PRODUCTS or (len(a) == 2 and mask(a[1]) & bit > 0)
        return False

    def visit(b: Block) -> None:
        for op in b.ops:
            p, a = op.prim, op.args
            if p == "if":
                for blk in op.blocks:
                    visit(blk)
                for k, res in enumerate(op.results):
                    m = every
                    for blk in op.blocks:
                        m &= mask(blk.yields[k])
                    if m:
                        masks[res] = m
            elif p in _LOOPS:
                _carry_masks(op, masks, visit)
            elif len(op.results) != 1 or not a:
                continue
            elif p in _ATTRS:
                attrs[op.result] = (p, a[0])
            elif p in ("list", "tuple") and not _float_consts(a):
                seqs[op.result] = a
            elif p == "list":
                floats.add(op.result)  # (``np.array([1.0, 2.0])``: a 1-D float64 array)
            elif p in _ARRAY_OF and len(a) == 1 and a[0] in floats and not op.kwargs:
                if every & 2:
                    masks[op.result] = every & 3
            else:
                look = every if p in _MAKERS else 0
                for x in a:
                    if type(x) is Var:
                        look |= get(x, 0)
                got = 0
                while look:
                    bit = look & -look
                    look ^= bit
                    if rule(op, p, a, bit.bit_length() - 1):
                        got |= bit
                if got:
                    masks[op.result] = got
                if p in _COMPARE and len(a) == 2 and not op.kwargs:  # a bool array of a rank
                    m = every & (mask(a[0]) | mask(a[1]))
                    for r in wanted:
                        if m & (1 << r) and not all(mask(x) >> r & 1 or num(x, r) for x in a):
                            m &= ~(1 << r)
                    if m:
                        bools[op.result] = m
                elif p in _LOGICAL and not op.kwargs:  # `(x > a) & (x < b)`, `~m`: the rank kept
                    m = every
                    for r in wanted:
                        if not all(bools.get(x, 0) >> r & 1 or num(x, r) for x in a):
                            m &= ~(1 << r)
                    if m and any(x in bools for x in a if type(x) is Var):
                        bools[op.result] = m

    try:
        visit(fn.body)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = rule = None  # type: ignore[assignment]
    return masks


_LOOPS = ("for", "while")
_COMPARE = frozenset({"lt", "le", "gt", "ge", "eq", "ne"})
# of bool arrays of one rank (and numbers): an array of that rank (a mask for `np.where`)
_LOGICAL = frozenset({"bitand", "bitor", "bitxor", "invert", "numpy.logical_and",
                      "numpy.logical_or", "numpy.logical_xor", "numpy.logical_not"})  # fmt: skip
_FLOORS = frozenset({"floordiv", "mod"})  # (of a float array: a float array, as `a + b`)
_ATTRS = frozenset(("attr.shape", "attr.dtype", "slice"))
_ARRAY_OF = frozenset(("numpy.array", "numpy.asarray"))


def _float_consts(args: list) -> bool:
    """`args` are int and float constants, one a float at least: their array is float64."""
    kinds = [type(x.value) if isinstance(x, Const) else None for x in args]
    return float in kinds and all(k in (int, float) for k in kinds)


# looked at for every wanted rank, whatever their operands are
_MAKERS = _MAKE_1D | _EYE | {"numpy.full", "numpy.linspace", "numpy.outer", "numpy.einsum"}
_RESHAPES = frozenset({"method.reshape", "numpy.reshape"})
_MAKERS |= _RESHAPES  # (another rank than the operand's)
_MAKERS |= REORDERS  # (`passes/ranks_reorder.py`: a rank kept or 1-D)
_MAKERS |= JOINS | ranks_reorder.REDUCTIONS  # (of a list of arrays: `stacked_rank`; a rank less)


def _carry_masks(op: Op, masks: dict[Var, int], visit: Any) -> None:
    """`carry_fixpoint` for the rank masks: each carry keeps the bits of its initial value that
    its next value keeps too (per bit the optimistic fixpoint of that rank's analysis: a pass
    that drops no bit of a rank walks that rank's facts as the previous one did)."""
    body = op.blocks[-1]
    off = 1 if op.prim == "for" else 0
    inits = op.args[3:] if op.prim == "for" else op.args
    params = [
        [blk.params[(off if blk is body else 0) + k] for blk in op.blocks]
        for k in range(len(op.results))
    ]
    cand = [masks.get(v, 0) if type(v) is Var else 0 for v in inits[: len(op.results)]]
    while True:
        for k, m in enumerate(cand):
            for v in params[k]:
                if m:
                    masks[v] = m
                else:
                    masks.pop(v, None)
        for blk in op.blocks:
            visit(blk)
        kept = [m & (masks.get(y, 0) if type(y) is Var else 0) for m, y in zip(cand, body.yields)]
        if kept == cand:
            break
        cand = kept
        for blk in op.blocks:  # forget what the body derived from the dropped assumptions
            for o in walk_ops(blk):
                for v in o.results:
                    masks.pop(v, None)
                if o.prim in _LOOPS:  # and what a nested loop assumed of its carries
                    for b in o.blocks:
                        first = 1 if o.prim == "for" and b is o.blocks[-1] else 0
                        for v in b.params[first:]:
                            masks.pop(v, None)
    for k, m in enumerate(cand):
        if m:
            masks[op.results[k]] = m
