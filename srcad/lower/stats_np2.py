"""More SciPy functions written as the NumPy formulas they equal (part of
`srcad.lower.library.REWRITES`, as `srcad.lower.stats_np`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand.

- ``scipy.stats.lognorm.logpdf/pdf/cdf/sf/logcdf(x, s, loc, scale)``: with ``z = (x - loc) /
  scale`` and ``l = log z``, ``logpdf = -l^2 / (2 s^2) - log(s) - l - log(sqrt(2 pi)) -
  log(scale)``, ``cdf = ndtr(l / s)``, ``sf = ndtr(-l / s)``, ``logcdf = log_ndtr(l / s)``; at
  ``z <= 0`` (outside the support) -inf, 0, 1, -inf with no derivative (the logarithm is taken
  of 1 there); NaN where ``s <= 0`` or ``scale <= 0``, as SciPy;
- ``scipy.special.huber(delta, r)``: ``r^2 / 2`` where ``|r| <= delta``, else ``delta (|r| -
  delta / 2)``, inf where ``delta < 0``;
- ``scipy.special.logsumexp(..., return_sign=True)``: the pair ``(logsumexp(a, axis, b * sgn),
  sgn)`` with the sign ``sgn`` of the sum a constant (other calls of logsumexp: its own rule);
- ``scipy.special.pseudo_huber(delta, r)``: ``delta^2 (sqrt(1 + (r / delta)^2) - 1)``, 0 where
  ``delta == 0``, inf where ``delta < 0``.

Example::

    scipy.special.huber(1.0, r)  ->  where(|r| <= 1, 0.5 * r * r, 1 * (|r| - 0.5))
"""

from __future__ import annotations

import math
from typing import Any

from srcad.lower.stats_np import _op, _z
from srcad.ssa.core import Const, Operand

_LOG_SQ2PI = 0.5 * math.log(2.0 * math.pi)


def _safe_log(lc: Any, v: Operand) -> Operand:
    """``log(v)`` where ``v > 0``, ``log(1) = 0`` elsewhere (that branch is masked later)."""
    return _op(lc, "numpy.log", _op(lc, "numpy.where", _op(lc, "gt", v, 0.0), v, 1.0))


def _lognorm(method: str) -> Any:
    def fn(lc: Any, x: Operand, s: Operand, loc: Operand, scale: Operand) -> Operand:
        z = _z(lc, x, loc, scale)
        keep = _op(lc, "gt", z, 0.0)
        lz = _safe_log(lc, z)
        s1 = _op(lc, "numpy.where", _op(lc, "gt", s, 0.0), s, 1.0)
        if method in ("logpdf", "pdf"):
            quad = _op(
                lc, "truediv", _op(lc, "mul", lz, lz), _op(lc, "mul", 2.0, _op(lc, "mul", s1, s1))
            )
            core = _op(
                lc, "neg", _op(lc, "add", quad, _op(lc, "add", _op(lc, "numpy.log", s1), lz))
            )
            core = _op(lc, "sub", _op(lc, "sub", core, _LOG_SQ2PI), _safe_log(lc, scale))
            out = _op(lc, "numpy.where", keep, core, -math.inf)
            if method == "pdf":
                out = _op(lc, "numpy.exp", out)
        else:
            u = _op(lc, "truediv", lz, s1)
            fn_name, outside = {
                "cdf": ("scipy.special.ndtr", 0.0),
                "sf": ("scipy.special.ndtr", 1.0),
                "logcdf": ("scipy.special.log_ndtr", -math.inf),
            }[method]
            if method == "sf":
                u = _op(lc, "neg", u)
            out = _op(lc, "numpy.where", keep, _op(lc, fn_name, u), outside)
        ok = _op(lc, "numpy.logical_and", _op(lc, "gt", s, 0.0), _op(lc, "gt", scale, 0.0))
        return lc.op("getitem", [_op(lc, "numpy.where", ok, out, math.nan), Const(())])

    return fn


def _lognorm_sig(x, s, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """SciPy's ``lognorm`` methods: the shape `s`, then loc and scale."""


def huber(lc: Any, delta: Operand, r: Operand) -> Operand:
    a = _op(lc, "numpy.absolute", r)
    small = _op(lc, "le", a, delta)
    quad = _op(lc, "mul", 0.5, _op(lc, "mul", r, r))
    lin = _op(lc, "mul", delta, _op(lc, "sub", a, _op(lc, "mul", 0.5, delta)))
    out = _op(lc, "numpy.where", small, quad, lin)
    bad = _op(lc, "lt", delta, 0.0)
    return lc.op("getitem", [_op(lc, "numpy.where", bad, math.inf, out), Const(())])


def pseudo_huber(lc: Any, delta: Operand, r: Operand) -> Operand:
    pos = _op(lc, "gt", delta, 0.0)
    d = _op(lc, "numpy.where", pos, delta, 1.0)  # delta == 0 or < 0: masked below
    q = _op(lc, "truediv", r, d)
    root = _op(lc, "numpy.sqrt", _op(lc, "add", 1.0, _op(lc, "mul", q, q)))
    val = _op(lc, "mul", _op(lc, "mul", d, d), _op(lc, "sub", root, 1.0))
    out = _op(lc, "numpy.where", pos, val, 0.0)
    bad = _op(lc, "lt", delta, 0.0)
    return lc.op("getitem", [_op(lc, "numpy.where", bad, math.inf, out), Const(())])


def logsumexp_sign(lc: Any, a, axis, b, keepdims, return_sign):  # noqa: ANN001, ANN201
    """``logsumexp(a, axis, b, keepdims, return_sign=True)`` -> ``(logsumexp(a, axis, b * sgn,
    keepdims), sign)``, `sgn` the sign of ``sum(b exp(a - max a))`` (a constant: ``np.sign``), so
    the value is SciPy's ``log |sum(b exp a)|`` by the rule of the plain logsumexp, and `sign`
    the one SciPy returns (``_srcad.sp_lse_sign``: a zero sum's differs between SciPy versions);
    None (as it is) for ``return_sign`` not certainly True."""
    if not isinstance(return_sign, Const) or return_sign.value is not True:
        return None
    kw = {"axis": axis, "keepdims": keepdims}
    sign = lc.op("srcad.runtime.sp_lse_sign", [a, axis, b, keepdims])  # SciPy's own (zero sums)
    if b == Const(None):  # the sum is positive
        return lc.op("tuple", [lc.op("scipy.special.logsumexp", [a], kw), sign])
    top = lc.op("numpy.max", [a], {"axis": axis, "keepdims": Const(True)})
    top = _op(lc, "numpy.where", _op(lc, "numpy.isfinite", top), top, 0.0)
    t = _op(lc, "mul", b, _op(lc, "numpy.exp", _op(lc, "sub", a, top)))
    sgn_k = _op(lc, "numpy.sign", lc.op("numpy.sum", [t], {"axis": axis, "keepdims": Const(True)}))
    s = lc.op("scipy.special.logsumexp", [a], {**kw, "b": _op(lc, "mul", b, sgn_k)})
    return lc.op("tuple", [s, sign])


REWRITES = {
    **{
        f"scipy.stats.lognorm.{m}": (_lognorm_sig, _lognorm(m))
        for m in ("logpdf", "pdf", "cdf", "sf", "logcdf")
    },
    "scipy.special.huber": (lambda delta, r, /: None, huber),
    "scipy.special.pseudo_huber": (lambda delta, r, /: None, pseudo_huber),
    "scipy.special.logsumexp": (
        lambda a, axis=None, b=None, keepdims=False, return_sign=False: None,
        logsumexp_sign,
    ),
}
