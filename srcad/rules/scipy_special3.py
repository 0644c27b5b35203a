"""scipy.special functions whose derivatives are elementary: ``cbrt``, ``expi`` (the Box-Cox
transforms are in `scipy_special4`), Owen's T function ``owens_t`` (in ``h`` and ``a``), and
``gammasgn``, the sign of the gamma function (piecewise constant: derivative 0). Registered
only when scipy is importable; no helpers of their own (``owens_t``'s ``h`` term reads
``_srcad.sp_ndtr``: ``erf(a h / sqrt 2) = 2 ndtr(a h) - 1``).

Input: the `RuleTable` pair. Output: the tables filled with these rules. Example::

    jvp of scipy.special.cbrt(x): dx * (1.0 / (3.0 * np.square(ans)))
"""

from __future__ import annotations

import math

from srcad.ad.rules import RuleTable
from srcad.rules.scipy_special2 import partial_rules

try:
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None

_INV_SQRT_2PI = repr(1.0 / math.sqrt(2.0 * math.pi))
_TWO_PI = repr(2.0 * math.pi)

# name -> (signature, {argument: partial}); an argument without a partial has no term
_PARTIALS: dict[str, tuple[str, dict[str, str]]] = {
    "cbrt": ("x", {"x": "1.0 / (3.0 * np.square(ans))"}),
    "expi": ("x", {"x": "np.exp(x) / x"}),
    "owens_t": ("h, a", {
        "h": f"-{_INV_SQRT_2PI} * np.exp(-0.5 * h * h) * (_srcad.sp_ndtr(a * h) - 0.5)",
        "a": f"np.exp(-0.5 * h * h * (1.0 + a * a)) / ({_TWO_PI} * (1.0 + a * a))",
    }),
}  # fmt: skip

# facts (srcad/rules/facts.py): pure and elementwise (np.where masks apply); empty without scipy
_ZERO = ("gammasgn",)  # piecewise constant: a zero derivative
ELEMENTWISE: tuple[str, ...] = (
    () if sp is None else tuple(f"scipy.special.{n}" for n in (*_PARTIALS, *_ZERO))
)
PURE = ELEMENTWISE


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    for name, (sig, partials) in _PARTIALS.items():
        partial_rules(jvp, vjp, f"scipy.special.{name}", sig, (), **partials)
    for name in _ZERO:
        jvp.defzero(f"scipy.special.{name}")
        vjp.defzero(f"scipy.special.{name}")
