"""More scipy.stats distributions written as the NumPy formulas they equal (part of
`srcad.lower.library.REWRITES`, as `srcad.lower.stats_np`), so every order of derivative closes:
the priors of probabilistic programs (half-Cauchy and half-normal scales, inverse-gamma
variances) and the Gumbel extreme-value laws.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand.

With ``z = (x - loc) / scale`` (NaN where ``scale <= 0``, as SciPy):

- ``halfcauchy``: ``logpdf = log(2 / pi) - log1p(z^2) - log(scale)``, ``cdf = 2 arctan(z) / pi``;
- ``halfnorm``: ``logpdf = log(2 / pi) / 2 - z^2 / 2 - log(scale)``, ``cdf = 2 ndtr(z) - 1``,
  ``sf = 2 ndtr(-z)``;
- ``invgamma(a)``: ``logpdf = -(a + 1) log z - 1 / z - gammaln(a) - log(scale)``, ``cdf =
  gammaincc(a, 1 / z)``, ``sf = gammainc(a, 1 / z)``; NaN where ``a <= 0``;
- ``gumbel_r``: ``logpdf = -z - exp(-z) - log(scale)``, ``cdf = exp(-exp(-z))``, ``sf =
  -expm1(-exp(-z))``; ``gumbel_l`` the mirror image (``z`` for ``-z``, cdf and sf swapped).

``pdf`` is ``exp(logpdf)``. Outside the support (``z < 0``; ``z <= 0`` for invgamma) the value is
SciPy's (-inf, 0, 1) with no derivative: the formula is taken at a point inside. Example::

    scipy.stats.halfnorm.logpdf(x, 0.0, s)  ->  where(z >= 0, c - z_in**2 / 2 - log(s), -inf)
"""

from __future__ import annotations

import math
from typing import Any

from srcad.lower.stats_np import _inside, _op, _valid, _z
from srcad.ssa.core import Const, Operand

_METHODS = ("logpdf", "pdf", "cdf", "sf")
_HALF = ("halfcauchy", "halfnorm", "invgamma")  # supported on z >= 0 (invgamma: z > 0)


def _log_scale(lc: Any, scale: Operand) -> Operand:
    return _op(lc, "numpy.log", _op(lc, "numpy.where", _op(lc, "gt", scale, 0.0), scale, 1.0))


def _logpdf(lc: Any, dist: str, z: Operand, a: Operand | None) -> Operand:
    """The log-density at the standardized point `z` (inside the support), before ``log scale``."""
    if dist == "halfcauchy":
        return _op(lc, "sub", math.log(2.0 / math.pi), _op(lc, "numpy.log1p", _op(lc, "mul", z, z)))
    if dist == "halfnorm":
        return _op(
            lc, "sub", 0.5 * math.log(2.0 / math.pi), _op(lc, "mul", 0.5, _op(lc, "mul", z, z))
        )
    if dist == "invgamma":
        lz = _op(lc, "mul", _op(lc, "add", a, 1.0), _op(lc, "numpy.log", z))
        tail = _op(lc, "add", _op(lc, "truediv", 1.0, z), _op(lc, "scipy.special.gammaln", a))
        return _op(lc, "neg", _op(lc, "add", lz, tail))
    w = z if dist == "gumbel_l" else _op(lc, "neg", z)  # gumbel_r: -z
    return _op(lc, "sub", w, _op(lc, "numpy.exp", w))


def _cdf(lc: Any, dist: str, z: Operand, a: Operand | None, upper: bool) -> Operand:
    """The cdf (`upper`: the sf) at `z` inside the support."""
    if dist == "halfcauchy":
        c = _op(lc, "mul", 2.0 / math.pi, _op(lc, "numpy.arctan", z))
        return _op(lc, "sub", 1.0, c) if upper else c
    if dist == "halfnorm":
        if upper:
            return _op(lc, "mul", 2.0, _op(lc, "scipy.special.ndtr", _op(lc, "neg", z)))
        return _op(lc, "sub", _op(lc, "mul", 2.0, _op(lc, "scipy.special.ndtr", z)), 1.0)
    if dist == "invgamma":
        name = "scipy.special.gammainc" if upper else "scipy.special.gammaincc"
        return _op(lc, name, a, _op(lc, "truediv", 1.0, z))
    # gumbel_r: cdf exp(-exp(-z)); gumbel_l: sf exp(-exp(z))
    left = dist == "gumbel_l"
    e = _op(lc, "numpy.exp", z if left else _op(lc, "neg", z))
    if upper != left:  # the complement: -expm1(-e)
        return _op(lc, "neg", _op(lc, "numpy.expm1", _op(lc, "neg", e)))
    return _op(lc, "numpy.exp", _op(lc, "neg", e))


def _rewrite(dist: str, method: str) -> Any:
    def body(lc: Any, x: Operand, a: Operand | None, loc: Operand, scale: Operand) -> Operand:
        z = _z(lc, x, loc, scale)
        keep = None
        if dist in _HALF:
            keep = _op(lc, "gt" if dist == "invgamma" else "ge", z, 0.0)
            z = _inside(lc, keep, z, 1.0)
        if method in ("logpdf", "pdf"):
            out = _op(lc, "sub", _logpdf(lc, dist, z, a), _log_scale(lc, scale))
            outside = -math.inf
            if method == "pdf":
                out, outside = _op(lc, "numpy.exp", out), 0.0
        else:
            out = _cdf(lc, dist, z, a, method == "sf")
            outside = 1.0 if method == "sf" else 0.0
        if keep is not None:
            out = _op(lc, "numpy.where", keep, out, outside)
        out = _valid(lc, out, scale)
        if a is not None:
            out = _op(lc, "numpy.where", _op(lc, "gt", a, 0.0), out, math.nan)
        return lc.op("getitem", [out, Const(())])

    if dist == "invgamma":
        return body

    def loc_scale(lc: Any, x: Operand, loc: Operand, scale: Operand) -> Operand:
        return body(lc, x, None, loc, scale)

    return loc_scale


def _sig(x, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """The location-scale families' methods (no shape parameter)."""


def _shape_sig(x, a, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """``invgamma``'s methods: the shape `a`, then loc and scale."""


REWRITES = {
    f"scipy.stats.{d}.{m}": (_shape_sig if d == "invgamma" else _sig, _rewrite(d, m))
    for d in ("halfcauchy", "halfnorm", "invgamma", "gumbel_r", "gumbel_l")
    for m in _METHODS
}
