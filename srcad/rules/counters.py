"""The run-time check of ``c.most_common(n)`` (`srcad.lower.counters`): the receiver must be a
``collections.Counter`` itself (a subclass may override the method, another class have one of
its own), whose ``most_common`` is ``sorted(c.items(), key=itemgetter(1), reverse=True)[:n]``.

Input: the receiver. Output: None (a check: no derivative), or a refusal when it runs.
Example::

    >>> exact_counter(collections.Counter(a=2.0))  # passes
"""

from __future__ import annotations

import collections
from typing import Any

from srcad.ad.rules import RuleTable
from srcad.errors import SrcadError
from srcad.rules.helpers import defzero_helper, helper


@helper
def exact_counter(c: Any) -> None:
    """Nothing when `c` is a ``collections.Counter`` (not a subclass), else a refusal."""
    if type(c) is collections.Counter:
        return None
    raise SrcadError(
        f"`.most_common()` is called on a `{type(c).__name__}`: srcad differentiates "
        "`collections.Counter.most_common` only (as `sorted(c.items(), key=itemgetter(1), "
        "reverse=True)[:n]`)",
        hint="write the sort out: `sorted(c.items(), key=lambda kv: kv[1], reverse=True)[:n]`",
    )


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the check's rules: zero (it returns nothing)."""
    defzero_helper(jvp, vjp, exact_counter)
