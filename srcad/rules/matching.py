"""The runtime helpers of ``match`` statements' sequence and mapping patterns (lower/matches.py),
with their rules.

Input: the `RuleTable` pair. Output: the tables filled with zero rules (the helpers answer
whether a value has a pattern's shape: a flag). Generated code calls them as
``_srcad.match_sequence(s, 2, False)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper


@helper
def match_sequence(subject: Any, n: int, star: bool) -> bool:
    """`subject` matches a sequence pattern of `n` items (at least `n` with a ``*rest``): a
    `Sequence` other than str/bytes/bytearray (a NumPy array is none), as Python's ``match``."""
    if not isinstance(subject, Sequence) or isinstance(subject, (str, bytes, bytearray)):
        return False
    return len(subject) >= n if star else len(subject) == n


@helper
def match_mapping(subject: Any, keys: tuple) -> bool:
    """`subject` matches a mapping pattern with these `keys`: a `Mapping` holding each."""
    return isinstance(subject, Mapping) and all(k in subject for k in keys)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' (zero) rules."""
    defzero_helper(jvp, vjp, match_sequence, match_mapping)
