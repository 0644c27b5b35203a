"""Layout templates of differentiated arguments, taken before the generated code runs.

Input: the bound arguments of a derivative's call. Output: what each derivative with respect to
them is laid out against (`args.fix_zero`): the argument itself, but for a list or dict a
shallow copy made now. The derivative is with respect to the argument's value at entry, and a
function that updates a list or dict argument in place (``xs.append(v)``, ``xs.pop()``,
``d[k] = v`` for a new key, ``xs[0] = 2.0``: lower/argcopy.py) has its final value written back
into the caller's object when the call ends (rules/argcopies.write_back), before the layout (and
before a pullback runs): the object then has the structure the call leaves, not the one the
derivative has. Nested lists and dicts need no copy: an update of an object inside an argument
is refused (passes/alias.py), but for the array items ``x[k] op= v`` updates in place
(lower/argitems.py), which keep their shapes and dtypes. No import of the transform machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def at_entry(x: Any) -> Any:
    """`x`'s layout template: a shallow copy of a list or dict, else `x` itself."""
    t = type(x)
    if t is list or t is dict:
        return x.copy()
    return x


def likes(full: Sequence[Any], positions: Sequence[int]) -> list[Any]:
    """The templates of the arguments at `positions` of `full`, in that order."""
    return [at_entry(full[k]) for k in positions]


def full_at_entry(full: Sequence[Any]) -> list[Any]:
    """Every argument's template (the arguments a Jacobian's combination reads by position)."""
    return [at_entry(x) for x in full]
