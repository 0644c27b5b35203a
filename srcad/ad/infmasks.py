"""Reverse mode at infinite values a written infinity gave: no cotangent through them.

Input: a reverse transform (`ad/vjp.py`: its function, `seq_ops`, `ad/masks.py`'s masks and the
parameters its caller gives a written infinity). Output: the masks, with each op
`infvals.fixed_at_inf` picks (an elementwise op whose result may hold an infinity the program
wrote, with a local derivative that may be infinite there) masked where its result is infinite
(``(r, FINITE)``; at the top level, where an infinite operand made it so: `infsources`): such
an entry is infinite for every nearby input, so its derivative is 0.
Before, its contributions were the term's ``0 * inf``::

    u = np.array([np.inf, x]) / -g     # u[0] = -inf for every g > 0
    y = np.sum(np.exp(u))              # exp(u[0]) = 0: its cotangent g * 0 = 0 ...
    bg = ...(-bu * u / -g)             # ... times u / g = inf: nan (now masked: 0)

The forward mode's counterpart is ``_srcad.inf_fixed(t, r)`` (`ad/jvp.py`). A helper's call
with an operand that may hold one makes the helper's VJP for those parameters (`inf_args`).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.infcalls import resolver
from srcad.ad.infsources import fixed_entries
from srcad.ad.infvals import fixed_at_inf, marked, may_inf
from srcad.ad.masks import FINITE, _and
from srcad.ssa.core import Var, walk_ops


def inf_masks(vjp: Any) -> None:
    """Adds to `vjp.masks` the condition ``np.isfinite(r)`` of each result `r` of `vjp.fn` that
    `fixed_at_inf` picks (none when no written infinity may flow)."""
    infs = _infs(vjp)
    if not infs:
        return
    masks = vjp.masks
    top = set(vjp.fn.body.ops)
    defs = {r: o for o in vjp.fn.body.ops for r in o.results}
    for op in walk_ops(vjp.fn.body):
        if fixed_at_inf(op, infs, vjp.seq_ops):
            r = op.results[0]
            # where an infinite operand made `r` infinite (not an overflow: `infsources`); an
            # op in a loop or branch: wherever it is infinite (its reverse reads taped values)
            c = fixed_entries(op, defs, infs, vjp.seq_ops) if op in top else r
            masks[r] = _and(masks.get(r, ()), (c, FINITE))


def inf_args(vjp: Any, args: list) -> tuple[int, ...]:
    """The positions of the operands `args` of a helper's call that may hold a written
    infinity: the helper's VJP is made for them (its `inf_params`), as the JVP's is."""
    infs = _infs(vjp)
    return tuple(k for k, a in enumerate(args) if marked(a, infs)) if infs else ()


def _infs(vjp: Any) -> frozenset[Var]:
    """`may_inf` of `vjp.fn`, its parameters `vjp.inf_params` given one (kept in `vjp.infs`
    until `VJP.sweep` rewrites the IR's calls)."""
    if vjp.infs is None:
        fn = vjp.fn
        vjp.infs = may_inf(fn, [fn.params[i] for i in vjp.inf_params], resolver(vjp))
    return vjp.infs
