"""NumPy calls users make, written as the primitives they equal (more of
`srcad.lower.library.REWRITES`), so every order closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is: refused, having no rule).

- ``np.trim_zeros(filt, trim)`` (1-D, ``axis=None``): ``filt[start:stop]``, the bounds from
  ``argmax(filt != 0)`` at either end (locally constant, as an index is; ``0:0`` when every
  entry is zero; an N-d `filt` fails at run time: the bounds are arrays);
- ``np.polynomial.polynomial.polyfit(x, y, deg, rcond, full=False, w)`` for an integer `deg`:
  ``np.polyfit``'s coefficients, lowest degree first (``np.flip(..., axis=0)``);
- ``np.polynomial.polynomial.polyvander(x, deg)`` for an integer `deg`: ``stack([1, x, x*x,
  ...], axis=-1)`` of ``atleast_1d(x) + 0.0`` (products, no ``x**0``: exact at ``x = 0``).

- ``np.roots(p)``: ``eigvals`` of the companion matrix ``[-q[1:] / q[0]; eye(m - 1, m)]`` of
  ``q``, `p` without its leading and trailing zeros (NumPy's matrix: the same roots in the same
  order), then ``zeros(trailing)``; complex roots are refused as ``eigvals`` refuses them
  (srcad differentiates real code); a constant ``q`` has none, an all-zero ``p`` none at all.
  The eigenvalues go through ``_srcad.real_eigvals`` (real when every imaginary part is 0), as
  NumPy's ``roots`` makes them real itself from NumPy 2.5 on, whose ``eigvals`` is always complex.

Example: ``np.trim_zeros(f, "b")`` lowers to::

    f[0 : where(any(f != 0), size(f) - argmax(flip(f) != 0), 0)]
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand

_NONE, _ZERO = Const(None), Const(0)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _bounds(lc: Any, filt: Operand, mode: str) -> tuple[Operand, Operand]:
    """``start, stop`` of `filt` without its leading ("f") / trailing ("b") zeros."""
    nz = lc.op("numpy.not_equal", [filt, Const(0)])
    some = lc.op("numpy.any", [nz])
    start, stop = Const(0), lc.op("numpy.size", [filt])
    if "f" in mode:
        start = lc.op("numpy.argmax", [nz], {"axis": Const(0)})
    if "b" in mode:
        back = lc.op("numpy.argmax", [lc.op("numpy.flip", [nz])], {"axis": Const(0)})
        stop = lc.op("sub", [stop, back])
    start = lc.op("numpy.where", [some, start, Const(0)])
    return start, lc.op("numpy.where", [some, stop, Const(0)])


def trim_zeros(lc: Any, filt: Operand, trim: Operand, axis: Operand) -> Operand | None:
    if axis != _NONE or not isinstance(trim, Const) or not isinstance(trim.value, str):
        return None
    if set(trim.value.lower()) - set("fb"):  # NumPy's ValueError, from the call itself
        return None
    msg = "np.trim_zeros of an array that is not 1-D (NumPy trims each axis) is not supported"
    lc.op(
        "srcad.runtime.require", [lc.op("eq", [lc.op("numpy.ndim", [filt]), Const(1)]), Const(msg)]
    )
    start, stop = _bounds(lc, filt, trim.value.lower())
    return lc.op("getitem", [filt, lc.op("slice", [start, stop, Const(None)])])


def roots(lc: Any, p: Operand) -> Operand:
    """NumPy's ``roots``: the eigenvalues of the companion matrix of `p` without its leading
    and trailing zeros, then one zero root per trailing zero."""
    p = lc.op("numpy.atleast_1d", [p])
    start, stop = _bounds(lc, p, "fb")
    q = lc.op("getitem", [p, lc.op("slice", [start, stop, Const(None)])])
    m = lc.op("numpy.maximum", [lc.op("sub", [lc.op("numpy.size", [q]), Const(1)]), _ZERO])
    lead = lc.op("getitem", [p, start])
    top = lc.op("truediv", [lc.op("neg", [lc.op("getitem", [q, Const(slice(1, None))])]), lead])
    below = lc.op("numpy.eye", [lc.op("numpy.maximum", [lc.op("sub", [m, Const(1)]), _ZERO]), m])
    rows = lc.op("tuple", [lc.op("getitem", [top, Const((None, slice(None)))]), below])
    a = lc.op("numpy.concatenate", [rows], {"axis": _ZERO})
    a = lc.op("getitem", [a, lc.op("slice", [Const(None), m, Const(None)])])  # (0, 0): q constant
    found = lc.op("srcad.runtime.real_eigvals", [lc.op("numpy.linalg.eigvals", [a])])
    trailing = lc.op("sub", [lc.op("numpy.size", [p]), stop])
    trailing = lc.op("numpy.where", [lc.op("gt", [stop, _ZERO]), trailing, _ZERO])  # all zero: none
    zeros = lc.op("numpy.zeros", [trailing])
    return lc.op("numpy.concatenate", [lc.op("tuple", [found, zeros])])


def poly_polyfit(lc: Any, x: Operand, y: Operand, deg: Operand, rcond: Operand, full: Operand,
                 w: Operand) -> Operand | None:  # fmt: skip
    if full != Const(False) or not isinstance(deg, Const) or not _is_int(deg.value):
        return None
    c = lc.op("numpy.polyfit", [x, y, deg, rcond, Const(False), w])
    return lc.op("numpy.flip", [c], {"axis": Const(0)})


def poly_polyvander(lc: Any, x: Operand, deg: Operand) -> Operand | None:
    if not isinstance(deg, Const) or not _is_int(deg.value) or deg.value < 0:
        return None
    x = lc.op("add", [lc.op("numpy.atleast_1d", [x]), Const(0.0)])
    cols = [lc.op("numpy.ones_like", [x])]
    for _ in range(deg.value):
        cols.append(lc.op("mul", [cols[-1], x]) if len(cols) > 1 else x)
    return lc.op("numpy.stack", [lc.op("tuple", cols)], {"axis": Const(-1)})


_PP = "numpy.polynomial.polynomial."
REWRITES = {
    "numpy.trim_zeros": (lambda filt, trim="fb", axis=None: None, trim_zeros),
    "numpy.roots": (lambda p: None, roots),
    _PP + "polyfit": (lambda x, y, deg, rcond=None, full=False, w=None: None, poly_polyfit),
    _PP + "polyvander": (lambda x, deg: None, poly_polyvander),
}
