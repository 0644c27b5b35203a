"""Whether a value being lowered is certainly a NumPy array: the op that made it says so.

Input: the lowerer (its current block's ops and the enclosing blocks') and an operand. Output: a
bool (`made_array`). lower/idioms.py lowers ``u.sort()`` of a value of unknown kind as
``sorted(u) if isinstance(u, list) else np.sort(u)``; the mutation check cannot tell which
branch ran, so a write into a slice of the sorted `u` afterwards (``u[1:] += c``) was refused.
A `u` made by one of the calls below is an ndarray whatever their operands: ``np.sort(u)``.
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Var

# NumPy functions whose result is a new ndarray whatever the operands (not a NumPy scalar)
_ARRAY_MAKERS = frozenset(
    {"numpy.array", "numpy.asarray", "numpy.copy", "numpy.zeros", "numpy.ones", "numpy.empty"}
    | {"numpy.full", "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like"}
    | {"numpy.arange", "numpy.linspace", "numpy.sort", "numpy.concatenate", "numpy.stack"}
    | {"numpy.outer", "numpy.atleast_1d", "numpy.eye", "numpy.identity"}
)


def made_array(lw: Any, v: object) -> bool:
    """Was `v` made (in the current block or an enclosing one) by a call of `_ARRAY_MAKERS`
    without keyword arguments (``np.array(x, dtype=object)`` aside: still an ndarray, but
    kept out)?"""
    if type(v) is not Var:
        return False
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in reversed(ops):
            if v in op.results:
                return op.prim in _ARRAY_MAKERS and not op.kwargs and len(op.results) == 1
    return False
