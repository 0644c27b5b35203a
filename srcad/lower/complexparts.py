"""Writes into a complex array's real or imaginary part: ``z.imag[i] = v``, ``z.real[:] = x``.

Input: the lowerer and an assignment whose target is ``<name>.imag[idx]`` / ``<name>.real[idx]``
(or the whole part, ``z.imag = v``) of a local value the code makes when it runs (not an object
built here). Output: whether it was lowered, as the item write Python's view write amounts to::

    z.imag[i] = v        ->  z[i] = _srcad.with_part(z[i], v, "imag")

``with_part(c, v, "imag")`` is a copy of `c` with its imaginary part `v` (the real part kept,
signed zeros and infinities included: no arithmetic); ``"real"`` likewise, and of a real `c`
it is `v` in `c`'s shape (``z.real`` of a real array is `z` itself). A real array's ``.imag`` is
read-only: Python's ValueError (TypeError for ``z.imag = v``), raised by the helper. The item
write is then an ordinary ``z[i] = ...`` (the mutation check sees it: a view or alias of `z`
read after it is refused as for any write). The index is evaluated once, after the right side
(lower/idioms.index_once).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import idioms
from srcad.lower.copywrites import as_load
from srcad.lower.placed import placed
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Var

_PARTS = ("real", "imag")


def assign(lw: Any, t: Any, value: Any, s: Any) -> bool:
    """Lower ``t = value`` when `t` is such a part write (module docstring); -> whether it did."""
    part = t.value if isinstance(t, gast.Subscript) else t
    if not (
        isinstance(part, gast.Attribute)
        and part.attr in _PARTS
        and isinstance(part.value, gast.Name)
        and isinstance(lw.env.get(part.value.id), Var)
        and not isinstance(lw.env.get(part.value.id), LocalObj)
    ):
        return False
    if isinstance(t, gast.Subscript):
        item = gast.Subscript(value=part.value, slice=t.slice, ctx=gast.Store())
    else:
        whole = gast.Constant(Ellipsis, None)
        item = gast.Subscript(value=part.value, slice=whole, ctx=gast.Store())
    placed(item, t)
    v = lw.value(value)  # (Python evaluates the right side first, then the index)
    item, temps = idioms.index_once(lw, item)
    old = lw.value(as_load(item))
    lw.at(t)
    which = part.attr if isinstance(t, gast.Subscript) or part.attr == "real" else "imag all"
    new = lw.op("srcad.runtime.with_part", [old, v, Const(which)])
    lw.assign(item, new, s)
    for n in temps:
        del lw.env[n]
    return True
