"""Lists of tuples holding objects built here (``springs = [(0, 1, Spring(k)), (1, 2, Spring(k2))]``)
kept as known sequences (`FnSeq`s of `FnSeq`s), as lists of objects are (lower/objseq.py).

Input: a tuple or list display and its lowered element values. Output: whether the display is a
candidate (`candidate`: tuples of constants and calls, or a list of such tuple displays) and
whether its values make a known sequence (`known`: numbers and strings, at least one object built
here). A loop over such a list is unrolled (lower/fnvalues.unroll), each tuple unpacked into the
loop's targets (``for i, j, s in springs``), so each ``s`` is the object itself: its methods are
inlined and its field writes followed (lower/objstate.py)::

    springs = [(0, 1, Spring(2.0)), (1, 2, Spring(k))]      # FnSeq(FnSeq(0, 1, <obj>), ...)
    sum(s.energy(P[i], P[j]) for i, j, s in springs)         # unrolled, energy inlined
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import objseq
from srcad.lower.objseq import FnSeq
from srcad.ssa.core import Const


def candidate(node: Any, kind: str) -> bool:
    """``(i, j, Spring(k))`` (constants and calls) or a list of such tuple displays."""
    if kind == "tuple":
        return all(isinstance(e, (gast.Constant, gast.Call)) for e in node.elts) and any(
            isinstance(e, gast.Call) for e in node.elts
        )
    return kind == "list" and all(
        isinstance(e, gast.Tuple) and candidate(e, "tuple") for e in node.elts
    )


def known(lw: Any, vals: list, kind: str) -> bool:
    """The values of a `candidate`: a tuple of numbers and at least one object built here,
    or a list of such tuples (`FnSeq`s), kept as known sequences so a loop over them unpacks
    each tuple into the objects themselves."""
    if kind == "list":
        return all(isinstance(v, FnSeq) and v.kind == "tuple" for v in vals)
    objs = [v for v in vals if not isinstance(v, Const)]
    return (
        bool(objs)
        and all(objseq.object_like(lw, v) for v in objs)
        and all(type(v.value) in (int, float, str) for v in vals if isinstance(v, Const))
    )
