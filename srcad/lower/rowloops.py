"""Which ``for v in A`` loops lower/viewwrites.py runs over positions because the body writes
into `A` itself (``A[i, j] = v``, ``A[k] op= v``, ``A op= v``) and reads `v`.

Input: the loop (gast), the names of `A` and `v`, the statements of the body (nested ones
included, not in nested functions) and `A`'s `Base` (lower/viewbases.py). Output: a bool.

Python's array iterator reads ``A[0]``, ``A[1]``, ... one at a time, and a row is a view: a
write into `A` shows through it. lower/loopsource.py runs such loops over positions, but a row
read after a write into `A` in the same round is still a stale copy for srcad (the mutation
check refused it); here ``for k in range(len(A)): row = A[k]`` is made first, so the region
of ``row = A[k]`` (lower/viewwrites.py) reads `A[k]` for `row`. Only where `A` is sure to be
an array of two or more dimensions: a base made here of such a rank, or a base asserted an
array (a ``x.copy()``, an argument) written with a tuple index of two or more entries (a
1-D array, a list raise there when it runs; the assertion of two or more dimensions, written
when the loop starts, refuses a dict with tuple keys). 1-D arrays' items are numbers: those
loops are lower/loopsource.py's alone.

`view_rows`: the base of a loop's iterable that is a view of the same rank (``for c in A.T``,
``for row in A[1:]``), which lower/viewwrites.py runs over positions as it runs ``for row in A``.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.viewregion import writes_through


def base_written(s: Any, a: str, v: str, inner: list, base: Any) -> bool:
    """Does the body of the loop `s` write into `a` and read `v`, `a` sure to be an array (see
    the module docstring)?"""
    writes = [n for n in inner if writes_through(n, a)]
    if not writes:
        return False
    if not any(
        isinstance(m, gast.Name) and m.id == v and isinstance(m.ctx, gast.Load)
        for b in s.body
        for m in gast.walk(b)
    ):
        return False  # (nothing reads `v`: the loop as written is right)
    if base.number and not base.param:
        return False
    if (base.rank or base.least) >= 2:
        return True  # rows, views (an array's, asserted when the loop starts if `checked`)
    return (base.checked or base.param) and any(_tuple_index(n) for n in writes)


def _tuple_index(n: Any) -> bool:
    """``A[i, j] = v`` / ``A[i, j] op= v``: a write whose index into `A` itself has two or more
    entries (``A[i][j, k]`` of a list of arrays does not count)."""
    t = n.target if isinstance(n, gast.AugAssign) else n.targets[0]
    while isinstance(t, gast.Subscript) and isinstance(t.value, gast.Subscript):
        t = t.value
    if not isinstance(t, gast.Subscript):
        return False  # (`A op= v`: a list's extends it)
    idx = t.slice
    return (
        isinstance(idx, gast.Tuple)
        and len(idx.elts) >= 2
        and not any(isinstance(e, gast.Starred) for e in idx.elts)
    )


def view_rows(f: Any, it: Any) -> str | None:
    """The base `A` (`f`: lower/viewfacts.Facts) of ``A.T``, ``A[1:]``, ``A[::-1]``,
    ``np.transpose(A)[:, ::2]`` (a whole transpose and slices only, reading no other name: a
    view of `A`'s rank whatever the values, the same object each time the loop reads it), a
    base made here of a known rank >= 2 (a copy may be 1-D: its items numbers), else None::

        for c in A.T: c /= c.sum()  ->  "A"
    """
    v = f.chain(it)
    if v is None or v.head not in (None, "T") or v.deps - {f.np_name} != {v.base} or v.alias:
        return None
    for idx in v.idxs:
        parts = idx.elts if isinstance(idx, gast.Tuple) else [idx]
        if not all(isinstance(p, gast.Slice) for p in parts):
            return None  # (an int, `None` or `...` changes the rank)
    b = f.bases[v.base]
    if b.checked or b.param or b.number or b.rank is None or b.rank < 2:
        return None  # (rows of a rank made here: the loop's own guard is for `A` only)
    return v.base if v.head or v.idxs else None
