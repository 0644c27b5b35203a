"""The run-time check of a ``for a, b in itertools.combinations(xs, 2)`` loop lowered as loops
over positions (lower/combos.py), with its (zero) rules.

Input: the `RuleTable` pair. Output: the tables filled with the zero rules of `pair_source`,
which refuses a pool other than a list or tuple (a dict's pairs are of its keys, an iterator or
a set has no positions).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.rules import RuleTable
from srcad.errors import SrcadError
from srcad.rules.helpers import defzero_helper, helper


@helper
def pair_source(xs: Any) -> None:
    """Nothing for a list or tuple; else a refusal (see the module docstring)."""
    if type(xs) is not list and type(xs) is not tuple:
        raise SrcadError(
            f"`itertools.combinations`/`permutations` of a `{type(xs).__name__}` whose items "
            "the loop updates: srcad runs it as loops over positions, exact for a list or tuple",
            hint="pass a list (`list(xs)`)",
        )


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helper's rules."""
    defzero_helper(jvp, vjp, pair_source)
