"""The run-time check lower/viewwrites.py writes before the writes it rewrites.

Input: NumPy's global name, the base's name, what must hold of it. Output: a gast ``assert``
marked a `srcad.runtime.require` check (a SrcadError when it fails, never skipped):
``isinstance(A, np.ndarray)`` (with list and dict for an argument's ``t = xs``), and
``A.flags.c_contiguous``, ``A.dtype == np.float64``, ``A.ndim >= need`` as asked.
"""

from __future__ import annotations

from typing import Any

import gast

REQUIRE = "srcad.runtime.require"  # the op of the check (lower/stmts.stmt_Assert, rules/checks)


def guard(
    np_name: str,
    base: str,
    need: int,
    like: Any,
    isa: bool,
    boxes: bool,
    contig: bool = False,
    f64: bool = False,
) -> Any:
    """``require(isinstance(A, np.ndarray) and A.ndim >= need)``: `isa`: `A` (``x.copy()``)
    is an array, so the rewritten writes are Python's (a list's copy would not be); `boxes`: or
    a list or dict (``t = xs`` of an argument: `t[k] = v` is ``xs[k] = v`` too); `contig`: and
    ``A.flags.c_contiguous`` (its reshapes are views; of another layout they copy); `f64`: and
    ``A.dtype == np.float64`` (``np.asarray(A, dtype=float)`` is `A` only then)."""
    tests = []
    if isa:
        np_type = _attr(name(np_name, like), "ndarray", like)
        if boxes:  # (never without `isa`)
            kinds = [np_type, name("list", like), name("dict", like)]
            np_type = at(gast.Tuple(elts=kinds, ctx=gast.Load()), like)
        tests.append(call("isinstance", [name(base, like), np_type], like))
    if contig:
        tests.append(_attr(_attr(name(base, like), "flags", like), "c_contiguous", like))
    if f64:
        dtype, f = (
            _attr(name(base, like), "dtype", like),
            _attr(name(np_name, like), "float64", like),
        )
        tests.append(at(gast.Compare(left=dtype, ops=[gast.Eq()], comparators=[f]), like))
    test = tests[0] if len(tests) == 1 else at(gast.BoolOp(op=gast.And(), values=tests), like)
    if need:
        at_least = gast.Compare(
            left=_attr(name(base, like), "ndim", like),
            ops=[gast.GtE()],
            comparators=[at(gast.Constant(need, None), like)],
        )
        test = at(gast.BoolOp(op=gast.And(), values=[test, at(at_least, like)]), like)
    dims = ", list or dict" if isa and boxes else ""
    dims += f" of {need} or more dimensions" if need else ""
    dims += ", C-contiguous" if contig else ""
    dims += " of dtype float64" if f64 else ""
    msg = (
        f"`{base}` is not a NumPy array{dims}; srcad rewrote the writes through its "
        "views into writes into it (lower/viewwrites.py): make it one with np.array(...)"
        + (" or np.ascontiguousarray(...)" if contig else "")
    )
    check = at(gast.Assert(test=test, msg=at(gast.Constant(msg, None), like)), like)
    check.srcad_check = REQUIRE  # a SrcadError, never a skippable `assert` (rules/checks)
    return check


def at(node: Any, like: Any) -> Any:
    return gast.copy_location(node, like)


def name(name: str, like: Any, ctx: Any = None) -> gast.Name:
    return at(gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None), like)


def call(f: str, args: list, like: Any) -> Any:
    return at(gast.Call(func=name(f, like), args=args, keywords=[]), like)


def _attr(value: Any, attr: str, like: Any) -> Any:
    return at(gast.Attribute(value=value, attr=attr, ctx=gast.Load()), like)
