"""Whether a value a loop iterates can be indexed by position as it is (lower/calls.py `as_seq`).

Input: the ops of the block being lowered, the iterated value, the primitives whose results are
sequences. Output: a bool; False makes the lowering list the value at run time
(`_srcad.as_sequence`: the value itself for a list, tuple, array, range or str, the keys of a
dict, the items of a view or generator).

An item read by key or position (``p["a"]``, ``xs[0]``) is not known to be a sequence: it may be
a dict, whose loop runs over its keys, where indexing it by position read its values
(``for n in p["a"]`` over ``{0: 5.0, 1: 7.0}`` summed 5 + 7 instead of 0 + 1; models27). A slice
(``xs[1:]``) is a sequence of the sliced value's kind.
"""

from __future__ import annotations

from srcad.ssa.core import Const, Op, Var

_SLICES = ("slice", "builtins.slice")


def indexable(ops: list[Op], v: Var, sequence_prims: frozenset[str]) -> bool:
    """Is `v`, made by one of `ops`, a sequence to index by position (see the module docstring)?"""
    made = _made(ops, v)
    if made is None or made.prim not in sequence_prims:
        return False
    if made.prim != "getitem" or len(made.args) < 2:
        return True
    k = made.args[1]
    if isinstance(k, Const):
        return isinstance(k.value, slice)
    key = _made(ops, k) if isinstance(k, Var) else None
    return key is not None and key.prim in _SLICES


def _made(ops: list[Op], v: Var) -> Op | None:
    return next((op for op in reversed(ops) if v in op.results), None)
