"""Reverse mode at infinite values a written infinity gave: no cotangent through them.

Input: a lowered `Function`, its ops that concatenate or repeat lists (`seq_ops`) and
`ad/masks.py`'s masks. Output: the masks, with each op `infvals.fixed_at_inf` picks (an
elementwise op whose result may hold an infinity the program wrote, with a local derivative that
may be infinite there) masked where its result is infinite (``(r, FINITE)``): such an entry is
infinite for every nearby input, so its derivative is 0. Before, its contributions were the
term's ``0 * inf``::

    u = np.array([np.inf, x]) / -g     # u[0] = -inf for every g > 0
    y = np.sum(np.exp(u))              # exp(u[0]) = 0: its cotangent g * 0 = 0 ...
    bg = ...(-bu * u / -g)             # ... times u / g = inf: nan (now masked: 0)

The forward mode's counterpart is ``_srcad.inf_fixed(t, r)`` (`ad/jvp.py`).
"""

from __future__ import annotations

from collections.abc import Container

from srcad.ad.infvals import fixed_at_inf, may_inf
from srcad.ad.masks import FINITE, Masks, _and
from srcad.ssa.core import Function, Var, walk_ops


def inf_masks(fn: Function, masks: dict[Var, Masks], seq_ops: Container) -> None:
    """Adds to `masks` the condition ``np.isfinite(r)`` of each result `r` of `fn` that
    `fixed_at_inf` picks (none when no written infinity may flow)."""
    infs = may_inf(fn)
    if not infs:
        return
    for op in walk_ops(fn.body):
        if fixed_at_inf(op, infs, seq_ops):
            r = op.results[0]
            masks[r] = _and(masks.get(r, ()), (r, FINITE))
