"""Length checks of unpackings whose length the specialization knows: ``n, d = x.shape``.

Input: a generated `Function` and its `Shapes` (`passes/shape_infer.py`: the ranks of its
float64-array parameters, from the cache key). Output: the function without the
``_srcad.unpack_check(s, n)`` ops (lower/unpacks.py) whose `s` is the shape (``x.shape``,
``np.shape(x)``) of an array of known rank `n` (``at least n`` for a starred target): the check
cannot fail, so the generated code is what it was before the checks; True when one went.
"""

from __future__ import annotations

from srcad.passes.shape_infer import Shapes
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op

CHECK = "srcad.runtime.unpack_check"
_SHAPES = frozenset(("attr.shape", "numpy.shape"))


def drop_known_unpacks(fn: Function, sh: Shapes) -> bool:
    """Drop the checks that cannot fail (module docstring)."""
    ops = ops_of(fn.body)
    checks = [op for op in ops if op.prim == CHECK]
    if not checks:
        return False
    made = {op.results[0]: op for op in ops if len(op.results) == 1 and op.prim in _SHAPES}
    known = {id(op) for op in checks if _holds(op, made, sh)}
    if known:
        _drop(fn.body, known)
    return bool(known)


def _holds(op: Op, made: dict, sh: Shapes) -> bool:
    if not op.args or op.kwargs:
        return False
    d = made.get(op.args[0])
    if d is None or len(d.args) != 1 or d.kwargs:
        return False
    shape = sh.shape(d.args[0])
    if not isinstance(shape, tuple) or not sh.arrayish(d.args[0]):
        return False  # (an array, not a list or tuple of arrays, whose "shape" is its own)
    if not isinstance(op.args[1], Const):
        return False
    least = len(op.args) > 2 and isinstance(op.args[2], Const) and op.args[2].value is True
    n = op.args[1].value
    return len(shape) == n or least and len(shape) > n


def _drop(b: Block, known: set) -> None:
    b.ops = [op for op in b.ops if id(op) not in known]
    for op in b.ops:
        for sub in op.blocks:
            _drop(sub, known)
