"""Lists made of lists, for `lower/base.container_kind`.

Input: an op of the lowered IR, the op lists in scope and `container_kind` itself. Output: "list"
when the op makes a new list of lists it shows to be lists: ``xs[a:b]`` (a slice of a list is a
list, as Python's is), ``xs + ys`` of two lists; None otherwise (unknown). A beam search's
``beams = cand[:k]`` or ``beams = sorted(cand)[:k]`` keeps the loop-carried `beams` a list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ssa.core import Const, Op, Var


def list_result(lw: Any, op: Op, scopes: tuple, kind: Callable) -> str | None:
    """The kind "list" when `op` (a ``getitem`` with a slice, an ``add``) makes a list of lists."""
    if op.prim == "getitem" and len(op.args) == 2 and _is_slice(op.args[1], scopes):
        return "list" if kind(lw, op.args[0], scopes) == "list" else None
    if op.prim == "add" and len(op.args) == 2 and not op.kwargs:
        return "list" if all(kind(lw, a, scopes) == "list" for a in op.args) else None
    return None


def _is_slice(idx: object, scopes: tuple) -> bool:
    """`idx` is a constant slice or made by a ``slice`` op of the scopes."""
    if isinstance(idx, Const):
        return isinstance(idx.value, slice)
    if type(idx) is not Var:
        return False
    for ops in scopes:
        for op in ops:
            if idx in op.results:
                return op.prim == "slice"
    return False
