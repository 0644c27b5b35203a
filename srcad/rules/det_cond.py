"""Which determinants the derivative rules of ``det`` treat as those of a singular matrix.

Input: the `RuleTable` pair (``register``). Output: the rules of two runtime helpers, registered
by `srcad.rules.linalg`:

- ``det_nz(d, a)``: `d` (``det(a)``), 0 where the real matrix `a` is numerically singular (its
  2-norm condition number above `COND_MAX`). The rules of ``det`` pass it to ``det_cofactor``,
  whose SVD formula (exact for any matrix) then applies, and to the second-order rules
  (srcad/rules/linalg_d2.py), whose ``d != 0`` form ``div0(dd, d) B - d B t^T B`` (``B =
  inv(a)^T``) cancels two terms of size ``1 / s_min``: its relative error grows as
  ``eps * cond(a)`` (1e-6 at cond 1e10). At a matrix singular in exact arithmetic, whose `det`
  rounds to ~1e-17 and not 0 (``det(x y^T + y x^T)`` of 3x3, zero for every x), the Hessian
  of ``det`` was O(1) wrong. Linear in `d` (the same mask).
- ``det_d3_check(a, d)``: `a`, refusing where ``d == 0``: the third derivative of ``det`` is
  written only for its ``d != 0`` form (inv(a) raised LinAlgError at an exactly singular `a`;
  at one `det_nz` makes singular it would not). Linear in `a`.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.indexing import _unsupported

# above this 2-norm condition number the `d != 0` form loses more than ~1e-9 relative
COND_MAX = 1e6


@helper
def det_nz(d, a):
    """`d`, 0 for each real matrix of `a` whose condition number is above `COND_MAX`."""
    a = np.asarray(a)
    if a.dtype.kind == "c" or a.size == 0 or not np.all(np.isfinite(a)):
        return d  # (complex: det_cofactor's SVD form is real only)
    s = np.linalg.svd(a if a.dtype.kind == "f" else a.astype(float), compute_uv=False)
    singular = s[..., -1] <= s[..., 0] / COND_MAX
    if not np.any(singular):
        return d
    return np.where(singular, 0.0, d)[()]


@helper
def det_d3_check(a, d):
    """`a`, or a refusal where a determinant `d` is 0 (see the module docstring)."""
    if np.any(np.asarray(d) == 0):
        raise _unsupported(
            "third derivative of np.linalg.det at a singular (or numerically singular, "
            f"condition number above {COND_MAX:g}) matrix is not implemented"
        )
    return a


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of `det_nz` and `det_d3_check`."""
    deflinear_helper(jvp, vjp, det_nz, "d, a", "_srcad.det_nz(dd, a)", "_srcad.det_nz(g, a)")
    deflinear_helper(
        jvp, vjp, det_d3_check, "a, d", "_srcad.det_d3_check(da, d)", "_srcad.det_d3_check(g, d)"
    )
