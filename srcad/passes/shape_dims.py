"""Ints that are dimensions, for `passes/shape_infer.py`: the shape of an array made from them.

Input: a shape of known rank, or an op and the `Shapes` being inferred. Output: the facts of
``x.shape`` (a tuple whose items are ints that are known dimensions: ``H = W.shape[0]`` of a
`W` of known rank is the int ``("p", k, 0)``, whose facts say so), and those of
``np.zeros(t)`` / ``ones`` / ``empty`` / ``full(t, v)`` of a tuple `t` of such ints (``x.shape``
itself, or a display ``(xs.shape[1], H)``): a new array of that shape. So
``h = np.zeros((x.shape[0], W.shape[1]))``, an RNN's initial state, has the shape its loop
keeps (`shape_infer._loop`'s fixpoint holds, and the reverse sweep's ``unbroadcast`` and
``matmul_vjp`` calls go: passes/shapes.py).

The dimension an int is lives in its facts (``Info.parts`` = ``("dim", d)``), so joins (an
``if``, a loop carry: equal dimensions or nothing) and the fixpoint's change tracking see it. A
dimension of a tuple shape is a parameter's or a global's (or the broadcast of such): the same
number for the whole call, in every iteration of a loop.
"""

from __future__ import annotations

from typing import Any

from srcad.passes.shape_facts import Info
from srcad.ssa.core import Op, Var

_make = tuple.__new__  # (`Info(...)` without NamedTuple's Python `__new__`)


def shape_tuple(s: tuple) -> Info:
    """The facts of ``x.shape`` for `x` of the (tuple, non-empty) shape `s`: a tuple of ints,
    item i the int that is dimension ``s[i]``."""
    return _make(Info, (None, False, tuple(dim_int(d) for d in s), False))


def dim_int(d: object) -> Info:
    """The facts of a Python int equal to the dimension `d`."""
    return _make(Info, ((), False, ("dim", d), False))


def dims_of(i: Info) -> tuple | None:
    """The shape a tuple of ints spells, when its facts say which dimension each is."""
    parts = i.parts
    if type(parts) is not tuple or not parts or parts[0] == "list":
        return None
    out = []
    for e in parts:
        p = e.parts if isinstance(e, Info) else None
        if type(p) is not tuple or len(p) != 2 or p[0] != "dim" or isinstance(p[1], Info):
            return None  # (a join of two different dimensions: ``("dim", TOP)``)
        out.append(p[1])
    return tuple(out)


def made(op: Op, sh: Any) -> Info | None:
    """``np.zeros(t, ...)`` (``ones``, ``empty``, ``full``) of a tuple of dimensions `t`: a new
    array of that shape; None (the general rules) otherwise."""
    a = op.args[0] if op.args else None
    if type(a) is not Var or "shape" in op.kwargs:
        return None
    dims = dims_of(sh.of(a))
    if dims is None:
        return None
    return _make(Info, (dims, True, None, False))
