"""``t op= v`` where `t` and another name hold one object that is an ndarray or a number.

Input: the statement ending a name copy's region in lower/chained.py (``c = b`` ... ``b += x``,
`h` the holder `b`, `other` the copy `c`), NumPy's global name. Output: the statements to lower
instead, or None when the statement is no such ``op=``.

An ndarray's ``+=`` changes the object both names hold; a number's rebinds the one name. Which
one holds is known only when the code runs (``b = x * 2.0`` is either), so both are written::

    c = b                         c = b
    b += x                  ->    if isinstance(b, np.ndarray):
    return np.sum(c * x)              b += x
                                      c = b
                                  else:
                                      assert isinstance(b, (int, float, .., np.generic))
                                      b = b + x
                                  return np.sum(c * x)

The first branch is the update both names see (the copy bound to the holder again); the
second Python's rebinding of a number (a tuple, a string: none has an in-place ``op=``),
asserted (a `require`: a SrcadError for a list, whose ``+=`` extends it in place, or another
object). Where the name holds an object built here while lowering (not a run-time value), the
statement is lowered as written instead (`original`: its ``__iadd__``, the lowering's). A
parameter's copy (``y = x; y += 1.0``) likewise: the first branch updates the argument,
which lower/argcopy.py writes back into the caller's object as for ``x += 1.0``.
Each next statement that is again such an ``op=`` of one of the two names is forked the same
way (after a fork they hold one ndarray or two numbers: ``c = b; b -= 1.0; c *= x``). Other
holders of the object (a list holding it) are the mutation check's, as before; so is any other
later write through either name (the region ends at the ``op=``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import gast

from srcad.lower.viewguard import REQUIRE, at, call, name
from srcad.ssa.core import Var

_OPS = {  # the binary operator of each augmented one (``@=``: not taken)
    gast.Add: gast.Add, gast.Sub: gast.Sub, gast.Mult: gast.Mult, gast.Div: gast.Div,
    gast.FloorDiv: gast.FloorDiv, gast.Mod: gast.Mod, gast.Pow: gast.Pow,
    gast.LShift: gast.LShift, gast.RShift: gast.RShift, gast.BitOr: gast.BitOr,
    gast.BitXor: gast.BitXor, gast.BitAnd: gast.BitAnd,
}  # fmt: skip
_REBOUND = ("int", "float", "complex", "tuple", "str", "bytes")  # (and NumPy's scalars)


def fork(s: Any, h: str, other: str, np_name: str | None, builtin: Callable) -> list | None:
    """The ``if`` of the module docstring for `s`, an ``op=`` of `h` or `other`; else None.
    `builtin(n)`: the name `n` reads the builtin (no local or global shadows it)."""
    if np_name is None or not isinstance(s, gast.AugAssign) or type(s.op) not in _OPS:
        return None
    if not all(map(builtin, ("isinstance", *_REBOUND))):
        return None
    t = s.target.id if isinstance(s.target, gast.Name) else None
    if t not in (h, other):
        return None
    value = copy.deepcopy(s.value)
    for n in gast.walk(value):
        if isinstance(n, gast.Name) and n.id == other:
            n.id = h
    np_attr = at(gast.Attribute(value=name(np_name, s), attr="ndarray", ctx=gast.Load()), s)
    test = call("isinstance", [name(h, s), np_attr], s)
    through = [
        at(gast.AugAssign(target=name(h, s, gast.Store()), op=copy.deepcopy(s.op), value=value), s),
        _assign(other, name(h, s), s),
    ]
    kinds = [name(k, s) for k in _REBOUND] + [
        at(gast.Attribute(value=name(np_name, s), attr="generic", ctx=gast.Load()), s)
    ]
    scalar = call("isinstance", [name(t, s), at(gast.Tuple(elts=kinds, ctx=gast.Load()), s)], s)
    msg = (
        f"`{t}` (also named `{other if t == h else h}`) is neither a NumPy array nor a number, "
        f"tuple or string; srcad rewrote `{t} op= ...` for those (lower/opfork.py)"
    )
    check = at(gast.Assert(test=scalar, msg=at(gast.Constant(msg, None), s)), s)
    check.srcad_check = REQUIRE  # a SrcadError, never a skippable `assert`
    right = copy.deepcopy(s.value)
    number = at(gast.BinOp(left=name(t, s), op=_OPS[type(s.op)](), right=right), s)
    out = at(gast.If(test=test, body=through, orelse=[check, _assign(t, number, s)]), s)
    out.srcad_fork = (s, h)  # (`original`: an object built here takes `s` itself)
    return [out]


def original(lw: Any, s: Any) -> Any:
    """The statement a fork made of (`fork`'s ``if`` `s`) when its name holds no run-time value
    while lowering (an object built here, ``b = Acc(x); c = b; b += x``: its ``__iadd__``
    and the objects' identities are the lowering's), else None."""
    got = getattr(s, "srcad_fork", None)
    return got[0] if got is not None and not isinstance(lw.env.get(got[1]), Var) else None


def _assign(target: str, value: Any, like: Any) -> Any:
    tgt = name(target, like, gast.Store())
    return at(gast.Assign(targets=[tgt], value=value, type_comment=None), like)
