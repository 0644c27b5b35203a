"""Index expressions that do not change in a loop, computed once before it.

Input: a block and the shape facts of its function (`passes/shape_infer.py`), or, before a
transform, a function and the ranks `passes/scalars.py` found. Output: the block, with the ops
of each ``for`` loop's body that build a loop-invariant index moved to just before the loop;
True when one moved. The ops moved are those that cannot raise and read no
array, so running them once, even for a loop that runs no iteration, changes nothing:

- ``slice(a, b, c)`` of None, int constants and such ints;
- a tuple display of None, int constants, such ints and such slices;
- ``+``, ``-``, ``*`` of int constants and ints that are dimensions (``H = W.shape[0]``,
  `passes/shape_dims.py`: a Python int) or such results.

An LSTM's gate slices ``z[:, H:2 * H]`` then read one index made before the loop: the forward
sweep builds none per step, and the reverse sweep reads it as an outer value, not from the tape
(issue 11). Nested loops: the inner loop's first (its body's ops may then move again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ssa.census import structured_ops
from srcad.ssa.core import Block, Const, Function, Op, Var

_INT_ARITH = frozenset({"add", "sub", "mul"})


def hoist_indices(block: Block, sh: Any) -> bool:
    """Move the loop-invariant index ops of every ``for`` loop in `block` (module docstring);
    `sh`: the facts telling dimensions (their ``("dim", d)`` parts)."""
    if not _candidates(block):
        return False
    return _hoist(block, _Facts(lambda v: _dim(sh.of(v).parts)))


def hoist_loop_indices(fn: Function, ranks: dict | None) -> bool:
    """`hoist_indices` before a transform, where shape facts are not inferred yet: the dimensions
    are ``x.shape[k]`` (an int constant `k`) of values `x` of a known rank (`ranks`:
    `passes/scalars.py`'s, arrays: a tuple of Python ints), found as the walk goes."""
    if not ranks or not _candidates(fn.body):
        return False
    return _hoist(fn.body, _Facts(None, ranks))


def _candidates(block: Block) -> bool:
    """Some ``for`` loop's body holds a slice or tuple op (else nothing moves: one look at the
    loops, `census`'s shared walk)."""
    return any(
        o.prim == "slice" or o.prim == "tuple"
        for op in structured_ops(block)
        if op.prim == "for"
        for o in op.blocks[-1].ops
    )


def _dim(parts: Any) -> bool:
    return type(parts) is tuple and len(parts) == 2 and parts[0] == "dim"


class _Facts:
    """The Python ints and the indices (slices and tuples of ints, None and such slices) met so
    far, wherever they are (an int is one inside a loop too; `_invariant` tells which may move)."""

    def __init__(self, dim: Callable[[Var], bool] | None, ranks: dict | None = None) -> None:
        self.ints: set[Var] = set()
        self.idx: set[Var] = set()
        self.dim = dim or self.ints.__contains__
        self.ranks, self.shapes = ranks, set()  # (`hoist_loop_indices`: ``x.shape`` of those)

    def kind(self, o: Op) -> str | None:
        """ "int" or "idx" when `o` makes one (from its operands' facts), else None."""
        if o.blocks or o.kwargs or len(o.results) != 1:
            return None
        p, args = o.prim, o.args
        if p in _INT_ARITH:
            return "int" if len(args) == 2 and all(map(self.int, args)) else None
        if p == "slice":
            ok = 1 <= len(args) <= 3 and all(_none(a) or self.int(a) for a in args)
            return "idx" if ok else None
        if p == "tuple":
            return "idx" if all(map(self.item, args)) else None
        return None

    def note(self, o: Op) -> str | None:
        if self.ranks is not None and len(o.args) == 1 + (o.prim == "getitem"):
            a = o.args[0]  # ``x.shape`` of `x` of a known rank, and ``x.shape[k]``: dimensions
            if o.prim == "attr.shape" and a in self.ranks:
                self.shapes.add(o.results[0])
            elif o.prim == "getitem" and a in self.shapes and type(o.args[1]) is Const:
                if type(o.args[1].value) is int:
                    self.ints.add(o.results[0])
        k = self.kind(o)
        if k is not None:
            (self.ints if k == "int" else self.idx).add(o.results[0])
        return k

    def int(self, a: Any) -> bool:
        """`a` is a Python int: an int constant, an int op's, or a dimension."""
        if type(a) is Const:
            return type(a.value) is int
        return a in self.ints or self.dim(a)

    def item(self, a: Any) -> bool:
        if type(a) is Const:
            return a.value is None or type(a.value) in (int, slice)
        return a in self.idx or self.int(a)


def _hoist(block: Block, f: _Facts) -> bool:
    changed = False
    out: list[Op] = []
    for op in block.ops:
        f.note(op)
        for sub in op.blocks:
            changed |= _hoist(sub, f)
        if op.prim == "for" and op.blocks:
            moved = _invariant(op.blocks[-1], f)
            if moved:
                out.extend(moved)
                changed = True
        out.append(op)
    if changed:
        block.ops = out
    return changed


def _invariant(body: Block, f: _Facts) -> list[Op]:
    """The ops of `body` to move (taken out of it), in their order: an int or index op reading
    no value the body makes (nor its parameters)."""
    inner: set[Var] = set(body.params)
    moved: list[Op] = []
    kept: list[Op] = []
    for o in body.ops:
        if f.kind(o) is None or any(type(a) is Var and a in inner for a in o.args):
            kept.append(o)
            inner.update(o.results)
        else:
            moved.append(o)
    if moved:
        body.ops = kept
    return moved


def _none(a: Any) -> bool:
    return type(a) is Const and a.value is None
