"""scipy.stats distributions without rules of their own, written as the NumPy formulas they equal
(more of `srcad.lower.library.REWRITES`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand, or None (the call is then lowered as it is: refused, no rule).

Location-scale families, ``z = (x - loc) / scale``, NaN where ``scale <= 0`` (as SciPy):

- ``expon``: ``logpdf = -z - log(scale)``, ``cdf = -expm1(-z)``, ``sf = exp(-z)`` for z >= 0
  (-inf, 0, 1 below);
- ``laplace``: ``logpdf = -|z| - log(2 scale)``, ``cdf = exp(z) / 2`` (z < 0) or ``1 - exp(-z) /
  2``, ``sf`` the cdf of ``-z``;
- ``cauchy``: ``logpdf = -log(pi scale (1 + z^2))``, ``cdf = 1/2 + arctan(z) / pi``;
- ``logistic``: ``logpdf = -z - 2 logaddexp(0, -z) - log(scale)``, ``cdf = expit(z)``;
- ``uniform``: ``logpdf = -log(scale)`` on ``[loc, loc + scale]`` (-inf outside), ``cdf =
  clip(z, 0, 1)``;
- ``logcdf``/``logsf`` (not uniform's): logistic ``-logaddexp(0, -z)``, laplace ``z - log 2``
  (z < 0) or ``log1p(-exp(-z) / 2)``, cauchy ``log cdf``, expon ``log(-expm1(-z))`` (z > 0) and
  ``logsf = -z`` (z >= 0); the symmetric ones' ``logsf(z) = logcdf(-z)``.

``pdf`` is ``exp(logpdf)``. Points outside the support get the outer value through a second
`where` on the argument, so no inf/NaN enters the derivative of the unused branch. Example::

    scipy.stats.cauchy.logpdf(x, 0.0, s)  ->  where(s > 0, -log(pi * s * (1 + z**2)), nan)
"""

from __future__ import annotations

import math
from typing import Any

from srcad.ssa.core import Const, Operand


def _op(lc: Any, name: str, *args: Any) -> Operand:
    return lc.op(name, [a if not isinstance(a, (int, float)) else Const(float(a)) for a in args])


def _z(lc: Any, x: Operand, loc: Operand, scale: Operand) -> Operand:
    return _op(lc, "numpy.divide", _op(lc, "sub", x, loc), scale)  # scale 0: inf, then NaN


def _valid(lc: Any, value: Operand, scale: Operand) -> Operand:
    """`value` where ``scale > 0``, NaN elsewhere (SciPy's answer for a bad scale)."""
    ok = _op(lc, "gt", scale, 0.0)
    return _op(lc, "numpy.where", ok, value, math.nan)


def _inside(lc: Any, keep: Operand, z: Operand, at: float) -> Operand:
    """`z` where `keep`, else the constant `at` (a point inside the support)."""
    return _op(lc, "numpy.where", keep, z, at)


def _logpdf(lc: Any, dist: str, z: Operand, scale: Operand) -> Operand:
    log_scale = _op(lc, "numpy.log", _op(lc, "numpy.where", _op(lc, "gt", scale, 0.0), scale, 1.0))
    keep = None  # outside the support (expon, uniform): -inf, with no derivative
    if dist == "expon":
        keep = _op(lc, "ge", z, 0.0)
        core = _op(lc, "neg", _inside(lc, keep, z, 0.0))
    elif dist == "laplace":
        core = _op(lc, "sub", _op(lc, "neg", _op(lc, "numpy.absolute", z)), math.log(2.0))
    elif dist == "cauchy":
        one_z2 = _op(lc, "add", 1.0, _op(lc, "mul", z, z))
        core = _op(lc, "neg", _op(lc, "numpy.log", _op(lc, "mul", math.pi, one_z2)))
    elif dist == "logistic":
        softplus = _op(lc, "numpy.logaddexp", 0.0, _op(lc, "neg", z))  # smooth at 0, no overflow
        core = _op(lc, "sub", _op(lc, "neg", z), _op(lc, "mul", 2.0, softplus))
    else:  # uniform
        keep = _op(lc, "numpy.logical_and", _op(lc, "ge", z, 0.0), _op(lc, "le", z, 1.0))
        core = _op(lc, "mul", 0.0, z)
    out = _op(lc, "sub", core, log_scale)
    return out if keep is None else _op(lc, "numpy.where", keep, out, -math.inf)


def _cdf(lc: Any, dist: str, z: Operand) -> Operand:
    if dist == "expon":
        keep = _op(lc, "ge", z, 0.0)
        val = _op(lc, "neg", _op(lc, "numpy.expm1", _op(lc, "neg", _inside(lc, keep, z, 0.0))))
        return _op(lc, "numpy.where", keep, val, 0.0)
    if dist == "laplace":
        neg = _op(lc, "lt", z, 0.0)
        lo = _op(lc, "mul", 0.5, _op(lc, "numpy.exp", _inside(lc, neg, z, 0.0)))
        pos = _op(lc, "numpy.where", neg, 0.0, z)
        up = _op(lc, "sub", 1.0, _op(lc, "mul", 0.5, _op(lc, "numpy.exp", _op(lc, "neg", pos))))
        return _op(lc, "numpy.where", neg, lo, up)
    if dist == "cauchy":
        return _op(lc, "add", 0.5, _op(lc, "truediv", _op(lc, "numpy.arctan", z), math.pi))
    if dist == "logistic":
        return _op(lc, "scipy.special.expit", z)
    return _op(lc, "numpy.clip", z, 0.0, 1.0)  # uniform


