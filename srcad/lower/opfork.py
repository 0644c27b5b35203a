"""``t op= v`` where `t` and another name hold one object that is an ndarray or a number.

Input: the statements from the one ending a name copy's region in lower/chained.py (``c = b``
... ``b += x``, `h` the holder `b`, `other` the copy `c`), NumPy's global name. Output: the
statements to lower instead and how many they replace, or None when it is no such ``op=``.

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

The ``op=`` statements of the two names that follow it go into the same ``if`` (``s = x;
s += y; s *= 2.0``): all in place on the one ndarray in the first branch; in the second, after
the first one the names hold no one object (a number is never shared in place), so the rest
run as written. Other holders of the object (a list holding it) are the mutation check's, as
before; so is any other later write through either name (the region ends at the ``op=``).
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


def fork(
    stmts: list, h: str, other: str, np_name: str | None, builtin: Callable
) -> tuple[list, int] | None:
    """The ``if`` of the module docstring for the ``op=`` statements of `h` or `other` that
    `stmts` starts with, and how many it takes; None when it starts with none. `builtin(n)`:
    the name `n` reads the builtin (no local or global shadows it)."""
    if np_name is None or not all(map(builtin, ("isinstance", *_REBOUND))):
        return None
    run: list = []
    for s in stmts:
        if not _takes(s, h, other):
            break
        run.append(s)
    if not run:
        return None
    first = run[0]
    t = first.target.id
    through = [_in_place(s, h, other) for s in run] + [_assign(other, name(h, first), first)]
    kinds = [name(k, first) for k in _REBOUND] + [_np(np_name, "generic", first)]
    scalar = call("isinstance", [name(t, first), at(gast.Tuple(kinds, gast.Load()), first)], first)
    msg = (
        f"`{t}` (also named `{other if t == h else h}`) is neither a NumPy array nor a number, "
        f"tuple or string; srcad rewrote `{t} op= ...` for those (lower/opfork.py)"
    )
    check = at(gast.Assert(test=scalar, msg=at(gast.Constant(msg, None), first)), first)
    check.srcad_check = REQUIRE  # a SrcadError, never a skippable `assert`
    right = copy.deepcopy(first.value)
    number = at(gast.BinOp(left=name(t, first), op=_OPS[type(first.op)](), right=right), first)
    rest = [copy.deepcopy(s) for s in run[1:]]  # (two names of no one object now: as written)
    test = call("isinstance", [name(h, first), _np(np_name, "ndarray", first)], first)
    out = at(
        gast.If(test=test, body=through, orelse=[check, _assign(t, number, first), *rest]), first
    )
    plain = run[0] if len(run) == 1 else at(gast.If(gast.Constant(True, None), run, []), first)
    out.srcad_fork = (plain, h)  # (`original`: an object built here takes them as written)
    return [out], len(run)


def _takes(s: Any, h: str, other: str) -> bool:
    return (
        isinstance(s, gast.AugAssign)
        and type(s.op) in _OPS
        and isinstance(s.target, gast.Name)
        and s.target.id in (h, other)
    )


def _in_place(s: Any, h: str, other: str) -> Any:
    """``h op= v`` for `s` (``t op= v``), `other` read as `h` in `v` (one object)."""
    value = copy.deepcopy(s.value)
    for n in gast.walk(value):
        if isinstance(n, gast.Name) and n.id == other:
            n.id = h
    return at(
        gast.AugAssign(target=name(h, s, gast.Store()), op=copy.deepcopy(s.op), value=value), s
    )


def _np(np_name: str, attr: str, like: Any) -> Any:
    return at(gast.Attribute(value=name(np_name, like), attr=attr, ctx=gast.Load()), like)


def original(lw: Any, s: Any) -> Any:
    """The statements a fork was made of (`fork`'s ``if`` `s`; several in an ``if True:``) when
    its name holds no run-time value while lowering (an object built here, ``b = Acc(x); c =
    b; b += x``: its ``__iadd__`` and the objects' identities are the lowering's), else None."""
    got = getattr(s, "srcad_fork", None)
    return got[0] if got is not None and not isinstance(lw.env.get(got[1]), Var) else None


def _assign(target: str, value: Any, like: Any) -> Any:
    tgt = name(target, like, gast.Store())
    return at(gast.Assign(targets=[tgt], value=value, type_comment=None), like)
