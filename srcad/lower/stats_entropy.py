"""The differential entropy of scipy.stats distributions (``norm.entropy(loc, scale)``, and a
frozen one's ``norm(mu, s).entropy()``, lower/frozen.py) written as the formulas it equals (part of
`srcad.lower.library.REWRITES`, as `srcad.lower.stats_np`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand.

A location-scale family's entropy is its standard form's plus ``log(scale)``, whatever `loc`
(which only gives the result its shape: ``+ zeros_like(loc)``); NaN where ``scale <= 0``, as SciPy:

- constants: norm ``(1 + log 2 pi) / 2``, expon 1, uniform 0, laplace ``1 + log 2``, logistic 2,
  cauchy ``log 4 pi``, gumbel_r/gumbel_l ``1 + euler_gamma``, halfnorm ``log(pi e / 2) / 2``,
  halfcauchy ``log 2 pi``;
- gamma(a): ``a + gammaln(a) + (1 - a) digamma(a)``; beta(a, b): ``betaln(a, b) - (a - 1)
  digamma(a) - (b - 1) digamma(b) + (a + b - 2) digamma(a + b)``; NaN where a shape is <= 0.

``multivariate_normal``: ``d (1 + log 2 pi) / 2 + log det(cov) / 2`` through a Cholesky factor.
Other distributions' entropies stay refused (no rule). Example::

    scipy.stats.norm(mu, s).entropy()  ->  where(s > 0, 1.4189... + log(where(s > 0, s, 1)), nan)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from srcad.lower.stats_np import _op, _valid
from srcad.ssa.core import Const, Operand

_STANDARD = {
    "norm": 0.5 * (1.0 + math.log(2.0 * math.pi)),
    "expon": 1.0,
    "uniform": 0.0,
    "laplace": 1.0 + math.log(2.0),
    "logistic": 2.0,
    "cauchy": math.log(4.0 * math.pi),
    "gumbel_r": 1.0 + float(np.euler_gamma),
    "gumbel_l": 1.0 + float(np.euler_gamma),
    "halfnorm": 0.5 * math.log(math.pi * math.e / 2.0),
    "halfcauchy": math.log(2.0 * math.pi),
}


def _finish(lc: Any, h: Operand, loc: Operand, scale: Operand, shapes: tuple) -> Operand:
    """`h` + log(scale), shaped like `loc`, NaN for a bad scale or shape parameter."""
    log_scale = _op(lc, "numpy.log", _op(lc, "numpy.where", _op(lc, "gt", scale, 0.0), scale, 1.0))
    out = _op(lc, "add", _op(lc, "add", h, log_scale), lc.op("numpy.zeros_like", [loc]))
    out = _valid(lc, out, scale)
    for p in shapes:
        out = _op(lc, "numpy.where", _op(lc, "gt", p, 0.0), out, math.nan)
    return lc.op("getitem", [out, Const(())])


def _loc_scale(dist: str) -> Any:
    def rewrite(lc: Any, loc: Operand, scale: Operand) -> Operand:
        return _finish(lc, Const(_STANDARD[dist]), loc, scale, ())

    return rewrite


def _gamma(lc: Any, a: Operand, loc: Operand, scale: Operand) -> Operand:
    psi = _op(lc, "scipy.special.psi", a)
    h = _op(lc, "add", _op(lc, "add", a, _op(lc, "scipy.special.gammaln", a)),
            _op(lc, "mul", _op(lc, "sub", 1.0, a), psi))  # fmt: skip
    return _finish(lc, h, loc, scale, (a,))


def _beta(lc: Any, a: Operand, b: Operand, loc: Operand, scale: Operand) -> Operand:
    def term(p: Operand, c: float) -> Operand:  # (p - c) digamma(p)
        return _op(lc, "mul", _op(lc, "sub", p, c), _op(lc, "scipy.special.psi", p))

    h = _op(lc, "sub", _op(lc, "scipy.special.betaln", a, b), term(a, 1.0))
    h = _op(lc, "add", _op(lc, "sub", h, term(b, 1.0)), term(_op(lc, "add", a, b), 2.0))
    return _finish(lc, h, loc, scale, (a, b))


def _mvn(lc: Any, mean: Operand, cov: Operand, allow_singular: Operand) -> Operand | None:
    """``multivariate_normal.entropy(mean, cov)``: ``d (1 + log 2 pi) / 2 + sum(log(diag(L)))``,
    ``L`` the Cholesky factor of the (d, d) covariance scipy reads (`_srcad.mvn_dim`: d and
    scipy's checks; `_srcad.mvn_cov`: a number times the identity, a diagonal, or a matrix's
    lower triangle); not positive definite:
    NumPy's LinAlgError, where scipy raises too. ``allow_singular=True``: None (refused)."""
    if allow_singular != Const(False):
        return None
    d = lc.op("srcad.runtime.mvn_dim", [mean, cov])  # (scipy's shape checks)
    cov_d = lc.op("srcad.runtime.mvn_cov", [cov, d])
    chol = lc.op("numpy.linalg.cholesky", [cov_d])
    logdet = lc.op("numpy.sum", [_op(lc, "numpy.log", lc.op("numpy.diagonal", [chol]))])
    n = lc.op("getitem", [lc.op("numpy.shape", [cov_d]), Const(0)])
    h = _op(lc, "mul", n, _STANDARD["norm"])
    return lc.op("float", [_op(lc, "add", h, logdet)])


def _mvn_sig(mean=None, cov=1, allow_singular=False):  # noqa: ANN001, ANN202
    """``multivariate_normal.entropy``."""


def _sig(loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """A location-scale family's ``entropy``."""


def _gamma_sig(a, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """``gamma.entropy``."""


def _beta_sig(a, b, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """``beta.entropy``."""


REWRITES = {
    **{f"scipy.stats.{d}.entropy": (_sig, _loc_scale(d)) for d in _STANDARD},
    "scipy.stats.gamma.entropy": (_gamma_sig, _gamma),
    "scipy.stats.beta.entropy": (_beta_sig, _beta),
    "scipy.stats.multivariate_normal.entropy": (_mvn_sig, _mvn),
}
