"""The runtime helpers of ``match`` statements' sequence and mapping patterns (lower/matches.py),
and of ``f(*xs)`` with `xs` of run-time length (lower/starcalls.py), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with zero rules for the pattern tests (the
helpers answer whether a value has a pattern's shape: a flag) and linear rules for `star_items`
(``tuple(xs)``). Generated code calls them as ``_srcad.match_sequence(s, 2, False)``.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper

# CPython's Py_TPFLAGS_SEQUENCE and Py_TPFLAGS_MAPPING (3.10+), which ``match`` tests.
_SEQUENCE_FLAG, _MAPPING_FLAG = 1 << 5, 1 << 6


@helper
def match_sequence(subject: Any, n: int, star: bool) -> bool:
    """`subject` matches a sequence pattern of `n` items (at least `n` with a ``*rest``), as
    Python's ``match``: its type carries the sequence flag (a `Sequence` subclass or one
    registered as such; str/bytes/bytearray are not). NumPy sets the flag on `ndarray` from
    2.5 on, so whether an array matches depends on the NumPy running, as in Python."""
    if not type(subject).__flags__ & _SEQUENCE_FLAG:
        return False
    return len(subject) >= n if star else len(subject) == n


@helper
def match_mapping(subject: Any, keys: tuple) -> bool:
    """`subject` matches a mapping pattern with these `keys`: its type carries the mapping flag
    (as Python's ``match``: a `Mapping` subclass or one registered) and it holds each key."""
    return bool(type(subject).__flags__ & _MAPPING_FLAG) and all(k in subject for k in keys)


@helper
def star_items(xs: Any, n: int, name: str, more: bool) -> tuple:
    """``tuple(xs)`` for ``name(..., *xs)`` whose `xs` must fill `n` more positional parameters
    (at least `n`, `more`: the function takes ``*args`` too): Python's TypeError otherwise."""
    t = tuple(xs)
    if len(t) != n and not (more and len(t) > n):
        raise TypeError(
            f"{name}() takes {n} more positional argument{'s' * (n != 1)} from `*` "
            f"but {len(t)} were given"
        )
    return t


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' rules."""
    defzero_helper(jvp, vjp, match_sequence, match_mapping)
    deflinear_helper(
        jvp, vjp, star_items, "xs, n, name, more", "_srcad.star_items(dxs, n, name, more)",
        "_srcad.to_list_vjp(g, xs)",
    )  # fmt: skip
