"""The user classes of a function's values, known before the transform's own analysis ran.

Input: a transform (`tr.fn`, its parameters' classes and kinds) and its parameters' values known
at transform time. Output: Var -> user class, for the typed parameters and the results of
``C(...)`` (`receivers.object_kinds`), so a pass that runs before `resolve_receivers` (the
checkpointed loop's check, `vjp_loops.segment_loops`) resolves ``cell(h)`` or ``cell.step(h)``
on ``cell = Cell(w)`` as a call of that class's method::

    cell = Cell(w)                                   # cell -> Cell
    for t in srcad.checkpoint_loop(range(n)):
        h = cell(h)                                  # Cell.__call__, followed to its source
"""

from __future__ import annotations

from typing import Any

from srcad.ad.receivers import object_kinds, seeds_of
from srcad.ssa.core import Var


def classes_of(tr: Any, known: dict) -> dict[Var, type]:
    """Var -> user class: `tr`'s typed parameters, then what `object_kinds` finds from them."""
    out = {tr.fn.params[i]: t for i, t in tr.param_types.items()}
    for v, k in object_kinds(tr.fn, seeds_of(tr), known).items():
        if isinstance(k, type):
            out.setdefault(v, k)
    return out
