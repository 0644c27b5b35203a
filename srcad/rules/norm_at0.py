"""Where the second derivative of a vector norm is not defined by its own rule: at a zero vector.

Input: the `RuleTable` pair (``register``). Output: the rules of one runtime helper, registered
by `srcad.rules.linalg`:

- ``norm_d2_check(v, n, d)``: `v` (a second-order term of ``np.linalg.norm``, rules/linalg_d2.py),
  refusing where the norm `n` (expanded to the input's shape) is 0 and the direction `d` (a
  tangent or cotangent of the input) is not. The first derivative takes the subgradient 0 there
  and its rule's second-order factor ``1 / n`` is taken as 0 (``div0``), which is right only
  where the tangent is 0 too (``np.linalg.norm(x - x)``, the zero diagonal of a pairwise
  distance). Elsewhere the true value depends on the function of the norm: a smooth one,
  ``np.exp(-0.5 * (np.linalg.norm(x - c) / ls) ** 2)`` or ``np.linalg.norm(d(x, c)) ** 2``
  computed in a helper, has a Hessian of ``f''(0) I`` at ``x = c``, a cone (``np.exp(-r)``,
  the norm itself) none; the chain rule gave 0 for both. The squares and ``cos`` of a norm that
  `srcad.ad.squares` recognizes never reach this rule. Linear in `v`.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import deflinear_helper, helper

HINT = (
    "the Hessian of a function of np.linalg.norm(x) at x = 0 (a distance at its centre) is not "
    "known from the norm's rule: write the square as np.sum(d * d) or np.linalg.norm(d) ** 2 "
    "in the same function (its rule is smooth), or evaluate away from that point"
)


@helper
def norm_d2_check(v, n, d):
    """`v`, or a refusal where ``n == 0`` and ``d != 0`` (see the module docstring)."""
    if np.any((np.asarray(n) == 0) & (np.asarray(d) != 0)):
        raise DiffError(
            "second derivative of np.linalg.norm at a zero vector along a nonzero direction: "
            "not defined by the norm's rule (its first derivative there is the subgradient 0)",
            hint=HINT,
        )
    return v


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of `norm_d2_check`."""
    deflinear_helper(
        jvp, vjp, norm_d2_check, "v, n, d",
        "_srcad.norm_d2_check(dv, n, d)", "_srcad.norm_d2_check(g, n, d)",
    )  # fmt: skip
