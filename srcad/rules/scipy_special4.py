"""More scipy.special functions with closed-form derivatives: ``exp10``, ``spence``, ``stdtr`` (in ``t``: the
Student t density; the degrees of freedom have no term, so an active ``df`` is refused),
``expn`` (in ``x``: ``-E_{n-1}(x)``; the integer order is nondiff), and the Box-Cox transforms
in their exponent ``lmbda`` (``boxcox``, ``boxcox1p``, ``inv_boxcox``, ``inv_boxcox1p``; their
``x`` / ``y`` partials stay in `scipy_special3`), and the Faddeeva function ``wofz`` (entire:
``w' = 2i / sqrt(pi) - 2 z w``; complex-safe and complex-valued in `srcad.rules.facts`, so
lmfit's Voigt profile ``wofz(z).real`` of a complex ``z`` differentiates). Registered only when
scipy is importable.

The exponent derivatives are written with two families of helpers, each the derivatives of the
last, so every order closes and none has a removable singularity at ``lmbda == 0``:

- ``sp_exprel(k, u) = int_0^1 t^k exp(t u) dt`` (``boxcox(x, l) = L * sp_exprel(0, l L)``,
  ``L = log x``; ``d/du sp_exprel(k, u) = sp_exprel(k + 1, u)``);
- ``sp_log1prel(k, u)``, the k-th derivative of ``log1p(u) / u`` (``inv_boxcox(y, l) =
  exp(y * sp_log1prel(0, l y))``).

Input: the `RuleTable` pair. Output: the tables filled with these rules. Example::

    jvp of scipy.special.boxcox(x, lmbda) in lmbda:
        dlmbda * (np.square(np.log(x)) * _srcad.sp_exprel(1, lmbda * np.log(x)))
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt
from srcad.rules.scipy_special2 import partial_rules

try:
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None

_LN10 = repr(math.log(10.0))
_LOG_SQRT_PI = repr(0.5 * math.log(math.pi))


def sp_expn(n, x):
    """``scipy.special.expn(n, x)`` for every integer `n`: ``x^(n-1) Gamma(1-n, x)`` where
    ``n < 0`` (scipy gives NaN there; the derivative of ``expn(0, x)`` reads ``n = -1``)."""
    n = np.asarray(n)
    pos = n >= 0
    out = sp.expn(np.where(pos, n, 0), x)
    if np.all(pos):
        return out
    m = np.where(pos, 1, 1 - n)
    with np.errstate(divide="ignore", invalid="ignore"):
        neg = np.power(x, n - 1.0) * sp.gammaincc(m, x) * sp.gamma(m)
    return np.where(pos, out, neg)[()]


def sp_exprel(k, u):
    """``int_0^1 t^k exp(t u) dt`` (k >= 0 an integer): series of positive terms where
    ``|u| <= k + 5`` (``e^u sum |u|^j k!/(j+k+1)!`` for a negative u), else the recurrence
    ``phi_k = (e^u - k phi_{k-1}) / u`` from ``phi_0 = expm1(u) / u`` (stable there)."""
    k = int(k)
    u = np.asarray(u, dtype=float)
    lim = k + 5.0
    small = np.abs(u) <= lim
    us = np.where(small, u, 0.0)
    a, b = np.abs(us), np.ones_like(us)  # b: the term of the negative-u series
    term = np.ones_like(us)
    series_pos, series_neg = term / (k + 1), b / (k + 1)
    b = b / (k + 1)
    for j in range(1, int(2 * lim) + 60):
        term = term * a / j
        series_pos = series_pos + term / (k + j + 1)
        b = b * a / (k + j + 1)
        series_neg = series_neg + b
    series = np.where(us >= 0, series_pos, np.exp(us) * series_neg)
    ul = np.where(small, 1.0, u)
    with np.errstate(over="ignore", invalid="ignore"):
        phi = np.expm1(ul) / ul
        for m in range(1, k + 1):
            phi = (np.exp(ul) - m * phi) / ul
    return np.where(small, series, phi)[()]


def sp_log1prel(k, u):
    """The k-th derivative of ``log1p(u) / u`` (k >= 0 an integer): its series
    ``sum_i (-1)^(i+k) (i+k)!/i! u^i / (i+k+1)`` where ``|u| <= 0.5``, else the recurrence
    ``chi_k = ((-1)^(k-1) (k-1)! / (1+u)^k - k chi_{k-1}) / u`` from ``chi_0 = log1p(u) / u``."""
    k = int(k)
    u = np.asarray(u, dtype=float)
    small = np.abs(u) <= 0.5
    us = np.where(small, u, 0.0)
    c = float(math.factorial(k)) * (-1.0) ** k
    power = np.ones_like(us)
    series = c * power / (k + 1)
    for i in range(1, 130):
        c = -c * (i + k) / i
        power = power * us
        series = series + c * power / (i + k + 1)
    ul = np.where(small, 1.0, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.log1p(ul) / ul
        for m in range(1, k + 1):
            top = (-1.0) ** (m - 1) * math.factorial(m - 1) / np.power(1.0 + ul, m)
            chi = (top - m * chi) / ul
    return np.where(small, series, chi)[()]


_BOXCOX_L = "np.square({L}) * _srcad.sp_exprel(1, lmbda * {L})"
_INV_L = "({a}) * np.square(y) * _srcad.sp_log1prel(1, lmbda * y)"
_T_PDF = (
    f"np.exp(_srcad.sp_gammaln(0.5 * (df + 1.0)) - _srcad.sp_gammaln(0.5 * df) - {_LOG_SQRT_PI}"
    " - 0.5 * np.log(df) - 0.5 * (df + 1.0) * np.log1p(t * t / df))"
)
# name -> (signature, nondiff, {argument: partial}); an argument without a partial has no term
_PARTIALS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "exp10": ("x", (), {"x": f"{_LN10} * ans"}),
    # spence(z) = int_1^z log t / (1 - t) dt: d/dz = log z / (1 - z) = -log1p(u) / u, u = z - 1
    "spence": ("z", (), {"z": "-_srcad.sp_log1prel(0, z - 1.0)"}),
    "stdtr": ("df, t", (), {"t": _T_PDF}),
    "expn": ("n, x", ("n",), {"x": "-_srcad.sp_expn(n - 1, x)"}),
    # Faddeeva w(z) = exp(-z^2) erfc(-i z), entire: w' = 2i / sqrt(pi) - 2 z w (complex-safe)
    "wofz": ("z", (), {"z": "(1.1283791670955126j - 2.0 * z * ans)"}),
    "boxcox": ("x, lmbda", (), {"x": "np.power(x, lmbda - 1.0)",
                                "lmbda": _BOXCOX_L.format(L="np.log(x)")}),
    "boxcox1p": ("x, lmbda", (), {"x": "np.power(1.0 + x, lmbda - 1.0)",
                                  "lmbda": _BOXCOX_L.format(L="np.log1p(x)")}),
    "inv_boxcox": ("y, lmbda", (), {"y": "np.power(ans, 1.0 - lmbda)",
                                    "lmbda": _INV_L.format(a="ans")}),
    "inv_boxcox1p": ("y, lmbda", (), {"y": "np.power(1.0 + ans, 1.0 - lmbda)",
                                      "lmbda": _INV_L.format(a="1.0 + ans")}),
}  # fmt: skip

# facts (srcad/rules/facts.py): pure and elementwise (np.where masks apply); empty without scipy
ELEMENTWISE: tuple[str, ...] = () if sp is None else tuple(f"scipy.special.{n}" for n in _PARTIALS)
PURE = ELEMENTWISE
# holomorphic (JAX's convention, cotangents paired without a conjugate): declared with the family
# (`facts.declare_optional`), so that `import srcad` and a transform without scipy never import it
COMPLEX_SAFE: tuple[str, ...] = () if sp is None else ("scipy.special.wofz",)
if sp is not None:  # runtime helpers only with scipy (srcad.runtime re-exports them on import)
    for _fn in (sp_expn, sp_exprel, sp_log1prel):
        helper(_fn)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    for name, (sig, nondiff, partials) in _PARTIALS.items():
        partial_rules(jvp, vjp, f"scipy.special.{name}", sig, nondiff, **partials)
    partial_rules(jvp, vjp, rt(sp_expn), "n, x", ("n",), x="-_srcad.sp_expn(n - 1, x)")
    partial_rules(jvp, vjp, rt(sp_exprel), "k, u", ("k",), u="_srcad.sp_exprel(k + 1, u)")
    partial_rules(jvp, vjp, rt(sp_log1prel), "k, u", ("k",), u="_srcad.sp_log1prel(k + 1, u)")
