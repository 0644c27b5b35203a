"""Lists and tuples passed where NumPy takes an array become arrays before the rules see them.

Input: the `Function` a transform is about to differentiate (its own clone), the list/tuple kind
of each Var (`srcad.ad.seqs.seq_kinds`) and the transform's rule table. Output: the same function,
updated in place: before ``numpy.maximum(xs, ys)`` whose `xs` may be a Python list or tuple,
``xs.a = numpy.asarray(xs)``, and the call reads ``xs.a``.

Why: derivative templates are written over arrays. With a list they would run Python's list
operators: ``2.0 * xs`` raises, ``xs > ys`` compares lexicographically (one bool where the rule
wants a mask), ``xs + ys`` concatenates. NumPy converts such an argument with ``asarray`` itself,
so converting it first computes the same primal, and `numpy.asarray`'s own rule splits the
cotangent back into the list's elements.

Which calls: the elementwise functions (`rules/facts.py`'s ``elementwise``) and the single-array
functions in `ARRAY_FUNCTIONS`, in their differentiable parameters only (never ``axis`` or
``shape``). Functions whose parameter is a *sequence* of arrays (``concatenate``, ``stack``,
``block``, ``multi_dot``, ``select``'s lists, ``einsum``'s operands) are not listed: their rules
take the list as it is.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.seqs import is_seq
from srcad.ssa.core import Block, Function, Op, Var

# NumPy functions of one or two arrays whose implementation converts each array argument with
# asarray (so converting a list first changes nothing) and whose rules are array formulas.
ARRAY_FUNCTIONS = frozenset(
    "numpy." + n
    for n in (
        "sum", "mean", "std", "var", "prod", "max", "min", "amax", "amin", "ptp", "median",
        "average", "nansum", "nanmean", "nanstd", "nanvar", "nanmax", "nanmin", "nanprod",
        "cumsum", "cumprod", "diff", "sort", "dot", "vdot", "inner", "outer", "matmul",
        "convolve", "correlate", "polyval", "trapezoid", "trapz", "interp", "clip", "where",
        "linalg.norm", "logaddexp.reduce", "add.reduce", "multiply.reduce", "maximum.reduce",
        "minimum.reduce", "cross", "kron", "tensordot", "linalg.det", "linalg.inv",
        "linalg.solve", "trace", "diag", "ravel", "flip", "roll", "square", "abs",
    )
)  # fmt: skip


def arrayize(fn: Function, kinds: dict[Var, Any], table: Any) -> bool:
    """Insert the conversions into `fn` (see the module docstring); `table`: the transform's
    rule table (its registry's records say which primitives are elementwise). -> whether
    anything changed."""
    changed = False
    if not any(is_seq(k) for k in kinds.values()):
        return False  # no list or tuple anywhere: no operand to convert (the ops stay as they are)

    def seqlike(a: Any) -> bool:
        return isinstance(a, Var) and is_seq(kinds.get(a))

    def visit(block: Block) -> None:
        nonlocal changed
        out: list[Op] = []
        for op in block.ops:
            for sub in op.blocks:
                visit(sub)
            p = op.prim
            arr = p in ARRAY_FUNCTIONS or p.startswith("numpy.") and _array_function(p, table)
            if arr and any(map(seqlike, op.operands())):
                rule = table.get(p)
                if rule is not None and rule.fn is None:
                    changed |= _convert(op, rule, seqlike, out)
            out.append(op)
        block.ops = out

    try:
        visit(fn.body)
    finally:  # (recursive closures: a reference cycle, freed only by the collector otherwise)
        visit = seqlike = None  # type: ignore[assignment]
    return changed


def _array_function(prim: str, table: Any) -> bool:
    if prim in ARRAY_FUNCTIONS:
        return True
    rec = table.registry.lookup(prim) if prim.startswith("numpy.") else None
    return rec is not None and bool(rec.elementwise)


def _convert(op: Op, rule: Any, seqlike: Any, out: list[Op]) -> bool:
    try:
        bound = rule.bind(op.args, op.kwargs)
    except TypeError:
        return False  # the transform reports the bad call
    arrays = {v for k, v in bound.items() if k not in rule.nondiff | rule.zero_in and seqlike(v)}
    if not arrays:
        return False
    made: dict[Var, Var] = {}

    def conv(a: Any) -> Any:
        if not isinstance(a, Var) or a not in arrays:
            return a
        if a not in made:
            made[a] = v = Var(a.hint)
            out.append(Op("numpy.asarray", [a], results=[v], loc=op.loc))
        return made[a]

    op.args = [conv(a) for a in op.args]
    op.kwargs = {k: conv(a) for k, a in op.kwargs.items()}
    return True
