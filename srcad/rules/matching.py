"""The runtime helpers of ``match`` statements' sequence and mapping patterns (lower/matches.py),
with their rules.

Input: the `RuleTable` pair. Output: the tables filled with zero rules (the helpers answer
whether a value has a pattern's shape: a flag). Generated code calls them as
``_srcad.match_sequence(s, 2, False)``.
"""

from __future__ import annotations

from typing import Any

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper

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


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' (zero) rules."""
    defzero_helper(jvp, vjp, match_sequence, match_mapping)
