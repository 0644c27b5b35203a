"""Checkpointed loops: the `srcad.checkpoint_loop` marker.

Input: an iterable (``range(T)``, a sequence, ``enumerate``/``zip`` of them) and `every`, the
segment length (``None``: about sqrt(T) steps per segment). Output, when Python runs it: the
iterable itself. Inside a function srcad differentiates in reverse mode, the lowering recognises
the marker as the iterable of a ``for`` loop (`lower/calls.py`, ``params["checkpoint"]`` on the
`for` op) and the reverse sweep (`ad/vjp_loops.py`) saves only the loop carries at the start of
each segment, then, segment by segment from the last, recomputes the segment's forward pass with
its tape and runs its reverse sweep::

    for t in srcad.checkpoint_loop(range(2000), every=50):
        h = step(h, W)

Forward mode and plain calls ignore it.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import Any

from srcad import lazy
from srcad.errors import SrcadError

gast = lazy.module("gast")  # read by the lowering only (`checkpoint_marker`)
_iterlists = lazy.module("srcad.lower.iterlists")  # (idem)

__all__ = ["checkpoint_every", "checkpoint_loop", "checkpoint_marker"]

AUTO = 0  # ``params["checkpoint"]`` for ``every=None``: segments of about sqrt(T) steps


def checkpoint_every(every: Any) -> int:
    """The `for` op's ``params["checkpoint"]`` for a marker's `every`: `AUTO` for None, else the
    positive int; anything else raises `SrcadError` (the lowering adds the location)."""
    if every is None:
        return AUTO
    try:
        k = operator.index(every)
    except TypeError:
        raise SrcadError(
            f"`every` of `srcad.checkpoint_loop` must be a positive int or None, got {every!r}"
        ) from None
    if k < 1:
        raise SrcadError(f"`every` of `srcad.checkpoint_loop` must be at least 1, got {k}")
    return k


def checkpoint_loop(iterable: Iterable, every: int | None = None) -> Iterable:
    """Mark the iterable of a ``for`` loop for checkpointing in reverse mode (see the module
    docstring); called by Python it checks `every` and returns `iterable` unchanged.

    Example:
        >>> import numpy as np, srcad
        >>> def loss(x):
        ...     h = x
        ...     for t in srcad.checkpoint_loop(range(100), every=10):
        ...         h = h + 0.01 * np.sin(h)
        ...     return np.sum(h)
        >>> g = srcad.grad(loss)(np.array([0.5, 1.0]))  # 10 carries taped, not 100 steps
        >>> np.round(g, 6)
        array([1.956899, 1.106433])
    """
    checkpoint_every(every)
    return iterable


checkpoint_loop.__srcad_checkpoint_loop__ = True  # type: ignore[attr-defined]


def checkpoint_marker(low: Any, it: Any) -> tuple[Any, int | None]:
    """For the lowering `low` (`lower/calls.CallLowerer`): ``srcad.checkpoint_loop(xs, every=k)``
    as the iterable `it` of a loop -> (xs, `checkpoint_every(k)`); any other -> (it, None).
    `every` must be known at transform time (a literal, a module-level constant)."""
    if not isinstance(it, gast.Call) or any(isinstance(a, gast.Starred) for a in it.args):
        return it, None
    known, obj = _iterlists.static_callee(low, it.func)
    if not (known and getattr(obj, "__srcad_checkpoint_loop__", False)):
        return it, None
    kws = {kw.arg: kw.value for kw in it.keywords}
    if not it.args or len(it.args) + len(kws) > 2 or set(kws) - {"every"}:
        raise low.error(it, "`srcad.checkpoint_loop` takes an iterable and `every=`")
    node = it.args[1] if len(it.args) == 2 else kws.get("every")
    known, every = (True, None) if node is None else low.static_object(low.value(node))
    if not known:
        raise low.error(
            it,
            "`every` of `srcad.checkpoint_loop` must be known when srcad transforms the function",
            "pass an int literal, a module-level constant, or None (about sqrt(T) steps a segment)",
        )
    try:
        return it.args[0], checkpoint_every(every)
    except SrcadError as e:
        raise low.error(node, e.message) from None
