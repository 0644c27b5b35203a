"""The facts of the commonest ops of shape inference that no elementwise rule covers, each by a
function of its own (`passes/shape_infer._op` looks its prim up in `HANDLERS`).

Input: an `Op` and the `Shapes` of its operands. Output: the facts of its result (an `Info`),
exactly those of `shape_infer._op`'s general path (its special cases, `shape_rules.infer_shape`,
`_new_array`, `_arrayish`) for that prim, without the comparisons of the prims before it; None
where that path's own test decides (then `_op` runs it).

    HANDLERS["getitem"](op, sh)   # Info(shape, arr, parts, flt) of ``x[i]``
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.passes.shape_dims import made
from srcad.passes.shape_facts import TOP, Info
from srcad.passes.shape_rules import RT, Bcast, index
from srcad.ssa.core import Const, Op, Var

# `Info(...)` without the call of NamedTuple's Python `__new__` (the same tuple)
make = tuple.__new__


def renamed(i: Info, r: Var) -> Info:
    """The facts `i` of a list's elements as those of its element `r` read now: a shape of its
    own (``("v", x)``: the shape of the value `x`, of one iteration of a loop appending it)
    renamed ``("v", r, x)``, so the facts of what one read gives keep their relations but those
    of two reads (two iterations' values) do not share a shape."""
    s, parts = i.shape, i.parts
    if type(s) is Bcast and any(e[0] == "v" for e in s):
        s = Bcast(("v", r, *e[1:]) if e[0] == "v" else e for e in s)
    if type(parts) is tuple and parts and parts[0] != "list":
        parts = tuple(renamed(e, r) if isinstance(e, Info) else e for e in parts)
    if s is i.shape and parts == i.parts:
        return i
    return make(Info, (s, i.arr, parts, i.flt))


def _getitem(op: Op, sh: Any) -> Info | None:
    """``x[i]``: an element of a tuple or tracked list, a row by a loop's counter, or the shape
    of a basic index; an array of a shape of its own when `x` is an array."""
    args = op.args
    if len(args) != 2:
        return None
    a0, a1 = args
    info = sh.info
    i0 = (type(a0) is Var and info.get(a0)) or sh.of(a0)
    parts = i0.parts
    if type(parts) is tuple:
        if parts and parts[0] == "list":
            sh.read.add(parts[2])
            return renamed(parts[1], op.results[0]) if isinstance(parts[1], Info) else TOP
        if isinstance(a1, Const) and type(a1.value) is int and parts[0] != "dim":
            i = a1.value  # (an item of a tuple; not of an int that is a dimension)
            return parts[i] if -len(parts) <= i < len(parts) else TOP
    s = i0.shape
    if type(s) is tuple and s and type(a1) is Var and a1 in sh.ints:
        s = s[1:]  # ``x[k]`` of a loop's counter: an element (or row) of an array
        return make(Info, (s, bool(s), None, False))
    one = len(op.results) == 1
    if type(s) is Bcast:
        if one:  # (the default Spec's indexing)
            return make(Info, (Bcast({("v", op.results[0])}), True, None, False))
        r = None  # (`infer_shape`: its getitem rules need a rank)
    elif isinstance(sh.shape(a1), Bcast):
        r = None
    elif s is not None and isinstance(a1, Const):
        r = index(s, a1.value)
    else:
        r = None
    if r is not None:
        return make(Info, (r, bool(type(r) is tuple and r), None, False))
    # an array or NumPy scalar of a shape of its own, when `x` is an array (`_new_array`)
    if one and (isinstance(s, Bcast) or bool(type(s) is tuple and s) or i0.arr):
        return make(Info, (Bcast({("v", op.results[0])}), True, None, False))
    return TOP


def _like(op: Op, sh: Any) -> Info:
    """``shape_like(v)`` / ``zeros_like(v)`` (runtime helpers): the shape of `v`, whatever its
    rank; a ``shape_like`` stand-in is an array when its operand is."""
    args = op.args
    if not args:
        return TOP
    a = args[0]
    s = ((type(a) is Var and sh.info.get(a)) or sh.of(a)).shape
    if s is None:
        return TOP
    arr = bool(type(s) is tuple and s)
    if not arr and op.prim == _SHAPE_LIKE:
        arr = sh.arrayish(args[-1])
    return make(Info, (s, arr, None, False))


_SHAPE_LIKE = RT + "shape_like"

#: prim -> its facts' function
HANDLERS: dict[str, Callable[[Op, Any], Info | None]] = {
    "getitem": _getitem,
    _SHAPE_LIKE: _like,
    RT + "zeros_like": _like,
    "numpy.zeros": made,
    "numpy.ones": made,
    "numpy.empty": made,
    "numpy.full": made,
}
