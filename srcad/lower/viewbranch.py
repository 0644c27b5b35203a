"""``r = A[i]; r op= v`` where `A`'s rank is not known when lowering: a view or a number.

Input: the ``r op= v`` statement, the `View` `r` was bound to (`View.need`: the rank `A` needs
for ``A[i]`` to be a view), NumPy's global name. Output: the statements to lower instead
(for lower/viewwrites.py, which calls `branch_write` for such a name).

``r = A[2]; r += r`` doubles row 2 of `A` when `A` is 2-D (a view: ``__iadd__`` writes into
`A`), and rebinds `r` alone when `A` is 1-D (a NumPy scalar). Which one holds is known only
when the code runs (the lowering is shared by every argument type), so both are written, the
test on ``A.ndim`` deciding::

    r = A[i]                          r = A[i]
    r *= s[i]                   ->    if isinstance(A, np.ndarray) and A.ndim >= 2:
                                          A[i] *= s[i]
                                          r = A[i]
                                      else:
                                          r = r * s[i]

The first branch is lower/viewwrites.py's write into the base (the view read again after it);
the second Python's own rebinding of a number, for a base that is not certainly an array (a
copy ``x.copy()`` of an argument: a list's items may be lists, whose ``+=`` extends them in
place) only where ``np.isscalar(r)`` holds (asserted: a `require` check, SrcadError otherwise).
Never for an argument never rebound (``r = x[0]; r += v``): the dead branch's write into `x`
would be an update of the caller's object to every caller's mutation check (a helper's too),
which decides that case as before from the argument types.
Reads of `r` elsewhere stay reads of `r`: the mutation check still sees `r` as maybe a view of
`A`, so a read of it after another write into `A` is refused as before.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import gast

from srcad.lower.viewguard import REQUIRE, at, call, name
from srcad.lower.viewregion import ends, stmts_in, writes_through

_OPS = {  # the binary operator of each augmented one (`@=` is never written through a name)
    gast.Add: gast.Add, gast.Sub: gast.Sub, gast.Mult: gast.Mult, gast.Div: gast.Div,
    gast.FloorDiv: gast.FloorDiv, gast.Mod: gast.Mod, gast.Pow: gast.Pow,
    gast.LShift: gast.LShift, gast.RShift: gast.RShift, gast.BitOr: gast.BitOr,
    gast.BitXor: gast.BitXor, gast.BitAnd: gast.BitAnd,
}  # fmt: skip


def eligible(s: Any, r: str) -> bool:
    """Is `s` a statement `branch_write` takes for the name `r` (``r op= v``, not ``@=``)?"""
    return (
        isinstance(s, gast.AugAssign)
        and isinstance(s.target, gast.Name)
        and s.target.id == r
        and type(s.op) in _OPS
    )


def branches(r: str, v: Any, rest: list) -> bool:
    """Is every write through `r` in its region (`rest` up to `viewregion.ends`) an
    ``r op= e`` (`eligible`), and is there one? (``r.fill(c)``, ``r[k] = e`` are left to the
    mutation check, as before.)"""
    seen = False
    for later in rest:
        for n in stmts_in(later):
            if writes_through(n, r):
                if not eligible(n, r):
                    return False
                seen = True
        if ends(later, v, r):
            break
    return seen


def rewrite(rw: Any, s: Any, v: Any, active: dict) -> Any:
    """``r op= e`` (`s`) of the view `v` (`branch` set) for lower/viewwrites.py's rewriter `rw`:
    the ``if`` of `branch_write`, the other views of `active` read through their bases."""
    rw.changed = True
    plain = rw.subst(s.value, active)
    through = rw.subst(copy.deepcopy(s.value), {**active, s.target.id: replace(v, branch=False)})
    b = rw.facts.bases[v.base]
    sure = not (b.checked or b.param or b.number)
    view = (rw.expr(v, s), rw.expr(v, s))
    return branch_write(s, *view, through, plain, rw.facts.np_name, v.base, v.need, sure)


def branch_write(
    s: Any, view_target: Any, view_read: Any, view_value: Any, plain_value: Any, np_name: str,
    base: str, need: int, sure: bool,
) -> Any:  # fmt: skip
    """The ``if`` of the module docstring for ``r op= v`` (`s`): `view_target`/`view_read` the
    view's expression ``A[i]`` (two trees), `view_value` the right side with `r` read as the
    view, `plain_value` as written; `sure`: `base` is certainly an ndarray (no scalar check)."""
    r = s.target.id
    isa = call("isinstance", [name(base, s), _np(np_name, "ndarray", s)], s)
    ndim = at(gast.Attribute(value=name(base, s), attr="ndim", ctx=gast.Load()), s)
    rank = at(
        gast.Compare(left=ndim, ops=[gast.GtE()], comparators=[at(gast.Constant(need, None), s)]), s
    )
    test = at(gast.BoolOp(op=gast.And(), values=[isa, rank]), s)
    view_target.ctx = gast.Store()
    through = [
        at(gast.AugAssign(target=view_target, op=copy.deepcopy(s.op), value=view_value), s),
        _assign(name(r, s, gast.Store()), view_read, s),
    ]
    number = at(gast.BinOp(left=name(r, s), op=_OPS[type(s.op)](), right=plain_value), s)
    plain = [_assign(name(r, s, gast.Store()), number, s)]
    if not sure:
        scalar = at(gast.Call(func=_np(np_name, "isscalar", s), args=[name(r, s)], keywords=[]), s)
        msg = (
            f"`{r}` (an item of `{base}`) is neither a view of a NumPy array nor a number; "
            f"srcad rewrote `{r} op= ...` for those two (lower/viewbranch.py)"
        )
        check = at(gast.Assert(test=scalar, msg=at(gast.Constant(msg, None), s)), s)
        check.srcad_check = REQUIRE  # a SrcadError, never a skippable `assert`
        plain.insert(0, check)
    return at(gast.If(test=test, body=through, orelse=plain), s)


def _np(np_name: str, attr: str, like: Any) -> Any:
    return at(gast.Attribute(value=name(np_name, like), attr=attr, ctx=gast.Load()), like)


def _assign(target: Any, value: Any, like: Any) -> Any:
    return at(gast.Assign(targets=[target], value=value, type_comment=None), like)
