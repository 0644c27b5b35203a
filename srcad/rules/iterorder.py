"""The run-time check of ``for v in np.nditer(x)`` (`srcad.lower.iterzip`): NumPy's iterator
yields the items in memory order (``order="K"``, negative strides flipped), which is C order
(``x.ravel()``'s, what srcad loops over) for C-contiguous arrays and 1-D arrays read forwards.

Input: the iterated array (a number: one item). Output: the array itself (the identity, in value
and derivative), or a refusal when it runs for another layout (a transposed or Fortran-ordered
view, a reversed one), whose items NumPy would yield in another order, or for a list or tuple
(several operands to NumPy). Example::

    >>> nditer_c_order(np.ones((2, 3)))  # C-contiguous: its items in C order
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import SrcadError
from srcad.rules.helpers import helper, rt


@helper
def nditer_c_order(x: Any) -> Any:
    """`x` when ``np.nditer(x)`` yields its items in C order, else a refusal (also for a list or
    tuple, which ``np.nditer`` takes as several operands, yielding tuples)."""
    if isinstance(x, (list, tuple)):
        raise SrcadError(
            "`np.nditer(xs)` of a list or tuple iterates several operands together (its items "
            "are tuples): srcad lowers `np.nditer` of one array only",
            hint="pass one array (`np.nditer(np.asarray(xs))`), or zip the arrays' `.flat`",
        )
    a = np.asarray(x)
    if a.ndim == 0 or a.flags.c_contiguous or (a.ndim == 1 and a.strides[0] >= 0):
        return x
    raise SrcadError(
        "`np.nditer(x)` is iterated over an array whose memory layout is not C order (a "
        "transposed, Fortran-ordered or reversed view): NumPy yields its items in memory order, "
        "and srcad loops over them in C order only",
        hint="iterate over `x.ravel()` or `x.flat` (C order), or `np.ascontiguousarray(x)` first",
    )


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the check's rules: the identity."""
    jvp.defjvp(rt(nditer_c_order), "x", x="dx")
    vjp.defvjp(rt(nditer_c_order), "x", x="g")
