"""Ranks of the float64 arrays a function reads as globals or closure values: function -> facts.

Input: a Python function and the globals it reads (`srcad.backend.cache.global_reads`). Output:
`global_ranks`, ``(("global" | "free", name, rank), ...)`` for every float64 ndarray the
function reads from its own module's globals (its callees in that module too: the lowering
inlines some) or from its closure cells. That tuple is part of the request (`Request.ranks`),
so of the in-memory and disk cache keys; the build seeds it into shape inference
(`passes/shape_infer.py`: ``X @ w`` of a global 2-D `X` is known 1-D for a 1-D `w`, so its
cotangent is ``X.T @ g``); and the guards (`backend/guard.py`, `backend/guardcode.py`) test
each such value's rank and dtype on every call, since ``X.shape = (...)`` or ``X.dtype = ...``
changes them in place, without a new object. A rank that changed builds another transform.

A function calling Python code srcad does not follow (a ``call`` op whose callee is not a
generated function) gets no seeds (`seeds`): that code could reshape a global in place while
the generated code runs, after the guard's test.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_F64 = np.dtype(np.float64)

Ranks = tuple[tuple[str, str, int], ...]


def rank_of(v: Any) -> int | None:
    """The rank of `v` when it is an ndarray of float64 (the arrays a `Spec` ranks), else
    None."""
    if type(v) is np.ndarray and v.dtype == _F64:
        return v.ndim
    return None


def global_ranks(pyfunc: Any, reads: list) -> Ranks:
    """The ranked float64 arrays `pyfunc` reads: plain globals of its own module (`reads`,
    first read first) and closure cells (in `co_freevars` order)."""
    if hasattr(pyfunc, "__srcad_source__"):  # names resolved in a namespace of its own: none
        return ()
    home = pyfunc.__globals__
    out: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    for g, name, v, dep in reads:
        if dep or g is not home or name in seen:
            continue
        seen.add(name)
        n = rank_of(v)
        if n is not None:
            out.append(("global", name, n))
    for name, cell in zip(pyfunc.__code__.co_freevars, pyfunc.__closure__ or ()):
        try:
            n = rank_of(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
        if n is not None:
            out.append(("free", name, n))
    return tuple(out)


def seeds(ranks: Ranks | None, fns: list) -> dict[tuple[str, str], int]:
    """(op kind, name) -> rank, what shape inference may take of the entry point's ``global`` and
    ``free`` reads; none when a function of the transform (`fns`) calls Python code srcad does
    not follow (module docstring)."""
    if not ranks or any(_opaque_calls(f.body, {}) for f in fns):
        return {}
    return {(kind, name): n for kind, name, n in ranks}


def _opaque_calls(block: Any, defs: dict) -> bool:
    """A ``call`` op in `block` (or a block nested in it) of something but a generated function
    (`defs`: the ops defining the values seen so far), or an in-place ``resize``."""
    for op in block.ops:
        for r in op.results:
            defs[r] = op
        if op.prim == "call":
            d = defs.get(op.args[0]) if op.args else None
            if d is None or d.prim != "global" or not d.params.get("generated"):
                return True
        elif op.prim.endswith(".resize"):
            return True
        if any(_opaque_calls(b, defs) for b in op.blocks):
            return True
    return False
