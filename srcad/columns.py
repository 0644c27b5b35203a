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

import numpy as np

from srcad.errors import SrcadError

_STATE = threading.local()


def per_column(run: Callable[[Any], Any], cols: Sequence) -> list:
    """``[run(c) for c in cols]``, the columns after the first `muted`; the write-backs into
    arguments the function updates in place (rules/argcopies.write_back) recorded and applied
    once after the last column (by the outermost `per_column`), so every column starts from the
    caller's unchanged objects."""
    was = muted()
    outer = pending() is None
    if outer:
        _STATE.pending = []
    out = []
    try:
        for k, col in enumerate(cols):
            _STATE.muted = was or k > 0
            out.append(run(col))
        todo = _STATE.pending if outer else []
    finally:
        _STATE.muted = was
        if outer:
            _STATE.pending = None
    for dst, src in todo:
        write_now(dst, src)
    return out


def deferred(run: Callable[[], Any]) -> Any:
    """`run()` with the write-backs into arguments recorded and applied after it returns (a
    derivative whose generated code runs the function more than once: one column)."""
    return per_column(lambda _: run(), (None,))[0]


def quietly(run: Callable[[], Any]) -> Any:
    """`run()` with the write-backs into arguments and the updates of globals skipped (a run
    that only learns the output's shape: srcad.higher's `jacrev_chain`)."""
    was = muted()
    _STATE.muted = True
    try:
        return run()
    finally:
        _STATE.muted = was


def pending() -> list | None:
    """The write-backs recorded by the `per_column` running, or None."""
    return getattr(_STATE, "pending", None)


def write_now(dst: Any, src: Any) -> None:
    """``dst[...] = src`` (an array), ``dst[:] = src`` (a list), clear and update (a dict);
    nothing for a number or tuple: rules/argcopies.write_back's write, now."""
    t = type(dst)
    if t is np.ndarray:
        if np.shape(src) != dst.shape:
            raise SrcadError(
                f"the updated argument has shape {np.shape(src)} at the end of the call, its "
                f"object {dst.shape}",
                hint="keep the shape of an argument the function updates in place",
            )
        np.copyto(dst, src, casting="same_kind")
    elif t is list:
        dst[:] = src
    elif t is dict:
        dst.clear()
        dst.update(src)


def muted() -> bool:
    """Inside a column after the first: updates of globals are skipped."""
    return getattr(_STATE, "muted", False)
