"""scipy.special ``lambertw`` (every branch ``k``, in ``z``): registered only when scipy is
imported.

Input: the `RuleTable` pair. Output: the tables filled with its rule. From ``W e^W = z``,
``W' = 1 / (e^W (1 + W))`` on every branch (exact at ``z = 0``; infinite at the branch point
``z = -1/e``, ``W = -1``). ``lambertw`` returns complex numbers (``np.real(lambertw(x))`` on the
real branches ``k = 0``, ``x >= -1/e``, and ``k = -1``, ``-1/e <= x < 0``); it is holomorphic
(JAX's convention: cotangents paired without a conjugate, as ``wofz``). ``k`` and ``tol`` are
constants of the formula. Example::

    jvp of scipy.special.lambertw(z):  dz * (np.exp(-ans) / (1.0 + ans))
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable
from srcad.rules.scipy_special2 import partial_rules

try:
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    partial_rules(jvp, vjp, "scipy.special.lambertw", "z, k=0, tol=1e-8", ("k", "tol"),
                  z="np.exp(-ans) / (1.0 + ans)")  # fmt: skip


ELEMENTWISE: tuple[str, ...] = () if sp is None else ("scipy.special.lambertw",)
PURE = ELEMENTWISE
COMPLEX_SAFE = ELEMENTWISE
