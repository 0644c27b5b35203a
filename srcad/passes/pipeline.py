"""The optimization pipeline: a literal list of passes, run in order until nothing changes.

Input: a `Function` (and, for a generated entry point, the ranks of its float-array parameters, or that they
are arrays or numbers of unknown rank).
Output: the same function, simplified in place. Each pass is a plain function ``pass(fn) -> bool``
(True when it changed something); with ranks, the shape rewrites (`passes/shapes.py`) run first.
"""

from __future__ import annotations

from srcad.passes.cse import cse
from srcad.passes.dce import dce
from srcad.passes.fold import fold
from srcad.passes.shapes import shape_rewrites
from srcad.ssa.core import Function

PASSES = [fold, cse, dce]


def optimize(
    fn: Function,
    max_rounds: int = 10,
    ndims: dict[int, int] | None = None,
    opaque: bool = False,
    scalars: tuple[int, ...] = (),
) -> Function:
    """Run the passes to a fixpoint; `ndims`: (parameter position -> rank) of `fn`'s float64
    array parameters, known for the entry point of a transform; `opaque`: its parameters are
    arrays or numbers of unknown rank (the default `Spec()`); `scalars`: the
    positions of its Python-number parameters."""
    if ndims or opaque or scalars:
        shape_rewrites(fn, ndims or {}, opaque, scalars)
    for _ in range(max_rounds):
        if not any([p(fn) for p in PASSES]):
            break
    return fn
