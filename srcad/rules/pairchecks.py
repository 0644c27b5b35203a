"""The run-time checks of a ``for a, b in itertools.combinations(xs, 2)`` loop lowered as loops
over positions (lower/combos.py) and of a generator pulled by ``zip`` looping over its
argument (lower/genzip.check_sequences: `finite_sequence`), with their (zero) rules.

Input: the `RuleTable` pair. Output: the tables filled with the zero rules of `pair_source`,
which refuses a pool other than a list or tuple (a dict's pairs are of its keys, an iterator or
a set has no positions).
"""

from __future__ import annotations

from typing import Any

import numpy as np

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


_SEQUENCES = (list, tuple, np.ndarray, range, str, dict)


@helper
def finite_sequence(v: Any) -> None:
    """Nothing for a list, tuple, array, range, str or dict (a generator's ``for e in v`` over
    it ends and runs nothing: lower/genzip.check_sequences); else a refusal."""
    if type(v) not in _SEQUENCES:
        raise SrcadError(
            f"a generator pulled by `zip` loops over a `{type(v).__name__}`: srcad computes "
            "its items first, which is the same only over a list, tuple, array, range, str or "
            "dict (an iterator's items could run out or be taken by another reader)",
            hint="pass a list (`list(v)`)",
        )


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' rules."""
    defzero_helper(jvp, vjp, pair_source, finite_sequence)
