"""Polynomial objects made in the function and called: ``p = np.poly1d(c); p(x)`` and
``P = np.polynomial.Polynomial(c); P(x)`` (or ``Chebyshev``, ``Legendre``, ``Hermite``,
``HermiteE``, ``Laguerre``).

Input: the lowerer at a call of ``np.poly1d`` / a series class (one positional argument, the
coefficients; no ``r=``, ``domain=``, ``window=``, ``symbol=``), and later at a call of the value
it made. Output: `PolyObj`, a transform-time value holding the evaluation primitive and the
coefficients' operand; its call ``p(x)`` is that evaluation, what NumPy's ``__call__`` computes:
``np.polyval(c, x)`` (poly1d: highest power first; its leading zeros, which poly1d strips, add
nothing) or ``np.polynomial.<kind>.<kind>val(x, c)`` (the series' default domain and window are
both [-1, 1]: no mapping), each with rules (rules/numpy_extra.py, rules/polyseries.py). Anything
else done with the object (an attribute, passing or returning it) stays refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast

from srcad.lower.values import Opaque, PrimRef
from srcad.ssa.core import Operand

_SERIES = {
    "numpy.polynomial.polynomial.Polynomial": "numpy.polynomial.polynomial.polyval",
    "numpy.polynomial.chebyshev.Chebyshev": "numpy.polynomial.chebyshev.chebval",
    "numpy.polynomial.legendre.Legendre": "numpy.polynomial.legendre.legval",
    "numpy.polynomial.hermite.Hermite": "numpy.polynomial.hermite.hermval",
    "numpy.polynomial.hermite_e.HermiteE": "numpy.polynomial.hermite_e.hermeval",
    "numpy.polynomial.laguerre.Laguerre": "numpy.polynomial.laguerre.lagval",
}


@dataclass(eq=False)
class PolyObj(Opaque):
    prim: str  # the evaluation
    coef: Operand
    coef_first: bool  # np.polyval(c, x) (poly1d) or <kind>val(x, c) (the series classes)

    def __repr__(self) -> str:
        return "a polynomial object made here"


def call(lw: Any, f: Any, node: gast.Call) -> Operand | PolyObj | None:
    """``p(x)`` of a `PolyObj` `p`; ``np.poly1d(c)`` / ``Polynomial(c)`` itself (a `PolyObj`);
    else None (nothing lowered)."""
    if isinstance(f, PolyObj):
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], gast.Starred):
            raise lw.error(node, "this call of a polynomial object is not supported",
                           "call it with one argument, the points")  # fmt: skip
        x = lw.value(node.args[0])
        lw.at(node)
        return lw.op(f.prim, [f.coef, x] if f.coef_first else [x, f.coef])
    name = f.name if isinstance(f, PrimRef) else None
    if name != "numpy.poly1d" and name not in _SERIES:
        return None
    if len(node.args) != 1 or node.keywords or isinstance(node.args[0], gast.Starred):
        return None  # (roots, a domain, a variable name: the call as it is, refused)
    coef = lw.value(node.args[0])
    if name == "numpy.poly1d":
        return PolyObj("numpy.polyval", coef, True)
    return PolyObj(_SERIES[name], coef, False)