def _logcdf(lc: Any, dist: str, z: Operand) -> Operand:
    """log cdf(z) (for laplace, cauchy, logistic also log sf(-z))."""
    if dist == "logistic":  # -log(1 + exp(-z))
        return _op(lc, "neg", _op(lc, "numpy.logaddexp", 0.0, _op(lc, "neg", z)))
    if dist == "laplace":  # z - log 2 for z < 0, log1p(-exp(-z) / 2) above
        neg = _op(lc, "lt", z, 0.0)
        lo = _op(lc, "sub", _inside(lc, neg, z, 0.0), math.log(2.0))
        pos = _op(lc, "numpy.where", neg, 0.0, z)
        up = _op(lc, "numpy.log1p", _op(lc, "mul", -0.5, _op(lc, "numpy.exp", _op(lc, "neg", pos))))
        return _op(lc, "numpy.where", neg, lo, up)
    if dist == "cauchy":
        return _op(lc, "numpy.log", _cdf(lc, dist, z))
    # expon; `z` is -z for the sf
    keep = _op(lc, "gt", z, 0.0)
    inner = _inside(lc, keep, z, 1.0)
    val = _op(lc, "numpy.log", _op(lc, "neg", _op(lc, "numpy.expm1", _op(lc, "neg", inner))))
    return _op(lc, "numpy.where", keep, val, -math.inf)


def rewrite(dist: str, method: str) -> Any:
    """The rewrite of ``scipy.stats.<dist>.<method>(x, loc, scale)``: a function of the lowerer
    and the bound arguments emitting the formula (``[()]``: a NumPy scalar for scalar arguments,
    as SciPy returns, where ``np.where`` would give a 0-d array)."""

    def fn(lc: Any, x: Operand, loc: Operand, scale: Operand) -> Operand:
        z = _z(lc, x, loc, scale)
        if method in ("logpdf", "pdf"):
            out = _logpdf(lc, dist, z, scale)
            if method == "pdf":
                out = _op(lc, "numpy.exp", out)
        elif method == "cdf":
            out = _cdf(lc, dist, z)
        elif dist == "expon" and method == "logsf":  # -z for z >= 0, 0 below
            keep = _op(lc, "ge", z, 0.0)
            out = _op(lc, "numpy.where", keep, _op(lc, "neg", _inside(lc, keep, z, 0.0)), 0.0)
        elif method in ("logcdf", "logsf"):  # the symmetric ones: logsf(z) = logcdf(-z)
            out = _logcdf(lc, dist, z if method == "logcdf" else _op(lc, "neg", z))
        else:  # sf = cdf of the mirrored point for the symmetric ones, 1 - cdf otherwise
            if dist in ("laplace", "cauchy", "logistic"):
                out = _cdf(lc, dist, _op(lc, "neg", z))
            elif dist == "expon":
                keep = _op(lc, "ge", z, 0.0)
                val = _op(lc, "numpy.exp", _op(lc, "neg", _inside(lc, keep, z, 0.0)))
                out = _op(lc, "numpy.where", keep, val, 1.0)
            else:
                out = _op(lc, "sub", 1.0, _cdf(lc, dist, z))
        return lc.op("getitem", [_valid(lc, out, scale), Const(())])

    return fn


def _sig(x, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """The signature of the methods rewritten here (no shape parameters)."""


def _norm_quantile(sign: float) -> Any:
    """``norm.ppf(q, loc, scale) = loc + scale * ndtri(q)`` (``isf``: ``loc - scale * ndtri(q)``):
    ndtri is NaN outside [0, 1] and -inf/inf at 0/1, as SciPy's answer; NaN where scale <= 0."""

    def fn(lc: Any, x: Operand, loc: Operand, scale: Operand) -> Operand:  # x: the level q
        step = _op(lc, "mul", scale, _op(lc, "scipy.special.ndtri", x))
        out = _op(lc, "add" if sign > 0 else "sub", loc, step)
        return lc.op("getitem", [_valid(lc, out, scale), Const(())])

    return fn


DISTS = ("expon", "laplace", "cauchy", "logistic", "uniform")
REWRITES = {
    f"scipy.stats.{d}.{m}": (_sig, rewrite(d, m))
    for d in DISTS
    for m in ("logpdf", "pdf", "cdf", "sf")
}
# log cdf / log sf (not uniform's: log of 0 outside)
REWRITES.update(
    (f"scipy.stats.{d}.{m}", (_sig, rewrite(d, m)))
    for d in ("laplace", "cauchy", "logistic", "expon")
    for m in ("logcdf", "logsf")
)
REWRITES["scipy.stats.norm.ppf"] = (_sig, _norm_quantile(1.0))
REWRITES["scipy.stats.norm.isf"] = (_sig, _norm_quantile(-1.0))
