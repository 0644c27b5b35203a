"""``r.fill(c)`` through a view `r` (lower/viewwrites.py) as an item assignment into it.

Input: the statement, the value's check parts (NumPy's global name, a fresh name). Output: the
statements to run instead.

``r.fill(c)`` and ``r[...] = c`` leave the same values for a `c` with no dimensions (a number,
a NumPy scalar, a 0-d array: both cast unsafely); ``fill`` raises for any other `c`, where the
assignment would broadcast. So a `c` other than a number constant is bound to a fresh name,
asserted to have no dimensions (a located refusal where Python raises) and assigned.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.viewregion import fill_number

REQUIRE = "srcad.runtime.require"  # the op of the check (lower/stmts.stmt_Assert, rules/checks)


def is_fill(s: Any) -> bool:
    """Is the statement (a `viewregion.fill_of` one) ``r.fill(c)`` (not ``f(..., out=r)``)?"""
    f = s.value.func
    return isinstance(f, gast.Attribute) and f.attr == "fill" and isinstance(f.value, gast.Name)


def as_item_write(s: Any, np_name: str | None, fresh: str) -> list | None:
    """``r.fill(c)`` -> ``r[...] = c`` for a number constant `c`; ``fresh = c; assert
    np.ndim(fresh) == 0; r[...] = fresh`` otherwise (None without NumPy's name to check with)."""
    c, r = s.value.args[0], s.value.func.value
    out = []
    if not fill_number(s):
        if np_name is None:
            return None
        out.append(_at(gast.Assign(targets=[_name(fresh, s, gast.Store())], value=c,
                                   type_comment=None), s))  # fmt: skip
        ndim = _at(gast.Attribute(value=_name(np_name, s), attr="ndim", ctx=gast.Load()), s)
        call = _at(gast.Call(func=ndim, args=[_name(fresh, s)], keywords=[]), s)
        test = _at(gast.Compare(left=call, ops=[gast.Eq()],
                                comparators=[_at(gast.Constant(0, None), s)]), s)  # fmt: skip
        msg = (
            "`.fill()` of a value with dimensions: NumPy raises ValueError (srcad rewrote "
            "the fill of a view as an assignment into the array it views, lower/viewfill.py)"
        )
        check = _at(gast.Assert(test=test, msg=_at(gast.Constant(msg, None), s)), s)
        check.srcad_check = REQUIRE  # a SrcadError, never a skippable `assert` (rules/checks)
        out.append(check)
        c = _name(fresh, s)
    whole = gast.Subscript(value=r, slice=_at(gast.Constant(Ellipsis, None), s), ctx=gast.Store())
    out.append(_at(gast.Assign(targets=[_at(whole, s)], value=c, type_comment=None), s))
    return out


def _at(node: Any, like: Any) -> Any:
    return gast.copy_location(node, like)


def _name(name: str, like: Any, ctx: Any = None) -> gast.Name:
    return _at(gast.Name(id=name, ctx=ctx or gast.Load(), annotation=None, type_comment=None), like)
