"""The length check of an unpacking whose number of items is known only at run time.

Input: the lowering, the value unpacked (``a, b = v``, ``for w, b in ps``, ``a, *r = v``), the
number of targets. Output: nothing, or the op ``_srcad.unpack_check(v, n)`` (rules/checks), which
raises the ValueError Python raises for another length: srcad unpacks by indexing, which alone
would read the first items of a longer value (and, with a starred target, the same item twice
from a shorter one). No check (the generated code as before) where the ops in scope give the
length: a literal or constant, a tuple made here, an ``if`` whose every branch gives one of `n`
items (an inlined helper's ``return a, b``; None raises at the indexing as in Python), a NumPy
function returning a fixed number of arrays (``np.linalg.qr``, ``eigh``, ``svd``...).
"""

from __future__ import annotations

from typing import Any

from srcad.lower.starlits import known_elts
from srcad.ssa.core import Const, Op, Operand, Var

CHECK = "srcad.runtime.unpack_check"
_FIXED = {
    "numpy.linalg.eigh": 2, "numpy.linalg.eig": 2, "numpy.linalg.slogdet": 2, "divmod": 2,
    "numpy.frexp": 2, "numpy.modf": 2, "numpy.divmod": 2, "numpy.linalg.svd": 3,
    "numpy.linalg.qr": 2,
}  # fmt: skip
# (keyword, position, values giving all the results) of the functions that may return fewer
_OPTION = {"numpy.linalg.svd": ("compute_uv", 2, (True,)),
           "numpy.linalg.qr": ("mode", 1, ("reduced", "complete"))}  # fmt: skip


def check_length(lw: Any, v: Operand, n: int, node: Any, least: bool = False) -> None:
    """Check at run time that `v` has `n` items (at least `n` when `least`) unless the ops in
    scope give its length; a known length that does not fit is Python's ValueError at
    transform time (a `SrcadError`)."""
    elts = known_elts(lw, v)
    if elts is None:
        scopes = [lw.b.block.ops, *reversed(lw.outer_ops)]
        if _lengths(scopes, v, 0) != {n}:
            lw.op(CHECK, [v, Const(n), Const(True)] if least else [v, Const(n)])
    elif len(elts) < n or len(elts) > n and not least:
        raise lw.error(node, f"cannot unpack {len(elts)} values into {n} targets")


def listed_iterator(lw: Any, v: Operand) -> Operand:
    """``list(v)`` when `v` is the result of ``iter(xs)`` in scope (``a, *r = iter(xs)``,
    ``a, b = it``: an iterator has no indexing), else `v`."""
    if isinstance(v, Var):
        op = _made_by([lw.b.block.ops, *reversed(lw.outer_ops)], v)
        if op is not None and op.prim == "iter":
            return lw.op("builtins.list", [v])
    return v


def _lengths(scopes: list, v: Operand, depth: int, carried: frozenset = frozenset()) -> set | None:
    """The lengths `v` may have (an empty set: None, whose indexing raises, or a loop's carried
    value in `carried`, whose other values are looked at), or None: unknown."""
    if isinstance(v, Const):
        if v.value is None:
            return set()
        return {len(v.value)} if isinstance(v.value, tuple) else None
    if not isinstance(v, Var) or depth > 8:
        return None
    op = _made_by(scopes, v)
    if op is None:
        return set() if v in carried else None
    if op.prim == "tuple" and not op.kwargs:
        return {len(op.args)}
    if op.prim in _FIXED:
        return {_FIXED[op.prim]} if _fixed(op) else None
    k = op.results.index(v)
    if op.prim == "if":
        ways = [(blk, blk.yields[k] if k < len(blk.yields) else None) for blk in op.blocks]
        starts: list = []
    elif op.prim in ("for", "while"):  # its first value, and the body's given a known one
        off, inits, body = (
            (1, op.args[3:], op.blocks[-1]) if op.prim == "for" else (0, op.args, op.blocks[-1])
        )
        if k >= len(inits) or k >= len(body.yields) or off + k >= len(body.params):
            return None
        ways, starts = [(body, body.yields[k])], [inits[k]]
        carried = carried | {body.params[off + k]}
    else:
        return None
    out: set = set()
    for x in starts:
        got = _lengths(scopes, x, depth + 1, carried)
        if got is None:
            return None
        out |= got
    for blk, x in ways:
        got = None if x is None else _lengths([blk.ops, *scopes], x, depth + 1, carried)
        if got is None:
            return None
        out |= got
    return out


def _fixed(op: Op) -> bool:
    """`op` returns its function's fixed number of results (no keyword choosing fewer)."""
    if op.prim not in _OPTION:
        return True
    key, at, ok = _OPTION[op.prim]
    given = op.kwargs.get(key, op.args[at] if len(op.args) > at else None)
    return given is None or isinstance(given, Const) and given.value in ok


def _made_by(scopes: list, v: Var) -> Op | None:
    for ops in scopes:
        for op in reversed(ops):
            if v in op.results:
                return op
    return None
