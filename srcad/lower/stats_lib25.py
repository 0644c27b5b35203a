"""scipy.stats ``weibull_min`` written as the NumPy formulas it equals (more of
`srcad.lower.library.REWRITES`, as `srcad.lower.stats_np3`), so every order closes, in ``x``,
the shape ``c``, ``loc`` and ``scale``.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result operand.

With ``z = (x - loc) / scale`` and ``u = z^c`` (``z > 0``): ``logpdf = log c + (c - 1) log z - u -
log scale``, ``cdf = -expm1(-u)``, ``sf = exp(-u)``, ``logsf = -u``, ``logcdf = log(-expm1(-u))``,
``pdf = exp(logpdf)``. At ``z = 0`` SciPy's values (logpdf ``-inf``, ``-log scale`` or ``inf`` for
``c`` above, at or below 1), below it ``-inf``/0/1, with no derivative (the support's edge);
NaN where ``c <= 0`` or ``scale <= 0``. Example::

    scipy.stats.weibull_min.logsf(x, c)  ->  where(z > 0, -(z_in ** c), 0.0)
"""

from __future__ import annotations

import math
from typing import Any

from srcad.lower.stats_np import _inside, _op, _z
from srcad.ssa.core import Const, Operand

_METHODS = ("logpdf", "pdf", "cdf", "sf", "logcdf", "logsf")


def _positive_log(lc: Any, v: Operand) -> Operand:
    """``log(v)`` where ``v > 0``, 0 elsewhere (that branch is masked)."""
    return _op(lc, "numpy.log", _op(lc, "numpy.where", _op(lc, "gt", v, 0.0), v, 1.0))


def _weibull(method: str) -> Any:
    def fn(lc: Any, x: Operand, c: Operand, loc: Operand, scale: Operand) -> Operand:
        z = _z(lc, x, loc, scale)
        keep = _op(lc, "gt", z, 0.0)
        zin = _inside(lc, keep, z, 1.0)
        c1 = _op(lc, "numpy.where", _op(lc, "gt", c, 0.0), c, 1.0)
        u = _op(lc, "pow", zin, c1)
        if method in ("logpdf", "pdf"):
            lz = _op(lc, "mul", _op(lc, "sub", c1, 1.0), _op(lc, "numpy.log", zin))
            core = _op(lc, "sub", _op(lc, "add", _op(lc, "numpy.log", c1), lz), u)
            log_scale = _positive_log(lc, scale)
            big = _op(lc, "numpy.where", _op(lc, "lt", c1, 1.0), math.inf, 0.0)
            at0 = _op(lc, "numpy.where", _op(lc, "gt", c1, 1.0), -math.inf, big)
            edge = _op(lc, "numpy.where", _op(lc, "eq", z, 0.0), at0, -math.inf)
            out = _op(lc, "sub", _op(lc, "numpy.where", keep, core, edge), log_scale)
            if method == "pdf":
                out = _op(lc, "numpy.exp", out)
        else:
            m1 = _op(lc, "neg", _op(lc, "numpy.expm1", _op(lc, "neg", u)))
            body, outside = {
                "cdf": (m1, 0.0),
                "sf": (_op(lc, "numpy.exp", _op(lc, "neg", u)), 1.0),
                "logsf": (_op(lc, "neg", u), 0.0),
                "logcdf": (_op(lc, "numpy.log", m1), -math.inf),
            }[method]
            out = _op(lc, "numpy.where", keep, body, outside)
        ok = _op(lc, "numpy.logical_and", _op(lc, "gt", c, 0.0), _op(lc, "gt", scale, 0.0))
        return lc.op("getitem", [_op(lc, "numpy.where", ok, out, math.nan), Const(())])

    return fn


def _weibull_sig(x, c, loc=0.0, scale=1.0):  # noqa: ANN001, ANN202
    """SciPy's ``weibull_min`` methods: the shape `c`, then loc and scale."""


REWRITES = {f"scipy.stats.weibull_min.{m}": (_weibull_sig, _weibull(m)) for m in _METHODS}
