"""Generated code run once per column of a Jacobian (srcad.hessian, jacfwd, forward-over-reverse
levels), with the updates of module-level containers (rules/effects.py: ``HIST.append(loss)``)
done by the first column only: once per call of the derivative, as the user's function does
them once per call.

Input: the per-column call and the columns. Output: the outputs, in order. No import of the
transform machinery (srcad.higher imports this at ``import srcad``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

_STATE = threading.local()


def per_column(run: Callable[[Any], Any], cols: Sequence) -> list:
    """``[run(c) for c in cols]``, the columns after the first `muted`."""
    was = muted()
    out = []
    try:
        for k, col in enumerate(cols):
            _STATE.muted = was or k > 0
            out.append(run(col))
    finally:
        _STATE.muted = was
    return out


def muted() -> bool:
    """Inside a column after the first: updates of globals are skipped."""
    return getattr(_STATE, "muted", False)
