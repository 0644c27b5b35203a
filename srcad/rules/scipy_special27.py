"""scipy.special ``ellipkm1``, the inverses ``gammaincinv``, ``gammainccinv``, ``betaincinv``,
``betainccinv`` (in ``y``) and the Struve functions ``struve``, ``modstruve`` (in ``x``):
registered only when scipy is imported.

Input: the `RuleTable` pair. Output: the tables filled with their rules and those of the helpers
they call (`sp_struve`, `sp_modstruve`, `sp_rgamma`), so every order closes. The math::

    ellipkm1(p) = ellipk(1 - p):   -pi/8 2F1(3/2, 3/2; 2; 1 - p)  (ellipk's, scipy_extra24)
    x = gammaincinv(a, y):         dx/dy = 1 / (d/dx gammainc(a, x)) = 1 / gammainc_dx(a, x)
    gammainccinv: -1 / gammainc_dx(a, x);  betaincinv: 1 / betainc_dx(a, b, x) (betainccinv: -)
    struve:    H_v' = (H_{v-1} - H_{v+1}) / 2 + (x/2)^v / (2 sqrt(pi) Gamma(v + 3/2))
    modstruve: L_v' = (L_{v-1} + L_{v+1}) / 2 + (x/2)^v / (2 sqrt(pi) Gamma(v + 3/2))

(DLMF 11.4.25-26, 11.4.27-28: exact at ``x = 0`` too). The parameters ``a``, ``b`` and the
order ``v`` have no term: an active one is refused with the primitive's message (their
derivatives have no closed form). Example::

    jvp of scipy.special.gammaincinv(a, y):  dy * (1.0 / _srcad.gammainc_dx(a, ans))
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt
from srcad.rules.scipy_extra24 import sp_h2f1
from srcad.rules.scipy_special import sp_rgamma_d
from srcad.rules.scipy_special2 import betainc_dx, gammainc_dx, partial_rules

try:
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None


@helper
def sp_struve(v, x):
    """``scipy.special.struve(v, x)``."""
    return sp.struve(v, x)


@helper
def sp_modstruve(v, x):
    """``scipy.special.modstruve(v, x)``."""
    return sp.modstruve(v, x)


def _struve(fn: str, sign: str) -> str:
    """The x-partial of ``fn(v, x)`` (``+``: modified)."""
    c = repr(float(0.5 / np.sqrt(np.pi)))
    power = f"np.power(0.5 * x, v) * {c} * _srcad.sp_rgamma(v + 1.5)"
    return f"0.5 * (_srcad.{fn}(v - 1.0, x) {sign} _srcad.{fn}(v + 1.0, x)) + {power}"


@helper
def sp_rgamma(x):
    """``scipy.special.rgamma(x)`` (``1 / Gamma(x)``; its derivative: `sp_rgamma_d`)."""
    return sp.rgamma(x)


_IN_Y = {
    "gammaincinv": ("a, y", "1.0 / _srcad.gammainc_dx(a, ans)"),
    "gammainccinv": ("a, y", "-1.0 / _srcad.gammainc_dx(a, ans)"),
    "betaincinv": ("a, b, y", "1.0 / _srcad.betainc_dx(a, b, ans)"),
    "betainccinv": ("a, b, y", "-1.0 / _srcad.betainc_dx(a, b, ans)"),
}
_PI8 = repr(float(np.pi / 8.0))


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    assert rt(gammainc_dx) and rt(betainc_dx) and rt(sp_h2f1) and rt(sp_rgamma_d)  # (theirs)
    partial_rules(jvp, vjp, "scipy.special.ellipkm1", "p", (),
                  p=f"-{_PI8} * _srcad.sp_h2f1(1.5, 1.5, 2.0, 1.0 - p)")  # fmt: skip
    for name, (sig, dy) in _IN_Y.items():
        if hasattr(sp, name):
            partial_rules(jvp, vjp, f"scipy.special.{name}", sig, (), y=dy)
    for name, fn, sign in (("struve", sp_struve, "-"), ("modstruve", sp_modstruve, "+")):
        dx = _struve(fn.__name__, sign)
        partial_rules(jvp, vjp, f"scipy.special.{name}", "v, x", (), x=dx)
        partial_rules(jvp, vjp, rt(fn), "v, x", (), x=dx)
    partial_rules(jvp, vjp, rt(sp_rgamma), "x", (), x="_srcad.sp_rgamma_d(x, 1)")


_NAMES = ("ellipkm1", *_IN_Y, "struve", "modstruve")
ELEMENTWISE: tuple[str, ...] = (
    () if sp is None else tuple(f"scipy.special.{n}" for n in _NAMES if hasattr(sp, n))
)
PURE = ELEMENTWISE
