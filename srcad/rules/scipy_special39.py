"""scipy.special ``sici`` and ``fresnel`` (two outputs each, both differentiated) and
``voigt_profile`` in ``x`` (its widths ``sigma`` and ``gamma`` have no term: varied, they are
refused). Registered only when scipy is importable.

Input: the `RuleTable` pair. Output: the tables filled with these rules.

- ``sici(x) -> (Si, Ci)``: ``Si' = sin(x) / x`` (``np.sinc(x / pi)``, exact at 0), ``Ci' =
  cos(x) / x`` (scipy's real ``Ci`` of a negative ``x`` is ``Ci(|x|)``, whose slope is the same
  ``cos(x) / x``);
- ``fresnel(x) -> (S, C)``: ``S' = sin(pi x^2 / 2)``, ``C' = cos(pi x^2 / 2)``;
- ``voigt_profile(x, sigma, gamma)``: the k-th derivative in ``x`` is the helper
  ``sp_voigt_d(x, sigma, gamma, k)`` (``Re w^(k)(z) / (sigma sqrt(2 pi) (sigma sqrt 2)^k)``,
  ``z = (x + i gamma) / (sigma sqrt 2)``, the Faddeeva function's derivatives by ``w^(n+1) =
  -2 z w^(n) - 2 n w^(n-1)``; the Lorentzian's ``Im((-1)^k k! / (x - i gamma)^(k+1)) / pi``
  where ``sigma == 0``), whose own rule is the next one, so every order closes.

Example (the VJP of ``sici``, one output's cotangent a zero when that output is unused)::

    _srcad.elem(g, 0, ans[0]) * np.sinc(x / np.pi) + _srcad.elem(g, 1, ans[1]) * (np.cos(x) / x)
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

# name -> the partials of its two outputs in x
_PAIRS = {
    "sici": ("np.sinc(x / np.pi)", "np.cos(x) / x"),
    "fresnel": (
        f"np.sin({math.pi / 2!r} * np.square(x))",
        f"np.cos({math.pi / 2!r} * np.square(x))",
    ),
}


def sp_voigt_d(x, sigma, gamma, k):
    """The `k`-th derivative (k >= 1, an int) in `x` of ``scipy.special.voigt_profile(x,
    sigma, gamma)``, by the Faddeeva function's derivatives where ``sigma != 0`` (scipy's own
    formula, for either sign of the widths) and the Lorentzian's where ``sigma == 0``."""
    k = int(k)
    x, s, g = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, sigma, gamma)))
    gauss = s != 0
    scale = np.where(gauss, s, 1.0) * math.sqrt(2.0)
    z = (x + 1j * g) / scale
    w0 = sp.wofz(z)
    w1 = -2.0 * z * w0 + 2j / math.sqrt(math.pi)
    for n in range(1, k):
        w0, w1 = w1, -2.0 * z * w1 - 2.0 * n * w0
    with np.errstate(divide="ignore", invalid="ignore"):
        voigt = np.real(w1) / (scale * math.sqrt(math.pi) * scale**k)
        lorentz = np.imag((-1.0) ** k * math.factorial(k) / (x - 1j * g) ** (k + 1)) / math.pi
    return np.where(gauss, voigt, lorentz)[()]


ELEMENTWISE: tuple[str, ...] = () if sp is None else ("scipy.special.voigt_profile",)
CONTAINER: tuple[str, ...] = () if sp is None else tuple(f"scipy.special.{n}" for n in _PAIRS)
PURE = ELEMENTWISE + CONTAINER
if sp is not None:  # runtime helpers only with scipy (srcad.runtime re-exports them on import)
    helper(sp_voigt_d)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    for name, (d0, d1) in _PAIRS.items():
        jvp.defjvp(f"scipy.special.{name}", "x, /", x=f"(dx * ({d0}), dx * ({d1}))")
        vjp.defvjp(
            f"scipy.special.{name}", "x, /",
            x=f"_srcad.elem(g, 0, ans[0]) * ({d0}) + _srcad.elem(g, 1, ans[1]) * ({d1})",
        )  # fmt: skip
    nd = ("sigma", "gamma")
    partial_rules(jvp, vjp, "scipy.special.voigt_profile", "x, sigma, gamma, /", nd,
                  x="_srcad.sp_voigt_d(x, sigma, gamma, 1)")  # fmt: skip
    partial_rules(jvp, vjp, rt(sp_voigt_d), "x, sigma, gamma, k", (*nd, "k"),
                  x="_srcad.sp_voigt_d(x, sigma, gamma, k + 1)")  # fmt: skip
