"""NumPy calls written as the primitives they equal, so that they are differentiated at every
order instead of refused (more of `srcad.lower.library.REWRITES`).

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is).

- ``np.histogram(a, bins, range, density=True, weights=w)`` -> NumPy's own formula over the
  counts: ``h, e = np.histogram(a, bins, range, weights=w)``, ``(h / np.diff(e) / np.sum(h),
  e)`` (the same floating-point operations, so the same values). The counts are piecewise
  constant in `a` and the edges move with its extremes when NumPy finds them
  (rules/histograms.py), so the density's derivative is the chain rule through the bin widths
  (and through the weights); a `density` known only when the code runs is left as it is;
- a ufunc called with ``out=None`` or ``casting="same_kind"`` (their defaults) -> the call
  without them (the rules bind a ufunc's operands only; another `casting` stays refused);
- ``np.astype(x, dtype)`` (NumPy >= 2.1) -> ``x.astype(dtype)``, the method's primitive, when
  `copy` is left True (``copy=False`` may return `x` itself: refused, as for the method).

Example: ``np.histogram(x, 4, density=True)`` lowers to::

    _t1 = np.histogram(x, 4, None)
    _t2 = _t1[0]
    _t3 = _t1[1]
    (_t2 / np.diff(_t3) / np.sum(_t2), _t3)
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from srcad.ssa.core import Const, Operand

_NONE = Const(None)


def histogram(lc: Any, a: Operand, bins: Operand, range: Operand, density: Operand,  # noqa: A002
              weights: Operand) -> Operand | None:  # fmt: skip
    if not isinstance(density, Const) or not density.value:
        return None  # (False, None: the plain call; a Var: its rule's run-time check)
    kwargs = {} if weights == _NONE else {"weights": weights}
    pair = lc.op("numpy.histogram", [a, bins, range], kwargs)
    h = lc.op("getitem", [pair, Const(0)])
    e = lc.op("getitem", [pair, Const(1)])
    per_width = lc.op("truediv", [h, lc.op("numpy.diff", [e])])
    dens = lc.op("truediv", [per_width, lc.op("numpy.sum", [h])])
    return lc.op("tuple", [dens, e])


def astype(lc: Any, x: Operand, dtype: Operand, copy: Operand, device: Operand) -> Operand | None:
    if copy != Const(True) or device != _NONE:
        return None  # (``copy=False``: refused where calls are lowered)
    return lc.op("method.astype", [x, dtype])


# a ufunc's keywords whose value is its default: the same call without them
_DEFAULT_KEYWORDS = {"out": None, "casting": "same_kind"}


@functools.cache
def is_ufunc_name(name: str) -> bool:
    """Is ``numpy.<name>`` (one attribute of the module) a ufunc?"""
    return isinstance(getattr(np, name[6:], None), np.ufunc) and "." not in name[6:]


def drop_default_keywords(kwargs: dict) -> None:
    """Remove from a ufunc call's `kwargs` the keywords given their default value."""
    for k, v in _DEFAULT_KEYWORDS.items():
        got = kwargs.get(k)
        if isinstance(got, Const) and type(got.value) is type(v) and got.value == v:
            del kwargs[k]


REWRITES = {
    "numpy.histogram": (
        lambda a, bins=10, range=None, density=None, weights=None: None,  # noqa: A006
        histogram,
    ),
    "numpy.astype": (lambda x, dtype, /, *, copy=True, device=None: None, astype),
}
