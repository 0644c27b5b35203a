"""scipy.special functions
(rules registered only when scipy is importable),
with the runtime helpers their rules call.

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
