"""The optimization pipeline: a literal list of passes, run in order until nothing changes.

Input: a `Function`. Output: the same function, simplified in place. Each pass is a plain function
``pass(fn) -> bool`` (True when it changed something).
"""

from __future__ import annotations

from srcad.passes.cse import cse
from srcad.passes.dce import dce
from srcad.passes.fold import fold
from srcad.ssa.core import Function

PASSES = [fold, cse, dce]


def optimize(fn: Function, max_rounds: int = 10) -> Function:
    for _ in range(max_rounds):
        if not any([p(fn) for p in PASSES]):
            break
    return fn
