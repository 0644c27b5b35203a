"""Slice assignments into Python lists (``xs[a:b] = ys``, ``xs[::2] = ys``): the cotangent
helpers of a write that may change the list's length.

Input: the new list's cotangent `g` (a list, None entries and None itself its zeros), the slice,
the old list `x` and the written sequence `v` (for their lengths: `x`'s and `v`'s numbers are
never read). Output: the cotangents of the old list and of `v`. ``register(jvp, vjp)`` fills the
rule tables. When `x` is no list or `idx` no slice at run time (an array, a dict), each helper
is the matching ``setitem_vjp_*`` of rules/indexing.py::

    >>> splice_vjp_x([1.0, 2.0, 3.0, 4.0], slice(1, 2), [5.0, 6.0, 7.0], [8.0, 9.0])
    [1.0, None, 4.0]
    >>> splice_vjp_v([1.0, 2.0, 3.0, 4.0], slice(1, 2), [5.0, 6.0, 7.0], (8.0, 9.0))
    (2.0, 3.0)

The pairs (`splice_vjp_x`, `splice_none`) and (`splice_vjp_v`, `splice_embed`) are each other's
transposes (higher orders).
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper
from srcad.rules.indexing import (
    _unsupported,
    elem,
    getitem_vjp,
    last_writes,
    setitem_vjp_v,
    setitem_vjp_x,
)
from srcad.rules.trees import broadcast_like, zeros_like

_MSG = (
    "the derivative of `xs[a:b] = ys` with `ys` a %s: srcad differentiates it for a list, "
    "tuple or array `ys`"
)


def _is_splice(x, idx) -> bool:
    if type(idx) is slice and isinstance(x, list) and type(x) is not list:
        raise _unsupported(f"the derivative of `xs[a:b] = ys` into a {type(x).__name__}: "
                           "srcad differentiates it for a list or an array `xs`")  # fmt: skip
    return type(x) is list and type(idx) is slice


def _span(x, idx, v) -> tuple[int, int, int, int]:
    """(start, stop, step, len(v)) of ``x[idx] = v`` on the old list; `stop` >= `start` when
    the step is 1 (``xs[3:1] = ys`` inserts at 3)."""
    if not isinstance(v, (list, tuple, np.ndarray, str, bytes, range)):
        raise _unsupported(_MSG % type(v).__name__)
    start, stop, step = idx.indices(len(x))
    if step == 1:
        stop = max(start, stop)
    return start, stop, step, len(v)


@helper
def splice_zero(v):
    """The zero tangent of the sequence `v` a slice assignment ``xs[a:b] = v`` writes:
    `zeros_like(v)`, but one None per character of a str (whose own zero is one None)."""
    return [None] * len(v) if type(v) is str else zeros_like(v)


@helper
def splice_vjp_x(g, idx, x, v):
    """Cotangent of the old list `x` for ``x[idx] = v``: the new list's `g` without the
    written entries, the later ones moved back to their old positions."""
    if not _is_splice(x, idx):
        return setitem_vjp_x(g, idx)
    if g is None:
        return None
    start, stop, step, n = _span(x, idx, v)
    if step != 1:  # an extended slice: the same length (Python raises otherwise)
        y = list(g)
        y[idx] = [None] * n
        return y
    return [*g[:start], *([None] * (stop - start)), *g[start + n :]]


@helper
def splice_none(c, idx, x, v):
    """The transpose of `splice_vjp_x` in its first argument: `c` (the old list's) with the
    written entries replaced by ``len(v)`` zeros (None)."""
    if not _is_splice(x, idx):
        return setitem_vjp_x(c, idx)
    if c is None:
        return None
    y = list(c)
    y[idx] = [None] * _span(x, idx, v)[3]
    return y


def _like(part: list, v):
    """The entries `part` (None: zero) as a cotangent of the sequence `v`."""
    if type(v) is list:
        return part
    if isinstance(v, tuple):
        return tuple(part)
    if type(v) is not np.ndarray:
        raise _unsupported(_MSG % type(v).__name__)
    rows = [zeros_like(v[i]) if p is None else p for i, p in enumerate(part)]
    out = np.zeros(np.shape(v), dtype=np.result_type(v.dtype, float))
    for i, r in enumerate(rows):
        out[i] = r
    return out


@helper
def splice_vjp_v(g, idx, x, v):
    """Cotangent of `v` for ``x[idx] = v`` on a list `x`: the entries of the new list's `g`
    that `v` wrote, as a cotangent of `v` (a list, tuple or array)."""
    if not _is_splice(x, idx):
        return setitem_vjp_v(g, idx, v)
    if g is None:
        return zeros_like(v)
    start, stop, step, n = _span(x, idx, v)
    part = list(g[start : start + n] if step == 1 else g[idx])
    return _like(part, v)


@helper
def splice_embed(c, t, idx, x, v):
    """The transpose of ``splice_vjp_v(t, idx, x, v)`` in `t`: the cotangent `c` of `v` put at
    the written entries of a zero (None) list as long as the new one."""
    if not _is_splice(x, idx):
        return getitem_vjp(last_writes(broadcast_like(c, elem(t, idx, c)), t, idx), t, idx)
    y: list = [None] * len(x)
    y[idx] = [None] * _span(x, idx, v)[3] if c is None else list(c)
    return y


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the splice helpers (each linear in its first parameter; `splice_zero` a zero)."""
    defzero_helper(jvp, vjp, splice_zero)
    deflinear_helper(
        jvp, vjp, splice_vjp_x, "t, idx, x, v",
        "_srcad.splice_vjp_x(dt, idx, x, v)", "_srcad.splice_none(g, idx, x, v)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, splice_none, "t, idx, x, v",
        "_srcad.splice_none(dt, idx, x, v)", "_srcad.splice_vjp_x(g, idx, x, v)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, splice_vjp_v, "t, idx, x, v",
        "_srcad.splice_vjp_v(dt, idx, x, v)", "_srcad.splice_embed(g, t, idx, x, v)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, splice_embed, "c, t, idx, x, v",
        "_srcad.splice_embed(dc, t, idx, x, v)", "_srcad.splice_vjp_v(g, idx, x, v)",
    )  # fmt: skip
