"""NumPy calls written as the primitives they equal, so that they are differentiated at every
order instead of refused (more of `srcad.lower.library.REWRITES`).

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is).

- ``np.histogram2d(x, y, bins, range, density=True, weights=w)`` -> NumPy's own formula
  (``histogramdd``'s) over the counts: ``h, ex, ey = np.histogram2d(x, y, bins, range,
  weights=w)``, ``(h / diff(ex)[:, None] / diff(ey)[None, :] / sum(h), ex, ey)``, the same
  operations in the same order (the same values); as ``np.histogram``'s density
  (lower/library_lib30.py). A `density` known only when the code runs is left as it is;
- ``np.nanprod(a, ..., initial=, where=)`` -> ``np.prod(np.where(np.isnan(a), 1, a), ...,
  initial=, where=)``, what NumPy computes (NaNs replaced by one; an integer `a` has none and
  keeps its dtype), whose rules take `where` (a mask: zero derivative) and `initial`; without
  those two keywords the call stays ``numpy.nanprod`` (its own rule).

- ``cmath.tanh``/``tan`` of a number -> CPython's own formula in real ``math`` functions
  (`_tanh`: the same values).

(``cmath.exp``/``sin``/``cos``/``sinh``/``cosh``/``sqrt`` have rules of their own,
`srcad.rules.math.CMATH`: the call stays cmath's.)
"""

from __future__ import annotations

import math
import sys
from typing import Any

from srcad.ssa.core import Const, Operand

_NONE = Const(None)


def histogram2d(lc: Any, x: Operand, y: Operand, bins: Operand, range: Operand,  # noqa: A002
                density: Operand, weights: Operand) -> Operand | None:  # fmt: skip
    if not isinstance(density, Const) or not density.value:
        return None  # (False, None: the plain call; a Var: its rule's run-time refusal)
    kwargs = {} if weights == _NONE else {"weights": weights}
    out = lc.op("numpy.histogram2d", [x, y, bins, range], kwargs)
    h, ex, ey = (lc.op("getitem", [out, Const(k)]) for k in (0, 1, 2))  # (`range`: bound)
    total = lc.op("numpy.sum", [h])  # (of the counts, before the divisions: NumPy's order)
    wx = lc.op("numpy.expand_dims", [lc.op("numpy.diff", [ex]), Const(1)])
    wy = lc.op("numpy.expand_dims", [lc.op("numpy.diff", [ey]), Const(0)])
    dens = lc.op("truediv", [lc.op("truediv", [lc.op("truediv", [h, wx]), wy]), total])
    return lc.op("tuple", [dens, ex, ey])


def nanprod(lc: Any, a: Operand, axis: Operand, dtype: Operand, out: Operand,
            keepdims: Operand, initial: Operand, where: Operand) -> Operand | None:  # fmt: skip
    if initial == _NONE and where == Const(True):
        return None  # (the rule of numpy.nanprod)
    if out != _NONE:
        return None
    ones = lc.op("numpy.where", [lc.op("numpy.isnan", [a]), Const(1), a])
    kw = {"axis": axis, "dtype": dtype, "keepdims": keepdims, "where": where}
    if initial != _NONE:
        kw["initial"] = initial
    return lc.op("numpy.prod", [ones], kw)


_LOG_LARGE = math.log(sys.float_info.max / 4.0)  # CPython's CM_LOG_LARGE_DOUBLE


def _tanh(swap: bool) -> Any:
    """``cmath.tanh(z)`` (``cmath.tan(z)`` with `swap`: ``tan(z) = -i tanh(iz)``) as CPython
    computes it for ``|Re| <= log(DBL_MAX / 4)``, in real ``math`` functions (the same values,
    bit for bit; NumPy's complex tanh differs by an ulp): ``tx = tanh(x)``, ``ty = tan(y)``,
    ``cx = 1 / cosh(x)``, ``d = 1 + (tx ty)^2``, ``tanh z = tx (1 + ty^2) / d + i (ty / d) cx
    cx``. A larger real part (CPython's other branch) is refused when it runs."""

    def lower(lc: Any, z: Operand) -> Operand:
        re, im = lc.op("attr.real", [z]), lc.op("attr.imag", [z])
        x, y = (lc.op("neg", [im]), re) if swap else (re, im)
        small = lc.op("le", [lc.op("abs", [x]), Const(_LOG_LARGE)])
        what = (
            f"cmath.{'tan' if swap else 'tanh'} of a number whose {'imaginary' if swap else 'real'}"
        )
        lc.op("srcad.runtime.require", [small, Const(f"{what} part exceeds {_LOG_LARGE:.1f}")])
        tx, ty = lc.op("math.tanh", [x]), lc.op("math.tan", [y])
        cx = lc.op("truediv", [Const(1.0), lc.op("math.cosh", [x])])
        txty = lc.op("mul", [tx, ty])
        d = lc.op("add", [Const(1.0), lc.op("mul", [txty, txty])])
        a = lc.op(
            "truediv", [lc.op("mul", [tx, lc.op("add", [Const(1.0), lc.op("mul", [ty, ty])])]), d]
        )
        b = lc.op("mul", [lc.op("mul", [lc.op("truediv", [ty, d]), cx]), cx])
        return lc.op("complex", [b, lc.op("neg", [a])] if swap else [a, b])

    return lower


REWRITES = {
    "numpy.histogram2d": (
        lambda x, y, bins=10, range=None, density=None, weights=None: None,  # noqa: A006
        histogram2d,
    ),
    "numpy.nanprod": (
        lambda a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True: None,
        nanprod,
    ),
    "cmath.tanh": (lambda z, /: None, _tanh(False)),
    "cmath.tan": (lambda z, /: None, _tanh(True)),
}
