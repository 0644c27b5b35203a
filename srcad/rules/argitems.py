"""The runtime helpers of a list or dict argument whose items the function updates with ``op=``
(``for k in params: params[k] -= lr * g[k]``: lower/argcopy.py's "items" mode), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of `own_items` (the items'
private copies: linear, entry_copy's rules) and the zero rules of `items_unshared` (the run-time
aliasing check of the items) and `items_kept` (the result holding an item's private copy).

Python runs ``params[k].__isub__(v)``: an array item is changed in place (the caller's dict
keeps the same array objects), a number item is rebound. srcad works on a copy of the container
holding copies of its array items (`own_items`) and at the end writes each array's final value
into the caller's array and the numbers into the caller's container (`write_back`'s items mode,
`write_items`): the caller is left as Python leaves it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.columns import muted, pending, write_now
from srcad.errors import SrcadError
from srcad.rules.helpers import defzero_helper, helper, rt

_NUMBERS = (int, float, complex, bool, np.generic, type(None), str, bytes, tuple, frozenset)


def _items(x: Any) -> list:
    return list(x.values()) if type(x) is dict else list(x) if type(x) is list else []


@helper
def own_items(x: Any) -> Any:
    """`x` (the entry copy of a list or dict argument) with each NumPy array item copied; an
    immutable item as it is. Any other item (a list, dict, user object, another array type),
    which ``op=`` would update in place too, is refused: srcad copies arrays only."""
    t = type(x)
    if t is not list and t is not dict:
        return x  # (an array or another type: `entry_copy` copied or refused it already)
    for e in _items(x):
        if type(e) is not np.ndarray and not isinstance(e, _NUMBERS):
            raise SrcadError(
                f"the function updates the items of a {t.__name__} argument with `op=`, and an "
                f"item is a `{type(e).__name__}`: srcad copies (and writes back into) NumPy "
                "array items only, which `op=` updates in place, and numbers, which it rebinds",
                hint="hold NumPy arrays or numbers in the container, or store new values "
                "(`params[k] = params[k] - v`)",
            )
    cp = _copy
    return {k: cp(v) for k, v in x.items()} if t is dict else [cp(v) for v in x]


def _copy(v: Any) -> Any:
    return v.copy(order="K") if type(v) is np.ndarray else v


@helper
def items_unshared(label: str, x: Any, *others: Any) -> None:
    """Raise when an array item of the argument `x` (named `label`), which the function updates
    in place, shares memory with another of its items or with one of `others` (the other
    arguments and the globals the function reads): Python's update would show through the other
    name, srcad updates a private copy."""
    arrays = [e for e in _items(x) if type(e) is np.ndarray]
    for i, a in enumerate(arrays):
        for j, b in enumerate(arrays):
            if j > i and np.may_share_memory(a, b) and np.shares_memory(a, b):
                _refuse(label, "another of its items")
        for b in others:
            if b is not x and _holds(b, a, set()):
                _refuse(label, "another argument or a global the function reads")


def _refuse(label: str, what: str) -> None:
    raise SrcadError(
        f"an array item of the argument `{label}`, whose items the function updates in place, "
        f"shares memory with {what}; srcad updates private copies and writes them back at the "
        "end, so reads through the other name would differ from Python's",
        hint=f"pass separate arrays (`{{k: v.copy() for k, v in {label}.items()}}`)",
    )


def _holds(b: Any, a: np.ndarray, seen: set) -> bool:
    if b is a:
        return True
    if id(b) in seen or isinstance(b, _NUMBERS):
        return False
    seen.add(id(b))
    if type(b) is np.ndarray:
        return b.dtype != object and np.may_share_memory(a, b) and np.shares_memory(a, b)
    if isinstance(b, (list, tuple, set, frozenset)):
        return any(_holds(e, a, seen) for e in b)
    if isinstance(b, dict):
        return any(_holds(e, a, seen) for e in b.values())
    d = getattr(b, "__dict__", None)
    return isinstance(d, dict) and any(_holds(e, a, seen) for e in d.values())


@helper
def items_kept(label: str, final: Any, result: Any) -> None:
    """Raise when the function's `result` holds an array item of `final` (the private copy an
    argument whose items the function updates ends in): Python's result holds the caller's
    array there, srcad's another array with its values."""
    for e in _items(final):
        if type(e) is np.ndarray and _holds(result, e, set()):
            raise SrcadError(
                f"the function's result holds an array item of the argument `{label}` (or a "
                "view of it), whose items the function updates in place: srcad updates private "
                "copies written back at the end, so the result would not hold the caller's "
                "array, as in Python",
                hint=f"return a copy (`{label}[k].copy()`)",
            )


def write_items(dst: Any, src: Any) -> None:
    """`write_back`'s items mode: each array item of `dst` (the caller's list or dict) given its
    final value in place, its other items rebound to the final ones (`src`); `dst` an array:
    its final value (`write_now`). Inside a Jacobian's columns: recorded, applied once after
    the last column."""
    if muted() or dst is src:
        return
    t = type(dst)
    if t is not type(src) or (t is not list and t is not dict):
        todo: list = [(dst, src)]
    else:
        keys = list(dst) if t is dict else range(len(dst))
        todo = [(dst[k], src[k]) for k in keys if type(dst[k]) is np.ndarray]
        if t is dict:
            kept = {k: (dst[k] if type(dst[k]) is np.ndarray else src[k]) for k in src}
        else:
            kept = [d if type(d) is np.ndarray else s for d, s in zip(dst, src)]
        todo.append((dst, kept))
    later = pending()
    if later is not None:
        later.extend(todo)
        return
    for d, s in todo:
        write_now(d, s)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' rules."""
    jvp.defjvp(rt(own_items), "x", x="_srcad.shallow_copy(dx)")
    vjp.defvjp(rt(own_items), "x", x="g")
    defzero_helper(jvp, vjp, items_unshared, items_kept)
