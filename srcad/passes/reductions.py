"""Whole reductions of NumPy arrays: NumPy scalars, which ``t op= v`` rebinds.

Input: a `Function` and its parameters known to be NumPy arrays or numbers (`numpy_values`: the
Vars certainly holding NumPy values); an op of `REDUCTIONS` and what is known of its operands
(those, float arrays of a known rank). Output: does it certainly return a NumPy scalar
(`reduces_whole`)? ``np.sum(x)``, ``x.mean()``, ``np.linalg.norm(x)``, ``np.max(x)`` of a
NumPy array with no `axis`, `keepdims` or `out` are NumPy scalars (immutable: ``t = 0.0; ts =
[t]; t += np.sum(x)`` leaves ``ts[0]`` alone), as are ``u @ v`` / ``np.dot(u, v)`` of 1-D arrays
and ``np.trace`` / ``np.linalg.det`` of 2-D ones. Another library's array (CuPy) may give a 0-d
array, which ``t += v`` updates in place: only NumPy arrays of a known rank count, except for
the mutation check's optimistic bound (`anything`), which assumes the most harmless operands.
"""

from __future__ import annotations

import numpy as np

from srcad.passes.flowfacts import propagate
from srcad.ssa.core import Const, Function, Op, Var

# of an array of any rank, one positional operand (these keywords only)
_WHOLE = frozenset({"numpy.sum", "method.sum", "numpy.mean", "method.mean", "numpy.max",
                    "method.max", "numpy.min", "method.min", "numpy.amax", "numpy.amin",
                    "numpy.prod", "method.prod", "numpy.std", "method.std", "numpy.var",
                    "method.var", "numpy.linalg.norm", "numpy.average", "numpy.median",
                    "numpy.ptp"})  # fmt: skip
_KEYWORDS = frozenset({"dtype", "ddof"})
# of two 1-D arrays
_PRODUCTS = frozenset({"matmul", "numpy.dot", "numpy.inner", "numpy.vdot"})
# of one 2-D array
_SQUARE = frozenset({"numpy.trace", "numpy.linalg.det"})
# ``np.einsum("i,i->", u, v)``: an explicit empty output contracts every index (a NumPy scalar;
# not with `optimize`, whose path returns a 0-d array)
_EINSUM = "numpy.einsum"
REDUCTIONS = _WHOLE | _PRODUCTS | _SQUARE | {_EINSUM}
# of a number: a NumPy scalar
NUMPY_SCALARS = frozenset({"numpy.float64", "numpy.float32", "numpy.double", "numpy.int64",
                           "numpy.int32"})  # fmt: skip


def of_number(op: Op, ok: object) -> bool:
    """`op` is a whole reduction (``np.sum(v)``, ``v.max()``) of a number (`ok`): a NumPy scalar
    (a Python number has no such method: AttributeError)."""
    return (
        op.prim in _WHOLE
        and len(op.args) == 1
        and _KEYWORDS.issuperset(op.kwargs)
        and ok(op.args[0])
    )  # type: ignore[operator]


def reduces_whole(
    op: Op,
    numpy_vals: set[Var] | None,
    ndims: dict[Var, int],
    made: dict[Var, int],
    seen: set[Var] | None,
) -> bool:
    """Is `op` (its primitive in `REDUCTIONS`) certainly a NumPy scalar? `numpy_vals` None:
    whatever its operands are (the optimistic bound); else a whole reduction's operand must be
    one of them (`numpy_values`), a product's operands NumPy float arrays of the rank it needs
    (`ndims` or `made`). `seen` gets the operands the function made (what the caller's fixpoint
    over `made` looks at)."""
    p, args = op.prim, op.args
    if p in _WHOLE:
        if len(args) != 1 or not _KEYWORDS.issuperset(op.kwargs):
            return False
        return numpy_vals is None or (type(args[0]) is Var and args[0] in numpy_vals)
    elif op.kwargs:
        return False
    elif p == _EINSUM:
        return _contracts_all(args) and (
            numpy_vals is None or all(type(a) is Var and a in numpy_vals for a in args[1:])
        )
    elif p in _PRODUCTS:
        if len(args) != 2:
            return False
        need = 1
    else:
        if len(args) != 1:
            return False
        need = 2
    if numpy_vals is None:
        return True
    for a in args:
        if type(a) is not Var:
            return False
        rank = ndims.get(a)
        if rank is None:
            if seen is not None:
                seen.add(a)
            rank = made.get(a)
        if rank != need:
            return False
    return True


def _contracts_all(args: list) -> bool:
    """``einsum(spec, *operands)`` with `spec` a constant ``"...->"`` naming one index list per
    operand (no ``...``) and no output index: its value is one number."""
    spec = args[0].value if args and type(args[0]) is Const else None
    if type(spec) is not str or spec.count("->") != 1 or "." in spec:
        return False
    ins, out = spec.split("->")
    return not out.strip() and ins.count(",") == len(args) - 2


# a NumPy array's views, copies and updates (`setitem`: the array written into)
_SAME = frozenset({"getitem", "setitem", "attr.T", "srcad.runtime.entry_copy",
                   "srcad.runtime.returned_arg", "srcad.runtime.setitem",
                   "srcad.runtime.as_sequence"})  # fmt: skip
_ARITH = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg", "pos",
                    "abs", "matmul", "float", "int", "round", "min", "max", "len", "list",
                    "tuple"})  # fmt: skip
_LEAVES = (int, float, bool, complex, str, type(None), slice, np.ndarray, np.generic, np.dtype)


def _const_ok(v: object, depth: int = 0) -> bool:
    if isinstance(v, _LEAVES) or v is float or v is int or v is bool or v is complex:
        return type(v) is np.ndarray or not isinstance(v, np.ndarray)  # (no subclass)
    if isinstance(v, type) and issubclass(v, np.generic):
        return True  # a dtype: np.float64
    return isinstance(v, (tuple, list)) and depth < 3 and all(_const_ok(e, depth + 1) for e in v)


def numpy_values(fn: Function, seeds: set[Var]) -> set[Var]:
    """The Vars certainly holding NumPy arrays or scalars, Python numbers, or lists/tuples of
    those (never another library's array): `seeds` (parameters that are float64 NumPy arrays or
    numbers), constants, and what ``numpy.*`` functions, NumPy arrays' methods, attributes,
    views and arithmetic make of those (with such operands only: NEP 18 hands a function whose
    operand is a CuPy array to CuPy)."""
    have = set(seeds)

    def holds(a: object) -> bool:
        return a in have if type(a) is Var else (type(a) is Const and _const_ok(a.value))

    def leaf(op: Op) -> None:
        p = op.prim
        if p == "len":  # of anything: a Python int (``np.zeros(len(ext))`` of a user's list)
            have.add(op.result)
        elif p.startswith("numpy.") or p in _ARITH:
            if all(map(holds, op.operands())):
                have.add(op.result)
        elif p.startswith(("method.", "attr.")) or p in _SAME:
            if op.args and holds(op.args[0]) and type(op.args[0]) is Var:
                if p in _SAME or p.startswith("attr.") or all(map(holds, op.operands())):
                    have.add(op.result)

    propagate(fn.body, [(have, holds)], leaf)
    return have
