"""Boolean masks in a block of IR: the values that are zero exactly where a condition fails.

Input: a block of primal IR. Output: `boolish(block)`, the results of comparisons and logical ops
and the float masks made of them (``(x > 0) * 1.0``, ``np.float64(1.0) * (x > 0)``,
``(x > 0) + 0.0``, ``np.asarray(x > 0, dtype=float)``, ``np.where(x > 0, 1.0, 0.0)``,
``np.heaviside``, a product of two masks, ``np.eye``/``np.identity``/``np.tri``, ``1 - m``, a
module-level function of literals ``offdiag(3)``); and
`mask_indices(block, bools)`, the indices that pick positions by a condition
(``r[np.isnan(r)] = 0``). A product ``u * c`` by such a `c` has u's derivative zero where `c` is
falsy: `ad/fmasks.py` (forward) and `ad/masks.py` (reverse) mask an infinite local derivative
there.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from srcad.ad.common import RT
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Var

_CMPS = frozenset(
    ("gt", "lt", "ge", "le", "eq", "ne", "not", "numpy.greater", "numpy.less",
     "numpy.greater_equal", "numpy.less_equal", "numpy.equal", "numpy.not_equal",
     "numpy.logical_and", "numpy.logical_or", "numpy.logical_not", "numpy.logical_xor",
     "numpy.isfinite", "numpy.isnan", "numpy.isinf")
)  # fmt: skip
_CASTS = ("method.astype", RT + "plain_receiver")  # (x > 0).astype(float) * u
_BITS = ("bitand", "bitor", "bitxor", "invert")  # of booleans: booleans


def read_globals(block: Block) -> set[Var]:
    """The values `block` reads from module globals (not generated functions): constant in the
    transform, so ``u * c`` by one has u's derivative zero exactly where `c` is falsy (0), as for
    a mask (``np.exp(p) * MASK`` of a global 0/1 array feeding a log: `ad/masks.py`)."""
    return {
        r
        for op in ops_of(block)
        if op.prim == "global" and not op.params.get("generated")
        for r in op.results
    }


def constant_values(block: Block) -> set[Var]:
    """`read_globals` and `literal_values`: the values of `block` constant in every transform."""
    return read_globals(block) | literal_values(block)


def literal_values(block: Block) -> set[Var]:
    """The arrays `block` makes of number literals alone (``np.array([1.0, 0.0, 1.0])``, nested
    lists, ``dtype=``): constant at every level of every transform, so ``u * c`` by one has u's
    derivative zero exactly where `c` is 0, as for a global (``x ** 2 * np.array([1, 0])``
    feeding a sqrt or a log: 0 there, not ``0 * inf``)."""
    seqs: set[Var] = set()  # list/tuple displays of literals (SSA: a later edit is a new Var)
    out: set[Var] = set()
    for op in ops_of(block):
        if len(op.results) != 1:
            continue
        if op.prim in ("list", "tuple") and not op.kwargs:
            if all(_consts([a]) or is_in(a, seqs) for a in op.args):
                seqs.add(op.result)
        elif (
            op.prim in ("numpy.array", "numpy.asarray")
            and len(op.args) == 1
            and op.kwargs.keys() <= {"dtype"}
            and (is_in(op.args[0], seqs) or _number_tuple(op.args[0]))
        ):
            out.add(op.result)
    return out


def fixed_values(fn: Function, wrt: Container, numeric: Container) -> set[Var]:
    """The parameters of `fn` not in `wrt` (of those at positions `numeric`: numbers, arrays of
    numbers) and the values it reads from its closure: constant in a transform whose every level
    differentiates `wrt` alone (`Module.next_fixed`), so a product by one is a mask where it is 0
    as a global's is (``np.exp(x) * mask`` with `mask` a parameter or a closure variable feeding
    a log)."""
    out = {p for i, p in enumerate(fn.params) if i not in wrt and i in numeric}
    out.update(r for op in ops_of(fn.body) if op.prim == "free" for r in op.results)
    return out


def boolish(block: Block) -> set[Var]:
    """Results of comparisons and logical ops in `block` (and of ``.astype`` of them), and the
    float masks made of them (``(x > 0) * 1.0``, ``np.where(x > 0, 1.0, 0.0)``) or by
    ``np.heaviside``: masks, zero exactly where they are falsy (how they are read: a product
    ``u * c`` by one has u's derivative zero there)."""
    out: set[Var] = set()
    nums: set[Var] = set()  # ``np.float64(1.0)``: a number made by a call
    funcs: set[Var] = set()  # module-level names (``offdiag = global offdiag``)
    for op in ops_of(block):
        a = op.args
        if op.prim == "global":
            funcs.update(op.results)
        elif op.prim == "call" and a and is_in(a[0], funcs) and _literals(a[1:], op.kwargs):
            # ``offdiag(3)``: a module-level function of literals returns a value nothing
            # differentiated reaches, zero where it is falsy, as every such value is
            out.update(op.results)
        elif op.prim in _NUMBERS and len(a) == 1 and not op.kwargs and _consts(a):
            nums.update(op.results)
        elif op.prim in _NUMBERS and len(a) == 1 and not op.kwargs and is_in(a[0], out):
            out.update(op.results)  # ``np.float64(x[0] > 0)``, ``float(c)``
        elif (
            (
                (
                    op.prim in _CMPS
                    or op.prim == "numpy.heaviside"
                    or (op.prim in _CASTS and a and is_in(a[0], out))
                    or (op.prim in _BITS and all(is_in(v, out) for v in a))
                    or (
                        op.prim in ("mul", "numpy.multiply")
                        and len(a) == 2
                        and _scaled(a, out, nums)
                    )
                    or (op.prim == "add" and len(a) == 2 and _shifted(a, out))
                    or (op.prim == "sub" and len(a) == 2 and _scaled(a, out))
                    or (
                        op.prim == "numpy.where"
                        and len(a) == 3
                        and is_in(a[0], out)
                        and _consts(a[1:])
                    )
                )
                and not op.kwargs
            )
            or (
                # ``np.asarray(x > 0, dtype=float)``, ``(x > 0).astype(float, copy=False)``
                op.prim in _ARRAY_CASTS
                and len(a) in (1, 2)
                and is_in(a[0], out)
                and op.kwargs.keys() <= _CAST_KW
            )
            or (op.prim in _UNIT_MAKERS and op.kwargs.keys() <= _UNIT_KW)
        ):
            # (the last: ``np.eye(n)``, ``np.identity(n)``, ``np.tri(n)``: zeros and ones)
            out.update(op.results)
    return out


# a number from a number: ``np.float64(1.0) * (x > 0)`` is a mask as ``1.0 * (x > 0)``
_NUMBERS = frozenset(
    f"numpy.{n}" for n in ("float64", "float32", "float16", "int64", "int32", "double", "single")
) | {"float", "int"}
_ARRAY_CASTS = frozenset(
    ("numpy.asarray", "numpy.array", "numpy.asanyarray", "numpy.ascontiguousarray", "method.astype")
)
_CAST_KW = frozenset(("dtype", "copy", "order"))
_UNIT_MAKERS = frozenset(("numpy.eye", "numpy.identity", "numpy.tri"))
_UNIT_KW = frozenset(("M", "N", "k", "dtype"))


def _scaled(args: list, masks: set[Var], nums: Container = ()) -> bool:
    """``c * 1.0``/``2 * c``/``np.float64(1) * c`` of a mask `c` and a number, or two masks; as
    `sub`: ``1.0 - np.eye(n)`` (a value that is not varied is a mask of where it is zero)."""
    return any(
        is_in(c, masks) and (_consts([k]) or is_in(k, nums) or is_in(k, masks))
        for c, k in (args, args[::-1])
    )


def _shifted(args: list, masks: set[Var]) -> bool:
    """``c + 0.0`` of a mask `c` (a float mask as ``c * 1.0``)."""
    return any(
        is_in(c, masks) and isinstance(k, Const) and type(k.value) in (int, float) and k.value == 0
        for c, k in (args, args[::-1])
    )


def _literals(args: list, kwargs: dict) -> bool:
    return all(isinstance(v, Const) for v in (*args, *kwargs.values()))


def _number_tuple(v: Any) -> bool:
    """A constant tuple of numbers (or of such tuples): ``np.asarray((1, 0, 2))``."""
    return isinstance(v, Const) and _numbers(v.value)


def _numbers(t: Any) -> bool:
    return type(t) is tuple and all(type(e) in (int, float, bool) or _numbers(e) for e in t)


def _consts(vs: Any) -> bool:
    return all(isinstance(v, Const) and type(v.value) in (int, float, bool) for v in vs)


_POSITIONS = ("numpy.nonzero", "method.nonzero", "numpy.flatnonzero", "numpy.where")


def mask_indices(block: Block, bools: set[Var]) -> set[Var]:
    """The indices of `block` that pick positions by a condition: the masks `bools`
    (`boolish`) and the results of ``np.nonzero(m)``/``np.where(m)``/``np.flatnonzero(m)``
    (``r[np.isnan(r)] = 0``, ``r[np.where(r < 0)] = 0``: a patch of the bad positions)."""
    out = set(bools)
    for op in ops_of(block):
        if op.prim in _POSITIONS and len(op.args) == 1 and not op.kwargs:
            out.update(op.results)
    return out


def is_in(a: object, vs: Container) -> bool:
    """Is `a` a Var of `vs` (an operand may be a Const)?"""
    return type(a) is Var and a in vs
